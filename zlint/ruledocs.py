"""The rule documents shipped in rules/<CODE>.md, for ``zlint rule``."""

from __future__ import annotations

from zlint.resources import data_dir


def document(code: str) -> str:
    return (data_dir("rules") / f"{code}.md").read_text(encoding="utf-8")
