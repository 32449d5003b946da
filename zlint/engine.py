"""One ``zlint check`` run: discover, prefilter, index, run the rules, apply suppressions.

Files that mention no territory endpoint, SDK method, or name defined next to one (a wrapper,
a URL constant) are read once and dropped without parsing; the names found in parsed files
widen the prefilter until nothing new turns up (the repo-wide wrapper index).

The per-file work (the names a file adds to the index, the findings of a file) runs as units
(zlint/work.py): plain data in and out, each with an analyzer of its own, so they can run in
worker processes (zlint/pool.py) or come from the cache (zlint/cache.py). This module imports
neither LibCST nor jsonschema: a run whose files need no parsing (or whose results are all
cached) never loads them.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from zlint.catalogue import builds_action_name
from zlint.findings import Finding
from zlint.result import CheckResult
from zlint.target import Target, from_urls

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (a cached run never needs it)
if TYPE_CHECKING:
    from zlint.cache import Cache
    from zlint.config import Config
    from zlint.discovery import Discovered

MAX_INDEX_ROUNDS = 10
KEEP_SOURCES_BYTES = 128 * 2**20  # sources kept from the first read for the index's later rounds
MAX_CONTEXTS = 4096  # parsed files kept at once when no caller needs them all (zlint fix does)


_PATTERNS: dict[tuple, re.Pattern[bytes]] = {}


def token_pattern(tokens) -> re.Pattern[bytes]:
    """``\\b(?:word|...)\\b`` over the tokens that are names, longest first (compiled once per process)."""
    from zlint.analysis.project import plain_words

    key = tuple(sorted(plain_words(tokens)))
    found = _PATTERNS.get(key)
    if found is None:
        words = sorted(key, key=len, reverse=True)
        found = re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words) + rb")\b")
        if len(_PATTERNS) > 64:
            _PATTERNS.clear()
        _PATTERNS[key] = found
    return found


class _Words:
    """Whether bytes mention one of some words as a whole word (``\\bword\\b``). A plain substring
    search for the shortest words rules most files out first; the regex decides."""

    def __init__(self, words) -> None:
        from zlint.analysis.project import plain_words

        words = set(plain_words(words))
        self.pattern = token_pattern(words) if words else None
        common = _common_part(sorted(words)) if words else ""
        if len(common) >= 4:  # one substring every word holds ("territor")
            needles = [common.encode()]
        else:
            needles = [w.encode() for w in words if not any(other != w and other in w for other in words)]
        self.needles = needles if len(needles) <= 32 else None
        self.needle = needles[0] if len(needles) == 1 else None

    def maybe(self, source: bytes) -> bool:
        if self.pattern is None:
            return False
        if self.needle is not None:
            return self.needle in source
        return self.needles is None or any(needle in source for needle in self.needles)

    def search(self, source: bytes) -> bool:
        return self.maybe(source) and self.pattern.search(source) is not None


def _common_part(words: list[str]) -> str:
    """The longest substring of the first word that every word contains."""
    first = min(words, key=len)
    for size in range(len(first), 0, -1):
        for start in range(len(first) - size + 1):
            part = first[start:start + size]
            if all(part in word for word in words):
                return part
    return ""


def _uses(source: bytes, names: _Words | None, anchors: dict) -> bool:
    """Whether a file mentions one of the names together with one of its anchors (name -> a set or
    list of words)."""
    if names is None or not names.maybe(source):
        return False
    for match in names.pattern.finditer(source):
        if any(anchor.encode() in source for anchor in anchors[match.group().decode()]):
            return True
    return False


@dataclass
class _File:
    """What the first read of a file told: readable, its digest (with a cache), the prefilter's verdict."""

    readable: bool
    direct: bool  # mentions an endpoint, an SDK method or ``zlint:``
    digest: str | None = None
    entry: list | None = None  # its cache entry


SCAN_IN_WORKERS_FROM = 2000  # files to read before the reading is shared among the workers
_KEPT: dict[str, bytes] = {}  # in a worker: the sources it read, kept for the index's later rounds
_KEPT_BYTES = [0]
_WORDS: dict[tuple, _Words] = {}


def _words(tokens) -> _Words:
    key = tuple(sorted(tokens))
    found = _WORDS.get(key)
    if found is None:
        if len(_WORDS) > 16:
            _WORDS.clear()
        found = _WORDS[key] = _Words(key)
    return found


_PREFILTER: list[_Words] = []


def _prefilter_words() -> _Words:
    """The catalogue's endpoint actions and SDK methods (what a file must mention to be read as
    one that may call the territory APIs), once per process."""
    from zlint.catalogue import load_catalogue

    if not _PREFILTER:
        _PREFILTER.append(_Words(load_catalogue().prefilter_tokens))
    return _PREFILTER[0]


def _read(path) -> tuple[bytes, os.stat_result]:
    """A file's bytes and its stat, taken from the open file before reading it (unbuffered: less
    work than open().read() on small files)."""
    with open(path, "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        return handle.read(), info


def scan_file(path: str, with_digest: bool, keep: int | None = None):
    """Read one file: (readable, mentions an endpoint/SDK method/``zlint:``, digest or None, its
    stat as [size, mtime, ctime, inode] or None, when it was read, its bytes or None). With
    ``keep`` (in a worker) the bytes of a file that does not match stay in this process (up to
    ``keep`` bytes in all) for the index's later rounds and only a match's bytes are returned;
    without it the bytes are returned. Paths come as strings: a Path costs a worker about as much
    to unpickle as the file to read."""
    stat = None
    read_at = time.time()
    try:
        data, info = _read(path)
    except OSError:
        return False, True, None, stat, read_at, None
    if with_digest:
        stat = [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
    words = _PREFILTER[0] if _PREFILTER else _prefilter_words()
    direct = b"zlint:" in data or words.search(data) or builds_action_name(data)
    digest = hashlib.sha1(data).hexdigest() if with_digest else None
    if keep is None:
        return True, direct, digest, stat, read_at, data
    if not direct and _KEPT_BYTES[0] + len(data) <= keep:
        _KEPT[path] = data
        _KEPT_BYTES[0] += len(data)
    return True, direct, digest, stat, read_at, data if direct else None


def uses_in_worker(path: str, names: tuple[str, ...], anchors: dict[str, list[str]]):
    """(the file mentions a wrapper with its module, the digest of the bytes read when they were not
    the kept ones); unreadable: (True, None), as the prefilter takes it."""
    data = _KEPT.get(path)
    digest = None
    if data is None:
        from zlint.analysis.project import digest_of

        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError:
            return True, None
        digest = digest_of(data)
    return _uses(data, _words(names), anchors), digest


def _scan(project, everything: list[Discovered], cache: Cache | None, pool=None) -> tuple[dict[str, _File], bool]:
    """Each Python file's first verdict: by its cache entry when its stat is unchanged, else read
    (and kept in memory, within a budget, for the later rounds of the index). Only files with an
    entry are stat'ed first (the others are read anyway: their stat is taken from the open file).
    Many files to read are read by the workers, which then keep the bytes; the second value tells so."""
    states: dict[str, _File] = {}
    entries = cache.files if cache is not None else {}
    to_read: list[Path] = []
    for item in everything:
        path = item.path
        key = str(path)
        if key in entries:
            try:
                info = os.stat(key)
            except OSError:
                info = None
            known = cache.file_state(key, info) if info is not None else None
            if known is not None:
                states[key] = _File(True, known[1], known[0], known[2])
                continue
        to_read.append(path)
    names = [str(path) for path in to_read]  # what scan_file and the workers take
    in_workers = pool is not None and pool.jobs > 1 and len(to_read) >= SCAN_IN_WORKERS_FROM
    if in_workers:
        keep = KEEP_SOURCES_BYTES // pool.jobs
        results = pool.run("scan", (cache is not None, keep), [(name, None) for name in names], chunk=256)
    else:
        results = []
        kept = 0
        for path, name in zip(to_read, names):
            readable, direct, digest, stat, read_at, data = scan_file(name, cache is not None)
            if data is not None and (direct or kept + len(data) <= KEEP_SOURCES_BYTES):
                project.set_source(path, data, digest)  # a match, or kept for the later rounds
                kept += 0 if direct else len(data)
            results.append((readable, direct, digest, stat, read_at, None))
    for path, name, (readable, direct, digest, stat, read_at, data) in zip(to_read, names, results):
        if not readable:
            states[name] = _File(False, True)
            continue
        state = states[name] = _File(True, direct, digest)
        if cache is not None:
            state.entry = cache.remember_file(name, stat, digest, direct, read_at)
        if in_workers and data is not None:
            project.set_source(path, data, digest)
    return states, in_workers


def _digest(value) -> str:
    return hashlib.sha1(repr(value).encode("utf-8", "surrogatepass")).hexdigest()


def _trace_valid(trace, project, states: dict[str, _File]) -> bool:
    """Whether every answer a stored unit got from the project is still the same."""
    try:
        files, modules, displays = trace
        for path, (digest, display, name) in files.items():
            state = states.get(path)
            if state is None or state.digest is None or state.digest != digest:
                return False
            known = Path(path)
            if project.display(known) != display or project.module_name(known) != name:
                return False
        for dotted, path in modules.items():
            current = project.module_path(dotted)
            if (str(current) if current is not None else None) != path:
                return False
        for display, path in displays.items():
            current = project.path_of_display(display)
            if (str(current) if current is not None else None) != path:
                return False
        return True
    except (TypeError, ValueError, KeyError, AttributeError):
        return False


def storable(trace) -> bool:
    return all(digest is not None for digest, _, _ in trace.files.values())


def _index(project, everything: list[Discovered], states: dict[str, _File], cache: Cache | None, pool,
           result: CheckResult, read_by_workers: bool = False) -> tuple[list[Path], tuple[str, ...]]:
    """The files that can hold territory work, and the words that mark it: endpoint names and SDK
    methods, then the names of wrappers and endpoint constants defined in those files (with the
    module or class a user must name too), to a fixed point."""
    from zlint.analysis.project import indexing_words
    from zlint.cache import anchors_key, tokens_key

    anchors: dict[str, set[str]] = {}
    names: _Words | None = None
    pending = [item.path for item in everything]
    matched_all: list[Path] = []
    indexed_with: dict[Path, str] = {}  # the words each file was last indexed with (their tokens_key)
    grown = True
    plain_rounds = 0
    for round_number in range(2 * MAX_INDEX_ROUNDS):  # (a round reading files again counts once)
        if round_number == 0:
            matched = [p for p in pending if not states[str(p)].readable or states[str(p)].direct]
        elif not grown:
            matched = []  # no new words: no new file mentions one
        else:
            key = anchors_key(anchors)
            verdicts = _known_uses(pending, states, key, cache)
            unknown = [p for p, verdict in zip(pending, verdicts) if verdict is None]
            if read_by_workers and unknown:  # they hold the bytes they read
                plain = {name: sorted(words) for name, words in anchors.items()}
                answers = pool.run("uses", (tuple(sorted(anchors)), plain), [(str(p), None) for p in unknown],
                                   chunk=256)
                found = {}
                for path, (verdict, digest) in zip(unknown, answers):
                    state = states[str(path)]
                    found[path] = verdict
                    if cache is not None and state.digest is not None and digest in (None, state.digest):
                        cache.remember_uses(state.entry, state.digest, key, verdict)
            else:
                found = {p: _uses_file(project, p, states[str(p)], names, anchors, key, cache) for p in unknown}
            matched = [p for p, verdict in zip(pending, verdicts) if (verdict if verdict is not None else found[p])]
        tokens = indexing_words(index_words(anchors))
        words_key = tokens_key(tokens)
        if not matched:  # the words are settled. Where some are methods doing territory work, every
            # file indexed before they were known is indexed again: a call of one on a receiver of
            # unknown type, a subclass, a factory, another class's method of that name (_territory_classes)
            matched = [path for path in matched_all if indexed_with[path] != words_key] if indexed_again(
                anchors) else []
            if not matched:
                break
        else:
            plain_rounds += 1
            if plain_rounds > MAX_INDEX_ROUNDS:  # checked, as a full parse would, but not followed further
                matched_all.extend(matched)
                break
            chosen = set(matched)
            pending = [p for p in pending if p not in chosen]
            matched_all.extend(matched)
        indexed_with.update((path, words_key) for path in matched)
        # each file's names, found by following code that mentions what is known so far
        found: dict[Path, dict] = {}
        todo = []
        for path in matched:
            state = states[str(path)]
            if cache is not None and state.digest is not None:
                stored = cache.index_unit(path, _unit_key(state.digest, words_key))
                if stored is not None and _names_shape(stored[1]) and _trace_valid(stored[0], project, states):
                    found[path] = stored[1]
                    result.cached += 1
                    continue
            todo.append(path)
        for path, outcome in zip(todo, pool.run("index", tokens, [(p, None) for p in todo])):
            found[path] = outcome.names
            result.computed += 1
            state = states[str(path)]
            if outcome.error is not None:
                if outcome.error not in result.errors:  # a later round may index the file again
                    result.errors.append(outcome.error)
            elif cache is not None and state.digest is not None and storable(outcome.trace):
                cache.remember_index_unit(path, _unit_key(state.digest, words_key), outcome.trace.plain(),
                                          outcome.names)
        grown = False
        for path in matched:
            for name, needed in found[path].items():
                if name not in anchors or not set(needed) <= anchors[name]:
                    anchors.setdefault(name, set()).update(needed)
                    grown = True
        if grown:
            names = _Words(set(anchors))
    return matched_all, index_words(anchors)


def indexed_again(words) -> bool:
    """Whether, with these words, the index reads every file again once its words settle (_index):
    when some are methods doing territory work."""
    from zlint.analysis.project import territory_methods

    return bool(territory_methods(words))


def index_words(anchors=()) -> tuple[str, ...]:
    """The words an index round follows: the catalogue's, and the names found so far (none in the
    first round). Part of the cache keys of index and check units (``_unit_key``)."""
    from zlint.catalogue import load_catalogue

    return tuple(sorted(set(load_catalogue().prefilter_tokens) | set(anchors)))


def _unit_key(digest: str, words_key: str, *relevant: bool) -> str:
    """The cache key of an index unit (the file's digest and the words it followed) or, with
    ``relevant`` (whether the prefilter let the file through), of a check unit."""
    return _digest((digest, words_key, *relevant))


def _names_shape(names) -> bool:
    """Whether stored index facts are what index units return: name -> words."""
    return isinstance(names, dict) and all(
        isinstance(words, list) and all(isinstance(w, str) for w in words) for words in names.values())


def _known_uses(pending: list[Path], states: dict[str, _File], key: str, cache: Cache | None) -> list:
    """Each pending file's verdict when it is settled already (unreadable, or in the cache)."""
    found = []
    for path in pending:
        state = states[str(path)]
        if not state.readable:
            found.append(True)  # reported as unreadable when parsed
        elif cache is not None and state.digest is not None:
            found.append(cache.uses_verdict(state.entry, state.digest, key))
        else:
            found.append(None)
    return found


def _uses_file(project, path: Path, state: _File, names: _Words | None, anchors: dict[str, set[str]], key: str,
               cache: Cache | None) -> bool:
    if not state.readable:
        return True
    source = project.kept_source(path)
    kept = source is not None
    if source is None:
        try:
            with open(path, "rb") as handle:
                source = handle.read()
        except OSError:
            return True  # reported as unreadable when parsed
    verdict = _uses(source, names, anchors)
    if cache is not None and state.digest is not None:  # (a digest only with a cache: none worked out without)
        from zlint.analysis.project import digest_of

        if (project.digest(path) if kept else digest_of(source)) == state.digest:  # the bytes the scan hashed
            cache.remember_uses(state.entry, state.digest, key, verdict)
    return verdict


def names_base(config: Config) -> Path:
    """The folder module names are also taken from: the project root (the config's folder, else
    the git work tree), else the working directory."""
    from zlint.config import project_root

    cwd = Path.cwd()
    return project_root(config, cwd) or cwd


def run_check(files: list[Discovered], config: Config, prefilter: bool = True,
              target: Target | None = None, index: list[Discovered] = (), *, cache: Cache | None = None,
              jobs: int = 1, keep_contexts: bool = True, progress=None, fix=None) -> CheckResult:
    """Check ``files``. ``index`` adds the other Python files of the project, whose wrappers,
    constants and helpers the analysis follows without reporting on them. Without ``prefilter``
    every file is parsed too (same findings, slower).

    ``cache``: reuse and store per-file results. ``jobs``: worker processes for the per-file work.
    ``keep_contexts`` (what ``zlint fix`` and the SARIF output need): every file's findings are
    computed in this process, their edits point into the parsed trees, which ``result.contexts``
    holds. Without it, findings come without their edits (plain data) and nothing parsed is kept.
    ``progress``: a progress.Bar told how many files the rules run on and as each is done.
    ``fix`` (outcome.FixOptions, for zlint fix): each file analysed also plans the fixes of its own
    findings, into ``result.planned``."""
    from zlint.analysis.project import Project
    from zlint.pool import UnitPool

    target = target or Target(config.target_version, "config" if config.target_version else "nothing declares it")
    result = CheckResult(files=len(files), target=target)
    unreadable = [item for item in files if item.unreadable]  # folders not listed, .gitignore files not read
    recordings = [item for item in files if not item.is_python and not item.unreadable]
    files = [item for item in files if item.is_python]
    reported = {item.path for item in files}
    everything = files + [item for item in index if item.is_python and item.path not in reported]
    timings = result.timings
    project = Project(max_contexts=None if keep_contexts else MAX_CONTEXTS)
    with timings.stage("module names"):
        project.add_files(everything, names_base(config))
    pool = UnitPool(jobs, project)
    try:
        with timings.stage("read, prefilter and index"):
            if cache is not None:
                with timings.stage("cache"):
                    cache.files  # noqa: B018 - loaded here, so that its time shows as the cache's
            states, read_by_workers = _scan(project, everything, cache, pool)
            matched, tokens = _index(project, everything, states, cache, pool, result, read_by_workers)
            project.forget_sources()
        to_check = [path for path in matched if path in reported]
        relevant = set(matched)
        if not prefilter:
            to_check += [item.path for item in files if item.path not in relevant]
        outcomes, reads = _check_units(project, to_check, relevant, states, config, target, tokens, cache,
                                       pool if not keep_contexts else UnitPool(1, project), keep_contexts,
                                       result, progress, fix)
    finally:
        pool.close(wait=sys.exc_info()[0] is None)  # interrupted: stop the workers at once
    result.tokens = tokens
    result.units = {path: (path in relevant, files) for path, files in zip(to_check, reads)}
    raw, comments = _merge(project, reported, to_check, outcomes, result)
    if keep_contexts:
        result.contexts = project.parsed_contexts()
    with_findings = set(to_check) | {project.path_of_display(display) for display in raw}
    result.findings = _suppress(project, sorted(with_findings), raw, config, comments)
    result.target = from_urls(target, list(_url_versions(result.calls).values()))
    with timings.stage("recordings"):
        result.findings += _check_recordings(recordings, config, result.target.version, cache, target, result.errors)
    result.findings += _unreadable(unreadable, config)
    result.findings = sorted((f._replace(severity=config.severity_of(f.code)) for f in result.findings),
                             key=lambda f: f.sort_key)
    where = {item.display: item.path for item in [*everything, *recordings]}
    from zlint import baseline

    base = names_base(config)
    result.findings = baseline.fingerprint_all(result.findings, _line_reader(where),
                                               lambda display: relative_to_root(display, where, base))
    result.calls.sort(key=lambda c: (c.path, c.line, c.column))
    if cache is not None:
        with timings.stage("cache"):
            cache.forget_missing({str(item.path) for item in [*everything, *recordings]})
            cache.save()
    return result


def _check_units(project, to_check: list[Path], relevant: set[Path], states: dict[str, _File], config: Config,
                 target: Target, tokens: tuple[str, ...], cache: Cache | None, pool, keep_contexts: bool,
                 result: CheckResult, progress=None, fix=None) -> tuple[list, list]:
    """Each checked file's outcome (work.CheckOutcome), from the cache when its trace still holds,
    and the files each one's analysis read."""
    from zlint.cache import run_key, tokens_key

    run = run_key(cache.code, config, target) if cache is not None and not keep_contexts else None
    words_key = tokens_key(tokens)
    if to_check:  # every stage shows in --profile, also when the cache spared it (0 s)
        from zlint import rulebook

        result.timings.seconds["parse and scope metadata"] += 0.0
        for info in rulebook.all_rules().values():
            if info.code.startswith("ZL1") and config.enabled(info.code):
                result.timings.seconds[f"rule {info.code} {info.name}"] += 0.0
    outcomes: list = [None] * len(to_check)
    reads: list = [()] * len(to_check)
    todo: list[int] = []
    keys: dict[int, str] = {}
    for number, path in enumerate(to_check):
        state = states[str(path)]
        if run is not None and state.digest is not None:
            keys[number] = key = _unit_key(state.digest, words_key, path in relevant)
            stored = cache.check_unit(run, path, key)
            if stored is not None and _trace_valid(stored[0], project, states):
                outcome = _outcome_from_data(stored[1])
                if outcome is not None:
                    outcomes[number] = outcome
                    reads[number] = tuple(stored[0][0])
                    result.cached += 1
                    continue
        todo.append(number)
    if todo:
        from zlint.outcome import CheckSettings, FixOptions

        if fix is not None and run is not None:  # a cache keeps what zlint fix checks ahead
            fix = FixOptions(fix.allowed, fix.unsafe, fix.helper, check_ahead=True)
        settings = CheckSettings(config, target, tokens, plain=not keep_contexts, fix=fix)
        if progress is not None:
            progress.start(len(todo))
        try:
            computed = pool.run("check", settings, [(to_check[n], to_check[n] in relevant) for n in todo],
                                done=progress.advance if progress is not None else None)
        finally:
            if progress is not None:
                progress.close()
        for number, outcome in zip(todo, computed):
            outcomes[number] = outcome
            reads[number] = tuple(outcome.trace.files) if outcome.trace is not None else ()
            if outcome.planned is not None:
                result.planned[to_check[number]] = outcome.planned
            result.computed += 1
            if number in keys and outcome.clean and storable(outcome.trace):
                cache.remember_check_unit(run, to_check[number], keys[number], outcome.trace.plain(),
                                          outcome_to_data(outcome))
            if outcome.fixed_check is not None:
                _remember_fixed_check(cache, run, to_check[number], outcome.fixed_check)
            for stage, seconds in outcome.timings.items():
                result.timings.seconds[stage] += seconds
    return outcomes, reads


def _url_versions(calls: list) -> dict[str, str]:
    """The version of each territory request the calls make, by where the request is (a call
    through a wrapper counts the wrapper's request, once however many calls go through it)."""
    versions: dict[str, str] = {}
    for call in calls:
        if call.version:
            versions.setdefault(call.via[-1] if call.via else f"{call.path}:{call.line}", call.version)
    return versions


def _remember_fixed_check(cache: Cache, run: str, path: Path, fixed_check: tuple) -> None:
    """Store the check of a file's fixed code that zlint fix made ahead (fixwork.check_fixed) as
    the check after its writes will look it up: by the fixed code's digest and the words used."""
    from zlint.analysis.project import indexing_words
    from zlint.cache import tokens_key

    digest, first_words, names, index_trace, words, data, trace, again = fixed_check
    cache.remember_index_unit(path, _unit_key(digest, tokens_key(first_words)), index_trace, names, ahead=True)
    if again is not None:  # (the index's last round: see indexed_again)
        cache.remember_index_unit(path, _unit_key(digest, tokens_key(indexing_words(words))), again[1], again[0],
                                  ahead=True)
    cache.remember_check_unit(run, path, _unit_key(digest, tokens_key(words), True), trace, data, ahead=True)


def outcome_to_data(outcome) -> dict:
    from zlint.findings import call_to_data, finding_to_data

    return {
        "parsed": outcome.parsed,
        "findings": [[list(tag), finding_to_data(finding)] for tag, finding in outcome.findings],
        "calls": [call_to_data(c) for c in outcome.calls],
        "comments": outcome.comments,
    }


def _outcome_from_data(data):
    from zlint.findings import call_from_data, finding_from_data
    from zlint.outcome import CheckOutcome

    try:
        findings = [(tuple(tag), finding_from_data(finding)) for tag, finding in data["findings"]]
        comments = [tuple(c) for c in data["comments"]] if data["comments"] is not None else None
        calls = [call_from_data(call) for call in data["calls"]]
        if any(len(tag) != 4 or any(type(x) is not int for x in tag) for tag, _ in findings) or any(
                len(c) != 5 for c in comments or ()):
            return None  # valid JSON of another shape: computed afresh
        return CheckOutcome(parsed=bool(data["parsed"]), findings=findings, calls=calls, comments=comments)
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _merge(project, reported: set[Path], to_check: list[Path], outcomes: list, result: CheckResult) -> tuple:
    """The units' findings, calls and errors in the order one traversal of the files would meet
    them (every file's own bodies first, in file order; then the bodies other files' calls reach,
    breadth first); of findings at the same place with the same code the first is kept, and only
    those in the reported files. Returns the findings by display path and place, and the
    suppression comments by path."""
    targets = {project.display(p) for p in reported}
    tagged: list[tuple[tuple, Finding]] = []
    errors: list[tuple[tuple, str]] = []
    comments: dict = {}
    for unit, (path, outcome) in enumerate(zip(to_check, outcomes)):
        for (phase, level, view, sequence), finding in outcome.findings:
            tagged.append(((phase, level, unit, view, sequence), finding))
        for (phase, level, view), message in outcome.errors:
            errors.append(((phase, level, unit, view), message))
        result.calls.extend(outcome.calls)
        result.parsed += outcome.parsed
        if outcome.comments is not None:
            comments[path] = outcome.comments
    tagged.sort(key=lambda item: item[0])
    errors.sort(key=lambda item: item[0])
    result.errors.extend(dict.fromkeys(message for _, message in errors))  # once each, in order
    raw: dict[str, dict[tuple, Finding]] = {}
    for tag, finding in tagged:
        if finding.path in targets:
            place = (finding.line, finding.column, finding.code)
            if place not in raw.setdefault(finding.path, {}):
                raw[finding.path][place] = finding
                result.origins[(finding.path, *place)] = to_check[tag[2]]
    return raw, comments


def _check_recordings(recordings: list[Discovered], config: Config, version: str | None, cache: Cache | None = None,
                      target: Target | None = None, errors: list[str] | None = None) -> list[Finding]:
    """Findings of the recordings, less the rules the config turns off for them. A recording that
    makes zlint fail is named in ``errors`` and the others are still checked."""
    if not recordings:
        return []
    from zlint.recordings.check import check_file

    run = None
    if cache is not None:
        from zlint.cache import run_key

        run = run_key(cache.code, config, target)
    findings: list[Finding] = []
    for item in recordings:
        ignored = per_file_ignored(item.display, item.path, config)
        try:
            found = _recording_findings(item, config, version, cache, run, check_file)
        except Exception as failure:  # noqa: BLE001 - one odd file must not stop the run
            if os.environ.get("ZLINT_DEBUG"):
                raise
            if errors is not None:
                errors.append(f"{item.display}: internal error while checking this recording: "
                              f"{type(failure).__name__}: {failure}")
            continue
        findings += [f for f in found if config.enabled(f.code) and f.code not in ignored]
    return findings


def _unreadable(items: list[Discovered], config: Config) -> list[Finding]:
    """ZL004 for each folder discovery could not list and each .gitignore it could not read, with
    the system's reason (asked again)."""
    from zlint.rulebook import all_rules

    findings = []
    for item in items:
        try:
            if item.folder:
                with os.scandir(item.path):
                    why = "it could not be listed when the files were gathered"  # and can be now: its files were not seen
            else:
                with open(item.path, "rb"):
                    why = "it could not be read when the files were gathered"
        except OSError as error:
            why = error.strerror or str(error)
        message = (f"cannot list folder: {why}" if item.folder
                   else f"cannot read .gitignore: {why} (its patterns were not applied)")
        info = all_rules()["ZL004"]
        if config.enabled("ZL004") and "ZL004" not in per_file_ignored(item.display, item.path, config):
            findings.append(Finding("ZL004", info.name, item.display, 1, 1, 1, 1, message, info.why, info.fix))
    return findings


def _recording_findings(item: Discovered, config: Config, version: str | None, cache: Cache | None, run: str | None,
                        check_file) -> list[Finding]:
    relative = relative_to_root(item.display, {item.display: item.path}, config.root)  # what config globs match
    if cache is None:
        return check_file(item.display, item.path, config.recordings, version, relative=relative)
    from zlint.analysis.project import digest_of
    from zlint.findings import finding_from_data, finding_to_data

    try:
        info = os.stat(item.path)
    except OSError:
        info = None
    known = cache.file_state(item.path, info) if info is not None else None
    read_at = time.time()
    try:  # read once: for the digest (unless the stat vouches for it) and for the check
        source = item.path.read_bytes() if known is None else None
    except OSError:
        return check_file(item.display, item.path, config.recordings, version, relative=relative)  # reports it
    if known is not None:
        digest = known[0]
    else:
        digest = digest_of(source)
        cache.remember_file(item.path, info, digest, False, read_at)
    key = _digest((digest, item.display, relative, version))
    stored = cache.recording(run, item.path, key)
    if isinstance(stored, list):
        try:
            return [finding_from_data(data) for data in stored]
        except (TypeError, ValueError, KeyError):
            pass
    if source is None:
        try:
            source = item.path.read_bytes()
        except OSError:
            return check_file(item.display, item.path, config.recordings, version, relative=relative)
    found = check_file(item.display, item.path, config.recordings, version, source, relative)
    if known is None or digest_of(source) == digest:  # the findings are of the bytes the key names
        cache.remember_recording(run, item.path, key, [finding_to_data(f) for f in found])
    return found


def relative_to_root(display: str, where: dict[str, Path], root: Path) -> str:
    """A path relative to ``root``: the config's folder for the config's globs; for baselines and
    fingerprints, the project root (names_base), so that they match from any sub-folder."""
    path = where.get(display)
    try:
        return path.relative_to(root).as_posix() if path is not None else display
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


def _suppress(project, checked: list[Path], raw: dict[str, dict[tuple, Finding]], config: Config,
              comments_by_path: dict | None = None) -> list[Finding]:
    from zlint import suppressions

    findings: list[Finding] = []
    for path in checked:
        display = project.display(path)
        file_findings = list(raw.get(display, {}).values())
        known = (comments_by_path or {}).get(path)
        if known is not None:
            comments = [suppressions.Suppression(kind, list(codes), line, column, applies_to)
                        for kind, codes, line, column, applies_to in known]
        else:
            try:
                source = project.source(path)
            except OSError:
                source = b""
            comments = suppressions.parse(source)
        findings.extend(reported(display, path, file_findings, comments, config))
    findings.sort(key=lambda f: f.sort_key)
    return findings


def reported(display: str, path: Path, findings: list[Finding], comments: list, config: Config) -> list[Finding]:
    """A file's findings as the run reports them: its suppression comments applied (ignored ones
    dropped, fixme ones marked, unused ones reported), less the rules the config turns off for it."""
    if comments:
        from zlint import rulebook, suppressions

        findings = suppressions.apply(display, findings, comments, rulebook.resolve_one, config.enabled)
    ignored = per_file_ignored(display, path, config)
    return [f for f in findings if f.code not in ignored and config.enabled(f.code)]


def per_file_ignored(display: str, path: Path, config: Config) -> set[str]:
    try:
        relative = path.relative_to(config.root).as_posix()
    except ValueError:
        relative = display
    codes: set[str] = set()
    for pattern, ignored in config.per_file_ignores:
        if pattern.endswith("/"):  # a folder: every file below it ("tests/" as "tests/*")
            pattern += "*"
        if fnmatch(relative, pattern) or fnmatch(display, pattern) or fnmatch(path.name, pattern):
            codes |= ignored
    return codes
