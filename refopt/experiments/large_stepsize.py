r"""Large-stepsize gradient descent on two-layer networks: an oscillating phase, then fast,
monotone risk decrease and margin growth.

Cai, Wu, Mei, Lindsey & Bartlett (2024), "Large stepsize gradient descent for non-homogeneous
two-layer networks: margin improvement and fast optimization" (NeurIPS 2024). The model is

    f(w; x) = (1/m) Σ_j a_j φ(w_jᵀx),   a_j = ±1 fixed,   φ(z) = c z + (1 − c) softplus(z),  c = ½,

trained in w = (w_1, …, w_m) ∈ R^{m d} on linearly separable data (x_i, y_i), y_i = ±1, by
gradient descent w_{t+1} = w_t − η ∇L(w_t) on the logistic risk

    L(w) = (1/n) Σ_i log(1 + exp(−y_i f(w; x_i))).

In refopt it is ``MLP([d, m, 1], "leaky_softplus", bias=False, loss="logistic")`` with the output
layer fixed at a_j / m (``mlp.objective(X, (y + 1)/2, theta, layers=[0])``); its labels 0/1 give
ℓ = softplus(f) − y f, which is the same loss. The paper's claims, measured here:

1. With a large η the risk first oscillates (the edge of stability), until it falls below a
   threshold of order 1/η; from then on it decreases monotonically. Measured: t* = the first step
   after which L(w_t) is non-increasing up to T (t* = 0: monotone from the start), L(w_{t*}) and
   η·L(w_{t*}) — constant across η if the threshold is c₀/η (the paper gives no c₀). The theory
   says only that risk below c₀/η is followed by monotone decrease; monotone decrease may also
   start above it (after a spike, say). So also measured: L↑ = the lowest risk L_t of a step
   followed by a rise (L_{t+1} > L_t); c₀/η ≤ L↑ in every run, and η·L↑ is the sharper estimate
   of c₀. Rises below 1e-12 are not counted: at risk ~1e-10 the loss, softplus(f) − f for y = +1,
   has lost that much to rounding.
2. In the monotone phase the normalized margin γ(w) = min_i y_i f(w; x_i) / ‖w‖ grows (nearly
   monotonically): γ(w_T) against γ(w_{t*}).
3. Large steps optimize faster: Õ(1/T²) after T steps with η of order T, against Ω(1/T) for
   small-step (monotone) GD. Measured: L(w_T) / L(w_T) of the smallest η, the same T, and
   η T L(w_T), constant where the stable phase has L(w_T) ∝ 1/(ηT), the law behind Õ(1/T²).
4. The sharpness λ_max(∇²L(w_t)) (Lanczos on Hessian–vector products) is drawn against 2/η,
   the classical stability limit of GD on a quadratic.

Data and choices (the paper leaves them open unless said):

* **five-point**: the paper's example in R³, ((0.05, 1, 2), +1), ((0.05, −2, 1), +1),
  ((−1, 0, 2), −1), ((0.05, −2, −2), +1), ((0.05, 1, −2), +1), m = 2 neurons. Choice:
  a = (+1, −1). The points are used as given (‖x‖ up to 2.9; the theory's ‖x‖ ≤ 1 is not imposed
  on the paper's own example). Steps η ∈ {1, 3, 10, 20, 50, 100, 200}: with this normalisation (1/m in
  f, 1/n in L) the oscillating phase appears only from η ≈ 20 on; η = 3, the paper's value, is
  monotone here.
* **xor**: designed for this module. n = 40 points in d = 10, ten per XOR cluster s ∈ {±1}²,
  label y = s_1 s_2, and before scaling x = (s_1 + σξ_1, s_2 + σξ_2, γ y, σξ_4, …, σξ_10) with
  ξ ~ N(0, 1) (seeded), σ = 0.1, γ = 0.1. The γ y coordinate makes the set linearly separable
  (margin γ/R along e_3); the XOR coordinates alone are not. All points are divided by
  R = max_i ‖x_i‖ so that ‖x‖ ≤ 1, as the theory assumes. m = 20 neurons with
  a_j = +1, −1, +1, … . Steps η ∈ {30, 300, 1000, 3000, 10000}: the 1/m in f makes the curvature
  O(1/m), λ_max(w_0) ≈ 0.003, so the steps that reach the oscillating phase are in the thousands
  (at η = 3·10⁴ the risk reaches 1e-10 within T, where the rounding of item 1 matters).
* **Initialisation**: w_0 ~ N(0, σ_0² I), σ_0 = 0.1, seeded, the same w_0 for every η of a
  dataset. Not zero: γ(w) is undefined at w = 0, and random w_0 lets the tests vary the seed; a
  small σ_0 keeps L(w_0) ≈ log 2, near the origin of the theory.
* Every run is :func:`refopt.nn.train` with method "gd" and the fixed step η (no line search).
  The risk and γ are recorded at every step; the sharpness at every step up to t = 600 (the
  oscillating phases seen here end before it; every step, since sampling a period-2 oscillation at
  an even interval shows one branch only), then every 10 steps, from a second, identical run
  (GD is deterministic) that records only those steps.

Full protocol: T = 5000 steps (about half a minute on 2 cores). ``quick``: T = 800 (about 15
seconds).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .. import arguments as _a
from ..files import save_figure
from . import write_rows

SUMMARY = "large-stepsize GD on two-layer nets (Cai et al. 2024): EoS phase, then fast monotone risk decrease"

FIVE_POINT_X = np.array([[0.05, 1.0, 2.0], [0.05, -2.0, 1.0], [-1.0, 0.0, 2.0],
                         [0.05, -2.0, -2.0], [0.05, 1.0, -2.0]])
FIVE_POINT_Y = np.array([1.0, 1.0, -1.0, 1.0, 1.0])
XOR = dict(n=40, d=10, gamma=0.1, noise=0.1)
DATASETS = {
    "five-point": dict(m=2, etas=(1.0, 3.0, 10.0, 20.0, 50.0, 100.0, 200.0)),
    "xor": dict(m=20, etas=(30.0, 300.0, 1000.0, 3000.0, 10000.0)),
}
INIT_SCALE = 0.1
FULL = dict(steps=5000, every=10, dense=600)
QUICK = dict(steps=800, every=10, dense=600)


def signed_labels(y, n: int | None = None) -> np.ndarray:
    """y as a float array of ±1 labels (both classes present); ValueError naming y otherwise."""
    y = _a.real_array(y, "y (labels ±1)", ndim=1)
    if n is not None and y.size != n:
        raise ValueError(f"y (labels ±1) must have one label per row of X ({n}); got {y.size}")
    if not np.all(np.abs(y) == 1.0):
        raise ValueError(f"y (labels ±1) must hold only -1 and +1; got values {sorted(set(y.tolist()))[:6]}")
    if np.all(y == y[0]):
        raise ValueError("y (labels ±1) must hold both classes")
    return y


def xor_data(rng: np.random.Generator, n: int = XOR["n"], d: int = XOR["d"], gamma: float = XOR["gamma"],
             noise: float = XOR["noise"]) -> tuple[np.ndarray, np.ndarray]:
    """The linearly separable XOR-like set of the module docstring: (X (n × d), y ±1), ‖x_i‖ ≤ 1."""
    n = _a.integer(n, "n (number of points)", low=4)
    d = _a.integer(d, "d (dimension)", low=3)
    gamma = _a.real(gamma, "gamma (margin coordinate)", low=0.0, low_open=True)
    noise = _a.real(noise, "noise", low=0.0)
    q = np.arange(n) % 4
    s = np.stack([np.where(q % 2 == 0, 1.0, -1.0), np.where(q < 2, 1.0, -1.0)], axis=1)
    y = s[:, 0] * s[:, 1]
    X = np.empty((n, d))
    X[:, :2] = s + noise * rng.standard_normal((n, 2))
    X[:, 2] = gamma * y
    X[:, 3:] = noise * rng.standard_normal((n, d - 3))
    return X / np.linalg.norm(X, axis=1).max(), y


def two_layer(X, y, m: int):
    """The paper's model as a refopt objective of w (m·d entries): output weights a_j / m with
    a_j = +1, −1, +1, … fixed; ``y`` are labels ±1."""
    from .. import MLP

    X = _a.real_array(X, "X", ndim=2)
    y = signed_labels(y, X.shape[0])
    m = _a.integer(m, "m (neurons)", low=1)
    mlp = MLP([X.shape[1], m, 1], "leaky_softplus", bias=False, loss="logistic")
    theta = np.zeros(mlp.n_params)
    theta[mlp.slices[1]] = np.where(np.arange(m) % 2 == 0, 1.0, -1.0) / m
    return mlp.objective(X, (y + 1.0) / 2.0, theta=theta, layers=[0])


def gd_run(obj, w0, eta: float, steps: int, every: int, dense: int = 0) -> dict:
    """GD with the fixed step η from w_0 for ``steps`` steps: risk and normalized margin at every
    step; the sharpness at every step up to ``dense`` and every ``every`` steps after it (that part
    from a second, identical run that records only those steps: GD is deterministic)."""
    from ..nn import train

    eta = _a.real(eta, "eta (the step size)", low=0.0, low_open=True)
    steps = _a.integer(steps, "steps", low=1)
    every = _a.integer(every, "every", low=1)
    dense = min(_a.integer(dense, "dense", low=0), steps)
    parts, sharp = [], []
    x = w0
    if dense > 0:
        head = train(obj, x, method="gd", steps=dense, lr=eta, record=("sharpness", "margin"), every=1)
        parts.append(head)
        sharp.append((head.history["step"], head.history["sharpness"]))
        x = head.x
    if steps > dense:
        tail = train(obj, x, method="gd", steps=steps - dense, lr=eta, record=("margin",), every=1)
        spot = train(obj, x, method="gd", steps=steps - dense, lr=eta, record=("sharpness",), every=every)
        parts.append(tail)
        keep = slice(1, None) if dense > 0 else slice(None)  # step `dense` is the head's last row
        sharp.append((spot.history["step"][keep] + dense, spot.history["sharpness"][keep]))
    for p in parts:
        if not (p.success and np.all(np.isfinite(p.history["loss"]))):
            raise RuntimeError(f"GD with eta = {eta:g} failed: {p.message}")
    cols = {}
    for k, p in enumerate(parts):
        skip = 1 if k > 0 else 0
        for key in ("step", "loss", "margin", "grad_norm"):
            v = p.history[key][skip:] + (dense if key == "step" and k > 0 else 0)
            cols.setdefault(key, []).append(v)
    cols = {k: np.concatenate(v) for k, v in cols.items()}
    return dict(eta=eta, step=cols["step"], risk=cols["loss"], margin=cols["margin"], grad_norm=cols["grad_norm"],
                sharpness_step=np.concatenate([s for s, _ in sharp]), sharpness=np.concatenate([v for _, v in sharp]),
                w=parts[-1].x)


RISE = 1e-12
"""Rises of the risk by less than this are rounding, not rises (module docstring)."""


def rises(risk) -> np.ndarray:
    """The steps t with L_{t+1} > L_t + RISE."""
    risk = _a.real_array(risk, "risk", ndim=1)
    return np.nonzero(np.diff(risk) > RISE)[0]


def monotone_start(risk) -> int:
    """t*: the first t with L_t ≥ L_{t+1} ≥ … ≥ L_T, up to RISE (0 when the whole run is monotone)."""
    up = rises(risk)
    return 0 if up.size == 0 else int(up[-1] + 1)


def summarize(runs: list[dict]) -> list[dict]:
    """One table row per run (the smallest η of the list is the reference for the ratio)."""
    ref = min(runs, key=lambda r: r["eta"])["risk"][-1]
    rows = []
    for r in runs:
        t = monotone_start(r["risk"])
        up = rises(r["risk"])
        low = float(r["risk"][up].min()) if up.size else float("nan")
        rows.append(dict(eta=r["eta"], t_star=t, risk_t_star=float(r["risk"][t]),
                         eta_risk_t_star=float(r["eta"] * r["risk"][t]), lowest_rise=low,
                         eta_lowest_rise=r["eta"] * low, rises=int(up.size), max_risk=float(r["risk"].max()),
                         final_risk=float(r["risk"][-1]), ratio_to_smallest=float(r["risk"][-1] / ref),
                         eta_T_final_risk=float(r["eta"] * r["step"][-1] * r["risk"][-1]),
                         margin_t_star=float(r["margin"][t]), final_margin=float(r["margin"][-1]),
                         initial_sharpness=float(r["sharpness"][0]), final_sharpness=float(r["sharpness"][-1])))
    return rows


def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    proto = QUICK if quick else FULL
    out = dict(quick=quick, seed=seed, steps=proto["steps"], every=proto["every"], datasets={})
    for k, (name, spec) in enumerate(DATASETS.items()):
        rng = np.random.default_rng([seed, 2024, k])
        X, y = (FIVE_POINT_X, FIVE_POINT_Y) if name == "five-point" else xor_data(rng)
        obj = two_layer(X, y, spec["m"])
        w0 = INIT_SCALE * rng.standard_normal(obj.n)
        runs = []
        for eta in spec["etas"]:
            if progress is not None:
                progress(f"large-stepsize: {name}, eta = {eta:g}, {proto['steps']} steps")
            runs.append(gd_run(obj, w0, eta, proto["steps"], proto["every"], proto["dense"]))
        out["datasets"][name] = dict(m=spec["m"], n=X.shape[0], d=X.shape[1], X=X, y=y, runs=runs,
                                     rows=summarize(runs))
    return out


def table(data: dict) -> str:
    lines = [f"large-stepsize GD on two-layer leaky-softplus nets ({'quick' if data['quick'] else 'full'} "
             f"protocol, seed {data['seed']}, T = {data['steps']} steps)",
             "t*: first step after which the risk is non-increasing up to T; L↑: lowest risk of a step "
             "followed by a rise (none: '-');",
             "L(T)/ref: final risk over the smallest η's; ηT·L(T) constant: L(T) ∝ 1/(ηT), so Õ(1/T²) for η ∝ T;",
             "γ: normalized margin min_i y_i f / ‖w‖; ηλ(0)/2 > 1: w_0 beyond GD's stability limit"]
    for name, ds in data["datasets"].items():
        lines += ["", f"{name}: n = {ds['n']}, d = {ds['d']}, m = {ds['m']}",
                  f"{'η':>7} {'t*':>5} {'L(t*)':>9} {'η·L(t*)':>8} {'rises':>5} {'L↑':>9} {'η·L↑':>8} "
                  f"{'max L':>8} {'L(T)':>9} {'L(T)/ref':>9} {'ηT·L(T)':>8} {'γ(t*)':>8} {'γ(T)':>7} {'ηλ(0)/2':>8}"]
        for r in ds["rows"]:
            low = "-" if r["rises"] == 0 else f"{r['lowest_rise']:.3g}"
            eta_low = "-" if r["rises"] == 0 else f"{r['eta_lowest_rise']:.3g}"
            lines.append(f"{r['eta']:>7g} {r['t_star']:>5d} {r['risk_t_star']:>9.3g} {r['eta_risk_t_star']:>8.3g} "
                         f"{r['rises']:>5d} {low:>9} {eta_low:>8} {r['max_risk']:>8.3g} {r['final_risk']:>9.3g} "
                         f"{r['ratio_to_smallest']:>9.3g} {r['eta_T_final_risk']:>8.3g} {r['margin_t_star']:>8.4f} {r['final_margin']:>7.4f} "
                         f"{r['initial_sharpness'] * r['eta'] / 2:>8.3g}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    paths = [write_rows(out / "large_stepsize_table.csv",
                        [dict(dataset=name, **r) for name, ds in data["datasets"].items() for r in ds["rows"]])]
    for name, ds in data["datasets"].items():
        rows = []
        for r in ds["runs"]:
            sharp = dict(zip(r["sharpness_step"].tolist(), r["sharpness"].tolist()))
            rows += [dict(eta=r["eta"], step=int(t), risk=float(L), margin=float(g), grad_norm=float(gn),
                          sharpness=sharp.get(int(t), float("nan")))
                     for t, L, g, gn in zip(r["step"], r["risk"], r["margin"], r["grad_norm"])]
        paths.append(write_rows(out / f"history_{name}.csv", rows))

        fig, axes = plt.subplots(1, 3, figsize=(15, 4.0))
        top = max(float(np.max(r["margin"])) for r in ds["runs"])
        late = np.concatenate([r["sharpness"][-5:] for r in ds["runs"]])
        floor = float(np.min(late[late > 0])) / 3 if np.any(late > 0) else 1e-12
        for k, (r, row) in enumerate(zip(ds["runs"], ds["rows"])):
            color = f"C{k}"
            t = r["step"] + 1
            axes[0].loglog(t, r["risk"], color=color, lw=1.0, label=f"η = {r['eta']:g}")
            ts = row["t_star"]
            if ts > 0:
                axes[0].plot(ts + 1, r["risk"][ts], "o", color=color, ms=5)
            axes[1].semilogx(t, r["margin"], color=color, lw=1.0)
            axes[2].loglog(r["sharpness_step"] + 1, r["sharpness"], color=color, lw=1.0)
            if ts > 0:
                axes[2].axhline(2.0 / r["eta"], color=color, ls="--", lw=0.8)
                floor = min(floor, 1e-3 * 2.0 / r["eta"])
        axes[0].set_title(f"{name}: risk L(w_t) (dots: t*, start of the monotone phase)", fontsize=9)
        axes[0].set_ylabel("logistic risk")
        axes[0].legend(fontsize=8)
        axes[1].set_ylim(-0.6 * top, 1.15 * top)
        axes[1].axhline(0.0, color="0.6", lw=0.6)
        axes[1].set_title("normalized margin min_i y_i f(w_t; x_i) / ‖w_t‖ (clipped below)", fontsize=9)
        axes[2].set_ylim(bottom=floor)
        axes[2].set_title("sharpness λ_max(∇²L(w_t)) (clipped); dashed: 2/η where t* > 0", fontsize=9)
        for ax in axes:
            ax.set_xlabel("GD step t + 1")
        fig.tight_layout()
        paths.append(save_figure(fig, out / f"large_stepsize_{name}.png", dpi=110))
        plt.close(fig)
    return paths
