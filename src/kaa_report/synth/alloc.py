"""Integer apportionment: split a count over groups in proportion to weights, within bounds.

Deterministic (no randomness), so the calibrated counts do not depend on the seed.
"""
from __future__ import annotations

import math
from typing import Sequence

from ..errors import InfeasibleTargets


def round_half_up(x: float) -> int:
    """Round a non-negative number half away from zero."""
    return int(math.floor(x + 0.5))


def apportion(total: int, weights: Sequence[float], lo: Sequence[int] | None = None,
              hi: Sequence[int] | None = None, what: str = "") -> list[int]:
    """Largest-remainder split of `total` over len(weights) groups, each within [lo, hi].

    Raises InfeasibleTargets when the bounds cannot hold the total."""
    n = len(weights)
    lo = list(lo) if lo is not None else [0] * n
    hi = list(hi) if hi is not None else [total] * n
    if total < 0 or sum(lo) > total or sum(hi) < total or any(a > b for a, b in zip(lo, hi)):
        raise InfeasibleTargets(f"{what}: {total} går inte att fördela inom gränserna {lo}..{hi}")
    w_sum = float(sum(weights))
    ideal = [total * w / w_sum for w in weights] if w_sum > 0 else [total / n] * n
    x = [min(max(math.floor(v), a), b) for v, a, b in zip(ideal, lo, hi)]
    diff = total - sum(x)
    while diff:
        if diff > 0:
            i = max((i for i in range(n) if x[i] < hi[i]), key=lambda i: (ideal[i] - x[i], -i))
            x[i] += 1
            diff -= 1
        else:
            i = min((i for i in range(n) if x[i] > lo[i]), key=lambda i: (ideal[i] - x[i], i))
            x[i] -= 1
            diff += 1
    return x


def split_kon(rows: Sequence[int], k_total: int, lo_k: Sequence[int], hi_k: Sequence[int],
              lo_m: Sequence[int], hi_m: Sequence[int], what: str = "") -> list[int]:
    """Split each row total into K + M so that the K parts add up to k_total.

    Returns the K part per row; M = row - K. Bounds apply to both parts."""
    lo = [max(a, t - b) for t, a, b in zip(rows, lo_k, hi_m)]
    hi = [min(a, t - b) for t, a, b in zip(rows, hi_k, lo_m)]
    return apportion(k_total, rows, lo, hi, what)
