"""MGH 27 — Brown almost-linear function (Moré, Garbow, Hillstrom 1981, problem 27).
Any n >= 1 (default 10), m = n.

Residuals, with S = Σ_j x_j and P = Π_j x_j:

    r_i = x_i + S − (n + 1),   1 <= i < n;        r_n = P − 1;        f = Σ_i r_i².

Hand-derived derivatives. Write q_j = Π_{l≠j} x_l = ∂P/∂x_j and Q_jk = Π_{l≠j,k} x_l =
∂²P/∂x_j∂x_k (j ≠ k; ∂²P/∂x_j² = 0). The first n − 1 residuals are linear with gradient
e_i + 1 (all-ones vector), so with R = Σ_{i<n} r_i:

    ∂f/∂x_k = 2 ([k < n] r_k + R) + 2 (P − 1) q_k,
    ∂²f/∂x_j∂x_k = 2 (L_jk + q_j q_k + (P − 1) Q_jk),
    L_jk = Σ_{i<n} (δ_ij + 1)(δ_ik + 1) = δ_jk [j < n] + [j < n] + [k < n] + (n − 1).

q and Q are formed from prefix/suffix products (never by division, so zeros in x are exact):
q_j = (Π_{l<j} x_l)(Π_{l>j} x_l) and, for j < k, Q_jk = (Π_{l<j} x_l)(Π_{j<l<k} x_l)(Π_{l>k} x_l)
with the middle product carried along k. f and ∇f are O(n) with no work array (∇f keeps the
prefix products in g); the Hessian is O(n²) with no work array either: q waits in the last row
of H (rows j < n − 1 fill only their upper part, the lower triangle is mirrored at the end) and
each row first holds its middle products Π_{j<l<k} x_l, then is finished right to left while
the suffix product Π_{l>k} x_l is carried.

x0 = (1/2, …, 1/2). f* = 0 at x* = (1, …, 1); more generally f = 0 at (α, …, α, α^{1−n}) with
n αⁿ − (n+1) α^{n−1} + 1 = 0. The paper also lists f = 1 at (0, …, 0, n + 1) (local_minima).
Checked for refopt: that point is stationary only for n >= 3; for n = 3 the Hessian there is
indefinite (a saddle), for n >= 4 it is positive semidefinite and singular.
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    S = x[0] * 0.0
    P = x[0] * 0.0 + 1.0
    for j in range(n):
        S += x[j]
        P *= x[j]
    K = S - (n + 1.0)
    acc = x[0] * 0.0
    for i in range(n - 1):
        r = x[i] + K
        acc += r * r
    rn = P - 1.0
    out[0] = acc + rn * rn


def grad(x, p, g):
    n = x.shape[0]
    S = x[0] * 0.0
    S1 = x[0] * 0.0          # Σ_{i<n} x_i (the first n − 1 coordinates)
    P = x[0] * 0.0 + 1.0     # running prefix product, stored in g
    for j in range(n):
        g[j] = P
        P *= x[j]
        S += x[j]
        if j < n - 1:
            S1 += x[j]
    K = S - (n + 1.0)
    R = S1 + (n - 1) * K     # Σ_{i<n} r_i
    rn2 = 2.0 * (P - 1.0)
    suf = x[0] * 0.0 + 1.0
    for j in range(n - 1, -1, -1):
        q = g[j] * suf
        lin = R
        if j < n - 1:
            lin = R + x[j] + K
        g[j] = 2.0 * lin + rn2 * q
        suf *= x[j]


def hess(x, p, H):
    n = x.shape[0]
    # q_j = Π_{l≠j} x_l, parked in the last row (rows j < n−1 below only write H[j, k >= j]).
    P = x[0] * 0.0 + 1.0
    for j in range(n):
        H[n - 1, j] = P                  # Π_{l<j} x_l
        P *= x[j]
    suf = x[0] * 0.0 + 1.0
    for j in range(n - 1, -1, -1):
        H[n - 1, j] = H[n - 1, j] * suf  # times Π_{l>j} x_l
        suf *= x[j]
    rn = P - 1.0
    pre = x[0] * 0.0 + 1.0               # Π_{l<j} x_l for the current row j
    for j in range(n):
        qj = H[n - 1, j]
        lj = 1.0 if j < n - 1 else 0.0
        mid = x[0] * 0.0 + 1.0
        for k in range(j + 1, n):        # H[j, k] <- Π_{j<l<k} x_l
            H[j, k] = mid
            mid *= x[k]
        suf = x[0] * 0.0 + 1.0
        for k in range(n - 1, j, -1):    # Q_jk = Π_{l<j} x_l · Π_{j<l<k} x_l · Π_{l>k} x_l
            lk = 1.0 if k < n - 1 else 0.0
            Q = pre * H[j, k] * suf
            H[j, k] = 2.0 * ((n - 1.0) + lj + lk + qj * H[n - 1, k] + rn * Q)
            suf *= x[k]
        H[j, j] = 2.0 * ((n - 1.0) + 3.0 * lj + qj * qj)
        pre *= x[j]
    for j in range(n):
        for k in range(j):
            H[j, k] = H[k, j]


register(
    "brown_almost_linear",
    aliases=("mgh27",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n,
    x0=lambda n, m: np.full(n, 0.5),
    xstar=lambda n, m: np.ones(n), fstar=0.0,
    local_minima=({"f": 1.0, "x": None, "note": "at (0, ..., 0, n + 1); stationary for n >= 3"},),
    formula=("f = sum_{i=1}^{n-1} (x_i + sum_{j=1}^n x_j - (n+1))^2 + (prod_{j=1}^n x_j - 1)^2"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 27",
    notes=("m = n. f = 0 also at (a,...,a,a^(1-n)) with n a^n - (n+1) a^(n-1) + 1 = 0; "
           "local_minima: f = 1 at (0,...,0,n+1), as listed by the paper (stationary for n >= 3; "
           "a saddle for n = 3, singular PSD Hessian for n >= 4)."),
)
