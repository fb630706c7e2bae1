"""MGH 6 — Jennrich and Sampson function (Moré, Garbow, Hillstrom 1981, problem 6).
n = 2, m ≥ 2 (default m = 10).

Residuals, i = 1..m:
    r_i = 2 + 2 i − (exp(i x1) + exp(i x2)),   f = Σ r_i².

Hand derivation, with a_i = exp(i x1), b_i = exp(i x2): Jacobian row (−i a_i, −i b_i),
∇²r_i = diag(−i² a_i, −i² b_i) (no mixed term). Hence
    ∂f/∂x1 = −2 Σ i a_i r_i,            ∂f/∂x2 = −2 Σ i b_i r_i,
    H11 = 2 Σ i² a_i (a_i − r_i),       H22 = 2 Σ i² b_i (b_i − r_i),     H12 = 2 Σ i² a_i b_i.

x0 = (0.3, 0.4). For m = 10, f* = 124.362 at x1 = x2 = 0.2578 (MGH). By the x1 ↔ x2 symmetry the
minimizer lies on the diagonal; solving d/dt f(t, t) = 0 to 50 digits (mpmath, scratch script)
gives t = 0.25782521367036407685..., f = 124.36218235561485351...; x* is given for m = 10 only.
The exponentials overflow for large i·x: keep m·x modest (m = 10 is the standard choice).
Formula checked against MINPACK's ssqfcn (its problem 13) and NLSProblems.jl mgh06.
"""
import numpy as np

from ..registry import register

T_STAR_M10 = 0.25782521367036407685218917572473


def f(x, p, out):
    m = int(p[0])
    s = x[0] * 0.0
    for i in range(1, m + 1):
        r = 2.0 + 2.0 * i - (np.exp(i * x[0]) + np.exp(i * x[1]))
        s += r * r
    out[0] = s


def grad(x, p, g):
    m = int(p[0])
    s1 = x[0] * 0.0
    s2 = x[0] * 0.0
    for i in range(1, m + 1):
        a = np.exp(i * x[0])
        b = np.exp(i * x[1])
        r = 2.0 + 2.0 * i - (a + b)
        s1 += i * a * r
        s2 += i * b * r
    g[0] = -2.0 * s1
    g[1] = -2.0 * s2


def hess(x, p, H):
    m = int(p[0])
    h11 = x[0] * 0.0
    h12 = x[0] * 0.0
    h22 = x[0] * 0.0
    for i in range(1, m + 1):
        a = np.exp(i * x[0])
        b = np.exp(i * x[1])
        r = 2.0 + 2.0 * i - (a + b)
        ii = float(i * i)
        h11 += ii * a * (a - r)
        h22 += ii * b * (b - r)
        h12 += ii * a * b
    H[0, 0] = 2.0 * h11
    H[0, 1] = 2.0 * h12
    H[1, 0] = 2.0 * h12
    H[1, 1] = 2.0 * h22


register(
    "jennrich_sampson",
    aliases=("mgh06",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=2, m=10,
    m_allowed=lambda n, m: m >= 2, m_text="any m >= n = 2 (default 10)",
    x0=[0.3, 0.4],
    xstar=lambda n, m: [T_STAR_M10, T_STAR_M10] if m == 10 else None,
    fstar=lambda n, m: 124.36218235561485 if m == 10 else None,
    fstar_literature="124.362",
    formula="f = sum_{i=1..m} (2 + 2 i - (exp(i x1) + exp(i x2)))^2",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 6; Jennrich & Sampson (1968)",
    notes="f* = 124.362 (MGH) and x* = (0.2578252136703641, 0.2578252136703641) computed here "
          "are for m = 10 only; other m have no literature value.",
)
