"""``zlint fix``'s planning, spread over worker processes like the check itself.

A fix needs the parsed trees its edits point into, and the check that comes first runs in worker
processes (or comes from the cache) and gives plain findings. So each file's analysis in that
check also plans the fixes of its own findings while its tree is at hand (``plan_own``); the
parent takes such a plan when the findings it chose for the file are exactly those and no other
chosen fix can touch the file. The others are analysed again with their trees kept and planned
there (``fix_unit``): in groups of files that share no file their analyses read, so no two groups
edit the same file, one group per unit of work. A tree of unrelated modules thus fixes in
parallel; a project whose calls all go through one wrapper module is one group.
"""

from __future__ import annotations

import sys
from pathlib import Path

from zlint.fixes import FixPlan, add_helper_module
from zlint.outcome import CheckSettings


def identity(finding) -> tuple:
    """A finding's place and rule: how a finding is found again in another analysis."""
    return (finding.path, finding.line, finding.column, finding.code)


def fixable(finding, unsafe: bool) -> bool:
    return finding.suppressed is None and finding.fix_safety is not None and (unsafe or finding.fix_safety == "safe")


def plan(result, findings: list, files: list, index: list, config, target, options, jobs: int,
         progress=None) -> FixPlan:
    """The fixes of ``findings`` (plain findings of ``result``: the check of ``files`` with ``index``,
    ``config`` and ``target``, run with ``fix=options``, an outcome.FixOptions) as one plan; what the
    check did not plan is planned again by ``jobs`` processes."""
    wanted = [f for f in findings if fixable(f, options.unsafe)]
    by_identity = {identity(f): f for f in wanted}
    joined = FixPlan()
    taken = _take_own_plans(result, wanted, files, joined, by_identity)
    groups = _groups(result, [f for f in wanted if f.path not in taken])
    settings = CheckSettings(config, target, result.tokens, plain=False)
    for new_code, old_code, applied, failed, outside, imported in _plan_groups(groups, files, index, settings,
                                                                               options, jobs, progress):
        joined.new_code.update(new_code)
        joined.old_code.update(old_code)
        joined.applied += [by_identity[place] for place in applied]
        joined.failed += failed
        joined.outside += [(by_identity[place], other) for place, other in outside]
        joined.imported |= imported
    add_helper_module(joined, options.helper)
    return joined


def _take_own_plans(result, wanted: list, files: list, joined: FixPlan, by_identity: dict) -> set[str]:
    """Join the check's own plans of the files they hold for; the files taken."""
    path_of = {item.display: item.path for item in files}
    places: dict[str, list[tuple]] = {}
    for finding in wanted:
        places.setdefault(finding.path, []).append(identity(finding))
    readers: dict[str, set[Path]] = {}  # a file -> the analyses of chosen findings that read it
    for origin in {result.origins.get(place) for place in by_identity} - {None}:
        for read in result.units[origin][1]:
            readers.setdefault(read, set()).add(origin)
    taken = set()
    for display, mine in places.items():
        path = path_of.get(display)
        own = result.planned.get(path)
        if own is None or set(own[0]) != set(mine) or any(result.origins.get(p) != path for p in mine):
            continue
        if readers.get(str(path), set()) - {path}:
            continue  # another chosen fix may edit this file too: planned together, elsewhere
        _, applied, (old, new), failed, imported = own
        if new is not None:
            joined.new_code[display], joined.old_code[display] = new, old
        joined.applied += [by_identity[place] for place in applied]
        joined.failed += failed
        joined.imported |= imported
        taken.add(display)
    return taken


def _plan_groups(groups: list, files: list, index: list, settings: CheckSettings, options, jobs: int,
                 progress) -> list:
    from zlint.analysis.project import Project
    from zlint.engine import names_base
    from zlint.pool import UnitPool

    if not groups:
        return []
    project = Project(max_contexts=256)
    project.add_files([item for item in [*files, *index] if item.is_python], names_base(settings.config))
    pool = UnitPool(jobs, project)
    try:
        if progress is not None:
            progress.start(len(groups))
        try:
            return pool.run("fix", (settings, options), [(units[0][0], (units, places)) for units, places in groups],
                            chunk=8, done=progress.advance if progress is not None else None)
        finally:
            if progress is not None:
                progress.close()
    finally:
        pool.close(wait=sys.exc_info()[0] is None)  # interrupted: stop the workers at once


def _groups(result, wanted: list) -> list[tuple[list, list]]:
    """The units to redo, in groups that read no common file: ([(path, relevant)...] in the
    check's order, [finding identity...] in the findings' order) each."""
    rank = {path: number for number, path in enumerate(result.units)}
    leader: dict[Path, Path] = {}

    def find(unit: Path) -> Path:
        while leader[unit] != unit:
            leader[unit] = leader[leader[unit]]
            unit = leader[unit]
        return unit

    origin_of = {}
    for finding in wanted:
        origin = result.origins.get(identity(finding))
        if origin in rank:
            origin_of[identity(finding)] = origin
            leader.setdefault(origin, origin)
    reader_of: dict[str, Path] = {}
    for unit in sorted(leader, key=rank.__getitem__):
        for read in result.units[unit][1]:
            other = reader_of.setdefault(read, unit)
            first, second = find(other), find(unit)
            if first != second:
                leader[max(first, second, key=rank.__getitem__)] = min(first, second, key=rank.__getitem__)
    members: dict[Path, list[Path]] = {}
    for unit in sorted(leader, key=rank.__getitem__):
        members.setdefault(find(unit), []).append(unit)
    places: dict[Path, list[tuple]] = {}
    for place, origin in origin_of.items():
        places.setdefault(find(origin), []).append(place)
    return [([(unit, result.units[unit][0]) for unit in units], places[head]) for head, units in members.items()]


def fix_unit(project, shared: tuple, units: list[tuple], places: list[tuple]) -> tuple:
    """In a worker: analyse a group's files again with their trees kept, take the findings the
    parent chose (the first of each place in the check's order), and plan their fixes. Returns
    plain data: (new code, old code, identities applied, (path, why) failed, (identity, other
    path) outside, helper functions imported)."""
    from zlint import fixes, work

    settings, options = shared
    wanted = set(places)
    tagged = []
    for number, (unit, relevant) in enumerate(units):
        outcome = work.check_unit(project, unit, settings, relevant)
        for (phase, level, view, sequence), finding in outcome.findings:
            if identity(finding) in wanted:
                tagged.append(((phase, level, number, view, sequence), finding))
    found: dict[tuple, object] = {}
    for _, finding in sorted(tagged, key=lambda item: item[0]):  # the check's order (engine._merge)
        found.setdefault(identity(finding), finding)
    chosen = [found[place] for place in places if place in found]
    planned = fixes.plan_files(chosen, project.parsed_contexts(), options.allowed, options.unsafe, options.helper)
    return (planned.new_code, planned.old_code, [identity(f) for f in planned.applied], planned.failed,
            [(identity(f), other) for f, other in planned.outside], planned.imported)


def plan_own(ctx, path: Path, tagged: list, comments: list, settings) -> tuple[tuple | None, tuple | None]:
    """In a check unit of zlint fix: the plan of the findings the file's own analysis found in it
    and the parent will choose too (fixable, not suppressed, not ignored for the file, in the
    parent's order; ``comments``: its suppression comments), as (identities chosen, identities
    applied, (old bytes, new bytes or None), (path, why) failed, helper functions imported); None
    when a fix reaches into another file. Second, with FixOptions.check_ahead, the fixed (bytes,
    tree, its positions), or None."""
    from zlint import fixes
    from zlint.engine import reported

    options = settings.fix
    first: dict[tuple, object] = {}
    for _, finding in sorted(tagged, key=lambda item: item[0]):
        if finding.path == ctx.path:
            first.setdefault(identity(finding), finding)
    own = reported(ctx.path, path, list(first.values()), comments, settings.config)
    wanted = sorted((f for f in own if fixable(f, options.unsafe)), key=lambda f: f.sort_key)
    if any(where != ctx.path for f in wanted for where, _, _ in f.edits):
        return None, None
    planned = fixes.plan_files(wanted, {ctx.path: ctx}, options.allowed, options.unsafe, options.helper,
                               keep_trees=options.check_ahead)
    if planned.outside:
        return None, None
    new = planned.new_code.get(ctx.path)
    return (([identity(f) for f in wanted], [identity(f) for f in planned.applied], (ctx.source, new),
             planned.failed, planned.imported),
            (new, *planned.trees[ctx.path]) if ctx.path in planned.trees else None)


def check_fixed(project, path: Path, source: bytes, tree, positions, settings) -> tuple | None:
    """In a check unit of zlint fix: the check that zlint fix runs once it has written ``source``
    (the file's fixed code), done now on ``tree``, the fixed tree at hand, which spares that
    check the file's parse. As plain data for the cache (engine._remember_fixed_check):
    (digest of ``source``, the first index round's words, the index names, their trace, the words
    the check was run with, its outcome, its trace). None when it cannot stand for a parse.

    A fresh parse of the fixed code gives the same tree, node for node, when no node object sits
    in two places of it. The results are stored under the digest of ``source`` and with their
    traces, as any check's are, so the later check uses them only if the file holds these bytes
    then and everything else the analysis read is unchanged; else it works them out again."""
    from zlint import work
    from zlint.analysis.module import ModuleContext
    from zlint.analysis.project import digest_of, indexing_words, refused_before_parsing
    from zlint.engine import index_words, indexed_again, outcome_to_data, storable
    from zlint.outcome import CheckSettings

    if refused_before_parsing(project.display(path), source) is not None:
        return None  # a parse would not be analysed either: the check after the writes reports it
    try:
        ctx = ModuleContext(project.display(path), project.module_name(path), tree, source, positions)
    except RecursionError:
        return None
    if not ctx.each_node_once:
        return None
    first_words = index_words()  # engine._index's first round, which indexes a file that names an endpoint
    with project.substituted(path, source, ctx):
        index = work.index_unit(project, path, first_words)
        if index.error is not None or not storable(index.trace):
            return None
        words = tuple(sorted({*settings.tokens, *index.names}))  # the check's, and what the fixed code adds
        again = None  # the index's last round, in a project with methods doing territory work
        if indexed_again(words):
            again = work.index_unit(project, path, indexing_words(words))
            if again.error is not None or not storable(again.trace):
                return None
        outcome, _ = work.check_file(project, path, CheckSettings(settings.config, settings.target, words, plain=True),
                                     relevant=True)
    if not outcome.clean or not storable(outcome.trace):
        return None
    return (digest_of(source), first_words, index.names, index.trace.plain(), words, outcome_to_data(outcome),
            outcome.trace.plain(), (again.names, again.trace.plain()) if again is not None else None)
