# ruff: noqa: F401  (package re-exports, as in the real SDK)
from . import src
