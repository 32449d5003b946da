"""A territory URL on v2-v6 in a project that declares it targets v7 or later."""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from zlint.analysis.flow import View
from zlint.analysis.module import ModuleContext, descendants
from zlint.checks.base import Invalid, Rule
from zlint.catalogue import load_catalogue
from zlint.findings import Finding
from zlint.rewrites.version import moved, version_literals


class BelowTargetVersion(Rule):
    """A territory URL on v2-v6 in a project that declares it targets v7 or later."""

    CODE = "ZL111"
    NAME = "below-target-version"
    SEVERITY = "warning"
    CASE_TARGET = "v7"  # the cases run as if the project declared v7
    WHY = ("v2-v6 answer 200 SUCCESS whether the job was scheduled or not, so the code cannot tell; "
           "the project targets v7+, where every call answers 202 SCHEDULED with a job_id")
    FIX = "move the URL to the target version, with 202/SCHEDULED accepted and the job awaited"

    def check(self, view: View) -> Iterator[Finding]:
        target = view.analyzer.target_version
        catalogue = load_catalogue()
        if view.env or not view.analyzer.target_declared or catalogue.era(target) != "v7+":
            return
        for call, flow in view.territory_flows():
            version = flow.call.version
            request = view.request(call)
            if request is None or flow.sdk or catalogue.era(version) != "v2-v6":
                continue
            url = _url_argument(call)
            literals = version_literals(view, url, version) if url is not None else []
            edits = None
            # (not when a rule that adapts the handling to v7+ is off: a "SUCCESS" test would stay)
            on = view.analyzer.version_fixes_on
            if len(literals) == 1 and on(view.ctx.path) and on(literals[0][0].path) and _only_territory_work(
                    view, *literals[0]):
                ctx, literal = literals[0]
                edits = [(ctx.path, literal, moved(literal, version, target))]
            yield self.report(view, call, f"{flow.call.describe()} calls {version} while the project targets "
                                          f"{target}", flow, edits=edits, safety="unsafe")

    VALID = [
        # already on the target version
        '''
import requests
def assign(payload):
    return requests.post("https://www.zohoapis.com/crm/v7/Leads/actions/assign_territories", json=payload)
''',
    ]
    INVALID = [
        Invalid(
            """
import requests
API_VERSION = "v2.1"
BASE = f"https://www.zohoapis.com/crm/{API_VERSION}"
def assign(payload):
    return requests.post(f"{BASE}/Leads/actions/assign_territories", json=payload)
""",
            6, 12,
            "assign_territories (v2.1, Leads) calls v2.1 while the project targets v7",
            fixed="""
import requests
API_VERSION = "v7"
BASE = f"https://www.zohoapis.com/crm/{API_VERSION}"
def assign(payload):
    return requests.post(f"{BASE}/Leads/actions/assign_territories", json=payload)
""",
        ),
        Invalid(  # no fix: the version is in a constant that a GET of records reads too
            """
import requests
BASE = "https://www.zohoapis.com/crm/v2"
def leads(headers):
    return requests.get(f"{BASE}/Leads", params={"page": 1}, headers=headers).json()
def assign(payload):
    return requests.post(f"{BASE}/Leads/actions/assign_territories", json=payload)
""",
            7, 12,
            "assign_territories (v2, Leads) calls v2 while the project targets v7",
        ),
        Invalid(
            """
import requests
def remove(record_id, session=requests):
    return session.post(f"https://www.zohoapis.eu/crm/v5/Deals/{record_id}/actions/remove_territories")
""",
            4, 12,
            "remove_territories (v5, Deals) calls v5 while the project targets v7",
            fixed="""
import requests
def remove(record_id, session=requests):
    return session.post(f"https://www.zohoapis.eu/crm/v7/Deals/{record_id}/actions/remove_territories")
""",
        ),
    ]


MAX_READERS_DEPTH = 4  # constants built from constants followed to their readers


def _only_territory_work(view: View, ctx: ModuleContext, literal: cst.CSTNode) -> bool:
    """Whether moving the version in ``literal`` moves territory work only: every reader of it, in
    its module and, for a module-level constant (``ZOHO_API_VERSION = "v2.1"`` in settings.py),
    in the project's other modules, is one (a ``GET .../org`` built from it too is not)."""
    if not _read_by_territory_urls_only(view, ctx, literal):
        return False
    statement = ctx.parents.get(literal)
    while statement is not None and not isinstance(statement, (cst.Assign, cst.AnnAssign, cst.BaseCompoundStatement)):
        statement = ctx.parents.get(statement)
    if not isinstance(statement, (cst.Assign, cst.AnnAssign)) or ctx.body_of(statement) is not ctx.top:
        return True
    targets = [t.target for t in statement.targets] if isinstance(statement, cst.Assign) else [statement.target]
    for target in targets:
        readers = _readers_elsewhere(view, ctx, target.value) if isinstance(target, cst.Name) else None
        if readers is None or not all(_read_by_territory_urls_only(view, where, node) for where, node in readers):
            return False
    return True


def _readers_elsewhere(view: View, ctx: ModuleContext, name: str) -> list[tuple[ModuleContext, cst.CSTNode]] | None:
    """The reads of the module-level ``name`` of ``ctx`` in the project's other files (by import,
    or as an attribute of the module); None when a file that names it cannot be read or parsed, or
    names it without a read of this module's constant that the analysis can tell."""
    project = view.analyzer.project
    if project.trace is not None:  # the answer rests on which files the project holds, which a
        project.trace.files["*"] = (None, "*", "*")  # trace cannot say: this unit is not cached
    qualified = f"{ctx.name}.{name}"
    stem = ctx.name.rpartition(".")[2].encode()
    found = []
    for path in project.paths:
        if project.display(path) == ctx.path or not path.suffix == ".py":
            continue
        try:
            source = project.source(path)
        except OSError:
            return None
        if name.encode() not in source or stem not in source:
            continue  # (a file that never names the module cannot import from it: its NAME is its own)
        other = project.context(path)
        if not isinstance(other, ModuleContext):
            return None
        here = [(other, node) for node in [*descendants(other.module, cst.Name), *descendants(other.module, cst.Attribute)]
                if (node.value if isinstance(node, cst.Name) else node.attr.value) == name
                and not _in_import(other, node) and qualified in other.qualified_names(node)]
        if not here:
            return None  # named there, but read in a way not told apart (an alias, *, getattr, Django's settings)
        found += here
    return found


def _in_import(ctx: ModuleContext, node: cst.CSTNode) -> bool:
    current = ctx.parents.get(node)
    while current is not None and not isinstance(current, cst.SimpleStatementLine):
        if isinstance(current, (cst.Import, cst.ImportFrom)):
            return True
        current = ctx.parents.get(current)
    return False


def _read_by_territory_urls_only(view: View, ctx: ModuleContext, node: cst.CSTNode, depth: int = 0) -> bool:
    """Whether moving the version in ``node`` changes only what the migration moves: it sits in a
    territory call (or a read of a record, a job status call), a parameter's default, or a constant
    whose every reader in its module is one of these. ``BASE = ".../crm/v2"`` that a listing of
    records reads too is left alone (v5+ need ``fields`` there); readers in other modules are not seen."""
    while node is not None and not isinstance(node, (cst.Assign, cst.AnnAssign, cst.Param, cst.Return,
                                                     cst.FunctionDef, cst.Module)):
        if isinstance(node, cst.Call):  # a request reads the value; other calls pass it on (os.getenv, str, ...)
            call_view = view.analyzer.view(ctx, ctx.body_of(node).node)
            if call_view.territory_call(node) is not None or call_view.is_record_read(node) or (
                    call_view.is_job_wait(node)):
                return True  # the migration moves these together: the record read back, the job's status
            if call_view.request(node) is not None:
                return False
        node = ctx.parents.get(node)
    if isinstance(node, cst.Param):
        return True
    if not isinstance(node, (cst.Assign, cst.AnnAssign)) or depth >= MAX_READERS_DEPTH:
        return False
    targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
    if not all(isinstance(target, cst.Name) for target in targets):
        return False
    for target in targets:
        scope = ctx.scopes.get(target)
        if scope is None:
            return False
        for assignment in scope.assignments[target.value]:
            if getattr(assignment, "node", None) is not target:
                continue
            for access in assignment.references:
                if not _read_by_territory_urls_only(view, ctx, access.node, depth + 1):
                    return False
    return True


def _url_argument(call: cst.Call) -> cst.BaseExpression | None:
    positional = [a.value for a in call.args if a.keyword is None and not a.star]
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    verb = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
    if verb == "request":
        return positional[1] if len(positional) > 1 else keywords.get("url")
    return positional[0] if positional else keywords.get("url")
