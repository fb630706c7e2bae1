"""MGH 32 — Linear function, full rank (Moré, Garbow, Hillstrom 1981, problem 32).

Variable n >= 1 and m >= n (default m = n = 10). With s = Σ_j x_j,

    r_i = x_i − (2/m) s − 1     (1 <= i <= n),
    r_i = −(2/m) s − 1          (n < i <= m),
    f   = Σ_{i=1..m} r_i².

Hand derivation. J = A − (2/m) 1_m 1_nᵀ with A = [I_n; 0]; the residuals are linear, so S = 0.
Since AᵀA = I, Aᵀ1_m = 1_n and 1_mᵀ1_m = m,
    JᵀJ = I − (4/m) 1 1ᵀ + (4/m²) m 1 1ᵀ = I,
i.e. the columns of J are orthonormal. With Σ_i r_i = s − 2 s − m = −(s + m),
    ∂f/∂x_j = 2 (r_j − (2/m) Σ_i r_i) = 2 (r_j + (2/m)(s + m)) = 2 (x_j + 1),
    ∇²f = 2 I.
So f is the quadratic ‖x + 1‖² + (m − n) in disguise: x* = (−1, ..., −1), f* = m − n (as the
paper states). f is evaluated from the residuals (the definition); grad and Hessian use the
simplified exact forms above.

x0 = (1, ..., 1). Default m: the paper leaves m >= n free; the Fortran port of Birgin, Gardenghi,
Martínez and Santos uses n = m = 10 and sets m = n when only n is given — refopt does the same.
"""
import numpy as np

from ..registry import register


def f(x, p, out):
    m = int(p[0])
    n = x.shape[0]
    s = x[0] * 0.0
    for j in range(n):
        s += x[j]
    c = -(2.0 / m) * s - 1.0
    acc = x[0] * 0.0
    for i in range(n):
        r = x[i] + c
        acc += r * r
    acc += (m - n) * (c * c)
    out[0] = acc


def grad(x, p, g):
    for j in range(x.shape[0]):
        g[j] = 2.0 * (x[j] + 1.0)


def hess(x, p, H):
    n = x.shape[0]
    for i in range(n):
        for j in range(n):
            H[i, j] = 0.0
        H[i, i] = 2.0


register(
    "linear_full_rank",
    aliases=("mgh32",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=10, n_allowed=lambda n: n >= 1, n_text="any n >= 1",
    m=10, m_default=lambda n: n, m_allowed=lambda n, m: m >= n, m_text="any m >= n",
    x0=lambda n, m: np.ones(n),
    xstar=lambda n, m: np.full(n, -1.0),
    fstar=lambda n, m: float(m - n),
    formula=("f = sum_{i=1..n} (x_i - (2/m) sum_j x_j - 1)^2 + (m - n) ((2/m) sum_j x_j + 1)^2"),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 32",
    notes=("m >= n free; default m = n (= 10 at the default n), as in the Fortran port of Birgin, "
           "Gardenghi, Martinez and Santos. J has orthonormal columns, so f = |x + 1|^2 + m - n "
           "exactly: Hessian 2 I, x* = -1, f* = m - n."),
)
