"""The redaction behind "Copy redacted paste" (docs/assets/checker/redact.mjs), run in Node:
ids, GUIDs, timestamps and e-mail addresses go; codes and the words that diagnose stay."""
from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from parity.expected import ROOT

REDACT = ROOT / "docs" / "assets" / "checker" / "redact.mjs"


def redact(texts: list[str], keep: list[str] | None = None) -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed")
    script = (f"import {{ redact }} from {json.dumps(REDACT.as_uri())};"
              "import { readFileSync } from 'node:fs';"
              "const texts = JSON.parse(readFileSync(0, 'utf-8'));"
              f"const keep = {json.dumps(keep or [])};"
              "process.stdout.write(JSON.stringify(texts.map((t) => redact(t, keep))));")
    run = subprocess.run([node, "--input-type=module", "-e", script], input=json.dumps(texts),
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_masks_ids_guids_timestamps_and_addresses_but_keeps_the_error():
    text = ("AADSTS50076: you must use multi-factor authentication to access "
            "'797f4846-ba00-4fd7-ba43-dac1f8f63013'.\r\nTrace ID: 89ac6eb8-b824-48b7-8df9-c07037c00000\r\n"
            "Correlation ID: 47e9383b-5c51-4271-8747-e8f673e2924a\r\nTimestamp: 2022-09-30 00:34:02Z "
            'user: jane.doe+flows@contoso.onmicrosoft.com "x-ms-request-id": "abc123XYZ" at 9/30/2022 12:34:02 AM '
            "issued on 2022-07-30T19:55:21.1057795Z")
    [out] = redact([text])
    for secret in ("797f4846", "89ac6eb8", "47e9383b", "2022-09-30", "jane.doe", "contoso",
                   "abc123XYZ", "9/30/2022", "2022-07-30"):
        assert secret not in out, secret
    for kept in ("AADSTS50076", "multi-factor authentication", "Trace ID: ", "Correlation ID: ", "Timestamp: "):
        assert kept in out, kept


def test_leaves_text_without_identifiers_alone():
    texts = ["My flow fails every night since the new MFA policy (error 50076).",
             "Error code: 53003, see aka.ms/caerror", "a@b"]
    assert redact(texts) == texts


def test_adversarial_inputs_finish():
    # Long runs that a backtracking pattern would choke on; the answer must still be right.
    long_run = "a" * 100_000
    texts = [long_run, long_run + "@" + long_run, "0" * 100_000 + "-", ("a." * 50_000) + "@x"]
    out = redact(texts)
    assert out[0] == long_run and out[2] == texts[2]
    assert out[1].endswith("@" + long_run)  # no dot in the domain: not an address


def test_keeps_the_ids_of_microsoft_services_the_checker_named():
    # The page passes the answer's `services`: those IDs name a service (which connection to
    # fix), not a person; every other GUID still goes.
    from checker import diagnose

    text = ("must use multi-factor authentication to access '00000003-0000-0FF1-CE00-000000000000'. "
            "Trace ID: 89ac6eb8-b824-48b7-8df9-c07037c00000 user 47e9383b-5c51-4271-8747-e8f673e2924a")
    keep = [s["id"] for s in diagnose(text)["services"]]
    [out] = redact([text], keep)
    assert "00000003-0000-0FF1-CE00-000000000000" in out
    assert "89ac6eb8" not in out and "47e9383b" not in out
