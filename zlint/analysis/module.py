"""One parsed Python file: its CST, scope metadata, and the nodes each function body holds.

A single traversal (``_Collector``) sorts the nodes the rules look at by the function body
(the "owner") they belong to, so that any rule can run over one body, also again with the
argument values of a particular call site.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property

import libcst as cst
from libcst.metadata import (
    Access,
    Assignment,
    BaseAssignment,
    CodeRange,
    MetadataWrapper,
)

from zlint.analysis import fastcst

Owner = cst.FunctionDef | cst.Module


def attribute_name(expr: cst.BaseExpression) -> str | None:
    """The last name of ``a.b.name`` or of ``name``."""
    return expr.attr.value if isinstance(expr, cst.Attribute) else expr.value if isinstance(expr, cst.Name) else None


def decorated(function: cst.FunctionDef, *names: str) -> bool:
    """Whether ``function`` carries ``@name`` (also ``@functools.name``) for one of ``names``."""
    return any(attribute_name(d.decorator) in names for d in function.decorators)


def descendants(node: cst.CSTNode, kind: type) -> Iterator:
    """``node`` and the nodes below it that are of ``kind``, in source order."""
    if isinstance(node, kind):
        yield node
    for child in node.children:
        yield from descendants(child, kind)


@dataclass(eq=False)
class Body:
    """The nodes of one function body (nested functions excluded) or of the module's top level."""

    node: Owner
    klass: cst.ClassDef | None = None  # the class a method belongs to
    calls: list[cst.Call] = field(default_factory=list)
    comparisons: list[cst.Comparison] = field(default_factory=list)
    subscripts: list[cst.Subscript] = field(default_factory=list)
    returns: list[cst.Return | cst.Yield] = field(default_factory=list)
    loops: list[cst.For] = field(default_factory=list)
    whiles: list[cst.While] = field(default_factory=list)
    ifs: list[cst.If] = field(default_factory=list)
    continues: list[cst.Continue] = field(default_factory=list)
    assigns: list[cst.Assign] = field(default_factory=list)
    matches: list[cst.Match] = field(default_factory=list)


@dataclass(eq=False)
class ClassInfo:
    node: cst.ClassDef
    methods: dict[str, cst.FunctionDef] = field(default_factory=dict)
    # attribute name -> (value expression, the body it is assigned in)
    attributes: dict[str, list[tuple[cst.BaseExpression, Owner]]] = field(default_factory=dict)
    # attribute name -> its annotation in the class body (``crm: ZohoClient``, a dataclass field)
    annotations: dict[str, cst.BaseExpression] = field(default_factory=dict)


class _Collector(cst.CSTVisitor):
    """One walk over the module: bodies and the nodes each holds, classes, and every node's parent
    (what ParentNodeProvider gives, without its traversal)."""

    def __init__(self, module: cst.Module) -> None:
        self.bodies: dict[int, Body] = {}
        self.classes: dict[int, ClassInfo] = {}
        self.body_of: dict[int, Body] = {}  # id(node) -> body, for the collected nodes
        self._parents: dict[int, cst.CSTNode] = {}  # id(node) -> parent
        self.parents = fastcst.Parents(self._parents)
        self._stack: list[Body] = [self._new_body(module, None)]
        self._class_stack: list[ClassInfo | None] = [None]
        cls = type(self)
        self._enter = {node_cls: getattr(self, f"visit_{node_cls.__name__}") for node_cls in _COLLECTED
                       if f"visit_{node_cls.__name__}" in cls.__dict__}
        self._leave = {node_cls: getattr(self, f"leave_{node_cls.__name__}") for node_cls in _COLLECTED
                       if f"leave_{node_cls.__name__}" in cls.__dict__}

    def collect(self, module: cst.Module) -> None:
        self.visited = fastcst.collect(module, self._parents, self._enter, self._leave)

    def _new_body(self, node: Owner, klass: cst.ClassDef | None) -> Body:
        body = Body(node, klass)
        self.bodies[id(node)] = body
        return body

    @property
    def _body(self) -> Body:
        return self._stack[-1]

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        info = ClassInfo(node)
        self.classes[id(node)] = info
        for statement in node.body.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                        info.annotations[small.target.value] = small.annotation.annotation
                    if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
                        targets = (
                            [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                        )
                        for target in targets:
                            if isinstance(target, cst.Name):
                                info.attributes.setdefault(target.value, []).append((small.value, self._body.node))
        self._class_stack.append(info)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._class_stack.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        info = self._class_stack[-1]
        if info is not None and self._stack[-1].node is not node:
            info.methods.setdefault(node.name.value, node)
        klass = info.node if info is not None else None
        self._stack.append(self._new_body(node, klass))
        self._class_stack.append(None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._stack.pop()
        self._class_stack.pop()

    def _add(self, bucket: list, node: cst.CSTNode) -> None:
        bucket.append(node)
        self.body_of[id(node)] = self._body

    def visit_Call(self, node: cst.Call) -> None:
        self._add(self._body.calls, node)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        self._add(self._body.comparisons, node)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._add(self._body.subscripts, node)

    def visit_Return(self, node: cst.Return) -> None:
        self._add(self._body.returns, node)

    def visit_Yield(self, node: cst.Yield) -> None:
        self._add(self._body.returns, node)

    def visit_For(self, node: cst.For) -> None:
        self._add(self._body.loops, node)

    def visit_While(self, node: cst.While) -> None:
        self._add(self._body.whiles, node)

    def visit_If(self, node: cst.If) -> None:
        self._add(self._body.ifs, node)

    def visit_Continue(self, node: cst.Continue) -> None:
        self._add(self._body.continues, node)

    def visit_Match(self, node: cst.Match) -> None:
        self._add(self._body.matches, node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self._add(self._body.assigns, node)
        # ``self.attr = value`` inside a method records an instance attribute of the class.
        body = self._body
        if body.klass is None or not isinstance(body.node, cst.FunctionDef):
            return
        for target in node.targets:
            self._instance_attribute(target.target, node.value, body)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        body = self._body
        if body.klass is not None and isinstance(body.node, cst.FunctionDef):
            target = node.target
            if (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)
                    and target.value.value == "self"):  # ``self.crm: HubSpotCrm = crm``
                self.classes[id(body.klass)].annotations.setdefault(target.attr.value, node.annotation.annotation)
            if node.value is not None:
                self._instance_attribute(node.target, node.value, body)

    def _instance_attribute(self, target: cst.BaseExpression, value: cst.BaseExpression, body: Body) -> None:
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value == "self"
            and body.klass is not None
        ):
            info = self.classes[id(body.klass)]
            info.attributes.setdefault(target.attr.value, []).append((value, body.node))


_COLLECTED = (cst.ClassDef, cst.FunctionDef, cst.Call, cst.Comparison, cst.Subscript, cst.Return, cst.Yield,
              cst.For, cst.While, cst.If, cst.Continue, cst.Assign, cst.AnnAssign, cst.Match)


@dataclass(frozen=True)
class Definition:
    """What a name was bound to: the statement kind and the expression that gave the value."""

    kind: str  # assign | for | with | param | def | class | import | other
    value: cst.CSTNode | None
    owner: Owner | None = None
    index: int | None = None  # position in a tuple target, when unpacked
    statement: cst.CSTNode | None = None  # the Assign, AnnAssign, For or With that binds the name


class ModuleContext:
    """A parsed file with the metadata and lookups the analysis needs."""

    def __init__(self, path: str, name: str, module: cst.Module, source: bytes,
                 positions: fastcst.Positions | None = None) -> None:
        self.path = path  # as reported to the user
        self.name = name  # dotted module name
        self.source = source
        self.wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.module = self.wrapper.module
        collector = _Collector(self.module)
        collector.collect(self.module)
        self.bodies = collector.bodies
        self.classes = collector.classes
        self._body_of = collector.body_of
        self.parents = collector.parents  # node -> parent (.get), as ParentNodeProvider gives them
        # no node object in two places (always so for a parsed module; see fixwork.check_fixed)
        self.each_node_once = collector.visited == len(self.parents)
        if positions is not None:  # computed with the module's code (fixwork.check_fixed)
            self.__dict__["positions"] = positions

    @cached_property
    def scopes(self):
        """ScopeProvider's metadata (see fastcst.scope_metadata for how it is computed)."""
        return fastcst.scope_metadata(self.wrapper)

    @cached_property
    def positions(self):
        """PositionProvider's ranges (see fastcst.positions)."""
        return fastcst.positions(self.module)

    def position(self, node: cst.CSTNode) -> CodeRange:
        return self.positions[node]

    def code(self, node: cst.CSTNode) -> str:
        """The node's code; a function's is kept (the relevance test of each unit asks for it)."""
        if type(node) is not cst.FunctionDef or id(node) not in self.bodies:
            return self.module.code_for_node(node)
        found = self._codes.get(id(node))
        if found is None:
            found = self._codes[id(node)] = self.module.code_for_node(node)
        return found

    @cached_property
    def _codes(self) -> dict[int, str]:
        return {}

    @property
    def top(self) -> Body:
        return self.bodies[id(self.module)]

    def body_of(self, node: cst.CSTNode) -> Body:
        """The body a collected node (call, comparison, ...) belongs to; else found by climbing."""
        known = self._body_of.get(id(node))
        if known is not None:
            return known
        current: cst.CSTNode | None = node
        while current is not None:
            if isinstance(current, (cst.FunctionDef, cst.Module)) and current is not node:
                return self.bodies[id(current)]
            current = self.parents.get(current)
        return self.top

    def is_within(self, node: cst.CSTNode, ancestor: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            if current is ancestor:
                return True
            current = self.parents.get(current)
        return False

    @property
    def in_tests(self) -> bool:
        """Whether this is a test module: one pytest collects tests from (``test_*.py``,
        ``*_test.py``), a ``conftest.py``, Django's ``tests.py``, or a file in a ``tests`` or
        ``test`` folder."""
        parts = self.path.replace("\\", "/").split("/")
        name = parts[-1]
        return (name.startswith("test_") or name.endswith("_test.py") or name in {"conftest.py", "tests.py"}
                or any(part in {"tests", "test"} for part in parts[:-1]))

    def class_info(self, node: cst.ClassDef) -> ClassInfo:
        return self.classes[id(node)]

    # -- names ---------------------------------------------------------------------------

    def referents(self, name: cst.Name) -> list[BaseAssignment]:
        scope = self.scopes.get(name)
        if scope is None:
            return []
        key = (id(scope), name.value)
        by_node = self._accesses.get(key)
        if by_node is None:  # every access of this name in the scope, indexed once (not scanned per use)
            by_node = self._accesses[key] = {}
            for access in scope.accesses[name]:
                if isinstance(access, Access):
                    by_node.setdefault(id(access.node), []).extend(access.referents)
        return list(by_node.get(id(name), ()))

    @cached_property
    def _accesses(self) -> dict[tuple[int, str], dict[int, list[BaseAssignment]]]:
        return {}

    def qualified_names(self, node: cst.CSTNode) -> set[str]:
        """Fully qualified names of an expression, relative imports resolved against this module.
        Worked out once per node (the scopes do not change): callers must not change the set."""
        key = id(node)
        names = self._qualified.get(key)
        if names is not None:
            return names
        scope = self.scopes.get(node)
        if scope is None:
            return set()
        names = set()
        for qualified in scope.get_qualified_names_for(node):
            names.add(self.absolute_name(qualified.name))
        self._qualified[key] = names  # the node is in this tree (it has a scope): its id stays its own
        return names

    @cached_property
    def _qualified(self) -> dict[int, set[str]]:
        return {}

    def absolute_name(self, name: str) -> str:
        """A possibly relative dotted name (``.settings.X``) made absolute against this module."""
        if not name.startswith("."):
            return name
        dots = len(name) - len(name.lstrip("."))
        package = self.name.split(".")
        if not self.is_package:
            package = package[:-1]
        if dots > 1:
            package = package[: len(package) - (dots - 1)]
        rest = name[dots:]
        return ".".join([*package, rest] if rest else package)

    @property
    def is_package(self) -> bool:
        return self.path.endswith("__init__.py")

    def definition(self, assignment: BaseAssignment) -> Definition:
        """The statement behind one binding of a name (worked out once per binding)."""
        known = self._definitions.get(id(assignment))
        if known is not None:
            return known[1]
        found = self._definition(assignment)
        self._definitions[id(assignment)] = (assignment, found)  # holding the binding keeps its id its own
        return found

    @cached_property
    def _definitions(self) -> dict[int, tuple[BaseAssignment, Definition]]:
        return {}

    def _definition(self, assignment: BaseAssignment) -> Definition:
        if not isinstance(assignment, Assignment):
            return Definition("other", None)
        node = assignment.node
        if isinstance(node, cst.Param):
            return Definition("param", node, self._owner_of(node))
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return Definition("def" if isinstance(node, cst.FunctionDef) else "class", node)
        if isinstance(node, (cst.Import, cst.ImportFrom)):
            return Definition("import", node)
        if not isinstance(node, cst.Name):
            return Definition("other", None)
        child: cst.CSTNode = node
        index: int | None = None
        parent = self.parents.get(child)
        while parent is not None:
            if isinstance(parent, (cst.Tuple, cst.List)) and index is None and not isinstance(child, cst.StarredElement):
                index = next((i for i, e in enumerate(parent.elements) if e is child or e.value is child), None)
                # (a starred target, first, *rest = ..., takes a list of the values, not one: no index)
            elif isinstance(parent, (cst.Assign, cst.AnnAssign)):
                return Definition("assign", parent.value, self._owner_of(parent), index, parent)
            elif isinstance(parent, cst.NamedExpr):
                return Definition("assign", parent.value, self._owner_of(parent), index)
            elif isinstance(parent, (cst.For, cst.CompFor)):
                return Definition("for", parent, self._owner_of(parent), index,
                                  parent if isinstance(parent, cst.For) else None)
            elif isinstance(parent, cst.WithItem):
                return Definition("with", parent.item, self._owner_of(parent), index, self.parents.get(parent))
            elif isinstance(parent, cst.ExceptHandler):
                return Definition("except", parent, self._owner_of(parent))
            elif isinstance(parent, cst.AugAssign):
                return Definition("other", None)
            elif not isinstance(parent, (cst.Element, cst.StarredElement, cst.Tuple, cst.List, cst.AssignTarget,
                                         cst.AsName)):
                return Definition("other", None)
            child, parent = parent, self.parents.get(parent)
        return Definition("other", None)

    def _owner_of(self, node: cst.CSTNode) -> Owner:
        current = self.parents.get(node)
        while current is not None and not isinstance(current, (cst.FunctionDef, cst.Module)):
            current = self.parents.get(current)
        return current if current is not None else self.module

    def enclosing_class(self, function: cst.FunctionDef) -> cst.ClassDef | None:
        body = self.bodies.get(id(function))
        return body.klass if body else None

    def module_binding(self, name: str) -> list[BaseAssignment]:
        """Bindings of a top-level name of this module."""
        scope = self.scopes.get(self.module)
        if scope is None:
            return []
        return list(scope.assignments[name]) if name in scope.assignments else []
