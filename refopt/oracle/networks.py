"""Golden cases of small networks: loss, gradient, Hessian and Gauss–Newton matrix, exact to double
precision, derived symbolically without ``refopt.nn``.

A case is a fully connected network f(x; θ) with the documented parameter layout — for each layer
in order, W of shape (fan_in, fan_out) flattened row-major, then b (fan_out); the layer computes
h @ W + b; hidden layers apply the activation, the output layer is linear — and the mean loss

    L(θ) = (1/N) Σ_i ℓ(f(x_i; θ), y_i),
    mse         ℓ = ½ ‖f − y‖²
    logistic    ℓ = log(1 + e^f) − y f             (one logit, y ∈ {0, 1})
    softmax_ce  ℓ = log Σ_k e^{f_k} − f_y          (integer label y)

Its Gauss–Newton matrix is G = (1/N) Σ_i J_iᵀ M_i J_i with J_i = ∂f(x_i)/∂θ and M_i = ∂²ℓ/∂f²
at f(x_i), built here as a symbolic expression too. Activations: tanh, erf, softplus
log(1 + e^z), poly3 z³, relu as the two branches z (z > 0) and 0 (z < 0) — every case's
pre-activations are checked to stay away from the kink. θ, X and y are seeded uniform draws
(doubles, exactly as stored), and every value is the double nearest the exact one with its error
scale, as for the test functions (:mod:`refopt.oracle.golden`).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .golden import Ladder

__all__ = ["CASES", "Case", "case_entry", "network_entries"]


@dataclass(frozen=True)
class Case:
    name: str
    sizes: tuple
    activation: str
    bias: bool
    loss: str
    n_samples: int
    seed: int

    @property
    def n_params(self) -> int:
        return sum((a + self.bias) * b for a, b in zip(self.sizes[:-1], self.sizes[1:]))


CASES = (
    Case("tanh_mse", (2, 3, 1), "tanh", True, "mse", 5, 1),
    Case("erf_logistic", (3, 4, 1), "erf", True, "logistic", 6, 2),
    Case("softplus_softmax_ce", (2, 4, 3), "softplus", True, "softmax_ce", 6, 3),
    Case("poly3_mse_nobias", (3, 4, 2), "poly3", False, "mse", 4, 4),
    Case("relu_softmax_ce_nobias", (3, 5, 3), "relu", False, "softmax_ce", 8, 13),  # seed: |z| >= 0.09
    Case("tanh_two_hidden_mse", (2, 3, 3, 2), "tanh", True, "mse", 4, 6),
)

KINK_MARGIN = 0.05  # relu cases: every pre-activation at least this far from 0


def _number(S, v: float):
    q = Fraction(float(v))
    return S.Rational(q.numerator, q.denominator)


def _activation(S, name: str):
    return {
        "tanh": S.tanh,
        "erf": S.erf,
        "softplus": lambda z: S.log(1 + S.exp(z)),
        "poly3": lambda z: z**3,
        "relu": lambda z: S.Piecewise((z, z > 0), (S.Integer(0), z < 0)),
    }[name]


def _forward(S, case: Case, theta, x):
    """Outputs and the list of pre-activations of one sample (x: doubles), in the layout."""
    h = [_number(S, v) for v in x]
    sigma = _activation(S, case.activation)
    pre, k = [], 0
    layers = list(zip(case.sizes[:-1], case.sizes[1:]))
    for layer, (fan_in, fan_out) in enumerate(layers):
        W = [[theta[k + a * fan_out + b] for b in range(fan_out)] for a in range(fan_in)]
        k += fan_in * fan_out
        z = [S.Add(*[h[a] * W[a][b] for a in range(fan_in)]) for b in range(fan_out)]
        if case.bias:
            z = [z[b] + theta[k + b] for b in range(fan_out)]
            k += fan_out
        if layer < len(layers) - 1:
            pre += z
            h = [sigma(v) for v in z]
        else:
            h = z
    return h, pre


def _sample_loss(S, loss: str, u, y):
    if loss == "mse":
        return S.Add(*[(u[c] - _number(S, y[c])) ** 2 for c in range(len(u))]) / 2
    if loss == "logistic":
        return S.log(1 + S.exp(u[0])) - _number(S, y) * u[0]
    return S.log(S.Add(*[S.exp(v) for v in u])) - u[int(y)]


def data(case: Case):
    """(θ, X, y) of a case: seeded uniform draws (θ, X in [−1, 1]; mse targets in [−1, 1])."""
    rng = np.random.default_rng(case.seed)
    theta = rng.uniform(-1.0, 1.0, case.n_params)
    X = rng.uniform(-1.0, 1.0, (case.n_samples, case.sizes[0]))
    C = case.sizes[-1]
    if case.loss == "mse":
        y = rng.uniform(-1.0, 1.0, (case.n_samples, C))
    elif case.loss == "logistic":
        y = rng.integers(0, 2, case.n_samples).astype(np.float64)
    else:
        y = rng.integers(0, C, case.n_samples)
    return theta, X, y


def _symbolic(case: Case, X, y):
    import symengine as se

    P = case.n_params
    theta = [se.Symbol(f"t{k}") for k in range(P)]
    u = [se.Symbol(f"u{c}") for c in range(case.sizes[-1])]
    losses, ggn_terms, pre = [], [[0] * P for _ in range(P)], []
    for i in range(case.n_samples):
        f, z = _forward(se, case, theta, X[i])
        pre += z
        ell = _sample_loss(se, case.loss, u, y[i])
        at_f = dict(zip(u, f))
        losses.append(ell.subs(at_f))
        J = [[fc.diff(t) for t in theta] for fc in f]
        M = [[ell.diff(a).diff(b).subs(at_f) for b in u] for a in u]
        C = len(u)
        for j in range(P):
            for k in range(j + 1):
                ggn_terms[j][k] += se.Add(*[J[a][j] * M[a][b] * J[b][k] for a in range(C) for b in range(C)])
    N = case.n_samples
    L = se.Add(*losses) / N
    grad = [L.diff(t) for t in theta]
    hess = [[grad[j].diff(theta[k]) for k in range(j + 1)] for j in range(P)]
    ggn = [[se.sympify(ggn_terms[j][k]) / N for k in range(j + 1)] for j in range(P)]
    return theta, L, grad, hess, ggn, pre


def case_entry(case: Case) -> dict:
    """The golden file of one network case."""
    from ..functions.catalog import EPS, FLOOR, K

    theta, X, y = data(case)
    symbols, L, grad, hess, ggn, pre = _symbolic(case, X, y)
    ladder = Ladder(symbols, [float(v) for v in theta])
    if case.activation == "relu":
        nearest = min(abs(float(ladder.at(50).value(z))) for z in pre)
        if nearest < KINK_MARGIN:
            raise ValueError(f"{case.name}: a pre-activation is {nearest:.3g} from the relu kink")

    def full(lower):
        P = len(lower)
        vals = [[ladder.double(lower[max(j, k)][min(j, k)]) for k in range(P)] for j in range(P)]
        return [[v for v, _ in row] for row in vals], [[s for _, s in row] for row in vals]

    value, value_scale = ladder.double(L)
    g = [ladder.double(e) for e in grad]
    H, H_scale = full(hess)
    G, G_scale = full(ggn)
    return {
        "schema": 1,
        "name": case.name,
        "sizes": list(case.sizes),
        "activation": case.activation,
        "bias": case.bias,
        "loss": case.loss,
        "n_params": case.n_params,
        "n_samples": case.n_samples,
        "layout": "for each layer: W (fan_in, fan_out) row-major, then b (fan_out) when bias; "
                  "layer output h @ W + b; hidden layers apply the activation, the last is linear",
        "theta": [float(v) for v in theta],
        "X": X.tolist(),
        "y": y.tolist(),
        "value": value, "value_scale": value_scale,
        "grad": [v for v, _ in g], "grad_scale": [s for _, s in g],
        "hessian": H, "hessian_scale": H_scale,
        "ggn": G, "ggn_scale": G_scale,
        "error_model": {"k": K, "eps": EPS, "floor": FLOOR,
                        "bound": "|value - golden| <= k * (eps * scale + floor), entry by entry"},
    }


def network_entries() -> dict[str, dict]:
    return {case.name: case_entry(case) for case in CASES}
