# ruff: noqa: F401  (package re-exports, as in the real SDK)
from .sdk_exception import SDKException
