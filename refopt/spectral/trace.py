r"""Stochastic trace and diagonal estimators, each with its standard error.

**Hutchinson** (Hutchinson 1990; Girard 1989): for probes z with E[zzᵀ] = I,
tr(A) = E[zᵀAz], estimated by the mean of s independent quadratic forms. The variance of one
form is

    Rademacher z (±1):   2 (‖A‖²_F − Σ_i A_ii²)
    Gaussian z:          2 ‖A‖²_F

(Avron & Toledo 2011, "Randomized algorithms for estimating the trace of an implicit symmetric
positive semi-definite matrix", J. ACM 58, Lemmas 1 and 9); ``stderr`` is the sample standard
deviation of the s forms over √s (∞ for s = 1).

**Hutch++** (Meyer, Musco, Musco & Woodruff 2021, "Hutch++: optimal stochastic trace estimation",
Alg. 1): of a budget of m products, m/3 build a sketch Q = orth(A S) of the top of the spectrum,
whose trace tr(QᵀAQ) is taken exactly (m/3 products), and m/3 go to Hutchinson on the deflated
rest (I − QQᵀ) A (I − QQᵀ). Exact (to rounding) when rank A ≤ m/3 (when m/3 ≥ n the sketch spans
R^n and the remaining products are not spent); otherwise the error falls like
1/m instead of 1/√m for matrices with decaying spectra. ``stderr`` is that of the Hutchinson part.

**Diagonal** (Bekas, Kokiopoulou & Saad 2007, "An estimator for the diagonal of a matrix", Appl.
Numer. Math. 57): diag(A) ≈ (1/s) Σ z ⊙ Az, unbiased for both probe kinds; the variance of entry
i is Σ_{j≠i} A_ij² for Rademacher probes and Σ_j A_ij² + A_ii² for Gaussian ones.

Products are taken in blocks of ``BLOCK`` probes through the operator's ``matmat``.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..arguments import choice, integer
from ..arguments import seed as seed_
from .operator import Operator, as_operator

__all__ = ["hutchinson_trace", "hutchpp_trace", "hutchinson_diagonal", "probes", "TraceEstimate",
           "DiagonalEstimate", "BLOCK"]

BLOCK = 32
"""Probes multiplied by the operator at once (one ``matmat``)."""
DISTRIBUTIONS = ("rademacher", "gaussian")


class TraceEstimate(NamedTuple):
    """The estimate, its standard error, the products taken, and the s quadratic forms zᵀAz."""

    estimate: float
    stderr: float
    matvecs: int
    values: np.ndarray


class DiagonalEstimate(NamedTuple):
    """The estimated diagonal, its per-entry standard error, and the products taken."""

    estimate: np.ndarray
    stderr: np.ndarray
    matvecs: int


def probes(n: int, count: int, rng: np.random.Generator, dist: str) -> np.ndarray:
    """``count`` probe vectors as the columns of an (n, count) array: ±1 or standard normal."""
    if dist == "rademacher":
        return rng.integers(0, 2, size=(n, count)).astype(np.float64) * 2.0 - 1.0
    return rng.standard_normal((n, count))


def _check(matvec, n, samples, seed, dist, what="samples", low=1):
    op = as_operator(matvec, n)
    samples = integer(samples, what, low=low)
    dist = choice(dist, "dist", DISTRIBUTIONS)
    return op, samples, np.random.default_rng(seed_(seed, generator=True)), dist


def _mean_and_error(values: np.ndarray) -> tuple:
    s = values.shape[0]
    mean = values.mean(axis=0)
    err = values.std(axis=0, ddof=1) / np.sqrt(s) if s > 1 else np.full_like(mean, np.inf)
    return mean, err


def _forms(op: Operator, samples: int, rng, dist: str, project=None) -> np.ndarray:
    """zᵀ A z for ``samples`` probes (zᵀ P A P z when ``project`` = P is given), in blocks."""
    out = []
    for start in range(0, samples, BLOCK):
        Z = probes(op.n, min(BLOCK, samples - start), rng, dist)
        if project is not None:
            Z = project(Z)
        out.append(np.einsum("ij,ij->j", Z, op.matmat(Z)))
    return np.concatenate(out)


def hutchinson_trace(matvec, n: int | None = None, samples: int = 100, seed: int | None = 0,
                     dist: str = "rademacher") -> TraceEstimate:
    """tr(A) ≈ (1/s) Σ zᵀAz with s = ``samples`` probes of kind ``dist`` (module docstring)."""
    op, samples, rng, dist = _check(matvec, n, samples, seed, dist)
    before = op.products
    values = _forms(op, samples, rng, dist)
    mean, err = _mean_and_error(values)
    return TraceEstimate(float(mean), float(err), op.products - before, values)


def hutchpp_trace(matvec, n: int | None = None, matvecs: int = 99, seed: int | None = 0,
                  dist: str = "rademacher") -> TraceEstimate:
    """Hutch++ with a budget of ``matvecs`` products (≥ 3; a third each to the sketch, its exact
    trace and the deflated Hutchinson part)."""
    op, budget, rng, dist = _check(matvec, n, matvecs, seed, dist, what="matvecs", low=3)
    before = op.products
    third = budget // 3
    Q, _ = np.linalg.qr(op.matmat(probes(op.n, min(third, op.n), rng, dist)))
    exact = float(np.trace(Q.T @ op.matmat(Q)))
    if Q.shape[1] == op.n:  # the sketch spans R^n: the trace is exact, nothing is left to sample
        return TraceEstimate(exact, 0.0, op.products - before, np.zeros(0))

    def deflate(Z):
        return Z - Q @ (Q.T @ Z)

    values = _forms(op, budget - 2 * third, rng, dist, project=deflate)
    mean, err = _mean_and_error(values)
    return TraceEstimate(exact + float(mean), float(err), op.products - before, values)


def hutchinson_diagonal(matvec, n: int | None = None, samples: int = 100, seed: int | None = 0,
                        dist: str = "rademacher") -> DiagonalEstimate:
    """diag(A) ≈ (1/s) Σ z ⊙ Az (Bekas et al. 2007), with per-entry standard errors."""
    op, samples, rng, dist = _check(matvec, n, samples, seed, dist)
    before = op.products
    rows = []
    for start in range(0, samples, BLOCK):
        Z = probes(op.n, min(BLOCK, samples - start), rng, dist)
        rows.append((Z * op.matmat(Z)).T)
    mean, err = _mean_and_error(np.concatenate(rows))
    return DiagonalEstimate(mean, err, op.products - before)
