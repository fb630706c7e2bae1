"""Symbolic definitions of the 35 Moré–Garbow–Hillstrom problems (ACM TOMS 7(1), 1981).

Each returns the residuals r_1..r_m of f = Σ r_i², written from the paper's formulas and data
tables (x_j is ``x[j - 1]``, t_i and y_i as in the paper). Where the paper leaves a detail to the
implementer (Helical valley at x1 = 0) the convention of MINPACK's ``ssqfcn`` is used and said.
"""
from __future__ import annotations

from .symbolic import dec, define


@define("mgh_rosenbrock", least_squares=True)
def rosenbrock(S, x, n, m):
    return [10 * (x[1] - x[0] ** 2), 1 - x[0]]


@define("freudenstein_roth", least_squares=True)
def freudenstein_roth(S, x, n, m):
    x1, x2 = x
    return [-13 + x1 + ((5 - x2) * x2 - 2) * x2, -29 + x1 + ((x2 + 1) * x2 - 14) * x2]


@define("powell_badly_scaled", least_squares=True)
def powell_badly_scaled(S, x, n, m):
    x1, x2 = x
    return [10**4 * x1 * x2 - 1, S.exp(-x1) + S.exp(-x2) - dec(S, "1.0001")]


@define("brown_badly_scaled", least_squares=True)
def brown_badly_scaled(S, x, n, m):
    x1, x2 = x
    return [x1 - 10**6, x2 - 2 * S.Rational(1, 10**6), x1 * x2 - 2]


@define("mgh_beale", least_squares=True)
def beale(S, x, n, m):
    y = [dec(S, "1.5"), dec(S, "2.25"), dec(S, "2.625")]
    return [y[i - 1] - x[0] * (1 - x[1] ** i) for i in range(1, 4)]


@define("jennrich_sampson", least_squares=True)
def jennrich_sampson(S, x, n, m):
    return [2 + 2 * i - (S.exp(i * x[0]) + S.exp(i * x[1])) for i in range(1, m + 1)]


@define("helical_valley", least_squares=True)
def helical_valley(S, x, n, m):
    x1, x2, x3 = x
    two_pi = 2 * S.pi
    # θ = arctan(x2/x1)/(2π) (+1/2 for x1 < 0); on x1 = 0 MINPACK takes the limits from x1 > 0,
    # ±1/4, written here as the same analytic function without the division by x1.
    theta = S.Piecewise(
        (S.atan(x2 / x1) / two_pi, x1 > 0),
        (S.atan(x2 / x1) / two_pi + S.Rational(1, 2), x1 < 0),
        (S.Rational(1, 4) - S.atan(x1 / x2) / two_pi, x2 > 0),
        (-S.Rational(1, 4) - S.atan(x1 / x2) / two_pi, x2 < 0),
    )
    return [10 * (x3 - 10 * theta), 10 * (S.sqrt(x1**2 + x2**2) - 1), x3]


BARD_Y = "0.14 0.18 0.22 0.25 0.29 0.32 0.35 0.39 0.37 0.58 0.73 0.96 1.34 2.10 4.39".split()


@define("bard", least_squares=True)
def bard(S, x, n, m):
    out = []
    for i in range(1, 16):
        u, v = i, 16 - i
        w = min(u, v)
        out.append(dec(S, BARD_Y[i - 1]) - (x[0] + u / (v * x[1] + w * x[2])))
    return out


GAUSSIAN_Y = "0.0009 0.0044 0.0175 0.0540 0.1295 0.2420 0.3521 0.3989".split()


@define("gaussian", least_squares=True)
def gaussian(S, x, n, m):
    y = GAUSSIAN_Y + GAUSSIAN_Y[-2::-1]  # y_{16-i} = y_i
    out = []
    for i in range(1, 16):
        t = S.Rational(8 - i, 2)
        out.append(x[0] * S.exp(-x[1] * (t - x[2]) ** 2 / 2) - dec(S, y[i - 1]))
    return out


MEYER_Y = ("34780 28610 23650 19630 16370 13720 11540 9744 8261 7030 6005 5147 4427 3820 3307 "
           "2872").split()


@define("meyer", least_squares=True)
def meyer(S, x, n, m):
    return [x[0] * S.exp(x[1] / (45 + 5 * i + x[2])) - dec(S, MEYER_Y[i - 1]) for i in range(1, 17)]


@define("gulf_research_development", least_squares=True)
def gulf_research_development(S, x, n, m):
    out = []
    for i in range(1, m + 1):
        t = S.Rational(i, 100)
        y = 25 + (-50 * S.log(t)) ** S.Rational(2, 3)
        d = y - x[1]
        a = S.Piecewise((d, d > 0), (-d, d < 0))  # |y_i − x2|; no value at the kink d = 0
        out.append(S.exp(-(a ** x[2]) / x[0]) - t)
    return out


@define("box_3d", least_squares=True)
def box_3d(S, x, n, m):
    out = []
    for i in range(1, m + 1):
        t = S.Rational(i, 10)
        out.append(S.exp(-t * x[0]) - S.exp(-t * x[1]) - x[2] * (S.exp(-t) - S.exp(-10 * t)))
    return out


def _powell_block(S, a, b, c, d):
    return [a + 10 * b, S.sqrt(5) * (c - d), (b - 2 * c) ** 2, S.sqrt(10) * (a - d) ** 2]


@define("powell_singular", least_squares=True)
def powell_singular(S, x, n, m):
    return _powell_block(S, *x)


@define("wood", least_squares=True)
def wood(S, x, n, m):
    x1, x2, x3, x4 = x
    return [10 * (x2 - x1**2), 1 - x1, S.sqrt(90) * (x4 - x3**2), 1 - x3,
            S.sqrt(10) * (x2 + x4 - 2), (x2 - x4) / S.sqrt(10)]


KOWALIK_Y = "0.1957 0.1947 0.1735 0.1600 0.0844 0.0627 0.0456 0.0342 0.0323 0.0235 0.0246".split()
KOWALIK_U = "4 2 1 0.5 0.25 0.167 0.125 0.1 0.0833 0.0714 0.0625".split()


@define("kowalik_osborne", least_squares=True)
def kowalik_osborne(S, x, n, m):
    out = []
    for yi, ui in zip(KOWALIK_Y, KOWALIK_U):
        u = dec(S, ui)
        out.append(dec(S, yi) - x[0] * (u**2 + u * x[1]) / (u**2 + u * x[2] + x[3]))
    return out


@define("brown_dennis", least_squares=True)
def brown_dennis(S, x, n, m):
    out = []
    for i in range(1, m + 1):
        t = S.Rational(i, 5)
        out.append((x[0] + t * x[1] - S.exp(t)) ** 2 + (x[2] + x[3] * S.sin(t) - S.cos(t)) ** 2)
    return out


OSBORNE1_Y = ("0.844 0.908 0.932 0.936 0.925 0.908 0.881 0.850 0.818 0.784 0.751 0.718 0.685 0.658 "
              "0.628 0.603 0.580 0.558 0.538 0.522 0.506 0.490 0.478 0.467 0.457 0.448 0.438 0.431 "
              "0.424 0.420 0.414 0.411 0.406").split()


@define("osborne_1", least_squares=True)
def osborne_1(S, x, n, m):
    out = []
    for i in range(1, 34):
        t = 10 * (i - 1)
        model = x[0] + x[1] * S.exp(-t * x[3]) + x[2] * S.exp(-t * x[4])
        out.append(dec(S, OSBORNE1_Y[i - 1]) - model)
    return out


@define("biggs_exp6", least_squares=True)
def biggs_exp6(S, x, n, m):
    out = []
    for i in range(1, m + 1):
        t = S.Rational(i, 10)
        y = S.exp(-t) - 5 * S.exp(-10 * t) + 3 * S.exp(-4 * t)
        out.append(x[2] * S.exp(-t * x[0]) - x[3] * S.exp(-t * x[1]) + x[5] * S.exp(-t * x[4]) - y)
    return out


OSBORNE2_Y = ("1.366 1.191 1.112 1.013 0.991 0.885 0.831 0.847 0.786 0.725 0.746 0.679 0.608 0.655 "
              "0.616 0.606 0.602 0.626 0.651 0.724 0.649 0.649 0.694 0.644 0.624 0.661 0.612 0.558 "
              "0.533 0.495 0.500 0.423 0.395 0.375 0.372 0.391 0.396 0.405 0.428 0.429 0.523 0.562 "
              "0.607 0.653 0.672 0.708 0.633 0.668 0.645 0.632 0.591 0.559 0.597 0.625 0.739 0.710 "
              "0.729 0.720 0.636 0.581 0.428 0.292 0.162 0.098 0.054").split()


@define("osborne_2", least_squares=True)
def osborne_2(S, x, n, m):
    out = []
    for i in range(1, 66):
        t = S.Rational(i - 1, 10)
        model = (x[0] * S.exp(-t * x[4]) + x[1] * S.exp(-((t - x[8]) ** 2) * x[5])
                 + x[2] * S.exp(-((t - x[9]) ** 2) * x[6]) + x[3] * S.exp(-((t - x[10]) ** 2) * x[7]))
        out.append(dec(S, OSBORNE2_Y[i - 1]) - model)
    return out


@define("watson", least_squares=True)
def watson(S, x, n, m):
    out = []
    for i in range(1, 30):
        t = S.Rational(i, 29)
        s1 = S.Add(*[(j - 1) * x[j - 1] * t ** (j - 2) for j in range(2, n + 1)])
        s2 = S.Add(*[x[j - 1] * t ** (j - 1) for j in range(1, n + 1)])
        out.append(s1 - s2**2 - 1)
    return out + [x[0], x[1] - x[0] ** 2 - 1]


@define("extended_rosenbrock", least_squares=True)
def extended_rosenbrock(S, x, n, m):
    out = []
    for i in range(0, n, 2):
        out += [10 * (x[i + 1] - x[i] ** 2), 1 - x[i]]
    return out


@define("extended_powell_singular", least_squares=True)
def extended_powell_singular(S, x, n, m):
    out = []
    for i in range(0, n, 4):
        out += _powell_block(S, *x[i:i + 4])
    return out


@define("penalty_i", least_squares=True)
def penalty_i(S, x, n, m):
    a = S.Rational(1, 10**5)
    return [S.sqrt(a) * (xi - 1) for xi in x] + [S.Add(*[xi**2 for xi in x]) - S.Rational(1, 4)]


@define("penalty_ii", least_squares=True)
def penalty_ii(S, x, n, m):
    a = S.Rational(1, 10**5)
    out = [x[0] - S.Rational(1, 5)]
    for i in range(2, n + 1):
        y = S.exp(S.Rational(i, 10)) + S.exp(S.Rational(i - 1, 10))
        out.append(S.sqrt(a) * (S.exp(x[i - 1] / 10) + S.exp(x[i - 2] / 10) - y))
    for i in range(n + 1, 2 * n):
        out.append(S.sqrt(a) * (S.exp(x[i - n] / 10) - S.exp(-S.Rational(1, 10))))
    out.append(S.Add(*[(n - j + 1) * x[j - 1] ** 2 for j in range(1, n + 1)]) - 1)
    return out


@define("variably_dimensioned", least_squares=True)
def variably_dimensioned(S, x, n, m):
    s = S.Add(*[j * (x[j - 1] - 1) for j in range(1, n + 1)])
    return [xi - 1 for xi in x] + [s, s**2]


@define("trigonometric", least_squares=True)
def trigonometric(S, x, n, m):
    c = S.Add(*[S.cos(xj) for xj in x])
    return [n - c + i * (1 - S.cos(x[i - 1])) - S.sin(x[i - 1]) for i in range(1, n + 1)]


@define("brown_almost_linear", least_squares=True)
def brown_almost_linear(S, x, n, m):
    s = S.Add(*x)
    prod = S.Mul(*x)
    return [x[i - 1] + s - (n + 1) for i in range(1, n)] + [prod - 1]


def _padded(x):
    return [0] + list(x) + [0]  # x_0 = x_{n+1} = 0


@define("discrete_boundary_value", least_squares=True)
def discrete_boundary_value(S, x, n, m):
    h = S.Rational(1, n + 1)
    z = _padded(x)
    return [2 * z[i] - z[i - 1] - z[i + 1] + h**2 * (z[i] + i * h + 1) ** 3 / 2 for i in range(1, n + 1)]


@define("discrete_integral_equation", least_squares=True)
def discrete_integral_equation(S, x, n, m):
    h = S.Rational(1, n + 1)
    t = [j * h for j in range(n + 2)]
    cube = [None] + [(x[j - 1] + t[j] + 1) ** 3 for j in range(1, n + 1)]
    out = []
    for i in range(1, n + 1):
        below = S.Add(*[t[j] * cube[j] for j in range(1, i + 1)])
        above = S.Add(*[(1 - t[j]) * cube[j] for j in range(i + 1, n + 1)])
        out.append(x[i - 1] + h * ((1 - t[i]) * below + t[i] * above) / 2)
    return out


@define("broyden_tridiagonal", least_squares=True)
def broyden_tridiagonal(S, x, n, m):
    z = _padded(x)
    return [(3 - 2 * z[i]) * z[i] - z[i - 1] - 2 * z[i + 1] + 1 for i in range(1, n + 1)]


@define("broyden_banded", least_squares=True)
def broyden_banded(S, x, n, m):
    ml, mu = 5, 1
    out = []
    for i in range(1, n + 1):
        band = [j for j in range(max(1, i - ml), min(n, i + mu) + 1) if j != i]
        s = S.Add(*[x[j - 1] * (1 + x[j - 1]) for j in band])
        out.append(x[i - 1] * (2 + 5 * x[i - 1] ** 2) + 1 - s)
    return out


@define("linear_full_rank", least_squares=True)
def linear_full_rank(S, x, n, m):
    s = S.Add(*x)
    return [(x[i - 1] if i <= n else 0) - S.Rational(2, m) * s - 1 for i in range(1, m + 1)]


@define("linear_rank1", least_squares=True)
def linear_rank1(S, x, n, m):
    s = S.Add(*[j * x[j - 1] for j in range(1, n + 1)])
    return [i * s - 1 for i in range(1, m + 1)]


@define("linear_rank1_zero_cols_rows", least_squares=True)
def linear_rank1_zero_cols_rows(S, x, n, m):
    s = S.Add(*[j * x[j - 1] for j in range(2, n)])
    return [S.Integer(-1)] + [(i - 1) * s - 1 for i in range(2, m)] + [S.Integer(-1)]


@define("chebyquad", least_squares=True)
def chebyquad(S, x, n, m):
    # shifted Chebyshev polynomials T_i(2x − 1) by their recurrence; ∫_0^1 T_i(2t − 1) dt is 0
    # for odd i and −1/(i² − 1) for even i
    sums = [S.Integer(0)] * (m + 1)
    for xj in x:
        u = 2 * xj - 1
        prev, cur = S.Integer(1), u
        for i in range(1, m + 1):
            sums[i] += cur
            prev, cur = cur, 2 * u * cur - prev
    out = []
    for i in range(1, m + 1):
        integral = 0 if i % 2 else -S.Rational(1, i * i - 1)
        out.append(sums[i] / n - integral)
    return out
