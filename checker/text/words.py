"""Match the knowledge base's phrases against the words of a text.

Text and phrases are cut into words the same way (letters and digits; everything else separates
words), so "two-factor", "two factor" and "Two_Factor" are the same phrase, and "can't" matches
"can t". A phrase word ending in "*" matches any word it starts ("expir*": "expired", "expires"); a "?"
matches any one word ("new ? connection").
A long word one letter away from a vocabulary word (added, dropped, changed or swapped) is read
as that word, so "authentcation" and "detials" still match. Host names in URLs are not words:
"service.powerapps.com" says nothing about what the user sees. A lookup can ask for affirmed words
only: a phrase right after "no" or "not" (and their translations), or said to be off right after
it, is denied ("no password changes", "remember MFA has been off for ages").
"""
from __future__ import annotations

import bisect
import re
from collections import namedtuple

from .normalize import fold

# Chinese and Japanese write no spaces between words: each of their characters is a word, so a
# phrase like "多要素認証" is matched as a run of characters. One character class, then one run: linear.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_CJK}]|[^\\W_{_CJK}]+")
_URL_HOST = re.compile(r"https?://[\w.-]+")
# Where a sentence ends: a full stop, question mark or exclamation mark before a space, their
# Chinese and Japanese forms (no space follows them), or a blank line; not an ellipsis, nor a single newline (pastes wrap lines). One character, then
# one run: linear.
_SENTENCE_END = re.compile(r"(?<!\.)[.!?]\s|[。！？]|\n[ \t]*\n")
# Marks inside a sentence that end the reach of a negator ("No, MFA is enforced"). One character.
_CLAUSE_MARK = re.compile(r"[,;:()]")
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


# A phrase right after one of these, or after one and a modifier, is denied, not said: "user has
# not changed password", "keine neue MFA-Richtlinie" (but "sin problema fallan" still fails). After
# a determiner, any one word may come between: "no admin reset". Lookups that ask for affirmed
# words skip it ("not used", "not found" start with the negator, so they stay phrases).
DETERMINERS = frozenset("no keine kein keinen keiner aucun aucune nenhum nenhuma nessun nessuna nessuno geen zero".split())
NEGATORS = DETERMINERS | frozenset("not sin sans nobody noone niemand nadie ninguem".split())
NEGATED_MODIFIERS = frozenset(
    "new neue neuen neuer neues nueva nuevo nuevas nuevos nouvelle nouveau nova novo nuova nuovo nieuwe "
    "recent other andere otra otro autre outra altra".split()
)
# "didn't change her password": a past event said not to have happened (not "can't sign in").
NOT_HAPPENED = frozenset("didn hasn haven hadn wasn weren".split())
# "we don't use sign-in frequency", "we don't have any ToU policy": a thing said not to be in use,
# through at most two of these words after the negation.
NOT_IN_USE = frozenset("don doesn didn haven hasn hadn aren isn".split())
IN_USE_VERBS = frozenset("use uses using used have has had any enable enabled configure configured apply applied run even really".split())
# "no CA or MFA change", "aucun changement de MFA ni d'acces": the negator reaches across one
# preposition after its noun, and across "or" to the next item of the list.
OF = frozenset("of to in de d du des di del da do von van".split())
OR = frozenset("or nor ni oder noch ou o nem ne of".split())
LIST_REACH = 4  # words between the negator and "or", at most
WITH = frozenset("with mit con avec com met".split())
WITH_REACH = 3  # "with" this many words before a phrase, at most
# ... and so is a setting said to be off right after it, through nothing but these linking words:
# "the remember MFA setting has been off for ages" (not "since MFA the connection is disabled").
SWITCHED_OFF = frozenset("disabled deactivated deaktiviert desactivado desactivada desativado desativada desactive disattivato uitgeschakeld".split())
OFF_VERBS = frozenset("is was been are were turned switched stays remains".split())
OFF_LINKS = OFF_VERBS | frozenset("setting settings feature option has have had now already still long got gets be being ist wurde".split())
SWITCHED_OFF_REACH = 4


# A phrase word that matches any one word: "new ? connection" is "new SharePoint connection".
ANY = "?"
# source: as written in the knowledge base; words: the words to match ("expir*" is a prefix)
Phrase = namedtuple("Phrase", "source words")


def compile_phrase(source: str) -> Phrase:
    words = []
    for raw in source.split():
        if raw == ANY:
            words.append(ANY)
            continue
        star = raw.endswith("*")
        parts = _WORD.findall(fold(raw))
        if star and parts:
            parts[-1] += "*"
        words.extend(parts)
    return Phrase(source, tuple(words))


def candidates(phrases, words: "Words"):
    """The phrases `words` could match, in order: an index's candidates, or a plain tuple whole."""
    return phrases.candidates(words) if isinstance(phrases, Alternatives) else phrases


class Alternatives(tuple):
    """Phrases any one of which will do (a group of a signal or facet, a word list), indexed by a
    whole word each needs: a text can only match those whose word it has, so a lookup costs
    what the text's words make possible, not the length of the list (thousands of phrases in
    many languages). `candidates` keeps the list's order, so the first match is the same."""

    def __new__(cls, phrases):
        self = super().__new__(cls, phrases)
        self.by_word: dict[str, list[int]] = {}
        self.open: list[int] = []  # phrases of prefixes only ("expir*"): always looked at
        for i, phrase in enumerate(self):
            whole = [w for w in phrase.words if not w.endswith("*") and w != ANY]
            if whole:
                self.by_word.setdefault(max(whole, key=len), []).append(i)
            else:
                self.open.append(i)
        return self

    def candidates(self, words: "Words"):
        positions = words.positions
        if len(positions) < len(self.by_word):
            hits = [i for w in positions if w in self.by_word for i in self.by_word[w]]
        else:
            hits = [i for w, ids in self.by_word.items() if w in positions for i in ids]
        for i in sorted(hits + self.open) if self.open or len(hits) > 1 else hits:
            yield self[i]


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


# An identifier joined in CamelCase from three words or more ("PowerAutomateForExcel",
# "ConnectionAuthorizationFailed"): logs name things so. It reads as itself and as its words. One
# run of letters, each part a fixed shape: linear.
_CAMEL = re.compile(r"[a-z][A-Z][a-z]+[A-Z]")  # two inner capitals: worth a look
_CAMEL_PART = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


# A GUID alone on its line, or after "List:" or "SharePoint list:" ("Run only users" then the list's ID, where its name
# should be), reads as the word "guid" too; one after "Trace ID:" or in a sentence does not. Fixed
# shapes between line ends: linear.
_LONE_GUID = re.compile(
    r"^[ \t]*(?:(?:[A-Za-z]+[ \t])?(?:list|library|liste|lista|bibliothek|biblioteca|bibliotheque|lijst)[ \t]*:[ \t]*)?"
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?=[ \t]*\r?$)",
    re.M | re.I,
)


# ... and so does one right after "shows", "like" or "instead" ("the owners tile shows something
# like 6c1e...": a thing shown by its ID). At most two words between: bounded, linear.
_SHOWN_GUID = re.compile(
    r"(?i)\b(?:shows?|showing|displays?|like|instead)[ \t]+(?:[A-Za-z]+[ \t]+){0,2}"
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


# An HTML tag (a saved sign-in page, a template's connection list): its name and attributes are
# no words of the text ("<button>", class="template-connections"), and a block ends a sentence.
# Fixed shapes with a bounded run: linear.
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]{0,15})\b[^<>]{0,500}>")
_BLOCK_TAGS = frozenset("div p li ul ol section article header footer main form table tr td th h1 h2 h3 h4 h5 h6 br hr title body html head".split())


def _tag_break(m: re.Match) -> str:
    return "\n\n" if m.group(2).lower() in _BLOCK_TAGS else " "


MAX_CAMELS = 2000  # identifiers looked at per text (a log names a few, many times)


def _split_camels(text: str) -> str:
    """Each CamelCase word of three parts or more, followed by its parts."""
    out, last = [], 0
    for n, m in enumerate(_CAMEL.finditer(text)):
        if n >= MAX_CAMELS:
            break
        start, end = m.start(), m.end()
        if start < last:
            continue  # inside the word just split
        while start > last and text[start - 1].isascii() and text[start - 1].isalpha():
            start -= 1
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        word = text[start:end]
        parts = _CAMEL_PART.split(word)
        if len(parts) >= 3:
            out.append(text[last:end])
            out.append(" " + " ".join(parts))
            last = end
    out.append(text[last:])
    return "".join(out)


def _deletes(word: str) -> list[str]:
    # In order, not a set: a word near two vocabulary words must read the same in every run
    # (string hashing, and so a set's order, changes from one interpreter to the next).
    return list(dict.fromkeys(word[:i] + word[i + 1 :] for i in range(len(word))))


class Speller:
    """Reads a misspelt word as the vocabulary word one edit away (symmetric deletions)."""

    def __init__(self, vocabulary: set[str], real_words: frozenset[str] = frozenset()):
        self.known = vocabulary
        self.real = real_words  # words that are no typo though one letter away from a known one
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
        if word in self.known or word in self.real or not TYPO_MIN_LEN - 1 <= len(word) <= self.longest + 1 or not word.isalpha():
            return None
        hit = self.by_delete.get(word)  # a letter dropped
        if hit:
            return hit
        for variant in _deletes(word):
            if len(variant) >= TYPO_MIN_LEN and variant in self.known:
                return variant  # a letter added
            hit = self.by_delete.get(variant)  # a letter changed, or two swapped
            # (two deletions at distant places are two edits: "automation" is not "automatico")
            if hit and _changed_or_swapped(word, hit):
                return hit
        return None


def _changed_or_swapped(a: str, b: str) -> bool:
    """Whether words of one length differ by one letter, or by two neighbours swapped."""
    diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])


class Words:
    """The words of one text, indexed for phrase lookups."""

    def __init__(self, text: str, speller: Speller | None = None):
        if "<" in text and ">" in text:
            text = _TAG.sub(_tag_break, text)
        if _CAMEL.search(text):
            text = _split_camels(text)
        if "-" in text:
            text = _SHOWN_GUID.sub(r"\g<0> guid", _LONE_GUID.sub(r"\g<0> guid", text))
        folded = fold(text)
        if "://" in folded:
            folded = _URL_HOST.sub(" ", folded)
        if speller and "-" in folded and "\n" in folded:
            folded = _unwrap(folded, speller.known)
        self.words: list[str] = []
        self.sentence_starts: list[int] = []  # the index of each sentence's first word
        self.after_mark: list[bool] = []  # per word: whether a clause mark (comma...) comes before it
        for sentence in _SENTENCE_END.split(folded):
            self.sentence_starts.append(len(self.words))
            for clause in _CLAUSE_MARK.split(sentence):
                words = _WORD.findall(clause)
                if words:
                    self.after_mark.append(True)
                    self.after_mark.extend([False] * (len(words) - 1))
                    self.words.extend(words)
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
        self._found: dict[tuple[Phrase, bool], str | None] = {}  # find's answers so far

    def _expand_contractions(self) -> None:
        words, starts, marks, k = [], [], [], 0
        for i, w in enumerate(self.words):
            while k < len(self.sentence_starts) and self.sentence_starts[k] == i:
                starts.append(len(words))
                k += 1
            parts = _CONTRACTIONS.get(w, (w,))
            words.extend(parts)
            marks.extend(self.after_mark[i] and n == 0 for n in range(len(parts)))
        starts.extend(len(words) for _ in range(k, len(self.sentence_starts)))
        self.words, self.sentence_starts, self.after_mark = words, starts, marks

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
        return word == ANY or self.words[i] == word

    def _occurrences(self, phrase: Phrase):
        words = phrase.words
        if not words:
            return
        positions = self.positions
        # Most phrases miss: a whole word the text lacks rules one out before any counting.
        for w in words:
            if w not in positions and not w.endswith("*") and w != ANY:
                return
        if len(words) == 1:
            yield from self._starts(words[0])
            return
        # Anchor on the rarest word, so a phrase costs at most its rarest word's count of checks.
        anchor = min((k for k in range(len(words)) if words[k] != ANY), key=lambda k: len(self._starts(words[k])))
        for pos in self._starts(words[anchor]):
            start = pos - anchor
            if start >= 0 and all(self._word_at(start + k, w) for k, w in enumerate(words)):
                yield start

    def _denied(self, start: int) -> bool:
        """Whether a negator (NEGATORS) stands just before the word at `start`, in its sentence."""
        first = self.sentence_starts[bisect.bisect_right(self.sentence_starts, start) - 1]
        j = start - 1
        if j < first or self.after_mark[start]:
            return False
        if self.words[j] in NEGATORS:
            return True
        if self.words[j] == "t" and j > first and self.words[j - 1] in NOT_HAPPENED and not self.after_mark[j]:
            return True
        if self._not_in_use(j, first):
            return True
        if self.words[j] in OF and j > first and not self.after_mark[j]:
            j_or = j - 1  # "ni d'acces": the preposition, then "or"
        else:
            j_or = j
        # ... also to the noun after the item: "no CA or MFA change" denies "change".
        if any(self.words[k] in OR and self._denies_list(k, first) for k in (j_or, j - 1) if k >= first):
            return True
        if self.words[j] in OF and j - 2 >= first and self.words[j - 2] in DETERMINERS and not (self.after_mark[j] or self.after_mark[j - 1]):
            return True
        j -= 1
        if j < first or self.after_mark[j + 1]:
            return False
        if self.words[j] in DETERMINERS or (self.words[j] in NEGATORS and self.words[j + 1] in NEGATED_MODIFIERS):
            return True
        # "no CA policy with session controls": what a denied thing comes with is denied too.
        for w in range(start - 1, max(first, start - WITH_REACH) - 1, -1):
            if self.words[w] in WITH:
                return not self.after_mark[w] and any(
                    self.words[k] in DETERMINERS for k in range(max(first, w - WITH_REACH), w)
                ) and not any(self.after_mark[k] for k in range(max(first, w - WITH_REACH) + 1, w))
            if self.after_mark[w]:
                break
        return False

    def _not_in_use(self, j: int, first: int) -> bool:
        """Whether the words ending at `j` say "don't use", "do not have any", "never enabled"."""
        k = j
        while k >= first and j - k < 2 and self.words[k] in IN_USE_VERBS:
            if self.after_mark[k]:  # a comma before the verb: the negation cannot reach
                return False
            k -= 1
        if k == j or k < first:
            return False
        w = self.words[k]
        if w in ("not", "never"):
            return True
        return w == "t" and k > first and self.words[k - 1] in NOT_IN_USE and not self.after_mark[k]

    def _denies_list(self, conj: int, first: int) -> bool:
        """Whether the list item before "or" at `conj` follows a negator in its clause."""
        for k in range(conj - 1, max(first, conj - 1 - LIST_REACH) - 1, -1):
            if self.after_mark[k + 1]:
                return False
            if self.words[k] in DETERMINERS:
                return True
        return False

    def _switched_off(self, end: int) -> bool:
        """Whether the words after `end` (in its sentence) say the thing is off or disabled."""
        k = bisect.bisect_right(self.sentence_starts, end - 1)
        stop = min(end + SWITCHED_OFF_REACH, self.sentence_starts[k] if k < len(self.sentence_starts) else len(self.words))
        for j in range(end, stop):
            w = self.words[j]
            if w in SWITCHED_OFF or (w == "off" and j > end and self.words[j - 1] in OFF_VERBS):
                return True
            if w not in OFF_LINKS:
                return False
        return False

    def _skipped(self, start: int, n: int, affirmed: bool) -> bool:
        if self.masked and not self.masked.isdisjoint(range(start, start + n)):
            return True
        return affirmed and (self._denied(start) or self._switched_off(start + n))

    def find_together(self, groups, affirmed: bool = False, reach: int = 1) -> list[str] | None:
        """One phrase of every group, all within one sentence (or `reach` sentences in a row):
        their words (as `find` gives them), or None. Skips masked words, and with `affirmed`
        denied ones."""
        if len(groups) == 1:
            for phrase in candidates(groups[0], self):
                hit = self.find(phrase, affirmed)
                if hit:
                    return [hit]
            return None
        common = None
        per_group = []
        for group in groups:
            by_sentence: dict[int, str] = {}
            for phrase in candidates(group, self):
                n = len(phrase.words)
                for start in self._occurrences(phrase):
                    if self._skipped(start, n, affirmed):
                        continue
                    sentence = bisect.bisect_right(self.sentence_starts, start) - 1
                    by_sentence.setdefault(sentence, " ".join(self.words[start : start + n]))
            # The first sentence of each window of `reach` sentences this group meets.
            starts = {t for i in by_sentence for t in range(i - reach + 1, i + 1)}
            common = starts if common is None else common & starts
            if not common:
                return None
            per_group.append(by_sentence)
        first = min(common)
        return [next(hits[t] for t in range(first, first + reach) if t in hits) for hits in per_group]

    def find(self, phrase: Phrase, affirmed: bool = False) -> str | None:
        """The matched words as they read in the text (lower case), or None. Skips masked words,
        and with `affirmed` denied ones ("no MFA changes")."""
        # Word lists recur in many signals and facets: look each phrase up once per text.
        key = (phrase, affirmed)
        if key in self._found:
            return self._found[key]
        n = len(phrase.words)
        hit = None
        for start in self._occurrences(phrase):
            if not self._skipped(start, n, affirmed):
                hit = " ".join(self.words[start : start + n])
                break
        self._found[key] = hit
        return hit
