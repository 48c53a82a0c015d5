"""Match the knowledge base's phrases against the words of a text.

Text and phrases are cut into words the same way (letters and digits; everything else separates
words), so "two-factor", "two factor" and "Two_Factor" are the same phrase, and "can't" matches
"can t". A phrase word ending in "*" matches any word it starts ("expir*": "expired", "expires").
A long word one letter away from a vocabulary word (added, dropped, changed or swapped) is read
as that word, so "authentcation" and "detials" still match. Host names in URLs are not words:
"service.powerapps.com" says nothing about what the user sees.
"""
from __future__ import annotations

import bisect
import re
from collections import namedtuple

from .normalize import fold

_WORD = re.compile(r"[^\W_]+")
_URL_HOST = re.compile(r"https?://[\w.-]+")
# Where a sentence ends: a full stop, question mark or exclamation mark before a space,
# or a blank line; not an ellipsis, nor a single newline (pastes wrap lines). One character, then
# one run: linear.
_SENTENCE_END = re.compile(r"(?<!\.)[.!?]\s|\n[ \t]*\n")
# A hyphen where a line was wrapped: "inac-\n  tivity". Starts with a fixed character and takes
# one run of each kind, so it is linear.
_WRAP = re.compile(r"-[ \t]*\r?\n[ \t>]*")
TYPO_MIN_LEN = 7  # shorter words have too many neighbours to correct safely
MAX_TYPO_CANDIDATES = 5000  # distinct unknown words looked at per text
MAX_UNWRAPS = 2000  # hyphenated line wraps looked at per text (a message has a few)
# Contractions typed without the apostrophe read as with it: "cant" is "can't" is "can t".
_CONTRACTIONS = {
    w + "t": (w, "t")
    for w in ("can", "don", "doesn", "won", "isn", "aren", "couldn", "wasn", "weren", "haven",
              "hasn", "hadn", "didn", "shouldn", "wouldn")
}


# source: as written in the knowledge base; words: the words to match ("expir*" is a prefix)
Phrase = namedtuple("Phrase", "source words")


def compile_phrase(source: str) -> Phrase:
    words = []
    for raw in source.split():
        star = raw.endswith("*")
        parts = _WORD.findall(fold(raw))
        if star and parts:
            parts[-1] += "*"
        words.extend(parts)
    return Phrase(source, tuple(words))


def _unwrap(text: str, known) -> str:
    """Join words hyphenated where a line was wrapped ("inac-\ntivity" is "inactivity"), but keep
    a compound whose halves are both words we know ("multi-\nfactor" stays "multi factor")."""
    out, last = [], 0
    for n, m in enumerate(_WRAP.finditer(text)):
        if n >= MAX_UNWRAPS:
            break
        i, j = m.start(), m.end()
        start = i
        while start > last and text[start - 1].isalnum():
            start -= 1
        end = j
        while end < len(text) and text[end].isalnum():
            end += 1
        before, after = text[start:i], text[j:end]
        if before and after and not (before in known and after in known):
            out.append(text[last:i])
            last = j
    out.append(text[last:])
    return "".join(out)


def _deletes(word: str):
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Speller:
    """Reads a misspelt word as the vocabulary word one edit away (symmetric deletions)."""

    def __init__(self, vocabulary: set[str]):
        self.known = vocabulary
        self.longest = max(map(len, vocabulary), default=0)
        self.by_delete: dict[str, str | None] = {}  # None: two vocabulary words share it
        for word in vocabulary:
            if len(word) >= TYPO_MIN_LEN and word.isalpha():
                for variant in _deletes(word):
                    seen = self.by_delete.get(variant, word)
                    self.by_delete[variant] = word if seen == word else None

    def correct(self, word: str) -> str | None:
        # A word more than one letter longer than every vocabulary word cannot be one edit away
        # (and its deletions would cost memory in the square of its length).
        if word in self.known or not TYPO_MIN_LEN - 1 <= len(word) <= self.longest + 1 or not word.isalpha():
            return None
        hit = self.by_delete.get(word)  # a letter dropped
        if hit:
            return hit
        for variant in _deletes(word):
            if len(variant) >= TYPO_MIN_LEN and variant in self.known:
                return variant  # a letter added
            hit = self.by_delete.get(variant)  # a letter changed, or two swapped
            if hit:
                return hit
        return None


class Words:
    """The words of one text, indexed for phrase lookups."""

    def __init__(self, text: str, speller: Speller | None = None):
        folded = fold(text)
        if "://" in folded:
            folded = _URL_HOST.sub(" ", folded)
        if speller and "-" in folded and "\n" in folded:
            folded = _unwrap(folded, speller.known)
        self.words: list[str] = []
        self.sentence_starts: list[int] = []  # the index of each sentence's first word
        for sentence in _SENTENCE_END.split(folded):
            self.sentence_starts.append(len(self.words))
            self.words.extend(_WORD.findall(sentence))
        if not _CONTRACTIONS.keys().isdisjoint(self.words):
            self._expand_contractions()
        if speller:
            self._correct(speller)
        self.positions: dict[str, list[int]] = {}
        for i, w in enumerate(self.words):
            self.positions.setdefault(w, []).append(i)
        self._prefix_cache: dict[str, list[int]] = {}
        self._sorted: list[str] | None = None  # distinct words, sorted, built on first prefix lookup
        self.masked: set[int] = set()  # word positions that phrase lookups skip
        self._found: dict[Phrase, str | None] = {}  # find's answers so far

    def _expand_contractions(self) -> None:
        words, starts, k = [], [], 0
        for i, w in enumerate(self.words):
            while k < len(self.sentence_starts) and self.sentence_starts[k] == i:
                starts.append(len(words))
                k += 1
            words.extend(_CONTRACTIONS.get(w, (w,)))
        starts.extend(len(words) for _ in range(k, len(self.sentence_starts)))
        self.words, self.sentence_starts = words, starts

    def _correct(self, speller: Speller) -> None:
        fixes = {}
        for word in list(dict.fromkeys(self.words))[:MAX_TYPO_CANDIDATES]:
            fixed = speller.correct(word)
            if fixed:
                fixes[word] = fixed
        if fixes:
            self.words = [fixes.get(w, w) for w in self.words]

    def mask(self, phrase: Phrase) -> None:
        """Hide every occurrence of `phrase` from later lookups (for boilerplate sentences)."""
        for start in self._occurrences(phrase):
            self.masked.update(range(start, start + len(phrase.words)))
        self._found.clear()

    def _starts(self, word: str) -> list[int]:
        if not word.endswith("*"):
            return self.positions.get(word, [])
        cached = self._prefix_cache.get(word)
        if cached is None:
            # Words sharing a prefix sit together in sorted order: bisect to them instead of
            # scanning every distinct word for every prefix.
            if self._sorted is None:
                self._sorted = sorted(self.positions)
            stem = word[:-1]
            hits = []
            i = bisect.bisect_left(self._sorted, stem)
            while i < len(self._sorted) and self._sorted[i].startswith(stem):
                hits.extend(self.positions[self._sorted[i]])
                i += 1
            cached = sorted(hits)
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
        positions = self.positions
        # Most phrases miss: a whole word the text lacks rules one out before any counting.
        for w in words:
            if w not in positions and not w.endswith("*"):
                return
        if len(words) == 1:
            yield from self._starts(words[0])
            return
        # Anchor on the rarest word, so a phrase costs at most its rarest word's count of checks.
        anchor = min(range(len(words)), key=lambda k: len(self._starts(words[k])))
        for pos in self._starts(words[anchor]):
            start = pos - anchor
            if start >= 0 and all(self._word_at(start + k, w) for k, w in enumerate(words)):
                yield start

    def find_together(self, groups) -> list[str] | None:
        """One phrase of every group, all within one sentence: their words (as `find` gives
        them), or None. Skips masked words."""
        if len(groups) == 1:
            for phrase in groups[0]:
                hit = self.find(phrase)
                if hit:
                    return [hit]
            return None
        common = None
        per_group = []
        for group in groups:
            by_sentence: dict[int, str] = {}
            for phrase in group:
                n = len(phrase.words)
                for start in self._occurrences(phrase):
                    if self.masked and not self.masked.isdisjoint(range(start, start + n)):
                        continue
                    sentence = bisect.bisect_right(self.sentence_starts, start) - 1
                    by_sentence.setdefault(sentence, " ".join(self.words[start : start + n]))
            common = set(by_sentence) if common is None else common & by_sentence.keys()
            if not common:
                return None
            per_group.append(by_sentence)
        first = min(common)
        return [hits[first] for hits in per_group]

    def find(self, phrase: Phrase) -> str | None:
        """The matched words as they read in the text (lower case), or None. Skips masked words."""
        # Word lists recur in many signals and facets: look each phrase up once per text.
        if phrase in self._found:
            return self._found[phrase]
        n = len(phrase.words)
        hit = None
        for start in self._occurrences(phrase):
            if not self.masked or self.masked.isdisjoint(range(start, start + n)):
                hit = " ".join(self.words[start : start + n])
                break
        self._found[phrase] = hit
        return hit
