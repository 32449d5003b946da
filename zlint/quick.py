"""The ``zlint`` command's entry: a repeated ``zlint check`` is answered before click is imported.

Importing click costs about a third of a run that the cache answers whole (see replay.py), which
is what most pre-commit and CI runs are. So the entry first reads its arguments itself: a plain
``zlint check [PATH ...]``, with at most ``--output-format``, whose result the cache proves
unchanged is printed here. Anything else (another option, a run the cache cannot answer, a
configuration problem, a terminal that is not UTF-8) goes to click's command in cli.py, which
parses the arguments again and does the whole run; nothing was printed before that. Both ways
share ``cached_result`` and ``exit_code``, so they give the same answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


def main() -> None:
    """``zlint``: the cache's answer to a plain check, else click's command line (cli.main)."""
    try:
        code = answer(sys.argv[1:])
    except KeyboardInterrupt:  # as click (a new line) and then cli's group say it
        sys.stderr.write("\nzlint: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:  # as click: the reader went away; nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    if code is not None:
        sys.exit(code)
    from zlint.cli import main as command_line

    command_line()


def answer(args: list[str]) -> int | None:
    """Print the cache's answer to ``zlint ARGS`` and return the exit code; None (having printed
    nothing) when the arguments are not a plain check or the cache cannot answer."""
    plain = _plain_check(args)
    if plain is None or not (_utf8(sys.stdout) and _utf8(sys.stderr)):
        return None
    paths, output_format, cache_dir = plain
    chosen = output_format or default_format()
    if chosen == "sarif":  # made from the parsed trees (cli.check)
        return None
    before: list[str] = []  # stderr before the findings (ZLINT_DEBUG_CACHE), and after (internal errors)
    after: list[str] = []
    try:
        from zlint import startup
        from zlint.config import ConfigError

        cwd = Path.cwd()
        caching = {"enabled": True, "directory": cache_dir}
        try:
            config = startup.configure(None, None, None, cwd, caching, paths)
        except ConfigError:
            return None
        cache = caching["cache"]
        before += [warning + "\n" for warning in startup.unused_configs(paths, cwd, config.source)]
        target = startup.detect(None, config, cache)
        result = cached_result(cache, paths, config, target, cwd, True, lambda text, err=True: before.append(text))[1]
        if result is None:
            return None
        from zlint.reporters import render

        text = render(chosen, result, config, cwd)
        code = exit_code(result, config, None, False, lambda line, err=True: after.append(line))
        if "\x1b" in text or not (_encodable(sys.stdout, text) and _encodable(sys.stderr, "".join(before + after))):
            return None  # click strips escape sequences off a pipe; text that cannot be written is its to report
        startup.remember_rules(cache)
        cache.save()
    except Exception:  # noqa: BLE001 - click's command does the run and reports any problem
        return None
    for note in before:
        say(note, err=True)
    say(text)
    for line in after:
        say(line, err=True)
    return code


def _plain_check(args: list[str]) -> tuple[list[Path], str | None, Path | None] | None:
    """(paths, output format or None, cache folder or None) of ``check [PATH ...]`` with at most
    ``--output-format``, as click would read them; None for anything else (also where click's
    checks of a path or of ZLINT_CACHE_DIR would fail, or its shell completion is asked for)."""
    from zlint.reporters import FORMATS

    completing = any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)
    if not args or args[0] != "check" or completing:
        return None
    paths: list[Path] = []
    output_format = None
    rest = iter(args[1:])
    for arg in rest:
        if arg == "--output-format":
            value = next(rest, None)
        elif arg.startswith("--output-format="):
            value = arg.partition("=")[2]
        elif arg and not arg.startswith("-") and _clicks_path(arg, file_okay=True):
            paths.append(Path(arg))
            continue
        else:  # another option, "-", "--", "", or a path click refuses
            return None
        if value not in FORMATS:
            return None
        output_format = value
    cache_dir = os.environ.get("ZLINT_CACHE_DIR") or None  # click's envvar: empty is unset
    if cache_dir is not None and not _clicks_path(cache_dir, file_okay=False):
        return None
    return paths, output_format, Path(cache_dir) if cache_dir is not None else None


def _clicks_path(path: str, file_okay: bool) -> bool:
    """Whether ``click.Path(file_okay=...)`` (readable, need not exist) takes ``path``."""
    import stat

    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return True  # missing: click takes it (the run reports it)
    if not file_okay and stat.S_ISREG(info.st_mode):
        return False
    return os.access(path, os.R_OK)


def _encodable(stream, text: str) -> bool:
    try:
        text.encode(stream.encoding, stream.errors or "strict")
    except (UnicodeError, LookupError, TypeError):
        return False
    return True


def _utf8(stream) -> bool:
    """Whether click would write to ``stream`` as it is (it re-encodes an ASCII stream)."""
    import codecs

    try:
        return codecs.lookup(stream.encoding).name == "utf-8"
    except (AttributeError, LookupError, TypeError):
        return False


def say(text: str, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(text)
    stream.flush()


def default_format() -> str:
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


def cached_result(cache, paths, config, target, cwd: Path, prefilter: bool, tell):
    """(the run's replay key or None, the result the cache proves unchanged or None): the last
    run's result when nothing it read changed, or for a few named files the project's snapshot
    proves irrelevant (replay.py). ``tell(text, err=True)`` prints the ZLINT_DEBUG_CACHE notes."""
    from zlint import replay

    debug = os.environ.get("ZLINT_DEBUG_CACHE")
    run_key = replay.key(cache, paths, config, target, cwd, prefilter)
    result = replay.load(cache, run_key) if run_key is not None else None
    if result is not None and debug:
        tell("zlint: cache: the last run's result, nothing it read has changed\n", err=True)
    if run_key is None and paths:  # a few named files: irrelevant ones need no look at the project
        result = replay.precommit(cache, paths, config, target, cwd, prefilter)
        if result is not None and debug:
            tell("zlint: cache: the named files cannot concern the project's index\n", err=True)
    return run_key, result


def exit_code(result, config, fail_on: str | None, list_calls: bool, tell) -> int:
    """Print the run's internal errors; 2 when there were any, else 1 when a finding at or above
    the failing severity is not suppressed (0 with --list-calls)."""
    from zlint.findings import SEVERITIES

    for error in result.errors:
        tell(f"zlint: {error}\n", err=True)
    if result.errors:
        return EXIT_ERROR
    if list_calls:
        return EXIT_CLEAN
    threshold = SEVERITIES.index(fail_on or config.fail_on)
    failing = [f for f in result.findings if f.suppressed is None and SEVERITIES.index(f.severity) >= threshold]
    return EXIT_FINDINGS if failing else EXIT_CLEAN
