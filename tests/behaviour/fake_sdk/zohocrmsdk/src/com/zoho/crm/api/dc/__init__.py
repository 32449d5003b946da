# ruff: noqa: F401  (package re-exports, as in the real SDK)
from .data_center import DataCenter
from .us_data_center import USDataCenter
