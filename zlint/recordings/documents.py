"""Safe loading of YAML and JSON recordings, and the file position of a value in them."""

from __future__ import annotations

import json
from dataclasses import dataclass

import yaml

MAX_ALIASES = 100  # YAML aliases allowed in one recording (alias bombs are refused)
MAX_YAML_DEPTH = 1000  # nesting of YAML collections (libyaml's composer recurses in C: deeper crashes)
_PYTHON_TAG = "tag:yaml.org,2002:python/"


@dataclass(frozen=True)
class PythonObject:
    """A value tagged as a Python object (``!!python/object/new:_io.BytesIO``): only named, never
    built, since zlint runs no code from what it scans; no body reads as one."""

    tag: str


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, plus the ``!!python/...`` tags VCR.py wrote under Python 2 (it replays
    them still): unicode and str are text, tuple a list, any other one a PythonObject."""


_Loader.add_constructor(_PYTHON_TAG + "unicode", yaml.SafeLoader.construct_yaml_str)
_Loader.add_constructor(_PYTHON_TAG + "str", yaml.SafeLoader.construct_yaml_str)
_Loader.add_constructor(_PYTHON_TAG + "tuple", lambda loader, node: loader.construct_sequence(node))
_Loader.add_multi_constructor(_PYTHON_TAG, lambda loader, suffix, node: PythonObject("python/" + suffix))


class DocumentError(ValueError):
    """A recording that cannot be read; ``line``/``column`` (1-based) say where, when known."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.line, self.column = line, column


def load(text: str, is_yaml: bool) -> object:
    if not is_yaml:
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise DocumentError(f"invalid JSON: {error.msg}", error.lineno, error.colno) from None
        except RecursionError:
            raise DocumentError("JSON nested too deeply to read") from None
    aliases, deep = _scan(text)
    if aliases > MAX_ALIASES:
        raise DocumentError(f"more than {MAX_ALIASES} YAML aliases (an alias bomb?); not read")
    if deep is not None:
        raise DocumentError(f"YAML nested more than {MAX_YAML_DEPTH} levels deep; not read", *deep)
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DocumentError(f"invalid YAML: {_one_line(error.problem or error.context)}", line, column) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not take (a NUL byte): where it is
        line, column = line_column(text, error.position)
        character = ord(error.character) if isinstance(error.character, str) else error.character
        what = f"#x{character:04x}" if isinstance(character, int) else repr(character)
        raise DocumentError(f"invalid YAML: character {what} not allowed: {_one_line(error.reason)}", line,
                            column) from None
    except (yaml.YAMLError, RecursionError) as error:
        raise DocumentError(f"invalid YAML: {_one_line(str(error))}") from None


def line_column(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of the character at ``position`` in ``text``."""
    before = text[:position]
    return before.count("\n") + 1, position - before.rfind("\n")


def _one_line(text: str | None) -> str:
    """A parser's message on one line (findings are one line each in the concise output)."""
    return " ".join(str(text).split())


def _scan(text: str) -> tuple[int, tuple[int, int] | None]:
    """The YAML aliases (up to one more than allowed) and where the nesting first goes deeper than
    allowed, from the parser's events (libyaml's parser does not recurse; its composer does)."""
    count = depth = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            if kind is yaml.AliasEvent:
                count += 1
                if count > MAX_ALIASES:
                    break
            elif kind is yaml.SequenceStartEvent or kind is yaml.MappingStartEvent:
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    return count, (event.start_mark.line + 1, event.start_mark.column + 1)
            elif kind is yaml.SequenceEndEvent or kind is yaml.MappingEndEvent:
                depth -= 1
    except yaml.MarkedYAMLError as error:  # PyYAML 6.0.4 and later stop too deep nesting themselves
        mark = error.problem_mark
        if "nesting depth" in (error.problem or "") and mark is not None:
            return count, (mark.line + 1, mark.column + 1)
        return 0, None  # the load reports the syntax error
    except yaml.YAMLError:
        return 0, None
    return count, None


class Locator:
    """File positions of values in one YAML or JSON text, composed once on first use.

    JSON is read as YAML here, which keeps every node's place; a path that cannot be followed
    stops at the deepest node found."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._root = None
        self._composed = False

    def position(self, path: tuple) -> tuple[int, int]:
        """1-based line and column of the value at ``path`` (keys and list indexes)."""
        if not self._composed:
            self._composed = True
            try:
                self._root = yaml.compose(self._text, Loader=_Loader)
            except (yaml.YAMLError, RecursionError):
                self._root = None
        node = best = self._root
        for step in path:
            node = _child(node, step)
            if node is None:
                break
            best = node
        if best is None:
            return 1, 1
        return best.start_mark.line + 1, best.start_mark.column + 1


def _child(node, step):
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(step):
                return value
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step]
    return None
