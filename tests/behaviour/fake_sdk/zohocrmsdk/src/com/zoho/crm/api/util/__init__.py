# ruff: noqa: F401  (package re-exports, as in the real SDK)
from .choice import Choice
from .api_response import APIResponse
from .common_api_handler import CommonAPIHandler
