"""MGH 21 — Extended Rosenbrock function (Moré, Garbow, Hillstrom 1981, problem 21).
n even (n >= 2, default 10), m = n.

Residuals, for i = 1..n/2:

    r_{2i−1} = 10 (x_{2i} − x_{2i−1}²),    r_{2i} = 1 − x_{2i−1};
    f = Σ_{i=1}^{n/2} [100 (x_{2i} − x_{2i−1}²)² + (1 − x_{2i−1})²].

It is n/2 uncoupled copies of MGH 1 on the pairs (u, v) = (x_{2i−1}, x_{2i}) — not the chained
classic Rosenbrock. Hand-derived derivatives, per pair, with w = v − u²:

    ∂f/∂u = −400 u w − 2 (1 − u),      ∂f/∂v = 200 w,
    ∂²f/∂u² = 1200 u² − 400 v + 2,     ∂²f/∂u∂v = −400 u,     ∂²f/∂v² = 200;

∇²f is block diagonal with these 2×2 blocks (every other entry 0).
x0 = (−1.2, 1, −1.2, 1, …); f* = 0 at x* = (1, …, 1).
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    acc = x[0] * 0.0
    for i in range(0, x.shape[0], 2):
        w = x[i + 1] - x[i] * x[i]
        e = 1.0 - x[i]
        acc += 100.0 * w * w + e * e
    out[0] = acc


def grad(x, p, g):
    for i in range(0, x.shape[0], 2):
        w = x[i + 1] - x[i] * x[i]
        g[i] = -400.0 * x[i] * w - 2.0 * (1.0 - x[i])
        g[i + 1] = 200.0 * w


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
    for i in range(0, n, 2):
        H[i, i] = 1200.0 * x[i] * x[i] - 400.0 * x[i + 1] + 2.0
        H[i, i + 1] = -400.0 * x[i]
        H[i + 1, i] = -400.0 * x[i]
        H[i + 1, i + 1] = 200.0


register(
    "extended_rosenbrock",
    aliases=("mgh21",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 2 and n % 2 == 0, n_text="any even n >= 2",
    m=10, m_default=lambda n: n,
    x0=lambda n, m: np.where(np.arange(n) % 2 == 0, -1.2, 1.0),
    xstar=lambda n, m: np.ones(n), fstar=0.0,
    formula="f = sum_{i=1}^{n/2} [100 (x_{2i} - x_{2i-1}^2)^2 + (1 - x_{2i-1})^2]",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 21",
    notes="Uncoupled pairs (block-diagonal Hessian), unlike the chained classic 'rosenbrock'. m = n.",
)
