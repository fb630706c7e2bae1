"""Property tests (hypothesis): random dimensions and points for the N-dimensional functions.

For every function whose n is variable: the Hessian is exactly symmetric, batch kernels equal
single-point kernels, and (analytic functions) the gradient and Hessian agree with the complex
step to 1e-12, or (others) with Richardson differences to 1e-8 / 1e-6.
"""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ALL, CANDIDATE_N
from refopt.functions import get, specs
from refopt.verify import (
    complex_step_gradient,
    complex_step_jacobian,
    max_relative_error,
    richardson_gradient,
    richardson_jacobian,
    sample_points,
)

VARIABLE_N = [name for name in ALL if sum(specs()[name].n_allowed(n) for n in CANDIDATE_N) > 1]


@st.composite
def function_and_point(draw):
    name = draw(st.sampled_from(VARIABLE_N))
    n = draw(st.sampled_from([n for n in CANDIDATE_N if specs()[name].n_allowed(n)]))
    tf = get(name, n=n)
    seed = draw(st.integers(0, 2**31 - 1))
    return tf, sample_points(tf, 2, seed)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(function_and_point())
def test_random_dimension_and_points(case):
    tf, X = case
    H = tf.hess_batch(X)
    np.testing.assert_array_equal(H, np.swapaxes(H, 1, 2))
    np.testing.assert_array_equal(tf.grad_batch(X)[1], tf.grad(X[1]))
    np.testing.assert_array_equal(H[0], tf.hess(X[0]))
    x = X[0]
    if tf.analytic:
        eg = max_relative_error(tf.grad(x), complex_step_gradient(tf.f_complex, x))[0]
        eh = max_relative_error(H[0], complex_step_jacobian(tf.grad_complex, x))[0]
        assert eg <= 1e-12 and eh <= 1e-12, (tf, eg, eh)
    else:
        eg = max_relative_error(tf.grad(x), richardson_gradient(tf.f, x))[0]
        eh = max_relative_error(H[0], richardson_jacobian(tf.grad, x))[0]
        assert eg <= 1e-8 and eh <= 1e-6, (tf, eg, eh)
