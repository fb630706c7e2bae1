"""MGH 20 — Watson function (Moré, Garbow, Hillstrom 1981, problem 20). 2 <= n <= 31, m = 31.

Residuals, with t_i = i/29:

    r_i  = Σ_{j=2}^{n} (j−1) x_j t_i^{j−2} − (Σ_{j=1}^{n} x_j t_i^{j−1})² − 1,   1 <= i <= 29,
    r_30 = x_1,
    r_31 = x_2 − x_1² − 1;          f = Σ_{i=1}^{31} r_i².

Derivatives (derived by hand). For i <= 29 write a_j = t_i^{j−1} and s_i = Σ_j x_j a_j. Then

    ∂r_i/∂x_j = (j−1) t_i^{j−2} − 2 s_i t_i^{j−1},        ∇²r_i = −2 a aᵀ   (a constant rank-one),

r_30 has gradient e_1 and zero Hessian, r_31 has gradient (−2x_1, 1, 0, …) and Hessian −2 e_1e_1ᵀ.
Hence ∇f = 2 Jᵀr and ∇²f = 2 (JᵀJ + S) with

    S = −2 Σ_{i<=29} r_i a_i a_iᵀ − 2 r_31 e_1e_1ᵀ,

so H = 2 Σ_{i<=29} (J_i J_iᵀ − 2 r_i a_i a_iᵀ) + (2 + 8x_1² − 4 r_31) e_1e_1ᵀ
      − 4x_1 (e_1e_2ᵀ + e_2e_1ᵀ) + 2 e_2e_2ᵀ.
The kernels run over the 29 sample points without forming J (the Hessian keeps two n-vectors).

Standard start x0 = 0. The paper gives f* = 2.28767e−3 (n = 6), 1.39976e−6 (n = 9) and
4.72238e−10 (n = 12) without minimizers; refopt's x* for those n were computed for this
library (least squares, then Newton in 60-digit arithmetic until ‖∇f‖ < 1e−58) and reproduce
the published f* (2.2876700535524e−3, 1.3997601380990e−6, 4.7223811058918e−10).
The problem is extremely ill-conditioned for large n (the t-power columns are Hilbert-like).
"""
import numpy as np

from ..registry import register

N_SAMPLES = 29  # t_i = i / 29, i = 1..29


def f(x, p, out):
    n = x.shape[0]
    acc = x[0] * 0.0
    for i in range(1, N_SAMPLES + 1):
        t = i / 29.0
        s = x[0] * 0.0
        u = x[0] * 0.0
        pw = 1.0        # t^j
        pw_prev = 0.0   # t^(j-1), multiplied by j = 0 at j = 0
        for j in range(n):
            s += x[j] * pw
            u += j * x[j] * pw_prev
            pw_prev = pw
            pw *= t
        r = u - s * s - 1.0
        acc += r * r
    r31 = x[1] - x[0] * x[0] - 1.0
    out[0] = acc + x[0] * x[0] + r31 * r31


def grad(x, p, g):
    n = x.shape[0]
    for j in range(n):
        g[j] = 0.0
    for i in range(1, N_SAMPLES + 1):
        t = i / 29.0
        s = x[0] * 0.0
        u = x[0] * 0.0
        pw = 1.0
        pw_prev = 0.0
        for j in range(n):
            s += x[j] * pw
            u += j * x[j] * pw_prev
            pw_prev = pw
            pw *= t
        r2 = 2.0 * (u - s * s - 1.0)
        pw = 1.0
        pw_prev = 0.0
        for j in range(n):
            g[j] += r2 * (j * pw_prev - 2.0 * s * pw)
            pw_prev = pw
            pw *= t
    r31 = x[1] - x[0] * x[0] - 1.0
    g[0] += 2.0 * x[0] - 4.0 * x[0] * r31
    g[1] += 2.0 * r31


def hess(x, p, H):
    n = x.shape[0]
    w = np.empty((2, n), x.dtype)  # w[0] = a = t^(j-1) powers, w[1] = Jacobian row of r_i
    for j in range(n):
        for k in range(j + 1):
            H[j, k] = 0.0
    for i in range(1, N_SAMPLES + 1):
        t = i / 29.0
        s = x[0] * 0.0
        u = x[0] * 0.0
        pw = 1.0
        pw_prev = 0.0
        for j in range(n):
            s += x[j] * pw
            u += j * x[j] * pw_prev
            pw_prev = pw
            pw *= t
        r = u - s * s - 1.0
        pw = 1.0
        pw_prev = 0.0
        for j in range(n):
            w[0, j] = pw
            w[1, j] = j * pw_prev - 2.0 * s * pw
            pw_prev = pw
            pw *= t
        for j in range(n):
            for k in range(j + 1):
                H[j, k] += 2.0 * (w[1, j] * w[1, k] - 2.0 * r * w[0, j] * w[0, k])
    r31 = x[1] - x[0] * x[0] - 1.0
    H[0, 0] += 2.0 + 8.0 * x[0] * x[0] - 4.0 * r31
    H[1, 0] += -4.0 * x[0]
    H[1, 1] += 2.0
    for j in range(n):
        for k in range(j):
            H[k, j] = H[j, k]


# Minimizers computed for refopt (see the module docstring); f* = f(x*) to double precision
# (refined in 120-digit arithmetic, refopt.oracle), beside the paper's printed values.
_XSTAR = {
    6: [-0.015725086401458456, 1.0124348693691099, -0.2329916259567377, 1.2604300877996084,
        -1.5137289227222797, 0.9929964324311346],
    9: [-1.5307036521394342e-05, 0.9997897039319483, 0.014763963693556958, 0.14634232829936222,
        1.0008211030047092, -2.617731140519015, 4.104403164478857, -3.1436122785564424,
        1.0526264080101668],
    12: [-6.638060464520687e-09, 1.000001644117862, -0.0005639322103423058, 0.34782054050404243,
         -0.15673150409616513, 1.0528151772071777, -3.2472711534596677, 7.288434897938061,
         -10.271848241321724, 9.074113647075317, -4.541375466692512, 1.0120118885528104],
}
_FSTAR = {6: 0.0022876700535524363, 9: 1.39976013809902e-06, 12: 4.722381105891757e-10}
_FSTAR_PRINTED = {6: "2.28767e-3", 9: "1.39976e-6", 12: "4.72238e-10"}

register(
    "watson",
    aliases=("mgh20",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=6, n_allowed=lambda n: 2 <= n <= 31, n_text="2 <= n <= 31",
    m=31,
    x0=lambda n, m: np.zeros(n),
    xstar=lambda n, m: _XSTAR.get(n),
    fstar=lambda n, m: _FSTAR.get(n),
    fstar_literature=_FSTAR_PRINTED,
    formula=("f = sum_{i=1}^{29} [sum_{j=2}^n (j-1) x_j t_i^(j-2) - (sum_{j=1}^n x_j t_i^(j-1))^2 - 1]^2"
             " + x_1^2 + (x_2 - x_1^2 - 1)^2,  t_i = i/29"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 20",
    notes=("f* is given by the paper for n = 6, 9, 12 only (2.28767e-3, 1.39976e-6, 4.72238e-10); "
           "x* for those n was computed for refopt to full double precision (60-digit Newton). "
           "m = 31 is fixed. Very ill-conditioned for large n."),
)
