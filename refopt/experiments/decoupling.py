r"""Layer-wise Hessian decoupling: is a layer's Hessian block E[xxᵀ] ⊗ E[M]?

Wu, Zhu, Wu, Wang & Ge (2020), "Dissecting Hessian: understanding common structure of Hessian in
neural networks". For a layer z = x W̃ the exact block is H = E[xxᵀ ⊗ M] (M = ∂²ℓ/∂z², the loss
Hessian in the layer's output; :mod:`refopt.nn.kronecker`), and the conjecture is H ≈ E[xxᵀ] ⊗ E[M].
If it holds, the top eigenvalues are products ν_a μ_b of the factors' eigenvalues, the top
eigenvectors are v_a ⊗ u_b — rank 1 when reshaped to the weight's shape — and, for nonnegative
inputs, v₁ ≈ E[x]/‖E[x]‖; at most rank E[M] ≤ c − 1 outliers stand out for c classes.

Protocol (a synthetic stand-in for the paper's image tasks; sizes and training are this module's
decisions):

1. Data: a c = 5 class Gaussian mixture in d = 12 dimensions, x = μ_y + 2ξ, μ_k ~ N(0, I), ξ ~ N(0, I),
   N samples with balanced labels. Two input conventions: **uncentred** (every coordinate
   shifted by +1, so E[x] ≠ 0) and **centred** (the sample mean removed).
2. Networks [12, 32, 32, 5], ReLU and tanh, bias, softmax cross-entropy, LeCun init; trained by
   full-batch gradient descent (step 0.5) from ``mlp.init(seed)``.
3. For every layer, the exact block (``MLP.layer_hessian``) against the Kronecker product of its
   factors, on the training data at the trained θ, with k = c − 1 = 4:
   relative error of the top-k eigenvalues; overlap of the top-k eigenspaces
   (:func:`refopt.spectral.overlap`, random baseline k / P_layer); rank-1-ness of the top exact
   eigenvector reshaped to S × T (σ₁² / ‖·‖²_F of the reshaped matrix; 1 = rank 1); and the
   alignment |v₁ᵀE[x]| / ‖E[x]‖ of its input factor v₁ (top left singular vector) with the mean input.
4. Every number is averaged over seeds (network init; the data is one draw), with the spread.

Full protocol: N = 1000, 1500 GD steps, 5 seeds (about three minutes on 2 cores). ``quick``: N = 400,
400 steps, 2 seeds (about ten seconds).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from ..files import save_figure
from . import write_rows

SUMMARY = "layer-wise Hessian decoupling (Wu et al. 2020): exact blocks vs E[xxᵀ] ⊗ E[M]"

CLASSES, DIM, HIDDEN, NOISE, STEP = 5, 12, (32, 32), 2.0, 0.5
ACTIVATIONS = ("relu", "tanh")
INPUTS = ("uncentred", "centred")
METRICS = ("eig_rel_error", "overlap", "baseline", "rank1", "mean_alignment")


def mixture(N: int, rng: np.random.Generator, centred: bool) -> tuple[np.ndarray, np.ndarray]:
    """The c-class Gaussian mixture of the protocol (balanced labels)."""
    means = rng.standard_normal((CLASSES, DIM))
    y = np.arange(N) % CLASSES
    X = means[y] + NOISE * rng.standard_normal((N, DIM))
    X = X - X.mean(axis=0) if centred else X + 1.0
    return X, y


def train(mlp, X, y, steps: int, seed: int) -> tuple[np.ndarray, float]:
    """Full-batch gradient descent with the protocol's step; returns θ and the final loss."""
    theta = mlp.init(seed)
    for _ in range(steps):
        theta = theta - STEP * mlp.grad(theta, X, y)
    return theta, float(mlp.loss(theta, X, y))


def layer_metrics(mlp, theta, X, y, layer: int, k: int) -> dict:
    """The exact block against the Kronecker product of its factors (protocol step 3)."""
    from ..nn.kronecker import kronecker_top
    from ..spectral import overlap

    F = mlp.layer_factors(theta, X, y, layer)
    H = mlp.layer_hessian(theta, X, y, layer)
    lam, V = np.linalg.eigh(H)
    lam, V = lam[::-1][:k], V[:, ::-1][:, :k]
    klam, kV = kronecker_top(F.inputs, F.outputs, k)
    S, T = F.inputs.shape[0], F.outputs.shape[0]
    u, sv, _ = np.linalg.svd(V[:, 0].reshape(S, T), full_matrices=False)
    mean = F.mean_input
    return dict(eig_rel_error=float(np.max(np.abs(lam - klam) / np.abs(lam))),
                overlap=overlap(V, kV), baseline=k / H.shape[0],
                rank1=float(sv[0] ** 2 / np.sum(sv ** 2)),
                mean_alignment=float(abs(u[:, 0] @ mean) / np.linalg.norm(mean)),
                top_exact=lam, top_kronecker=klam)


def run(quick: bool = False, seed: int = 0, progress=None) -> dict:
    from .. import MLP

    N, steps, seeds = (400, 400, 2) if quick else (1000, 1500, 5)
    k = CLASSES - 1
    rows = []
    for centring in INPUTS:
        X, y = mixture(N, np.random.default_rng([seed, 2020]), centring == "centred")
        for act in ACTIVATIONS:
            mlp = MLP([DIM, *HIDDEN, CLASSES], activation=act, loss="softmax_ce")
            for s in range(seeds):
                if progress is not None:
                    progress(f"decoupling: {act}, {centring} inputs, seed {s + 1}/{seeds}")
                theta, loss = train(mlp, X, y, steps, seed + s)
                accuracy = float(np.mean(np.argmax(mlp.predict(theta, X), axis=1) == y))
                for layer in range(mlp.n_layers):
                    m = layer_metrics(mlp, theta, X, y, layer, k)
                    rows.append(dict(activation=act, inputs=centring, seed=seed + s, layer=layer,
                                     loss=loss, accuracy=accuracy, **m))
    return dict(quick=quick, seed=seed, N=N, steps=steps, seeds=seeds, k=k, rows=rows)


def summary(data: dict) -> list[dict]:
    """Mean and spread over seeds, per activation, inputs and layer."""
    out = []
    keys = sorted({(r["activation"], r["inputs"], r["layer"]) for r in data["rows"]},
                  key=lambda t: (ACTIVATIONS.index(t[0]), INPUTS.index(t[1]), t[2]))
    for act, inputs, layer in keys:
        rs = [r for r in data["rows"] if (r["activation"], r["inputs"], r["layer"]) == (act, inputs, layer)]
        row = dict(activation=act, inputs=inputs, layer=layer, seeds=len(rs),
                   loss=float(np.mean([r["loss"] for r in rs])))
        for m in METRICS:
            vals = np.array([r[m] for r in rs])
            row[m] = float(vals.mean())
            row[m + "_sd"] = float(vals.std(ddof=1)) if vals.size > 1 else 0.0
        out.append(row)
    return out


def table(data: dict) -> str:
    lines = [f"layer-wise Hessian decoupling ({'quick' if data['quick'] else 'full'} protocol, seed {data['seed']}): "
             f"exact block vs E[xxᵀ] ⊗ E[M], top k = {data['k']}, N = {data['N']}, {data['steps']} GD steps, "
             f"mean ± sd over {data['seeds']} seeds",
             f"{'act':>5} {'inputs':>10} {'layer':>5} {'loss':>7} {'eig rel err':>13} {'overlap':>14} "
             f"{'random':>7} {'rank-1':>13} {'v1·E[x]':>13}"]
    for r in summary(data):
        def pm(m):
            return f"{r[m]:.3f}±{r[m + '_sd']:.3f}"
        lines.append(f"{r['activation']:>5} {r['inputs']:>10} {r['layer']:>5} {r['loss']:>7.3f} "
                     f"{pm('eig_rel_error'):>13} {pm('overlap'):>14} {r['baseline']:>7.4f} {pm('rank1'):>13} "
                     f"{pm('mean_alignment'):>13}")
    return "\n".join(lines)


def report(data: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = Path(out)
    flat = [{k: v for k, v in r.items() if not k.startswith("top_")} for r in data["rows"]]
    paths = [write_rows(out / "decoupling.csv", flat), write_rows(out / "decoupling_summary.csv", summary(data))]
    rows = summary(data)
    fig, axes = plt.subplots(1, 4, figsize=(16, 3.6))
    panels = (("overlap", "top-k overlap, exact vs Kronecker"), ("eig_rel_error", "top-k eigenvalue rel. error"),
              ("rank1", "rank-1-ness of top eigenvector"), ("mean_alignment", "|v₁·E[x]| / ‖E[x]‖"))
    layers = sorted({r["layer"] for r in rows})
    styles = {("relu", "uncentred"): ("C0", "o", "-"), ("relu", "centred"): ("C0", "s", "--"),
              ("tanh", "uncentred"): ("C3", "o", "-"), ("tanh", "centred"): ("C3", "s", "--")}
    for ax, (metric, title) in zip(axes, panels):
        for (act, inputs), (color, marker, ls) in styles.items():
            rs = [r for r in rows if (r["activation"], r["inputs"]) == (act, inputs)]
            ax.errorbar([r["layer"] + (0.06 if inputs == "centred" else -0.06) for r in rs], [r[metric] for r in rs],
                        yerr=[r[metric + "_sd"] for r in rs], color=color, marker=marker, ls=ls, capsize=3,
                        label=f"{act}, {inputs}")
        if metric == "overlap":
            base = [r["baseline"] for r in rows if (r["activation"], r["inputs"]) == ("relu", "uncentred")]
            ax.plot(layers, base, "k:", label="random k/d")
        if metric == "eig_rel_error":
            ax.set_yscale("log")
        ax.set_xticks(layers)
        ax.set_xlabel("layer")
        ax.set_title(title, fontsize=10)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    paths.append(save_figure(fig, out / "decoupling.png", dpi=110))
    plt.close(fig)

    # the top eigenvalues themselves, exact against Kronecker, seed 0 of each configuration
    fig, axes = plt.subplots(1, len(ACTIVATIONS) * len(INPUTS), figsize=(15, 3.6), sharey=False)
    for ax, (act, inputs) in zip(axes, [(a, i) for a in ACTIVATIONS for i in INPUTS]):
        for r in (r for r in data["rows"] if (r["activation"], r["inputs"], r["seed"]) == (act, inputs, data["seed"])):
            idx = np.arange(1, r["top_exact"].size + 1)
            ax.semilogy(idx, r["top_exact"], "o-", color=f"C{r['layer']}", label=f"layer {r['layer']} exact")
            ax.semilogy(idx, r["top_kronecker"], "x--", color=f"C{r['layer']}", label=f"layer {r['layer']} Kronecker")
        ax.set_title(f"{act}, {inputs} inputs", fontsize=10)
        ax.set_xlabel("eigenvalue index")
        ax.set_xticks(idx)
    axes[0].set_ylabel("top eigenvalues of the layer block")
    axes[0].legend(fontsize=6)
    fig.tight_layout()
    paths.append(save_figure(fig, out / "decoupling_eigenvalues.png", dpi=110))
    plt.close(fig)
    return paths
