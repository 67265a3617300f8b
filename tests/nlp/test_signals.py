"""Data-driven checks of the message-signal analyser (RU/EN, hard negatives, disguise, negation)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from clientguard.cli import build_app
from clientguard.nlp.api import analyze_text, analyze_texts
from clientguard.nlp.evaluate import evaluate_records, read_labelled
from clientguard.nlp.normalize import normalize
from clientguard.nlp.rules import RULES_DIR, load_rule_files, load_ruleset
from clientguard.taxonomy import SIGNALS

# (text, lang, must include, must NOT include)
CASES: list[tuple[str, str, set[str], set[str]]] = [
    ("оплатим на следующей неделе, бухгалтер в отпуске", "ru", {"payment_delay"}, set()),
    ("Оплату не задержим, переведём сегодня", "ru", set(), {"payment_delay"}),
    ("не заплатим, пока не будет результата", "ru", {"payment_delay"}, set()),
    ("пр0сто xyйня, а не пост", "ru", {"obscenity"}, set()),
    ("Мандариновый фреш и команда бариста — сделайте пост", "ru", set(), {"obscenity"}),
    ("Оплатила вчера, чек во вложении", "ru", set(), {"payment_delay"}),
    ("заплачу когда пойдут продажи", "ru", {"payment_delay"}, set()),
    ("дорого, сделайте скидку хотя бы 20%", "ru", {"discount_request"}, set()),
    ("а что входит в пакет за 30 тысяч?", "ru", set(), {"discount_request"}),
    ("давайте без договора, мы же доверяем друг другу", "ru", {"contract_avoidance"}, set()),
    ("пришлите, пожалуйста, договор, юрист посмотрит пункт про сроки", "ru", set(), {"contract_avoidance"}),
    ("бл*ть опять не то", "ru", {"obscenity"}, set()),
    ("xуйня полная", "ru", {"obscenity"}, set()),
    ("е б а т ь вы долго", "ru", {"obscenity"}, set()),
    ("бляяяяя", "ru", {"obscenity"}, set()),
    ("Заеб@ли", "ru", {"obscenity"}, set()),
    ("п!здец какой-то, а не отчёт", "ru", {"obscenity"}, set()),  # punctuation as the mask
    ("x у й н я это", "ru", {"obscenity"}, set()),  # spaced, with a Latin look-alike
    ("ок!спасибо, да?да, получил", "ru", set(), {"obscenity"}),  # a missing space is no mask
    # dots as the mask: between letters a fill must spell a root; a cut-off start must be listed
    ("пи...ц а не агентство", "ru", {"obscenity"}, set()),
    ("х..ня полная, переделайте", "ru", {"obscenity"}, set()),
    ("бл... опять не тот шрифт", "ru", {"obscenity"}, set()),
    ("ху… знает, что им надо", "ru", {"obscenity"}, set()),
    ("ну... ладно, на... потом решим, по... в общем жду", "ru", set(), {"obscenity"}),
    ("да...нет, наверное, пусть будет синий", "ru", set(), {"obscenity"}),
    ("это пп…посмотрю завтра", "ru", set(), {"obscenity"}),
    # letters spelled out with separators: dots (tokens of their own), "-"/"_" (one token)
    ("ну п.и.з.д.е.ц, я только открыл отчёт", "ru", {"obscenity"}, set()),
    ("п. и. з. д. е. ц, а не макет", "ru", {"obscenity"}, set()),
    ("x.y.й вам, а не оплата", "ru", {"obscenity"}, set()),  # Latin look-alikes in the run
    ("б-л-я, опять переделывать", "ru", {"obscenity"}, set()),
    ("ё.б.а.н.ы.й сайт", "ru", {"obscenity"}, set()),
    ("п_и_з_д_е_ц", "ru", {"obscenity"}, set()),
    ("просто пиzдец", "ru", {"obscenity"}, set()),  # "z" for "з" inside a Cyrillic word
    ("да бл€, опять курьер опоздал", "ru", {"obscenity"}, set()),  # "€" for "я"
    ("бюджет 500€ в месяц, цена 100 € за пост", "ru", set(), {"obscenity"}),  # a real euro sign
    ("т.е. мы договорились, ф.и.о. директора и т.д. пришлю, п.с. жду", "ru", set(), {"obscenity"}),
    ("пункты а. б. в. согласованы", "ru", set(), {"obscenity"}),
    ("Zаказ готов?", "ru", set(), {"obscenity"}),
    ("s.h.i.t, the file is gone", "en", {"obscenity"}, set()),
    ("f-u-c-k this deadline", "en", {"obscenity"}, set()),
    ("I.T.A. and U.S.A. teams, e.g. the A-B-C test", "en", set(), {"obscenity"}),
    ("употреблять скипидар оскорблять хлеб застрахуйте сукно рубля команда", "ru", set(), {"obscenity"}),
    ("блин, капец, ёлки, заколебали", "ru", set(), {"obscenity"}),
    ("мой племянник говорит, что рилсы никто не смотрит", "ru", {"expertise_dismissal"}, set()),
    ("созвонимся прямо сейчас, наберите меня", "ru", {"meeting_pressure"}, set()),
    ("заодно сделайте сайт, это же мелочь", "ru", {"scope_creep"}, set()),
    ("не задавайте вопросов, просто сделайте", "ru", {"stonewalling"}, set()),
    ("я передумал, верните как было", "ru", {"indecision"}, set()),
    ("напишу про вас отзыв везде", "ru", {"manipulation"}, set()),
    ("гарантируйте +100 тысяч подписчиков за месяц", "ru", {"unrealistic_expectations"}, set()),
    ("What the f*ck is this", "en", {"obscenity"}, set()),
    ("what a clusterfuck this launch is", "en", {"obscenity"}, set()),  # a compound
    ("the clusters of posts look off, mind the font", "en", set(), {"obscenity"}),
    ("Can you assess the Scunthorpe cocktail menu post for Essex?", "en", set(), {"obscenity"}),
    ("We'll pay next month, money hasn't come in yet", "en", {"payment_delay"}, set()),
    ("Paid today, receipt attached", "en", set(), {"payment_delay"}),
    ("Too expensive. Others do it for half", "en", {"discount_request"}, set()),
    ("Let's skip the contract, a handshake is enough", "en", {"contract_avoidance"}, set()),
    ("Changed my mind, go back to the old logo", "en", {"indecision"}, set()),
    ("Thanks, looks great!", "en", set(), set(SIGNALS)),
    ("Спасибо, всё отлично!", "ru", set(), set(SIGNALS)),
    ("ты лучший", "ru", set(), {"insult"}),  # praise: the models' weak insult is damped
    ("ты лучший идиот в мире", "ru", {"insult"}, set()),
]


@pytest.mark.parametrize(("text", "lang", "must", "must_not"), CASES)
def test_case(text: str, lang: str, must: set[str], must_not: set[str]) -> None:
    a = analyze_text(text, lang)
    assert must <= set(a.labels), (text, a.labels)
    assert not (must_not & set(a.labels)), (text, a.labels)


def test_offsets_map_back_to_original() -> None:
    text = "Срочноооо!!! Бл@ть, ОПЛАТИМ\u200b на следующей неделе, xуйня"
    a = analyze_text(text)
    assert a.labels
    for spans in a.evidence.values():
        for ev in spans:
            assert 0 <= ev.start < ev.end <= len(text)
            assert text[ev.start : ev.end].strip() == text[ev.start : ev.end]
    n = normalize(text)
    assert len(n.starts) == len(n.text) == len(n.ends)
    assert "ё" not in normalize("Ёлки").text


def test_euro_sign_disguise_maps_back() -> None:
    """"€" stands for "я" only inside a Cyrillic word; the evidence is the original word."""
    text = "Да бл€, опять 100€ и 50 € за пост"
    assert normalize(text).text == "да бля, опять 100€ и 50 € за пост"
    spans = analyze_text(text).evidence["obscenity"]
    assert [text[e.start : e.end] for e in spans] == ["бл€"]


def test_language_detection_and_batch() -> None:
    res = analyze_texts(["оплатим потом", "we will pay later"])
    assert [r.lang for r in res] == ["ru", "en"]
    assert set(res[0].scores) == set(SIGNALS)


def test_rule_files_use_taxonomy_ids() -> None:
    for lang in ("ru", "en"):
        for path, data in load_rule_files(lang):
            assert data["signal"] in SIGNALS, path
        rs = load_ruleset(lang)
        assert rs.rules
        for r in rs.rules:
            assert r.id.split(".")[1] in SIGNALS
            assert r.id.startswith(f"{lang}.")
    assert (RULES_DIR / "mat.yaml").is_file()


def test_signals_cli_jsonl_shape(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text(
        json.dumps({"id": "a", "text": "дорого, скидку дайте"}, ensure_ascii=False)
        + "\n"
        + json.dumps({"id": 2, "text": "Thanks!", "lang": "en"})
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    r = CliRunner().invoke(build_app(), ["signals", "--in", str(inp), "--out", str(out)])
    assert r.exit_code == 0, r.output
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    for rec in lines:
        assert set(rec) == {"id", "labels", "scores", "evidence"}
        assert set(rec["scores"]) == set(SIGNALS)
        for spans in rec["evidence"].values():
            for s, e, rule in spans:
                assert isinstance(s, int) and isinstance(e, int) and isinstance(rule, str)
    assert "discount_request" in lines[0]["labels"]


def test_signals_cli_malformed_line(tmp_path: Path) -> None:
    inp = tmp_path / "bad.jsonl"
    inp.write_text('{"id": 1, "text": "ok"}\n{broken\n', encoding="utf-8")
    r = CliRunner().invoke(build_app(), ["signals", "--in", str(inp), "--out", str(tmp_path / "o.jsonl")])
    assert r.exit_code != 0
    assert "line 2" in str(r.exception)


def test_eval_cli_tiny(tmp_path: Path) -> None:
    p = tmp_path / "lab.jsonl"
    rows = [
        {"id": "1", "lang": "ru", "text": "оплатим через месяц, денег нет", "labels": ["payment_delay"]},
        {"id": "2", "lang": "ru", "text": "Спасибо, пост отличный", "labels": []},
        {"id": "3", "lang": "en", "text": "Too expensive, a discount?", "labels": ["discount_request"]},
    ]
    p.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    r = CliRunner().invoke(build_app(), ["eval", "signals", str(p), "--json"])
    assert r.exit_code == 0, r.output
    rep = json.loads(r.output)
    assert rep["macro_f1"] == 1.0
    assert rep["neutral_fp_rate"] == 0.0


FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nlp"
# Floors we actually reach minus a small margin (regression guard; bench/bench_signals.py
# prints the current numbers). Dev is IN-SAMPLE: rules were written looking at dev and the
# statistical layer is trained on it, so the rules-only floor is the meaningful guard there.
DEV_FLOOR = {"ru": 0.85, "en": 0.85}
DEV_RULES_FLOOR = {"ru": 0.68, "en": 0.80}
HOLDOUT_FLOOR = {"ru": 0.80, "en": 0.78}


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_dev_macro_f1_floor(shared_dir: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    path = shared_dir / "data" / "signals" / "dev" / f"messages_{lang}.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} missing")
    recs = read_labelled(path)
    rep = evaluate_records(recs)
    assert rep.macro_f1 >= DEV_FLOOR[lang]
    assert rep.per_signal["obscenity"].f1 >= 0.9
    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")
    rules_only = evaluate_records(recs)
    assert rules_only.macro_f1 >= DEV_RULES_FLOOR[lang]
    assert rules_only.neutral_fp_rate <= 0.07


@pytest.mark.parametrize("lang", ["ru", "en"])
def test_holdout_macro_f1_floor(lang: str) -> None:
    path = FIXTURES / f"holdout_{lang}.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} missing")
    rep = evaluate_records(read_labelled(path))
    assert rep.macro_f1 >= HOLDOUT_FLOOR[lang]
    assert rep.neutral_fp_rate <= 0.08


def test_check_explain_shows_rules_and_raw_to_calibrated_scores() -> None:
    r = CliRunner().invoke(build_app(), ["check", "Оплатим в следующем месяце, денег пока нет", "--explain"],
                           env={"CLIENTGUARD_LANG": "en"})
    assert r.exit_code == 0, r.output
    assert "payment_delay" in r.output and "fired rules" in r.output
    line = next(x for x in r.output.splitlines() if x.startswith("raw → calibrated:"))
    raw, shown = (float(v) for v in line.split("payment_delay ")[1].split(",")[0].split(" → "))
    assert raw >= 0.5 and shown >= 0.5  # the threshold is the same on both sides of the map


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("за 30к в месяц", "за 30к в месяц"),  # a sum glued to its unit stays a sum
        ("бюджет 60тыс, максимум 100к", "бюджет 60тыс, максимум 100к"),
        ("к 10му числу, 3шт", "к 10му числу, 3шт"),
        ("пр0сто", "просто"),  # digits inside a word are still look-alikes
        ("3аебали", "заебали"),
        ("6ля", "бля"),
    ],
)
def test_numbers_with_units_are_not_lookalikes(text: str, want: str) -> None:
    from clientguard.nlp.normalize import normalize

    assert normalize(text).text == want


@pytest.mark.parametrize("text", ["давайте за 30к", "а если за 60к?", "ну 30к это много"])
def test_sum_with_unit_reaches_the_money_rules(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before the fix "за 30к" was read as "за зок" and the counter-offer was invisible."""
    from clientguard.nlp.api import analyze_text

    monkeypatch.setenv("CLIENTGUARD_NLP_LAYERS", "rules")
    assert "discount_request" in analyze_text(text, "ru").labels
