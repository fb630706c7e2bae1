r"""Spectral density by stochastic Lanczos quadrature (SLQ), and its smoothing.

The spectral measure of A, μ = (1/n) Σ_i δ(λ − λ_i), satisfies ∫ f dμ = tr f(A) / n = E[uᵀ f(A) u]
for probes with E[uuᵀ] = I/n. For one unit u, m Lanczos steps give T_m = Y Θ Yᵀ and the Gauss
quadrature rule of the measure Σ_i (uᵀq_i)² δ(λ − λ_i) (Golub & Meurant, *Matrices, Moments and
Quadrature with Applications*, 2010, Thm 6.2):

    nodes θ_j,  weights w_j = Y_{1j}²  (the squared FIRST components of T's eigenvectors),
    Σ_j w_j θ_j^k = uᵀ A^k u   exactly for k ≤ 2m − 1.

The density estimate is the average of the probes' rules (Lin, Saad & Yang 2016, "Approximating
spectral densities of large matrices", SIAM Review 58, §3.2; Ubaru, Chen & Saad 2017). Each
probe's weights sum to 1, so the estimate has unit mass. Probes are Rademacher vectors scaled to
unit length (as PyHessian's) or Gaussian directions. A probe whose Krylov space is exhausted after
j < m steps (few distinct eigenvalues, a low-rank Hessian) has j exact nodes; its row is padded
with weight-0 copies of its last node, so every sum above is unchanged.

**Smoothing** (:func:`smooth_density`) replaces each node by a Gaussian. Two conventions, by name,
so either tool's figure can be redrawn:

* ``"pyhessian"`` (Yao, Gholami, Keutzer & Mahoney 2020, PyHessian's ``density_generate``): grid of
  ``points`` (10 000) from the probes' mean smallest node − 0.01 to their mean largest node + 0.01;
  Gaussian variance σ² = 1e-5 · max(1, λ_max − λ_min) over those grid ends; the curve is then
  renormalised numerically so that Σ density · Δx = 1 on the grid (on a grid given by the caller,
  the trapezoid sum is 1).
* ``"papyan"`` (Papyan 2020, "Traces of class/cross-class structure pervade deep learning spectra",
  JMLR 21, §3): the spectrum is mapped to [−1, 1] by the smallest and largest node, x' = (2x − a − b)
  / (b − a); the Gaussian has σ' = 2 / ((m − 1) √(8 ln κ)), κ = 3, in that scale (σ = σ'(b − a)/2 in
  the original one; when all nodes coincide, b − a is replaced by max(1, |a|)). Unit mass analytically over the real line, no renormalisation; the default
  grid spans [a − 5σ, b + 5σ], which holds all but < 6e-7 of the mass.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..arguments import choice, integer, real, real_array
from ..arguments import seed as seed_
from .lanczos import _lanczos
from .operator import as_operator
from .trace import probes as draw_probes

__all__ = ["slq_density", "smooth_density", "SLQResult", "CONVENTIONS"]

CONVENTIONS = ("pyhessian", "papyan")
PYHESSIAN_SIGMA2 = 1e-5
PYHESSIAN_MARGIN = 0.01
PAPYAN_KAPPA = 3.0


class SLQResult(NamedTuple):
    """Nodes and weights (probes × steps; each row's weights sum to 1), the Lanczos steps each
    probe took before its Krylov space was exhausted, each probe's ‖VᵀV − I‖₂, and the unit
    probe vectors (probes × n)."""

    nodes: np.ndarray
    weights: np.ndarray
    steps: np.ndarray
    orthogonality_loss: np.ndarray
    starts: np.ndarray

    def moment(self, k: int) -> float:
        """The rule's k-th moment averaged over probes: an estimate of tr(A^k) / n."""
        return float(np.mean(np.sum(self.weights * self.nodes ** k, axis=1)))


def slq_density(matvec, n: int | None = None, steps: int = 30, probes: int = 1, seed: int | None = 0,
                dist: str = "rademacher", reorth: str = "full") -> SLQResult:
    """Raw SLQ nodes and weights: ``probes`` unit probes, ``steps`` Lanczos steps each (module
    docstring)."""
    op = as_operator(matvec, n)
    steps = integer(steps, "steps", low=1, high=op.n)
    count = integer(probes, "probes", low=1)
    dist = choice(dist, "dist", ("rademacher", "gaussian"))
    reorth = choice(reorth, "reorth", ("full", "none"))
    rng = np.random.default_rng(seed_(seed, generator=True))
    U = unit_probes(op.n, count, rng, dist)
    nodes, weights = np.zeros((count, steps)), np.zeros((count, steps))
    done, loss = np.zeros(count, dtype=np.int64), np.zeros(count)
    for p in range(count):
        lz = _lanczos(op, steps, U[p], reorth == "full")
        theta, Y = np.linalg.eigh(lz.T)
        j = lz.steps
        nodes[p, :j], weights[p, :j] = theta, Y[0, :] ** 2
        nodes[p, j:] = theta[-1]
        done[p], loss[p] = j, lz.orthogonality_loss
    return SLQResult(nodes, weights, done, loss, U)


def unit_probes(n: int, count: int, rng: np.random.Generator, dist: str) -> np.ndarray:
    """``count`` unit probe vectors as rows (Rademacher / √n, or normalised Gaussians)."""
    Z = draw_probes(n, count, rng, dist).T
    return Z / np.linalg.norm(Z, axis=1, keepdims=True)


def smooth_density(slq: SLQResult, convention: str = "pyhessian", grid=None, points: int = 10000):
    """(grid, density): the SLQ rule broadened by Gaussians under ``convention`` (module docstring).

    ``grid`` (an increasing 1-D array) replaces the convention's default grid; with
    ``"pyhessian"`` the renormalisation then runs on the grid given.
    """
    if not isinstance(slq, SLQResult):
        raise TypeError(f"slq must be the SLQResult of slq_density; got {type(slq).__name__}")
    convention = choice(convention, "convention", CONVENTIONS)
    points = integer(points, "points", low=2)
    nodes, weights = slq.nodes, slq.weights
    if convention == "pyhessian":
        hi = float(np.mean(nodes.max(axis=1))) + PYHESSIAN_MARGIN
        lo = float(np.mean(nodes.min(axis=1))) - PYHESSIAN_MARGIN
        var = PYHESSIAN_SIGMA2 * max(1.0, hi - lo)
        x = np.linspace(lo, hi, points) if grid is None else _grid(grid)
        rho = _broadened(x, nodes, weights, var)
        if grid is None:  # PyHessian's rule: unit Riemann sum on its uniform grid
            return x, rho / (np.sum(rho) * (x[1] - x[0]))
        return x, rho / float(np.sum(0.5 * (rho[1:] + rho[:-1]) * np.diff(x)))  # unit trapezoid sum
    a, b = float(nodes.min()), float(nodes.max())
    m = int(nodes.shape[1])
    width = b - a if b > a else max(1.0, abs(a))  # all nodes equal: a unit scale (stated)
    sigma = 2.0 / ((max(m, 2) - 1) * np.sqrt(8.0 * np.log(PAPYAN_KAPPA))) * width / 2.0
    x = np.linspace(a - 5 * sigma, b + 5 * sigma, points) if grid is None else _grid(grid)
    return x, _broadened(x, nodes, weights, sigma ** 2)


def _grid(grid) -> np.ndarray:
    x = real_array(grid, "grid", ndim=1, min_size=2)
    if np.any(np.diff(x) <= 0):
        raise ValueError("grid must be strictly increasing")
    return x


def _broadened(x, nodes, weights, var) -> np.ndarray:
    """Mean over probes of Σ_j w_j N(x; θ_j, var), on the grid x."""
    var = real(var, "variance", low=0.0, low_open=True)
    out = np.zeros_like(x)
    for th, w in zip(nodes, weights):
        out += np.exp(-(x[:, None] - th[None, :]) ** 2 / (2 * var)) @ w
    return out / (nodes.shape[0] * np.sqrt(2 * np.pi * var))
