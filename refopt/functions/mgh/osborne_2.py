"""MGH 19 — Osborne 2 function (Moré, Garbow, Hillstrom 1981, problem 19; Osborne 1972).

n = 11, m = 65.

    t_i = (i − 1) / 10,
    r_i(x) = y_i − ( x1 exp(−t_i x5) + x2 exp(−(t_i − x9)² x6)
                     + x3 exp(−(t_i − x10)² x7) + x4 exp(−(t_i − x11)² x8) ),
    f = Σ_{i=1}^{65} r_i²,

with the 65 data y_i of the paper (1.366, 1.191, ..., 0.054; table Y below).
x0 = (1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5); f* = 4.01377e−2 (x* ≈ (1.3100,
0.43155, 0.63366, 0.59943, 0.75418, 0.90429, 1.3658, 4.8237, 2.3987, 4.5689, 5.6753),
refined here to full precision).

Trap: one public Julia port has sign errors in this residual (it writes y_i − x1 e^{..} + x2 e^{..}
..., i.e. flips the signs of some model terms); every term of the model enters with the same sign,
as above, and the residual is data minus model. Derived here from the paper and checked against
the MINPACK-test data of two independent ports.

Derivatives (by hand). Write the model q = x1 E + Σ_{k=1}^{3} a_k G_k with E = exp(−t x5), and
for the three Gaussian terms amplitude a_k = x_{1+k}, width w_k = x_{5+k}, centre c_k = x_{8+k},
δ_k = t − c_k, G_k = exp(−w_k δ_k²). Then r = y − q, ∇r = −∇q, ∇²r = −∇²q with

    ∂q/∂x1 = E,  ∂q/∂x5 = −t x1 E;  ∂²q/∂x1∂x5 = −t E,  ∂²q/∂x5² = t² x1 E;
    ∂q/∂a = G,   ∂q/∂w = −a δ² G,   ∂q/∂c = 2 a w δ G;
    ∂²q/∂a∂w = −δ² G,  ∂²q/∂a∂c = 2 w δ G,  ∂²q/∂w² = a δ⁴ G,
    ∂²q/∂w∂c = 2 a δ G (1 − w δ²),  ∂²q/∂c² = 2 a w G (2 w δ² − 1),  ∂²q/∂a² = 0,

(all per k; different k do not mix), and f = rᵀr, ∇f = 2Jᵀr, ∇²f = 2(JᵀJ + Σ_i r_i ∇²r_i).
"""
import numpy as np

from ..registry import register

Y = np.array([
    1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725,
    0.746, 0.679, 0.608, 0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724,
    0.649, 0.649, 0.694, 0.644, 0.624, 0.661, 0.612, 0.558, 0.533, 0.495,
    0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429,
    0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632,
    0.591, 0.559, 0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581,
    0.428, 0.292, 0.162, 0.098, 0.054,
])
M = 65


def f(x, p, out):
    s = x[0] * 0.0
    for i in range(M):
        t = i / 10.0
        q = x[0] * np.exp(-t * x[4])
        for k in range(1, 4):
            d = t - x[7 + k]
            q += x[k] * np.exp(-x[4 + k] * d * d)
        r = Y[i] - q
        s += r * r
    out[0] = s


def grad(x, p, g):
    for j in range(11):
        g[j] = x[0] * 0.0
    for i in range(M):
        t = i / 10.0
        E = np.exp(-t * x[4])
        q = x[0] * E
        for k in range(1, 4):
            d = t - x[7 + k]
            q += x[k] * np.exp(-x[4 + k] * d * d)
        r = Y[i] - q
        # ∇r_i = −∇q_i: the exponential term (x1, x5) ...
        g[0] += -E * r
        g[4] += t * x[0] * E * r
        # ... and the three Gaussian terms (amplitude a = x[k], width w = x[4+k], centre x[7+k])
        for k in range(1, 4):
            a = x[k]
            w = x[4 + k]
            d = t - x[7 + k]
            d2 = d * d
            G = np.exp(-w * d2)
            g[k] += -G * r
            g[4 + k] += a * d2 * G * r
            g[7 + k] += -2.0 * a * w * d * G * r
    for j in range(11):
        g[j] *= 2.0


def hess(x, p, H):
    # One pass over the residuals fills the Jacobian J (row i = ∇r_i) and the lower triangle
    # (row index > column index) of S = Σ_i r_i ∇²r_i; then H = 2 (JᵀJ + S), the outer products
    # ∇r_i ∇r_iᵀ added to S residual by residual.
    J = np.empty((M, 11), x.dtype)
    S = np.zeros((11, 11), x.dtype)
    for i in range(M):
        t = i / 10.0
        E = np.exp(-t * x[4])
        q = x[0] * E
        for k in range(1, 4):
            d = t - x[7 + k]
            q += x[k] * np.exp(-x[4 + k] * d * d)
        r = Y[i] - q
        # the exponential term (x1, x5): ∇r_i = −∇q_i, r_i ∇²r_i = −r_i ∇²q_i ...
        J[i, 0] = -E
        J[i, 4] = t * x[0] * E
        S[4, 0] += r * t * E
        S[4, 4] -= r * t * t * x[0] * E
        # ... and the three Gaussian terms (amplitude a, width w, centre c)
        for k in range(1, 4):
            a = x[k]
            w = x[4 + k]
            d = t - x[7 + k]
            d2 = d * d
            G = np.exp(-w * d2)
            ia = k
            iw = 4 + k
            ic = 7 + k
            J[i, ia] = -G
            J[i, iw] = a * d2 * G
            J[i, ic] = -2.0 * a * w * d * G
            S[iw, ia] += r * d2 * G
            S[ic, ia] -= r * 2.0 * w * d * G
            S[iw, iw] -= r * a * d2 * d2 * G
            S[ic, iw] -= r * 2.0 * a * d * G * (1.0 - w * d2)
            S[ic, ic] -= r * 2.0 * a * w * G * (2.0 * w * d2 - 1.0)
    for j in range(11):
        for k in range(j + 1):
            H[j, k] = S[j, k]
    for i in range(M):
        for j in range(11):
            for k in range(j + 1):
                H[j, k] += J[i, j] * J[i, k]
    for j in range(11):
        for k in range(j + 1):
            H[j, k] *= 2.0
            H[k, j] = H[j, k]


# x* refined by Newton iterations on the hand-derived Hessian from the published point
# (|grad f(x*)| ~ 4e-15); f(x*) = 4.0137736294e-2.
XSTAR = [1.3099771546273005, 0.4315537946029889, 0.633661698960724, 0.5994305347859163,
         0.7541832263280113, 0.9042885798596336, 1.3658118352370285, 4.8236988172271555,
         2.3986848661317546, 4.568874597667672, 5.6753414705806415]

register(
    "osborne_2",
    aliases=("mgh19",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=11, m=65,
    x0=[1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5],
    xstar=XSTAR, fstar=0.040137736293547735, fstar_literature="4.01377e-2",
    formula=(
        "f = sum_{i=1}^{65} (y_i - (x1 exp(-t_i x5) + x2 exp(-(t_i - x9)^2 x6) "
        "+ x3 exp(-(t_i - x10)^2 x7) + x4 exp(-(t_i - x11)^2 x8)))^2, t_i = (i-1)/10"
    ),
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 19; Osborne (1972)",
    notes=(
        "Trap: a public Julia port has sign errors in the residual (model terms with flipped "
        "signs); here r_i = y_i - model with all four model terms added. Also seen in ports: "
        "y_18 = 0.625 instead of the paper's 0.626, and t_i = i/10 instead of (i-1)/10. "
        "x* was refined by a tight least-squares solve from the published point."
    ),
)
