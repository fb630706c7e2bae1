r"""Limit laws of random-matrix spectra: Marchenko–Pastur, and its convolution with a scaled χ².

**Marchenko–Pastur** (Marchenko & Pastur 1967). For W ∈ R^{N_h × N_i} with i.i.d. N(0, 1)
entries and q = N_i / N_h, the eigenvalues of WᵀW / N_h follow, as N_i, N_h → ∞,

    ρ_q(μ) = √((μ₊ − μ)(μ − μ₋)) / (2π q μ)   on [μ₋, μ₊],  μ± = (1 ± √q)²,

plus an atom of mass (1 − 1/q)₊ at 0 (rank N_h < N_i). :func:`marchenko_pastur_density` returns
the continuous part, of mass min(1, 1/q), of the law of ``scale`` · μ; mean 1 · scale and second
moment (1 + q) · scale² including the atom.

**MP ⊛ χ²: the spectrum of a linear teacher–student Hessian** (Couto, Mourão, Figueiredo & Ribeiro
2025). For y = W₂ W₁ x with W₁ ~ N(0, σ₁²) (N_h × N_i), W₂ ~ N(0, σ₂²) (1 × N_h) and whitened
inputs (C = XᵀX/N = I), the Hessian at the teacher has the N_i nonzero eigenvalues

    λ = ‖W₂‖² + eig(W₁ᵀW₁),   ‖W₂‖² ~ σ₂² χ²_{N_h},   eig(W₁ᵀW₁) ~ σ₁² N_h · MP(q = N_i/N_h),

the two parts independent; ‖W₂‖² is ONE shift per teacher, so the law is that of the eigenvalues
pooled over many teachers. Its density (and CDF) is the convolution

    p(λ) = (1 − 1/q)₊ g(λ) + ∫ g(λ − σ₁² N_h μ) ρ_q(μ) dμ,    g the density of σ₂² χ²_{N_h}

(``s1``, ``s2`` are the standard deviations σ₁, σ₂). The integral is taken in the variable φ of
μ = 1 + q − 2√q cos φ, which removes the square-root endpoints: ρ_q dμ = 2 sin²φ / (π μ) dφ on
[0, π], cut at the φ where λ − σ₁² N_h μ = 0 (beyond it g vanishes) and substituted φ = φ_max(1 − u²)
so that the integrand is smooth in u; then Gauss–Legendre with ``nodes`` points. The stated
accuracy is the difference to the rule with twice the nodes (returned with ``error=True``);
measured with the default 256 nodes, below 1e-12 of the density's maximum for N_h ≥ 2 (for N_h = 1 the
χ²₁ density is infinite at 0 and so is p at λ → 0 when N_i > N_h) (a test holds it against adaptive quadrature).
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from ..arguments import flag, integer, real, real_array

__all__ = ["marchenko_pastur_density", "mp_chi2_density", "mp_chi2_cdf"]


def _x(x):
    return real_array(x, "x", min_size=0).reshape(np.shape(x))


def marchenko_pastur_density(x, q: float, scale: float = 1.0):
    """The continuous part of the Marchenko–Pastur density ρ_q of ``scale`` · μ at x."""
    xs = _x(x)
    q = real(q, "q (the ratio N_i / N_h)", low=0.0, low_open=True)
    scale = real(scale, "scale", low=0.0, low_open=True)
    mu = xs / scale
    lo, hi = (1 - np.sqrt(q)) ** 2, (1 + np.sqrt(q)) ** 2
    inside = (mu > lo) & (mu < hi)
    out = np.zeros_like(mu)
    m = mu[inside]
    out[inside] = np.sqrt((hi - m) * (m - lo)) / (2 * np.pi * q * m) / scale
    return out if np.ndim(x) else float(out)


def _convolve(kernel, x, ni, nh, s1, s2, nodes, error):
    xs = _x(x)
    ni = integer(ni, "ni (inputs N_i)", low=1)
    nh = integer(nh, "nh (hidden units N_h)", low=1)
    s1 = real(s1, "s1 (standard deviation of W1)", low=0.0, low_open=True)
    s2 = real(s2, "s2 (standard deviation of W2)", low=0.0, low_open=True)
    nodes = integer(nodes, "nodes", low=8)
    error = flag(error, "error")
    q = ni / nh
    atom = max(0.0, 1.0 - 1.0 / q)
    shape, width, c = nh / 2.0, 2.0 * s2 ** 2, s1 ** 2 * nh

    # g(λ − cμ) vanishes for μ > λ/c: integrate φ over [0, φ_max(λ)] only, where it is smooth up
    # to the end point; φ = φ_max (1 − u²) then turns the end point's power law (χ²_{N_h} density
    # ~ t^{N_h/2 − 1}) into a smooth function of u, so Gauss–Legendre converges fast for every N_h.
    r = np.sqrt(q)
    lam = xs.reshape(-1, 1)
    cos_max = np.clip((1.0 + q - lam / c) / (2.0 * r), -1.0, 1.0)
    phi_max = np.arccos(cos_max)

    def rule(count):
        t, w = special.roots_legendre(count)
        u = 0.5 * (t + 1.0)
        phi = phi_max * (1.0 - u ** 2)
        mu = 1.0 + q - 2.0 * r * np.cos(phi)
        dens = np.divide(2.0 * np.sin(phi) ** 2, np.pi * mu, out=np.zeros_like(mu), where=mu > 0)
        with np.errstate(invalid="ignore"):  # φ_max = 0 (λ below the support): no integral at all
            terms = kernel(np.maximum(lam - c * mu, 0.0), shape, scale=width) * dens * phi_max * u * w
        val = np.sum(np.where(phi_max > 0, terms, 0.0), axis=1)
        return (atom * kernel(xs.reshape(-1), shape, scale=width) + val).reshape(xs.shape)

    value = rule(nodes)
    out = value if np.ndim(x) else float(value)
    if not error:
        return out
    err = np.abs(value - rule(2 * nodes))
    return out, (err if np.ndim(x) else float(err))


def mp_chi2_density(x, ni: int, nh: int, s1: float, s2: float, nodes: int = 256, error: bool = False):
    """Density at x of λ = σ₂² χ²_{N_h} + σ₁² N_h · MP(N_i/N_h) (module docstring); with
    ``error=True`` also the accuracy estimate |rule(nodes) − rule(2 nodes)|."""
    return _convolve(stats.gamma.pdf, x, ni, nh, s1, s2, nodes, error)


def mp_chi2_cdf(x, ni: int, nh: int, s1: float, s2: float, nodes: int = 256, error: bool = False):
    """The distribution function of the same law (for Kolmogorov–Smirnov distances)."""
    return _convolve(stats.gamma.cdf, x, ni, nh, s1, s2, nodes, error)
