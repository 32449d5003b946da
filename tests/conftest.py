"""Shared helpers: run the installed ``zlint`` command, run the engine in-process, snapshots."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

REPO = Path(__file__).resolve().parent.parent


class TextSnapshot(SingleFileSnapshotExtension):
    """One plain-text file per snapshot, so the expected output reads as the user sees it."""

    _write_mode = WriteMode.TEXT
    file_extension = "txt"


@pytest.fixture
def snapshot_text(snapshot):
    return snapshot.use_extension(TextSnapshot)


def zlint_command() -> list[str]:
    script = Path(sys.executable).parent / "zlint"
    return [str(script)] if script.exists() else [sys.executable, "-m", "zlint"]


def run_zlint(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}, **(env or {})}
    return subprocess.run([*zlint_command(), *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=120)


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root
