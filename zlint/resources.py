"""Locates the data shipped with zlint (rules/ and schemas/), installed or in a source checkout."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The ``rules`` or ``schemas`` folder: inside the wheel, else beside the package in a checkout."""
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name


@cache
def load_json(folder: str, filename: str):
    """The parsed JSON file ``filename`` of the data folder ``folder`` (read once per process)."""
    with open(data_dir(folder) / filename, encoding="utf-8") as handle:
        return json.load(handle)
