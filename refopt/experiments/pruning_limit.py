r"""The pruning limit of a network from its Hessian spectrum: predicted against measured.

Q. Zhang, R. Zhang, J. Sun & Y. Liu, "How sparse can we prune a deep network: a fundamental limit perspective"
(NeurIPS 2024; the authors' code is "Global-One-shot-Pruning"). The question: what fraction ρ of
the P weights of a trained network w can be set to zero while the loss stays within ε of L(w)?

**The sublevel set.** Near a minimum, L(w + u) ≈ L(w) + ½ uᵀHu with H = ∇²L(w), eigenvalues λ_i,
so the set S_ε = {u : L(w + u) ≤ L(w) + ε} is the ellipsoid with semi-axes

    r_i² = 2ε / |λ_i|                                    (the paper takes |λ_i|: see below)

**The prediction** (convex geometry: the statistical dimension of S_ε cut to a ball of radius R).
Pruning a fraction ρ asks the (1 − ρ)P-dimensional coordinate subspace of the kept weights to meet
S_ε; taking that subspace as a random one of its dimension, the kinematic formula says it succeeds while ρP is below the statistical dimension of the set,
which for an ellipsoid seen at distance R is Σ_i r_i² / (R² + r_i²). The removable fraction at
distance R is therefore

    ρ(R) = (1/P) Σ_i r_i² / (R² + r_i²) = (1/P) Σ_i 2ε / (2ε + R² |λ_i|).              (1)

The authors estimate the spectrum by SLQ with a density p(λ) and use the weighted form
ρ(R) = Σ p(λ_j) g(λ_j) / Σ p(λ_j), g(λ) = 2ε/(2ε + R²|λ|); with the exact spectrum it is the plain
mean (1). The distance at which the pruned point lies is that of one-shot global magnitude
pruning,

    R(ρ) = ‖w − prune(w, ρ)‖₂ = the norm of the ⌊ρP + ½⌋ weights of smallest |w_i|,      (2)

and the predicted limit is the fixed point ρ(R(ρ)) = ρ, found by a scan of ρ on a grid of 1000
sparsities (``predicted_limit``): the largest grid ρ with ρ(R(ρ)) ≥ ρ. ρ(R(ρ)) − ρ decreases
strictly (ρ(R) decreases in R, R(ρ) grows with ρ), so the crossing is unique, and ρ(R(0)) = 1 > 0.
ε is the standard deviation of the per-sample training loss at w, as in the authors' code (here
the population standard deviation, ddof = 0; with N ≥ 256 samples ddof = 1 changes ε by < 0.2 %).

**Open choices, made here:**

* ρ is the **removed** fraction (the sparsity): ρ = 0 is the dense net, ρ = 1 the empty one.
  Equation (1) is the fraction of directions that can be given up, so it compares with ρ directly.
* **Negative and tiny eigenvalues** enter through |λ_i| (as the authors do): a negative or tiny
  |λ| gives a large r_i², a direction counted as nearly fully removable; an exact zero has r = ∞
  and contributes exactly 1 (written as 2ε/(2ε + R²|λ|), which needs no infinity). The authors'
  "mass at 1e-30" for the near-zero part of the SLQ density is the same: g(1e-30) = 1 to rounding
  for every R met here. For SLQ the density is the raw Gauss quadrature rule of
  :func:`refopt.spectral.slq_density` (nodes θ_j, weights w_j summing to 1 per probe): ρ_SLQ(R) =
  (mean over probes) Σ_j w_j g(θ_j), an estimate of (1/P) tr g(H); no Gaussian smoothing (it would
  only blur g, which is already smooth away from λ = 0).
* **The Hessian is that of the data loss.** Training adds λ₁‖w‖₁; that term has zero Hessian
  wherever no weight is exactly zero, and the prediction, the sublevel set and ε all use the data
  loss L(w) = (1/N) Σ_i CE(f(x_i; w), y_i) on the training set.
* **Training**: MLP([d, h, h, C], tanh, no biases, softmax cross-entropy), so that every parameter
  is a weight, L1 is on all of them, pruning is global over all P of them and H is P × P. SGD with
  the authors' lr = 0.01 and heavy-ball momentum 0.9 (v ← 0.9 v + g, w ← w − lr v; mini-batches of
  32, a seeded permutation per epoch), and after each step the **proximal** L1 step
  w ← sign(w) max(|w| − lr λ₁, 0) (soft thresholding: exact zeros appear; a subgradient λ₁ sign(w) added to the gradient, the
  usual way in PyTorch code, leaves small weights jittering around 0 instead). Strengths λ₁ ∈ {0, 1e-3, 1e-2, 3e-2} (the authors' 5e-5 is for
  networks with millions of weights; on ~10³ weights even 1e-3 changes little, see the table).
* **Data**: a seeded teacher–student task. A smaller teacher MLP([d, 6, C], tanh, no biases,
  W ~ N(0, 1/fan_in)) labels x ~ N(0, I_d) by argmax of its outputs (:func:`refopt.nn.data.teacher_student`);
  C = 3 classes. The teacher needs far fewer weights than the student has, so a sparse student
  can fit the task.
* **Measured limit**: magnitude pruning at ρ on a coarse grid (0, 0.05, …, 0.95; quick 0, 0.1, …,
  0.9), then a **short retraining** of the surviving weights under the mask (SGD with the same
  lr and momentum, data loss only, no L1, the pruned weights held at 0: quick 15 epochs, full 30),
  then the training data loss. The measured limit is the largest ρ before the first grid point
  whose retrained loss leaves the sublevel set L ≤ L(w) + ε, refined by bisection between that
  success and the first failure (quick 3, full 5 halvings). The loss of the pruned net without
  retraining is recorded beside it.
* **Zero eigenvalues are there by construction**: softmax is unchanged when one vector is added to
  every row of the output weights' transpose, i.e. the same number to every class's logit through
  each last hidden unit (h directions), and hidden units that L1 has cut off add more; they show
  up at rounding level, |λ| ~ 1e-17 or below, and count 1 in (1).
* The SLQ estimate uses one Rademacher probe and 96 (quick) / 128 (full) Lanczos steps with full
  reorthogonalisation, as the authors' 96–128 steps and one probe.

Agreement is not assumed: the table reports both predictions and the measurement as they come.
What the runs show (quick seeds 0–3, full seeds 0–1): the SLQ and exact curves ρ(R(ρ)) differ by
≤ 0.025 and their limits by ≤ 0.01 (the one-probe Hutchinson error, not the 96–128-step quadrature,
dominates); stronger L1 raises both the predicted and the measured limit (more weights at or near
zero keep R(ρ) small up to a larger ρ). In the quick protocol the exact prediction is within 0.035
of the measured limit at every λ₁ (0.71–0.89). In the full protocol (longer training, lower loss,
smaller ε) it overestimates the limit of the weakly regularised nets (λ₁ ≤ 1e-3) by 0.06–0.11 and is
within 0.02 of it for λ₁ ≥ 1e-2. Without retraining the pruned net leaves the sublevel set far
earlier (ρ 0.3–0.5 unregularised): the prediction is about the best point of the kept subspace,
which the retraining looks for, not about the pruned point itself.

Full protocol: P = 888 (d = 10, h = 24, N = 512), 200 epochs (about 1–2 minutes on 2 cores).
``quick``: P = 432 (d = 8, h = 16, N = 256), 100 epochs (about 15 seconds).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import arguments as _a
from ..files import save_figure
from . import write_rows

SUMMARY = ("pruning limit from the Hessian spectrum (Zhang et al. 2024): predicted (exact, SLQ) "
           "against measured one-shot magnitude pruning")

L1_STRENGTHS = (0.0, 1e-3, 1e-2, 3e-2)
CLASSES = 3
TEACHER_WIDTH = 6
LR, MOMENTUM, BATCH = 0.01, 0.9, 32
GRID = 1000
FULL = dict(d=10, h=24, n=512, epochs=200, retrain=30, coarse=0.05, refine=5, slq_steps=128)
QUICK = dict(d=8, h=16, n=256, epochs=100, retrain=15, coarse=0.1, refine=3, slq_steps=96)


# ---- the prediction ------------------------------------------------------------------------------
def _eps(eps) -> float:
    return _a.real(eps, "eps (the loss tolerance ε)", low=0.0, low_open=True)


def _rho(rho) -> float:
    return _a.real(rho, "rho (the removed fraction)", low=0.0, high=1.0)


def predicted_fraction(eigenvalues, eps, R, weights=None):
    """ρ(R) of equation (1): Σ p_i 2ε/(2ε + R²|λ_i|) / Σ p_i (p_i = 1 without ``weights``, the exact
    spectrum; the SLQ quadrature weights with them). ``R`` a number ≥ 0 or a 1-D array of them;
    returns a float or an array like ``R``."""
    lam = _a.real_array(eigenvalues, "eigenvalues").ravel()
    eps = _eps(eps)
    if weights is None:
        p = np.ones_like(lam)
    else:
        p = _a.real_array(weights, "weights").ravel()
        if p.size != lam.size:
            raise ValueError(f"weights must have one entry per eigenvalue ({lam.size}); got {p.size}")
        if np.any(p < 0) or not np.sum(p) > 0:
            raise ValueError("weights must be >= 0 with a positive sum")
    scalar = np.ndim(R) == 0
    R = np.atleast_1d(_a.real_array(R, "R (the distance)", min_size=1))
    if np.any(R < 0):
        raise ValueError("R (the distance) must be >= 0")
    g = 2.0 * eps / (2.0 * eps + (R[:, None] ** 2) * np.abs(lam)[None, :])
    out = g @ p / np.sum(p)
    return float(out[0]) if scalar else out


def _weights_vector(w) -> np.ndarray:
    return _a.real_array(w, "w (the weights)", ndim=1)


def removed_count(P: int, rho: float) -> int:
    """The number of weights that pruning the fraction ρ removes: ⌊ρP + ½⌋."""
    return int(np.floor(rho * P + 0.5))


def prune_mask(w, rho) -> np.ndarray:
    """The kept weights (True) after removing the ⌊ρP + ½⌋ of smallest |w_i| (ties: the lower index
    goes first, a stable sort)."""
    w, rho = _weights_vector(w), _rho(rho)
    keep = np.ones(w.size, dtype=bool)
    keep[np.argsort(np.abs(w), kind="stable")[:removed_count(w.size, rho)]] = False
    return keep


def magnitude_prune(w, rho) -> np.ndarray:
    """Global one-shot magnitude pruning: w with its ⌊ρP + ½⌋ smallest-|w| entries set to 0."""
    w = _weights_vector(w)
    return np.where(prune_mask(w, rho), w, 0.0)


def prune_distance(w, rho) -> float:
    """R(ρ) = ‖w − prune(w, ρ)‖₂ (equation (2))."""
    w = _weights_vector(w)
    return float(np.linalg.norm(w - magnitude_prune(w, rho)))


def _check_grid(grid) -> int:
    return _a.integer(grid, "grid (number of sparsities)", low=2)


def distance_curve(w, rhos) -> np.ndarray:
    """R(ρ) for each ρ of ``rhos`` at once (cumulative sums of the sorted w_i²)."""
    w = _weights_vector(w)
    rhos = _a.real_array(rhos, "rhos", ndim=1)
    if np.any((rhos < 0) | (rhos > 1)):
        raise ValueError("rhos (removed fractions) must lie in [0, 1]")
    c = np.concatenate([[0.0], np.cumsum(np.sort(w ** 2))])
    k = np.floor(rhos * w.size + 0.5).astype(np.int64)
    return np.sqrt(c[k])


def prediction_curve(eigenvalues, w, eps, grid: int = GRID, weights=None):
    """(ρ grid, R(ρ), ρ(R(ρ))) on ``grid`` equally spaced sparsities in [0, 1]."""
    grid = _check_grid(grid)
    rhos = np.linspace(0.0, 1.0, grid)
    R = distance_curve(w, rhos)
    return rhos, R, predicted_fraction(eigenvalues, eps, R, weights)


def predicted_limit(eigenvalues, w, eps, grid: int = GRID, weights=None) -> float:
    """The fixed point ρ(R(ρ)) = ρ by the scan of the module docstring: the largest of ``grid``
    equally spaced sparsities in [0, 1] with ρ(R(ρ)) ≥ ρ."""
    rhos, _, pred = prediction_curve(eigenvalues, w, eps, grid, weights)
    return float(rhos[np.nonzero(pred >= rhos)[0][-1]])


# ---- the network ---------------------------------------------------------------------------------
def per_sample_loss(mlp, theta, X, y) -> np.ndarray:
    """ℓ_i = logsumexp(f_i) − f_{i, y_i}, the softmax cross-entropy of each sample (mean = mlp.loss)."""
    f = mlp.predict(theta, X)
    labels = _a.real_array(y, "y (labels)", ndim=1).astype(np.int64)
    m = f.max(axis=1, keepdims=True)
    return m[:, 0] + np.log(np.exp(f - m).sum(axis=1)) - f[np.arange(f.shape[0]), labels]


def soft_threshold(w, t: float) -> np.ndarray:
    """The proximal map of t‖·‖₁: sign(w) max(|w| − t, 0)."""
    t = _a.real(t, "t (the threshold)", low=0.0)
    return np.sign(w) * np.maximum(np.abs(w) - t, 0.0)


def sgd(mlp, X, y, theta, epochs: int, l1: float = 0.0, mask=None, seed: int = 0, lr: float = LR,
        momentum: float = MOMENTUM, batch: int = BATCH) -> np.ndarray:
    """SGD with heavy-ball momentum on the data loss, a proximal L1 step λ₁‖w‖₁ after each step,
    and (``mask``) the removed weights held at 0 (their gradient and velocity zeroed)."""
    epochs = _a.integer(epochs, "epochs", low=0)
    l1 = _a.real(l1, "l1 (the L1 strength)", low=0.0)
    lr = _a.real(lr, "lr", low=0.0, low_open=True)
    momentum = _a.real(momentum, "momentum", low=0.0, high=1.0, high_open=True)
    batch = _a.integer(batch, "batch", low=1)
    w = np.array(mlp._check_theta(theta), copy=True)
    keep = None
    if mask is not None:
        keep = np.asarray(mask)
        if keep.dtype != bool or keep.shape != w.shape:
            raise ValueError(f"mask must be a boolean array of shape {w.shape} (True: kept); got "
                             f"{_a.describe(mask)}")
    if keep is not None:
        w[~keep] = 0.0
    v = np.zeros_like(w)
    rng = np.random.default_rng(_a.seed(seed))
    N = X.shape[0]
    for _ in range(epochs):
        order = rng.permutation(N)
        for k in range(0, N, batch):
            rows = np.sort(order[k:k + batch])
            g = mlp.grad(w, X[rows], y[rows])
            if keep is not None:
                g[~keep] = 0.0
            v = momentum * v + g
            w -= lr * v
            if l1 > 0.0:
                w = soft_threshold(w, lr * l1)
    return w


def make_task(seed: int, d: int, n: int):
    """(X, y): n inputs x ~ N(0, I_d) labelled by a seeded teacher MLP([d, 6, 3]) (module docstring)."""
    from .. import MLP
    from ..nn.data import teacher_student

    teacher = MLP([d, TEACHER_WIDTH, CLASSES], "tanh", bias=False, loss="softmax_ce")
    X, y, _ = teacher_student(teacher, n, seed=seed)
    return X, y.astype(np.float64)


# ---- one L1 strength -----------------------------------------------------------------------------
def measured_limit(loss_at, rhos, threshold, refine: int):
    """Scan ``rhos`` (increasing): the largest ρ before the first loss_at(ρ) > threshold, refined by
    ``refine`` bisection halvings towards the first failure. Returns (limit, evaluated points)."""
    points = []
    last_ok, first_bad = None, None
    for r in rhos:
        L = loss_at(float(r))
        points.append((float(r), L))
        if L <= threshold:
            last_ok = float(r)
        else:
            first_bad = float(r)
            break
    if last_ok is None:
        return 0.0, points
    if first_bad is None:
        return last_ok, points
    lo, hi = last_ok, first_bad
    for _ in range(refine):
        mid = 0.5 * (lo + hi)
        L = loss_at(mid)
        points.append((mid, L))
        lo, hi = (mid, hi) if L <= threshold else (lo, mid)
    return lo, points


def study(mlp, X, y, w, proto: dict, seed: int, progress=None, tag: str = "") -> dict:
    """Prediction (exact, SLQ) and measurement at the trained weights w."""
    from ..spectral import slq_density

    P = w.size
    ell = per_sample_loss(mlp, w, X, y)
    L0, eps = float(np.mean(ell)), float(np.std(ell))
    H = mlp.hessian(w, X, y)
    lam = np.linalg.eigvalsh(0.5 * (H + H.T))
    slq = slq_density(lambda v: mlp.hvp(w, X, y, v), P, steps=proto["slq_steps"], probes=1,
                      seed=int(np.random.default_rng([seed, 7]).integers(2 ** 31)))
    nodes, sw = slq.nodes.ravel(), slq.weights.ravel() / slq.nodes.shape[0]
    rhos, R, pred_exact = prediction_curve(lam, w, eps)
    pred_slq = predicted_fraction(nodes, eps, R, sw)
    lim_exact = predicted_limit(lam, w, eps)
    lim_slq = predicted_limit(nodes, w, eps, weights=sw)
    threshold = L0 + eps
    coarse = np.arange(0.0, 1.0 - 1e-9, proto["coarse"])
    cache = {}

    def retrained(r):
        if r not in cache:
            if progress is not None:
                progress(f"pruning-limit: {tag} prune rho = {r:.4f} and retrain")
            keep = prune_mask(w, r)
            w2 = sgd(mlp, X, y, np.where(keep, w, 0.0), proto["retrain"], mask=keep, seed=seed + 1)
            cache[r] = (float(mlp.loss(w2, X, y)), float(mlp.loss(np.where(keep, w, 0.0), X, y)))
        return cache[r][0]

    lim_meas, _ = measured_limit(retrained, coarse, threshold, proto["refine"])
    for r in coarse:  # the whole coarse curve, for the figure (beyond the first failure too)
        retrained(float(r))
    pts = sorted(cache.items())
    lim_raw, _ = measured_limit(lambda r: cache[r][1], [float(r) for r in coarse], threshold, 0)
    return dict(P=P, loss=L0, eps=eps, threshold=threshold, zeros=float(np.mean(w == 0.0)),
                eigenvalues=lam, negative=float(np.mean(lam < 0)), lam_max=float(lam[-1]),
                slq_nodes=nodes, slq_weights=sw, rhos=rhos, R=R, pred_exact=pred_exact, pred_slq=pred_slq,
                limit_exact=lim_exact, limit_slq=lim_slq, limit_measured=lim_meas, limit_no_retrain=lim_raw,
                curve_gap=float(np.max(np.abs(pred_exact - pred_slq))),
                prune_rho=np.array([r for r, _ in pts]), prune_loss=np.array([v[0] for _, v in pts]),
                prune_loss_raw=np.array([v[1] for _, v in pts]))


def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    from .. import MLP

    quick = _a.flag(quick, "quick")
    seed = _a.seed(seed)
    if seed is None:
        seed = 0
    _a.function(progress, "progress", allow_none=True)
    proto = QUICK if quick else FULL
    X, y = make_task(seed, proto["d"], proto["n"])
    mlp = MLP([proto["d"], proto["h"], proto["h"], CLASSES], "tanh", bias=False, loss="softmax_ce")
    w0 = mlp.init(seed)
    out = dict(quick=quick, seed=seed, P=mlp.n_params, n=proto["n"], sizes=list(mlp.sizes),
               epochs=proto["epochs"], retrain=proto["retrain"], runs=[])
    for k, l1 in enumerate(L1_STRENGTHS):
        tag = f"l1 = {l1:g}:"
        if progress is not None:
            progress(f"pruning-limit: {tag} training {proto['epochs']} epochs (P = {mlp.n_params})")
        w = sgd(mlp, X, y, w0, proto["epochs"], l1=l1, seed=seed)
        res = study(mlp, X, y, w, proto, seed, progress, tag)
        res["l1"] = l1
        out["runs"].append(res)
    return out


# ---- output --------------------------------------------------------------------------------------
def summary_rows(data: dict) -> list[dict]:
    return [dict(l1=r["l1"], P=r["P"], zero_weights=r["zeros"], loss=r["loss"], eps=r["eps"],
                 threshold=r["threshold"], lam_max=r["lam_max"], negative_fraction=r["negative"],
                 limit_exact=r["limit_exact"], limit_slq=r["limit_slq"], limit_measured=r["limit_measured"],
                 limit_no_retrain=r["limit_no_retrain"], curve_gap=r["curve_gap"]) for r in data["runs"]]


def table(data: dict) -> str:
    lines = [f"pruning limit (Zhang et al. 2024), {'quick' if data['quick'] else 'full'} protocol, seed {data['seed']}: "
             f"MLP{data['sizes']} tanh, P = {data['P']}, N = {data['n']}, {data['epochs']} epochs SGD + prox-L1",
             "ρ = removed fraction; predicted: fixed point ρ(R(ρ)) = ρ of ρ(R) = mean 2ε/(2ε + R²|λ|), "
             "R(ρ) = ‖removed weights‖;",
             f"measured: largest ρ whose pruned net, retrained {data['retrain']} epochs under the mask, keeps "
             "L ≤ L(w) + ε (ε = std of per-sample loss);",
             "gap: max over ρ of |ρ_exact(R(ρ)) − ρ_SLQ(R(ρ))|, which bounds |exact − SLQ limit|",
             "",
             f"{'λ₁':>7} {'zeros':>6} {'L(w)':>9} {'ε':>9} {'λ_max':>8} {'λ<0':>6} {'exact':>6} {'SLQ':>6} "
             f"{'gap':>6} {'measured':>8} {'no retr.':>8}"]
    for r in summary_rows(data):
        lines.append(f"{r['l1']:>7g} {r['zero_weights']:>6.3f} {r['loss']:>9.4g} {r['eps']:>9.4g} {r['lam_max']:>8.3g} "
                     f"{r['negative_fraction']:>6.3f} {r['limit_exact']:>6.3f} {r['limit_slq']:>6.3f} "
                     f"{r['curve_gap']:>6.3f} {r['limit_measured']:>8.3f} {r['limit_no_retrain']:>8.3f}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    paths = [write_rows(out / "pruning_limit_table.csv", summary_rows(data))]
    rows = []
    for r in data["runs"]:
        rows += [dict(l1=r["l1"], rho=float(a), loss_retrained=float(b), loss_pruned=float(c),
                      threshold=r["threshold"])
                 for a, b, c in zip(r["prune_rho"], r["prune_loss"], r["prune_loss_raw"])]
    paths.append(write_rows(out / "pruning_limit_losses.csv", rows))
    rows = []
    for r in data["runs"]:
        rows += [dict(l1=r["l1"], rho=float(a), R=float(b), pred_exact=float(c), pred_slq=float(d))
                 for a, b, c, d in zip(r["rhos"], r["R"], r["pred_exact"], r["pred_slq"])]
    paths.append(write_rows(out / "pruning_limit_prediction.csv", rows))

    runs = data["runs"]
    fig, axes = plt.subplots(2, len(runs), figsize=(4.0 * len(runs), 7.6))
    for k, r in enumerate(runs):
        ax = axes[0, k]
        ax.semilogy(r["prune_rho"], r["prune_loss"], "o-", color="C0", ms=3, lw=1.0, label="pruned + retrained")
        ax.semilogy(r["prune_rho"], r["prune_loss_raw"], "s--", color="0.6", ms=2.5, lw=0.8, label="pruned, no retraining")
        ax.axhline(r["threshold"], color="k", lw=0.9, label="L(w) + ε")
        ax.axvline(r["limit_exact"], color="C3", lw=1.2, label=f"predicted, exact {r['limit_exact']:.3f}")
        ax.axvline(r["limit_slq"], color="C1", ls="--", lw=1.2, label=f"predicted, SLQ {r['limit_slq']:.3f}")
        ax.axvline(r["limit_measured"], color="C2", ls=":", lw=1.6, label=f"measured {r['limit_measured']:.3f}")
        ax.set_title(f"λ₁ = {r['l1']:g}: training loss after pruning", fontsize=9)
        ax.set_xlabel("removed fraction ρ")
        ax.set_xlim(0, 1)
        if k == 0:
            ax.set_ylabel("training data loss")
        ax.legend(fontsize=7, loc="upper left")
    ax = axes[1, 0]
    for k, r in enumerate(runs):
        ax.plot(r["rhos"], r["pred_exact"], color=f"C{k}", lw=1.2, label=f"λ₁ = {r['l1']:g}, exact")
        ax.plot(r["rhos"], r["pred_slq"], color=f"C{k}", ls="--", lw=0.9)
    ax.plot([0, 1], [0, 1], color="k", lw=0.7)
    ax.set_xlabel("removed fraction ρ")
    ax.set_ylabel("ρ(R(ρ))")
    ax.set_title("fixed point ρ(R(ρ)) = ρ (dashed: SLQ)", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[1, 1]
    for k, r in enumerate(runs):
        ax.plot(r["limit_measured"], r["limit_exact"], "o", color=f"C{k}", label=f"λ₁ = {r['l1']:g}")
        ax.plot(r["limit_measured"], r["limit_slq"], "x", color=f"C{k}")
    lims = [r[k] for r in runs for k in ("limit_exact", "limit_slq", "limit_measured")]
    lo = max(0.0, np.floor(10 * min(lims) - 1) / 10)  # zoom on the points, the diagonal kept
    ax.plot([0, 1], [0, 1], color="k", lw=0.7)
    ax.set_xlim(lo, 1)
    ax.set_ylim(lo, 1)
    ax.set_xlabel("measured limit")
    ax.set_ylabel("predicted limit (o exact, x SLQ)")
    ax.set_title("predicted against measured", fontsize=9)
    ax.legend(fontsize=7)
    if len(runs) > 2:
        ax = axes[1, 2]
        for k, r in enumerate(runs):
            lam = np.abs(r["eigenvalues"])
            lam = lam[lam > 0]
            ax.hist(np.log10(lam), bins=40, histtype="step", color=f"C{k}", label=f"λ₁ = {r['l1']:g}")
        ax.set_xlabel("log10 |λ| (exact Hessian)")
        ax.set_ylabel("count")
        ax.set_title("|eigenvalues| of the data-loss Hessian", fontsize=9)
        ax.legend(fontsize=7)
    if len(runs) > 3:
        ax = axes[1, 3]
        for k, r in enumerate(runs):
            ax.plot(r["rhos"], r["R"], color=f"C{k}", label=f"λ₁ = {r['l1']:g}")
        ax.set_xlabel("removed fraction ρ")
        ax.set_ylabel("R(ρ) = ‖removed weights‖₂")
        ax.set_title("distance of magnitude pruning", fontsize=9)
        ax.legend(fontsize=7)
    for ax in axes[1, 4:]:
        ax.axis("off")
    fig.tight_layout()
    paths.append(save_figure(fig, out / "pruning_limit.png", dpi=100))
    plt.close(fig)
    return paths
