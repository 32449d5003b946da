"""What a ``zlint check`` run gives its reporters: from engine.run_check, or from the cache
(replay.py). A plain class, not a dataclass: see zlint/findings.py."""

from __future__ import annotations

from zlint.timing import Timings


class CheckResult:
    def __init__(self, findings: list | None = None, calls: list | None = None, files: int = 0, parsed: int = 0,
                 target=None) -> None:
        self.findings = [] if findings is None else findings  # findings.Finding
        self.calls = [] if calls is None else calls  # findings.CallRecord
        self.files = files
        self.parsed = parsed
        self.errors: list[str] = []  # internal errors, one line each, with the file
        self.target = target  # target.Target: the API version the project targets, and where that was read
        self.timings = Timings()
        self.contexts: dict = {}  # display path -> parsed module (analysis.module.ModuleContext), for zlint fix
        self.cached = 0  # units (index facts, findings of a file) taken from the cache
        self.computed = 0  # units computed in this run
        self.tokens: tuple[str, ...] = ()  # the words that made a function worth following (catalogue and index)
        # each checked file: (the prefilter let it through, the files its analysis read), for zlint fix to redo it
        self.units: dict = {}
        # (path, line, column, code) of a finding -> the checked file whose analysis found it (the same
        # place may be reached from several)
        self.origins: dict = {}
        # with ``fix``: each file's plan of its own findings, made by its analysis (work.CheckOutcome.planned)
        self.planned: dict = {}
