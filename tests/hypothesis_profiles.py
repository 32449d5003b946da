"""Hypothesis profiles for zlint's property and robustness tests, loaded by the test files that use them.

``ci`` (the default) is fast and derandomized: the same examples every run, so a red CI means a
change broke something, not that the search got lucky. ``long`` (``ZLINT_TEST_PROFILE=long``)
searches many more random examples, and the fault-injection test kills ``zlint fix`` more often;
run it before a release or after touching the parser, the rules' edits or the writer.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much,
                 HealthCheck.large_base_example]

settings.register_profile("ci", max_examples=20, deadline=None, derandomize=True, database=None, print_blob=True,
                          suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("long", max_examples=500, deadline=None, database=None, print_blob=True,
                          suppress_health_check=_SLOW_IS_FINE)

PROFILE = os.environ.get("ZLINT_TEST_PROFILE", "ci")
if PROFILE not in ("ci", "long"):
    raise RuntimeError(f"ZLINT_TEST_PROFILE={PROFILE!r}: expected ci or long")
settings.load_profile(PROFILE)
LONG = PROFILE == "long"


def examples(ci: int, long: int) -> settings:
    """Per-test example counts: ``ci`` in the default profile, ``long`` in the long one."""
    return settings(max_examples=long if LONG else ci)
