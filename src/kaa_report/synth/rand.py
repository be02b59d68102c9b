"""Random draws for the generator: numpy for vector draws, Python's Mersenne Twister for the
many scalar ones (an order of magnitude faster per call). Both are seeded from one
numpy SeedSequence, so a seed gives the same export on every run."""
from __future__ import annotations

import random
from typing import Sequence

import numpy as np


class Rand:
    def __init__(self, seed: np.random.SeedSequence):
        self.np = np.random.default_rng(seed)
        self.py = random.Random(int(self.np.integers(2 ** 62)))

    # scalar draws
    def day(self, lo: int, hi: int) -> int:
        """A day uniformly in [lo, hi] (hi < lo gives lo)."""
        return int(lo) if hi <= lo else self.py.randint(int(lo), int(hi))

    def random(self) -> float:
        return self.py.random()

    def gauss(self, mu: float, sd: float) -> float:
        return self.py.gauss(mu, sd)

    def weighted(self, items: Sequence, weights: Sequence[float]):
        """One item, with probability proportional to its weight."""
        return self.py.choices(items, weights)[0]

    # vector draws
    def permutation(self, n: int | np.ndarray) -> np.ndarray:
        """A random order of range(n), or of the array n."""
        return self.np.permutation(n)

    def sample(self, n: int, k: int, p: np.ndarray | None = None) -> np.ndarray:
        """k distinct indices of range(n) (weighted by p when given)."""
        if k == 0:
            return np.array([], dtype=int)
        return self.np.choice(n, size=k, replace=False, p=None if p is None else p / p.sum())

    def randoms(self, n: int) -> np.ndarray:
        return self.np.random(n)

    def multinomial(self, n: int, p: np.ndarray) -> np.ndarray:
        return self.np.multinomial(n, p / p.sum())
