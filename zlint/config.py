"""Finds, validates and reads zlint's configuration: ``[tool.zlint]`` or ``zlint.toml``."""

from __future__ import annotations

import sys
from pathlib import Path

from zlint import rulebook

DEFAULT_EXCLUDE = (
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".ruff_cache",
    ".pytest_cache", "build", "dist", "node_modules", "site-packages", ".eggs", "*.egg-info",
)


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


class Config:
    """The resolved configuration (a plain class, not a dataclass: see zlint/findings.py)."""

    FIELDS = ("root", "source", "select", "per_file_ignores", "exclude", "respect_gitignore", "recordings",
              "severity", "fail_on", "target_version", "job_helper")
    __slots__ = FIELDS

    def __init__(self, root: Path, source: Path | None = None, select: set[str] | None = None,
                 per_file_ignores: list[tuple[str, set[str]]] | None = None, exclude: list[str] | None = None,
                 respect_gitignore: bool = True, recordings: list | None = None,
                 severity: dict[str, str] | None = None, fail_on: str = "info", target_version: str | None = None,
                 job_helper: str | None = None) -> None:
        self.root = root  # paths in excludes and per-file-ignores are relative to it
        self.source = source
        self.select = set(rulebook.all_rules()) if select is None else select
        self.per_file_ignores = [] if per_file_ignores is None else per_file_ignores
        self.exclude = list(DEFAULT_EXCLUDE) if exclude is None else exclude
        self.respect_gitignore = respect_gitignore
        self.recordings = [] if recordings is None else recordings  # FixtureRule: plain JSON bodies by glob
        self.severity = {} if severity is None else severity  # code -> severity override
        self.fail_on = fail_on  # the lowest severity that fails the run
        self.target_version = target_version
        self.job_helper = job_helper  # dotted module for the job-waiting functions `zlint fix` writes; None: inline

    def __repr__(self) -> str:
        return "Config(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS) + ")"

    def enabled(self, code: str) -> bool:
        return code in self.select

    def enabled_any(self, codes) -> bool:
        return any(code in self.select for code in codes)

    def severity_of(self, code: str) -> str:
        return self.severity.get(code) or rulebook.all_rules()[code].severity


def project_root(config: Config, cwd: Path) -> Path | None:
    """The folder of the config file, else the git work tree around ``cwd``, else none."""
    return config.root if config.source is not None else git_work_tree(cwd)


def git_work_tree(start: Path) -> Path | None:
    """The git work tree ``start`` is in: the nearest folder upwards that holds a ``.git``."""
    return next((folder for folder in [start, *start.parents] if (folder / ".git").exists()), None)


def find_config(start: Path) -> Path | None:
    """The nearest zlint.toml, or pyproject.toml with a [tool.zlint] table, from ``start`` upwards."""
    for folder in [start, *start.parents]:
        found = config_in(folder)
        if found is not None:
            return found
    return None


def config_in(folder: Path) -> Path | None:
    """The zlint.toml of ``folder``, else its pyproject.toml if that has a [tool.zlint] table."""
    candidate = folder / "zlint.toml"
    if candidate.is_file():
        return candidate
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        try:
            # no [tool.zlint] without the word: a pyproject.toml that does not mention zlint,
            # broken or not, is not zlint's (and most runs are spared the TOML parser's import)
            mentioned = b"zlint" in pyproject.read_bytes()
            data = _toml().loads(pyproject.read_text(encoding="utf-8")) if mentioned else {}
        except (_toml().TOMLDecodeError, OSError, UnicodeDecodeError):
            data = {"tool": {"zlint": {}}}  # broken: report it when loading
        if "zlint" in data.get("tool", {}):
            return pyproject
    return None


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def load(path: Path | None, cwd: Path, validate: bool = True) -> Config:
    """The configuration in ``path`` (defaults without one). ``validate=False`` skips the schema
    check, for a file whose exact bytes already passed it (zlint's cache knows)."""
    if path is None:
        return Config(root=cwd)
    tomllib = _toml()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"{path}: not UTF-8 text (byte {error.start})") from None
    table = data.get("tool", {}).get("zlint", {}) if path.name == "pyproject.toml" else data
    prefix = "tool.zlint" if path.name == "pyproject.toml" else ""
    if validate:
        _validate(table, path, prefix)
    config = Config(root=path.parent.resolve(), source=path)
    if "select" in table:
        config.select = _codes(table["select"], path, f"{prefix}.select".lstrip("."))
    if "ignore" in table:
        config.select -= _codes(table["ignore"], path, f"{prefix}.ignore".lstrip("."))
    for pattern, selectors in table.get("per-file-ignores", {}).items():
        key = f"{prefix}.per-file-ignores.{pattern}".lstrip(".")
        config.per_file_ignores.append((pattern, _codes(selectors, path, key)))
    if "exclude" in table:
        config.exclude = list(table["exclude"])
    config.exclude += list(table.get("extend-exclude", []))
    config.respect_gitignore = table.get("respect-gitignore", True)
    if table.get("recordings"):  # the recordings module imports PyYAML: only when there are rules for them
        from zlint.recordings.check import FixtureRule

        config.recordings = [FixtureRule(r["glob"], r["operation"], r.get("version"), r.get("status"))
                             for r in table["recordings"]]
    for selector, level in table.get("severity", {}).items():
        for code in _codes([selector], path, f"{prefix}.severity".lstrip(".")):
            config.severity[code] = level
    config.fail_on = table.get("fail-on", config.fail_on)
    config.target_version = table.get("target-version")
    helper = table.get("job-helper", "inline")
    config.job_helper = None if helper == "inline" else helper
    return config


def _validate(table: dict, path: Path, prefix: str) -> None:
    import jsonschema

    from zlint.resources import load_json

    validator = jsonschema.Draft202012Validator(load_json("schemas", "config.schema.json"))
    errors = sorted(validator.iter_errors(table), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    lines = []
    for error in errors:
        where = _key_path(prefix, error.absolute_path)
        if error.validator == "additionalProperties":
            unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            if error.schema.get("properties"):
                known = ", ".join(sorted(error.schema["properties"]))
                lines.append(f"{path}: unknown key {', '.join(repr(u) for u in unknown)} in [{where}] "
                             f"(known keys: {known})")
                continue
        lines.append(f"{path}: {where}: {error.message}")
    raise ConfigError("\n".join(lines))


def _key_path(prefix: str, steps) -> str:
    """Where in the config a value is: ``tool.zlint.recordings (entry 2).operation``, entries of
    an array counted from 1, as a TOML file lists them."""
    where = prefix
    for step in steps:
        where += f" (entry {step + 1})" if isinstance(step, int) else f".{step}"
    return where.strip(".") or "top level"


def _codes(selectors: list[str], path: Path, key: str) -> set[str]:
    codes: set[str] = set()
    for selector in selectors:
        resolved = rulebook.resolve(selector)
        if resolved is None:
            raise ConfigError(f"{path}: {key}: unknown rule {selector!r}")
        codes.update(resolved)
    return codes


def cli_codes(selectors: str, option: str) -> set[str]:
    """Codes from a comma-separated command-line option; raises ConfigError naming the option."""
    codes: set[str] = set()
    for selector in (s for s in selectors.split(",") if s.strip()):
        resolved = rulebook.resolve(selector)
        if resolved is None:
            raise ConfigError(f"{option}: unknown rule {selector.strip()!r}")
        codes.update(resolved)
    return codes
