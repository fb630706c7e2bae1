"""Bad input gets a ValueError/TypeError that says what is allowed."""
import numpy as np
import pytest

from refopt.functions import get


def test_unknown_name_lists_known_names():
    with pytest.raises(ValueError, match="known names:.*rosenbrock"):
        get("rosenbrok")


def test_name_is_case_insensitive_and_aliases_work():
    assert get("MGH01").name == "mgh_rosenbrock"
    assert get("Rastrigin").name == "rastrigin"


def test_name_must_be_a_string():
    with pytest.raises(TypeError):
        get(3)


def test_disallowed_n_says_what_is_allowed():
    with pytest.raises(ValueError, match="n = 3 is not allowed; allowed: n = 2"):
        get("mgh01", n=3)
    with pytest.raises(ValueError, match="n >= 2"):
        get("rosenbrock", n=1)


def test_n_must_be_an_int():
    with pytest.raises(TypeError):
        get("rosenbrock", n=2.0)


def test_m_for_a_function_without_residuals():
    with pytest.raises(ValueError, match="takes no m"):
        get("rastrigin", m=3)


def test_fixed_m_rejects_other_m():
    with pytest.raises(ValueError, match="m = 5 is not allowed"):
        get("mgh01", m=5)


@pytest.mark.parametrize("method", ["f", "grad", "hess"])
def test_wrong_shape(method):
    tf = get("rosenbrock", n=3)
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        getattr(tf, method)(np.zeros(4))
    with pytest.raises(ValueError, match=r"shape \(N, 3\)"):
        getattr(tf, method + "_batch")(np.zeros(3))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite(bad):
    tf = get("rosenbrock")
    with pytest.raises(ValueError, match="must be finite"):
        tf.grad(np.array([1.0, bad]))
    with pytest.raises(ValueError, match="must be finite"):
        tf.hess_batch(np.array([[1.0, 2.0], [bad, 0.0]]))


def test_complex_or_text_input_is_a_type_error():
    tf = get("rosenbrock")
    with pytest.raises(TypeError):
        tf.f(np.array([1 + 1j, 0]))
    with pytest.raises(TypeError):
        tf.f(np.array(["a", "b"]))


def test_integer_input_is_accepted():
    assert get("rosenbrock").f([1, 1]) == 0.0
