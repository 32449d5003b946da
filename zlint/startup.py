"""What every ``zlint check`` and ``zlint fix`` does before it reads a file: open the cache, load
the configuration (its schema check skipped for bytes the cache saw pass), detect the target
version (remembered while what it reads is unchanged). A run the cache answers whole gets this
far and no further, so none of it imports a parser or a schema validator.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path


def cache_directory(config_file: Path | None, cwd: Path, directory: Path | None) -> Path:
    """Where the cache lives: ``directory`` (--cache-dir or ZLINT_CACHE_DIR), else .zlint_cache in
    the project root (the config's folder, else the git work tree, else the working directory)."""
    from zlint import cache as caches
    from zlint.config import git_work_tree

    if directory is None:
        root = config_file.resolve().parent if config_file is not None else git_work_tree(cwd) or cwd
        directory = caches.default_directory(root)
    return (cwd / directory).resolve()


def open_cache(config_file: Path | None, cwd: Path, caching: dict):
    """The cache in ``cache_directory`` (None with --no-cache); ``caching["folder"]``: that folder
    either way (a run without the cache does not scan it)."""
    caching["cache"] = None
    caching["folder"] = folder = cache_directory(config_file, cwd, caching.get("directory"))
    if not caching.get("enabled", True):
        return None
    from zlint import cache as caches
    from zlint import rulebook
    from zlint.findings import RuleInfo

    cache = caching["cache"] = caches.Cache(folder)
    infos = cache.fact("rules", "all")
    if isinstance(infos, list) and all(
            isinstance(info, dict) and all(isinstance(value, str) for value in info.values()) for info in infos):
        try:
            rulebook.preload([RuleInfo(**info) for info in infos])
        except TypeError:  # other fields: another version's
            pass
    return cache


def configure(select: str | None, ignore: str | None, config_path: Path | None, cwd: Path, caching: dict | None,
              paths: Sequence[Path] = ()):
    """The resolved config: the file given or found (from the folder that holds every path given,
    upwards, then from ``cwd``), then ``--select``/``--ignore``; the cache is opened first when
    ``caching`` asks for it (see open_cache). Raises config.ConfigError."""
    from zlint import config as configuration

    if config_path is not None and not config_path.is_file():
        raise configuration.ConfigError(f"{config_path}: config file not found")
    found = config_path
    if found is None:
        start = search_start(paths, cwd)
        found = configuration.find_config(start)
        if found is None and cwd != start and cwd not in start.parents:  # (else that walk passed cwd)
            found = configuration.find_config(cwd)
    cache = open_cache(found, cwd, caching) if caching is not None else None
    config = load_config(configuration, found, cwd, cache)
    if select is not None:
        config.select = configuration.cli_codes(select, "--select")
    if ignore is not None:
        config.select -= configuration.cli_codes(ignore, "--ignore")
    return config


def search_start(paths: Sequence[Path], cwd: Path) -> Path:
    """Where the search for a config file starts: the deepest folder that holds every path given
    (``zlint check services/crm`` run from elsewhere uses that project's config), else ``cwd``."""
    if not paths:
        return cwd
    folders = []
    for path in paths:
        full = Path(os.path.normpath(cwd / path))
        try:
            folders.append(full if full.is_dir() else full.parent)
        except OSError:  # (a name too long: discovery reports it)
            folders.append(full.parent)
    try:
        return Path(os.path.commonpath(folders))
    except ValueError:  # (paths on two drives)
        return cwd


def unused_configs(paths: Sequence[Path], cwd: Path, used: Path | None) -> list[str]:
    """Warnings for the configs of projects below the folder that holds every path given, which
    this run does not use (``zlint check projA projB`` from their parent takes one config, found
    from there). Only the folders between each path and that one are looked at."""
    from zlint import config as configuration

    if len(paths) < 2:
        return []
    start = search_start(paths, cwd)
    seen: set[Path] = set()
    unused: dict[Path, None] = {}
    for path in paths:
        full = Path(os.path.normpath(cwd / path))
        folder = full if full.is_dir() else full.parent
        while folder != start and start in folder.parents and folder not in seen:
            seen.add(folder)
            own = configuration.config_in(folder)
            if own is not None and (used is None or own.resolve() != used.resolve()):
                unused[own] = None
            folder = folder.parent
    taken = os.path.relpath(used, cwd) if used is not None else "none: the defaults"
    return [f"zlint: {os.path.relpath(own, cwd)} is not used: the paths given lie in more than one project and "
            f"one run takes one config ({taken}); check each project on its own" for own in unused]


def load_config(configuration, found: Path | None, cwd: Path, cache):
    """The config; its schema check is skipped when the cache saw these exact bytes pass it."""
    if cache is None or found is None:
        return configuration.load(found, cwd)
    import hashlib

    try:
        key = hashlib.sha1(found.read_bytes()).hexdigest() + ":" + str(found.resolve())
    except OSError:
        return configuration.load(found, cwd)
    if cache.fact("valid-config", key) is True:
        return configuration.load(found, cwd, validate=False)
    config = configuration.load(found, cwd)
    cache.remember_fact("valid-config", key, True)
    return config


def detect(target_version: str | None, config, cache):
    """target.detect, remembered in the cache while what it reads is unchanged: the root folder
    (requirements*.txt come and go with its mtime), the declaring files in it, and each folder of
    sys.path (installing or removing a distribution changes its folder)."""
    from zlint import cache as caches
    from zlint import target as targets

    if cache is None or target_version or config.target_version:
        return targets.detect(target_version, config, config.root)
    names = getattr(targets, "_DECLARING_FILES", None)
    inputs = [] if names is not None else None
    now = time.time()
    paths = [config.root, *(config.root / name for name in names or ())]
    try:
        paths += sorted(config.root.glob("requirements*.txt"))
    except OSError:
        inputs = None
    for path in [*paths, *(Path(entry) for entry in sys.path if entry)]:
        if inputs is None:
            break
        try:
            info = os.stat(path)
        except OSError:
            inputs.append([str(path), None])
            continue
        stat = caches.stat_list(info)
        if caches.racy(stat, now):
            inputs = None  # changed just now: its stat cannot vouch for it next time
            break
        inputs.append([str(path), *stat])
    if inputs is None:
        return targets.detect(target_version, config, config.root)
    key = caches._hash(inputs)
    stored = cache.fact("target", key)
    if isinstance(stored, dict):
        try:
            return targets.Target.from_data(stored)
        except ValueError:
            pass
    found = targets.detect(target_version, config, config.root)
    cache.remember_fact("target", key, found._asdict())
    return found


def remember_rules(cache) -> None:
    """Record the rules for the next run once they were read from the rule modules."""
    from zlint import rulebook

    if cache is not None and rulebook.loaded_from_code() and cache.fact("rules", "all") is None:
        cache.remember_fact("rules", "all", [info._asdict() for info in rulebook.all_rules().values()])
