"""Constant folding of the expressions that build URLs, status lists and codes.

Follows literals, implicit concatenation, f-strings, ``+``, ``%``, ``str.format``, ``urljoin``,
``"/".join``, ``os.getenv`` defaults, local and module constants, class and instance attributes,
parameter defaults, constants imported from other scanned modules, and the one ``return`` of a
scanned function called with known arguments (a URL builder). What cannot be known becomes a
hole in the text, so ``f"{base}/Leads/actions/assign_territories"`` still matches.
"""

from __future__ import annotations

import json
import re
import string
from collections.abc import Callable
from contextlib import contextmanager

import libcst as cst

from zlint.analysis.module import Definition, ModuleContext, decorated, descendants
from zlint.analysis.resolve import Bound, Resolver
from zlint.analysis.values import (HOLE, Constant, Items, Mapping, NotJson, Number, Text, Unknown, Value,
                                  as_text, to_json)

Env = dict  # id(cst.Param) -> Value (or another abstract value), for the call being followed
MAX_DEPTH = 40
MAX_CHOICES = 32  # path-dependent values met in one fold beyond which each_path tries no path
MAX_PATHS = 4  # the values of a path-dependent choice each_path tries (the first ones in source order, and the last)
MAX_BUILDERS = 10  # URL-building functions followed one inside another (each may fold its callee twice)

_GETENV = {"os.getenv", "os.environ.get", "os.environ.setdefault"}
_URLJOIN = {"urllib.parse.urljoin", "urlparse.urljoin", "requests.compat.urljoin"}
_PATHJOIN = {"posixpath.join", "os.path.join"}
_CONSTANTS = {"True": True, "False": False, "None": None}
_PERCENT = re.compile(r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*\d*(?:\.\d+)?[sdirfxXeEgGoc%]")


def _param_default(param: cst.Param) -> cst.BaseExpression | None:
    return param.default


_LITERALS: dict[str, object] = {}  # a literal's source text -> its value (ast.literal_eval, once per process)


def _evaluated(node: cst.SimpleString | cst.Integer | cst.Float):
    """``node.evaluated_value`` (``ast.literal_eval`` of the node's text), remembered by that text."""
    text = node.value
    found = _LITERALS.get(text, _LITERALS)
    if found is _LITERALS:
        found = node.evaluated_value  # what it raises is raised again next time (nothing is kept)
        if len(_LITERALS) >= 65536:
            _LITERALS.clear()
        _LITERALS[text] = found
    return found


class Folder:
    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self._active: set[int] = set()
        self._returns: dict[int, tuple[cst.FunctionDef, cst.BaseExpression | None]] = {}
        self.instance_of = None  # (ctx, expression) -> the user classes of the object it holds
        self._builders = 0  # URL builders being folded, one inside another
        # a builder's value by its arguments, with the path-dependent values it met (how many, the most values of one)
        self._built: dict[tuple, tuple[cst.FunctionDef, Value | None, int, int]] = {}
        self._masked: frozenset = frozenset()  # self.X a builder reads that its receiver may set otherwise
        self._cuts = 0  # folds cut short so far (a cycle, the depth limits): values made meanwhile are not kept
        # within one outermost fold: each expression's value by (node, env, path, masked), with the
        # choices, widest choice and guesses its fold met (a name bound in each of n ifs reaches
        # n bindings, each reaching the earlier ones: without this, 2**n folds)
        self._folded: dict[tuple, tuple] = {}
        self.choices = 0  # values that differ by the path taken (an if/else, bindings in branches) met so far
        self.widest = 0  # the most values one such choice had, since each_path began
        self._prefer: int | None = None  # within path(): which of such values to take (0 first; the last if fewer)
        self._guesses = 0  # values taken from a default that a caller may override (a parameter's, os.getenv's)

    def fold(self, ctx: ModuleContext, expr: cst.CSTNode | None, env: Env | None = None, depth: int = 0) -> Value | None:
        if expr is None:
            return None
        if depth > MAX_DEPTH or id(expr) in self._active:
            self._cuts += 1
            return None
        key = (id(expr), id(env) if env else 0, self._prefer, self._masked)
        known = self._folded.get(key)
        if known is not None:  # met again within this fold: its value and what folding it counted
            value, choices, width, guesses = known[:4]
            self.choices += choices
            self.widest = max(self.widest, width)
            self._guesses += guesses
            return value
        outermost = not self._active
        cuts, choices, guesses, widest = self._cuts, self.choices, self._guesses, self.widest
        self.widest = 0
        self._active.add(id(expr))
        try:
            value = self._fold(ctx, expr, env or {}, depth + 1)
        finally:
            self._active.discard(id(expr))
            width, self.widest = self.widest, max(widest, self.widest)
            if outermost:
                self._folded.clear()
        if not outermost and self._cuts == cuts:  # whole: no cycle or depth limit cut it short
            # (the node and the env are held so that their ids stay theirs while the entry lives)
            self._folded[key] = (value, self.choices - choices, width, self._guesses - guesses, expr, env)
        return value

    @contextmanager
    def path(self, prefer: int):
        """Within the block, values that depend on the path through the code (``a if c else b``, a
        name bound in both branches of an ``if``) fold to the one at index ``prefer`` of the values
        they may have, in source order (the last when they have fewer): the value on one path."""
        outer, self._prefer = self._prefer, prefer
        try:
            yield
        finally:
            self._prefer = outer

    def each_path(self, fold: Callable[[], object]) -> tuple[object, Callable[[], list]]:
        """``fold()`` as it is, and a function giving ``fold()`` on each of the first MAX_PATHS
        paths (path()) and the last (an ``else`` after many ``elif``), when that fold met values that
        depend on the path taken (not too many)."""
        choices, outer = self.choices, self.widest
        self.widest = 0
        try:
            first = fold()
            met, ways = self.choices - choices, self.widest
        finally:
            self.widest = max(outer, self.widest)

        def on_each_path() -> list:
            if not met or met > MAX_CHOICES:  # (the paths of many choices are too many to try)
                return []
            folds = []
            for prefer in [*range(min(ways, MAX_PATHS)), *([ways - 1] if ways > MAX_PATHS else [])]:
                with self.path(prefer):
                    folds.append(fold())
            return folds

        return first, on_each_path

    def sure_text(self, ctx: ModuleContext, expr: cst.CSTNode) -> str | None:
        """The text ``expr`` always folds to: exact, and decided by no default a caller may
        override (a parameter's, os.getenv's)."""
        guesses = self._guesses
        value = self.fold(ctx, expr)
        return value.value if isinstance(value, Text) and value.exact and self._guesses == guesses else None

    def text(self, ctx: ModuleContext, expr: cst.CSTNode | None, env: Env | None = None) -> Text | None:
        value = self.fold(ctx, expr, env)
        return value if isinstance(value, Text) else None

    # -- the cases ---------------------------------------------------------------------

    def _fold(self, ctx: ModuleContext, expr: cst.CSTNode, env: Env, depth: int) -> Value | None:
        sub: Callable[[cst.CSTNode | None], Value | None] = lambda e: self.fold(ctx, e, env, depth)
        if isinstance(expr, cst.SimpleString):
            value = _evaluated(expr)
            return Text(value.decode("latin-1") if isinstance(value, bytes) else value)
        if isinstance(expr, cst.ConcatenatedString):
            return Text(as_text(sub(expr.left)).value + as_text(sub(expr.right)).value)
        if isinstance(expr, cst.FormattedString):
            return self._fstring(expr, sub)
        if isinstance(expr, cst.Integer):
            return Number(int(_evaluated(expr)))
        if isinstance(expr, cst.Float):
            return Number(float(_evaluated(expr)))
        if isinstance(expr, (cst.Tuple, cst.List, cst.Set)):
            members = []
            for element in expr.elements:
                if isinstance(element, cst.StarredElement):
                    inner = sub(element.value)
                    if not isinstance(inner, Items):
                        return None
                    members.extend(inner.members)
                else:
                    members.append(sub(element.value))
            return Items(tuple(members))
        if isinstance(expr, cst.Dict):
            entries = []
            for element in expr.elements:
                if isinstance(element, cst.DictElement):
                    key = sub(element.key)
                    if isinstance(key, Text) and key.exact:
                        entries.append((key.value, sub(element.value)))
            return Mapping(tuple(entries))
        if isinstance(expr, cst.Name):
            if expr.value in _CONSTANTS:
                return Constant(_CONSTANTS[expr.value])
            return self._name(ctx, expr, env, depth)
        if isinstance(expr, cst.Attribute):
            return self._attribute(ctx, expr, env, depth)
        if isinstance(expr, cst.BinaryOperation):
            return self._binary(expr, sub)
        if isinstance(expr, cst.Call):
            return self._call(ctx, expr, sub, depth)
        if isinstance(expr, cst.Subscript):
            return self._subscript(expr, sub)
        if isinstance(expr, cst.IfExp):
            branches = self._branches(expr, sub)
            return sub(branches[0]) if len(branches) == 1 else self._agree([sub(branch) for branch in branches])
        if isinstance(expr, cst.Comparison) and len(expr.comparisons) == 1 and _plain(expr.left) and _plain(
                expr.comparisons[0].comparator):  # op == "assign" (not r.json()[...] == "SUCCESS": costly, never a URL)
            return _compared(sub(expr.left), expr.comparisons[0].operator, sub(expr.comparisons[0].comparator))
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Not) and _plain(expr.expression):
            test = _truth(sub(expr.expression))
            return Constant(not test) if test is not None else None
        if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
            left = sub(expr.left)
            falsy = isinstance(left, Constant) and not left.value or isinstance(left, Text) and left.value == ""
            return left if left is not None and not isinstance(left, Unknown) and not falsy else sub(expr.right)
        return None

    def _branches(self, expr: cst.IfExp, sub) -> list[cst.BaseExpression]:
        """The expressions an if-expression may give, in source order, those of if-expressions in
        it too (``A if a else (T if b else C)``: A, T, C, one choice of three); a test whose value
        is known, and that no caller can change, takes its branch only."""
        guesses = self._guesses
        test = _truth(sub(expr.test))
        sides = [expr.body if test else expr.orelse] if test is not None and self._guesses == guesses else [
            expr.body, expr.orelse]
        return [leaf for side in sides for leaf in (self._branches(side, sub) if isinstance(side, cst.IfExp) else [side])]

    def _fstring(self, expr: cst.FormattedString, sub) -> Text:
        out = []
        for part in expr.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value.replace("{{", "{").replace("}}", "}"))
            elif isinstance(part, cst.FormattedStringExpression):
                if part.format_spec or (part.conversion not in (None, "s")):
                    out.append(HOLE)
                else:
                    out.append(as_text(sub(part.expression)).value)
        return Text("".join(out))

    def _binary(self, expr: cst.BinaryOperation, sub) -> Value | None:
        left, right = sub(expr.left), sub(expr.right)
        if isinstance(expr.operator, cst.Add):
            if isinstance(left, Number) and isinstance(right, Number):
                return Number(left.value + right.value)
            if isinstance(left, Items) and isinstance(right, Items):
                return Items(left.members + right.members)
            if isinstance(left, Text) or isinstance(right, Text):
                return Text(as_text(left).value + as_text(right).value)
            return None
        if isinstance(expr.operator, cst.Modulo) and isinstance(left, Text):
            return _percent_format(left, right)
        if isinstance(expr.operator, cst.BitOr) and isinstance(left, Items) and isinstance(right, Items):
            return Items(left.members + right.members)
        return None

    def _subscript(self, expr: cst.Subscript, sub) -> Value | None:
        base = sub(expr.value)
        if len(expr.slice) != 1 or not isinstance(expr.slice[0].slice, cst.Index):
            return None
        key = sub(expr.slice[0].slice.value)
        if isinstance(base, Mapping) and isinstance(key, Text):
            return base.get(key.value)
        if isinstance(base, Items) and isinstance(key, Number) and isinstance(key.value, int):
            try:
                return base.members[key.value]
            except IndexError:
                return None
        return None

    def _call(self, ctx: ModuleContext, call: cst.Call, sub, depth: int) -> Value | None:
        func = call.func
        args = [a for a in call.args if a.keyword is None and not a.star]
        kwargs = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method == "format":
                template = sub(func.value)
                if isinstance(template, Text):
                    return _str_format(template, [sub(a.value) for a in args], {k: sub(v) for k, v in kwargs.items()},
                                       any(a.star for a in call.args))
            if method == "join" and len(args) == 1:
                separator, parts = sub(func.value), sub(args[0].value)
                if isinstance(separator, Text) and isinstance(parts, Items):
                    return Text(separator.value.join(as_text(m).value for m in parts.members))
                if isinstance(separator, Text):
                    return Text(HOLE)
            if method == "replace" and len(args) == 2:
                base, old, new = sub(func.value), sub(args[0].value), sub(args[1].value)
                if isinstance(base, Text) and isinstance(old, Text) and old.exact and old.value and (
                        isinstance(new, Text) and new.exact):
                    return Text(base.value.replace(old.value, new.value))
            if method in {"strip", "rstrip", "lstrip", "lower", "upper"}:
                base = sub(func.value)
                if isinstance(base, Text):
                    return _strip(base, method, sub(args[0].value) if args else None)
        qualified = ctx.qualified_names(func)
        if qualified & _GETENV:
            default = args[1].value if len(args) > 1 else kwargs.get("default")
            self._guesses += 1  # the environment decides
            return sub(default) if default is not None else Text(HOLE)
        if qualified & _URLJOIN and len(args) >= 2:
            return _urljoin(as_text(sub(args[0].value)), as_text(sub(args[1].value)))
        if qualified & _PATHJOIN and args:
            return Text("/".join(as_text(sub(a.value)).value.strip("/") if i else as_text(sub(a.value)).value.rstrip("/")
                                 for i, a in enumerate(args)))
        if qualified & {"json.dumps"} and args:
            try:
                return Text(json.dumps(to_json(sub(args[0].value))))
            except NotJson:
                return Text(HOLE)
        if qualified & {"builtins.str"} and len(args) == 1:
            return as_text(sub(args[0].value))
        if qualified & {"builtins.frozenset", "builtins.set", "builtins.tuple", "builtins.list"} and len(args) == 1:
            inner = sub(args[0].value)
            return inner if isinstance(inner, Items) else None
        return self._returned(ctx, call, sub, depth)

    def _returned(self, ctx: ModuleContext, call: cst.Call, sub, depth: int) -> Value | None:
        """What a call of a scanned function returns, when that function has one ``return`` (a URL
        builder: ``def territory_url(module, record): return f"{BASE}/{module}/..."``), folded
        with the call's arguments."""
        if self._builders >= MAX_BUILDERS:
            self._cuts += 1
            return None
        functions = self.resolver.functions(ctx, call.func, self.instance_of)
        if len(functions) != 1 or any(a.star for a in call.args):
            return None
        function = functions[0]
        returned = self.single_return(function.ctx, function.node)
        if returned is None:
            return None
        masked = self._set_by_receiver(ctx, call, function, returned)
        params = function.positional(bound=isinstance(call.func, cst.Attribute))  # self or cls: the attribute's object
        by_name = {p.name.value: p for p in [*params, *function.node.params.kwonly_params]}
        env: Env = {}
        positional = [a.value for a in call.args if a.keyword is None]
        star = function.node.params.star_arg  # ``def url(*parts)``: the rest, as a tuple
        if len(positional) > len(params) and not isinstance(star, cst.Param):
            return None
        for param, value in zip(params, positional):
            folded = sub(value)
            env[id(param)] = Unknown() if folded is None else folded
        if isinstance(star, cst.Param):
            rest = [sub(value) for value in positional[len(params):]]
            env[id(star)] = Items(tuple(Unknown() if value is None else value for value in rest))
        for param in [*params[len(positional):], *function.node.params.kwonly_params]:
            if param.default is not None:  # this call leaves it at its default: that is its value here
                folded = self.fold(function.ctx, param.default, {}, depth)
                env[id(param)] = Unknown() if folded is None else folded
        for arg in call.args:
            if arg.keyword is not None:
                param = by_name.get(arg.keyword.value)
                if param is None:
                    return None
                folded = sub(arg.value)
                env[id(param)] = Unknown() if folded is None else folded
        try:
            key = (id(function.node), tuple(sorted(env.items())), masked, self._prefer)
            hash(key)
        except TypeError:  # a folded value that cannot be a key (Unknown is compared by identity)
            key = None
        if key is not None and key in self._built:
            _, value, chose, width = self._built[key]
            self.choices += chose  # its path-dependent values count each time it is used
            self.widest = max(self.widest, width)
            return value
        self._builders += 1
        outer, self._masked = self._masked, masked
        cuts, choices, widest = self._cuts, self.choices, self.widest
        self.widest = 0
        try:
            value = self.fold(function.ctx, returned, env, depth)
        finally:
            self._builders -= 1
            self._masked = outer
            width, self.widest = self.widest, max(widest, self.widest)
        if key is not None and self._cuts == cuts:  # whole: no cycle or depth limit cut it short
            self._built[key] = (function.node, value, self.choices - choices, width)  # the node keeps its id its own
        return value

    def _set_by_receiver(self, ctx: ModuleContext, call: cst.Call, function, returned) -> frozenset:
        """The ``self.X`` / ``cls.X`` a method's return reads that the receiver's class may set
        otherwise than the method's own class (a subclass with its own ``base``), or may not be
        known to: those fold as unknown parts, the rest of the URL still matches."""
        definer = function.ctx.enclosing_class(function.node)
        read = frozenset(_own_attribute(node) for node in descendants(returned, cst.Attribute)) - {None}
        if definer is None or not read or not isinstance(call.func, cst.Attribute):
            return frozenset()
        receiver = call.func.value
        if isinstance(receiver, cst.Name) and receiver.value in ("self", "cls"):
            klass = self.resolver.enclosing_class(ctx, call)
            classes = [(ctx, klass)] if klass is not None else []
        else:
            found = self.resolver.classes_of(ctx, receiver) or (
                self.instance_of(ctx, receiver) if self.instance_of is not None else [])
            classes = [(c.ctx, c.node) for c in found]
        if not classes:
            return read
        own = set()
        for class_ctx, klass in classes:
            if klass is not definer:
                own |= set(class_ctx.class_info(klass).attributes)
        return read & frozenset(own)

    def single_return(self, ctx: ModuleContext, function: cst.FunctionDef) -> cst.BaseExpression | None:
        """The value of the one ``return`` statement of ``function`` (None if it has none, several,
        or yields), from the returns and yields the module's collector put in its body."""
        known = self._returns.get(id(function))
        if known is not None:
            return known[1]
        found = [node for node in ctx.bodies[id(function)].returns if not _nested(ctx, node, function)]
        value = found[0].value if len(found) == 1 and isinstance(found[0], cst.Return) else None
        self._returns[id(function)] = (function, value)  # holding the node keeps its id its own
        return value

    # -- names and attributes ----------------------------------------------------------

    def _name(self, ctx: ModuleContext, name: cst.Name, env: Env, depth: int) -> Value | None:
        values = [self.bound_value(bound, env, depth) for bound in _in_source_order(self.resolver.reaching(ctx, name))]
        return self._agree(values)

    def _attribute(self, ctx: ModuleContext, node: cst.Attribute, env: Env, depth: int) -> Value | None:
        if _own_attribute(node) in self._masked:
            return Text(HOLE)  # self.base of a builder called on a subclass that sets its own
        bounds = self.resolver.attribute(ctx, node)
        if not bounds:
            return self._property(ctx, node, depth)
        values = [self.bound_value(bound, env, depth) for bound in _in_source_order(bounds)]
        return self._agree(values)

    def _property(self, ctx: ModuleContext, node: cst.Attribute, depth: int) -> Value | None:
        """``self.base`` where ``base`` is a ``@property`` (or ``cached_property``) of the class:
        what its one ``return`` gives."""
        if not (isinstance(node.value, cst.Name) and node.value.value == "self"):
            return None
        klass = self.resolver.enclosing_class(ctx, node)
        method = self.resolver.method(ctx, klass, node.attr.value) if klass is not None else None
        if method is None or not decorated(method.node, "property", "cached_property"):
            return None
        return self.fold(method.ctx, self.single_return(method.ctx, method.node), None, depth + 1)

    def _agree(self, values: list[Value | None]) -> Value | None:
        """The one value all of ``values`` (one per path) fold to; when they differ, the one path()
        prefers, if it is known, else None."""
        known = [v for v in values if v is not None]
        if known and len(known) == len(values) and all(v == known[0] for v in known):
            return known[0]
        if len(values) > 1 and known:
            self.choices += 1
            self.widest = max(self.widest, len(values))
            if self._prefer is not None:
                return values[min(self._prefer, len(values) - 1)]
        return None

    def bound_value(self, bound: Bound, env: Env, depth: int) -> Value | None:
        definition: Definition = bound.definition
        if definition.kind == "param":
            param = definition.value
            if id(param) in env:
                value = env[id(param)]
                return None if isinstance(value, Unknown) else value
            self._guesses += 1  # its default, which a caller may override
            return self.fold(bound.ctx, _param_default(param), env, depth)
        if definition.kind == "assign":
            value = self.fold(bound.ctx, definition.value, env, depth)
            if definition.index is not None:
                return value.members[definition.index] if isinstance(value, Items) and definition.index < len(
                    value.members) else None
            return value
        return None


def _in_source_order(bounds: list[Bound]) -> list[Bound]:
    """Bindings by where they are (LibCST keeps a name's assignments in a set: its order varies)."""
    if len(bounds) < 2:
        return bounds

    def place(bound: Bound) -> tuple:
        node = bound.definition.statement or bound.definition.value
        start = bound.ctx.position(node).start if node is not None else None
        return (bound.ctx.path, start.line, start.column) if start is not None else (bound.ctx.path, 0, 0)

    return sorted(bounds, key=place)


def _plain(node: cst.BaseExpression) -> bool:
    """A name, ``a.b``, or a literal: a condition's side worth folding."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, (cst.Name, cst.SimpleString, cst.Integer, cst.Float))


def _truth(value: Value | None) -> bool | None:
    """Whether a known value is true; None when it is not known."""
    if isinstance(value, (Constant, Number)) or isinstance(value, Text) and value.exact:
        return bool(value.value)
    return None


def _compared(left: Value | None, operator: cst.BaseCompOp, right: Value | None) -> Constant | None:
    """``left == right`` (or ``!=``) of two known values."""
    known = [v for v in (left, right) if isinstance(v, (Constant, Number)) or isinstance(v, Text) and v.exact]
    if len(known) != 2 or not isinstance(operator, (cst.Equal, cst.NotEqual)):
        return None
    same = type(left) is type(right) and left.value == right.value
    return Constant(same if isinstance(operator, cst.Equal) else not same)


def _nested(ctx: ModuleContext, node: cst.CSTNode, function: cst.FunctionDef) -> bool:
    """Whether ``node`` of ``function``'s body sits in a lambda or class there (not its own return)."""
    current = ctx.parents.get(node)
    while current is not None and current is not function:
        if isinstance(current, (cst.Lambda, cst.ClassDef)):
            return True
        current = ctx.parents.get(current)
    return False


def _own_attribute(node: cst.CSTNode) -> str | None:
    """``X`` of ``self.X`` or ``cls.X``."""
    if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value in ("self", "cls"):
        return node.attr.value
    return None


def _percent_format(template: Text, right: Value | None) -> Text:
    if isinstance(right, Items):
        positional, mapping = list(right.members), None
    elif isinstance(right, Mapping):
        positional, mapping = [], right
    else:
        positional, mapping = [right], None
    out, last = [], 0
    for match in _PERCENT.finditer(template.value):
        out.append(template.value[last : match.start()])
        last = match.end()
        if match.group(0) == "%%":
            out.append("%")
        elif match.group("key") is not None:
            out.append(as_text(mapping.get(match.group("key")) if mapping else None).value)
        else:
            out.append(as_text(positional.pop(0) if positional else None).value)
    out.append(template.value[last:])
    return Text("".join(out))


def _str_format(template: Text, positional: list, keywords: dict, has_star: bool) -> Text:
    out, auto = [], 0
    try:
        parsed = list(string.Formatter().parse(template.value))
    except ValueError:
        return Text(HOLE)
    for literal, field_name, spec, conversion in parsed:
        out.append(literal)
        if field_name is None:
            continue
        head = re.split(r"[.\[]", field_name, maxsplit=1)[0]
        value = None
        if head == "":
            value = positional[auto] if auto < len(positional) else None
            auto += 1
        elif head.isdigit():
            index = int(head)
            value = positional[index] if index < len(positional) else None
        else:
            value = keywords.get(head)
        if spec or (conversion not in (None, "s")) or head != field_name:
            value = None
        out.append(as_text(value).value)
    return Text("".join(out))


def _strip(base: Text, method: str, chars: Value | None) -> Text:
    if method in {"lower", "upper"}:
        return Text(getattr(base.value, method)()) if base.exact else base
    if chars is not None and not (isinstance(chars, Text) and chars.exact):
        return base
    characters = chars.value if isinstance(chars, Text) else None
    value = base.value
    if method in {"strip", "lstrip"} and not value.startswith(HOLE):
        value = value.lstrip(characters)
    if method in {"strip", "rstrip"} and not value.endswith(HOLE):
        value = value.rstrip(characters)
    return Text(value)


def _urljoin(base: Text, path: Text) -> Text:
    if re.match(r"^[a-z][a-z0-9+.-]*://", path.value) or path.value.startswith(HOLE):
        return path if not path.value.startswith(HOLE) else Text(base.value.rstrip("/") + "/" + path.value)
    if path.value.startswith("/"):
        match = re.match(r"^([a-z][a-z0-9+.-]*://[^/]*)", base.value)
        return Text((match.group(1) if match else HOLE) + path.value)
    head = base.value if base.value.endswith("/") else base.value.rsplit("/", 1)[0] + "/"
    return Text(head + path.value)
