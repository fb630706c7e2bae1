"""MGH 5 — Beale function, least-squares form (Moré, Garbow, Hillstrom 1981, problem 5).
n = 2, m = 3. Registered as "mgh_beale" (the classic "beale" is the same f on the box [−4.5, 4.5]²).

Residuals, i = 1, 2, 3, with y = (1.5, 2.25, 2.625):
    r_i = y_i − x1 (1 − x2^i),   f = Σ r_i².

Hand derivation.
    ∂r_i/∂x1 = x2^i − 1,   ∂r_i/∂x2 = i x1 x2^(i−1),
    ∂²r_i/∂x1² = 0,   ∂²r_i/∂x1∂x2 = i x2^(i−1),   ∂²r_i/∂x2² = i (i−1) x1 x2^(i−2)  (0 for i = 1);
    ∇f = 2 Jᵀr,  ∇²f = 2 (JᵀJ + Σ_i r_i ∇²r_i), written out term by term below.

x0 = (1, 1); f* = 0 at x* = (3, 0.5). Formula checked against the MGH paper and NLSProblems.jl
mgh05.
"""
from ..registry import register


def f(x, p, out):
    x1 = x[0]
    x2 = x[1]
    u2 = x2 * x2
    r1 = 1.5 - x1 * (1.0 - x2)
    r2 = 2.25 - x1 * (1.0 - u2)
    r3 = 2.625 - x1 * (1.0 - u2 * x2)
    out[0] = r1 * r1 + r2 * r2 + r3 * r3


def grad(x, p, g):
    x1 = x[0]
    x2 = x[1]
    u2 = x2 * x2
    u3 = u2 * x2
    r1 = 1.5 - x1 * (1.0 - x2)
    r2 = 2.25 - x1 * (1.0 - u2)
    r3 = 2.625 - x1 * (1.0 - u3)
    g[0] = 2.0 * (r1 * (x2 - 1.0) + r2 * (u2 - 1.0) + r3 * (u3 - 1.0))
    g[1] = 2.0 * x1 * (r1 + 2.0 * x2 * r2 + 3.0 * u2 * r3)


def hess(x, p, H):
    x1 = x[0]
    x2 = x[1]
    u2 = x2 * x2
    u3 = u2 * x2
    r1 = 1.5 - x1 * (1.0 - x2)
    r2 = 2.25 - x1 * (1.0 - u2)
    r3 = 2.625 - x1 * (1.0 - u3)
    # Jacobian: a_i = dr_i/dx1, b_i = dr_i/dx2
    a1 = x2 - 1.0
    a2 = u2 - 1.0
    a3 = u3 - 1.0
    b1 = x1
    b2 = 2.0 * x1 * x2
    b3 = 3.0 * x1 * u2
    h11 = 2.0 * (a1 * a1 + a2 * a2 + a3 * a3)
    h12 = 2.0 * (a1 * b1 + a2 * b2 + a3 * b3 + r1 + 2.0 * x2 * r2 + 3.0 * u2 * r3)
    h22 = 2.0 * (b1 * b1 + b2 * b2 + b3 * b3 + 2.0 * x1 * r2 + 6.0 * x1 * x2 * r3)
    H[0, 0] = h11
    H[0, 1] = h12
    H[1, 0] = h12
    H[1, 1] = h22


register(
    "mgh_beale",
    aliases=("mgh05",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=2, m=3,
    x0=[1.0, 1.0], xstar=[3.0, 0.5], fstar=0.0,
    formula="f = sum_{i=1..3} (y_i - x1 (1 - x2^i))^2, y = (1.5, 2.25, 2.625)",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 5; Beale (1958)",
    notes="Same f as the classic 'beale'; MGH start x0 = (1, 1), no bounds.",
)
