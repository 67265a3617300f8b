"""Check and extend the mat root list (``rules/mat.yaml``) against a large lexicon.

We do not ship the 3.7 MB inflected lexicon (rudetoxifier, MIT); instead this script
measures how much of it the compact root regexes cover and prints the most frequent
uncovered stems (after stripping verbal prefixes), which is how the roots were
extended.  It also runs the roots over a list of innocent words (our guard list plus
any text files given with ``--innocent``) and prints every collision.

    LEX=../shared/data/toxicity/ru_obscene_lexicon_rudetoxifier
    python -m clientguard.nlp.derive_mat_roots --lexicon $LEX/MAT_FINAL_with_unigram_inflections.txt
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import regex

from clientguard.nlp.obscenity import lexicon, match_word

_PREFIX = regex.compile(
    r"^(?:на|по|о|об|ни|до|за|от|вы|при|раз|рас|у|под|пере|недо|с|из|въ|съ|объ|отъ|подъ|разъ)"
)
GUARD_WORDS = (
    "употреблять оскорблять скипидар хлеб застрахуйте сукно рубля команда колебания мандарин "
    "мандариновый хулахуп хулиган требовать себе ребенок небо учебный гребень потребитель "
    "страхуй херсон херес ниже подобно бляха колебаться корабля дебют"
)
GUARDS = GUARD_WORDS.split()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--lexicon", type=Path, required=True)
    ap.add_argument("--innocent", type=Path, nargs="*", default=[])
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()

    words = [w.strip().lower().replace("ё", "е") for w in args.lexicon.read_text(encoding="utf-8").split()]
    words = [w for w in words if w.isalpha()]
    covered = [w for w in words if match_word(w)]
    share = len(covered) / len(words)
    print(f"lexicon forms: {len(words)}; covered by {len(lexicon().ru)} roots: {share:.1%}")
    stems: Counter[str] = Counter()
    for w in words:
        if not match_word(w):
            stems[_PREFIX.sub("", w)[:4]] += 1
    print("most frequent uncovered stems (candidates for new roots; review by hand):")
    for stem, n in stems.most_common(args.top):
        print(f"  {stem}\t{n}")
    innocent = list(GUARDS)
    for p in args.innocent:
        innocent.extend(regex.findall(r"[а-яё]+", p.read_text(encoding="utf-8").lower()))
    hits = sorted({w for w in innocent if match_word(w.replace("ё", "е"))})
    print(f"collisions with {len(set(innocent))} innocent words: {hits or 'none'}")


if __name__ == "__main__":
    main()
