"""One module per output format; ``render`` picks the one a format name asks for."""

from __future__ import annotations

import os
from pathlib import Path

FORMATS = ("text", "concise", "json", "sarif", "github")


def repository_root(cwd: Path) -> Path:
    """The git work tree around ``cwd``, which GitHub resolves annotation and code-scanning paths
    against (a workflow step may run zlint in a sub-folder), else ``cwd``."""
    from zlint.config import git_work_tree

    return git_work_tree(cwd) or cwd


def from_root(path: str, cwd: Path, root: Path) -> str:
    """``path`` (as findings give it: relative to ``cwd``, or absolute) relative to ``root``, in
    forward slashes; absolute when it lies outside ``root``."""
    full = Path(os.path.normpath(cwd / path))
    try:
        return full.relative_to(root).as_posix()
    except ValueError:
        return full.as_posix()


def render(output_format: str, result, config, root, list_calls: bool = False) -> str:
    if output_format == "json":
        from zlint.reporters import json_output

        return json_output.render(result, include_calls=list_calls)
    if output_format == "sarif":
        from zlint.reporters import sarif

        return sarif.render(result, config, root, repository_root(root))
    if output_format == "github":
        from zlint.reporters import github

        return github.render(result, lambda path: from_root(path, root, repository_root(root)))
    from zlint.reporters import text

    if list_calls:
        return text.render_calls(result)
    return text.render(result, concise=output_format == "concise")
