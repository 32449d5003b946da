"""Allows ``python -m zlint``."""

from zlint.quick import main

main()
