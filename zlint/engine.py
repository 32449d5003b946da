"""One ``zlint check`` run: discover, prefilter, index, run the rules, apply suppressions.

Files that mention no territory endpoint, SDK method, or name defined next to one (a wrapper,
a URL constant) are read once and dropped without parsing; the names found in parsed files
widen the prefilter until nothing new turns up (the repo-wide wrapper index).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from pathlib import Path

import libcst as cst

from zlint import baseline, rulebook, suppressions
from zlint.analysis import mocks
from zlint.analysis.flow import Analyzer, View
from zlint.analysis.module import ModuleContext
from zlint.analysis.project import ParseFailure, Project
from zlint.analysis.values import Text
from zlint.catalogue import load_catalogue
from zlint.checks import ALL_RULES
from zlint.checks.base import META_RULES
from zlint.config import Config
from zlint.discovery import Discovered
from zlint.findings import CallRecord, Finding
from zlint.recordings.check import check_file
from zlint.target import Target, from_urls
from zlint.timing import Timings

MAX_INDEX_ROUNDS = 10
_META = {r.code: r for r in META_RULES}


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    calls: list[CallRecord] = field(default_factory=list)
    files: int = 0
    parsed: int = 0
    errors: list[str] = field(default_factory=list)  # internal errors, one line each, with the file
    target: Target | None = None  # the API version the project targets, and where that was read
    timings: Timings = field(default_factory=Timings)
    contexts: dict[str, ModuleContext] = field(default_factory=dict)  # parsed modules, for zlint fix


def _token_pattern(tokens: set[str]) -> re.Pattern[bytes]:
    words = sorted(tokens, key=len, reverse=True)
    return re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words) + rb")\b")


def _territory_names(ctx: ModuleContext, analyzer: Analyzer) -> dict[str, set[str]]:
    """Names another module may use to reach territory work defined here, each with the words a
    file must also mention to use it (the module's dotted parts, or the class of a method): a
    function that returns a territory response (or part of it), and a constant that holds an endpoint."""
    catalogue = load_catalogue()
    words = catalogue.prefilter_tokens
    module_anchors = {part for part in ctx.name.split(".") if part}
    found: dict[str, set[str]] = {}

    def holds_endpoint(value: cst.BaseExpression) -> bool:
        folded = analyzer.folder.fold(ctx, value)
        return isinstance(folded, Text) and any(word in folded.value for word in words)

    for body in ctx.bodies.values():
        function = body.node
        if not isinstance(function, cst.FunctionDef) or function.name.value.startswith("__") or not body.returns:
            continue
        if analyzer.view(ctx, function).returned_flow() is not None:
            anchors = {body.klass.name.value} if body.klass is not None else set()
            found.setdefault(function.name.value, set()).update(anchors | module_anchors)
    for statement in ctx.module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Assign) and small.value is not None and holds_endpoint(small.value):
                    for target in small.targets:
                        if isinstance(target.target, cst.Name):
                            found.setdefault(target.target.value, set()).update(module_anchors)
    for info in ctx.classes.values():
        for name, values in info.attributes.items():
            if any(owner is ctx.module or isinstance(owner, cst.Module) for _, owner in values) and any(
                    holds_endpoint(value) for value, _ in values):
                found.setdefault(name, set()).update({info.node.name.value} | module_anchors)
    return found


def _uses(source: bytes, names: re.Pattern[bytes] | None, anchors: dict[str, set[str]]) -> bool:
    """Whether a file mentions one of the names together with one of its anchors."""
    if names is None:
        return False
    for match in names.finditer(source):
        if any(anchor.encode() in source for anchor in anchors[match.group().decode()]):
            return True
    return False


def _index(project: Project, files: list[Discovered]) -> tuple[list[Path], re.Pattern[bytes]]:
    """The files that can hold territory work, and the words that mark it: endpoint names and SDK
    methods, then the names of wrappers and endpoint constants defined in those files (with the
    module or class a user must name too), to a fixed point."""
    catalogue_words = set(load_catalogue().prefilter_tokens)
    words = _token_pattern(catalogue_words)
    anchors: dict[str, set[str]] = {}
    names: re.Pattern[bytes] | None = None
    pending = [item.path for item in files]
    matched_all: list[Path] = []
    for _ in range(MAX_INDEX_ROUNDS):
        matched = []
        for path in pending:
            try:
                source = project.source(path)
            except OSError:
                matched.append(path)  # reported as unreadable when parsed
                continue
            if words.search(source) or b"zlint:" in source or _uses(source, names, anchors):
                matched.append(path)
            else:
                project.forget_source(path)
        if not matched:
            break
        chosen = set(matched)
        pending = [p for p in pending if p not in chosen]
        matched_all.extend(matched)
        grown = False
        # an analyzer for this round only, following calls into code that mentions what is known so far
        analyzer = Analyzer(project, _token_pattern(catalogue_words | set(anchors)))
        for path in matched:
            ctx = project.context(path)
            if isinstance(ctx, ModuleContext):
                for name, needed in _territory_names(ctx, analyzer).items():
                    if not needed <= anchors.get(name, set()):
                        anchors.setdefault(name, set()).update(needed)
                        grown = True
        if not grown:
            break
        names = _token_pattern(set(anchors))
    relevant = _token_pattern(catalogue_words | set(anchors))
    return matched_all, relevant


def run_check(files: list[Discovered], config: Config, prefilter: bool = True,
              target: Target | None = None, index: list[Discovered] = ()) -> CheckResult:
    """Check ``files``. ``index`` adds the other Python files of the project, whose wrappers,
    constants and helpers the analysis follows without reporting on them. Without ``prefilter``
    every file is parsed too (same findings, slower)."""
    target = target or Target(config.target_version, "config" if config.target_version else "nothing declares it")
    result = CheckResult(files=len(files), target=target)
    recordings = [item for item in files if not item.is_python]
    files = [item for item in files if item.is_python]
    reported = {item.path for item in files}
    everything = files + [item for item in index if item.is_python and item.path not in reported]
    project = Project()
    for item in everything:
        project.add(item.path, item.display, item.root)
    timings = result.timings
    with timings.stage("read, prefilter and index"):
        matched, pattern = _index(project, everything)
    to_check = [path for path in matched if path in reported]
    relevant = set(matched)
    if not prefilter:
        to_check += [item.path for item in files if item.path not in relevant]
    analyzer = Analyzer(project, pattern)
    analyzer.target_version = target.version
    analyzer.job_helper = config.job_helper
    analyzer.target_declared = target.declared
    if target.from_sdk:
        analyzer.calls.sdk_version = target.version
    targets = {project.display(p) for p in reported}
    raw: dict[str, dict[tuple, Finding]] = {}

    def add(finding: Finding) -> None:
        if finding.path in targets and config.enabled(finding.code):
            key = (finding.line, finding.column, finding.code)
            raw.setdefault(finding.path, {}).setdefault(key, finding)

    rules = [rule() for rule in ALL_RULES if config.enabled(rule.CODE)]

    def run_rules(view: View) -> None:
        for rule in rules:
            with timings.stage(f"rule {rule.CODE} {rule.NAME}"):
                for finding in rule.check(view):
                    add(finding)

    for path in to_check:
        with timings.stage("parse and scope metadata"):
            ctx = project.context(path)
            if isinstance(ctx, ModuleContext):
                ctx.scopes  # noqa: B018 - resolve here so the rules' time is their own
        if isinstance(ctx, ParseFailure):
            if path in relevant:  # a file that cannot hold territory work is no concern of zlint's
                info = _META[ctx.code]
                add(Finding(ctx.code, info.name, ctx.path, ctx.line, ctx.column, ctx.line, ctx.column,
                            ctx.message, info.why, info.fix))
            continue
        result.parsed += 1
        has_mocks = _MOCK_WORDS.search(ctx.source) is not None and config.enabled_any(("ZL201", "ZL202"))
        for body in ctx.bodies.values():
            view = analyzer.view(ctx, body.node)
            _guarded(result, ctx.path, run_rules, view)
            if has_mocks:
                _guarded(result, ctx.path, lambda v: [add(f) for f in mocks.check(v)], view)
            _guarded(result, ctx.path, lambda v: result.calls.extend(_inventory(v)), view)
    done = 0
    while done < len(analyzer.specialised):  # bodies seen with a call site's arguments; may grow
        view = analyzer.specialised[done]
        done += 1
        _guarded(result, view.ctx.path, run_rules, view)
    for path in project.paths:
        if project.parsed(path) and isinstance(project.context(path), ModuleContext):
            result.contexts[project.display(path)] = project.context(path)
    with_findings = set(to_check) | {p for p in project.paths if project.display(p) in raw}
    result.findings = _suppress(project, sorted(with_findings), raw, config)
    result.target = from_urls(target, [c.version for c in result.calls if c.version and not c.via])
    with timings.stage("recordings"):
        result.findings += _check_recordings(recordings, config, result.target.version)
    result.findings = sorted((replace(f, severity=config.severity_of(f.code)) for f in result.findings),
                             key=lambda f: f.sort_key)
    where = {item.display: item.path for item in [*everything, *recordings]}
    result.findings = baseline.fingerprint_all(result.findings, _line_reader(where),
                                               lambda display: relative_to_root(display, where, config))
    result.calls.sort(key=lambda c: (c.path, c.line, c.column))
    return result


_MOCK_WORDS = re.compile(rb"responses|requests_mock|respx|httpretty|return_value|json=")


def _check_recordings(recordings: list[Discovered], config: Config, version: str | None) -> list[Finding]:
    """Findings of the recordings, less the rules the config turns off for them."""
    findings: list[Finding] = []
    for item in recordings:
        ignored = _per_file_ignored(item.display, item.path, config)
        findings += [f for f in check_file(item.display, item.path, config.recordings, version)
                     if config.enabled(f.code) and f.code not in ignored]
    return findings


def relative_to_root(display: str, where: dict[str, Path], config: Config) -> str:
    """A finding's path relative to the project root (the config's folder), as baselines store it."""
    path = where.get(display)
    try:
        return path.relative_to(config.root).as_posix() if path is not None else display
    except ValueError:
        return display


def _line_reader(where: dict[str, Path]):
    cache: dict[str, list[str]] = {}

    def lines_of(display: str) -> list[str]:
        if display not in cache:
            try:
                cache[display] = where[display].read_text(encoding="utf-8", errors="replace").splitlines()
            except (OSError, KeyError):
                cache[display] = []
        return cache[display]

    return lines_of


def _guarded(result: CheckResult, path: str, work, view: View) -> None:
    """Run one body's analysis; a failure there is reported for that file and the run goes on."""
    try:
        work(view)
    except RecursionError:
        result.errors.append(f"{path}: code nested too deeply to analyse; skipped part of the file")
    except Exception as error:  # noqa: BLE001 - one odd file must not stop the run
        if os.environ.get("ZLINT_DEBUG"):
            raise
        result.errors.append(f"{path}: internal error while analysing: {type(error).__name__}: {error}")


def _inventory(view: View) -> list[CallRecord]:
    records = []
    for call, flow in view.territory_flows():
        place = view.ctx.position(call).start
        direct = view.territory_call(call)
        if view.forwards():
            status = "returned"
        elif view.job_handled():
            status = "handled"
        else:
            status = "unhandled"
        via = [] if direct is not None else [f"{flow.call.path}:{flow.call.line}"]
        records.append(CallRecord(view.ctx.path, place.line, place.column + 1, flow.call.operation,
                                  flow.call.scope, flow.call.version, flow.call.module, flow.call.client, status, via))
    return records


def _suppress(project: Project, checked: list[Path], raw: dict[str, dict[tuple, Finding]], config: Config) -> list[Finding]:
    findings: list[Finding] = []
    for path in checked:
        display = project.display(path)
        try:
            source = project.source(path)
        except OSError:
            source = b""
        file_findings = list(raw.get(display, {}).values())
        comments = suppressions.parse(source)
        if comments:
            file_findings = suppressions.apply(display, file_findings, comments, rulebook.resolve_one,
                                               config.enabled)
        ignored = _per_file_ignored(display, path, config)
        findings.extend(f for f in file_findings if f.code not in ignored and config.enabled(f.code))
    findings.sort(key=lambda f: f.sort_key)
    return findings


def _per_file_ignored(display: str, path: Path, config: Config) -> set[str]:
    try:
        relative = path.relative_to(config.root).as_posix()
    except ValueError:
        relative = display
    codes: set[str] = set()
    for pattern, ignored in config.per_file_ignores:
        if fnmatch(relative, pattern) or fnmatch(display, pattern) or fnmatch(path.name, pattern):
            codes |= ignored
    return codes
