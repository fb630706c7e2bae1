"""Symbolic definitions of the classic global-optimization test functions.

Written from the formulas as usually cited (Surjanovic & Bingham's Virtual Library of Simulation
Experiments; Jamil & Yang, Int. J. Math. Model. Numer. Optim. 4(2), 2013), with refopt's choices
where sources differ: Levy's inner term sin²(πw_i + 1) (VLSE), Schwefel's constant C the decimal
418.9828872724337 (max u sin √u to 16 digits; the literature prints 418.9829).
"""
from __future__ import annotations

from .symbolic import dec, define


def _sum(S, terms):
    return S.Add(*list(terms))


@define("ackley")
def ackley(S, x, n, m):
    a, b, c = 20, S.Rational(1, 5), 2 * S.pi
    r = S.sqrt(_sum(S, (xi**2 for xi in x)) / n)
    return -a * S.exp(-b * r) - S.exp(_sum(S, (S.cos(c * xi) for xi in x)) / n) + a + S.E


@define("beale")
def beale(S, x, n, m):
    x1, x2 = x
    return ((dec(S, "1.5") - x1 + x1 * x2) ** 2 + (dec(S, "2.25") - x1 + x1 * x2**2) ** 2
            + (dec(S, "2.625") - x1 + x1 * x2**3) ** 2)


@define("bohachevsky")
def bohachevsky(S, x, n, m):
    x1, x2 = x
    return (x1**2 + 2 * x2**2 - dec(S, "0.3") * S.cos(3 * S.pi * x1)
            - dec(S, "0.4") * S.cos(4 * S.pi * x2) + dec(S, "0.7"))


@define("booth")
def booth(S, x, n, m):
    x1, x2 = x
    return (x1 + 2 * x2 - 7) ** 2 + (2 * x1 + x2 - 5) ** 2


@define("colville")
def colville(S, x, n, m):
    x1, x2, x3, x4 = x
    return (100 * (x1**2 - x2) ** 2 + (x1 - 1) ** 2 + (x3 - 1) ** 2 + 90 * (x3**2 - x4) ** 2
            + dec(S, "10.1") * ((x2 - 1) ** 2 + (x4 - 1) ** 2) + dec(S, "19.8") * (x2 - 1) * (x4 - 1))


@define("dixon_price")
def dixon_price(S, x, n, m):
    return (x[0] - 1) ** 2 + _sum(S, (i * (2 * x[i - 1] ** 2 - x[i - 2]) ** 2 for i in range(2, n + 1)))


@define("easom")
def easom(S, x, n, m):
    x1, x2 = x
    return -S.cos(x1) * S.cos(x2) * S.exp(-((x1 - S.pi) ** 2) - (x2 - S.pi) ** 2)


@define("goldstein_price")
def goldstein_price(S, x, n, m):
    x1, x2 = x
    a = 1 + (x1 + x2 + 1) ** 2 * (19 - 14 * x1 + 3 * x1**2 - 14 * x2 + 6 * x1 * x2 + 3 * x2**2)
    b = 30 + (2 * x1 - 3 * x2) ** 2 * (18 - 32 * x1 + 12 * x1**2 + 48 * x2 - 36 * x1 * x2 + 27 * x2**2)
    return a * b


@define("griewank")
def griewank(S, x, n, m):
    prod = S.Mul(*[S.cos(x[i - 1] / S.sqrt(i)) for i in range(1, n + 1)])
    return 1 + _sum(S, (xi**2 for xi in x)) / 4000 - prod


@define("himmelblau")
def himmelblau(S, x, n, m):
    x1, x2 = x
    return (x1**2 + x2 - 11) ** 2 + (x1 + x2**2 - 7) ** 2


@define("levy")
def levy(S, x, n, m):
    w = [1 + (xi - 1) / 4 for xi in x]
    pi = S.pi
    inner = _sum(S, ((w[i] - 1) ** 2 * (1 + 10 * S.sin(pi * w[i] + 1) ** 2) for i in range(n - 1)))
    return S.sin(pi * w[0]) ** 2 + inner + (w[-1] - 1) ** 2 * (1 + S.sin(2 * pi * w[-1]) ** 2)


@define("matyas")
def matyas(S, x, n, m):
    x1, x2 = x
    return dec(S, "0.26") * (x1**2 + x2**2) - dec(S, "0.48") * x1 * x2


@define("mccormick")
def mccormick(S, x, n, m):
    x1, x2 = x
    return S.sin(x1 + x2) + (x1 - x2) ** 2 - dec(S, "1.5") * x1 + dec(S, "2.5") * x2 + 1


@define("powell")
def powell(S, x, n, m):
    terms = []
    for k in range(0, n, 4):
        a, b, c, d = x[k:k + 4]
        terms += [(a + 10 * b) ** 2, 5 * (c - d) ** 2, (b - 2 * c) ** 4, 10 * (a - d) ** 4]
    return _sum(S, terms)


@define("rastrigin")
def rastrigin(S, x, n, m):
    return 10 * n + _sum(S, (xi**2 - 10 * S.cos(2 * S.pi * xi) for xi in x))


@define("rosenbrock")
def rosenbrock(S, x, n, m):
    return _sum(S, (100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(n - 1)))


@define("schwefel")
def schwefel(S, x, n, m):
    C = dec(S, "418.9828872724337")
    # √|x|, written by branches so that the kink at x = 0 has no value (and no derivative)
    root = [S.Piecewise((S.sqrt(xi), xi > 0), (S.sqrt(-xi), xi < 0)) for xi in x]
    return C * n - _sum(S, (xi * S.sin(r) for xi, r in zip(x, root)))


@define("six_hump_camel")
def six_hump_camel(S, x, n, m):
    x1, x2 = x
    return (4 - dec(S, "2.1") * x1**2 + x1**4 / 3) * x1**2 + x1 * x2 + (-4 + 4 * x2**2) * x2**2


@define("sphere")
def sphere(S, x, n, m):
    return _sum(S, (xi**2 for xi in x))


@define("styblinski_tang")
def styblinski_tang(S, x, n, m):
    return _sum(S, (xi**4 - 16 * xi**2 + 5 * xi for xi in x)) / 2


@define("three_hump_camel")
def three_hump_camel(S, x, n, m):
    x1, x2 = x
    return 2 * x1**2 - dec(S, "1.05") * x1**4 + x1**6 / 6 + x1 * x2 + x2**2


@define("trid")
def trid(S, x, n, m):
    return _sum(S, ((xi - 1) ** 2 for xi in x)) - _sum(S, (x[i] * x[i - 1] for i in range(1, n)))


@define("zakharov")
def zakharov(S, x, n, m):
    s = _sum(S, (S.Rational(i, 2) * x[i - 1] for i in range(1, n + 1)))
    return _sum(S, (xi**2 for xi in x)) + s**2 + s**4
