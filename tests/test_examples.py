"""``zlint check examples/``: the README's first command, compared whole with what users read."""

from __future__ import annotations

import json

import pytest

from conftest import REPO, run_zlint

SEEDED = {
    # (path, line, code): every failure pattern seeded in examples/legacy_crm
    ("examples/legacy_crm/client.py", 19, "ZL103"),  # retry decorator from retry.py without 202
    ("examples/legacy_crm/client.py", 31, "ZL107"),  # 400 taken for an expired token, recursion
    ("examples/legacy_crm/nightly_sync.py", 10, "ZL101"),
    ("examples/legacy_crm/nightly_sync.py", 15, "ZL102"),
    ("examples/legacy_crm/nightly_sync.py", 17, "ZL106"),
    ("examples/legacy_crm/retry.py", 14, "ZL102"),  # the policy in another module, reached via client.py
    ("examples/legacy_crm/sdk_assign.py", 7, "ZL101"),
    ("examples/legacy_crm/sdk_assign.py", 12, "ZL109"),
    ("examples/legacy_crm/sdk_assign.py", 13, "ZL110"),
    ("examples/legacy_crm/territories.py", 8, "ZL101"),  # through the wrapper, version v5 from settings.py
    ("examples/legacy_crm/territories.py", 8, "ZL108"),
    ("examples/legacy_crm/territories.py", 9, "ZL106"),
    ("examples/legacy_crm/territories.py", 14, "ZL101"),
    ("examples/legacy_crm/territories.py", 16, "ZL104"),
    ("examples/legacy_crm/territories.py", 18, "ZL105"),
}


def test_examples_report_exactly_the_seeded_failures():
    result = run_zlint("check", "--output-format", "json", "examples/", cwd=REPO)
    assert result.returncode == 1
    found = {(f["path"], f["line"], f["code"]) for f in json.loads(result.stdout)["findings"]}
    assert found == SEEDED


@pytest.mark.parametrize("output_format", ["text", "concise", "json"])
def test_examples_output_snapshot(snapshot_text, output_format):
    result = run_zlint("check", "--output-format", output_format, "examples/", cwd=REPO)
    assert result.returncode == 1
    assert result.stderr == ""
    assert result.stdout.replace(_version(), "VERSION") == snapshot_text


def test_examples_inventory_snapshot(snapshot_text):
    result = run_zlint("check", "--list-calls", "examples/", cwd=REPO)
    assert result.returncode == 0
    assert result.stdout == snapshot_text


def _version() -> str:
    from zlint import __version__

    return f'"zlint_version": "{__version__}"'
