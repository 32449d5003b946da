"""A faster traversal of LibCST trees for read-only visitors, and cheaper metadata.

LibCST's ``CSTNode.visit`` rebuilds (and re-validates) every node it passes, even for a
``CSTVisitor`` that cannot change the tree; on the small files zlint parses that costs more than
the parse itself, and the scope analysis runs two such traversals. ``fast_visits()`` makes
``CSTNode.visit`` walk a read-only visitor over the existing nodes instead, in exactly LibCST's
order and with the same callbacks (``on_visit``/``on_leave``, the attribute hooks, ``visit_X``
methods). The order of each node class's children is read once from LibCST's own
``_visit_and_replace_children`` (its source), so it follows the installed LibCST; a class whose
code does not have the expected shape keeps LibCST's own traversal.

``scope_metadata`` computes ``ScopeProvider`` (and the ``ExpressionContextProvider`` it needs)
without the batched traversals ``MetadataWrapper.resolve`` adds around them, and
``positions`` computes ``PositionProvider``'s ranges with a lighter codegen state.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from contextlib import contextmanager

import libcst as cst
from libcst import CSTNode, CSTVisitor
from libcst._nodes.internal import CodegenState
from libcst._position import CodePosition, CodeRange

_HELPERS = {"visit_required", "visit_optional", "visit_sequence", "visit_sentinel", "visit_body_sequence",
            "visit_iterable", "visit_body_iterable"}
_SLOW = None  # marks a class whose children are walked by LibCST itself
# class -> ((field, conditional), ...) in visiting order, or _SLOW
_FIELDS: dict[type, tuple[tuple[str, bool], ...] | None] = {}
_ORIGINAL_VISIT = CSTNode.visit


def _fields_of(cls: type) -> tuple[tuple[str, bool], ...] | None:
    """The fields ``cls._visit_and_replace_children`` visits, in order, each with whether it is
    visited only conditionally (then a None value is not announced to the visitor)."""
    found = _FIELDS.get(cls, False)
    if found is not False:
        return found
    result = _SLOW
    try:
        function = next(klass.__dict__["_visit_and_replace_children"] for klass in cls.__mro__
                        if "_visit_and_replace_children" in klass.__dict__)
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
        result = _parse_fields(tree.body[0])
    except (OSError, TypeError, SyntaxError, StopIteration, IndexError):
        result = _SLOW
    _FIELDS[cls] = result
    return result


def _parse_fields(function: ast.AST) -> tuple[tuple[str, bool], ...] | None:
    if not isinstance(function, ast.FunctionDef):
        return _SLOW
    for node in ast.walk(function):
        if isinstance(node, (ast.If, ast.For, ast.While, ast.BoolOp, ast.comprehension, ast.Lambda, ast.Try)):
            return _SLOW
    fields: list[tuple[str, bool]] = []

    def scan(node: ast.AST, conditional: bool) -> None:
        if isinstance(node, ast.IfExp):
            scan(node.test, conditional)
            for branch in (node.body, node.orelse):
                scan(branch, True)
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _HELPERS:
            if len(node.args) < 2 or not isinstance(node.args[1], ast.Constant):
                raise TypeError("unexpected helper call")
            name = node.args[1].value
            if not isinstance(name, str):
                raise TypeError("unexpected field name")
            if not any(existing == name for existing, _ in fields):
                fields.append((name, conditional))
            return
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.startswith("visit_"):
            raise TypeError("unknown helper")
        for child in ast.iter_child_nodes(node):
            scan(child, conditional)

    body = [statement for statement in function.body
            if not (isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant))]
    for statement in body:
        if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Name):
            continue  # ``return ret`` after ``ret = Node(...)``
        if not isinstance(statement, (ast.Return, ast.Assign)):
            return _SLOW
        scan(statement, False)
    return tuple(fields)


# visitor class -> node class -> the visit_X / leave_X functions (None when a no-op)
_HOOKS: dict[type, dict[type, tuple]] = {}


def _hooks(visitor_cls: type, node_cls: type) -> tuple:
    table = _HOOKS.setdefault(visitor_cls, {})
    hooks = table.get(node_cls)
    if hooks is None:
        name = node_cls.__name__

        def find(attribute: str):
            function = getattr(visitor_cls, attribute, None)
            return None if function is None or getattr(function, "_is_no_op", False) else function

        attribute_hooks = {}
        for field, _ in _fields_of(node_cls) or ():
            before, after = find(f"visit_{name}_{field}"), find(f"leave_{name}_{field}")
            if before is not None or after is not None:
                attribute_hooks[field] = (before, after)
        hooks = table[node_cls] = (find(f"visit_{name}"), find(f"leave_{name}"), attribute_hooks)
    return hooks


def _dispatch(visitor_cls: type) -> tuple[bool, bool, bool]:
    """Which of CSTVisitor's dispatch methods a visitor class keeps (so its hooks can be looked
    up once per node class): on_visit, on_leave, the attribute callbacks."""
    return (visitor_cls.on_visit is CSTVisitor.on_visit, visitor_cls.on_leave is CSTVisitor.on_leave,
            visitor_cls.on_visit_attribute is CSTVisitor.on_visit_attribute
            and visitor_cls.on_leave_attribute is CSTVisitor.on_leave_attribute)


def _walk(node: CSTNode, visitor: CSTVisitor, visitor_cls: type, dispatch: tuple[bool, bool, bool]) -> None:
    node_cls = type(node)
    fields = _FIELDS.get(node_cls, False)
    if fields is False:
        fields = _fields_of(node_cls)
    if fields is None:
        _ORIGINAL_VISIT(node, visitor)
        return
    table = _HOOKS.get(visitor_cls)
    hooks = table.get(node_cls) if table is not None else None
    if hooks is None:
        hooks = _hooks(visitor_cls, node_cls)
    before, after, attribute_hooks = hooks
    own_visit, own_leave, own_attributes = dispatch
    if own_visit:
        descend = before is None or before(visitor, node) is not False
    else:
        descend = visitor.on_visit(node)
    if descend:
        for field, conditional in fields:
            value = getattr(node, field)
            if conditional and value is None:
                continue
            if own_attributes:
                around = attribute_hooks.get(field) if attribute_hooks else None
                if around is not None and around[0] is not None:
                    around[0](visitor, node)
            else:
                visitor.on_visit_attribute(node, field)
            kind = type(value)
            if kind is tuple or kind is list:
                for child in value:
                    child.visit(visitor)
            else:
                is_node = _IS_NODE.get(kind)
                if is_node is None:
                    is_node = _IS_NODE[kind] = issubclass(kind, CSTNode)
                if is_node:
                    value.visit(visitor)
            if own_attributes:
                if around is not None and around[1] is not None:
                    around[1](visitor, node)
            else:
                visitor.on_leave_attribute(node, field)
    if own_leave:
        if after is not None:
            after(visitor, node)
    else:
        visitor.on_leave(node)


_DISPATCH: dict[type, tuple | None] = {}
_IS_NODE: dict[type, bool] = {}


def _fast_visit(self: CSTNode, visitor):
    visitor_cls = type(visitor)
    dispatch = _DISPATCH.get(visitor_cls, False)
    if dispatch is False:
        dispatch = _DISPATCH[visitor_cls] = _dispatch(visitor_cls) if isinstance(visitor, CSTVisitor) else None
    if dispatch is None:
        return _ORIGINAL_VISIT(self, visitor)
    _walk(self, visitor, visitor_cls, dispatch)
    return self


_depth = 0


@contextmanager
def fast_visits():
    """Within the block, ``node.visit(visitor)`` walks read-only visitors without rebuilding nodes
    (transformers keep LibCST's traversal)."""
    global _depth
    if _depth == 0:
        CSTNode.visit = _fast_visit
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            CSTNode.visit = _ORIGINAL_VISIT


# -- metadata ------------------------------------------------------------------------------


def children(node: CSTNode) -> list:
    """``node.children`` (the child nodes a visitor descends into, in LibCST's order), without
    LibCST's collecting visit."""
    fields = _FIELDS.get(type(node), False)
    if fields is False:
        fields = _fields_of(type(node))
    if fields is None:
        return list(node.children)
    children = []
    for field, _ in fields:
        value = getattr(node, field)
        kind = type(value)
        if kind is tuple or kind is list:
            children.extend(value)
        else:
            is_node = _IS_NODE.get(kind)
            if is_node is None:
                is_node = _IS_NODE[kind] = issubclass(kind, CSTNode)
            if is_node:
                children.append(value)
    return children


# The visit_X methods of LibCST's ExpressionContextVisitor that expression_contexts follows.
_CONTEXT_VISITS = ["visit_AnnAssign", "visit_AsName", "visit_Assign", "visit_Attribute", "visit_AugAssign",
                   "visit_ClassDef", "visit_CompFor", "visit_Del", "visit_For", "visit_FunctionDef", "visit_List",
                   "visit_Name", "visit_NamedExpr", "visit_Param", "visit_StarredElement", "visit_Subscript",
                   "visit_Tuple"]


def expression_contexts(module: cst.Module) -> dict | None:
    """``ExpressionContextProvider``'s metadata (node -> LOAD/STORE/DEL), by one plain walk that
    follows its visitor's rules (which field of which node is visited in which context); None
    when the installed LibCST's visitor is not the one these rules were read from."""
    from libcst.metadata import expression_context_provider as provider

    visitor = provider.ExpressionContextVisitor
    if sorted(name for name in vars(visitor) if name.startswith("visit_")) != _CONTEXT_VISITS:
        return None
    load, store, delete = provider.ExpressionContext.LOAD, provider.ExpressionContext.STORE, \
        provider.ExpressionContext.DEL
    computed: dict = {}
    stack: list = [(module, load)]
    push, pop = stack.append, stack.pop
    while stack:
        node, context = pop()
        kind = type(node)
        if kind is cst.Name:
            computed[node] = context
        elif kind is cst.Attribute:
            computed[node] = context
            push((node.value, load))
        elif kind is cst.Subscript:
            computed[node] = context
            push((node.value, load))
            for element in node.slice:
                push((element, load))
        elif kind is cst.Assign:
            for target in node.targets:
                push((target, store))
            push((node.value, context))
        elif kind is cst.AnnAssign or kind is cst.AugAssign or kind is cst.NamedExpr:
            push((node.target, store))
            if kind is cst.AnnAssign:
                push((node.annotation, context))
            if node.value is not None:
                push((node.value, context))
        elif kind is cst.AsName:
            push((node.name, store))
        elif kind is cst.CompFor:
            push((node.target, store))
            push((node.iter, context))
            for test in node.ifs:
                push((test, context))
            if node.inner_for_in:
                push((node.inner_for_in, context))
        elif kind is cst.For:
            push((node.target, store))
            push((node.iter, context))
            push((node.body, context))
            if node.orelse:
                push((node.orelse, context))
        elif kind is cst.Del:
            push((node.target, delete))
        elif kind is cst.ClassDef:
            push((node.name, store))
            for child in (node.body, *node.bases, *node.keywords, *node.decorators):
                push((child, context))
        elif kind is cst.FunctionDef:
            push((node.name, store))
            for child in (node.params, node.body, *node.decorators):
                push((child, context))
            if node.returns:
                push((node.returns, context))
        elif kind is cst.Param:
            push((node.name, store))
            if node.annotation:
                push((node.annotation, context))
            if node.default:
                push((node.default, context))
        else:
            if kind is cst.Tuple or kind is cst.List or kind is cst.StarredElement:
                computed[node] = context
            for child in children(node):
                push((child, context))
    return computed


def scope_metadata(wrapper: cst.MetadataWrapper):
    """``ScopeProvider``'s metadata of the wrapped module, as ``wrapper.resolve(ScopeProvider)``
    gives it, without the batched traversals that resolve adds (the providers do their work in
    ``visit_Module``)."""
    from libcst.metadata import ExpressionContextProvider, ScopeProvider

    try:
        with fast_visits():
            for provider_cls in (ExpressionContextProvider, ScopeProvider):
                if provider_cls in wrapper._metadata:
                    continue
                if provider_cls is ExpressionContextProvider:
                    contexts = expression_contexts(wrapper.module)
                    if contexts is not None:
                        wrapper._metadata[provider_cls] = contexts
                        continue
                provider = provider_cls()
                provider._computed = {}
                with provider.resolve(wrapper):
                    visitor_cls = _scope_visitor() if provider_cls is ScopeProvider else None
                    if visitor_cls is not None:  # ScopeProvider.visit_Module, with a lighter on_leave
                        visitor = visitor_cls(provider)
                        wrapper.module.visit(visitor)
                        visitor.infer_accesses()
                    else:
                        provider.visit_Module(wrapper.module)
                wrapper._metadata[provider_cls] = provider._computed
        return wrapper._metadata[ScopeProvider]
    except AttributeError:  # a LibCST whose internals differ: its public way
        return wrapper.resolve(ScopeProvider)


_SCOPE_VISITOR: list = []


def _scope_visitor():
    """LibCST's ScopeVisitor with ``on_leave`` doing the same work without an ABC ``isinstance``
    per node and with the leave_X method looked up once per node class; None when the installed
    LibCST's ScopeVisitor is not the one this was written against."""
    if _SCOPE_VISITOR:
        return _SCOPE_VISITOR[0]
    found = None
    try:
        from libcst.metadata import scope_provider

        base = scope_provider.ScopeVisitor
        names = set(base.on_leave.__code__.co_names)
        visit_module = set(scope_provider.ScopeProvider.visit_Module.__code__.co_names)
        if names == {"provider", "set_metadata", "scope", "isinstance", "_ASSIGNMENT_LIKE_NODES",
                     "_assignment_count", "super", "on_leave"} and visit_module == {
                         "ScopeVisitor", "visit", "infer_accesses"}:
            assignment_like = scope_provider._ASSIGNMENT_LIKE_NODES
            known: dict[type, tuple] = {}  # node class -> (assignment-like, its leave_X or None)

            class FastScopeVisitor(base):
                def on_leave(self, original_node: CSTNode) -> None:
                    self.provider.set_metadata(original_node, self.scope)
                    node_cls = type(original_node)
                    found = known.get(node_cls)
                    if found is None:
                        found = known[node_cls] = (isinstance(original_node, assignment_like),
                                                   _hooks(FastScopeVisitor, node_cls)[1])
                    counted, leave = found
                    if counted:
                        self.scope._assignment_count += 1
                    if leave is not None:
                        leave(self, original_node)

            found = FastScopeVisitor
    except (ImportError, AttributeError):
        found = None
    _SCOPE_VISITOR.append(found)
    return found


class _PositionState(CodegenState):
    """PositionProvider's codegen state, recording plain tuples by node id (ranges are made on
    lookup)."""

    __slots__ = ("line", "column", "computed", "_stack")

    def __init__(self, default_indent: str, default_newline: str) -> None:
        super().__init__(default_indent=default_indent, default_newline=default_newline)
        self.line = 1
        self.column = 0
        self.computed: dict[int, tuple[int, int, int, int]] = {}  # id(node) -> (line, column, end line, end column)
        self._stack: list[tuple[int, int]] = []

    def add_indent_tokens(self) -> None:
        self.tokens.extend(self.indent_tokens)
        for token in self.indent_tokens:
            self._advance(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)  # (the module's codegen asks whether any token was made)
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        self._advance(value)

    def _advance(self, value: str) -> None:
        if "\n" not in value and "\r" not in value:
            self.column += len(value)
            return
        segments = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.line += len(segments) - 1
        self.column = len(segments[-1])

    def before_codegen(self, node: CSTNode) -> None:  # only when CSTNode._codegen is LibCST's own
        self._stack.append((self.line, self.column))

    def after_codegen(self, node: CSTNode) -> None:
        start = self._stack.pop()
        if id(node) not in self.computed:
            self.computed[id(node)] = (*start, self.line, self.column)

    def record_syntactic_position(self, node: CSTNode, *, start_node: CSTNode | None = None,
                                  end_node: CSTNode | None = None) -> _SyntacticPosition:
        return _SyntacticPosition(self, node, start_node, end_node)


class _SyntacticPosition:
    """PositionProvidingCodegenState.record_syntactic_position, as a plain context manager."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state: _PositionState, node: CSTNode, start_node: CSTNode | None,
                 end_node: CSTNode | None) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is not None:  # code generation interrupted (Ctrl-C): the end node was never recorded
            return
        state = self.state
        start = state.computed[id(self.start_node)][:2] if self.start_node is not None else self.start
        end = state.computed[id(self.end_node)][2:] if self.end_node is not None else (state.line, state.column)
        state.computed[id(self.node)] = (*start, *end)


_ORIGINAL_CODEGEN = CSTNode._codegen


def _position_codegen(self: CSTNode, state, **kwargs) -> None:
    """``CSTNode._codegen`` while positions are computed: LibCST's before/after_codegen inlined
    for the positions state (any other state gets LibCST's own)."""
    if type(state) is not _PositionState:
        _ORIGINAL_CODEGEN(self, state, **kwargs)
        return
    line, column = state.line, state.column
    self._codegen_impl(state, **kwargs)
    computed = state.computed
    key = id(self)
    if key not in computed:  # a syntactic position recorded inside stays
        computed[key] = (line, column, state.line, state.column)


class Positions:
    """Node -> CodeRange, as ``PositionProvider`` gives them (for the nodes of the module they
    were computed for, which the module keeps alive: they are found by id)."""

    def __init__(self, computed: dict) -> None:
        self._computed = computed
        self._ranges: dict[int, CodeRange] = {}

    def __getitem__(self, node: CSTNode) -> CodeRange:
        key = id(node)
        found = self._ranges.get(key)
        if found is None:
            line, column, end_line, end_column = self._computed[key]
            found = self._ranges[key] = CodeRange(CodePosition(line, column), CodePosition(end_line, end_column))
        return found

    def get(self, node: CSTNode, default=None):
        return self[node] if id(node) in self._computed else default

    def __contains__(self, node: CSTNode) -> bool:
        return id(node) in self._computed


def positions(module: cst.Module) -> Positions:
    return code_and_positions(module)[1]


def code_and_positions(module: cst.Module) -> tuple[str, Positions]:
    """The module's code (``module.code``) and its nodes' positions, from one codegen."""
    state = _PositionState(module.default_indent, module.default_newline)
    patched = CSTNode._codegen is _ORIGINAL_CODEGEN
    if patched:
        CSTNode._codegen = _position_codegen
    try:
        module._codegen(state)
    finally:
        if patched:
            CSTNode._codegen = _ORIGINAL_CODEGEN
    return "".join(state.tokens), Positions(state.computed)


class Parents:
    """Each node's parent (the module has none), as ParentNodeProvider gives them, kept by the
    node's identity (nodes are equal only to themselves; the tree keeps them alive)."""

    __slots__ = ("_by_id",)

    def __init__(self, by_id: dict[int, CSTNode]) -> None:
        self._by_id = by_id

    def get(self, node: CSTNode, default=None):
        return self._by_id.get(id(node), default)

    def __getitem__(self, node: CSTNode) -> CSTNode:
        return self._by_id[id(node)]

    def __contains__(self, node: CSTNode) -> bool:
        return id(node) in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)


_LEAVING = object()


def collect(root: CSTNode, parents: dict[int, CSTNode], enter: dict, leave: dict) -> int:
    """A pre-order walk in LibCST's order for a collector: every node's parent into ``parents`` (by
    the node's id), then ``enter[type(node)](node)`` before and ``leave[type(node)](node)`` after
    its children, for the node classes those dicts hold. No visitor machinery, no rebuilt nodes.
    Returns how many places below ``root`` it visited: more than ``parents`` holds when a node
    object sits in two places (a parsed tree's never do; a transformed tree's may)."""
    stack: list = [(root, None)]
    pop, push = stack.pop, stack.append
    leaving = _LEAVING
    visited = 0
    while stack:
        current, parent = pop()
        if parent is leaving:
            leave[type(current)](current)
            continue
        node_cls = type(current)
        if parent is not None:
            parents[id(current)] = parent
        method = enter.get(node_cls)
        if method is not None:
            method(current)
        if node_cls in leave:
            push((current, leaving))
        below = children(current)
        visited += len(below)
        for child in reversed(below):
            push((child, current))
    return visited
