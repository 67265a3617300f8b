"""The toxicity fast path (chunk cache, chained crc32, one-gather scoring) equals the general path.

``ToxicityModel.predict`` and ``_doc_ids`` are an optimisation of ``predict_general`` and
``_hashes(normalize(t))``, which training uses; any difference would silently change scores
relative to the evaluated model, so these tests compare them on texts chosen to reach every
branch: Russian, English, masked and disguised мат, spacing, stretching, Twitter handles
(underscores reach the mask code), HTML entities, emoji, odd whitespace, lone surrogates,
empty and very long texts, in single calls and in batches, with cold and warm caches.
"""

from __future__ import annotations

import random
import re
import unicodedata
import zlib

import pytest

from clientguard.nlp import toxicity as tx
from clientguard.nlp.toxicity import ToxicityModel

TEXTS = [
    "",
    " ",
    "\n\t \u00a0",
    "Добрый день! Пришлите, пожалуйста, контент-план на следующую неделю.",
    "Вы там совсем ох*ели? Третий день жду макет.",
    "х*йню вы сделали", "Х*Й", "п***ц", "пи**ец", "бл#дь", "сук%", "ху_ня",
    "ну ты и мyдак", "ты д0лб0ёб", "пи3дец", "Ёлки-палки, ёжик",
    "б л я т ь, где макет", "с у к а", "я и в шоке", "б.л.я", "а-б-в-г",
    "сууууука, опять", "ааааа!!!", "weakkkkkkkk lmaooo",
    "blyat nahui pidor", "suka blya", "hui", "xyu",
    "You are a fucking idiot", "f*ck you and your agency", "sh*t", "b*tch please", "a**hole",
    "Please send the invoice by Friday.", "The cocktail party starts at seven.",
    "@kingtunchi_: &#8220;@jaybeetrendz: this is bullshit&#8221; #idiotic http://t.co/7&#8230;",
    "@the_red_sea @_mckenzienoel RT &#128514;&#128514;&#128514;",
    "🙂", "ну ты 🤬🤬🤬 конечно", "👍👍 отлично 🙂", "emoji👍inside",
    "\ud83d lone surrogate", "кто-то", "привет,мир!!!", "___ ... --- a.b.c", "Σίσυφος ΣΑΣ",
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ", "ﬁnance", "soft\u00adhyphen zero\u200bwidth",
    "tab\tsep\x1cunit\x1dsep\x1e\x1f", "line\nbreaks\r\nand\x0bvt",
    "Mixed: привет hello мир world 123 4ever",
    "х у й", "n a h u i", "ё ё ё",
    "сука " * 400,
    "очень длинный текст без мата, " * 300,
    "x" * 5000,
    "😀" * 1000,
]

_VOCAB = tx._words("привет мир сука бля х*й п***ц мyдак д0лб0ёб ты вы макет счёт оплата срочно "
                   "fuck f*ck shit idiot hello world please invoice @user_1 #tag &#8230; 🙂 👍 "
                   "сууука ааа к-т-о б л я , . ! ? - _ 2024 x5 o0o")


def _random_texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seps = [" ", "  ", ", ", "\n", " - ", "\t", "", "."]
    return ["".join(rng.choice(_VOCAB) + rng.choice(seps) for _ in range(rng.randint(0, 40)))
            for _ in range(n)]


ALL = TEXTS + _random_texts(300, seed=7)


def _reference_normalize(text: str) -> str:
    """normalize() as it was before the fast path: every step on the whole text, no shortcuts."""
    t = unicodedata.normalize("NFKC", text)
    t = tx._INVISIBLE_RE.sub("", t).lower().replace("ё", "е")
    t = tx._SPACED_RE.sub(tx._join_spaced, t)
    t = tx._STRETCH_RE.sub(r"\1", t)
    return tx._TOKEN_RE.sub(lambda m: _reference_fix_word(m.group(0)), t)


def _reference_fix_word(tok: str) -> str:
    """_fix_word without its cache and without _fill_mask's early exit."""
    has_cyr = re.search("[а-яё]", tok) is not None
    if has_cyr:
        tok = tok.translate(tx._LOOKALIKE)
    elif tok in tx._TRANSLIT:
        return tx._TRANSLIT[tok]
    if any(c in tx._MASK_CHARS for c in tok):
        tok = tx._fill_mask(tok, tx._MASK_FORMS if has_cyr else tx._MASK_FORMS_EN)
    return tok


@pytest.fixture(scope="module")
def model() -> ToxicityModel:
    return ToxicityModel.load()


@pytest.mark.parametrize("warm", [False, True])
def test_doc_ids_equal_reference_ids(warm: bool) -> None:
    tx.clear_feature_cache()
    if warm:
        for t in ALL:
            tx._doc_ids(t)
    for t in ALL:
        assert sorted(tx._doc_ids(t)) == sorted(tx._hashes(tx.normalize(t))), t[:60]


def test_normalize_equals_reference() -> None:
    tx.clear_feature_cache()
    for t in ALL:
        assert tx.normalize(t) == _reference_normalize(t), t[:60]


def test_fast_fixes_and_char_ids_equal_reference() -> None:
    chunks = {c for t in ALL for c in tx._prenormalize(t).split()}
    chunks |= {"@maxin_betha", "х__й", "f__k", "п#зда", "%", "_", "*х*", "хуй_", "_бля_"}
    for c in sorted(chunks):
        assert tx._fix_chunk_fast(c) == tx._fix_chunk(c), c
        assert tx._char_ids_chained(c) == tx._char_ids(c), c
        core = c.strip(tx._MASK_CHARS)
        for forms in (tx._MASK_FORMS, tx._MASK_FORMS_EN):
            assert tx._fill_mask(c, forms, tx._affixes(forms)) == tx._fill_mask(c, forms), (c, core)


def test_vectorised_char_ids_equal_reference() -> None:
    pieces = sorted({tx._fix_chunk(c) for t in ALL for c in tx._prenormalize(t).split()})
    pieces += ["a", "ab", "😀" * 7, "\ud83d", "中文字", "“quote”", "x" * 300]
    for group in [pieces, *([p] for p in pieces[:50]), ["a", "b"], ["я"]]:
        ids, ends = tx._char_ids_many(group)
        starts = [0, *ends.tolist()[:-1]]
        for p, a, b in zip(group, starts, ends.tolist(), strict=True):
            assert ids[a:b].tolist() == tx._char_ids(p).tolist(), p


def test_crc32_is_affine_as_the_batch_path_assumes() -> None:
    rng = random.Random(3)
    for ch in ["a", "я", "€", "😀", "\ud83d"]:
        b = ch.encode("utf-8", "surrogatepass")
        for v in [0, 1, 0xFFFFFFFF, *(rng.getrandbits(32) for _ in range(20))]:
            shifted = 0
            for j in range(4):
                shifted ^= int(tx._CRC_SHIFT[(len(b) - 1) * 1024 + j * 256 + ((v >> (8 * j)) & 255)])
            assert zlib.crc32(b, v) == shifted ^ zlib.crc32(b)


def test_predict_equals_general_path_bit_for_bit(model: ToxicityModel) -> None:
    tx.clear_feature_cache()
    general = model.predict_general(ALL)
    assert model.predict(ALL) == general  # one big batch: new chunks go through _char_ids_many
    tx.clear_feature_cache()
    batched = [p for i in range(0, len(ALL), 64) for p in model.predict(ALL[i:i + 64])]
    assert batched == general
    tx.clear_feature_cache()
    assert [model.predict([t])[0] for t in ALL] == general  # one text per call (cold, then warm)
    assert [model.predict([t])[0] for t in ALL] == general
    assert model.predict(["", ""]) == model.predict_general(["", ""])
    assert model.predict([]) == []
    with pytest.raises(TypeError):
        model.predict("одна строка")


def test_score_table_is_shared_not_copied(model: ToxicityModel) -> None:
    assert tx._score_table(model.idf, model._coef) is model._table
    assert model._coef.shape == (len(model.heads), tx._N_FEATURES)
