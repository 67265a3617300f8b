"""Toxicity model: loading, ranges, ranking, false-positive traps, checksum guard, training smoke.

One-line cases, RU and EN, with hard negatives (house style 15). The trap words are the usual
substring false positives of word-list filters; a client who writes them is not toxic.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from clientguard.errors import ModelError
from clientguard.nlp import toxicity as tx
from clientguard.nlp.toxicity import LABELS, MODEL_VERSION, ToxicityModel, normalize

TOXIC = [
    "Вы там совсем охуели? Третий день жду макет.",
    "ты тупой идиот, переделывай",
    "пиздец, опять всё переделывать",
    "х*йню вы сделали",                # masked
    "ну ты и мyдак",                   # Latin look-alike
    "б л я т ь, где макет",            # spaced
    "сууууука, опять",                 # stretched
    "ты д0лб0ёб",                      # digits for letters
    "You are a fucking idiot",
    "this is bullshit, you morons",
    "f*ck you and your agency",
]
NEUTRAL = [
    "Добрый день! Пришлите, пожалуйста, контент-план на следующую неделю.",
    "Спасибо, всё отлично, оплату переведу завтра.",
    "Когда будет готов макет баннера?",
    "Please send the invoice by Friday.",
    "Thanks, the new logo looks great.",
]
TRAPS = [
    "Употреблять до 12.05, храните в холоде.",
    "Скипидар для обработки поверхности.",
    "Просим не оскорблять сотрудников поддержки.",
    "Купите, пожалуйста, хлеб к встрече.",
    "Застрахуйте груз, пожалуйста.",
    "Образцы из сукна пришлём завтра.",
    "Скидка 300 рубля на второй заказ.",
    "Our office is in Scunthorpe.",
    "Please assess the draft by Monday.",
    "The cocktail party starts at seven.",
]


@pytest.fixture(scope="module")
def model() -> ToxicityModel:
    return ToxicityModel.load()


def test_load_is_cached_and_versioned(model: ToxicityModel) -> None:
    assert ToxicityModel.load() is model
    assert model.version == MODEL_VERSION
    assert model.meta["sha256"] == tx.sha256_file(tx.DEFAULT_DIR / tx.ARTIFACT_NAME)


def test_predict_keys_and_range(model: ToxicityModel) -> None:
    out = model.predict([*TOXIC, *NEUTRAL, "", "   ", "🙂"])
    assert len(out) == len(TOXIC) + len(NEUTRAL) + 3
    for scores in out:
        assert set(scores) == set(LABELS)
        assert all(0.0 <= v <= 1.0 for v in scores.values())
    assert model.predict([]) == []


def test_predict_rejects_a_bare_string(model: ToxicityModel) -> None:
    with pytest.raises(TypeError):
        model.predict("одна строка")


@pytest.mark.parametrize("text", TOXIC)
def test_toxic_ranks_above_every_neutral(model: ToxicityModel, text: str) -> None:
    tox = model.predict([text])[0]["toxic"]
    assert tox >= 0.5, text
    assert tox > max(p["toxic"] for p in model.predict(NEUTRAL))


@pytest.mark.parametrize("text", TRAPS)
def test_false_positive_traps_do_not_fire(model: ToxicityModel, text: str) -> None:
    scores = model.predict([text])[0]
    assert scores["toxic"] < 0.5, (text, scores)
    assert scores["obscenity"] < 0.5, (text, scores)


@pytest.mark.parametrize("text", ["х*йню вы сделали", "пиздец", "f*ck you"])
def test_obscenity_head_fires_on_mat(model: ToxicityModel, text: str) -> None:
    assert model.predict([text])[0]["obscenity"] >= 0.5


def test_threat_head(model: ToxicityModel) -> None:
    threat, neutral = model.predict(["Я тебя найду и убью", "Пришлите счёт до пятницы"])
    assert threat["threat"] >= 0.5 > neutral["threat"]


@pytest.mark.parametrize(("raw", "norm"), [
    ("Х*Й", "хуй"), ("п***ц", "пиздец"), ("б л я", "бля"), ("сууука", "сука"), ("xуй", "хуй"),
    ("пи3дец", "пиздец"), ("blyat", "блять"), ("f*ck", "fuck"), ("я и в шоке", "я и в шоке"),
    ("cocktail", "cocktail"), ("кто-то", "кто-то"),
])
def test_normalize(raw: str, norm: str) -> None:
    assert normalize(raw) == norm


def _copy_model(dst: Path) -> Path:
    for name in (tx.META_NAME, tx.ARTIFACT_NAME):
        shutil.copy(tx.DEFAULT_DIR / name, dst / name)
    return dst


def test_checksum_mismatch_raises(tmp_path: Path) -> None:
    d = _copy_model(tmp_path)
    meta = json.loads((d / tx.META_NAME).read_text(encoding="utf-8"))
    meta["sha256"] = "0" * 64
    (d / tx.META_NAME).write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelError, match="checksum"):
        ToxicityModel.load(d)


def test_missing_artifact_and_wrong_version_raise(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not found"):
        ToxicityModel.load(tmp_path)
    d = _copy_model(tmp_path)
    (d / tx.ARTIFACT_NAME).unlink()
    with pytest.raises(ModelError, match="not found"):
        ToxicityModel.load(d)
    meta = json.loads((d / tx.META_NAME).read_text(encoding="utf-8"))
    meta["version"] = "toxicity.v0"
    (d / tx.META_NAME).write_text(json.dumps(meta), encoding="utf-8")
    ToxicityModel.clear_cache()
    with pytest.raises(ModelError, match="version"):
        ToxicityModel.load(d)


def test_a_broken_model_file_is_said_in_the_interface_language(tmp_path: Path) -> None:
    """A broken install's model error (E500) reads in Russian too; the English is as it was."""
    with pytest.raises(ModelError) as caught:
        ToxicityModel.load(tmp_path)
    meta_path = tmp_path / tx.META_NAME
    en = f"toxicity model metadata not found: expected {meta_path}; rebuild with `make train`"
    assert caught.value.message == en
    assert caught.value.text("ru") == (f"нет описания модели токсичности: ожидался файл {meta_path}; "
                                       "соберите модель заново: make train")  # fmt: skip
    d = _copy_model(tmp_path)
    meta = json.loads((d / tx.META_NAME).read_text(encoding="utf-8"))
    meta["version"] = "toxicity.v0"
    (d / tx.META_NAME).write_text(json.dumps(meta), encoding="utf-8")
    ToxicityModel.clear_cache()
    with pytest.raises(ModelError) as caught:
        ToxicityModel.load(d)
    assert caught.value.message == f"toxicity model version: expected {MODEL_VERSION}, got 'toxicity.v0'"
    ru = f"версия модели токсичности: нужна {MODEL_VERSION}, а в файле «toxicity.v0»"
    assert caught.value.text("ru") == ru


def test_train_smoke_on_tiny_csv(tmp_path: Path) -> None:
    """The training entry point end to end on a generated CSV: train, load, predict."""
    from clientguard.nlp import train_toxicity

    csv_path = tmp_path / "tiny.csv"
    bad = ["ты идиот", "вы тупые", "пошел нахуй", "what an idiot", "сука", "убью тебя"]
    good = ["добрый день", "спасибо большое", "пришлите счёт", "thanks a lot", "макет готов", "до завтра"]
    with csv_path.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["text", "toxic"])
        for i in range(10):
            w.writerows([(f"{t} {i}", 1) for t in bad] + [(f"{t} {i}", 0) for t in good])
    out = tmp_path / "models"
    assert train_toxicity.main(["--train-csv", str(csv_path), "--out", str(out)]) == 0
    m = ToxicityModel.load(out)
    hi, lo = m.predict(["ты идиот 99", "спасибо большое 99"])
    assert hi["toxic"] > lo["toxic"]
    assert set(hi) == set(LABELS)
