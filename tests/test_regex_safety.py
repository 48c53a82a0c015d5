"""Every regular expression in `checker` must run in linear time on hostile input.

Patterns are collected at module level (also inside containers and classes) and, from the source,
as literals in re.compile / re.split / re.sub ... calls inside functions.
Static: each pattern is parsed (re._parser) and rejected if an unbounded repeat contains another
unbounded repeat (star height > 1, as in `(a+)+`), or an alternation whose branches can start
with the same character (as in `(\\w|\\d)+`): both let the engine try exponentially many splits.
Dynamic: each pattern scans 200 KB strings made from its own characters in a subprocess; the
timeout guards against a hang and is not a speed measure.
"""
from __future__ import annotations

import ast
import importlib
import json
import pkgutil
import re
import re._constants as C
import re._parser as P
import subprocess
import sys
import types
from pathlib import Path

import pytest

import checker
from adversarial import attacks, limit_memory

ROOT = Path(__file__).resolve().parent.parent
REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)
# Characters to test "can start with" against: ASCII plus letters, digits and spaces beyond it.
PROBES = [chr(i) for i in range(128)] + list("éóÄßı\u00a0\u2028\u0663中𝟘")
_CATEGORY = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s",
    C.CATEGORY_NOT_SPACE: r"\S", C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}


# --- collecting the patterns ------------------------------------------------------------------

def _patterns_in(value, depth=0):
    if isinstance(value, re.Pattern):
        yield value
    elif depth < 3 and isinstance(value, dict):
        for v in (*value.keys(), *value.values()):
            yield from _patterns_in(v, depth + 1)
    elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _patterns_in(v, depth + 1)
    elif depth < 1 and isinstance(value, type):  # class attributes
        for v in vars(value).values():
            yield from _patterns_in(v, depth + 1)


def collect(modules) -> dict[str, re.Pattern]:
    """Module-level patterns (also inside containers and classes), named by where they live."""
    found: dict[tuple, tuple[str, re.Pattern]] = {}
    for module in modules:
        for name, value in vars(module).items():
            for pattern in _patterns_in(value):
                found.setdefault((pattern.pattern, pattern.flags), (f"{module.__name__}.{name}", pattern))
    return dict(found.values())


_RE_CALLS = {"compile", "search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"}


def inline(modules) -> dict[str, re.Pattern]:
    """Patterns written as literals in calls such as re.split(r"...", text) inside functions."""
    found = {}
    for module in modules:
        source = Path(module.__file__).read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re"
                    and node.func.attr in _RE_CALLS and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                flags = 0
                for arg in [*node.args[1:], *(k.value for k in node.keywords if k.arg == "flags")]:
                    if isinstance(arg, ast.Attribute) and isinstance(getattr(re, arg.attr, None), re.RegexFlag):
                        flags |= getattr(re, arg.attr)
                found[f"{module.__name__}:{node.lineno}"] = re.compile(node.args[0].value, flags)
    return found


def checker_modules() -> list[types.ModuleType]:
    # Every module, subpackages included (text, policies, signins).
    names = [checker.__name__] + [m.name for m in pkgutil.walk_packages(checker.__path__, "checker.")]
    return [importlib.import_module(n) for n in names if not n.endswith("__main__")]


MODULES = checker_modules()
# One entry per distinct pattern; a module-level name wins over a source line.
PATTERNS = {name: p for name, p in {(p.pattern, p.flags): (name, p) for name, p in
                                    [*inline(MODULES).items(), *collect(MODULES).items()]}.values()}


# --- the static rules -------------------------------------------------------------------------

def _children(op, av):
    if op in REPEATS:
        return [av[2]]
    if op is C.SUBPATTERN:
        return [av[3]]
    if op is C.BRANCH:
        return list(av[1])
    if op in (C.ASSERT, C.ASSERT_NOT):
        return [av[1]]
    if op is C.ATOMIC_GROUP:
        return [av]
    if op is C.GROUPREF_EXISTS:
        return [p for p in av[1:] if p is not None]
    return []


def _unbounded(op, av) -> bool:
    return op in REPEATS and av[1] == C.MAXREPEAT


def _can_backtrack(op) -> bool:
    # Possessive repeats and atomic groups never give characters back.
    return op not in (C.POSSESSIVE_REPEAT, C.ATOMIC_GROUP)


def _has_unbounded(sub) -> bool:
    for op, av in sub:
        if not _can_backtrack(op):
            continue
        if _unbounded(op, av) or any(_has_unbounded(c) for c in _children(op, av)):
            return True
    return False


def _matches(items, char: str, ignorecase: bool) -> bool:
    """Whether a character class (the items of an IN) accepts `char`."""
    chars = {char, char.lower(), char.upper()} if ignorecase else {char}
    negate = False
    hit = False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            hit |= chr(av) in chars
        elif op is C.RANGE:
            hit |= any(av[0] <= ord(c) <= av[1] for c in chars)
        elif op is C.CATEGORY:
            hit |= re.fullmatch(_CATEGORY.get(av, r"[\s\S]"), char) is not None
        else:  # an unknown item: assume it accepts anything
            hit = True
    return hit != negate


def first_chars(sub, ignorecase: bool) -> tuple[set[str], bool]:
    """The probe characters a sub-pattern can start with, and whether it can match empty."""
    out: set[str] = set()
    for op, av in sub:
        first, nullable = _first_of(op, av, ignorecase)
        out |= first
        if not nullable:
            return out, False
    return out, True


def _first_of(op, av, ignorecase):
    if op is C.LITERAL:
        return {c for c in PROBES if _matches([(op, av)], c, ignorecase)}, False
    if op is C.NOT_LITERAL:
        return {c for c in PROBES if not _matches([(C.LITERAL, av)], c, ignorecase)}, False
    if op is C.IN:
        return {c for c in PROBES if _matches(av, c, ignorecase)}, False
    if op is C.ANY:
        return set(PROBES), False
    if op in REPEATS:
        first, nullable = first_chars(av[2], ignorecase)
        return first, nullable or av[0] == 0
    if op is C.SUBPATTERN:
        return first_chars(av[3], ignorecase or bool(av[1] & re.IGNORECASE))
    if op is C.ATOMIC_GROUP:
        return first_chars(av, ignorecase)
    if op is C.BRANCH:
        results = [first_chars(b, ignorecase) for b in av[1]]
        return set().union(*(r[0] for r in results)), any(r[1] for r in results)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
        return set(), True  # zero width
    if op is C.GROUPREF_EXISTS:
        return set(PROBES), True
    return set(PROBES), True  # back-references and anything unknown: assume the worst


def problems(pattern: str, flags: int = 0) -> list[str]:
    """What makes `pattern` able to backtrack exponentially (empty when it is safe)."""
    parsed = P.parse(pattern, flags)
    found: list[str] = []
    _walk(parsed, bool(parsed.state.flags & re.IGNORECASE), False, found)
    return found


def _walk(sub, ignorecase, in_repeat, found):
    for op, av in sub:
        if _unbounded(op, av) and _can_backtrack(op) and _has_unbounded(av[2]):
            found.append("an unbounded repeat contains another unbounded repeat")
        if op is C.BRANCH and in_repeat:
            starts = [first_chars(b, ignorecase)[0] for b in av[1]]
            for i, a in enumerate(starts):
                for b in starts[i + 1:]:
                    if a & b:
                        found.append(f"alternation branches inside a repeat can both start with {sorted(a & b)[:3]}")
        local_case = ignorecase or (op is C.SUBPATTERN and bool(av[1] & re.IGNORECASE))
        repeated = in_repeat or (_unbounded(op, av) and _can_backtrack(op))
        for child in _children(op, av):
            _walk(child, local_case, repeated, found)


# --- the tests ----------------------------------------------------------------------------------

def test_patterns_are_found():
    assert PATTERNS, "no compiled regular expression found in the checker package"
    modules = {re.split(r"[.:]", name)[1] for name in PATTERNS}
    assert len(modules) >= 2, modules


def test_inline_patterns_are_found(tmp_path):
    source = tmp_path / "sample.py"
    source.write_text("import re\ndef f(t):\n    return re.split(r'(a+)+', t, flags=re.I)\n")
    found = inline([types.SimpleNamespace(__name__="sample", __file__=str(source))])
    assert [(p.pattern, bool(p.flags & re.I)) for p in found.values()] == [("(a+)+", True)]


@pytest.mark.parametrize("bad", [r"(a+)+", r"(?:a*b*)*c", r"(\d+\s?)+x", r"(a|ab|b)*c", r"(?:\wb|a\d)+",
                                 r"(?i)(?:Ab|a\d)+", r"(?:[a-z]+\.?)+@", r"((ab)*)+"])
def test_the_rules_flag_backtracking_shapes(bad):
    assert problems(bad)


@pytest.mark.parametrize("good", [r'\\+(u[0-9a-fA-F]{4}|[nrtbf"\'/])?', r"(?:a|b)+", r"(?>a+)+b",
                                  r"(?:\d{1,3}\.){3}\d{1,3}", r"[^\W_]+", r"(?:ab|cd)*", r"(a++)+b"])
def test_the_rules_pass_linear_patterns(good):
    assert problems(good) == []


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_no_nested_or_ambiguous_repeats(name):
    pattern = PATTERNS[name]
    assert problems(pattern.pattern, pattern.flags) == [], f"{name}: {pattern.pattern!r}"


def _literals(pattern: re.Pattern) -> str:
    """The characters a pattern mentions, and a sample for each class it uses."""
    chars: set[str] = set()

    def walk(sub):
        for op, av in sub:
            if op in (C.LITERAL, C.NOT_LITERAL):
                chars.add(chr(av))
            elif op is C.IN:
                for item_op, item in av:
                    if item_op is C.LITERAL:
                        chars.add(chr(item))
                    elif item_op is C.RANGE:
                        chars.update((chr(item[0]), chr(item[1])))
                    elif item_op is C.CATEGORY:
                        chars.update("a0 _")
            elif op is C.ANY:
                chars.add("x")
            for child in _children(op, av):
                walk(child)

    walk(P.parse(pattern.pattern, pattern.flags))
    return "".join(sorted(chars)) or "a"


SCAN = r"""
import json, re, sys
spec = json.load(sys.stdin)
pattern = re.compile(spec["pattern"], spec["flags"])
size = spec["size"]
texts = dict(spec["generic"])
chars = spec["chars"]
for c in chars:
    texts["run of " + repr(c)] = c * size
    texts["run of " + repr(c) + " then !"] = c * size + "\x01!"
cycle = (chars * (size // len(chars) + 1))[:size]
texts["its characters in turn"] = cycle
texts["its characters in turn, then !"] = cycle + "\x01!"
texts["its characters reversed"] = cycle[::-1]
for name, text in texts.items():
    print(name, flush=True)
    for _ in pattern.finditer(text):
        pass
print("done")
"""


@pytest.mark.parametrize("name", sorted(PATTERNS))
def test_each_pattern_scans_hostile_text_without_hanging(name):
    pattern = PATTERNS[name]
    size = 200_000
    spec = {"pattern": pattern.pattern, "flags": pattern.flags & ~re.UNICODE, "size": size,
            "chars": _literals(pattern), "generic": attacks(size)}
    try:
        out = subprocess.run([sys.executable, "-c", SCAN], input=json.dumps(spec), text=True,
                             capture_output=True, timeout=20, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired as exc:
        last = (exc.stdout or b"").decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        pytest.fail(f"{name} ({pattern.pattern!r}) hung on: {last.strip().splitlines()[-1:]}")
    assert out.returncode == 0, out.stderr
    assert out.stdout.rstrip().endswith("done")
