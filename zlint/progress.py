"""A progress bar on stderr while files are checked, for a person waiting at a terminal (rich).

Shown only when stderr is a terminal and enough files wait to be analysed; piped or redirected output
stays clean, and stdout never carries it.
"""

from __future__ import annotations

import sys

MIN_FILES = 20  # fewer files are done before a bar would help


class Bar:
    def __init__(self, label: str) -> None:
        self._label = label
        self._progress = None
        self._task = None

    def start(self, total: int) -> None:
        if total < MIN_FILES or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                  TimeElapsedColumn(), console=Console(file=sys.stderr), transient=True)
        self._progress.start()
        self._task = self._progress.add_task(self._label, total=total)

    def advance(self, count: int = 1) -> None:
        if self._progress is not None:
            self._progress.advance(self._task, count)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
