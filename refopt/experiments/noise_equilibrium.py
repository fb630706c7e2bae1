r"""Parameter symmetry and the noise equilibrium of SGD: what gradient flow conserves, SGD noise
drives to a unique fixed point.

Liu Ziyin, Mingze Wang, Hongchao Li & Lei Wu (2024), "Parameter symmetry and noise equilibrium of
stochastic gradient descent" (NeurIPS 2024).

**Exponential symmetries.** Let the per-sample loss have the symmetry ℓ(e^{λA}θ, x) = ℓ(θ, x) for
every λ, with A symmetric. Differentiating in λ at λ = 0 gives, for every sample and so for every
mini-batch loss ℓ_B,

    ∇ℓ_B(θ)ᵀ A θ = 0.

Gradient flow θ' = −∇L therefore conserves C(θ) = θᵀAθ (C' = −2∇LᵀAθ = 0). SGD with step η,
θ_{k+1} = θ_k − η ĝ_k with ĝ_k = ∇ℓ_{B_k}(θ_k), changes it by exactly

    C_{k+1} = θ_kᵀAθ_k − 2η ĝ_kᵀAθ_k + η² ĝ_kᵀAĝ_k = C_k + η² ĝ_kᵀ A ĝ_k            (1)

— an identity, not an expansion: it holds at every step, for any batch, to rounding. Averaged over
the batch, with ĝ = ∇L + ξ, E ξ = 0, E ξξᵀ = Σ(θ) (the gradient-noise covariance of the batch),

    E[C_{k+1} − C_k | θ_k] = η² (Tr[A Σ(θ_k)] + ∇Lᵀ A ∇L),

so in the time t = ηk of gradient flow dC/dt = η Tr[AΣ(θ)] + η ∇LᵀA∇L. The first term is the Itô
drift of the SDE dθ = −∇L dt + √η Σ^{1/2} dB_t (Itô's formula: dC = 2θᵀA dθ + η Tr[AΣ] dt, and
θᵀA∇L = 0): the paper's dC/dt = η Tr[AΣ]. The second term is present in full-batch GD as well; it
is the discreteness of the step, not noise, and it vanishes as GD converges (∇L → 0). SGD keeps
moving C until Tr[AΣ(θ)] = 0 — the noise equilibrium, which the paper shows is unique on the
orbit of the symmetry and independent of the initialisation.

**1. The scalar model** f(x) = u·w·x, ℓ = ½(uwx − y)², has the symmetry (u, w) → (e^λ u, e^{−λ} w),
A = diag(1, −1), C = u² − w². Write p = uw and let

    g = ∂ℓ/∂p = (p x − y) x        (the derivative with respect to the product p, not with respect
                                    to the output f = p x: it has the extra factor x)

so that ∂ℓ/∂u = g w and ∂ℓ/∂w = g u. For a batch of B samples g is the batch mean of (p x_i − y_i) x_i.
One SGD step is u⁺ = u − η g w, w⁺ = w − η g u, and

    u⁺² − w⁺² = u² − 2ηg uw + η²g²w² − w² + 2ηg uw − η²g²u² = (u² − w²)(1 − η² g²),

i.e. **C_{t+1} = C_t (1 − η² g_t²)** exactly (equation (1) with ĝ = g·(w, u)), with g_t the value the
step itself used. Data: x ~ N(0, 1), y = p* x + ε, ε ~ N(0, σ²), drawn afresh at every step (online
SGD on the population). Near the minimum p = p*, g = −εx and E g² = σ² E x² = σ², so
C_t ≈ C_0 exp(−η²σ² t): from any start SGD drives u² − w² to 0 at the rate η²σ² per step and ends at
u = ±w = ±√p*. Choices: p* = 0.625, σ = 0.5, η = 0.02, batch 1; the reference start u₀ = 2, w₀ = 0.3
(C₀ = 4 − 0.09 = 3.91) ends at u = w ≈ √0.625 = 0.79. (SGD's mean product sits slightly above p*:
stationarity of p⁺ = p − ηg(u² + w²) + η²g²p gives p − p* ≈ ησ²p/(u² + w²) ≈ 0.0025, so
u = w ≈ 0.792; p fluctuates about it with standard deviation ≈ √(η(u² + w²)σ²/2) ≈ 0.056, so the
last iterate's u = w scatters by ≈ 0.03 and the table also gives means over the last tenth.)

Full-batch GD on the population loss L(p) = ½(p − p*)² + ½σ² (E x² = 1) has G = ∂L/∂p = p − p*
and the same identity: C_T = C_0 Π_t (1 − η² G_t²). G_t → 0 geometrically (factor 1 − η(u² + w²)
per step), so the product converges to a constant close to 1: GD keeps C ≈ 3.91 up to a relative
change Σ_t η²G_t² of order η G_0² / (2(u² + w²)) (≈ 1e-6 from the reference start; ≈ 1e-2 from a
start near the origin, where u² + w² is small and G stays ≈ −p* for a while). That is the discrete-time
effect, and the experiment measures it and holds it to the product above to rounding.

**2. Matrix factorisation** (a deep linear network) f(x) = U W x, W ∈ R^{k×d}, U ∈ R^{d'×k},
ℓ = ½‖UWx − y‖², y = P* x + ε, P* = U*W* of rank k, x ~ N(0, Σx), ε ~ N(0, Σε) independent of x.
For every symmetric B ∈ R^{k×k}, (W, U) → (e^{λB} W, U e^{−λB}) leaves UW unchanged; its A gives
θᵀAθ = Tr(B(WWᵀ − UᵀU)), and since B is any symmetric matrix, gradient flow conserves the k × k matrix

    C = UᵀU − WWᵀ.

With r = UWx − y, the per-sample gradient with respect to the product P = UW is ∂ℓ/∂P = r xᵀ, and
for a batch Ĝ = (1/B) Σ_i r_i x_iᵀ (d' × d). The gradients are ∂ℓ_B/∂U = Ĝ Wᵀ and ∂ℓ_B/∂W = Uᵀ Ĝ, so
U⁺ = U − ηĜWᵀ, W⁺ = W − ηUᵀĜ, and expanding U⁺ᵀU⁺ − W⁺W⁺ᵀ (the terms linear in η cancel) gives the
exact matrix identity

    C_{t+1} = C_t + η² (W ĜᵀĜ Wᵀ − Uᵀ Ĝ Ĝᵀ U),                                       (2)

for one sample W ĜᵀĜ Wᵀ = ‖r‖² (Wx)(Wx)ᵀ and Uᵀ Ĝ Ĝᵀ U = ‖x‖² (Uᵀr)(Uᵀr)ᵀ. (The scalar identity is
the case d = d' = k = 1: Ĝ = g.) **The expected drift near a minimum.** At P = P*, r = −ε, so for
batch 1

    E[ĜᵀĜ] = E[‖ε‖² x xᵀ] = Tr(Σε) Σx,        E[ĜĜᵀ] = E[‖x‖² ε εᵀ] = Tr(Σx) Σε,

and for a batch of B the cross terms E[x_i r_iᵀ r_j x_jᵀ] (i ≠ j) vanish because E ε = 0, so both
carry the same factor 1/B. Hence, where the gradient noise is dominated by the label noise,

    E[C_{t+1} − C_t] ≈ (η²/B) (Tr(Σε) W Σx Wᵀ − Tr(Σx) Uᵀ Σε U),

and the noise equilibrium is

    Tr(Σx) · Uᵀ Σε U = Tr(Σε) · W Σx Wᵀ.                                                (3)

Deriving it here confirmed this form (it is the relation we set out to check), with two precisions:
Σx must be the second moment E[xxᵀ] (the covariance for the centred inputs used here), and the
derivation needs ε independent of x with E ε = 0. (3) fixes the factorisation: on the orbit
(U G⁻¹, G W) of a full-rank P = UW, with S = GᵀG it reads S 𝒜 S = ℬ for 𝒜 = Tr(Σε) WΣxWᵀ and
ℬ = Tr(Σx) UᵀΣεU, whose unique positive-definite solution is
S = 𝒜^{−1/2}(𝒜^{1/2} ℬ 𝒜^{1/2})^{1/2} 𝒜^{−1/2}: one balanced point up to an orthogonal change of basis
of the hidden layer, whatever the start. Special cases:

* isotropic inputs and label noise with d = d' (Σx = I_d, Σε = σ² I_d): Tr(Σx)σ²UᵀU = Tr(Σε)WWᵀ
  with Tr(Σx) = d and Tr(Σε) = dσ², so **UᵀU = WWᵀ**, C → 0 (case "isotropic");
* isotropic but d ≠ d' (case "rectangular", d = 6, d' = 3): d UᵀU = d' WWᵀ, so C does **not** go
  to 0 — UᵀU = ½ WWᵀ here. "UᵀU − WWᵀ → 0 for isotropic inputs" needs d = d' as well;
* anisotropic inputs (case "anisotropic", Σx = diag(4, 2, 1, ½, ¼), Σε = σ² I): UᵀU =
  (d'/Tr Σx) WΣxWᵀ, again not C = 0.

(3) neglects the part of the noise that comes from P − P* (SGD keeps P at a distance of order
√η from P*), so the time-averaged residual of (3) under SGD is O(η), not 0: the full protocol
reruns the anisotropic case at η/2 to show it halving.

In refopt the network is ``MLP([d, k, d'], "linear", bias=False, loss="mse")``: its layer j
computes h @ W_j with W_j of shape (fan_in, fan_out), so **W_0 = Wᵀ (d × k) and W_1 = Uᵀ
(k × d')**, θ = (Wᵀ row-major, Uᵀ row-major) (:func:`to_theta`, :func:`from_theta`); its loss
(1/2N) Σ‖f − y‖² is ℓ averaged. The SGD loop uses the hand-derived gradient of
:func:`factor_gradient` (vectorised over starts), which the tests hold to ``MLP.grad``.

**Measured.** The residual of (3),

    ρ = ‖Tr(Σx) UᵀΣεU − Tr(Σε) WΣxWᵀ‖_F / (‖Tr(Σx) UᵀΣεU‖_F + ‖Tr(Σε) WΣxWᵀ‖_F)   ∈ [0, 1],

and of the naive balance, ρ₀ = ‖UᵀU − WWᵀ‖_F / (‖UᵀU‖_F + ‖WWᵀ‖_F), for SGD on the Gram matrices
averaged over the last quarter of the run (the iterates fluctuate; the prediction is about the
mean) and for full-batch GD at its last iterate. GD runs on the population loss
½Tr((P − P*)Σx(P − P*)ᵀ) + ½Tr Σε, gradient G = (P − P*)Σx, and keeps C up to the drift
η² Σ_t (W GᵀG Wᵀ − UᵀGGᵀU) of identity (2), which the run accumulates and compares.

Choices: d = d' = 5, k = 3 (rectangular: d = 6, d' = 3, k = 2); P* = U*W* with U* ~ N(0, 1/k),
W* ~ N(0, 1/d) entries; label noise σ = 0.5 (Σε = σ² I); η = 0.02, batch 1; starts U₀ = U₁/c,
W₀ = c W₁ with fresh N(0, 1/k), N(0, 1/d) matrices U₁, W₁ and the imbalance c = 2 for even starts,
½ for odd ones. Seeds: everything from ``numpy.random.default_rng([seed, case, …])``.

Protocols: ``quick`` — scalar 100 000 steps, matrix 20 000 steps × 4 starts per case (about 20 s);
full — scalar 200 000 steps, matrix 60 000 steps × 8 starts, plus the anisotropic case at η/2 for
240 000 steps (a minute or two).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import arguments as _a
from ..files import save_figure
from . import write_rows

SUMMARY = ("noise equilibrium of SGD (Ziyin et al. 2024): u²−w² and UᵀU−WWᵀ, conserved by GD, "
           "driven to a unique balance by SGD noise")

EPS = float(np.finfo(float).eps)

SCALAR = dict(eta=0.02, noise=0.5, product=0.625,
              starts=((2.0, 0.3), (0.3, 2.0), (1.5, -0.5), (3.0, 0.05), (0.2, 0.1)))
CASES = {
    "isotropic": dict(d=5, d_out=5, k=3, cov_x=(1.0, 1.0, 1.0, 1.0, 1.0)),
    "anisotropic": dict(d=5, d_out=5, k=3, cov_x=(4.0, 2.0, 1.0, 0.5, 0.25)),
    "rectangular": dict(d=6, d_out=3, k=2, cov_x=(1.0,) * 6),
}
MATRIX = dict(eta=0.02, noise=0.5, imbalance=2.0, average=0.25)
QUICK = dict(scalar_steps=100_000, matrix_steps=20_000, starts=4, half_eta=False)
FULL = dict(scalar_steps=200_000, matrix_steps=60_000, starts=8, half_eta=True)
HISTORY_POINTS = 400


# ---- argument checks -------------------------------------------------------------------------
def _starts(u0, w0):
    u0 = np.atleast_1d(_a.real_array(u0, "u0 (start of u)", min_size=1))
    w0 = np.atleast_1d(_a.real_array(w0, "w0 (start of w)", min_size=1))
    if u0.ndim != 1 or u0.shape != w0.shape:
        raise ValueError(f"u0 and w0 must be numbers or 1-D arrays of one shape; got shapes {u0.shape}, {w0.shape}")
    return u0.copy(), w0.copy()


def _eta(eta):
    return _a.real(eta, "eta (the step size)", low=0.0, low_open=True)


def _every(every, steps):
    every = _a.integer(every, "every", low=1, allow_none=True)
    return max(1, steps // HISTORY_POINTS) if every is None else every


# ---- 1. the scalar model ---------------------------------------------------------------------
def _scalar_step(u, w, g, eta, log_f, sign_f, sum_g2, rounding):
    """u⁺ = u − ηgw, w⁺ = w − ηgu (g = ∂ℓ/∂(uw), sampled or expected), and in place the running
    log|Π(1 − η²g²)|, its sign, Σg² and the rounding scale Σ(u² + w²) of identity C⁺ = C(1 − η²g²)."""
    f = 1.0 - (eta * g) ** 2
    log_f += np.log(np.abs(f))
    sign_f *= np.sign(f)
    sum_g2 += g * g
    rounding += u * u + w * w
    return u - eta * g * w, w - eta * g * u


def _keep(rec, t, u, w):
    """Append step t and copies of u, w to the record (steps, u's, w's)."""
    rec[0].append(t)
    rec[1].append(u.copy())
    rec[2].append(w.copy())


def _scalar_result(method, eta, noise, product, batch, steps, u0, w0, C0, rec, u, w, acc) -> dict:
    """The record of :func:`scalar_sgd` / :func:`scalar_gd` (``acc``: log|Π|, its sign, Σg², Σ(u² + w²))."""
    U, W = np.array(rec[1]), np.array(rec[2])
    log_f, sign_f, sum_g2, rounding = acc
    return dict(method=method, eta=eta, noise=noise, product=product, batch=batch, steps=steps, u0=_copy(u0),
                w0=_copy(w0), C0=C0, step=np.array(rec[0]), u=U, w=W, C=U * U - W * W, u_final=u, w_final=w,
                C_final=u * u - w * w, log_factor=log_f, sign_factor=sign_f, sum_g2=sum_g2, rounding=rounding)


def scalar_sgd(u0, w0, eta: float, steps: int, noise: float, seed: int = 0, product: float = SCALAR["product"],
               batch: int = 1, every: int | None = None, trace: bool = False) -> dict:
    """Online SGD on ℓ = ½(uwx − y)², x ~ N(0, 1), y = product·x + ε, ε ~ N(0, noise²), from the
    starts (u0[i], w0[i]) (numbers or 1-D arrays, each start with its own samples).

    Returns step, u, w, C = u² − w² every ``every`` steps (rows: steps, columns: starts); the final
    u, w; ``log_factor`` and ``sign_factor``: log|Π_t(1 − η²g_t²)| and its sign, accumulated from
    the g_t the steps used; ``sum_g2`` = Σ_t g_t²; ``rounding`` = Σ_t (u_t² + w_t²), the scale of the
    rounding of C over the run. With ``trace``, every step's u_t, w_t (steps + 1 rows) and g_t."""
    u, w = _starts(u0, w0)
    eta = _eta(eta)
    steps = _a.integer(steps, "steps", low=1)
    noise = _a.real(noise, "noise (label noise standard deviation)", low=0.0)
    seed = _a.seed(seed)
    product = _a.real(product, "product (the true u·w)")
    batch = _a.integer(batch, "batch", low=1)
    every = _every(every, steps)
    trace = _a.flag(trace, "trace")
    rng = np.random.default_rng(seed)
    S = u.size
    C0 = u * u - w * w
    rec = ([0], [u.copy()], [w.copy()])
    log_f, sign_f, sum_g2, rounding = np.zeros(S), np.ones(S), np.zeros(S), np.zeros(S)
    if trace:
        tu, tw, tg = np.empty((steps + 1, S)), np.empty((steps + 1, S)), np.empty((steps, S))
        tu[0], tw[0] = u, w
    chunk = 8192
    for start in range(0, steps, chunk):
        n = min(chunk, steps - start)
        X = rng.standard_normal((n, batch, S))
        Y = product * X + noise * rng.standard_normal((n, batch, S))
        for j in range(n):
            x, y = X[j], Y[j]
            g = np.mean((u * w * x - y) * x, axis=0) if batch > 1 else (u * w * x[0] - y[0]) * x[0]
            u, w = _scalar_step(u, w, g, eta, log_f, sign_f, sum_g2, rounding)
            t = start + j + 1
            if trace:
                tu[t], tw[t], tg[t - 1] = u, w, g
            if t % every == 0 or t == steps:
                _keep(rec, t, u, w)
        if not (np.all(np.isfinite(u)) and np.all(np.isfinite(w))):
            raise RuntimeError(f"scalar SGD with eta = {eta:g} diverged before step {start + n}")
    out = _scalar_result("SGD", eta, noise, product, batch, steps, u0, w0, C0, rec, u, w,
                         (log_f, sign_f, sum_g2, rounding))
    if trace:
        out.update(trace_u=tu, trace_w=tw, trace_g=tg)
    return out


def _copy(a):
    return np.atleast_1d(np.array(a, dtype=float))


def scalar_gd(u0, w0, eta: float, steps: int, product: float = SCALAR["product"], every: int | None = None) -> dict:
    """Full-batch GD on the population loss L = ½(uw − product)² + const (x ~ N(0, 1)): G = uw − product,
    u⁺ = u − ηGw, w⁺ = w − ηGu. The same record as :func:`scalar_sgd` (g_t replaced by G_t)."""
    u, w = _starts(u0, w0)
    eta = _eta(eta)
    steps = _a.integer(steps, "steps", low=1)
    product = _a.real(product, "product (the true u·w)")
    every = _every(every, steps)
    S = u.size
    C0 = u * u - w * w
    rec = ([0], [u.copy()], [w.copy()])
    log_f, sign_f, sum_g2, rounding = np.zeros(S), np.ones(S), np.zeros(S), np.zeros(S)
    for t in range(1, steps + 1):
        g = u * w - product
        u, w = _scalar_step(u, w, g, eta, log_f, sign_f, sum_g2, rounding)
        if t % every == 0 or t == steps:
            _keep(rec, t, u, w)
    if not (np.all(np.isfinite(u)) and np.all(np.isfinite(w))):
        raise RuntimeError(f"scalar GD with eta = {eta:g} diverged")
    return _scalar_result("GD", eta, 0.0, product, 0, steps, u0, w0, C0, rec, u, w, (log_f, sign_f, sum_g2, rounding))


def scalar_rows(res: dict) -> list[dict]:
    """One row per start: C_0, the final u, w, C, the mean u and w over the last tenth of the
    recorded steps (``u_late``, ``w_late``), and identity (1) over the whole run —
    C_T against C_0 Π(1 − η²g_t²), the difference in units of ε·Σ_t(u_t² + w_t²) (the rounding
    the run can accumulate: each step rounds C by a few ε(u² + w²), and the factors |1 − η²g²| ≤ 1
    never enlarge earlier errors)."""
    rows = []
    late = res["step"] >= 0.9 * res["steps"]
    for i in range(res["C0"].size):
        pred = res["C0"][i] * res["sign_factor"][i] * np.exp(res["log_factor"][i])
        CT = float(res["C_final"][i])
        rows.append(dict(method=res["method"], start=i, u0=float(res["u0"][i]), w0=float(res["w0"][i]),
                         C0=float(res["C0"][i]), u_final=float(res["u_final"][i]), w_final=float(res["w_final"][i]),
                         u_late=float(np.mean(res["u"][late, i])), w_late=float(np.mean(res["w"][late, i])),
                         C_final=CT, ratio=CT / float(res["C0"][i]), predicted_ratio=float(pred / res["C0"][i]),
                         identity_error=abs(CT - float(pred)) / (EPS * float(res["rounding"][i])),
                         eta2_sum_g2=float(res["eta"] ** 2 * res["sum_g2"][i]),
                         rate=float(-np.log(abs(CT / res["C0"][i])) / res["steps"]) if CT != 0 else float("inf"),
                         predicted_rate=float(res["eta"] ** 2 * res["noise"] ** 2)))
    return rows


# ---- 2. matrix factorisation -------------------------------------------------------------------
def to_theta(U, W) -> np.ndarray:
    """refopt's θ of ``MLP([d, k, d'], "linear", bias=False)`` for f(x) = U W x: (Wᵀ, Uᵀ) row-major."""
    U = _a.real_array(U, "U (d' × k)", ndim=2)
    W = _a.real_array(W, "W (k × d)", ndim=2)
    if U.shape[1] != W.shape[0]:
        raise ValueError(f"U (d' × k) and W (k × d) must share k; got shapes {U.shape} and {W.shape}")
    return np.concatenate([W.T.ravel(), U.T.ravel()])


def from_theta(mlp, theta) -> tuple[np.ndarray, np.ndarray]:
    """(U, W) from the θ of a two-layer linear MLP without bias (the inverse of :func:`to_theta`)."""
    (W0, _), (W1, _) = mlp.unflatten(theta)
    return W1.T.copy(), W0.T.copy()


def factor_gradient(U, W, X, Y):
    """The mean loss (1/2N) Σ_i ‖U W x_i − y_i‖² over the rows of X (N × d), Y (N × d'):
    returns (∂L/∂U, ∂L/∂W, Ĝ) with Ĝ = ∂L/∂P = (1/N) Σ_i r_i x_iᵀ, ∂L/∂U = ĜWᵀ, ∂L/∂W = UᵀĜ.
    Leading axes of U, W, X, Y (the same) are stacks of independent problems."""
    U, W, X, Y = (np.asarray(a, dtype=float) for a in (U, W, X, Y))
    R = X @ np.swapaxes(W, -1, -2) @ np.swapaxes(U, -1, -2) - Y
    G = np.swapaxes(R, -1, -2) @ X / X.shape[-2]
    return G @ np.swapaxes(W, -1, -2), np.swapaxes(U, -1, -2) @ G, G


def balance_grams(U, W, cov_x, cov_noise) -> tuple[np.ndarray, np.ndarray]:
    """(Tr(Σx) UᵀΣεU, Tr(Σε) WΣxWᵀ), the two sides of the equilibrium (3); stacks allowed."""
    cov_x, cov_noise = np.asarray(cov_x, dtype=float), np.asarray(cov_noise, dtype=float)
    Ut = np.swapaxes(U, -1, -2)
    return (np.trace(cov_x) * (Ut @ cov_noise @ U), np.trace(cov_noise) * (W @ cov_x @ np.swapaxes(W, -1, -2)))


def relative_gap(a, b) -> np.ndarray:
    """‖a − b‖_F / (‖a‖_F + ‖b‖_F) over the last two axes (in [0, 1])."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    num = np.linalg.norm(a - b, axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):  # both zero (no label noise): NaN
        return num / (np.linalg.norm(a, axis=(-2, -1)) + np.linalg.norm(b, axis=(-2, -1)))


def balance_residual(U, W, cov_x, cov_noise) -> np.ndarray:
    """ρ of the module docstring: the relative residual of Tr(Σx)UᵀΣεU = Tr(Σε)WΣxWᵀ."""
    return relative_gap(*balance_grams(U, W, cov_x, cov_noise))


def naive_residual(U, W) -> np.ndarray:
    """ρ₀: the relative residual of UᵀU = WWᵀ."""
    U, W = np.asarray(U, dtype=float), np.asarray(W, dtype=float)
    return relative_gap(np.swapaxes(U, -1, -2) @ U, W @ np.swapaxes(W, -1, -2))


def _sym_power(M, power):
    lam, V = np.linalg.eigh((M + M.T) / 2)
    return (V * lam ** power) @ V.T


def balanced_factors(U, W, cov_x, cov_noise) -> tuple[np.ndarray, np.ndarray]:
    """The point (U G⁻¹, G W) of the orbit of P = UW that satisfies (3): G = S^{1/2} with S the
    positive-definite solution of S 𝒜 S = ℬ, 𝒜 = Tr(Σε)WΣxWᵀ, ℬ = Tr(Σx)UᵀΣεU (module docstring).
    One start (U: d' × k, W: k × d, both of rank k)."""
    U = _a.real_array(U, "U (d' × k)", ndim=2)
    W = _a.real_array(W, "W (k × d)", ndim=2)
    B, A = balance_grams(U, W, cov_x, cov_noise)
    Ah, Aih = _sym_power(A, 0.5), _sym_power(A, -0.5)
    S = Aih @ _sym_power(Ah @ B @ Ah, 0.5) @ Aih
    G = _sym_power(S, 0.5)
    return U @ np.linalg.inv(G), G @ W


def _matrix_args(U0, W0, target, cov_x):
    U0 = _a.real_array(U0, "U0 (starts, d' × k)", ndim=3)
    W0 = _a.real_array(W0, "W0 (starts, k × d)", ndim=3)
    target = _a.real_array(target, "target (P*, d' × d)", ndim=2)
    S, dp, k = U0.shape
    if W0.shape[:2] != (S, k):
        raise ValueError(f"W0 (starts, k × d) must have shape ({S}, {k}, d) to match U0 {U0.shape}; got {W0.shape}")
    d = W0.shape[2]
    if target.shape != (dp, d):
        raise ValueError(f"target (P*, d' × d) must have shape ({dp}, {d}); got {target.shape}")
    cov_x = _a.real_array(cov_x, "cov_x (input covariance)", shape=(d, d))
    if not np.allclose(cov_x, cov_x.T) or np.linalg.eigvalsh(cov_x).min() <= 0:
        raise ValueError("cov_x (input covariance) must be symmetric positive definite")
    return U0.copy(), W0.copy(), target, cov_x


def matrix_sgd(U0, W0, target, cov_x, noise: float, eta: float, steps: int, seed: int = 0, batch: int = 1,
               average: float = MATRIX["average"], every: int | None = None, trace: bool = False) -> dict:
    """Online SGD on ℓ = ½‖UWx − y‖², x ~ N(0, cov_x), y = target·x + ε, ε ~ N(0, noise² I), from
    the stacked starts U0 (S × d' × k), W0 (S × k × d), each with its own samples.

    Returns the final U, W; the Gram matrices UᵀU, WWᵀ and the two sides of (3) averaged over the
    last ``average`` fraction of the steps (``mean_*``); ``step``, ``residual`` (ρ) and ``naive``
    (ρ₀) every ``every`` steps. With ``trace``, every step's U_t, W_t and Ĝ_t (memory: steps·S·(…))."""
    U, W, target, cov_x = _matrix_args(U0, W0, target, cov_x)
    noise = _a.real(noise, "noise (label noise standard deviation)", low=0.0)
    eta = _eta(eta)
    steps = _a.integer(steps, "steps", low=1)
    seed = _a.seed(seed)
    batch = _a.integer(batch, "batch", low=1)
    average = _a.real(average, "average (fraction of steps averaged)", low=0.0, high=1.0, low_open=True)
    every = _every(every, steps)
    trace = _a.flag(trace, "trace")
    S, dp, k = U.shape
    d = W.shape[2]
    cov_noise = noise ** 2 * np.eye(dp)
    L = np.linalg.cholesky(cov_x)
    rng = np.random.default_rng(seed)
    first_avg = steps - max(1, int(round(average * steps)))
    sums = dict(UtU=0.0, WWt=0.0, UtSU=0.0, WSWt=0.0)
    n_avg = 0
    rec_t, rec_res, rec_naive = [0], [balance_residual(U, W, cov_x, cov_noise)], [naive_residual(U, W)]
    if trace:
        tU, tW, tG = np.empty((steps + 1, S, dp, k)), np.empty((steps + 1, S, k, d)), np.empty((steps, S, dp, d))
        tU[0], tW[0] = U, W
    PT = target.T
    chunk = 4096
    for start in range(0, steps, chunk):
        n = min(chunk, steps - start)
        X = rng.standard_normal((n, S, batch, d)) @ L.T
        Y = X @ PT + noise * rng.standard_normal((n, S, batch, dp))
        for j in range(n):
            gU, gW, G = factor_gradient(U, W, X[j], Y[j])
            U, W = U - eta * gU, W - eta * gW
            t = start + j + 1
            if trace:
                tU[t], tW[t], tG[t - 1] = U, W, G
            if t > first_avg:
                Ut, Wt = np.swapaxes(U, 1, 2), np.swapaxes(W, 1, 2)
                sums["UtU"] = sums["UtU"] + Ut @ U
                sums["WWt"] = sums["WWt"] + W @ Wt
                sums["UtSU"] = sums["UtSU"] + Ut @ cov_noise @ U
                sums["WSWt"] = sums["WSWt"] + W @ cov_x @ Wt
                n_avg += 1
            if t % every == 0 or t == steps:
                rec_t.append(t)
                rec_res.append(balance_residual(U, W, cov_x, cov_noise))
                rec_naive.append(naive_residual(U, W))
        if not (np.all(np.isfinite(U)) and np.all(np.isfinite(W))):
            raise RuntimeError(f"matrix SGD with eta = {eta:g} diverged before step {start + n}")
    mean = {k: v / n_avg for k, v in sums.items()}
    out = dict(method="SGD", eta=eta, noise=noise, batch=batch, steps=steps, averaged_steps=n_avg, U=U, W=W,
               cov_x=cov_x, cov_noise=cov_noise, target=target, C0=_C(U0, W0), C=_C(U, W),
               mean_UtU=mean["UtU"], mean_WWt=mean["WWt"],
               mean_left=np.trace(cov_x) * mean["UtSU"], mean_right=np.trace(cov_noise) * mean["WSWt"],
               step=np.array(rec_t), residual=np.array(rec_res), naive=np.array(rec_naive))
    if trace:
        out.update(trace_U=tU, trace_W=tW, trace_G=tG)
    return out


def _C(U, W):
    U, W = np.asarray(U, dtype=float), np.asarray(W, dtype=float)
    return np.swapaxes(U, -1, -2) @ U - W @ np.swapaxes(W, -1, -2)


def matrix_gd(U0, W0, target, cov_x, eta: float, steps: int, every: int | None = None, cov_noise=None) -> dict:
    """Full-batch GD on the population loss ½Tr((UW − P*)Σx(UW − P*)ᵀ) + const: G = (UW − P*)Σx,
    U⁺ = U − ηGWᵀ, W⁺ = W − ηUᵀG. Accumulates ``drift`` = η² Σ_t (W GᵀG Wᵀ − UᵀGGᵀU), the change
    of C that identity (2) predicts, and ``rounding`` = Σ_t (‖U_t‖²_F + ‖W_t‖²_F). ``cov_noise``
    (default I; its scale cancels in ρ) is the Σε of the recorded residual ρ of (3)."""
    U, W, target, cov_x = _matrix_args(U0, W0, target, cov_x)
    eta = _eta(eta)
    steps = _a.integer(steps, "steps", low=1)
    every = _every(every, steps)
    dp = U.shape[1]
    eye = np.eye(dp) if cov_noise is None else _a.real_array(cov_noise, "cov_noise (label-noise covariance)",
                                                              shape=(dp, dp))
    drift = np.zeros((U.shape[0], U.shape[2], U.shape[2]))
    rounding = np.zeros(U.shape[0])
    rec_t, rec_res, rec_naive = [0], [balance_residual(U, W, cov_x, eye)], [naive_residual(U, W)]
    for t in range(1, steps + 1):
        G = (U @ W - target) @ cov_x
        Wt, Ut, Gt = np.swapaxes(W, 1, 2), np.swapaxes(U, 1, 2), np.swapaxes(G, 1, 2)
        drift += eta ** 2 * (W @ Gt @ G @ Wt - Ut @ G @ Gt @ U)
        rounding += np.sum(U * U, axis=(1, 2)) + np.sum(W * W, axis=(1, 2))
        U, W = U - eta * G @ Wt, W - eta * Ut @ G
        if t % every == 0 or t == steps:
            rec_t.append(t)
            rec_res.append(balance_residual(U, W, cov_x, eye))
            rec_naive.append(naive_residual(U, W))
    if not (np.all(np.isfinite(U)) and np.all(np.isfinite(W))):
        raise RuntimeError(f"matrix GD with eta = {eta:g} diverged")
    return dict(method="GD", eta=eta, steps=steps, U=U, W=W, cov_x=cov_x, target=target, C0=_C(U0, W0), C=_C(U, W),
                drift=drift, rounding=rounding, step=np.array(rec_t), residual=np.array(rec_res),
                naive=np.array(rec_naive))


def matrix_problem(case: str, starts: int, seed: int = 0) -> dict:
    """The case's P* = U*W*, Σx, and the imbalanced starts of the module docstring."""
    case = _a.choice(case, "case", tuple(CASES))
    starts = _a.integer(starts, "starts", low=1)
    seed = _a.seed(seed)
    spec = CASES[case]
    d, dp, k = spec["d"], spec["d_out"], spec["k"]
    rng = np.random.default_rng([seed, list(CASES).index(case), 1])
    target = (rng.standard_normal((dp, k)) / np.sqrt(k)) @ (rng.standard_normal((k, d)) / np.sqrt(d))
    c = np.where(np.arange(starts) % 2 == 0, MATRIX["imbalance"], 1.0 / MATRIX["imbalance"])[:, None, None]
    U0 = rng.standard_normal((starts, dp, k)) / np.sqrt(k) / c
    W0 = rng.standard_normal((starts, k, d)) / np.sqrt(d) * c
    return dict(case=case, d=d, d_out=dp, k=k, target=target, cov_x=np.diag(np.array(spec["cov_x"], dtype=float)),
                U0=U0, W0=W0)


def matrix_rows(case: str, sgd: dict, gd: dict, label: str | None = None) -> list[dict]:
    """One row per start and method: ρ (SGD: of the averaged Grams; GD: last iterate), ρ at the
    last iterate, ρ₀, ρ₀ at the balanced point of the final UW (:func:`balanced_factors`: what (3)
    predicts for ρ₀), the fit ‖UW − P*‖/‖P*‖, the change of C, and for GD identity (2)'s error."""
    P = sgd["target"]
    rho = relative_gap(sgd["mean_left"], sgd["mean_right"])
    naive = relative_gap(sgd["mean_UtU"], sgd["mean_WWt"])
    rows = []
    for m, res in (("SGD", sgd), ("GD", gd)):
        C0n = np.linalg.norm(res["C0"], axis=(1, 2))
        for i in range(res["U"].shape[0]):
            U, W = res["U"][i], res["W"][i]
            row = dict(case=label or case, method=m, eta=res["eta"], steps=res["steps"], start=i,
                       residual=float(rho[i]) if m == "SGD" else float(res["residual"][-1, i]),
                       residual_last=float(res["residual"][-1, i]),
                       naive=float(naive[i]) if m == "SGD" else float(res["naive"][-1, i]),
                       naive_predicted=float(naive_residual(*balanced_factors(U, W, sgd["cov_x"], sgd["cov_noise"]))),
                       naive_start=float(res["naive"][0, i]), residual_start=float(res["residual"][0, i]),
                       fit=float(np.linalg.norm(U @ W - P) / np.linalg.norm(P)),
                       C_change=float(np.linalg.norm(res["C"][i] - res["C0"][i]) / C0n[i]))
            if m == "GD":
                row["identity_error"] = float(np.max(np.abs(res["C"][i] - res["C0"][i] - res["drift"][i]))
                                              / (EPS * res["rounding"][i]))
                row["predicted_change"] = float(np.linalg.norm(res["drift"][i]) / C0n[i])
            else:
                row["identity_error"] = float("nan")
                row["predicted_change"] = float("nan")
            rows.append(row)
    return rows


# ---- the experiment ----------------------------------------------------------------------------
def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    quick = _a.flag(quick, "quick")
    seed = _a.seed(seed)
    _a.function(progress, "progress", allow_none=True)
    proto = QUICK if quick else FULL

    def say(text):
        if progress is not None:
            progress(f"noise-equilibrium: {text}")

    u0 = np.array([s[0] for s in SCALAR["starts"]])
    w0 = np.array([s[1] for s in SCALAR["starts"]])
    T = proto["scalar_steps"]
    say(f"scalar model, SGD and GD, {len(u0)} starts, {T} steps")
    sgd = scalar_sgd(u0, w0, SCALAR["eta"], T, SCALAR["noise"], seed=int(np.random.default_rng([seed, 0]).integers(2**31)),
                     product=SCALAR["product"])
    gd = scalar_gd(u0, w0, SCALAR["eta"], T, product=SCALAR["product"])
    out = dict(quick=quick, seed=seed, proto=dict(proto), scalar=dict(sgd=sgd, gd=gd, rows=scalar_rows(sgd) + scalar_rows(gd)),
               matrix={})
    runs = [(case, case, MATRIX["eta"], proto["matrix_steps"]) for case in CASES]
    if proto["half_eta"]:
        runs.append(("anisotropic", "anisotropic, eta/2", MATRIX["eta"] / 2, 4 * proto["matrix_steps"]))
    for case, label, eta, steps in runs:
        prob = matrix_problem(case, proto["starts"], seed)
        say(f"matrix case {label}: SGD and GD, {proto['starts']} starts, {steps} steps")
        noise_seed = int(np.random.default_rng([seed, list(CASES).index(case), 2, int(round(1e6 * eta))]).integers(2**31))
        s = matrix_sgd(prob["U0"], prob["W0"], prob["target"], prob["cov_x"], MATRIX["noise"], eta, steps,
                       seed=noise_seed)
        g = matrix_gd(prob["U0"], prob["W0"], prob["target"], prob["cov_x"], eta, steps, cov_noise=s["cov_noise"])
        out["matrix"][label] = dict(problem=prob, sgd=s, gd=g, rows=matrix_rows(case, s, g, label))
    return out


def _median(rows, key, **match):
    vals = [r[key] for r in rows if all(r[k] == v for k, v in match.items())]
    return float(np.median(vals)), float(np.min(vals)), float(np.max(vals))


def table(data: dict) -> str:
    sc = data["scalar"]
    lines = [f"noise equilibrium of SGD ({'quick' if data['quick'] else 'full'} protocol, seed {data['seed']})",
             "",
             f"1. scalar f = u·w·x: x ~ N(0,1), y = {SCALAR['product']:g}·x + N(0, {SCALAR['noise']:g}²), "
             f"eta = {SCALAR['eta']:g}, batch 1, {sc['sgd']['steps']} steps; C = u² − w²",
             f"   identity C_T = C_0·Π(1 − η²g_t²): error in units of ε·Σ_t(u_t²+w_t²); "
             f"SGD rate −ln|C_T/C_0|/T against η²σ² = {SCALAR['eta'] ** 2 * SCALAR['noise'] ** 2:.3g}; "
             f"√p* = {np.sqrt(SCALAR['product']):.4f}",
             f"   ū, w̄: means over the last tenth of the run",
             f"{'method':>6} {'u0':>6} {'w0':>6} {'C0':>8} {'u_T':>8} {'w_T':>8} {'ū':>7} {'w̄':>7} {'C_T':>10} "
             f"{'C_T/C_0':>11} {'Π(1−η²g²)':>11} {'id.err':>7} {'−ln|C_T/C_0|/T':>15}"]
    for r in sc["rows"]:
        lines.append(f"{r['method']:>6} {r['u0']:>6.2f} {r['w0']:>6.2f} {r['C0']:>8.4f} {r['u_final']:>8.4f} "
                     f"{r['w_final']:>8.4f} {r['u_late']:>7.4f} {r['w_late']:>7.4f} {r['C_final']:>10.3g} "
                     f"{r['ratio']:>11.6g} {r['predicted_ratio']:>11.6g} {r['identity_error']:>7.2g} {r['rate']:>15.3g}")
    lines += ["",
              f"2. matrix factorisation f = U W x, label noise σ = {MATRIX['noise']:g}, batch 1; "
              "ρ: residual of Tr(Σx)UᵀΣεU = Tr(Σε)WΣxWᵀ (SGD: Grams averaged over the last quarter;",
              "   GD: last iterate); ρ₀: residual of UᵀU = WWᵀ (ρ₀ pred.: at the balanced point of the final UW); fit ‖UW − P*‖/‖P*‖; ΔC: ‖C_T − C_0‖/‖C_0‖ "
              "(GD: predicted by identity (2); id.err in units of ε·Σ_t(‖U‖²+‖W‖²))",
              "   median [min, max] over the starts",
              f"{'case':>20} {'method':>6} {'eta':>6} {'steps':>7} {'ρ start':>8} {'ρ':>22} {'ρ₀':>22} {'ρ₀ pred.':>8} {'fit':>7} "
              f"{'ΔC':>9} {'ΔC pred.':>9} {'id.err':>7}"]
    for label, m in data["matrix"].items():
        for meth in ("SGD", "GD"):
            rows = [r for r in m["rows"] if r["method"] == meth]
            rho = _median(rows, "residual")
            rho0 = _median(rows, "naive")
            rho0p = _median(rows, "naive_predicted")[0]
            start = _median(rows, "residual_start")[0]
            fit = _median(rows, "fit")[0]
            dc = _median(rows, "C_change")[0]
            dcp = _median(rows, "predicted_change")[0] if meth == "GD" else float("nan")
            ie = max(r["identity_error"] for r in rows) if meth == "GD" else float("nan")
            lines.append(f"{label:>20} {meth:>6} {rows[0]['eta']:>6g} {rows[0]['steps']:>7d} {start:>8.3f} "
                         f"{rho[0]:>8.3f} [{rho[1]:.3f},{rho[2]:.3f}] {rho0[0]:>8.3f} [{rho0[1]:.3f},{rho0[2]:.3f}] {rho0p:>8.3f} "
                         f"{fit:>7.3f} {dc:>9.3g} {dcp:>9.3g} {ie:>7.2g}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    sc = data["scalar"]
    paths = [write_rows(out / "noise_equilibrium_scalar.csv", sc["rows"])]
    hist = []
    for res in (sc["sgd"], sc["gd"]):
        for i in range(res["C0"].size):
            hist += [dict(method=res["method"], start=i, step=int(t), u=float(u), w=float(w), C=float(c))
                     for t, u, w, c in zip(res["step"], res["u"][:, i], res["w"][:, i], res["C"][:, i])]
    paths.append(write_rows(out / "noise_equilibrium_scalar_history.csv", hist))
    paths.append(write_rows(out / "noise_equilibrium_matrix.csv",
                            [r for m in data["matrix"].values() for r in m["rows"]]))
    hist = []
    for label, m in data["matrix"].items():
        for res in (m["sgd"], m["gd"]):
            for i in range(res["U"].shape[0]):
                hist += [dict(case=label, method=res["method"], start=i, step=int(t), residual=float(a), naive=float(b))
                         for t, a, b in zip(res["step"], res["residual"][:, i], res["naive"][:, i])]
    paths.append(write_rows(out / "noise_equilibrium_matrix_history.csv", hist))

    # figure 1: the scalar model
    fig, axes = plt.subplots(1, 2, figsize=(13, 5.0))
    sgd, gd = sc["sgd"], sc["gd"]
    for i in range(sgd["C0"].size):
        color = f"C{i}"
        lab = f"(u₀, w₀) = ({sgd['u0'][i]:g}, {sgd['w0'][i]:g})"
        axes[0].semilogy(sgd["step"], np.abs(sgd["C"][:, i]), color=color, lw=1.2, label=lab)
        axes[0].semilogy(gd["step"], np.abs(gd["C"][:, i]), color=color, lw=1.2, ls="--")
        axes[1].plot(sgd["u"][:, i], sgd["w"][:, i], color=color, lw=0.6, alpha=0.8)
        axes[1].plot(gd["u"][:, i], gd["w"][:, i], color=color, lw=1.6, ls="--")
        axes[1].plot(sgd["u0"][i], sgd["w0"][i], "o", color=color, ms=6)
        axes[1].plot(sgd["u_final"][i], sgd["w_final"][i], "*", color=color, ms=11, mec="k", mew=0.5)
    t = sgd["step"]
    rate = SCALAR["eta"] ** 2 * SCALAR["noise"] ** 2
    axes[0].semilogy(t, np.abs(sgd["C0"][0]) * np.exp(-rate * t), color="k", lw=0.8, ls=":",
                     label="|C₀| exp(−η²σ²t), reference start")
    axes[0].set_xlabel("step t")
    axes[0].set_ylabel("|C_t| = |u_t² − w_t²|")
    axes[0].set_title("scalar model: |u² − w²|; solid SGD (batch 1), dashed GD", fontsize=10)
    axes[0].legend(fontsize=8, loc="lower left")
    uu = np.linspace(0.15, 3.3, 400)
    p = SCALAR["product"]
    axes[1].plot(uu, p / uu, color="0.5", lw=0.8, label="u·w = p*")
    lim = 3.3
    axes[1].plot([-lim, lim], [-lim, lim], color="0.7", lw=0.8, ls=":", label="u = w (C = 0)")
    axes[1].set_xlim(-0.2, lim)
    axes[1].set_ylim(-0.8, 2.3)
    axes[1].set_aspect("equal")
    axes[1].set_xlabel("u")
    axes[1].set_ylabel("w")
    axes[1].set_title("paths: o start, ★ SGD end (on u = w); dashed GD (keeps u² − w²)", fontsize=10)
    axes[1].legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    paths.append(save_figure(fig, out / "noise_equilibrium_scalar.png", dpi=110))
    plt.close(fig)

    # figure 2: the matrix cases
    labels = list(data["matrix"])
    fig, axes = plt.subplots(1, len(labels), figsize=(4.6 * len(labels), 4.4), squeeze=False)
    for ax, label in zip(axes[0], labels):
        m = data["matrix"][label]
        s, g = m["sgd"], m["gd"]
        for i in range(s["U"].shape[0]):
            ax.semilogy(s["step"], s["residual"][:, i], color="C0", lw=0.7, alpha=0.7,
                        label="SGD ρ (prediction (3))" if i == 0 else None)
            ax.semilogy(s["step"], s["naive"][:, i], color="C3", lw=0.7, alpha=0.5,
                        label="SGD ρ₀ (UᵀU = WWᵀ)" if i == 0 else None)
            ax.semilogy(g["step"], g["residual"][:, i], color="C2", lw=1.2, ls="--",
                        label="GD ρ" if i == 0 else None)
        t0 = s["steps"] - s["averaged_steps"]
        rho_avg = float(np.median([r["residual"] for r in m["rows"] if r["method"] == "SGD"]))
        ax.plot([t0, s["steps"]], [rho_avg, rho_avg], color="k", lw=2.5,
                label="averaged")
        ax.set_ylim(1e-3, 1.2)
        ax.xaxis.set_major_locator(plt.MaxNLocator(5))
        ax.set_xlabel("step t")
        same = " (ρ = ρ₀ here)" if np.allclose(s["residual"], s["naive"]) else ""
        ax.set_title(f"{label}: d = {m['problem']['d']}, d' = {m['problem']['d_out']}, k = {m['problem']['k']}, "
                     f"η = {s['eta']:g}{same}", fontsize=9)
        ax.annotate(f"{rho_avg:.3f}", (s["steps"], rho_avg), xytext=(-4, -11), textcoords="offset points",
                    ha="right", fontsize=8)
    axes[0][0].set_ylabel("relative residual of the iterate")
    handles, names = axes[0][0].get_legend_handles_labels()
    names[-1] = "SGD ρ of the Grams averaged over the last quarter (median over starts)"
    fig.suptitle("matrix factorisation: SGD reaches Tr(Σx)UᵀΣεU = Tr(Σε)WΣxWᵀ; GD keeps its imbalance", fontsize=10)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.legend(handles, names, loc="lower center", ncol=4, fontsize=9, frameon=False)
    paths.append(save_figure(fig, out / "noise_equilibrium_matrix.png", dpi=110))
    plt.close(fig)
    return paths
