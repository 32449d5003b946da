"""The scanned tree as a set of importable modules, parsed on demand.

This is the repo-wide index: a dotted module name for every Python file, so that imports,
constants, wrapper functions and decorators resolve across modules. Files are parsed only
when the analysis needs them, and a file that does not parse is remembered as such.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import libcst as cst

from zlint.analysis.module import ModuleContext


@dataclass(frozen=True)
class ParseFailure:
    """Why a file could not be parsed: its reported path, the message and the 1-based place."""

    path: str
    message: str
    line: int
    column: int
    code: str  # ZL001 (syntax) or ZL004 (unreadable)


def module_names(path: Path, root: Path | None) -> list[str]:
    """Dotted names a file can be imported as: by its package chain, and relative to the root."""
    parts = [path.stem] if path.name != "__init__.py" else []
    parent = path.parent
    while (parent / "__init__.py").is_file() and parent != parent.parent:
        parts.insert(0, parent.name)
        parent = parent.parent
    names = [".".join(parts)] if parts else []
    if root is not None:
        try:
            relative = path.relative_to(root).with_suffix("")
        except ValueError:
            relative = None
        if relative is not None:
            rel_parts = [p for p in relative.parts if p != "__init__"] if relative.parts else []
            if rel_parts and all(p.isidentifier() for p in rel_parts):
                dotted = ".".join(rel_parts)
                if dotted not in names:
                    names.append(dotted)
    return names


class Project:
    """Files by module name, and their parsed contexts (or parse failures), made on first use."""

    def __init__(self) -> None:
        self._by_module: dict[str, Path] = {}
        self._display: dict[Path, str] = {}
        self._by_display: dict[str, Path] = {}
        self._primary_name: dict[Path, str] = {}
        self._sources: dict[Path, bytes] = {}
        self._contexts: dict[Path, ModuleContext | ParseFailure] = {}

    def add(self, path: Path, display: str, root: Path | None, source: bytes | None = None) -> None:
        names = module_names(path, root)
        self._display[path] = display
        self._by_display[display] = path
        self._primary_name[path] = names[0] if names else path.stem
        for name in names:
            self._by_module.setdefault(name, path)
        if source is not None:
            self._sources[path] = source

    @property
    def paths(self) -> list[Path]:
        return list(self._display)

    def display(self, path: Path) -> str:
        return self._display[path]

    def source(self, path: Path) -> bytes:
        if path not in self._sources:
            self._sources[path] = path.read_bytes()
        return self._sources[path]

    def forget_source(self, path: Path) -> None:
        self._sources.pop(path, None)

    def context(self, path: Path) -> ModuleContext | ParseFailure:
        if path not in self._contexts:
            self._contexts[path] = self._parse(path)
        return self._contexts[path]

    def parsed(self, path: Path) -> bool:
        return path in self._contexts

    def _parse(self, path: Path) -> ModuleContext | ParseFailure:
        display = self._display[path]
        try:
            source = self.source(path)
        except OSError as error:
            return ParseFailure(display, f"cannot read file: {error.strerror or error}", 1, 1, "ZL004")
        if b"\x00" in source:
            return ParseFailure(display, "file holds NUL bytes; not Python source", 1, 1, "ZL004")
        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError as error:
            return _syntax_failure(display, source, error)
        except (UnicodeDecodeError, LookupError, SyntaxError) as error:
            return ParseFailure(display, f"cannot decode file: {error}", 1, 1, "ZL004")
        except RecursionError:
            return ParseFailure(display, "nesting too deep to parse", 1, 1, "ZL001")
        return ModuleContext(display, self._primary_name[path], module, source)

    def context_for_display(self, display: str) -> ModuleContext | None:
        """The parsed module reported under ``display`` (how FunctionRef names its file)."""
        path = self._by_display.get(display)
        context = self.context(path) if path is not None else None
        return context if isinstance(context, ModuleContext) else None

    def module(self, dotted: str) -> ModuleContext | None:
        path = self._by_module.get(dotted)
        if path is None:
            return None
        context = self.context(path)
        return context if isinstance(context, ModuleContext) else None

    def split(self, qualified: str) -> tuple[ModuleContext, list[str]] | None:
        """The scanned module a qualified name points into, and the attribute path after it."""
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            context = self.module(".".join(parts[:cut]))
            if context is not None:
                return context, parts[cut:]
        return None


def _syntax_failure(display: str, source: bytes, error: cst.ParserSyntaxError) -> ParseFailure:
    """Where and why a file does not parse: CPython's compiler words it best, when it agrees."""
    try:
        compile(source, display, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as python_error:
        if python_error.lineno:
            return ParseFailure(display, f"syntax error: {python_error.msg}", python_error.lineno,
                                max(python_error.offset or 1, 1), "ZL001")
    except (ValueError, RecursionError, MemoryError):
        pass
    message = " ".join(str(getattr(error, "message", error)).split())
    return ParseFailure(display, f"syntax error: {message}", error.raw_line, error.raw_column + 1, "ZL001")
