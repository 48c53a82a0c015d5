"""Any input gets an answer or a clear error, never an exception or a hang.

In-process (hypothesis): `diagnose` returns the contract's shape for any text, bytes, unicode,
escaped real messages and hostile fragments. Command line (subprocess, 20 s hang guard, not a
speed measure): empty input and bad setups exit 2 with one line on stderr; everything else prints
the contract. Invalid UTF-8 is decoded with replacement and a notice (checker/text/normalize.py).
"""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import checker
from adversarial import MESSAGE, attacks, escape_json, limit_memory
from checker import diagnose, evaluate_setup
from checker.knowledge import load
from checker.text.normalize import MAX_INPUT_CHARS
from checker.rollout import EXAMPLE, REQUIREMENTS, STARTS, TARGETS, schema
from contract import assert_contract

ROOT = Path(__file__).resolve().parent.parent
HANG_GUARD = 20  # seconds; only a hang trips it
# ROBUSTNESS_EXAMPLES=2000 for a deeper hunt than the suite's quick default.
FAST = settings(max_examples=int(os.environ.get("ROBUSTNESS_EXAMPLES", "60")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

KB = load()
REAL = sorted({m for f in KB.findings.values() for m in f.messages}
              | {c.example for c in KB.codes.values()}
              | {e for f in KB.findings.values() for e in f.examples})
FRAGMENTS = ["\\", "\\\\", '\\"', "\\u00", "\\u0041", "%", "%25", "%2", "&amp;", "&#", "AADSTS",
             "AADSTS5007", "50076", "code=", "Error Code:", '"error_codes":[', "[", "{", "(", '"',
             "'", " ", "\n", "\t", "\x00", "O", "5O", "*", "two factor", "-", ".", "é", "\u200b"]


def check(text, answers=None) -> dict:
    result = diagnose(text, answers)
    assert_contract(result)
    return result


def test_package_level_diagnose_stays_the_function():
    # Importing every submodule (the engine included) must not rebind the package attribute,
    # so the documented `checker.diagnose(text)` must survive the engine being imported.
    import checker.text.engine  # noqa: F401

    assert callable(checker.diagnose), "checker.diagnose is shadowed by a submodule"
    assert_contract(checker.diagnose("AADSTS50076"))


# --- in-process: any text -----------------------------------------------------------------------

@FAST
@given(st.text())
def test_any_text(text):
    check(text)


@FAST
@given(st.text(st.characters(exclude_categories=()), max_size=300))  # lone surrogates too
def test_any_unicode(text):
    check(text)


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes(data):
    check(data)


@FAST
@given(st.sampled_from(REAL), st.integers(0, 6), st.booleans(), st.text(max_size=40), st.text(max_size=40))
def test_escaped_real_messages(message, depth, url_encoded, before, after):
    text = escape_json(message, depth)
    if url_encoded:
        text = quote(text)
    check(before + text + after)


@pytest.mark.parametrize("text", ["&#" + "5" * 5000 + ";", "&#" + "9" * 4301, "x &#00000" + "0" * 9000 + "65;"])
def test_long_numeric_character_reference(text):
    # html.unescape turns the digits into an int; over 4300 digits Python refuses (ValueError).
    check(text)


@pytest.mark.parametrize("depth", range(6))
def test_codes_survive_json_escaping(depth):
    # Escaped several times over is how flow run outputs and logs wrap sign-in errors.
    result = check(escape_json(MESSAGE.replace("<resource>", "Office 365 Exchange Online"), depth))
    assert [c["code"] for c in result["codes"]] == [50076]


@FAST
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.integers(1, 3000)), max_size=8))
def test_hostile_fragments(parts):
    check("".join(fragment * times for fragment, times in parts))


@FAST
@given(st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=3))
def test_any_answers(answers):
    check("AADSTS50076", answers)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
SETTING_VALUES = st.lists(st.sampled_from([*REQUIREMENTS, *TARGETS, *STARTS, "MFA", " SharePoint "]), max_size=6)


@FAST
@given(st.dictionaries(st.sampled_from([e["key"] for e in schema()]) | st.text(max_size=12),
                       JSON | SETTING_VALUES | st.integers(-400, 10_000) | st.booleans(), max_size=8))
def test_any_setup(setup):
    assert_contract(evaluate_setup(setup), frozenset({"when"}))


@FAST
@given(JSON)
def test_any_json_as_setup(value):
    assert_contract(evaluate_setup(value), frozenset({"when"}))


@pytest.mark.parametrize("text", ["", " ", "\n\t \r\n", "\x00", "\x00" * 1000, b"", b"\x00\x00"])
def test_empty_input_is_said_to_be_empty(text):
    result = check(text)
    assert result["findings"] == [] and result["notices"]


def test_over_the_limit_is_cut_with_a_notice():
    head = "Flow run failed: AADSTS50076 "
    tail = " AADSTS700082 at the very end"
    result = check(head + "x " * (5_000_000 // 2) + tail)  # 5 MB
    assert any(f"{MAX_INPUT_CHARS:,}" in n for n in result["notices"]), result["notices"]
    codes = [c["code"] for c in result["codes"]]
    assert 50076 in codes and 700082 not in codes  # what lies beyond the cut is not checked


@pytest.mark.parametrize("shape", ["array", "object", "string"])
def test_ten_thousand_deep_json(shape):
    inner = json.dumps("AADSTS50076: MFA required")
    if shape == "array":
        text = "[" * 10_000 + inner + "]" * 10_000
    elif shape == "object":
        text = '{"a":' * 10_000 + inner + "}" * 10_000
    else:
        text = escape_json("AADSTS50076", 1) + '"' * 20_000
    result = check(text)
    assert 50076 in [c["code"] for c in result["codes"]]


# --- hang guard: every hostile input at the full input size, in a subprocess ------------------

DRIVER = r"""
import sys
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/tests"]
from adversarial import attacks
from checker import diagnose, evaluate_setup
from checker.text.normalize import MAX_INPUT_CHARS
for name, text in attacks(MAX_INPUT_CHARS).items():
    print(name, flush=True)
    try:
        diagnose(text)
    except Exception as exc:  # keep going: report every failing input, not just the first
        print(f"FAILED {name}: {type(exc).__name__}: {str(exc)[:200]}", file=sys.stderr, flush=True)
print("done", flush=True)
"""


def test_hostile_inputs_at_full_size_finish():
    names = list(attacks(10))
    try:
        out = subprocess.run([sys.executable, "-c", DRIVER, str(ROOT)], capture_output=True, text=True,
                             timeout=HANG_GUARD * 6, preexec_fn=limit_memory)
    except subprocess.TimeoutExpired as exc:
        seen = (exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or "").split()
        pytest.fail(f"diagnose hung on the input {seen[-1:] or names[:1]}")
    assert out.returncode == 0 and out.stderr == "", out.stderr[-3000:]
    assert out.stdout.split() == names + ["done"]


# --- the command line ---------------------------------------------------------------------------

def cli(*args: str | bytes, stdin: bytes | None = b"") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "checker", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=HANG_GUARD, env={**os.environ, "PYTHONPATH": str(ROOT)},
                          preexec_fn=limit_memory)


def assert_clear_error(proc):
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-500:])
    lines = proc.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("checker: "), lines
    assert proc.stdout == b""


def answer(proc, extra_finding_keys=frozenset()) -> dict:
    """The JSON answer of a successful run; the exit status must say whether anything matched."""
    assert proc.returncode in (0, 1), (proc.returncode, proc.stderr[-2000:])
    assert proc.stderr == b""
    result = json.loads(proc.stdout)
    assert_contract(result, extra_finding_keys)
    assert proc.returncode == (0 if result["findings"] else 1)
    return result


@pytest.mark.parametrize("stdin", [b"", b" ", b"\n\r\n\t", b"\x00\x00\n"])
def test_cli_empty_input_is_a_clear_error(stdin):
    assert_clear_error(cli("--json", stdin=stdin))


def test_cli_invalid_utf8_is_decoded_with_a_notice():
    result = answer(cli("--json", stdin=b"\xff\xfe caf\xc3\x28 AADSTS50076 \xed\xa0\x80 \x80"))
    assert [c["code"] for c in result["codes"]] == [50076]
    assert any("UTF-8" in n for n in result["notices"]), result["notices"]


def test_cli_invalid_utf8_argument():
    # Arguments arrive with undecodable bytes as lone surrogates; the answer must still print.
    proc = cli(b"AADSTS50076 \xff\xfe", stdin=None)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr[-2000:]
    answer(cli("--json", b"two-factor \xff broke my flow \xc3", stdin=None))


def test_cli_five_megabytes():
    data = b"AADSTS53003 blocked\n" + os.urandom(1000).hex().encode() * 2600
    assert len(data) > 5_000_000
    result = answer(cli("--json", stdin=data))
    assert 53003 in [c["code"] for c in result["codes"]]
    assert any(f"{MAX_INPUT_CHARS:,}" in n for n in result["notices"])


def test_cli_binary_bytes():
    rng = random.Random(4467879)
    answer(cli("--json", stdin=bytes(rng.randrange(256) for _ in range(200_000))))


def test_cli_deep_json():
    answer(cli("--json", stdin=b"[" * 10_000 + b'"AADSTS50076"' + b"]" * 10_000))


@pytest.mark.parametrize("name", ["backslashes", "percent-25", "aadsts", "one-long-word", "code-equals", "json-deep",
                                  "unclosed-brackets", "digits-newlines", "json-escaped-deep"])
def test_cli_hostile_input_text_mode(name):
    # The readable answer (not --json) goes through the renderer too.
    proc = cli(stdin=attacks(300_000)[name].encode())
    assert proc.returncode in (0, 1) and proc.stderr == b"", proc.stderr[-2000:]
    assert proc.stdout.strip()


def test_cli_setup_example(tmp_path):
    path = tmp_path / "setup.json"
    path.write_text(json.dumps(EXAMPLE))
    result = answer(cli("--setup", str(path), "--json"), frozenset({"when"}))
    assert result["findings"] and result["notices"] == []


@pytest.mark.parametrize("content", [b"[" * 10_000 + b"]" * 10_000, b'["mfa"]', b"{not json", b"\xff\xfe{}", b""])
def test_cli_bad_setup_is_a_clear_error(tmp_path, content):
    path = tmp_path / "setup.json"
    path.write_bytes(content)
    assert_clear_error(cli("--setup", str(path), "--json"))


def test_cli_setup_missing_file(tmp_path):
    assert_clear_error(cli("--setup", str(tmp_path / "nowhere.json")))


def test_cli_setup_with_bad_values_answers_with_notices(tmp_path):
    path = tmp_path / "setup.json"
    path.write_text(json.dumps({"requirements": ["mfa", 7, "nonsense"], "targets": "sharepoint",
                                "remember_mfa_days": 10_000, "colour": "blue"}))
    result = answer(cli("--setup", str(path), "--json"), frozenset({"when"}))
    notices = " | ".join(result["notices"])
    assert len(result["notices"]) == 3, notices  # unknown values, days out of range, unknown key
    assert "7, 'nonsense'" in notices and "'colour'" in notices and "1 to 365" in notices
    assert "failed-runs" in [f["id"] for f in result["findings"]]  # the good values still count
