"""MGH 15 — Kowalik and Osborne function (Moré, Garbow, Hillstrom 1981, problem 15).

n = 4, m = 11.

    r_i(x) = y_i − x1 (u_i² + u_i x2) / (u_i² + u_i x3 + x4),     f = Σ_{i=1}^{11} r_i²,

with the data of the paper (u_i printed to 3 significant digits, used as printed):

    y = 0.1957 0.1947 0.1735 0.1600 0.0844 0.0627 0.0456 0.0342 0.0323 0.0235 0.0246
    u = 4      2      1      0.5    0.25   0.167  0.125  0.1    0.0833 0.0714 0.0625

x0 = (0.25, 0.39, 0.415, 0.39); f* = 3.07505e−4 (x* ≈ (0.19281, 0.19128, 0.12306, 0.13606),
refined here to full precision); f tends to 1.02734e−3 as (x1, x3, x4) → (+∞, −∞, −∞) with
x2 → −14.07... (a minimum "at infinity", listed as a local minimum).

Derivatives (by hand). With N = u² + u x2, D = u² + u x3 + x4, q = x1 N / D, r = y − q:

    ∇q = (N/D,  x1 u/D,  −x1 N u/D²,  −x1 N/D²)
    ∇²q: q11 = 0, q12 = u/D, q13 = −N u/D², q14 = −N/D², q22 = 0, q23 = −x1 u²/D²,
         q24 = −x1 u/D², q33 = 2 x1 N u²/D³, q34 = 2 x1 N u/D³, q44 = 2 x1 N/D³
    ∇r = −∇q,  ∇²r = −∇²q;  f = rᵀr, ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ_i r_i ∇²r_i).
"""
import numpy as np

from ..registry import register

Y = np.array([0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235,
              0.0246])
U = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625])
M = 11


def f(x, p, out):
    s = x[0] * 0.0
    for i in range(M):
        u = U[i]
        r = Y[i] - x[0] * (u * u + u * x[1]) / (u * u + u * x[2] + x[3])
        s += r * r
    out[0] = s


def grad(x, p, g):
    x1 = x[0]
    s1 = x1 * 0.0
    s2 = x1 * 0.0
    s3 = x1 * 0.0
    s4 = x1 * 0.0
    for i in range(M):
        u = U[i]
        N = u * u + u * x[1]
        D = u * u + u * x[2] + x[3]
        r = Y[i] - x1 * N / D
        # ∇r_i = −∇q_i
        s1 += -N / D * r
        s2 += -x1 * u / D * r
        s3 += x1 * N * u / (D * D) * r
        s4 += x1 * N / (D * D) * r
    g[0] = 2.0 * s1
    g[1] = 2.0 * s2
    g[2] = 2.0 * s3
    g[3] = 2.0 * s4


def hess(x, p, H):
    x1 = x[0]
    h11 = x1 * 0.0
    h12 = x1 * 0.0
    h13 = x1 * 0.0
    h14 = x1 * 0.0
    h22 = x1 * 0.0
    h23 = x1 * 0.0
    h24 = x1 * 0.0
    h33 = x1 * 0.0
    h34 = x1 * 0.0
    h44 = x1 * 0.0
    for i in range(M):
        u = U[i]
        N = u * u + u * x[1]
        D = u * u + u * x[2] + x[3]
        r = Y[i] - x1 * N / D
        D2 = D * D
        D3 = D2 * D
        # ∇r_i = −∇q_i and r_i ∇²r_i = −r_i ∇²q_i (q11 = q22 = 0)
        j1 = -N / D
        j2 = -x1 * u / D
        j3 = x1 * N * u / D2
        j4 = x1 * N / D2
        h11 += j1 * j1
        h12 += j1 * j2 - r * u / D
        h13 += j1 * j3 + r * N * u / D2
        h14 += j1 * j4 + r * N / D2
        h22 += j2 * j2
        h23 += j2 * j3 + r * x1 * u * u / D2
        h24 += j2 * j4 + r * x1 * u / D2
        h33 += j3 * j3 - r * 2.0 * x1 * N * u * u / D3
        h34 += j3 * j4 - r * 2.0 * x1 * N * u / D3
        h44 += j4 * j4 - r * 2.0 * x1 * N / D3
    H[0, 0] = 2.0 * h11
    H[1, 1] = 2.0 * h22
    H[2, 2] = 2.0 * h33
    H[3, 3] = 2.0 * h44
    H[0, 1] = 2.0 * h12
    H[1, 0] = 2.0 * h12
    H[0, 2] = 2.0 * h13
    H[2, 0] = 2.0 * h13
    H[0, 3] = 2.0 * h14
    H[3, 0] = 2.0 * h14
    H[1, 2] = 2.0 * h23
    H[2, 1] = 2.0 * h23
    H[1, 3] = 2.0 * h24
    H[3, 1] = 2.0 * h24
    H[2, 3] = 2.0 * h34
    H[3, 2] = 2.0 * h34


# x* refined by Newton iterations on the hand-derived Hessian from the published point
# (|grad f(x*)| ~ 1e-16); f(x*) = 3.0750560385e-4.
XSTAR = [0.19280693457903786, 0.19128232873436696, 0.12305650692632066, 0.13606233068379484]

register(
    "kowalik_osborne",
    aliases=("mgh15",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=4, m=11,
    x0=[0.25, 0.39, 0.415, 0.39],
    xstar=XSTAR, fstar=0.00030750560384923745, fstar_literature="3.07505e-4",
    formula="f = sum_{i=1}^{11} (y_i - x1 (u_i^2 + u_i x2) / (u_i^2 + u_i x3 + x4))^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 15; Kowalik & Osborne (1968)",
    notes=(
        "u_i are used as printed in the paper (0.167, 0.0833, 0.0714, not 1/6, 1/12, 1/14); f* "
        "3.07505e-4 is for these data. x* was refined by a tight least-squares solve from the "
        "published point. A second, non-global infimum 1.02734e-3 is approached at infinity."
    ),
    local_minima=(
        {"f": 1.02734e-3, "x": None,
         "note": "as x1 -> +inf, x3 -> -inf, x4 -> -inf with x2 -> -14.07 (at infinity)"},
    ),
)
