"""MGH 17 — Osborne 1 function (Moré, Garbow, Hillstrom 1981, problem 17; Osborne 1972).

n = 5, m = 33.

    t_i = 10 (i − 1),   r_i(x) = y_i − (x1 + x2 exp(−t_i x4) + x3 exp(−t_i x5)),
    f = Σ_{i=1}^{33} r_i²,

with the 33 data y_i of the paper (0.844, 0.908, ..., 0.406; table Y below).
x0 = (0.5, 1.5, −1, 0.01, 0.02); f* = 5.46489e−5 (x* ≈ (0.3754, 1.9358, −1.4647, 0.01287,
0.02212), refined here to full precision).

Derivatives (by hand). With E_i = exp(−t_i x4), F_i = exp(−t_i x5):

    ∇r_i = −(1, E_i, F_i, −t_i x2 E_i, −t_i x3 F_i)
    ∇²r_i: (2,4) = (4,2) = t_i E_i, (4,4) = −t_i² x2 E_i,
           (3,5) = (5,3) = t_i F_i, (5,5) = −t_i² x3 F_i, every other entry 0,

and f = rᵀr, ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ_i r_i ∇²r_i).
"""
import numpy as np
from numba import njit

from ..least_squares import ls_hessian
from ..registry import register

Y = np.array([
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
    0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
    0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406,
])
M = 33


@njit(cache=True)
def _eval(x, g, J, S):
    """One pass over the 33 residuals; returns f = Σ r_i².

    Also fills what is asked for (pass None for what is not wanted):
      g (5)      ← ∇f = 2 Σ_i r_i ∇r_i  (= 2 Jᵀr, accumulated without storing J);
      J (33, 5)  ← the Jacobian, row i = ∇r_i;
      S (5, 5)   ← Σ_i r_i ∇²r_i, so that ∇²f = 2 (JᵀJ + S).
    Numba compiles one version per pattern of None arguments and drops the `is None` tests
    at compile time: f and grad pay nothing for the outputs they do not ask for.
    """
    ssq = x[0] * 0.0
    s24 = x[0] * 0.0
    s44 = x[0] * 0.0
    s35 = x[0] * 0.0
    s55 = x[0] * 0.0
    if g is not None:
        for j in range(5):
            g[j] = x[0] * 0.0
    for i in range(M):
        t = 10.0 * i
        E = np.exp(-t * x[3])
        F = np.exp(-t * x[4])
        r = Y[i] - (x[0] + x[1] * E + x[2] * F)
        ssq += r * r
        if g is None and J is None:
            continue  # f only: no derivatives
        dr1 = -1.0
        dr2 = -E
        dr3 = -F
        dr4 = t * x[1] * E
        dr5 = t * x[2] * F
        if g is not None:
            g[0] += dr1 * r
            g[1] += dr2 * r
            g[2] += dr3 * r
            g[3] += dr4 * r
            g[4] += dr5 * r
        if J is not None:
            J[i, 0] = dr1
            J[i, 1] = dr2
            J[i, 2] = dr3
            J[i, 3] = dr4
            J[i, 4] = dr5
        if S is not None:
            s24 += r * t * E
            s44 -= r * t * t * x[1] * E
            s35 += r * t * F
            s55 -= r * t * t * x[2] * F
    if g is not None:
        g *= 2.0
    if S is not None:
        S[:, :] = 0.0
        S[1, 3] = s24
        S[3, 1] = s24
        S[3, 3] = s44
        S[2, 4] = s35
        S[4, 2] = s35
        S[4, 4] = s55
    return ssq


def f(x, p, out):
    out[0] = _eval(x, None, None, None)


def grad(x, p, g):
    _eval(x, g, None, None)


def hess(x, p, H):
    J = np.empty((M, 5), x.dtype)
    S = np.empty((5, 5), x.dtype)
    _eval(x, None, J, S)
    ls_hessian(J, S, H)


# x* refined by Newton iterations on the hand-derived Hessian from the published point
# (|grad f(x*)| ~ 1e-14); f(x*) = 5.4648946975e-5.
XSTAR = [0.37541005210695205, 1.9358469127123674, -1.464687136613423, 0.012867534640057288,
         0.02212269966167261]

register(
    "osborne_1",
    aliases=("mgh17",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=5, m=33,
    x0=[0.5, 1.5, -1.0, 0.01, 0.02],
    xstar=XSTAR, fstar=5.464894697482907e-05, fstar_literature="5.46489e-5",
    formula="f = sum_{i=1}^{33} (y_i - (x1 + x2 exp(-t_i x4) + x3 exp(-t_i x5)))^2, t_i = 10(i-1)",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 17; Osborne (1972)",
    notes="x* was refined by a tight least-squares solve from the published point.",
)
