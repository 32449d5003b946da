"""``[tool.zlint]`` / ``zlint.toml``: selection, per-file ignores, excludes, .gitignore, errors."""

from __future__ import annotations

import json

import pytest

from conftest import run_zlint, write_tree

CALL = '''
import requests
def assign():
    r = requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories")
    return r.status_code == 200
'''


def _paths_and_codes(tmp_path, *args):
    result = run_zlint("check", "--output-format", "json", *args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return sorted((f["path"], f["code"]) for f in json.loads(result.stdout)["findings"])


def test_pyproject_select_and_ignore(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.zlint]\nselect = ["ZL1"]\nignore = ["unhandled-territory-job"]\n',
        "app.py": CALL,
    })
    assert _paths_and_codes(tmp_path) == [("app.py", "ZL102")]


def test_zlint_toml_is_found_from_a_subfolder(tmp_path):
    write_tree(tmp_path, {"zlint.toml": 'ignore = ["ZL102"]\n', "src/app.py": CALL})
    assert _paths_and_codes(tmp_path / "src") == [("app.py", "ZL101")]


def test_the_config_of_the_paths_given_is_used_from_outside_their_project(tmp_path):
    # CI that runs `zlint check services/crm` from the repository root, or a project checked from
    # its parent folder: the nearest config above the paths applies, not only the working directory's
    write_tree(tmp_path, {
        "zlint.toml": 'ignore = ["ZL101"]\n',
        "app.py": CALL,
        "services/crm/pyproject.toml": '[tool.zlint]\nignore = ["ZL102"]\n',
        "services/crm/app.py": CALL,
        "services/other/app.py": CALL,
    })
    assert _paths_and_codes(tmp_path, "services/crm") == [("services/crm/app.py", "ZL101")]
    assert _paths_and_codes(tmp_path, "services/crm/app.py") == [("services/crm/app.py", "ZL101")]
    # no config nearer than the working directory's, or paths in two projects: the working directory's
    assert _paths_and_codes(tmp_path, "services/other") == [("services/other/app.py", "ZL102")]
    assert _paths_and_codes(tmp_path, "app.py", "services/crm/app.py") == [
        ("app.py", "ZL102"), ("services/crm/app.py", "ZL102")]
    # run from somewhere else altogether
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert _paths_and_codes(elsewhere, "../services/crm") == [(str(tmp_path / "services/crm/app.py"), "ZL101")]


@pytest.mark.parametrize("paths", [("crm", "billing"), ("crm/app.py", "billing/app.py")])
def test_paths_of_two_projects_warn_that_their_configs_are_not_used(tmp_path, paths):
    # one run takes one config: found from the folder that holds both, which has none
    write_tree(tmp_path, {"crm/zlint.toml": 'ignore = ["ZL101"]\n', "crm/app.py": CALL,
                          "billing/pyproject.toml": '[tool.zlint]\nignore = ["ZL102"]\n', "billing/app.py": CALL})
    result = run_zlint("check", "--output-format", "concise", *paths, cwd=tmp_path)
    assert result.stderr.splitlines() == [
        f"zlint: {config} is not used: the paths given lie in more than one project and one run takes one config "
        "(none: the defaults); check each project on its own"
        for config in ("crm/zlint.toml", "billing/pyproject.toml")]
    assert {line.split(" [")[0] for line in result.stdout.splitlines() if " [" in line} == {
        "crm/app.py:3:9: ZL101", "crm/app.py:4:12: ZL102", "billing/app.py:3:9: ZL101", "billing/app.py:4:12: ZL102"}
    # the same run again, answered by the cache, says so too; one project alone, or --config, does not
    assert run_zlint("check", "--output-format", "concise", *paths, cwd=tmp_path).stderr == result.stderr
    assert run_zlint("check", paths[0], "crm", cwd=tmp_path).stderr == ""
    assert run_zlint("check", "--config", "crm/zlint.toml", *paths, cwd=tmp_path).stderr == ""


@pytest.mark.parametrize("pattern", ["tests/*", "tests/"])  # a folder: every file below it
def test_per_file_ignores(tmp_path, pattern):
    write_tree(tmp_path, {
        "pyproject.toml": f'[tool.zlint]\nper-file-ignores = {{ "{pattern}" = ["ZL101", "ZL102"] }}\n',
        "tests/test_app.py": CALL,
        "tests/unit/test_more.py": CALL,
        "app.py": CALL,
    })
    assert _paths_and_codes(tmp_path) == [("app.py", "ZL101"), ("app.py", "ZL102")]


def test_exclude_extend_exclude_and_gitignore(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.zlint]\nextend-exclude = ["legacy/"]\n',
        ".gitignore": "generated_*.py\n",
        "app.py": CALL,
        "legacy/old.py": CALL,
        "generated_client.py": CALL,
        "build/lib/app.py": CALL,
    })
    assert [p for p, _ in _paths_and_codes(tmp_path)] == ["app.py", "app.py"]


def test_respect_gitignore_can_be_turned_off(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.zlint]\nrespect-gitignore = false\nselect = ["ZL101"]\n',
        ".gitignore": "generated_*.py\n",
        "generated_client.py": CALL,
    })
    assert _paths_and_codes(tmp_path) == [("generated_client.py", "ZL101")]


def test_exclude_replaces_the_defaults(tmp_path):
    write_tree(tmp_path, {
        "pyproject.toml": '[tool.zlint]\nexclude = []\nselect = ["ZL101"]\n',
        "build/app.py": CALL,
    })
    assert _paths_and_codes(tmp_path) == [("build/app.py", "ZL101")]


def test_a_named_folder_is_checked_even_if_excluded(tmp_path):
    write_tree(tmp_path, {"build/app.py": CALL})
    assert _paths_and_codes(tmp_path, "--select", "ZL101", "build") == [("build/app.py", "ZL101")]


def test_unknown_key_exits_2_and_names_it(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": '[tool.zlint]\nselct = ["ZL101"]\n', "app.py": CALL})
    result = run_zlint("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"zlint: {tmp_path / 'pyproject.toml'}: unknown key 'selct' in [tool.zlint] (known keys: exclude, "
        "extend-exclude, fail-on, ignore, job-helper, per-file-ignores, recordings, respect-gitignore, select, "
        "severity, target-version)\n"
    )


def test_bad_value_exits_2_and_names_the_key(tmp_path):
    write_tree(tmp_path, {"zlint.toml": 'select = "ZL101"\n', "app.py": CALL})
    result = run_zlint("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        2, f"zlint: {tmp_path / 'zlint.toml'}: select: 'ZL101' is not of type 'array'\n")


def test_unknown_rule_in_config_exits_2(tmp_path):
    write_tree(tmp_path, {"zlint.toml": 'ignore = ["ZL7"]\n'})
    result = run_zlint("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, f"zlint: {tmp_path / 'zlint.toml'}: ignore: unknown rule 'ZL7'\n")


def test_invalid_toml_exits_2(tmp_path):
    write_tree(tmp_path, {"zlint.toml": 'select = [\n'})
    result = run_zlint("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(f"zlint: {tmp_path / 'zlint.toml'}: invalid TOML:")


def test_a_pyproject_toml_that_does_not_mention_zlint_is_not_zlints(tmp_path):
    """Broken or not UTF-8, it is someone else's file: zlint looks further up (here: no config).
    One that mentions zlint is read, and its problems are zlint's to report."""
    (tmp_path / "pyproject.toml").write_bytes(b'[project\nname = "caf\xe9"\n')
    write_tree(tmp_path, {"app.py": CALL})
    assert _paths_and_codes(tmp_path, ".") == [("app.py", "ZL101"), ("app.py", "ZL102")]
    (tmp_path / "pyproject.toml").write_bytes(b'[tool.zlint]\nselect = ["ZL102"]  # caf\xe9\n')
    result = run_zlint("check", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, f"zlint: {tmp_path / 'pyproject.toml'}: not UTF-8 text (byte 38)\n")
    (tmp_path / "pyproject.toml").write_text('[tool.zlint\n')
    result = run_zlint("check", ".", cwd=tmp_path)
    assert result.returncode == 2 and "pyproject.toml: invalid TOML" in result.stderr


def test_explicit_config_file(tmp_path):
    write_tree(tmp_path, {"ci/zlint.toml": 'select = ["ZL102"]\n', "app.py": CALL})
    assert _paths_and_codes(tmp_path, "--config", "ci/zlint.toml", ".") == [("app.py", "ZL102")]
    result = run_zlint("check", "--config", "missing.toml", ".", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (2, "zlint: missing.toml: config file not found\n")


def test_a_bad_value_in_an_array_of_tables_names_its_entry_counted_from_one(tmp_path):
    write_tree(tmp_path, {"pyproject.toml": '''
        [tool.zlint]
        [[tool.zlint.recordings]]
        glob = "a/*.json"
        operation = "assign"
        [[tool.zlint.recordings]]
        glob = "b/*.json"
        operation = "Remove"
    '''})
    result = run_zlint("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"zlint: {tmp_path / 'pyproject.toml'}: tool.zlint.recordings (entry 2).operation: "
                             "'Remove' is not one of ['assign', 'remove', 'job-status']\n")
