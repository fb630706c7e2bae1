"""Six-hump camel-back function, n = 2.

Source: L. C. W. Dixon and G. P. Szegö (1978), "The global optimisation problem: an
introduction", in Towards Global Optimisation 2, North-Holland, 1-15; domain and minima as in
Surjanovic & Bingham (VLSE) and Jamil & Yang (2013).

    f(x, y) = (4 - 2.1 x^2 + x^4 / 3) x^2 + x y + (-4 + 4 y^2) y^2
            = 4 x^2 - 2.1 x^4 + x^6 / 3 + x y - 4 y^2 + 4 y^4

Derivatives (by hand):
    df/dx = 8 x - 8.4 x^3 + 2 x^5 + y,      df/dy = x - 8 y + 16 y^3,
    d2f/dx2 = 8 - 25.2 x^2 + 10 x^4,        d2f/dxdy = 1,        d2f/dy2 = -8 + 48 y^2.
Domain [-3, 3] x [-2, 2]. f is symmetric under (x, y) -> (-x, -y). Six local minima, computed
to 40 digits with mpmath (Newton on the gradient from the published points) and rounded:
    global:  +-( 0.08984201310031806, -0.7126564030207396),  f* = -1.031628453489877
    local:   +-( 1.703606714969981,   -0.7960835686726251),  f  = -0.2154638243837176
    local:   +-( 1.607104752920197,    0.5686514548841314),  f  =  2.104250310311258
refopt's x* is the first global minimizer; its mirror image (-0.08984201310031806,
0.7126564030207396) is the other global minimizer.
Traps: some ports write -2 x^4 for -2.1 x^4; a generated doc page prints x1^0.75 for x1^4/3;
some libraries use the domain [-5, 5]^2.

x0: the literature gives none; refopt uses (1, 1) (gradient (2.6, 9), not stationary).
"""
from ..registry import register


def f(x, p, out):
    a = x[0] * x[0]
    b = x[1] * x[1]
    out[0] = (4.0 - 2.1 * a + a * a / 3.0) * a + x[0] * x[1] + (-4.0 + 4.0 * b) * b


def grad(x, p, g):
    a = x[0] * x[0]
    g[0] = x[0] * (8.0 - 8.4 * a + 2.0 * a * a) + x[1]
    g[1] = x[0] - 8.0 * x[1] + 16.0 * x[1] * x[1] * x[1]


def hess(x, p, H):
    a = x[0] * x[0]
    H[0, 0] = 8.0 - 25.2 * a + 10.0 * a * a
    H[0, 1] = 1.0
    H[1, 0] = 1.0
    H[1, 1] = -8.0 + 48.0 * x[1] * x[1]


register(
    "six_hump_camel",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[1.0, 1.0],
    xstar=[0.08984201310031806, -0.7126564030207396], fstar=-1.0316284534898774, fstar_literature="-1.031628453489877",
    bounds=([-3.0, -2.0], [3.0, 2.0]),
    formula="f = (4 - 2.1 x1^2 + x1^4/3) x1^2 + x1 x2 + (-4 + 4 x2^2) x2^2",
    source="Dixon & Szego (1978), Towards Global Optimisation 2, North-Holland; "
           "Surjanovic & Bingham, VLSE; Jamil & Yang (2013)",
    local_minima=(
        {"x": (1.703606714969981, -0.7960835686726251), "f": -0.2154638243837176},
        {"x": (-1.703606714969981, 0.7960835686726251), "f": -0.2154638243837176},
        {"x": (1.607104752920197, 0.5686514548841314), "f": 2.104250310311258},
        {"x": (-1.607104752920197, -0.5686514548841314), "f": 2.104250310311258},
    ),
    notes="Two global minima, f* = -1.031628453489877: x* = (0.08984201310031806, "
          "-0.7126564030207396) and (-0.08984201310031806, 0.7126564030207396) (computed to full "
          "precision). local_minima lists the four non-global minima as records with x and f. x0 is "
          "not part of the usual definition: refopt uses (1, 1).",
)
