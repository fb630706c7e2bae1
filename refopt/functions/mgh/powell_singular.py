"""MGH 13 — Powell singular function (Moré, Garbow, Hillstrom 1981, problem 13; Powell 1962).

n = 4, m = 4.

    r1 = x1 + 10 x2,   r2 = √5 (x3 − x4),   r3 = (x2 − 2 x3)²,   r4 = √10 (x1 − x4)²
    f = (x1 + 10 x2)² + 5 (x3 − x4)² + (x2 − 2 x3)⁴ + 10 (x1 − x4)⁴.

x0 = (3, −1, 0, 1); f* = 0 at x* = 0, where the Hessian is singular (rank 2: the quartic terms
contribute nothing there), so Newton-type methods converge only linearly.

Derivatives (by hand, closed form). With a = x1 + 10 x2, b = x3 − x4, c = x2 − 2 x3, d = x1 − x4:

    ∇f = (2a + 40 d³,  20a + 4c³,  10b − 8c³,  −10b − 40d³)
    ∇²f = [[2 + 120d²,  20,          0,            −120d²    ],
           [20,         200 + 12c²,  −24c²,         0        ],
           [0,          −24c²,       10 + 48c²,    −10       ],
           [−120d²,     0,           −10,          10 + 120d²]]

The N-variable generalisation is MGH 22 ("extended_powell_singular"); the classic
global-optimization "powell" is a different registration.

The kernels are those of MGH 22 (extended_powell_singular.py), which at n = 4 is exactly this
function: one derivation, registered with MGH 13's metadata.
"""
from .extended_powell_singular import f, grad, hess  # MGH 22 at n = 4: one derivation
from ..registry import register


register(
    "powell_singular",
    aliases=("mgh13",),
    kind="mgh",
    f=f, grad=grad, hess=hess,
    n=4, m=4,
    x0=[3.0, -1.0, 0.0, 1.0],
    xstar=[0.0, 0.0, 0.0, 0.0], fstar=0.0,
    formula="f = (x1 + 10 x2)^2 + 5 (x3 - x4)^2 + (x2 - 2 x3)^4 + 10 (x1 - x4)^4",
    source="More, Garbow, Hillstrom (1981), ACM TOMS 7(1), problem 13; Powell (1962)",
    notes=(
        "The Hessian at x* = 0 is singular (rank 2). Not to be confused with the classic "
        "N-dimensional 'powell' or with MGH 22 'extended_powell_singular'."
    ),
)
