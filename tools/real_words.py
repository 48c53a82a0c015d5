"""Write checker/data/real_words.txt: English words the speller must not read as typos.

The speller (checker/text/words.py) reads a long word one letter away from a vocabulary word as
that word, so "authentcation" still matches. A real word one letter away is no typo: "content" is
not "consent", "wording" not "working", "treated" not "created" (one that differs only by its
ending, "suggestion" for "suggestions", is still read as that word). This lists every such word, from
two public word lists (the english-words package, a pinned development dependency) and their
regular inflections, so the checker itself needs no dictionary.

    python tools/real_words.py          rewrite the file (after the vocabulary changes)
    python tools/real_words.py --check  exit 1 when the file is out of date (tests run this)
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "checker" / "data" / "real_words.txt"
HEADER = "# English words one letter away from a word of the checker's vocabulary: never corrected.\n# Made by tools/real_words.py; rerun it when findings.toml's phrases change.\n"


def dictionary() -> set[str]:
    from english_words import get_english_words_set

    base = get_english_words_set(["web2", "gcide"], alpha=True, lower=True)
    words = set(base)
    for w in base:  # the word lists hold base forms: add regular plurals, past tenses, -ing forms
        words.update(_inflections(w))
    return words


def _inflections(w: str) -> tuple[str, ...]:
    if len(w) > 2 and w.endswith("y") and w[-2] not in "aeiou":
        return (w[:-1] + "ies", w[:-1] + "ied", w + "ing")
    plural = w + "es" if w.endswith(("s", "x", "z", "ch", "sh")) else w + "s"
    if w.endswith("e") and not w.endswith("ee"):
        return (plural, w + "d", w[:-1] + "ing")
    return (plural, w + "ed", w + "ing")


def generate() -> str:
    from checker.text.engine import _compiled
    from checker.text.words import Speller

    known = _compiled()[4].known
    speller = Speller(known)  # without the list it is making
    # A word one ending away ("suggestion", "suggestions") means the same: reading it so is right.
    real = sorted(w for w in dictionary() if (c := speller.correct(w)) and not (c.startswith(w) or w.startswith(c)))
    return HEADER + "".join(w + "\n" for w in real)


def main() -> int:
    text = generate()
    if "--check" in sys.argv:
        if OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT.relative_to(ROOT)} is out of date: run python tools/real_words.py", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {text.count(chr(10)) - 2} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
