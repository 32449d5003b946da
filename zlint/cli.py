"""The ``zlint`` command. Thin: options are parsed here, the work happens in the engine.

Exit codes on every subcommand: 0 clean, 1 findings, 2 usage, configuration or internal error;
``zlint fix`` stopped by SIGINT or SIGTERM exits 130 or 143 after listing the files it wrote.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import click

from zlint import __version__, quick, startup
from zlint.progress import Bar
from zlint.quick import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS
from zlint.reporters import FORMATS

MAX_FIX_ROUNDS = 5  # zlint fix checks again and fixes what its fixes made fixable, up to this many times


class _Group(click.Group):
    debug = False

    def main(self, *args, **kwargs):  # usage errors exit 2 (click's default); crashes too, briefly
        try:
            return super().main(*args, standalone_mode=False, **kwargs)
        except SystemExit:
            raise
        except click.ClickException as error:  # a usage error: click's message, exit 2
            error.show()
            sys.exit(error.exit_code)
        except (click.Abort, KeyboardInterrupt):  # Ctrl-C: not "findings" (1), but the shell's 130
            click.echo("zlint: interrupted", err=True)
            sys.exit(130)
        except Exception as error:  # noqa: BLE001 - the last line of defence
            if _Group.debug:
                raise
            click.echo(f"zlint: internal error: {type(error).__name__}: {error} (--debug shows where)", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zlint")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error.")
def main(debug: bool) -> None:
    """Find and migrate Python code broken by Zoho CRM's scheduled territory jobs."""
    _Group.debug = debug
    if debug:
        os.environ["ZLINT_DEBUG"] = "1"  # per-file analysis errors raise instead of being reported


def _tell(text: str, err: bool = False) -> None:
    click.echo(text, err=err, nl=False)


def _prepare(paths, select, ignore, config_path, cwd: Path, caching: dict | None = None):
    """Config, the files to check and the project's other files; exits 2 on a usage problem.

    ``caching`` ({"enabled": bool, "directory": Path | None}) opens zlint's cache first (its
    ``"cache"`` entry is set to it, or None): the rules and a config file already validated are
    then known without importing the rule modules or jsonschema."""
    config = _configure(select, ignore, config_path, cwd, caching, paths)
    files, index = _discover(paths, config, cwd, caching)
    return config, files, index


def _configure(select, ignore, config_path, cwd: Path, caching: dict | None, paths=()):
    """The resolved config (and the cache, in ``caching``); exits 2 on a config problem."""
    from zlint.config import ConfigError

    try:
        config = startup.configure(select, ignore, config_path, cwd, caching, paths)
    except ConfigError as error:
        click.echo(f"zlint: {error}", err=True)
        sys.exit(EXIT_ERROR)
    if config_path is None:
        for warning in startup.unused_configs(paths, cwd, config.source):
            click.echo(warning, err=True)
    return config


def _discover(paths, config, cwd: Path, caching: dict | None):
    """The files to check and the project's other files; exits 2 on a missing path. ``caching``:
    the cache (or None) and its folder, as startup.open_cache left them."""
    from zlint.discovery import MissingPath, discover, project_files

    cache, folder = (caching["cache"], caching["folder"]) if caching is not None else (None, None)
    given = list(paths) or [Path(".")]
    try:
        files = discover(given, config, cwd, cache, folder)
    except MissingPath as error:
        click.echo(f"zlint: {error}", err=True)
        sys.exit(EXIT_ERROR)
    walked = [p for p in ((cwd / g).resolve() for g in given) if p.is_dir()]
    return files, project_files(files, config, cwd, walked, cache, folder)


def _version(ctx, param, value: str | None) -> str | None:
    import re

    if value is not None and not re.fullmatch(r"v\d+(\.\d+)?", value):
        raise click.BadParameter(f"{value!r}: expected an API version such as v2.1 or v7")
    return value


def _output_file(ctx, param, values):
    parsed = []
    for value in values:
        output_format, _, path = value.partition("=")
        if output_format not in FORMATS or not path:
            raise click.BadParameter(f"{value!r}: expected FORMAT=PATH with FORMAT one of {', '.join(FORMATS)}")
        folder = Path(path).parent
        if not folder.is_dir():  # said now, not after the whole run
            raise click.BadParameter(f"{value!r}: the folder {str(folder)!r} does not exist")
        parsed.append((output_format, Path(path)))
    return parsed


def _cache_and_jobs(command):
    """The cache and worker options ``check`` and ``fix`` share."""
    command = click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
                           help="Worker processes for the per-file work [default: the number of CPUs].")(command)
    command = click.option("--cache-dir", type=click.Path(path_type=Path, file_okay=False), envvar="ZLINT_CACHE_DIR",
                           help="Where the cache lives [env ZLINT_CACHE_DIR; default: .zlint_cache in the project "
                                "root].")(command)
    return click.option("--no-cache", is_flag=True, help="Neither read nor write the cache.")(command)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(FORMATS), default=None,
              help="How findings are printed [default: github when GITHUB_ACTIONS=true, else text].")
@click.option("--output-file", "output_files", multiple=True, callback=_output_file, metavar="FORMAT=PATH",
              help="Also write the findings in FORMAT to PATH (repeatable), e.g. sarif=zlint.sarif.")
@click.option("--list-calls", is_flag=True, help="Print every territory call (handled or not) instead of findings.")
@click.option("--select", default=None, help="Comma-separated rules to run (codes, names, prefixes); replaces config.")
@click.option("--ignore", default=None, help="Comma-separated rules not to run.")
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]), default=None,
              help="The lowest severity that makes the run exit 1 [default: info, any finding].")
@click.option("--baseline", "baseline_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Report only findings not recorded in this baseline file.")
@click.option("--write-baseline", "write_baseline_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Record the current findings in this baseline file and exit 0.")
@click.option("--show-stale-baseline", is_flag=True, help="Also list baseline entries that no longer match a finding.")
@click.option("--new-since", metavar="REF", help="Report only findings on lines changed since the merge-base with REF.")
@click.option("--target-version", callback=_version, metavar="vN",
              help="The Zoho CRM API version the project targets (e.g. v2.1, v7) [default: detected].")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Use this zlint.toml or pyproject.toml instead of searching for one.")
@click.option("--no-prefilter", is_flag=True, help="Parse every file, not only those that mention Zoho (debugging).")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("--profile", is_flag=True, help="Print the time spent per stage and per rule on stderr.")
@_cache_and_jobs
def check(paths, output_format, output_files, list_calls, select, ignore, fail_on, baseline_path,
          write_baseline_path, show_stale_baseline, new_since, target_version, config_path, no_prefilter,
          statistics, profile, no_cache, cache_dir, jobs) -> None:
    """Report territory calls whose scheduled job is not handled, synchronous-success assumptions,
    and recorded responses that pin the old answer."""
    from zlint.reporters import render

    if statistics and output_format not in (None, "text", "concise"):
        raise click.UsageError(f"--statistics prints a table; it does not go with --output-format {output_format} "
                               "(--output-file still writes that format)")
    cwd = Path.cwd()
    started = time.time()
    caching = {"enabled": not no_cache, "directory": cache_dir}
    config = _configure(select, ignore, config_path, cwd, caching, paths)
    cache = caching["cache"]
    known = changed = None
    if baseline_path is not None or write_baseline_path is not None:
        from zlint import baseline
    if baseline_path is not None:
        try:
            known = baseline.read(baseline_path)
        except baseline.BaselineError as error:
            click.echo(f"zlint: {error}", err=True)
            sys.exit(EXIT_ERROR)
    if new_since:
        from zlint.newsince import GitError, changed_lines, keep_new

        try:
            scanned = startup.search_start(paths, cwd)  # git of the tree checked, also when run from elsewhere
            changed = changed_lines(new_since, scanned if scanned.is_dir() else cwd)
        except GitError as error:
            click.echo(f"zlint: {error}", err=True)
            sys.exit(EXIT_ERROR)
    chosen = output_format or quick.default_format()
    # SARIF describes each fix by the edits' places in the parsed files: those findings are made here
    needs_trees = "sarif" in {chosen, *(extra_format for extra_format, _ in output_files)} and not list_calls
    target = startup.detect(target_version, config, cache)
    replay_key = result = None
    if cache is not None and not needs_trees and not profile and write_baseline_path is None:
        replay_key, result = quick.cached_result(cache, paths, config, target, cwd, not no_prefilter, _tell)
    where: dict = {}
    if result is None:  # nothing to replay: the run itself (per-file results still come from the cache)
        from zlint import replay
        from zlint.engine import run_check
        from zlint.pool import default_jobs

        files, index = _discover(paths, config, cwd, caching)
        result = run_check(files, config, prefilter=not no_prefilter, target=target, index=index, cache=cache,
                           jobs=jobs or default_jobs(), keep_contexts=needs_trees, progress=Bar("Checking"))
        if replay_key is not None:
            replay.remember(cache, replay_key, result, [*files, *index], started)
        where = {item.display: item.path for item in files}
    if cache is not None:
        startup.remember_rules(cache)
        cache.save()
    if write_baseline_path is not None:
        from zlint.engine import names_base, relative_to_root

        base = names_base(config)
        relative = lambda display: relative_to_root(display, where, base)  # noqa: E731
        baseline.write(write_baseline_path, result.findings, relative)
        written = sum(f.suppressed is None for f in result.findings)
        click.echo(f"zlint: wrote {written} finding{'s' if written != 1 else ''} to {write_baseline_path}", err=True)
        sys.exit(EXIT_CLEAN)
    stale = []
    hidden = 0
    if known is not None:
        before = len(result.findings)
        result.findings, stale = baseline.apply(result.findings, known)
        hidden = before - len(result.findings)
    if changed is not None:
        result.findings = keep_new(result.findings, changed, cwd)
    if statistics:
        from zlint.reporters.text import render_statistics

        click.echo(render_statistics(result), nl=False)
    else:
        click.echo(render(chosen, result, config, cwd, list_calls), nl=False)
    if profile:
        click.echo(result.timings.render(), err=True, nl=False)
    for extra_format, path in output_files:
        try:
            path.write_text(render(extra_format, result, config, cwd, list_calls), encoding="utf-8")
        except OSError as error:
            click.echo(f"zlint: {path}: cannot write the {extra_format} output: {error.strerror or error}", err=True)
            sys.exit(EXIT_ERROR)
    if hidden:  # (on stderr: the formats for machines stay as they are)
        click.echo(f"zlint: {hidden} finding{'s' if hidden != 1 else ''} known to the baseline {baseline_path} "
                   "not shown", err=True)
    if show_stale_baseline:
        for entry in stale:
            click.echo(f"zlint: stale baseline entry: {entry.path}:{entry.line}: {entry.code} {entry.message}",
                       err=True)
    sys.exit(quick.exit_code(result, config, fail_on, list_calls, _tell))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--diff", "show_diff", is_flag=True,
              help="Print a unified diff (for git apply) instead of writing; exit 1 if anything would change.")
@click.option("--unsafe-fixes", is_flag=True, help="Also apply fixes that change behaviour (see each rule's fix safety).")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="Exit 1 when a file was changed.")
@click.option("--interactive", is_flag=True,
              help="Show each fix as a diff and ask: [y]es, [n]o, [a]ll of this rule, [q]uit.")
@click.option("--add-fixme", is_flag=True,
              help="Mark each finding no rewrite can fix with a `# zlint: fixme[CODE] what to do` line above it.")
@click.option("--select", default=None, help="Comma-separated rules whose fixes to apply.")
@click.option("--ignore", default=None, help="Comma-separated rules whose fixes not to apply.")
@click.option("--target-version", callback=_version, metavar="vN",
              help="The Zoho CRM API version the project targets [default: detected].")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Use this zlint.toml or pyproject.toml instead of searching for one.")
@click.option("--profile", is_flag=True, help="Print the time spent checking, planning, writing and checking again "
                                              "on stderr.")
@_cache_and_jobs
def fix(paths, show_diff, unsafe_fixes, exit_non_zero_on_fix, interactive, add_fixme, select, ignore,
        target_version, config_path, profile, no_cache, cache_dir, jobs) -> None:
    """Rewrite code to handle the scheduled territory job: safe fixes by default."""
    if add_fixme and show_diff:  # (the markers go above what the written fixes leave: no diff shows that)
        raise click.UsageError("--add-fixme marks what is left once the fixes are written; it cannot be "
                               "shown with --diff (run zlint fix --diff, then zlint fix --add-fixme)")
    from zlint import fixes, fixwork, writes
    from zlint.engine import run_check
    from zlint.fixes import FixPlan
    from zlint.outcome import FixOptions
    from zlint.pool import default_jobs
    from zlint.timing import Timings

    timings = Timings()
    stage = timings.stage

    cwd = Path.cwd()
    caching = {"enabled": not no_cache, "directory": cache_dir}
    with stage("configuration, target version and files"):
        config, files, index = _prepare(paths, select, ignore, config_path, cwd, caching)
        cache = caching["cache"]
        target = startup.detect(target_version, config, cache)
    jobs = jobs or default_jobs()
    asked = {item.display for item in files}
    helper = fixes.helper_module(config, cwd)
    options = FixOptions(asked, unsafe_fixes, helper)
    asking = interactive and not show_diff  # the fixes are planned here, one by one, from kept trees
    with stage("check" if asking else "check, planning each file's own fixes"):
        result = run_check(files, config, target=target, index=index, cache=cache, jobs=jobs, keep_contexts=asking,
                           progress=Bar("Checking"), fix=None if asking else options)
    if asking:
        chosen = _ask_each(result.findings, lambda found: fixes.plan(found, result.contexts, asked, unsafe_fixes,
                                                                       helper))
        with stage("planning the chosen fixes"):
            planned = fixes.plan(chosen, result.contexts, asked, unsafe_fixes, helper)
    else:
        with stage("planning fixes that span files"):
            planned = fixwork.plan(result, result.findings, files, index, config, target, options, jobs,
                                   progress=Bar("Fixing"))
    said: set = set()  # what _say_unplanned said: a later round does not say it again
    _say_unplanned(planned, said)
    if show_diff:
        click.echo("".join(fixes.unified_diff(p, planned.old_code[p], planned.new_code[p])
                           for p in sorted(planned.new_code)), nl=False)
        if profile:
            click.echo(timings.render(), err=True, nl=False)
        sys.exit(EXIT_FINDINGS if planned.new_code else EXIT_CLEAN)
    where = {item.display: item.path for item in files}
    scratch = writes.scratch_folder(caching["folder"])
    done = FixPlan()  # what every round applied and wrote
    stop_guard = contextlib.ExitStack()  # the handlers _stop_listing installs, until the command ends
    checked = {"done": False}  # whether what the fixes left was checked (what a stop says)
    rechecked = [0, 0]  # the units of the checks after the writes: analysed, answered by the cache
    with stop_guard:
        for round_number in range(1, MAX_FIX_ROUNDS + 1):
            for path in planned.new_code:  # the job-helper module: created, or given what it lacks
                if path not in where and (path in planned.created or options.helper is not None
                                          and path == options.helper.display):
                    where[path] = cwd / path
            with stage("writing the fixed files"):
                _write_round(planned, where, scratch, done)
            if round_number == 1:  # every fix is written: from here on, a stop only skips what is left to do
                stop_guard.enter_context(_stop_listing(done.new_code, checked))
            if planned.created:  # the new helper module is part of the project now
                config, files, index = _prepare(paths, select, ignore, config_path, cwd, caching)
            if not planned.new_code:
                break
            with stage("checking again: what is left"):  # (the cache holds what the writes left alone, and
                result = run_check(files, config, target=target, index=index, cache=cache, jobs=jobs,  # the
                                   keep_contexts=False)  # checks of the fixed code made while planning)
            rechecked = [rechecked[0] + result.computed, rechecked[1] + result.cached]
            given_up = {path for path, _ in done.failed}  # not written or not parsable: not tried again
            outside = {_unplaced(f) for f, _ in planned.outside}  # they need a file not given: still (moved by now)
            wanted = [f for f in result.findings if f.path in asked and f.path not in given_up
                      and _unplaced(f) not in outside]
            if asking or not any(fixwork.fixable(f, unsafe_fixes) for f in wanted):
                break
            if round_number == MAX_FIX_ROUNDS:  # each fix removes its finding: this is a bug, not the user's
                click.echo(f"zlint: fixes still apply after {MAX_FIX_ROUNDS} rounds; the last round's findings are "
                           "left as they are", err=True)
                break
            # a fix made another one apply (a moved version: now 202 must pass): one more round, as ruff does
            options = FixOptions(asked, unsafe_fixes, fixes.helper_module(config, cwd))  # the helper module as written
            with stage("check, planning each file's own fixes"):
                result = run_check(files, config, target=target, index=index, cache=cache, jobs=jobs,
                                   keep_contexts=False, fix=options)
            with stage("planning fixes that span files"):
                planned = fixwork.plan(result, wanted, files, index, config, target, options, jobs)
            _say_unplanned(planned, said)
        planned = done
        checked["done"] = True
        marked: list = []
        if add_fixme:
            with stage("marking what no fix covers"):
                marked, unwritable = _add_fixme(result.findings, where, asked, scratch)
                done.failed += unwritable
                if marked:
                    result = run_check(files, config, target=target, index=index, cache=cache, jobs=jobs,
                                       keep_contexts=False)
        if cache is not None:
            startup.remember_rules(cache)
            cache.save()
        if profile:
            click.echo(timings.render(), err=True, nl=False)
            click.echo(f"checking again: {rechecked[0]} units analysed, {rechecked[1]} answered by the cache",
                       err=True)
        for path in planned.created:
            click.echo(f"Created {path} with the functions that wait for territory jobs.")
        if marked:
            click.echo(f"Marked {len(marked)} finding{'s' * (len(marked) != 1)} with `zlint: fixme` in "
                       f"{len({f.path for f in marked})} file{'s' * (len({f.path for f in marked}) != 1)}.")
        left = [f for f in result.findings if f.suppressed is None]
        unsafe_left = sum(1 for f in left if f.fix_safety == "unsafe" and not unsafe_fixes)
        click.echo(f"Fixed {len(planned.applied)} finding{'s' * (len(planned.applied) != 1)} in "
                   f"{len(planned.new_code)} file{'s' * (len(planned.new_code) != 1)}; "
                   f"{len(left)} left" + (f" ({unsafe_left} fixable with --unsafe-fixes)" if unsafe_left else "")
                   + ".")
        if planned.failed or result.errors:
            sys.exit(EXIT_ERROR)
        changed = planned.new_code or marked
        sys.exit(EXIT_FINDINGS if exit_non_zero_on_fix and changed else EXIT_CLEAN)


def _unplaced(finding) -> tuple:
    """A finding as a later round of fixes knows it again: its lines may have moved since."""
    return finding.path, finding.code, finding.message


def _say_unplanned(planned, said: set) -> None:
    """Name the files whose fixes would not parse and the fixes that need a file not given (each
    once per run, also when earlier rounds moved its lines: ``said`` holds what was said)."""
    for path, why in planned.failed:
        if (path, why) not in said:
            said.add((path, why))
            click.echo(f"zlint: {path}: fixes not applied: {why}", err=True)
    for finding, other in planned.outside:
        if _unplaced(finding) not in said:
            said.add(_unplaced(finding))
            click.echo(f"zlint: {finding.path}:{finding.line}:{finding.column}: {finding.code} needs a change in "
                       f"{other}, which was not given", err=True)


def _write_round(planned, where: dict, scratch: Path, done) -> None:
    """Write one round's fixed files and add what was written to ``done`` (a FixPlan of all
    rounds); a file that cannot be written is said and its fixes dropped. Ctrl-C or SIGTERM stops
    between two files: the files written, in this round and before, are listed (exit 130/143)."""
    from zlint import writes

    try:  # each file replaced whole
        unwritable = writes.write_all([(path, where[path], data) for path, data in sorted(planned.new_code.items())],
                                     scratch=scratch)
    except writes.Interrupted as stop:
        written = [*done.new_code, *(path for path in stop.written if path not in done.new_code)]
        total = len(done.new_code) + stop.total - len(set(stop.written) & set(done.new_code))
        again = " (run zlint fix again to finish)" if done.new_code else ""  # a later round: earlier ones written
        click.echo(f"zlint: {stop}: {len(written)} of {total} fixed files written, the others unchanged{again}"
                   + (":" if written else "."), err=True)
        for path in written:
            click.echo(f"zlint: wrote {path}", err=True)
        sys.exit(128 + stop.signum)
    failed = {path for path, _ in unwritable}
    for path, data in planned.new_code.items():  # first: a stop from here on lists them
        if path not in failed:
            done.old_code.setdefault(path, planned.old_code[path])
            done.new_code[path] = data
    for path, why in unwritable:
        click.echo(f"zlint: {path}: fixes not applied: {why}", err=True)
        planned.new_code.pop(path)
        planned.applied = [f for f in planned.applied if f.path != path]
    done.failed += [*planned.failed, *unwritable]
    done.applied += planned.applied
    done.created += [path for path in planned.created if path not in done.created]


@contextlib.contextmanager
def _stop_listing(written: dict[str, bytes], checked: dict):
    """Ctrl-C or SIGTERM after the writes: say that every fixed file was written, and which (the
    keys of ``written``, as they are when the signal comes), then exit at once (130/143). Nothing
    is left to undo, and exiting from the handler keeps the signal from surfacing as an error in
    whatever analysis code it lands in. ``checked["done"]``: what the fixes left was checked."""
    import signal

    def stop(signum, frame):
        pending = "" if checked["done"] else (", before checking what they left (run zlint fix again to apply "
                                               "the fixes they made possible)")
        click.echo(f"zlint: stopped by {signal.Signals(signum).name} after {len(written)} fixed files were written"
                   + pending + (":" if written else "."), err=True)
        for path in sorted(written):
            click.echo(f"zlint: wrote {path}", err=True)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(128 + signum)

    previous = {signum: signal.signal(signum, stop) for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _ask_each(findings, plan) -> list:
    """The findings whose fix the user accepts, asked one by one with the fix shown as a diff."""
    from zlint import fixes

    accepted, whole_rules = [], set()
    for finding in sorted(findings, key=lambda f: (f.path, f.line, f.column, f.code)):
        if finding.code in whole_rules:
            accepted.append(finding)
            continue
        alone = plan([finding])
        if not alone.new_code:
            continue
        click.echo(f"{finding.path}:{finding.line}:{finding.column}: {finding.code} [{finding.name}] "
                   f"{finding.message} ({finding.fix_safety} fix)")
        click.echo("".join(fixes.unified_diff(p, alone.old_code[p], alone.new_code[p]) for p in sorted(alone.new_code)),
                   nl=False)
        answer = click.prompt(f"Apply? [y]es, [n]o, [a]ll {finding.code} fixes, [q]uit",
                              type=click.Choice(["y", "n", "a", "q"]), show_choices=False)
        if answer == "q":
            break
        if answer in ("y", "a"):
            accepted.append(finding)
        if answer == "a":
            whole_rules.add(finding.code)
    return accepted


def _add_fixme(findings, where: dict, asked: set[str], scratch: Path | None) -> tuple[list, list]:
    """Write fixme markers above the Python findings that have no rewrite; the findings marked,
    and (path, why) for each file that could not be written."""
    from zlint import writes
    from zlint.rewrites.fixme import add_markers

    todo: dict[str, list] = {}
    for finding in findings:
        if (finding.suppressed is None and finding.fix_safety is None and finding.code.startswith("ZL1")
                and finding.path in asked and finding.path.endswith(".py")):
            todo.setdefault(finding.path, []).append(finding)
    pending = []  # (path, marked code, findings marked)
    unreadable: list[tuple[str, str]] = []
    for path, found in sorted(todo.items()):
        try:
            source = where[path].read_bytes()
        except OSError as error:
            unreadable.append((path, f"cannot read: {error.strerror or error}"))
            click.echo(f"zlint: {path}: fixme markers not added: cannot read: {error.strerror or error}", err=True)
            continue
        code, done = add_markers(source, found)
        if done:
            pending.append((path, code, done))
        for finding in found:
            if finding not in done:
                click.echo(f"zlint: {path}:{finding.line}: no place for a fixme marker of {finding.code} "
                           "(a line continued with a backslash?)", err=True)
    try:  # as the fixes: each file replaced whole, several at once, a stop between two files
        unwritable = writes.write_all([(path, where[path], code) for path, code, _ in pending], scratch=scratch)
    except writes.Interrupted as stop:
        click.echo(f"zlint: {stop}: the fixed files were written, fixme markers in {len(stop.written)} of "
                   f"{stop.total} files" + (":" if stop.written else "."), err=True)
        for path in stop.written:
            click.echo(f"zlint: marked {path}", err=True)
        sys.exit(128 + stop.signum)
    for path, why in unwritable:
        click.echo(f"zlint: {path}: fixme markers not added: {why}", err=True)
    failed = {path for path, _ in unwritable}
    return [finding for path, _, done in pending if path not in failed for finding in done], unreadable + unwritable


@main.command()
@click.argument("code", required=False)
@click.option("--all", "show_all", is_flag=True, help="Print the documentation of every rule.")
def rule(code, show_all) -> None:
    """Print a rule's documentation: what it finds, why it breaks, example, fix, fix safety."""
    from zlint import rulebook
    from zlint.ruledocs import document

    if show_all == bool(code):
        raise click.UsageError("give one rule code or name, or --all")
    if show_all:
        click.echo("\n\n".join(document(c).rstrip("\n") for c in rulebook.all_rules()))
        return
    resolved = rulebook.resolve_one(code)
    if resolved is None:
        click.echo(f"zlint: unknown rule {code!r} (see `zlint rule --all`)", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(document(resolved), nl=False)
