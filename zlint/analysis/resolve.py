"""Name resolution across the scanned tree: what a name, ``self.attr`` or a callee refers to."""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from zlint.analysis.module import Definition, ModuleContext, attribute_name, decorated
from zlint.analysis.project import Project

MAX_HOPS = 12  # re-exports and attribute chains followed before giving up
# A receiver whose class the code does not name is not taken for any of more classes than this
# (each one's method is analysed at every such call: many would cost much and tell little).
MAX_GUESSED_CLASSES = 4

# A call on a receiver whose class is not known (or is a Protocol's) is taken for the index's
# method of that name only when no other scanned class, outside the tests, does other work in a
# method of that name (a model), and a name around the receiver (its own, the parameter it came
# from, the Protocol's) speaks of Zoho or the method's name speaks of territories. A name that
# speaks of a CRM is not enough (``hubspot_crm.update()``). Either way the file mentions Zoho or
# the method's name: the index reads such a file (work.territory_names).
ZOHO_WORDS = ("zoho", "Zoho", "ZOHO")
_ZOHO = re.compile("|".join(ZOHO_WORDS))


def names_zoho(names) -> bool:
    """Whether one of ``names`` said of a receiver tells it is Zoho's (see above)."""
    return any(_ZOHO.search(name) for name in names)




@dataclass(frozen=True)
class Bound:
    """One binding of a name: the module it lives in and its definition."""

    ctx: ModuleContext
    definition: Definition


@dataclass(frozen=True)
class Function:
    ctx: ModuleContext
    node: cst.FunctionDef

    @property
    def key(self) -> tuple:
        return (self.ctx.path, id(self.node))

    def receiver_parameter(self) -> cst.Param | None:
        """The first parameter of a method that is not static (``self``, ``cls``, whatever its
        name), which the object a call is made on fills; None for a plain function."""
        params = [*self.node.params.posonly_params, *self.node.params.params]
        if params and self.ctx.enclosing_class(self.node) is not None and not decorated(self.node, "staticmethod"):
            return params[0]
        return None

    def positional(self, bound: bool = False) -> list[cst.Param]:
        """The positional parameters; with ``bound`` (a call made on an object, or a constructor's
        ``__init__``), less the receiver_parameter."""
        params = [*self.node.params.posonly_params, *self.node.params.params]
        return params[1:] if bound and self.receiver_parameter() is not None else params


@dataclass(frozen=True)
class UserClass:
    ctx: ModuleContext
    node: cst.ClassDef


class Resolver:
    """Answers are kept for the resolver's life (one unit of work, whose files do not change):
    callers must not change the lists they get."""

    def __init__(self, project: Project, methods: dict[str, list[tuple[str, str]]] | None = None,
                 other_methods: dict[str, list[tuple[str, str]]] | None = None) -> None:
        self.project = project
        self.methods = methods or {}  # territory_methods of the index
        self.other_methods = other_methods or {}  # the classes whose method of such a name does other work
        # called as untyped_receiver(ctx, receiver, method name) for the classes a receiver of unknown
        # type is taken for, when the project has any class whose method does territory work
        # (CallClassifier.untyped_receiver: the analyzer sets it)
        self.untyped_receiver = None
        self._bindings: dict[tuple[int, int], tuple] = {}
        self._lookups: dict[tuple[str, int], list[Bound]] = {}
        self._lineages: dict[tuple[str, int], list[UserClass]] = {}  # (path, id(class)) -> lineage (holds the class)
        self._territory_classes: list[UserClass] | None = None

    # -- names -------------------------------------------------------------------------

    def bindings(self, ctx: ModuleContext, name: cst.Name) -> list[Bound]:
        key = (id(ctx), id(name))
        known = self._bindings.get(key)
        if known is not None:
            return known[2]
        found = self._find_bindings(ctx, name)
        self._bindings[key] = (ctx, name, found)  # holding both keeps their ids their own
        return found

    def reaching(self, ctx: ModuleContext, name: cst.Name) -> list[Bound]:
        """``bindings`` less those a later binding surely replaced before ``name`` is read."""
        return reaching(ctx, name, self.bindings(ctx, name))

    def _find_bindings(self, ctx: ModuleContext, name: cst.Name) -> list[Bound]:
        found: list[Bound] = []
        for assignment in ctx.referents(name):
            definition = ctx.definition(assignment)
            if definition.kind == "import":
                found.extend(self._imported(ctx, name))
            else:
                found.append(Bound(ctx, definition))
        return found

    def _imported(self, ctx: ModuleContext, node: cst.CSTNode) -> list[Bound]:
        found: list[Bound] = []
        for qualified in ctx.qualified_names(node):
            found.extend(self.lookup(qualified))
        return found

    def lookup(self, qualified: str, hops: int = 0) -> list[Bound]:
        """Top-level bindings a qualified name points to in the scanned tree (re-exports followed)."""
        key = (qualified, hops)
        found = self._lookups.get(key)
        if found is None:
            found = self._lookups[key] = self._lookup(qualified, hops)
        return found

    def _lookup(self, qualified: str, hops: int) -> list[Bound]:
        split = self.project.split(qualified)
        if split is None or hops > MAX_HOPS:
            return []
        ctx, rest = split
        if not rest:
            return []
        found: list[Bound] = []
        for assignment in ctx.module_binding(rest[0]):
            definition = ctx.definition(assignment)
            if definition.kind == "import":
                node = assignment.node
                for qualified_name in self._import_targets(ctx, node, rest[0]):
                    tail = ".".join([qualified_name, *rest[1:]])
                    found.extend(self.lookup(tail, hops + 1))
            elif len(rest) == 1:
                found.append(Bound(ctx, definition))
            elif definition.kind == "class":
                found.extend(self.class_attribute(ctx, definition.value, rest[1]))
        return found

    def _import_targets(self, ctx: ModuleContext, node: cst.CSTNode, local: str) -> list[str]:
        targets = []
        if isinstance(node, cst.ImportFrom) and not isinstance(node.names, cst.ImportStar):
            base = ctx.code(node.module) if node.module is not None else ""
            base = "." * len(node.relative) + base
            for alias in node.names:
                bound = alias.asname.name.value if alias.asname else ctx.code(alias.name)
                if bound == local:
                    targets.append(ctx.absolute_name(f"{base}.{ctx.code(alias.name)}" if base.strip(".") else
                                                 f"{base}{ctx.code(alias.name)}"))
        elif isinstance(node, cst.Import):
            for alias in node.names:
                bound = alias.asname.name.value if alias.asname else ctx.code(alias.name).split(".")[0]
                if bound == local:
                    targets.append(ctx.code(alias.name) if alias.asname else bound)
        return targets

    # -- classes -----------------------------------------------------------------------

    def enclosing_class(self, ctx: ModuleContext, node: cst.CSTNode) -> cst.ClassDef | None:
        body = ctx.body_of(node)
        if isinstance(body.node, cst.FunctionDef):
            if body.klass is not None:
                return body.klass
            # a nested function inside a method still sees ``self`` of the method
            parent = ctx.parents.get(body.node)
            while parent is not None:
                if isinstance(parent, cst.FunctionDef):
                    return self.enclosing_class(ctx, parent.body)
                parent = ctx.parents.get(parent)
        return None

    def bases(self, ctx: ModuleContext, klass: cst.ClassDef, hops: int = 0) -> list[UserClass]:
        found = []
        if hops > MAX_HOPS:
            return found
        for base in klass.bases:
            found.extend(self.classes_of(ctx, base.value))
        return found

    def classes_of(self, ctx: ModuleContext, expr: cst.BaseExpression) -> list[UserClass]:
        """User classes an expression (a class name, possibly imported) refers to."""
        bounds: list[Bound] = []
        if isinstance(expr, cst.Name):
            bounds = self.bindings(ctx, expr)
        elif isinstance(expr, cst.Attribute):
            bounds = self._imported(ctx, expr)
        return [UserClass(b.ctx, b.definition.value) for b in bounds if b.definition.kind == "class"]

    def annotation_types(self, ctx: ModuleContext, annotation: cst.BaseExpression, quoted: bool = False,
                         depth: int = 0) -> tuple[list[UserClass], list[str]]:
        """The scanned classes and the qualified names of the types an annotation allows: ``X``,
        ``Optional[X]``, ``Union[X, Y]``, ``X | None``, ``Annotated[X, ...]`` and ``"X"``.
        ``quoted``: the annotation was parsed from a string, apart from the module, so its names
        are looked up by their text; one that names no class of the tree gives that text as the
        type's name (``"HubSpot"``: a type zlint cannot see, not no type)."""
        if depth > 4:
            return [], []
        if isinstance(annotation, cst.SimpleString) and not quoted:
            text = annotation.evaluated_value
            try:
                written = cst.parse_expression(text) if isinstance(text, str) else None
            except cst.ParserSyntaxError:
                return [], []
            return self.annotation_types(ctx, written, True, depth + 1) if written is not None else ([], [])
        parts: list[cst.BaseExpression] = []
        if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
            parts = [annotation.left, annotation.right]
        elif isinstance(annotation, cst.Subscript):
            if quoted:
                form = {(_dotted(annotation.value) or "").rpartition(".")[2]}
            else:
                form = {q.rpartition(".")[2] for q in ctx.qualified_names(annotation.value)
                        if q.partition(".")[0] in {"typing", "typing_extensions"}}
            values = [e.slice.value for e in annotation.slice if isinstance(e.slice, cst.Index)]
            parts = values if form & {"Optional", "Union"} else values[:1] if "Annotated" in form else []
            if not parts:
                return [], []
        if parts:
            classes, names = [], []
            for part in parts:
                more_classes, more_names = self.annotation_types(ctx, part, quoted, depth + 1)
                classes += more_classes
                names += more_names
            return classes, names
        if quoted:  # a class of the tree, else the text stands for a type zlint cannot see (``"HubSpot"``)
            dotted = _dotted(annotation)
            if dotted is None:
                return [], []
            classes = [UserClass(b.ctx, b.definition.value) for b in self.lookup(f"{ctx.name}.{dotted}")
                       if b.definition.kind == "class"]
            return classes, [] if classes else [dotted]
        alias = self.type_alias(ctx, annotation)
        if alias is not None:  # ``Client = Annotated[ZohoClient, Depends(get_client)]``
            return self.annotation_types(alias[0], alias[1], False, depth + 1)
        return self.classes_of(ctx, annotation), sorted(ctx.qualified_names(annotation))

    def type_alias(self, ctx: ModuleContext, annotation: cst.BaseExpression):
        """(module, value) of a module-level name bound once to a type expression (a subscript or a
        union), which an annotation names; None for anything else."""
        bounds = self.bindings(ctx, annotation) if isinstance(annotation, cst.Name) else (
            self._imported(ctx, annotation) if isinstance(annotation, cst.Attribute) else [])
        if len(bounds) == 1 and bounds[0].definition.kind == "assign" and isinstance(
                bounds[0].definition.value, (cst.Subscript, cst.BinaryOperation)) and isinstance(
                bounds[0].definition.owner, cst.Module):
            return bounds[0].ctx, bounds[0].definition.value
        return None

    def declared_attribute(self, ctx: ModuleContext, klass: cst.ClassDef,
                           name: str) -> tuple[ModuleContext, cst.BaseExpression] | None:
        """The annotation ``klass`` (or a base) gives its attribute ``name``, with its module."""
        for owner in self.lineage(ctx, klass):
            info = owner.ctx.class_info(owner.node)
            if name in info.annotations:
                return owner.ctx, info.annotations[name]
        return None

    def class_attribute(self, ctx: ModuleContext, klass: cst.ClassDef, name: str) -> list[Bound]:
        """Values assigned to ``klass.name`` or ``self.name`` (bases searched too), with their module."""
        for owner in self.lineage(ctx, klass):
            info = owner.ctx.class_info(owner.node)
            if name in info.attributes:
                return [Bound(owner.ctx, Definition("assign", v, o)) for v, o in info.attributes[name]]
        return []

    def imported_classes(self, ctx: ModuleContext, renamed: bool = False) -> list[tuple[str, UserClass]]:
        """(local name, class) of each scanned class the module imports by name at its top level
        (also under ``if``/``try``: ``if TYPE_CHECKING:``); with ``renamed``, only those imported
        under another name (``from m import C as D``), and the modules of the others are not read."""
        found = []
        statements = list(ctx.module.body)
        while statements:
            statement = statements.pop()
            if isinstance(statement, (cst.If, cst.Try, cst.Else)):
                statements += [*statement.body.body, *([statement.orelse] if getattr(statement, "orelse", None) else [])]
                statements += [line for handler in getattr(statement, "handlers", ()) for line in handler.body.body]
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                        for alias in small.names:
                            local = alias.asname.name if alias.asname else alias.name
                            if isinstance(local, cst.Name) and not (renamed and (
                                    alias.asname is None or ctx.code(alias.name) == local.value)):
                                found += [(local.value, UserClass(b.ctx, b.definition.value))
                                          for b in self.lookup(f"{ctx.name}.{local.value}")
                                          if b.definition.kind == "class"]
        return found

    def territory_classes(self) -> list[UserClass]:
        """The scanned classes with a method that does territory work (from the index)."""
        if self._territory_classes is None:
            found: dict[tuple, UserClass] = {}
            for name in self.methods:
                for klass in self.classes_with_method(name):
                    found.setdefault((klass.ctx.path, id(klass.node)), klass)
            self._territory_classes = list(found.values())
        return self._territory_classes

    def classes_with_method(self, name: str) -> list[UserClass]:
        """The scanned classes whose method ``name`` does territory work (from the index)."""
        found = []
        for module, klass in self.methods.get(name, ()):
            ctx = self.project.module(module)
            if ctx is None:
                continue
            found.extend(UserClass(ctx, info.node) for info in ctx.classes.values()
                         if info.node.name.value == klass and name in info.methods)
        return found

    def named_for_territory_work(self, method: str, names) -> bool:
        """Whether a call of ``method`` on a receiver of unknown class is taken for one to Zoho (see
        above): no other scanned class does other work in a method of that name (a model, also one
        named ``ZohoDeal``), and the names said of the receiver, or the method's name, tell so."""
        return method not in self.other_methods and (names_zoho(names) or "territor" in method.lower())

    def _implementations(self, interfaces: list[UserClass], name: str, named: bool) -> list[UserClass]:
        """The classes doing territory work in their method ``name`` that implement one of the
        ``interfaces``: subclasses of a base class whose method is abstract, or, when the call is
        ``named`` for territory work, any such class for a Protocol."""
        keys = {(i.ctx.path, id(i.node)) for i in interfaces}
        protocol = named and any(
            q in _PROTOCOLS for i in interfaces for base in i.node.bases for q in i.ctx.qualified_names(base.value))
        found = [c for c in self.classes_with_method(name)
                 if (c.ctx.path, id(c.node)) not in keys and (protocol or keys & self._ancestors(c))]
        return found if len(found) <= MAX_GUESSED_CLASSES else []

    def _ancestors(self, klass: UserClass) -> set[tuple]:
        return {(c.ctx.path, id(c.node)) for c in self.lineage(klass.ctx, klass.node)[1:]}

    def lineage(self, ctx: ModuleContext, klass: cst.ClassDef) -> list[UserClass]:
        """``klass``, then its scanned ancestors nearest first: where its attributes are looked up."""
        key = (ctx.path, id(klass))
        known = self._lineages.get(key)
        if known is None:
            own = UserClass(ctx, klass)
            known = self._lineages[key] = [own, *self.ancestors(own)]
        return known

    def ancestors(self, klass: UserClass) -> list[UserClass]:
        """The scanned classes ``klass`` inherits from, however far up, each once (a class
        hierarchy with diamonds has many paths to one class)."""
        found: list[UserClass] = []
        seen = {(klass.ctx.path, id(klass.node))}
        level = [klass]
        for _ in range(MAX_HOPS):
            following = []
            for current in level:
                for base in self.bases(current.ctx, current.node):
                    key = (base.ctx.path, id(base.node))
                    if key not in seen:
                        seen.add(key)
                        found.append(base)
                        following.append(base)
            if not following:
                break
            level = following
        return found

    def method(self, ctx: ModuleContext, klass: cst.ClassDef, name: str) -> Function | None:
        for owner in self.lineage(ctx, klass):
            info = owner.ctx.class_info(owner.node)
            if name in info.methods:
                return Function(owner.ctx, info.methods[name])
        return None

    # -- attributes --------------------------------------------------------------------

    def attribute(self, ctx: ModuleContext, node: cst.Attribute) -> list[Bound]:
        """What ``self.x``, ``cls.x``, ``Class.x`` or ``module.x`` refers to in the scanned tree."""
        base = node.value
        name = node.attr.value
        if isinstance(base, cst.Name) and base.value in {"self", "cls"}:
            klass = self.enclosing_class(ctx, node)
            if klass is not None:
                return self.class_attribute(ctx, klass, name)
            return []
        classes = self.classes_of(ctx, base)
        if classes:
            found: list[Bound] = []
            for user_class in classes:
                found.extend(self.class_attribute(user_class.ctx, user_class.node, name))
            return found
        return self._imported(ctx, node)

    # -- callees -----------------------------------------------------------------------

    def functions(self, ctx: ModuleContext, func: cst.BaseExpression, instance_of=None) -> list[Function]:
        """User functions a call's callee refers to; ``instance_of`` gives the receiver's classes."""
        if isinstance(func, cst.Name):
            return [
                Function(b.ctx, b.definition.value)
                for b in self.bindings(ctx, func)
                if b.definition.kind == "def"
            ]
        if not isinstance(func, cst.Attribute):
            return []
        name = func.attr.value
        base = func.value
        if isinstance(base, cst.Name) and base.value in {"self", "cls"}:
            klass = self.enclosing_class(ctx, func)
            found = self.method(ctx, klass, name) if klass is not None else None
            return [found] if found else []
        if isinstance(base, cst.Call) and isinstance(base.func, cst.Name) and base.func.value == "super":
            klass = self.enclosing_class(ctx, func)
            if klass is not None:
                for parent in self.bases(ctx, klass):
                    found = self.method(parent.ctx, parent.node, name)
                    if found:
                        return [found]
            return []
        classes = self.classes_of(ctx, base)
        if not classes and instance_of is not None:
            classes = instance_of(ctx, base)
            if not classes and self.methods and self.untyped_receiver is not None:
                classes = self.untyped_receiver(ctx, base, name)
        if classes:
            methods = [m for m in (self.method(c.ctx, c.node, name) for c in classes) if m is not None]
            if name in self.methods and methods and all(declared_only(m.node) for m in methods):
                methods += [self.method(c.ctx, c.node, name)
                            for c in self._implementations(classes, name, self.named_for_territory_work(
                                name, [attribute_name(base) or "", *(c.node.name.value for c in classes)]))]
            return methods
        return [
            Function(b.ctx, b.definition.value)
            for b in self._imported(ctx, func)
            if b.definition.kind == "def"
        ]


_PROTOCOLS = {"typing.Protocol", "typing_extensions.Protocol"}


def _dotted(expr: cst.BaseExpression) -> str | None:
    """``a.b.C`` of a name or attribute chain; None for anything else."""
    if isinstance(expr, cst.Name):
        return expr.value
    if isinstance(expr, cst.Attribute):
        base = _dotted(expr.value)
        return f"{base}.{expr.attr.value}" if base is not None else None
    return None


def declared_only(function: cst.FunctionDef) -> bool:
    """Whether a method only declares itself (a docstring, ``...``, ``pass`` or ``raise
    NotImplementedError``): an interface's, whose implementations do the work."""
    body = function.body
    statements = body.body if isinstance(body, cst.SimpleStatementSuite) else [
        small for line in body.body if isinstance(line, cst.SimpleStatementLine) for small in line.body]
    if isinstance(body, cst.IndentedBlock) and any(not isinstance(line, cst.SimpleStatementLine) for line in body.body):
        return False
    for small in statements:
        if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString, cst.Ellipsis)):
            continue
        if isinstance(small, cst.Pass):
            continue
        raised = small.exc.func if isinstance(small, cst.Raise) and isinstance(small.exc, cst.Call) else (
            small.exc if isinstance(small, cst.Raise) else None)
        if isinstance(raised, cst.Name) and raised.value == "NotImplementedError":
            continue
        return False
    return True


def reaching(ctx: ModuleContext, use: cst.Name, bounds: list[Bound]) -> list[Bound]:
    """The bindings of ``use`` that may still hold when it runs. A binding is left out when a later
    one surely runs between it and the use: an assignment earlier in a block that holds the use, or
    a ``for``/``with`` whose body holds it (``r = territory call ... r = other call; r.status_code``).
    Of the rest, which one holds is not known: all are kept."""
    if len(bounds) < 2:
        return bounds
    parents = ctx.parents
    above: dict[int, cst.CSTNode] = {}  # id(block) -> the use's ancestor in that block, up to its function
    child, parent = use, parents.get(use)
    while parent is not None and not isinstance(parent, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
        above.setdefault(id(parent), child)
        child, parent = parent, parents.get(parent)
    function = parent if isinstance(parent, cst.FunctionDef) else ctx.module  # the one the use runs in

    def start(node: cst.CSTNode) -> tuple[int, int]:
        where = ctx.position(node).start
        return where.line, where.column

    def sure(statement: cst.CSTNode | None) -> bool:
        if isinstance(statement, (cst.For, cst.With)):
            return id(statement.body) in above
        if isinstance(statement, cst.AnnAssign) and statement.value is None:
            return False  # a bare annotation binds nothing
        line = parents.get(statement)
        block = parents.get(line)
        return (isinstance(line, cst.SimpleStatementLine) and id(block) in above
                and start(line) < start(above[id(block)]))

    latest = max((start(b.definition.statement) for b in bounds
                  if b.ctx is ctx and b.definition.statement is not None and sure(b.definition.statement)),
                 default=None)
    if latest is None:
        return bounds

    def overwritten(bound) -> bool:
        definition = bound.definition
        if bound.ctx is not ctx or definition.owner is not function:
            return False  # bound elsewhere (by a nested function's nonlocal or global): when is not known
        if definition.kind == "param":
            return True  # bound before the function's first statement
        return definition.statement is not None and start(definition.statement) < latest

    return [bound for bound in bounds if not overwritten(bound)]
