"""Match the knowledge base's phrases against the words of a text.

Text and phrases are cut into words the same way (letters and digits; everything else separates
words), so "two-factor", "two factor" and "Two_Factor" are the same phrase, and "can't" matches
"can t". A phrase word ending in "*" matches any word it starts ("expir*": "expired", "expires").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import fold

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Phrase:
    source: str  # as written in the knowledge base
    words: tuple[str, ...]  # a word ending in "*" is a prefix


def compile_phrase(source: str) -> Phrase:
    words = []
    for raw in source.split():
        star = raw.endswith("*")
        parts = _WORD.findall(fold(raw))
        if star and parts:
            parts[-1] += "*"
        words.extend(parts)
    return Phrase(source, tuple(words))


class Words:
    """The words of one text, indexed for phrase lookups."""

    def __init__(self, text: str):
        folded = fold(text)
        self.words: list[str] = _WORD.findall(folded)
        self.positions: dict[str, list[int]] = {}
        for i, w in enumerate(self.words):
            self.positions.setdefault(w, []).append(i)
        self._prefix_cache: dict[str, list[int]] = {}
        self.masked: set[int] = set()  # word positions that phrase lookups skip

    def mask(self, phrase: Phrase) -> None:
        """Hide every occurrence of `phrase` from later lookups (for boilerplate sentences)."""
        for start in self._occurrences(phrase):
            self.masked.update(range(start, start + len(phrase.words)))

    def _starts(self, word: str) -> list[int]:
        if not word.endswith("*"):
            return self.positions.get(word, [])
        cached = self._prefix_cache.get(word)
        if cached is None:
            stem = word[:-1]
            cached = sorted(p for w, ps in self.positions.items() if w.startswith(stem) for p in ps)
            self._prefix_cache[word] = cached
        return cached

    def _word_at(self, i: int, word: str) -> bool:
        if i >= len(self.words):
            return False
        if word.endswith("*"):
            return self.words[i].startswith(word[:-1])
        return self.words[i] == word

    def _occurrences(self, phrase: Phrase):
        words = phrase.words
        if not words:
            return
        # Anchor on the rarest word, so a phrase costs at most its rarest word's count of checks.
        anchor = min(range(len(words)), key=lambda k: len(self._starts(words[k])))
        for pos in self._starts(words[anchor]):
            start = pos - anchor
            if start >= 0 and all(self._word_at(start + k, w) for k, w in enumerate(words)):
                yield start

    def find(self, phrase: Phrase) -> str | None:
        """The matched words as they read in the text (lower case), or None. Skips masked words."""
        n = len(phrase.words)
        for start in self._occurrences(phrase):
            if not self.masked or self.masked.isdisjoint(range(start, start + n)):
                return " ".join(self.words[start : start + n])
        return None
