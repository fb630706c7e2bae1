"""Spectral tools for symmetric operators given as a matrix, a LinearOperator or a ``matvec``.

    numerical_rank(H, tol=None)                         rank.py      rank, rule and gap
    lanczos(matvec, n, steps, seed, reorth)             lanczos.py   T = VᵀAV, ‖VᵀV − I‖
    lanczos_topk(matvec, n, k, seed, which, ...)        lanczos.py   thick-restart top-k, residuals
    hutchinson_trace / hutchpp_trace / hutchinson_diagonal   trace.py   with standard errors
    slq_density(matvec, n, steps, probes, seed), smooth_density   slq.py   nodes, weights, curves
    overlap(V1, V2)                                     subspace.py  ‖V1ᵀV2‖²_F / k
    marchenko_pastur_density, mp_chi2_density, mp_chi2_cdf   laws.py    limit laws

Each module's docstring states its algorithm, source and tolerances. Nothing here knows about
networks: :mod:`refopt.nn` supplies Hessian, GGN and layer-block operators that plug in.
"""
from .lanczos import LanczosResult, TopK, lanczos, lanczos_topk
from .laws import marchenko_pastur_density, mp_chi2_cdf, mp_chi2_density
from .operator import Operator, as_operator
from .rank import RankResult, numerical_rank
from .slq import SLQResult, slq_density, smooth_density
from .subspace import overlap
from .trace import DiagonalEstimate, TraceEstimate, hutchinson_diagonal, hutchinson_trace, hutchpp_trace

__all__ = ["numerical_rank", "lanczos", "lanczos_topk", "hutchinson_trace", "hutchpp_trace",
           "hutchinson_diagonal", "slq_density", "smooth_density", "overlap",
           "marchenko_pastur_density", "mp_chi2_density", "mp_chi2_cdf", "as_operator", "Operator",
           "RankResult", "LanczosResult", "TopK", "TraceEstimate", "DiagonalEstimate", "SLQResult"]
