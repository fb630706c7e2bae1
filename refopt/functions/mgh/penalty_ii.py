"""MGH 24 — Penalty function II (Moré, Garbow, Hillstrom 1981, problem 24). Any n >= 1, m = 2n.

Residuals, with a = 1e−5, y_i = exp(i/10) + exp((i−1)/10) and E_j = exp(x_j/10):

    r_1      = x_1 − 0.2,
    r_i      = √a (E_i + E_{i−1} − y_i),                  2 <= i <= n,
    r_i      = √a (E_{i−n+1} − exp(−1/10)),                n <  i <  2n,
    r_{2n}   = (Σ_{j=1}^n (n − j + 1) x_j²) − 1;
    f = Σ_{i=1}^{2n} r_i².

Hand-derived derivatives. Write q_i = E_i + E_{i−1} − y_i, h_i = E_i − exp(−1/10) (2 <= i <= n),
w_j = n − j + 1 and ρ = Σ_j w_j x_j² − 1, and use dE_j/dx_j = E_j/10, d²E_j/dx_j² = E_j/100:

    ∂f/∂x_k = 2 (x_1 − 0.2) δ_k1 + (a/5) E_k (q_k [k >= 2] + q_{k+1} [k < n] + h_k [k >= 2])
              + 4 ρ w_k x_k,
    ∂²f/∂x_j∂x_k = 8 w_j w_k x_j x_k + δ_jk 4 ρ w_j + 2 δ_j1 δ_k1 + T_jk,

where T (from the exponential residuals, (a/50)·(∇q∇qᵀ + q∇²q) etc.) is tridiagonal:

    T_kk     = (a/50) [ (E_k² + q_k E_k) + (E_k² + h_k E_k) ] [k >= 2] + (a/50) (E_k² + q_{k+1} E_k) [k < n],
    T_{k,k−1} = T_{k−1,k} = (a/50) E_k E_{k−1}                 (2 <= k <= n).

O(n) for f and ∇f, O(n²) for the Hessian (rank one + diagonal + tridiagonal), no work arrays.
x0 = (1/2, …, 1/2). The paper gives f* = 9.37629e−6 (n = 4) and 2.93660e−4 (n = 10) without
minimizers; refopt's x* for those n were computed for this library (least squares from many
starts, then Newton in 60-digit arithmetic until ‖∇f‖ < 1e−60): f(x*) = 9.3762930073554e−6 and
2.9366053745675e−4.
"""
import numpy as np

from ..registry import register

A = 1e-5                  # the penalty weight a
EXP_M01 = np.exp(-0.1)    # exp(-1/10)


def f(x, p, out):
    n = x.shape[0]
    r1 = x[0] - 0.2
    rho = x[0] * 0.0 - 1.0
    for j in range(n):
        rho += (n - j) * x[j] * x[j]
    acc = x[0] * 0.0
    e_prev = np.exp(x[0] / 10.0)
    for k in range(1, n):   # 0-based k = paper's i - 1, i = 2..n
        e = np.exp(x[k] / 10.0)
        q = e + e_prev - (np.exp((k + 1) / 10.0) + np.exp(k / 10.0))
        h = e - EXP_M01
        acc += q * q + h * h
        e_prev = e
    out[0] = r1 * r1 + A * acc + rho * rho


def grad(x, p, g):
    n = x.shape[0]
    rho = x[0] * 0.0 - 1.0
    for j in range(n):
        rho += (n - j) * x[j] * x[j]
    for k in range(n):
        g[k] = 4.0 * rho * (n - k) * x[k]
    g[0] += 2.0 * (x[0] - 0.2)
    c = A / 5.0  # 2a * (1/10)
    e_prev = np.exp(x[0] / 10.0)
    for k in range(1, n):
        e = np.exp(x[k] / 10.0)
        q = e + e_prev - (np.exp((k + 1) / 10.0) + np.exp(k / 10.0))
        h = e - EXP_M01
        g[k] += c * e * (q + h)
        g[k - 1] += c * e_prev * q
        e_prev = e


def hess(x, p, H):
    n = x.shape[0]
    rho = x[0] * 0.0 - 1.0
    for j in range(n):
        rho += (n - j) * x[j] * x[j]
    for j in range(n):
        vj = 8.0 * (n - j) * x[j]
        for k in range(j):
            v = vj * (n - k) * x[k]
            H[j, k] = v
            H[k, j] = v
        H[j, j] = vj * (n - j) * x[j] + 4.0 * rho * (n - j)
    H[0, 0] += 2.0
    c = A / 50.0  # 2a * (1/100)
    e_prev = np.exp(x[0] / 10.0)
    for k in range(1, n):
        e = np.exp(x[k] / 10.0)
        q = e + e_prev - (np.exp((k + 1) / 10.0) + np.exp(k / 10.0))
        h = e - EXP_M01
        H[k, k] += c * e * (2.0 * e + q + h)
        H[k - 1, k - 1] += c * e_prev * (e_prev + q)
        v = H[k, k - 1] + c * e * e_prev
        H[k, k - 1] = v
        H[k - 1, k] = v
        e_prev = e


# Minimizers computed for refopt (see the module docstring); f* = f(x*) to double precision
# (refined in 120-digit arithmetic, refopt.oracle), beside the paper's printed values.
_XSTAR = {
    4: [0.1999993333503804, 0.19131670099277245, 0.48010148533262315, 0.5188454043902005],
    10: [0.1999836051978236, 0.010350648471292297, 0.019604934480438402, 0.03208906722068565,
         0.049932677399641294, 0.07651399515399361, 0.11862407286950417, 0.19214487233557667,
         0.34732058694184365, 0.3691643741593508],
}
_FSTAR = {4: 9.376293007355442e-06, 10: 0.00029366053745674594}
_FSTAR_PRINTED = {4: "9.37629e-6", 10: "2.93660e-4"}

register(
    "penalty_ii",
    aliases=("mgh24",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=4, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=8, m_default=lambda n: 2 * n,
    x0=lambda n, m: np.full(n, 0.5),
    xstar=lambda n, m: _XSTAR.get(n),
    fstar=lambda n, m: _FSTAR.get(n),
    fstar_literature=_FSTAR_PRINTED,
    formula=("f = (x_1 - 0.2)^2 + 1e-5 sum_{i=2}^n (exp(x_i/10) + exp(x_{i-1}/10) - y_i)^2"
             " + 1e-5 sum_{i=2}^n (exp(x_i/10) - exp(-1/10))^2 + (sum_{j=1}^n (n-j+1) x_j^2 - 1)^2,"
             "  y_i = exp(i/10) + exp((i-1)/10)"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 24",
    notes=("m = 2n. f* from the paper for n = 4 and 10 only; x* for those n computed for refopt "
           "(60-digit Newton). For n = 1 only r_1 and r_2 = x_1^2 - 1 remain."),
)
