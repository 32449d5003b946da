"""``# zlint: ignore[...]`` and ``# zlint: fixme[...]``: where they apply, and what they report."""

from __future__ import annotations

import json

from conftest import run_zlint, write_tree

URL = "https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories"


def _check(tmp_path, source: str, *args: str):
    write_tree(tmp_path, {"app.py": source})
    result = run_zlint("check", "--output-format", "json", *args, ".", cwd=tmp_path)
    document = json.loads(result.stdout)
    return result.returncode, [(f["line"], f["code"], f["suppressed"], f["message"]) for f in document["findings"]], document


def test_trailing_ignore_by_code_silences_the_line(tmp_path):
    code, findings, _ = _check(tmp_path, f'''
        import requests
        requests.post("{URL}")  # zlint: ignore[ZL101]
    ''')
    assert (code, findings) == (0, [])


def test_ignore_alone_on_the_line_above_by_name(tmp_path):
    code, findings, _ = _check(tmp_path, f'''
        import requests
        # zlint: ignore[unhandled-territory-job]
        requests.post("{URL}")
    ''')
    assert (code, findings) == (0, [])


def test_fixme_is_counted_apart_and_does_not_fail(tmp_path):
    code, findings, document = _check(tmp_path, f'''
        import requests
        requests.post("{URL}")  # zlint: fixme[ZL101] wait for the job (TICKET-7)
    ''')
    assert code == 0
    assert [(line, rule, suppressed) for line, rule, suppressed, _ in findings] == [(2, "ZL101", "fixme")]
    assert document["summary"] == {"files_checked": 1, "findings": 0, "fixme": 1}


def test_fixme_in_text_output(tmp_path):
    write_tree(tmp_path, {"app.py": f'import requests\nrequests.post("{URL}")  # zlint: fixme[ZL101]\n'})
    result = run_zlint("check", ".", cwd=tmp_path)
    assert result.stdout == ("All checks passed (1 file checked).\n"
                             "1 finding marked `zlint: fixme` (known migration debt) not shown.\n"
                             "Target API version: v7 (1 of 1 territory calls).\n")


def test_suppression_of_another_code_does_not_apply_and_is_unused(tmp_path):
    code, findings, _ = _check(tmp_path, f'''
        import requests
        requests.post("{URL}")  # zlint: ignore[ZL102]
    ''')
    assert code == 1
    assert [(line, rule) for line, rule, _, _ in findings] == [(2, "ZL101"), (2, "ZL002")]
    assert findings[1][3] == "unused suppression of `ZL102`"


def test_unused_suppression_without_findings(tmp_path):
    code, findings, _ = _check(tmp_path, "x = 1  # zlint: ignore[ZL101]\n")
    assert (code, findings) == (1, [(1, "ZL002", None, "unused suppression of `ZL101`")])


def test_suppression_needs_a_code(tmp_path):
    code, findings, _ = _check(tmp_path, f'''
        import requests
        requests.post("{URL}")  # zlint: ignore
    ''')
    assert code == 1
    assert [(line, rule) for line, rule, _, _ in findings] == [(2, "ZL101"), (2, "ZL003")]
    assert findings[1][3] == "`zlint: ignore` needs rule codes, e.g. `# zlint: ignore[ZL101]`"


def test_unknown_code_in_suppression(tmp_path):
    code, findings, _ = _check(tmp_path, "x = 1  # zlint: ignore[ZL999]\n")
    assert findings == [(1, "ZL003", None, "unknown rule `ZL999` in `zlint: ignore`")]


def test_text_in_strings_is_not_a_suppression(tmp_path):
    code, findings, _ = _check(tmp_path, f'''
        import requests
        requests.post("{URL}", data="# zlint: ignore[ZL101]")
    ''')
    assert [(line, rule) for line, rule, _, _ in findings] == [(2, "ZL101")]


def test_suppressions_of_disabled_rules_are_not_reported_unused(tmp_path):
    code, findings, _ = _check(tmp_path, "x = 1  # zlint: ignore[ZL105]\n", "--ignore", "ZL105")
    assert (code, findings) == (0, [])
