"""The per-file pieces of work of a run (units), each a function of plain data to plain data.

* ``index_unit``: the names a file contributes to the repo-wide wrapper index (functions that
  return a territory response, constants that hold an endpoint), each with the words a user of
  it must also mention.
* ``check_unit``: a file's findings, its territory calls (the inventory), its suppression
  comments, and the findings its calls cause in other files' shared helpers (a helper analysed
  with this file's arguments).

Each unit gets an analyzer of its own, so its result depends only on its inputs and on what it
reads through the project (its trace, see zlint/analysis/project.py): units can run in any
order, in any process, or come from the cache, and give the same findings. The engine merges
the findings of all units in the order a single shared traversal would have met them.
"""

from __future__ import annotations

import functools
import os
import re
import time

import libcst as cst

from zlint.analysis import mocks
from zlint.analysis.flow import Analyzer, View
from zlint.analysis.module import ModuleContext
from zlint.analysis.project import METHOD_MARK, ParseFailure, Project, Trace, method_word
from zlint.analysis.resolve import ZOHO_WORDS, Function, UserClass, declared_only
from zlint.analysis.values import HOLE, Text
from zlint.catalogue import builds_action_name, load_catalogue
from zlint.checks import ALL_RULES
from zlint.checks.base import META_RULES
from zlint.engine import per_file_ignored, token_pattern
from zlint.findings import CallRecord, Finding
from zlint.outcome import CheckOutcome, CheckSettings, IndexOutcome, plain_finding

_META = {r.code: r for r in META_RULES}
_MOCK_WORDS = re.compile(rb"responses|requests_mock|respx|httpretty|return_value|json=")


# -- the wrapper index ---------------------------------------------------------------------


def territory_names(ctx: ModuleContext, analyzer: Analyzer) -> dict[str, set[str]]:
    """Names another module may use to reach territory work defined here, each with the words a
    file must also mention to use it (the module's dotted parts, or the class of a method): a
    function that returns a territory response (or part of it) or builds an endpoint's URL, and a
    constant that holds an endpoint."""
    catalogue = load_catalogue()
    words = catalogue.prefilter_tokens
    module_anchors = {part for part in ctx.name.split(".") if part}
    found: dict[str, set[str]] = {}

    def holds_endpoint(value: cst.BaseExpression) -> bool:  # on some path through the code
        def named(folded) -> bool:
            return isinstance(folded, Text) and any(word in folded.value for word in words)

        folded, on_each_path = analyzer.folder.each_path(lambda: analyzer.folder.fold(ctx, value))
        return named(folded) or any(named(one) for one in on_each_path())

    built = builds_action_name(ctx.source)
    for body in ctx.bodies.values():
        function = body.node
        if not isinstance(function, cst.FunctionDef) or function.name.value.startswith("__") or not body.returns:
            continue
        builds = analyzer.folder.single_return(ctx, function)  # a URL builder's one return
        view = analyzer.view(ctx, function)
        if (builds is not None and holds_endpoint(builds) or view.returned_flow() is not None
                or built and _requests_built_action(view)):
            name = function.name.value
            anchors = set()
            if body.klass is not None:  # also called on receivers typed by a base class, or not typed
                ancestors = analyzer.resolver.ancestors(UserClass(ctx, body.klass))
                anchors = {body.klass.name.value, *ZOHO_WORDS, *(base.node.name.value for base in ancestors),
                           *(part for base in ancestors for part in base.ctx.name.split(".") if part)}
                if "territor" in name.lower():
                    anchors.add(name)
                found.setdefault(method_word(name, ctx.name, body.klass.name.value), set())
                for base in ancestors:  # a module re-exporting a base class is read (_territory_classes)
                    found.setdefault(base.node.name.value, set()).update(p for p in base.ctx.name.split(".") if p)
            found.setdefault(name, set()).update(anchors | module_anchors)
    _territory_classes(ctx, analyzer, found, module_anchors)
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


def _territory_classes(ctx: ModuleContext, analyzer: Analyzer, found: dict[str, set[str]],
                       module_anchors: set[str]) -> None:
    """What the index needs to follow calls on objects of classes whose methods do territory work
    (Resolver.functions, calls.untyped_receiver), added to ``found``: such a class's name, so that
    the files subclassing it are read; a subclass's name, or the name a module imports it or its
    base under, as an anchor of the methods it has; the functions handing out such objects
    (``make_client()``, ``Zoho.from_env()``); and the other classes' methods of those names, which
    make a call on a receiver of unknown type ambiguous."""
    resolver = analyzer.resolver
    places = {(module, klass) for where in resolver.methods.values() for module, klass in where}
    here = [word.partition(METHOD_MARK) for word in found if METHOD_MARK in word]
    places |= {tuple(owner.rsplit(".", 1)) for _, _, owner in here}
    if not places:
        return
    names_of = {name for name, _, _ in here} | set(resolver.methods)

    def territory_methods_of(klass: UserClass) -> set[str]:  # its own or inherited
        owners = {(owner.ctx.name, owner.node.name.value) for owner in resolver.lineage(klass.ctx, klass.node)}
        return {name for name in names_of if owners & _places_of(name, resolver, here)}

    # a class imported under another name (``from ports.base import BaseBackend as Backend``): the
    # name, with this module, reaches the methods of the classes it is, or is a base of
    renamed = resolver.imported_classes(ctx, renamed=True)
    implemented = {(base.ctx.name, base.node.name.value): klass for klass in resolver.territory_classes()
                   for base in resolver.lineage(klass.ctx, klass.node)} if renamed else {}
    for local, klass in renamed:
        implementation = implemented.get((klass.ctx.name, klass.node.name.value))
        if implementation is not None:
            found.setdefault(local, set()).update(module_anchors)
            for name in territory_methods_of(implementation):
                found.setdefault(name, set()).update({local} | module_anchors)

    for info in ctx.classes.values():
        klass_name = info.node.name.value
        inherited = territory_methods_of(UserClass(ctx, info.node))
        if inherited:
            found.setdefault(klass_name, set()).update(module_anchors)
            for name in inherited:
                found.setdefault(name, set()).update({klass_name} | module_anchors)
        for name, method in info.methods.items():  # a model, another CRM's client (a fake in the tests is Zoho's)
            if (name in resolver.methods and (ctx.name, klass_name) not in _places_of(name, resolver, here)
                    and not declared_only(method) and not ctx.in_tests):
                found.setdefault(method_word(name, ctx.name, klass_name, territorial=False), set())
    for body in ctx.bodies.values():
        function = body.node
        if not isinstance(function, cst.FunctionDef) or function.name.value in found or not body.returns:
            continue
        made = [o.user_class for o in analyzer.calls.returned(Function(ctx, function)) if o.user_class is not None]
        if any(territory_methods_of(klass) for klass in made):
            anchors = {body.klass.name.value} if body.klass is not None else set()
            found.setdefault(function.name.value, set()).update(anchors | module_anchors)


def _places_of(name: str, resolver, here) -> set[tuple[str, str]]:
    """(module, class) of each class whose method ``name`` does territory work: known from the
    index's earlier rounds, or found in this file (``here``: method_word parts)."""
    return {*resolver.methods.get(name, ()),
            *(tuple(owner.rsplit(".", 1)) for method, _, owner in here if method == name)}


_CALLER_COMPLETES = re.compile(re.escape(HOLE) + r"_territories\b")  # a folded URL's action, its start unknown


def _requests_built_action(view: View) -> bool:
    """Whether the function sends a request whose URL ends in an endpoint name its caller completes
    (``requests.post(f"{BASE}/Leads/actions/{op}_territories")``): a wrapper for the callers that
    pass ``op``, though no territory call is seen in the function alone."""
    for call in view.body.calls:
        request = view.request(call)
        if request is not None and _CALLER_COMPLETES.search(request.url.value):
            return True
    return False


def index_unit(project: Project, path, tokens: tuple[str, ...]) -> IndexOutcome:
    """The names ``path`` contributes, found with an analyzer that follows code mentioning ``tokens``."""
    project.trace = trace = Trace()
    error = None
    names: dict[str, list[str]] = {}
    try:
        ctx = project.context(path)
        if isinstance(ctx, ModuleContext):
            analyzer = Analyzer(project, token_pattern(tokens), tokens)
            names = {name: sorted(words) for name, words in territory_names(ctx, analyzer).items()}
    except Exception as failure:  # noqa: BLE001 - one odd file must not stop the run
        if os.environ.get("ZLINT_DEBUG"):
            raise
        names = {}
        error = (f"{project.display(path)}: internal error while indexing its wrappers: "
                 f"{type(failure).__name__}: {failure}")
    finally:
        project.trace = None
    return IndexOutcome(names, trace, error)


# -- the findings of one file ----------------------------------------------------------------


# the rules whose fixes adapt the handling of an answer to v7+ (202, SCHEDULED, codes not messages)
VERSION_FIXES = frozenset({"ZL102", "ZL103", "ZL104", "ZL105"})


def _version_fixes_on(project: Project, config, display: str) -> bool:
    """Whether every rule of VERSION_FIXES is on for the file shown as ``display``."""
    if not all(config.enabled(code) for code in VERSION_FIXES):
        return False
    path = project.path_of_display(display)
    return path is None or not VERSION_FIXES & per_file_ignored(display, path, config)


def configure(analyzer: Analyzer, config, target) -> Analyzer:
    """The run's settings on an analyzer (one place, for every unit)."""
    analyzer.target_version = target.version
    analyzer.job_helper = config.job_helper
    analyzer.target_declared = target.declared
    analyzer.version_fixes_on = functools.partial(_version_fixes_on, analyzer.project, config)
    if target.from_sdk:
        analyzer.calls.sdk_version = target.version
    return analyzer


def check_unit(project: Project, path, settings: CheckSettings, relevant: bool) -> CheckOutcome:
    """Run the rules over every body of ``path`` (then over the bodies of other files its calls
    reach with their arguments). ``relevant``: the prefilter let the file through (a file that
    does not parse is reported only then). In zlint fix, also plan the fixes of the file's own
    findings and check the fixed code ahead (see fixwork.check_fixed)."""
    outcome, fixed = check_file(project, path, settings, relevant)
    if fixed is not None:  # (only when the fix checks ahead)
        from zlint.fixwork import check_fixed

        try:
            outcome.fixed_check = check_fixed(project, path, *fixed, settings)
        except Exception:  # noqa: BLE001 - only a saving: the check after the writes meets any failure itself
            if os.environ.get("ZLINT_DEBUG"):
                raise
    return outcome


def check_file(project: Project, path, settings: CheckSettings, relevant: bool) -> tuple[CheckOutcome, tuple | None]:
    """check_unit's outcome, and with settings.fix the fixed code and tree of the file (or None)."""
    from zlint import suppressions

    config = settings.config
    outcome = CheckOutcome()
    timings = outcome.timings
    project.trace = outcome.trace = Trace()
    try:
        started = time.perf_counter()
        ctx = project.context(path)
        if isinstance(ctx, ModuleContext):
            ctx.scopes  # noqa: B018 - resolve here so the rules' time is their own
        timings["parse and scope metadata"] = time.perf_counter() - started
        if isinstance(ctx, ParseFailure):
            if relevant:  # a file that cannot hold territory work is no concern of zlint's
                info = _META[ctx.code]
                if config.enabled(ctx.code):
                    outcome.findings.append(((0, 0, -1, 0), Finding(
                        ctx.code, info.name, ctx.path, ctx.line, ctx.column, ctx.line, ctx.column, ctx.message,
                        info.why, info.fix)))
            try:
                outcome.comments = [_plain_comment(c) for c in suppressions.parse(project.source(path))]
            except OSError:
                outcome.comments = []
            return outcome, None
        outcome.parsed = True
        comments = suppressions.parse(ctx.source)
        outcome.comments = [_plain_comment(c) for c in comments]
        analyzer = configure(Analyzer(project, token_pattern(settings.tokens), settings.tokens), config,
                             settings.target)
        rules = [(rule(), f"rule {rule.CODE} {rule.NAME}") for rule in ALL_RULES if config.enabled(rule.CODE)]
        has_mocks = _MOCK_WORDS.search(ctx.source) is not None and config.enabled_any(("ZL201", "ZL202"))
        sequence = [0]

        def add(tag: tuple, finding: Finding) -> None:
            if config.enabled(finding.code):
                outcome.findings.append(((*tag, sequence[0]), finding))
                sequence[0] += 1

        def run_rules(view: View, tag: tuple) -> None:
            for rule, stage in rules:
                began = time.perf_counter()
                try:
                    for finding in rule.check(view):
                        add(tag, finding)
                finally:
                    timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - began

        for number, body in enumerate(ctx.bodies.values()):
            view = analyzer.view(ctx, body.node)
            tag = (0, 0, number)
            _guarded(outcome, ctx.path, lambda v, tag=tag: run_rules(v, tag), view, tag)
            if has_mocks:
                _guarded(outcome, ctx.path, lambda v, tag=tag: [add(tag, f) for f in mocks.check(v)], view, tag)
            _guarded(outcome, ctx.path, lambda v: outcome.calls.extend(_inventory(v)), view, tag)
        # bodies seen with a call site's arguments, breadth first (the list grows as they are run)
        levels = [1] * len(analyzer.specialised)
        done = 0
        while done < len(analyzer.specialised):
            view = analyzer.specialised[done]
            before = len(analyzer.specialised)
            tag = (1, levels[done], done)
            _guarded(outcome, view.ctx.path, lambda v, tag=tag: run_rules(v, tag), view, tag)
            levels.extend([levels[done] + 1] * (len(analyzer.specialised) - before))
            done += 1
        fixed = None
        if settings.fix is not None:  # zlint fix: its plan of this file, while the tree is at hand
            from zlint.fixwork import plan_own

            outcome.planned, fixed = plan_own(ctx, path, outcome.findings, comments, settings)
        if settings.plain:
            outcome.findings = [(tag, plain_finding(finding)) for tag, finding in outcome.findings]
        return outcome, fixed
    finally:
        project.trace = None


def _guarded(outcome: CheckOutcome, path: str, work, view: View, tag: tuple) -> None:
    """Run one body's analysis; a failure there is reported for that file and the run goes on."""
    try:
        work(view)
    except RecursionError:
        outcome.clean = False
        outcome.errors.append((tag, f"{path}: code nested too deeply to analyse; skipped part of the file"))
    except Exception as error:  # noqa: BLE001 - one odd file must not stop the run
        if isinstance(error.__context__, KeyboardInterrupt):  # clean-up code that failed under a Ctrl-C
            raise error.__context__ from None
        if os.environ.get("ZLINT_DEBUG"):
            raise
        outcome.clean = False
        outcome.errors.append((tag, f"{path}: internal error while analysing: {type(error).__name__}: {error}"))


def _inventory(view: View) -> list[CallRecord]:
    records = []
    for call, flow in view.territory_flows():
        span = view.ctx.position(call)
        place = span.start
        direct = view.territory_call(call)
        if direct is None and flow.call.path == view.ctx.path and (place.line, place.column + 1) <= (
                flow.call.line, flow.call.column) <= (span.end.line, span.end.column + 1):
            continue  # ``handle(requests.post(...))``: the request in its arguments is the call listed
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


def _plain_comment(comment) -> tuple:
    return (comment.kind, list(comment.codes), comment.line, comment.column, comment.applies_to)
