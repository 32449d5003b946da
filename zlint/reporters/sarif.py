"""SARIF 2.1.0 for GitHub code scanning: relative URIs under %SRCROOT%, rule help, levels,
fingerprints from the baseline identity, and in-source suppressions."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import libcst as cst

from zlint import __version__, fixes, rulebook
from zlint.result import CheckResult
from zlint.ruledocs import document

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}
HELP_URI = "https://zlint.invalid/rules/{code}"  # the rule docs ship in the wheel: `zlint rule CODE`


def _fix_safety(doc: str) -> str:
    found = re.search(r"^## Fix safety\s*\n+([A-Za-z-]+)", doc, re.MULTILINE)
    return found.group(1).rstrip(".").lower() if found else "display-only"


def _rules(config) -> list[dict]:
    rules = []
    for info in rulebook.all_rules().values():
        doc = document(info.code)
        rules.append({
            "id": info.code,
            "name": info.name,
            "shortDescription": {"text": info.summary},
            "fullDescription": {"text": f"{info.summary} {info.why}".strip()},
            "helpUri": HELP_URI.format(code=info.code),
            "help": {"text": doc, "markdown": doc},
            "defaultConfiguration": {"level": _LEVEL[config.severity_of(info.code)]},
            "properties": {"fix-safety": _fix_safety(doc), "tags": ["zoho-crm", "territories"]},
        })
    return rules


def _location(path: str, cwd: Path, root: Path) -> dict:
    """An artifact location: under %SRCROOT% (the repository's root) when the file is inside it."""
    from zlint.reporters import from_root

    located = from_root(path, cwd, root)
    return {"uri": located, "uriBaseId": "%SRCROOT%"} if not Path(located).is_absolute() else {
        "uri": Path(located).as_uri()}


def _fixes(finding, contexts, helper, locate) -> list[dict]:
    """The finding's edits as SARIF replacements (a safe fix, or an unsafe one marked so)."""
    if not finding.edits or any(path not in contexts for path, _, _ in finding.edits):
        return []
    if all(old is not None and isinstance(new, cst.CSTNode) for _, old, new in finding.edits):
        by_path: dict[str, list[dict]] = {}
        for path, old, new in finding.edits:  # node for node: exact regions
            ctx = contexts[path]
            span = ctx.position(old)
            by_path.setdefault(path, []).append({
                "deletedRegion": {"startLine": span.start.line, "startColumn": span.start.column + 1,
                                  "endLine": span.end.line, "endColumn": span.end.column + 1},
                "insertedContent": {"text": ctx.module.code_for_node(new)},
            })
    else:  # statements or functions added: the changed lines of the fixed file
        planned = fixes.plan([finding._replace(suppressed=None)], contexts, set(contexts) | (
            {helper.display} if helper else set()), unsafe=True, helper=helper)
        by_path = {path: _line_replacements(planned.old_code[path], planned.new_code[path])
                   for path in planned.new_code}
    changes = [{"artifactLocation": locate(path), "replacements": edits}
               for path, edits in by_path.items()]
    return [{"description": {"text": f"{finding.fix_safety} fix: {finding.fix}"}, "artifactChanges": changes}]


def _line_replacements(old: bytes, new: bytes) -> list[dict]:
    """Whole-line replacements that turn ``old`` into ``new``."""
    before = old.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    after = new.decode("utf-8", "surrogateescape").splitlines(keepends=True)
    found = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        found.append({"deletedRegion": {"startLine": i1 + 1, "startColumn": 1, "endLine": i2 + 1, "endColumn": 1},
                      "insertedContent": {"text": "".join(after[j1:j2])}})
    return found


def _invocation(errors: list[str]) -> dict:
    """The run itself: whether it finished without internal errors, and those errors (each names its
    file first), which code scanning shows as the tool's own problems."""
    invocation: dict = {"executionSuccessful": not errors}
    if errors:
        invocation["toolExecutionNotifications"] = [{"level": "error", "message": {"text": error}}
                                                    for error in errors]
    return invocation


def render(result: CheckResult, config, cwd: Path, root: Path) -> str:
    """``cwd``: the folder finding paths are relative to; ``root``: the repository's root, %SRCROOT%."""
    rules = _rules(config)
    helper = fixes.helper_module(config, cwd)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    results = []

    def locate(path: str) -> dict:
        return _location(path, cwd, root)

    for f in result.findings:
        entry = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": _LEVEL[f.severity],
            "message": {"text": f"{f.message}\nwhy: {f.why}\nfix: {f.fix}" if f.why else f.message},
            "locations": [{"physicalLocation": {"artifactLocation": locate(f.path), "region": {
                "startLine": f.line, "startColumn": f.column, "endLine": f.end_line, "endColumn": f.end_column}}}],
            "partialFingerprints": {"zlint/v1": f.fingerprint},
        }
        changes = _fixes(f, result.contexts, helper, locate)
        if changes:
            entry["fixes"] = changes
        if f.suppressed == "fixme":
            entry["suppressions"] = [{"kind": "inSource", "status": "accepted",
                                      "justification": "zlint: fixme (known migration debt)"}]
        results.append(entry)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "zlint", "version": __version__, "semanticVersion": __version__,
                                "informationUri": HELP_URI.format(code=""), "rules": rules}},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.resolve().as_uri() + "/"}},
            "results": results,
            "invocations": [_invocation(result.errors)],
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(log, indent=2) + "\n"
