"""Abstract values that constant folding produces: text with holes, numbers, collections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

HOLE = "\x00"  # stands in a folded text for a part whose value is unknown


@dataclass(frozen=True)
class Text:
    """A string whose unknown parts are marked by HOLE."""

    value: str

    @property
    def exact(self) -> bool:
        return HOLE not in self.value

    def render(self) -> str:
        return self.value.replace(HOLE, "{?}")


@dataclass(frozen=True)
class Number:
    value: int | float


@dataclass(frozen=True)
class Items:
    """A tuple, list or set literal (or a named one) with folded members."""

    members: tuple[Value, ...]

    def numbers(self) -> set[int | float] | None:
        """The numbers it holds, or None if any member is not a known number."""
        found = set()
        for member in self.members:
            if not isinstance(member, Number):
                return None
            found.add(member.value)
        return found

    def texts(self) -> set[str] | None:
        found = set()
        for member in self.members:
            if not isinstance(member, Text) or not member.exact:
                return None
            found.add(member.value)
        return found


@dataclass(frozen=True)
class Mapping:
    """A dict literal with constant string keys."""

    entries: tuple[tuple[str, Value], ...]

    def get(self, key: str) -> Value | None:
        for name, value in self.entries:
            if name == key:
                return value
        return None


@dataclass(frozen=True)
class Constant:
    """``True``, ``False`` or ``None``."""

    value: bool | None


@dataclass(frozen=True)
class Unknown:
    """Bound on purpose to "not known" (an argument whose value the caller cannot tell)."""


@dataclass(frozen=True)
class FunctionRef:
    """A function passed as a value, e.g. the function a decorator wraps."""

    key: tuple  # (module path, function position) of the referenced def
    # the arguments the function was called with where it is seen from a call site (a decorator's
    # wrapper that hands on ``*args, **kwargs`` passes them): (id(param), value) pairs
    env: frozenset = frozenset()


Value = Union[Text, Number, Items, Mapping, Constant, Unknown, FunctionRef]


def as_text(value: Value | None) -> Text:
    """The value as it would appear inside a string; unknown values become a hole."""
    if isinstance(value, Text):
        return value
    if isinstance(value, Number):
        return Text(str(value.value))
    return Text(HOLE)


class NotJson(ValueError):
    """A folded value that is not (entirely) known, so it has no JSON form."""


def to_json(value: Value | None) -> object:
    """The JSON value a folded literal stands for; raises NotJson for unknown parts."""
    if isinstance(value, Text) and value.exact:
        return value.value
    if isinstance(value, Number):
        return value.value
    if isinstance(value, Constant):
        return value.value
    if isinstance(value, Items):
        return [to_json(member) for member in value.members]
    if isinstance(value, Mapping):
        return {key: to_json(member) for key, member in value.entries}
    raise NotJson("not a literal")
