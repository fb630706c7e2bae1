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

from ..registry import register

Y = np.array([
    0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
    0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
    0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406,
])
M = 33


def f(x, p, out):
    s = x[0] * 0.0
    for i in range(M):
        t = 10.0 * i
        r = Y[i] - (x[0] + x[1] * np.exp(-t * x[3]) + x[2] * np.exp(-t * x[4]))
        s += r * r
    out[0] = s


def grad(x, p, g):
    s1 = x[0] * 0.0
    s2 = x[0] * 0.0
    s3 = x[0] * 0.0
    s4 = x[0] * 0.0
    s5 = x[0] * 0.0
    for i in range(M):
        t = 10.0 * i
        E = np.exp(-t * x[3])
        F = np.exp(-t * x[4])
        r = Y[i] - (x[0] + x[1] * E + x[2] * F)
        s1 -= r
        s2 += -E * r
        s3 += -F * r
        s4 += t * x[1] * E * r
        s5 += t * x[2] * F * r
    g[0] = 2.0 * s1
    g[1] = 2.0 * s2
    g[2] = 2.0 * s3
    g[3] = 2.0 * s4
    g[4] = 2.0 * s5


def hess(x, p, H):
    # One pass over the residuals fills the Jacobian J (row i = ∇r_i) and the lower triangle
    # of S = Σ_i r_i ∇²r_i; then H = 2 (JᵀJ + S), the outer products ∇r_i ∇r_iᵀ added to S
    # residual by residual.
    J = np.empty((M, 5), x.dtype)
    S = np.zeros((5, 5), x.dtype)
    for i in range(M):
        t = 10.0 * i
        E = np.exp(-t * x[3])
        F = np.exp(-t * x[4])
        r = Y[i] - (x[0] + x[1] * E + x[2] * F)
        J[i, 0] = -1.0
        J[i, 1] = -E
        J[i, 2] = -F
        J[i, 3] = t * x[1] * E
        J[i, 4] = t * x[2] * F
        S[3, 1] += r * t * E
        S[3, 3] -= r * t * t * x[1] * E
        S[4, 2] += r * t * F
        S[4, 4] -= r * t * t * x[2] * F
    for j in range(5):
        for k in range(j + 1):
            H[j, k] = S[j, k]
    for i in range(M):
        for j in range(5):
            for k in range(j + 1):
                H[j, k] += J[i, j] * J[i, k]
    for j in range(5):
        for k in range(j + 1):
            H[j, k] *= 2.0
            H[k, j] = H[j, k]


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
