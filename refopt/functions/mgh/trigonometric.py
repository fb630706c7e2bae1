"""MGH 26 — Trigonometric function (Moré, Garbow, Hillstrom 1981, problem 26). Any n >= 1, m = n.

Residuals, for i = 1..n:

    r_i = n − Σ_{j=1}^n cos x_j + i (1 − cos x_i) − sin x_i;        f = Σ_i r_i².

Structure used by the kernels (derived by hand). Write c_j = cos x_j, s_j = sin x_j,
A = n − Σ_j c_j, b_i = i (1 − c_i) − s_i (so r_i = A + b_i), R = Σ_i r_i = nA + Σ_i b_i and
d_i = i s_i − c_i. The Jacobian is rank one plus diagonal and is never formed:

    ∂r_i/∂x_j = s_j + δ_ij d_i,            i.e.  J = 1 sᵀ + diag(d);
    ∂²r_i/∂x_j∂x_k = δ_jk c_j + δ_ij δ_ik (i c_i + s_i).

Hence, with f = Σ r_i², ∇f = 2Jᵀr and ∇²f = 2(JᵀJ + Σ_i r_i ∇²r_i):

    ∂f/∂x_j      = 2 (s_j R + d_j r_j),
    ∂²f/∂x_j∂x_k = 2 (n s_j s_k + s_j d_k + d_j s_k)                          (j ≠ k),
    ∂²f/∂x_j²    = 2 (n s_j² + 2 s_j d_j + d_j² + R c_j + r_j (j c_j + s_j)).

Cost: f and ∇f are O(n), the Hessian O(n²), with at most one work array of size 2n. Every
kernel sums A as Σ_j (1 − c_j) rather than n − Σ_j c_j (no cancellation against n: at n = 100
near x0 this is ~10× more accurate).
- f needs A (a sum over all j) before any r_i is known, so it uses f = Σ_i (b_i − b̄)² + R²/n
  and accumulates the first sum in the same pass with Welford's update (b̄ the running mean; no
  cancellation, the deviations b_i − b̄ do not involve A): one sin and cos per coordinate, no
  work array.
- ∇f and ∇²f need A and R first, then per-coordinate values again: ∇f keeps cos x_j in a work
  n-vector and sin x_j in g itself. ∇²f keeps sin x_j and d_j in a 2×n work array for
  n > SMALL_N (= 4); for n <= SMALL_N the heap allocation would cost about as much as the Hessian (the
  n = 2 benchmark case), so it parks cos x_j on the diagonal and sin x_j in H[j, (j+1) mod n]
  (row j then writes only H[j, k >= j], so later rows find their values intact) and allocates
  nothing. Both branches are checked against complex-step derivatives.

x0 = (1/n, …, 1/n); f* = 0. The paper gives no minimizer. refopt gives x* = 0, which is an exact
zero of every residual (r_i(0) = n − n + 0 − 0) with J(0) = −I nonsingular; it is one of several
global minimizers (x + 2πk, and other zeros), and descent from x0 need not reach it: for n = 10,
Levenberg–Marquardt, BFGS and trust-region Newton from x0 all stop at a local minimum with
f ≈ 2.79506e−5 (checked for refopt).
"""
import numpy as np
from numba import njit

from ..registry import register


def f(x, p, out):
    n = x.shape[0]
    A = x[0] * 0.0    # n − Σ cos x_j, accumulated as Σ (1 − cos x_j)
    sb = x[0] * 0.0   # Σ b_i
    mean = x[0] * 0.0  # running mean of b_i (Welford)
    m2 = x[0] * 0.0   # running Σ (b_i − mean)²
    for j in range(n):
        c = np.cos(x[j])
        b = (j + 1) * (1.0 - c) - np.sin(x[j])
        A += 1.0 - c
        sb += b
        delta = b - mean
        mean += delta / (j + 1)
        m2 += delta * (b - mean)
    R = n * A + sb
    out[0] = m2 + R * R / n


def grad(x, p, g):
    n = x.shape[0]
    cw = np.empty(n, x.dtype)  # cos x_j; g holds sin x_j until the last pass
    A = x[0] * 0.0
    sb = x[0] * 0.0
    for j in range(n):
        c = np.cos(x[j])
        s = np.sin(x[j])
        cw[j] = c
        g[j] = s
        A += 1.0 - c
        sb += (j + 1) * (1.0 - c) - s
    R = n * A + sb
    for j in range(n):
        c = cw[j]
        s = g[j]
        r = A + (j + 1) * (1.0 - c) - s
        g[j] = 2.0 * (s * R + ((j + 1) * s - c) * r)


# Up to SMALL_N a heap allocation per point costs about as much as the Hessian itself (n = 2 is a
# benchmark case), so the small-n Hessian keeps its intermediate values in H instead.
SMALL_N = 4


@njit(cache=True, inline="always")
def _hess_in_place(x, H):
    """n <= SMALL_N: cos x_j waits on the diagonal H[j, j], sin x_j in the slot H[j, (j+1) mod n]."""
    n = x.shape[0]
    if n == 1:  # both would share H[0, 0]; here R = r_1 = 2 (1 − c) − s and d_1 = s − c
        c = np.cos(x[0])
        s = np.sin(x[0])
        r = 2.0 * (1.0 - c) - s
        d = s - c
        H[0, 0] = 2.0 * (s * s + 2.0 * s * d + d * d + r * c + r * (c + s))
        return
    A = x[0] * 0.0
    sb = x[0] * 0.0
    for j in range(n):
        c = np.cos(x[j])
        s = np.sin(x[j])
        H[j, j] = c
        H[j, j + 1 if j + 1 < n else 0] = s
        A += 1.0 - c
        sb += (j + 1) * (1.0 - c) - s
    R = n * A + sb
    for j in range(n):  # row j writes only H[j, k >= j]; rows k > j keep their c_k, s_k intact
        i = j + 1
        c = H[j, j]
        s = H[j, i if i < n else 0]
        d = i * s - c
        r = A + i * (1.0 - c) - s
        for k in range(j + 1, n):
            sk = H[k, k + 1 if k + 1 < n else 0]
            dk = (k + 1) * sk - H[k, k]
            H[j, k] = 2.0 * (n * s * sk + s * dk + d * sk)
        H[j, j] = 2.0 * (n * s * s + 2.0 * s * d + d * d + R * c + r * (i * c + s))
    for j in range(n):
        for k in range(j):
            H[j, k] = H[k, j]


@njit(cache=True, inline="always")
def _hess_work(x, H):
    """n > SMALL_N: a 2×n work array (sin x_j; cos x_j, then d_j) keeps the O(n²) loop contiguous."""
    n = x.shape[0]
    w = np.empty((2, n), x.dtype)
    A = x[0] * 0.0
    sb = x[0] * 0.0
    for j in range(n):
        c = np.cos(x[j])
        s = np.sin(x[j])
        w[0, j] = s
        w[1, j] = c
        A += 1.0 - c
        sb += (j + 1) * (1.0 - c) - s
    R = n * A + sb
    for j in range(n):
        s = w[0, j]
        c = w[1, j]
        i = j + 1
        r = A + i * (1.0 - c) - s
        d = i * s - c
        H[j, j] = 2.0 * (n * s * s + 2.0 * s * d + d * d + R * c + r * (i * c + s))
        w[1, j] = d
    for j in range(n):
        sj = w[0, j]
        dj = w[1, j]
        for k in range(j):
            v = 2.0 * (n * sj * w[0, k] + sj * w[1, k] + dj * w[0, k])
            H[j, k] = v
            H[k, j] = v


def hess(x, p, H):
    if x.shape[0] <= SMALL_N:
        _hess_in_place(x, H)
    else:
        _hess_work(x, H)


register(
    "trigonometric",
    aliases=("mgh26",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n,
    x0=lambda n, m: np.full(n, 1.0 / n),
    xstar=lambda n, m: np.zeros(n), fstar=0.0,
    formula="f = sum_{i=1}^n [n - sum_{j=1}^n cos x_j + i (1 - cos x_i) - sin x_i]^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 26",
    notes=("m = n. The paper gives f* = 0 but no x*; x* = 0 is an exact zero of all residuals "
           "(one of several global minimizers, e.g. 2*pi shifts). From x0, methods may stop at other "
           "zeros or at local minima (n = 10: f ~ 2.79506e-5)."),
)
