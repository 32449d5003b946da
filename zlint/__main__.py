"""Allows ``python -m zlint``."""

from zlint.cli import main

main()
