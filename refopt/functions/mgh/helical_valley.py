"""MGH 7 — Helical valley function (Moré, Garbow, Hillstrom 1981, problem 7). n = 3, m = 3.

Residuals
    r1 = 10 (x3 − 10 θ(x1, x2)),   r2 = 10 (√(x1² + x2²) − 1),   r3 = x3,   f = r1² + r2² + r3²,
    θ = arctan(x2/x1) / (2π)          if x1 > 0,
    θ = arctan(x2/x1) / (2π) + 1/2    if x1 < 0.
θ is the polar angle over 2π taken in (−1/4, 3/4): continuous everywhere except across the half
line {x1 = 0, x2 < 0}, where it jumps by 1 (r1 by 100). MGH leave x1 = 0 undefined; refopt
follows MINPACK's ssqfcn: θ = +1/4 for x2 ≥ 0 and −1/4 for x2 < 0 (the limits from x1 > 0).

Branch handling. The branch only adds a constant (0 or 1/2) to a function whose derivatives are
the same on both sides, so
    ∂θ/∂x1 = −x2 / (2π q),   ∂θ/∂x2 = x1 / (2π q),   q = x1² + x2²,
    ∂²θ/∂x1² = x1 x2 / (π q²),   ∂²θ/∂x2² = −x1 x2 / (π q²),   ∂²θ/∂x1∂x2 = (x2² − x1²) / (2π q²).
The kernels pick the branch from the REAL part of x1 (and of x2 on the axis x1 = 0, where
θ = ±1/4 − arctan(x1/x2)/(2π), the same function written without dividing by x1). A complex-step
perturbation i·h·e_j does not move the real part, so the complex kernel evaluates the same analytic
branch and the complex-step derivative is exact away from the cut: the function is registered
analytic=True. It is registered smooth=False because of the jump across the cut and because
√(x1² + x2²) is not differentiable on the x3 axis (x1 = x2 = 0, where grad/hess are not finite).

Hand derivation, with ρ = √q and c = 50/π:
    J = [[ c x2/q,  −c x1/q, 10 ],
         [ 10 x1/ρ,  10 x2/ρ,  0 ],
         [ 0,        0,        1 ]],
    ∇²r1 (x1,x2 block) = c/q² [[ −2 x1 x2,  x1² − x2² ], [ x1² − x2²,  2 x1 x2 ]],
    ∇²r2 (x1,x2 block) = 10/ρ³ [[ x2², −x1 x2 ], [ −x1 x2, x1² ]],   ∇²r3 = 0,
    ∇f = 2 Jᵀr,   ∇²f = 2 (JᵀJ + r1 ∇²r1 + r2 ∇²r2).

x0 = (−1, 0, 0); f* = 0 at x* = (1, 0, 0). Formula checked against MINPACK's ssqfcn (its
problem 5) and NLSProblems.jl mgh07. Trap: some public ports write atan2(x2, x1) (the two-argument
arctangent) and still add 1/2 for x1 < 0, which is a different function for x1 < 0.
"""
import numpy as np
from numba import njit

from ..registry import register

TWO_PI = 2.0 * np.pi
C50 = 50.0 / np.pi


@njit(cache=True)
def _theta(x1, x2):
    """θ(x1, x2) of MGH with MINPACK's convention at x1 = 0; branches on real parts only."""
    if x1.real > 0.0:
        return np.arctan(x2 / x1) / TWO_PI
    if x1.real < 0.0:
        return np.arctan(x2 / x1) / TWO_PI + 0.5
    # x1 == 0: θ = sign(1/4, x2), written so that the x1-derivative is kept
    if x2.real > 0.0:
        return 0.25 - np.arctan(x1 / x2) / TWO_PI
    if x2.real < 0.0:
        return -0.25 - np.arctan(x1 / x2) / TWO_PI
    return 0.25 + 0.0 * x1  # origin of the (x1, x2) plane: θ not differentiable


def f(x, p, out):
    x1 = x[0]
    x2 = x[1]
    x3 = x[2]
    r1 = 10.0 * (x3 - 10.0 * _theta(x1, x2))
    r2 = 10.0 * (np.sqrt(x1 * x1 + x2 * x2) - 1.0)
    out[0] = r1 * r1 + r2 * r2 + x3 * x3


def grad(x, p, g):
    x1 = x[0]
    x2 = x[1]
    x3 = x[2]
    q = x1 * x1 + x2 * x2
    rho = np.sqrt(q)
    r1 = 10.0 * (x3 - 10.0 * _theta(x1, x2))
    r2 = 10.0 * (rho - 1.0)
    g[0] = 2.0 * (C50 * x2 / q * r1 + 10.0 * x1 / rho * r2)
    g[1] = 2.0 * (-C50 * x1 / q * r1 + 10.0 * x2 / rho * r2)
    g[2] = 2.0 * (10.0 * r1 + x3)


def hess(x, p, H):
    x1 = x[0]
    x2 = x[1]
    x3 = x[2]
    q = x1 * x1 + x2 * x2
    rho = np.sqrt(q)
    r1 = 10.0 * (x3 - 10.0 * _theta(x1, x2))
    r2 = 10.0 * (rho - 1.0)
    # Jacobian entries of r1 and r2 in x1, x2
    j11 = C50 * x2 / q
    j12 = -C50 * x1 / q
    j21 = 10.0 * x1 / rho
    j22 = 10.0 * x2 / rho
    cq = C50 / (q * q)
    tr = 10.0 / (rho * q)
    h11 = 2.0 * (j11 * j11 + j21 * j21 + r1 * (-2.0 * cq * x1 * x2) + r2 * tr * x2 * x2)
    h22 = 2.0 * (j12 * j12 + j22 * j22 + r1 * (2.0 * cq * x1 * x2) + r2 * tr * x1 * x1)
    h12 = 2.0 * (j11 * j12 + j21 * j22 + r1 * cq * (x1 * x1 - x2 * x2) - r2 * tr * x1 * x2)
    h13 = 20.0 * j11
    h23 = 20.0 * j12
    H[0, 0] = h11
    H[1, 1] = h22
    H[2, 2] = 202.0
    H[0, 1] = h12
    H[1, 0] = h12
    H[0, 2] = h13
    H[2, 0] = h13
    H[1, 2] = h23
    H[2, 1] = h23


register(
    "helical_valley",
    aliases=("mgh07",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=3, m=3,
    x0=[-1.0, 0.0, 0.0],
    # x0 and its neighbours have x1 < 0; x* lies on the x1 > 0 side; x1 = 0 (x2 > 0) is the seam
    branch_points=[(0.8, 0.3, 0.1), (0.8, -0.4, -0.2), (0.0, 0.7, 0.05)], xstar=[1.0, 0.0, 0.0], fstar=0.0,
    smooth=False, analytic=True,
    formula="f = (10 (x3 - 10 theta))^2 + (10 (sqrt(x1^2 + x2^2) - 1))^2 + x3^2, "
            "theta = arctan(x2/x1)/(2 pi) + (0 if x1 > 0, 1/2 if x1 < 0)",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 7; Fletcher & Powell (1963)",
    notes="theta at x1 = 0 follows MINPACK: +1/4 (x2 >= 0), -1/4 (x2 < 0). f jumps across "
          "{x1 = 0, x2 < 0} and is not differentiable on x1 = x2 = 0 (smooth=False); "
          "elsewhere analytic, the branch is chosen from real parts so complex-step is exact.",
)
