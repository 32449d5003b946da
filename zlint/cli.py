"""The ``zlint`` command. Thin: options are parsed here, the work happens in the engine.

Exit codes on every subcommand: 0 clean, 1 findings, 2 usage, configuration or internal error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from zlint import __version__

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Group(click.Group):
    def main(self, *args, **kwargs):  # usage errors exit 2 (click's default); crashes too, briefly
        try:
            return super().main(*args, standalone_mode=True, **kwargs)
        except SystemExit:
            raise
        except Exception as error:  # noqa: BLE001 - the last line of defence
            click.echo(f"zlint: internal error: {type(error).__name__}: {error}", err=True)
            sys.exit(EXIT_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="zlint")
def main() -> None:
    """Find and migrate Python code broken by Zoho CRM's scheduled territory jobs."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--output-format", type=click.Choice(["text", "concise", "json"]), default="text",
              show_default=True, help="How findings are printed.")
@click.option("--list-calls", is_flag=True, help="Print every territory call (handled or not) instead of findings.")
@click.option("--select", default=None, help="Comma-separated rules to run (codes, names, prefixes); replaces config.")
@click.option("--ignore", default=None, help="Comma-separated rules not to run.")
@click.option("--config", "config_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Use this zlint.toml or pyproject.toml instead of searching for one.")
@click.option("--no-prefilter", is_flag=True, help="Parse every file, not only those that mention Zoho (debugging).")
def check(paths, output_format, list_calls, select, ignore, config_path, no_prefilter) -> None:
    """Report territory calls whose scheduled job is not handled, and synchronous-success assumptions."""
    from zlint import config as configuration
    from zlint.discovery import MissingPath, discover
    from zlint.engine import run_check

    cwd = Path.cwd()
    try:
        if config_path is not None and not config_path.is_file():
            raise configuration.ConfigError(f"{config_path}: config file not found")
        found = config_path or configuration.find_config(cwd)
        config = configuration.load(found, cwd)
        if select is not None:
            config.select = configuration.cli_codes(select, "--select")
        if ignore is not None:
            config.select -= configuration.cli_codes(ignore, "--ignore")
        files = discover(list(paths) or [Path(".")], config, cwd)
    except (configuration.ConfigError, MissingPath) as error:
        click.echo(f"zlint: {error}", err=True)
        sys.exit(EXIT_ERROR)
    result = run_check(files, config, prefilter=not no_prefilter)
    if output_format == "json":
        from zlint.reporters import json_output

        click.echo(json_output.render(result, include_calls=list_calls), nl=False)
    else:
        from zlint.reporters import text

        rendered = text.render_calls(result) if list_calls else text.render(result, concise=output_format == "concise")
        click.echo(rendered, nl=False)
    for error in result.errors:
        click.echo(f"zlint: {error}", err=True)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if list_calls:
        sys.exit(EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if any(f.suppressed is None for f in result.findings) else EXIT_CLEAN)


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
