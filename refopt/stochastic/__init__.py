"""Streaming stochastic Newton for logistic regression (Bercu, Godichon-Baggioni & Portier 2020).

    from refopt.stochastic import fit_logistic, StreamingLogistic, make_logistic
    X, y = make_logistic(100_000, [-2, -1, 0, 1, 2], seed=0)
    res = fit_logistic(X, y, method="hybrid", theta_true=[-2, -1, 0, 1, 2])
    res.theta, res.hessian_estimate, res.n, res.checkpoints, res.errors

Methods: ``"sn"`` (Bercu, Godichon-Baggioni & Portier 2020), ``"hybrid"`` (Bercu, Fredes &
Gbaguidi 2025), ``"wasn"`` (Boyer & Godichon-Baggioni 2023) and ``"sgd"`` (baseline). Files:
``recursions.py`` (the Numba loops and their NumPy twins), ``estimator.py`` (streaming state,
result, defaults), ``data.py`` (seeded designs and labels), ``population.py`` (the exact H(θ) for
Gaussian designs), ``mle.py`` (the full-data MLE by refopt's Newton).
"""
from .data import DESIGNS, covariance, design, labels, make_logistic, start_point, stream
from .estimator import DEFAULTS, METHODS, LogisticFit, StreamingLogistic, default_checkpoints, fit_logistic
from .mle import logistic_mle
from .population import population_hessian

__all__ = ["fit_logistic", "StreamingLogistic", "LogisticFit", "METHODS", "DEFAULTS", "default_checkpoints",
           "make_logistic", "stream", "design", "labels", "covariance", "start_point", "DESIGNS",
           "population_hessian", "logistic_mle"]
