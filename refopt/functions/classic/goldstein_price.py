"""Goldstein-Price function, n = 2.

Source: A. A. Goldstein and J. F. Price (1971), "On descent from local minima", Mathematics of
Computation 25(115), 569-574; domain and minimum as in Surjanovic & Bingham (VLSE) and Dixon &
Szegö (1978).

    u = x + y + 1,     P = 19 - 14 x + 3 x^2 - 14 y + 6 x y + 3 y^2,     A = 1 + u^2 P,
    v = 2 x - 3 y,     Q = 18 - 32 x + 12 x^2 + 48 y - 36 x y + 27 y^2,  B = 30 + v^2 Q,
    f(x, y) = A B.

Derivatives (by hand). Partials of the pieces:
    u_x = u_y = 1;   P_x = P_y = -14 + 6 x + 6 y;   P_xx = P_xy = P_yy = 6;
    v_x = 2, v_y = -3;   Q_x = -32 + 24 x - 36 y;   Q_y = 48 - 36 x + 54 y;
    Q_xx = 24, Q_xy = -36, Q_yy = 54.
    A_k  = 2 u P + u^2 P_k                                  (k = x, y)
    A_kl = 2 P + 2 u (P_k + P_l) + u^2 P_kl
    B_k  = 2 v v_k Q + v^2 Q_k
    B_kl = 2 v_k v_l Q + 2 v (v_k Q_l + v_l Q_k) + v^2 Q_kl
Product rule: f_k = A_k B + A B_k;  f_kl = A_kl B + A_k B_l + A_l B_k + A B_kl.
Domain [-2, 2]^2; f* = 3 at x* = (0, -1). Other local minima, all exact (checked with mpmath):
(-0.6, -0.4) f = 30, (1.8, 0.2) f = 84, (1.2, 0.8) f = 840.
Traps: at least one public Python port writes 3 y^2 for the 3 x^2 term of P; a Scilab snippet
duplicates terms and squares y inside (2 x - 3 y). VLSE also lists a rescaled logarithmic form
(a different function).

x0: the literature gives none; refopt uses (0, 0) (f = 600, gradient (720, 720), not
stationary).
"""
from ..registry import register


def f(x, p, out):
    a = x[0]
    b = x[1]
    u = a + b + 1.0
    v = 2.0 * a - 3.0 * b
    P = 19.0 - 14.0 * a + 3.0 * a * a - 14.0 * b + 6.0 * a * b + 3.0 * b * b
    Q = 18.0 - 32.0 * a + 12.0 * a * a + 48.0 * b - 36.0 * a * b + 27.0 * b * b
    out[0] = (1.0 + u * u * P) * (30.0 + v * v * Q)


def grad(x, p, g):
    a = x[0]
    b = x[1]
    u = a + b + 1.0
    v = 2.0 * a - 3.0 * b
    P = 19.0 - 14.0 * a + 3.0 * a * a - 14.0 * b + 6.0 * a * b + 3.0 * b * b
    Q = 18.0 - 32.0 * a + 12.0 * a * a + 48.0 * b - 36.0 * a * b + 27.0 * b * b
    Pk = -14.0 + 6.0 * a + 6.0 * b          # P_x = P_y
    Qx = -32.0 + 24.0 * a - 36.0 * b
    Qy = 48.0 - 36.0 * a + 54.0 * b
    A = 1.0 + u * u * P
    B = 30.0 + v * v * Q
    Ak = 2.0 * u * P + u * u * Pk           # A_x = A_y
    Bx = 4.0 * v * Q + v * v * Qx
    By = -6.0 * v * Q + v * v * Qy
    g[0] = Ak * B + A * Bx
    g[1] = Ak * B + A * By


def hess(x, p, H):
    a = x[0]
    b = x[1]
    u = a + b + 1.0
    v = 2.0 * a - 3.0 * b
    P = 19.0 - 14.0 * a + 3.0 * a * a - 14.0 * b + 6.0 * a * b + 3.0 * b * b
    Q = 18.0 - 32.0 * a + 12.0 * a * a + 48.0 * b - 36.0 * a * b + 27.0 * b * b
    Pk = -14.0 + 6.0 * a + 6.0 * b
    Qx = -32.0 + 24.0 * a - 36.0 * b
    Qy = 48.0 - 36.0 * a + 54.0 * b
    A = 1.0 + u * u * P
    B = 30.0 + v * v * Q
    Ak = 2.0 * u * P + u * u * Pk
    Bx = 4.0 * v * Q + v * v * Qx
    By = -6.0 * v * Q + v * v * Qy
    # second derivatives of A: all three equal, 2P + 4u P_k + 6u^2
    Akl = 2.0 * P + 4.0 * u * Pk + 6.0 * u * u
    # second derivatives of B (v_x = 2, v_y = -3)
    Bxx = 8.0 * Q + 8.0 * v * Qx + 24.0 * v * v
    Bxy = -12.0 * Q + 2.0 * v * (2.0 * Qy - 3.0 * Qx) - 36.0 * v * v
    Byy = 18.0 * Q - 12.0 * v * Qy + 54.0 * v * v
    hxy = Akl * B + Ak * By + Ak * Bx + A * Bxy
    H[0, 0] = Akl * B + 2.0 * Ak * Bx + A * Bxx
    H[0, 1] = hxy
    H[1, 0] = hxy
    H[1, 1] = Akl * B + 2.0 * Ak * By + A * Byy


register(
    "goldstein_price",
    f=f, grad=grad, hess=hess,
    n=2,
    x0=[0.0, 0.0], xstar=[0.0, -1.0], fstar=3.0,
    bounds=(-2.0, 2.0),
    formula="f = [1 + (x1 + x2 + 1)^2 (19 - 14 x1 + 3 x1^2 - 14 x2 + 6 x1 x2 + 3 x2^2)] "
            "* [30 + (2 x1 - 3 x2)^2 (18 - 32 x1 + 12 x1^2 + 48 x2 - 36 x1 x2 + 27 x2^2)]",
    source="Goldstein & Price (1971), Math. Comp. 25(115), 569-574; Dixon & Szego (1978); "
           "Surjanovic & Bingham, VLSE",
    local_minima=({"x": (-0.6, -0.4), "f": 30.0}, {"x": (1.8, 0.2), "f": 84.0}, {"x": (1.2, 0.8), "f": 840.0}),
    notes="local_minima lists the three non-global minima as records with x and f, all exact. x0 is "
          "not part of the usual definition: refopt uses (0, 0).",
)
