import numpy as np
import pytest

from refopt.functions import get, names, specs

ALL = names()
CANDIDATE_N = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 20)


def other_n(name):
    """An allowed dimension different from the default, or None for fixed-n functions."""
    spec = specs()[name]
    for n in CANDIDATE_N:
        if n != spec.n and spec.n_allowed(n):
            return n
    return None


VARIABLE = [(name, other_n(name)) for name in ALL if other_n(name) is not None]


class Counting:
    """Wraps a TestFunction's f and grad, counting calls (reported counts must equal these)."""

    def __init__(self, tf):
        self.tf, self.nf, self.ng = tf, 0, 0

    def f(self, x):
        self.nf += 1
        return self.tf.f(x)

    def g(self, x):
        self.ng += 1
        return self.tf.grad(x)


@pytest.fixture(scope="session")
def rng():
    return np.random.default_rng(20261123)
