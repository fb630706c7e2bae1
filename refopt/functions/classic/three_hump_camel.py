"""Three-hump camel function, n = 2.

Source: F. H. Branin (1972), "Widely convergent method for finding multiple solutions of
simultaneous nonlinear equations", IBM J. Res. Dev. 16(5), 504-522 (as cited by Jamil & Yang
2013); domain and minimum as in Surjanovic & Bingham (VLSE).

    f(x, y) = 2 x^2 - 1.05 x^4 + x^6 / 6 + x y + y^2

Derivatives (by hand):
    df/dx = 4 x - 4.2 x^3 + x^5 + y,     df/dy = x + 2 y,
    d2f/dx2 = 4 - 12.6 x^2 + 5 x^4,      d2f/dxdy = 1,      d2f/dy2 = 2.
Domain [-5, 5]^2; f* = 0 at x* = (0, 0). Two further local minima (computed to 40 digits with
mpmath and rounded) at +-(1.747552345830289, -0.8737761729151444), f = 0.2986384422368598,
and two saddle points between them and the origin.

x0: the literature gives none; refopt uses (1, 1) (gradient (1.8, 3), not stationary).
"""
from ..registry import register


def f(x, p, out):
    a = x[0] * x[0]
    out[0] = 2.0 * a - 1.05 * a * a + a * a * a / 6.0 + x[0] * x[1] + x[1] * x[1]


def grad(x, p, g):
    a = x[0] * x[0]
    g[0] = x[0] * (4.0 - 4.2 * a + a * a) + x[1]
    g[1] = x[0] + 2.0 * x[1]


def hess(x, p, H):
    a = x[0] * x[0]
    H[0, 0] = 4.0 - 12.6 * a + 5.0 * a * a
    H[0, 1] = 1.0
    H[1, 0] = 1.0
    H[1, 1] = 2.0


register(
    "three_hump_camel",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[1.0, 1.0], xstar=[0.0, 0.0], fstar=0.0,
    bounds=(-5.0, 5.0),
    formula="f = 2 x1^2 - 1.05 x1^4 + x1^6/6 + x1 x2 + x2^2",
    source="Branin (1972), IBM J. Res. Dev. 16(5); Jamil & Yang (2013); Surjanovic & Bingham, VLSE",
    local_minima=(
        {"x": (1.747552345830289, -0.8737761729151444), "f": 0.2986384422368598},
        {"x": (-1.747552345830289, 0.8737761729151444), "f": 0.2986384422368598},
    ),
    notes="local_minima lists the two non-global minima as records with x and f. x0 is not part of the "
          "usual definition: refopt uses (1, 1).",
)
