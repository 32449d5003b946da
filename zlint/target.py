"""The Zoho CRM API version a project targets, and where that was read from.

In order: ``--target-version``, ``target-version`` in the config, the Zoho SDK distribution the
project declares (pyproject.toml, requirements*.txt, setup.cfg) or has installed, and last the
version most territory calls of the scan use (their URL's, or their SDK signature's).
"""

from __future__ import annotations

import re
from collections import Counter, namedtuple
from pathlib import Path

# compiled when the SDK is looked for; pip takes "-", "_" and "." in a name alike (zohocrmsdk8_0)
_SDK_PATTERN = r"(?<![\w-])(zohocrmsdk(\d+)[-_.]+(\d+)|zcrmsdk)(?![\w-])"
_DECLARING_FILES = ("pyproject.toml", "setup.cfg", "requirements.txt", "requirements.in")


class Target(namedtuple("Target", [
        "version",  # "v7", or None when unknown
        "source",  # e.g. "--target-version", "zohocrmsdk8-0 in requirements.txt"
        "from_sdk", "from_urls",  # from_urls: guessed from the URLs of the scan, not declared by the project
], defaults=(False, False))):
    """The API version a run checks against, and where that was read (a named tuple: see zlint/findings.py)."""

    __slots__ = ()

    @property
    def declared(self) -> bool:
        return self.version is not None and not self.from_urls

    def describe(self) -> str:
        return f"{self.version or 'unknown'} ({self.source})"

    @classmethod
    def from_data(cls, data) -> Target:
        """The target stored (in the cache) as ``data``; ValueError when it is not one."""
        if not (isinstance(data, dict) and set(data) == {"version", "source", "from_sdk", "from_urls"}
                and isinstance(data["version"], (str, type(None))) and isinstance(data["source"], str)
                and isinstance(data["from_sdk"], bool) and isinstance(data["from_urls"], bool)):
            raise ValueError("not a target")
        return cls(**data)


def _sdk_version(match: re.Match) -> str:
    if match.group(1).lower() == "zcrmsdk":
        return "v2"  # zcrmsdk 3.x speaks v2 and has no territory methods
    major, minor = match.group(2), match.group(3)
    return f"v{major}" if minor == "0" else f"v{major}.{minor}"


def _declared(root: Path) -> Target | None:
    candidates = [root / name for name in _DECLARING_FILES]
    candidates += sorted(p for p in root.glob("requirements*.txt") if p not in candidates)
    for path in candidates:
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        found = sorted({_sdk_version(m): m.group(1) for m in re.finditer(_SDK_PATTERN, text, re.IGNORECASE)}.items(),
                       key=lambda item: _order(item[0]))
        if found:
            version, distribution = found[-1]  # several: the newest
            return Target(version, f"{distribution.lower()} in {path.name}", from_sdk=True)
    return None


def _installed() -> Target | None:
    """The newest SDK installed where the running Python imports from. Told by the names of the
    ``*.dist-info``, ``*.egg-info`` and ``*.egg`` entries of the folders on ``sys.path`` (as
    importlib.metadata finds them; not inside zip files), so that only an SDK's own metadata is
    read: reading every distribution's took 40 ms."""
    import os
    import sys
    from importlib import metadata

    versions = []
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            stem, _, suffix = entry.rpartition(".")
            project = stem.partition("-")[0]
            kind = suffix.lower()
            if kind not in {"dist-info", "egg-info", "egg"} or not re.fullmatch(_SDK_PATTERN, project, re.IGNORECASE):
                continue
            where = Path(folder or ".", entry, *(["EGG-INFO"] if kind == "egg" else []))  # an egg: its metadata inside
            name = (metadata.PathDistribution(where).metadata.get("Name") or project).lower()
            match = re.fullmatch(_SDK_PATTERN, name, re.IGNORECASE)
            if match:
                versions.append((_sdk_version(match), name))
    if not versions:
        return None
    version, name = max(versions, key=lambda item: _order(item[0]))
    return Target(version, f"{name} installed", from_sdk=True)


def _order(version: str) -> tuple[int, int]:
    major, _, minor = version[1:].partition(".")
    return int(major), int(minor or 0)


def detect(cli_version: str | None, config, root: Path) -> Target:
    if cli_version:
        return Target(cli_version, "--target-version")
    if config.target_version:
        return Target(config.target_version, f"target-version in {config.source.name}" if config.source
                      else "config")
    return _declared(root) or _installed() or Target(None, "nothing declares it")


def from_urls(target: Target, versions: list[str]) -> Target:
    """When nothing declared a version: the one most territory calls of the scan use (by their URL,
    or by the SDK signature they are made with)."""
    if target.version is not None or not versions:
        return target
    version, count = Counter(versions).most_common(1)[0]
    return Target(version, f"{count} of {len(versions)} territory calls", from_urls=True)
