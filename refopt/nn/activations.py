"""Activation functions as a table: name -> (σ, σ', σ'', σ''').

The structured Hessian of :mod:`refopt.nn.hessian` needs σ' (the Jacobian of a layer) and σ''
(the curvature a layer adds, the diag(σ''(z) ⊙ g) term of the backward Hessian recursion);
σ''' is listed for third-order tools (e.g. the cubic regularisation of Wolinski 2023).

Each row keeps the value σ written ONCE against a namespace ``xp`` (NumPy, or ``refopt.ad.numpy``
for the generic autodiff oracle), and σ', σ'', σ''' as NumPy functions derived by hand:

==================  ========================  ==========================================
name                σ(z)                      derivatives
==================  ========================  ==========================================
linear              z                         1, 0, 0
tanh                t = tanh z                1 − t², −2t(1 − t²), (1 − t²)(6t² − 2)
erf                 erf z                     e = 2/√π e^{−z²}: e, −2z e, (4z² − 2) e
sigmoid             s = 1/(1 + e^{−z})        s(1−s), s(1−s)(1−2s), s(1−s)(1 − 6s + 6s²)
softplus            log(1 + e^z)              s, s(1−s), s(1−s)(1−2s)
relu                max(z, 0)                 [z > 0], 0, 0
gelu                z Φ(z) (exact, erf form)  Φ + zφ, φ(2 − z²), φ(z³ − 4z)
leaky_softplus:c    c z + (1−c) softplus z    c + (1−c)s, (1−c)s(1−s), (1−c)s(1−s)(1−2s)
poly<k>             z^k                       k z^{k−1}, k(k−1) z^{k−2}, k(k−1)(k−2) z^{k−3}
==================  ========================  ==========================================

Decisions (the papers leave them open):

* **ReLU at 0**: σ'(0) = 0 (the subgradient most frameworks use); σ'' = 0 everywhere, so ReLU
  nets have diag(H) = diag(GGN).
* **GELU** is the exact z Φ(z) with Φ the standard normal CDF, not the tanh approximation.
* **leaky_softplus** takes its slope c in the name: ``"leaky_softplus:0.25"``; plain
  ``"leaky_softplus"`` means c = 0.5, the value of Cai, Wu, Mei, Lindsey & Bartlett (2024). c ∈ [0, 1].
* **poly<k>** is z^k for an integer k ≥ 1 (``"poly1"`` is the identity, ``"poly2"`` the square);
  derivatives of order j > k are 0.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Callable

import numpy as np
from scipy import special

__all__ = ["Activation", "get_activation", "ACTIVATION_NAMES", "numpy_namespace"]

ACTIVATION_NAMES = ("linear", "tanh", "erf", "sigmoid", "softplus", "relu", "gelu",
                    "leaky_softplus", "leaky_softplus:<c>", "poly<k>")

_SQRT2 = math.sqrt(2.0)
_ERF_SCALE = 2.0 / math.sqrt(math.pi)
_PHI_SCALE = 1.0 / math.sqrt(2.0 * math.pi)


def numpy_namespace(xp=np):
    """The NumPy namespace completed with what ``refopt.ad.numpy`` offers and NumPy lacks.

    NumPy has no erf, sigmoid or softplus; the forward pass is written once against a namespace
    that has them, so NumPy is wrapped here (any other namespace is returned unchanged).
    """
    if xp is not np:
        return xp
    return _NP


def _softplus(z):
    return np.logaddexp(0.0, z)


_NP = SimpleNamespace(**{name: getattr(np, name) for name in
                         ("exp", "log", "tanh", "sum", "mean", "maximum", "where", "logaddexp",
                          "concatenate", "reshape", "zeros", "asarray")},
                      erf=special.erf, sigmoid=special.expit, softplus=_softplus)


@dataclass(frozen=True)
class Activation:
    """One row of the table: ``value(z, xp)`` (xp-generic) and the NumPy derivatives d1, d2, d3."""

    name: str
    value: Callable  # (z, xp) -> σ(z)
    d1: Callable     # z -> σ'(z)
    d2: Callable     # z -> σ''(z)
    d3: Callable     # z -> σ'''(z)

    def __call__(self, z):
        """σ(z) on NumPy arrays."""
        return self.value(z, _NP)

    @property
    def table(self) -> tuple:
        """(σ, σ', σ'', σ''') as four NumPy functions of z."""
        return (self.__call__, self.d1, self.d2, self.d3)


def _zero(z):
    return np.zeros_like(np.asarray(z, dtype=float))


def _one(z):
    return np.ones_like(np.asarray(z, dtype=float))


# --- tanh: t' = 1 − t² ------------------------------------------------------------------------
def _tanh_d1(z):
    t = np.tanh(z)
    return 1.0 - t * t


def _tanh_d2(z):
    t = np.tanh(z)
    return -2.0 * t * (1.0 - t * t)


def _tanh_d3(z):
    t = np.tanh(z)
    return (1.0 - t * t) * (6.0 * t * t - 2.0)


# --- erf: erf' = 2/√π e^{−z²} -----------------------------------------------------------------
def _erf_d1(z):
    return _ERF_SCALE * np.exp(-np.square(z))


def _erf_d2(z):
    return -2.0 * z * _erf_d1(z)


def _erf_d3(z):
    return (4.0 * np.square(z) - 2.0) * _erf_d1(z)


# --- sigmoid and softplus share s = σ(z): s' = s(1−s) ------------------------------------------
def _sig_d1(z):
    s = special.expit(z)
    return s * (1.0 - s)


def _sig_d2(z):
    s = special.expit(z)
    return s * (1.0 - s) * (1.0 - 2.0 * s)


def _sig_d3(z):
    s = special.expit(z)
    return s * (1.0 - s) * (1.0 - 6.0 * s + 6.0 * s * s)


# --- GELU: z Φ(z), Φ' = φ ---------------------------------------------------------------------
def _gelu(z, xp):
    return 0.5 * z * (1.0 + xp.erf(z / _SQRT2))


def _phi(z):
    return _PHI_SCALE * np.exp(-0.5 * np.square(z))


def _gelu_d1(z):
    return 0.5 * (1.0 + special.erf(z / _SQRT2)) + z * _phi(z)


def _gelu_d2(z):
    return _phi(z) * (2.0 - np.square(z))


def _gelu_d3(z):
    return _phi(z) * (z ** 3 - 4.0 * z)


def _relu(z, xp):
    return xp.maximum(z, 0.0)


def _relu_d1(z):
    return (np.asarray(z) > 0).astype(float)


_FIXED = {
    "linear": Activation("linear", lambda z, xp: z, _one, _zero, _zero),
    "tanh": Activation("tanh", lambda z, xp: xp.tanh(z), _tanh_d1, _tanh_d2, _tanh_d3),
    "erf": Activation("erf", lambda z, xp: xp.erf(z), _erf_d1, _erf_d2, _erf_d3),
    "sigmoid": Activation("sigmoid", lambda z, xp: xp.sigmoid(z), _sig_d1, _sig_d2, _sig_d3),
    "softplus": Activation("softplus", lambda z, xp: xp.softplus(z), special.expit, _sig_d1, _sig_d2),
    "relu": Activation("relu", _relu, _relu_d1, _zero, _zero),
    "gelu": Activation("gelu", _gelu, _gelu_d1, _gelu_d2, _gelu_d3),
}


def _leaky_softplus(c: float) -> Activation:
    """φ(z) = c z + (1 − c) softplus(z) (Cai et al. 2024)."""
    a = 1.0 - c
    return Activation(
        f"leaky_softplus:{c:g}",
        lambda z, xp: c * z + a * xp.softplus(z),
        lambda z: c + a * special.expit(z),
        lambda z: a * _sig_d1(z),
        lambda z: a * _sig_d2(z),
    )


def _power(k: int, j: int):
    """z ↦ d^j/dz^j z^k = k(k−1)…(k−j+1) z^{k−j} (0 for j > k)."""
    coef = float(math.perm(k, j)) if j <= k else 0.0
    e = k - j

    def d(z):
        z = np.asarray(z, dtype=float)
        if coef == 0.0:
            return np.zeros_like(z)
        return coef * z ** e if e > 0 else np.full_like(z, coef)
    return d


def _poly_value(k: int):
    def value(z, xp):
        out = z
        for _ in range(k - 1):  # repeated products: the AD namespace need not know **
            out = out * z
        return out
    return value


def _poly(k: int) -> Activation:
    return Activation(f"poly{k}", _poly_value(k), _power(k, 1), _power(k, 2), _power(k, 3))


_POLY = re.compile(r"poly(\d+)$")
_LEAKY = re.compile(r"leaky_softplus(?::(.+))?$")


def get_activation(name) -> Activation:
    """The table row for ``name`` (an :class:`Activation` passes through).

    ValueError naming the known activations for anything else.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name (str), one of {', '.join(ACTIVATION_NAMES)}; "
                        f"got {type(name).__name__}")
    key = name.strip().lower()
    if key in _FIXED:
        return _FIXED[key]
    m = _POLY.match(key)
    if m and int(m.group(1)) >= 1:
        return _poly(int(m.group(1)))
    m = _LEAKY.match(key)
    if m:
        if m.group(1) is None:
            return _leaky_softplus(0.5)
        try:
            c = float(m.group(1))
        except ValueError:
            c = float("nan")
        if not 0.0 <= c <= 1.0:
            raise ValueError(f"activation 'leaky_softplus:c' needs a slope c in [0, 1] "
                             f"(e.g. 'leaky_softplus:0.5'); got {name!r}")
        return _leaky_softplus(c)
    raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATION_NAMES)} "
                     f"(k an integer >= 1, c in [0, 1])")
