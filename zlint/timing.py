"""Wall time per stage and per rule, for ``zlint check --profile``."""

from __future__ import annotations

import time
from collections import defaultdict
from contextlib import contextmanager


class Timings:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)

    @contextmanager
    def stage(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - start

    def render(self) -> str:
        total = sum(v for k, v in self.seconds.items() if not k.startswith("rule "))
        lines = [f"{'stage':<44} {'seconds':>8}"]
        for name, value in sorted(self.seconds.items(), key=lambda item: -item[1]):
            lines.append(f"{name:<44} {value:>8.3f}")
        lines.append(f"{'total (stages, rules inside)':<44} {total:>8.3f}")
        return "\n".join(lines) + "\n"
