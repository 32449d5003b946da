"""``--new-since REF``: the lines added or changed since the merge-base with REF, from one git diff."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from zlint.findings import Finding

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


class GitError(Exception):
    """git could not answer; the message says what it said."""


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise GitError("--new-since needs git, which is not installed") from None
    if done.returncode != 0:
        raise GitError(f"git {' '.join(args[:2])}: {done.stderr.strip() or 'failed'}")
    return done.stdout


def changed_lines(ref: str, cwd: Path) -> dict[Path, set[int] | None]:
    """Absolute path -> new-side line numbers changed since merge-base(REF, HEAD); None for a
    file that is new altogether (untracked or added)."""
    top = Path(_git(cwd, "rev-parse", "--show-toplevel").strip())
    base = _git(cwd, "merge-base", ref, "HEAD").strip()
    diff = _git(top, "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", base, "--")
    changed: dict[Path, set[int] | None] = {}
    for chunk in re.split(r"^diff --git ", diff, flags=re.MULTILINE)[1:]:
        target = re.search(r"^\+\+\+ (?:b/)?(.+)$", chunk, re.MULTILINE)
        if target is None or target.group(1) == "/dev/null":
            continue
        path = (top / target.group(1)).resolve()
        if re.search(r"^new file mode", chunk, re.MULTILINE):
            changed[path] = None
            continue
        lines: set[int] = set()
        for match in _HUNK.finditer(chunk):
            start, count = int(match.group(1)), int(match.group(2) or 1)
            lines.update(range(start, start + count))
        changed[path] = lines
    for name in _git(top, "ls-files", "--others", "--exclude-standard").splitlines():
        changed[(top / name).resolve()] = None
    return changed


def keep_new(findings: list[Finding], changed: dict[Path, set[int] | None], cwd: Path) -> list[Finding]:
    kept = []
    for finding in findings:
        path = (cwd / finding.path).resolve()
        if path not in changed:
            continue
        lines = changed[path]
        if lines is None or any(n in lines for n in range(finding.line, finding.end_line + 1)):
            kept.append(finding)
    return kept
