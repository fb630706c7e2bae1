"""MGH 22 — Extended Powell singular function (Moré, Garbow, Hillstrom 1981, problem 22).
n a multiple of 4 (default 12), m = n.

Residuals, for i = 1..n/4 (block (a, b, c, d) = (x_{4i−3}, x_{4i−2}, x_{4i−1}, x_{4i})):

    r_{4i−3} = a + 10 b,         r_{4i−2} = √5 (c − d),
    r_{4i−1} = (b − 2c)²,        r_{4i}   = √10 (a − d)²;
    f = Σ_blocks [(a + 10b)² + 5 (c − d)² + (b − 2c)⁴ + 10 (a − d)⁴].

Hand-derived derivatives per block, with u = a + 10b, v = c − d, w = b − 2c, z = a − d:

    ∂f/∂a = 2u + 40 z³,     ∂f/∂b = 20u + 4 w³,     ∂f/∂c = 10 v − 8 w³,     ∂f/∂d = −10 v − 40 z³;
    ∂²f: aa = 2 + 120 z², ab = 20, ac = 0, ad = −120 z², bb = 200 + 12 w², bc = −24 w², bd = 0,
         cc = 10 + 48 w², cd = −10, dd = 10 + 120 z²;

∇²f is block diagonal with these 4×4 blocks. x0 = (3, −1, 0, 1, 3, −1, 0, 1, …); f* = 0 at
x* = 0, where the Hessian is singular (rank 2 per block), so Newton converges only linearly.

Trap: a public Julia port (NLSProblems.jl, the JuMP/MathProgNLS version of mgh22) writes the
third residual as b − 2c² instead of (b − 2c)². This module follows the paper; the ADNLS
version of the same port and OptimizationProblems.jl's powellsg agree with it.
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    acc = x[0] * 0.0
    for i in range(0, x.shape[0], 4):
        u = x[i] + 10.0 * x[i + 1]
        v = x[i + 2] - x[i + 3]
        w = x[i + 1] - 2.0 * x[i + 2]
        z = x[i] - x[i + 3]
        w2 = w * w
        z2 = z * z
        acc += u * u + 5.0 * v * v + w2 * w2 + 10.0 * z2 * z2
    out[0] = acc


def grad(x, p, g):
    for i in range(0, x.shape[0], 4):
        u = x[i] + 10.0 * x[i + 1]
        v = x[i + 2] - x[i + 3]
        w = x[i + 1] - 2.0 * x[i + 2]
        z = x[i] - x[i + 3]
        w3 = w * w * w
        z3 = z * z * z
        g[i] = 2.0 * u + 40.0 * z3
        g[i + 1] = 20.0 * u + 4.0 * w3
        g[i + 2] = 10.0 * v - 8.0 * w3
        g[i + 3] = -10.0 * v - 40.0 * z3


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
    for i in range(0, n, 4):
        w = x[i + 1] - 2.0 * x[i + 2]
        z = x[i] - x[i + 3]
        w2 = w * w
        z2 = z * z
        H[i, i] = 2.0 + 120.0 * z2
        H[i + 1, i + 1] = 200.0 + 12.0 * w2
        H[i + 2, i + 2] = 10.0 + 48.0 * w2
        H[i + 3, i + 3] = 10.0 + 120.0 * z2
        H[i, i + 1] = 20.0
        H[i + 1, i] = 20.0
        H[i, i + 3] = -120.0 * z2
        H[i + 3, i] = -120.0 * z2
        H[i + 1, i + 2] = -24.0 * w2
        H[i + 2, i + 1] = -24.0 * w2
        H[i + 2, i + 3] = -10.0
        H[i + 3, i + 2] = -10.0


register(
    "extended_powell_singular",
    aliases=("mgh22",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=12, n_allowed=lambda n: n >= 4 and n % 4 == 0, n_text="any n >= 4 that is a multiple of 4",
    m=12, m_default=lambda n: n,
    x0=lambda n, m: np.tile([3.0, -1.0, 0.0, 1.0], n // 4),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    formula=("f = sum_{i=1}^{n/4} [(x_{4i-3} + 10 x_{4i-2})^2 + 5 (x_{4i-1} - x_{4i})^2"
             " + (x_{4i-2} - 2 x_{4i-1})^4 + 10 (x_{4i-3} - x_{4i})^4]"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 22",
    notes=("Singular Hessian at x* = 0. Trap: one Julia port (NLSProblems.jl, MathProgNLS mgh22) has "
           "x_{4i-2} - 2 x_{4i-1}^2 for the third residual; the paper's is (x_{4i-2} - 2 x_{4i-1})^2."),
)
