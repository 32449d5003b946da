# ruff: noqa: F401  (package re-exports, as in the real SDK)
from . import dc
from . import exception
from . import util
from .initializer import Initializer
