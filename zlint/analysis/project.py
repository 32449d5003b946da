"""The scanned tree as a set of importable modules, parsed on demand.

This is the repo-wide index: a dotted module name for every Python file, so that imports,
constants, wrapper functions and decorators resolve across modules. Files are parsed only
when the analysis needs them, and a file that does not parse is remembered as such.

Everything the analysis learns about other files goes through this class, so it can keep a
``Trace`` of one piece of work: the files it read (with the digest of the bytes it saw, and the
name and path it knew them by) and every module or path lookup with its answer. The cache reuses
a result only while each of those answers is still the same (see zlint/cache.py).

Importing this module does not import LibCST; parsing does.
"""

from __future__ import annotations

import ast
import hashlib
import os
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ParseFailure:
    """Why a file could not be parsed: its reported path, the message and the 1-based place."""

    path: str
    message: str
    line: int
    column: int
    code: str  # ZL001 (syntax) or ZL004 (unreadable)


# The HTTP client libraries zlint/analysis/calls.py knows by name (its _HTTP_LIBRARIES).
MODELLED_LIBRARIES = frozenset({"requests", "httpx", "aiohttp", "urllib3", "urllib"})


# A method that does territory work is also listed among the index's words as
# ``method@module.Class``: so the check units, and the keys they are cached by, know where a
# call on a receiver of unknown type may lead (``def move(client): client.assign_territory()``).
METHOD_MARK = "@"


OTHER_MARK = "!"  # method@!module.Class: a class whose method of that name does no territory work


def method_word(method: str, module: str, klass: str, territorial: bool = True) -> str:
    return f"{method}{METHOD_MARK}{'' if territorial else OTHER_MARK}{module}.{klass}"


def plain_words(words) -> list[str]:
    """The words that are names to look for in code (not the methods' entries)."""
    return [w for w in words if METHOD_MARK not in w]


def indexing_words(words) -> tuple[str, ...]:
    """The words an index unit follows: all but the other classes' methods (OTHER_MARK). Those
    tell a check that a call on a receiver of unknown type is ambiguous; the index takes such a
    call for territory work (more names to look for, never fewer), so that the words it is keyed
    by settle with the wrappers, not with every class that shares a method's name."""
    return tuple(word for word in words if f"{METHOD_MARK}{OTHER_MARK}" not in word)


def territory_methods(words, territorial: bool = True) -> dict[str, list[tuple[str, str]]]:
    """method name -> (module, class) of each class whose method of that name does territory work
    (with ``territorial`` False: of each other class the index saw define a method of that name)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for word in words:
        method, mark, owner = word.partition(METHOD_MARK)
        if mark and owner.startswith(OTHER_MARK) != territorial:
            module, _, klass = owner.lstrip(OTHER_MARK).rpartition(".")
            found.setdefault(method, []).append((module, klass))
    return found


def digest_of(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


@dataclass
class Trace:
    """What one piece of work asked of the project, and the answers it got."""

    files: dict[str, tuple[str | None, str, str]] = field(default_factory=dict)  # path -> (digest, display, module)
    modules: dict[str, str | None] = field(default_factory=dict)  # dotted name -> path (None: not in the tree)
    displays: dict[str, str | None] = field(default_factory=dict)  # display -> path

    def plain(self) -> list:
        return [self.files, self.modules, self.displays]


def module_names(path: Path, root: Path | None, packages: dict | None = None) -> list[str]:
    """Dotted names a file can be imported as: by its package chain, and relative to the root.
    ``packages`` remembers what each folder contributes (a few stats per folder per run)."""
    text = str(path)
    folder, _, filename = text.rpartition("/")
    if not folder.startswith("/") or not filename:
        folder, filename = os.path.split(text)
    base = str(root) if root is not None else None
    memo = packages if packages is not None else {}
    key = (folder, base)
    known = memo.get(key)
    if known is None:
        known = memo[key] = _folder_names(folder, base, memo)
    if known is False or "/" in filename:
        return _module_names_slow(path, root)
    chain, relative, relative_ok = known
    dot = filename.rfind(".")
    stem = filename[:dot] if 0 < dot < len(filename) - 1 else filename  # PurePath.stem
    if filename == "__init__.py":
        names = [chain] if chain else []
    else:
        names = [f"{chain}.{stem}" if chain else stem]
    if relative is not None and relative_ok and (stem == "__init__" or stem.isidentifier()):
        dotted = relative if stem == "__init__" else (f"{relative}.{stem}" if relative else stem)
        if dotted and dotted not in names:
            names.append(dotted)
    return names


def _folder_names(folder: str, base: str | None, memo: dict):
    """(dotted package chain, dotted path below the root or None, whether that path is all
    identifiers) of a folder; False when only pathlib can tell."""
    if os.sep != "/" or os.path.normpath(folder) != folder or (base is not None and os.path.normpath(base) != base):
        return False
    chain = memo.get(folder)
    if chain is None:
        chain = memo[folder] = ".".join(_package_chain(folder, memo))
    relative = None
    relative_ok = False
    if base is not None:
        prefix = base if base.endswith("/") else base + "/"
        parts = None
        if folder == base:
            parts = []
        elif folder.startswith(prefix):
            parts = [p for p in folder[len(prefix):].split("/") if p != "__init__"]
        if parts is not None:
            relative = ".".join(parts)
            relative_ok = all(p.isidentifier() for p in parts)
    return chain, relative, relative_ok


def _package_chain(folder: str, memo: dict | None = None) -> tuple[str, ...]:
    """The package names from the outermost folder with an ``__init__.py`` down to ``folder``
    (``memo`` keeps each folder's answer, so a tree costs one stat per folder)."""
    memo = {} if memo is None else memo
    key = ("chain", folder)
    found = memo.get(key)
    if found is not None:
        return found
    up, name = os.path.split(folder)
    if up == folder or not os.path.isfile(os.path.join(folder, "__init__.py")):
        found = ()
    else:
        found = (*_package_chain(up, memo), name)
    memo[key] = found
    return found


def _module_names_slow(path: Path, root: Path | None) -> list[str]:
    """module_names with pathlib (any platform, any path)."""
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
    """Files by module name, and their parsed contexts (or parse failures), made on first use.

    ``max_contexts`` bounds how many parsed files are kept between pieces of work (None: all,
    which ``zlint fix`` needs: its edits point into these trees)."""

    def __init__(self, max_contexts: int | None = None) -> None:
        # module names are worked out on demand: a lookup looks only at the files whose name or
        # folder is the name's last part (a run that follows no import never names 10,000 files)
        self._entries: list[tuple[Path, Path | None]] = []  # (path, root) in the order they were added
        self._last_entry: dict[Path, int] = {}
        self._names: dict[int, list[str]] = {}
        self._candidates: dict[str, list[int]] | None = None
        self._lookups: dict[str, Path | None] = {}
        self._display: dict[Path, str] = {}
        self._by_display: dict[str, Path] = {}
        self._primary_name: dict[Path, str] = {}
        self._sources: dict[Path, bytes] = {}
        self._digests: dict[Path, str] = {}
        self._contexts: OrderedDict[Path, object] = OrderedDict()
        self.max_contexts = max_contexts
        self.trace: Trace | None = None
        self._packages: dict = {}
        self._roots: dict[Path, Path | None] = {}

    def spec(self) -> list:
        """What another process needs to rebuild this project's file and module map."""
        return [(path, self._display[path], root) for path, root in self._entries]

    @classmethod
    def from_spec(cls, spec: list) -> Project:
        project = cls()
        for path, display, root in spec:
            project.add(path, display, root)
        return project

    def add(self, path: Path, display: str, root: Path | None, source: bytes | None = None) -> None:
        self._last_entry[path] = len(self._entries)
        self._entries.append((path, root))
        self._candidates = None
        self._lookups.clear()
        self._primary_name.pop(path, None)
        self._roots[path] = root
        self._display[path] = display
        self._by_display[display] = path
        if source is not None:
            self._sources[path] = source

    def add_files(self, items, base: Path | None) -> None:
        """Add discovered Python files (``item.path``, ``.display``, ``.root``). A file below
        ``base``, the project's root, is also known by its names from there, as a run over the root
        names it: a folder given alone names its modules from itself (``crmhttp``, when it has no
        ``__init__.py``), while the imports name them from the root (``pkg.crmhttp``)."""
        for item in items:
            if base is not None and item.root != base and base in item.path.parents:
                self.add(item.path, item.display, base)
            self.add(item.path, item.display, item.root)  # (the last entry gives the file's own name)

    def _names_of(self, entry: int) -> list[str]:
        found = self._names.get(entry)
        if found is None:
            path, root = self._entries[entry]
            found = self._names[entry] = module_names(path, root, self._packages)
        return found

    def _candidate_index(self) -> dict[str, list[int]]:
        """Entries by the last part their names can end with: the file's stem, its folder's name
        (for ``__init__``); paths whose names could end otherwise are listed under ""."""
        index: dict[str, list[int]] = {}
        for number, (path, _) in enumerate(self._entries):
            text = str(path)
            folder, _, filename = text.rpartition("/")
            if os.sep != "/" or "/__init__/" in text or text.endswith("/__init__") or not folder.startswith("/"):
                index.setdefault("", []).append(number)
                continue
            dot = filename.rfind(".")
            stem = filename[:dot] if 0 < dot < len(filename) - 1 else filename
            parent = folder.rpartition("/")[2]
            if "." in stem or "." in parent:  # a name's last part is not the whole stem or folder name
                index.setdefault("", []).append(number)
                continue
            index.setdefault(stem, []).append(number)
            if parent != stem:
                index.setdefault(parent, []).append(number)
        return index

    @property
    def paths(self) -> list[Path]:
        return list(self._display)

    def display(self, path: Path) -> str:
        return self._display[path]

    def module_name(self, path: Path) -> str:
        """The file's dotted name (its package chain's, else its stem)."""
        found = self._primary_name.get(path)
        if found is None:
            names = self._names_of(self._last_entry[path])
            found = self._primary_name[path] = names[0] if names else path.stem
        return found

    def knows(self, path: Path) -> bool:
        return path in self._display

    # -- reading -----------------------------------------------------------------------

    def source(self, path: Path) -> bytes:
        if path not in self._sources:
            self._sources[path] = path.read_bytes()
            self._digests.pop(path, None)
        self._note(path)
        return self._sources[path]

    def kept_source(self, path: Path) -> bytes | None:
        """The bytes already read of ``path``, if kept (no reading, no tracing)."""
        return self._sources.get(path)

    def set_source(self, path: Path, data: bytes, digest: str | None = None) -> None:
        """Bytes read elsewhere (the prefilter), kept until ``forget_sources``."""
        self._sources[path] = data
        if digest is not None:
            self._digests[path] = digest
        else:
            self._digests.pop(path, None)

    def forget_source(self, path: Path) -> None:
        self._sources.pop(path, None)

    def forget_sources(self) -> None:
        """Drop the bytes of files that are not parsed (the parsed ones keep theirs in the context)."""
        for path in [p for p in self._sources if p not in self._contexts]:
            del self._sources[path]

    def digest(self, path: Path) -> str | None:
        """The digest of the bytes this project holds of ``path`` (None: not read, or unreadable)."""
        found = self._digests.get(path)
        if found is None and path in self._sources:
            found = self._digests[path] = digest_of(self._sources[path])
        return found

    def _note(self, path: Path) -> None:
        if self.trace is not None:
            key = str(path)
            if key not in self.trace.files:
                self.trace.files[key] = (self.digest(path), self._display[path], self.module_name(path))

    # -- parsing -----------------------------------------------------------------------

    def context(self, path: Path):
        """The parsed module (ModuleContext) or why it is not one (ParseFailure)."""
        found = self._contexts.get(path)
        if found is None:
            found = self._contexts[path] = self._parse(path)
        elif self.max_contexts is not None:
            self._contexts.move_to_end(path)
        self._note(path)
        return found

    @contextmanager
    def substituted(self, path: Path, source: bytes, context) -> Iterator[None]:
        """For a while, ``path`` holds other bytes and their parsed ``context`` (zlint fix checks a
        file's fixed code before writing it); afterwards, what the project held of it before."""
        saved = (self._sources.get(path), self._digests.get(path), self._contexts.get(path))
        self._sources[path] = source
        self._digests.pop(path, None)
        self._contexts[path] = context
        try:
            yield
        finally:
            for table, value in zip((self._sources, self._digests, self._contexts), saved):
                if value is None:
                    table.pop(path, None)
                else:
                    table[path] = value

    def parsed(self, path: Path) -> bool:
        return path in self._contexts

    def parsed_contexts(self) -> dict[str, object]:
        """Display -> ModuleContext of every file parsed so far."""
        from zlint.analysis.module import ModuleContext

        return {self._display[p]: c for p, c in self._contexts.items() if isinstance(c, ModuleContext)}

    def context_by_display(self, display: str):
        """A parsed context by its display path, without tracing (for turning results into data)."""
        path = self._by_display.get(display)
        return self._contexts.get(path) if path is not None else None

    def trim(self) -> int:
        """Forget the oldest parsed files beyond ``max_contexts`` (between pieces of work); how many."""
        if self.max_contexts is None:
            return 0
        dropped = 0
        while len(self._contexts) > self.max_contexts:
            path, _ = self._contexts.popitem(last=False)
            self._sources.pop(path, None)
            dropped += 1
        return dropped

    def _parse(self, path: Path):
        import libcst as cst

        from zlint.analysis.module import ModuleContext

        display = self._display[path]
        try:
            source = self.source(path)
        except OSError as error:
            return ParseFailure(display, f"cannot read file: {error.strerror or error}", 1, 1, "ZL004")
        refused = refused_before_parsing(display, source)
        if refused is not None:
            return refused
        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError as error:
            return _syntax_failure(display, source, error)
        except (UnicodeDecodeError, LookupError, SyntaxError) as error:
            return ParseFailure(display, f"cannot decode file: {error}", 1, 1, "ZL004")
        except RecursionError:
            return ParseFailure(display, "nesting too deep to parse", 1, 1, "ZL001")
        try:
            return ModuleContext(display, self.module_name(path), module, source)
        except RecursionError:
            return ParseFailure(display, "code nested too deeply to analyse", 1, 1, "ZL001")

    # -- lookups -----------------------------------------------------------------------

    def module_path(self, dotted: str) -> Path | None:
        """The file a dotted module name means in this tree (no parsing, no tracing). A copy of an
        HTTP client library the call classifier models (requests, httpx, ...) that happens to be
        in the tree is not followed: the model stands for it."""
        if dotted.partition(".")[0] in MODELLED_LIBRARIES:
            return None
        if dotted in self._lookups:
            return self._lookups[dotted]
        if self._candidates is None:
            self._candidates = self._candidate_index()
        last = dotted.rpartition(".")[2]
        numbers = self._candidates.get(last, [])
        if "" in self._candidates:
            numbers = sorted({*numbers, *self._candidates[""]})
        found = None
        for number in numbers:  # the first file added that has the name (as a dict's setdefault kept it)
            if dotted in self._names_of(number):
                found = self._entries[number][0]
                break
        self._lookups[dotted] = found
        return found

    def path_of_display(self, display: str) -> Path | None:
        return self._by_display.get(display)

    def context_for_display(self, display: str):
        """The parsed module reported under ``display`` (how FunctionRef names its file)."""
        from zlint.analysis.module import ModuleContext

        path = self._by_display.get(display)
        if self.trace is not None:
            self.trace.displays.setdefault(display, str(path) if path is not None else None)
        context = self.context(path) if path is not None else None
        return context if isinstance(context, ModuleContext) else None

    def module(self, dotted: str):
        from zlint.analysis.module import ModuleContext

        path = self.module_path(dotted)
        if self.trace is not None:
            self.trace.modules.setdefault(dotted, str(path) if path is not None else None)
        if path is None:
            return None
        context = self.context(path)
        return context if isinstance(context, ModuleContext) else None

    def split(self, qualified: str):
        """The scanned module a qualified name points into, and the attribute path after it."""
        parts = qualified.split(".")
        for cut in range(len(parts), 0, -1):
            context = self.module(".".join(parts[:cut]))
            if context is not None:
                return context, parts[cut:]
        return None


def refused_before_parsing(display: str, source: bytes) -> ParseFailure | None:
    """Why bytes are not analysed although they may parse: NUL bytes, or nesting deeper than the
    analysis follows (LibCST crashes on deep nesting). Also asked of zlint fix's fixed code
    (fixwork.check_fixed), which is checked without a parse."""
    from zlint.analysis import nesting

    if b"\x00" in source:
        return ParseFailure(display, "file holds NUL bytes; not Python source", 1, 1, "ZL004")
    deep = nesting.too_deep(display, source)
    return ParseFailure(display, *deep, "ZL001") if deep is not None else None


def _syntax_failure(display: str, source: bytes, error) -> ParseFailure:
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
