"""A figure: one measured value, its unit, its target and whether the target is met."""

import json
import time
from dataclasses import asdict, dataclass


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None  # None: informative, no target

    def line(self):
        return json.dumps(asdict(self), ensure_ascii=False)

    def human(self):
        mark = {True: "ok", False: "MISSED", None: ""}[self.ok]
        value = f"{self.value:,.3f}".rstrip("0").rstrip(".") if isinstance(self.value, float) else f"{self.value:,}"
        target = f"(target {self.target})" if self.target else ""
        return f"{self.name:<44} {value:>14} {self.unit:<8} {target:<22} {mark}"


def best_of(repeat, fn):
    """The shortest of ``repeat`` wall times of ``fn()`` (seconds): the least noisy estimate."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)
