"""Multilayer perceptrons with exact derivatives: ``MLP``, activations, losses, synthetic data.

See :mod:`refopt.nn.mlp` (the class and the parameter layout) and :mod:`refopt.nn.hessian`
(the structured exact Hessian, GGN, HVP and layer blocks, with their formulas and memory bound),
:mod:`refopt.nn.objective` (a network's loss as an optimizer's objective), :mod:`refopt.nn.train`
(training by a named method, with the recorded history) and :mod:`refopt.nn.sample_newton` (one
sample's low-rank Hessian, its exact spectrum and Newton step).
"""
from .activations import ACTIVATION_NAMES, get_activation
from .data import teacher_student
from .losses import LOSS_NAMES, get_loss
from .mlp import MLP
from .objective import NetworkObjective
from .sample_newton import (SampleFactors, rank_bound, sample_factors, sample_hessian_factors, sample_newton_direction,
                            sample_spectrum)
from .train import TrainResult, train

__all__ = ["MLP", "NetworkObjective", "train", "TrainResult", "teacher_student", "get_activation", "get_loss",
           "ACTIVATION_NAMES", "LOSS_NAMES", "sample_hessian_factors", "sample_spectrum", "sample_newton_direction",
           "sample_factors", "rank_bound", "SampleFactors"]
