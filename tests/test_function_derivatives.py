"""Every hand-derived gradient and Hessian against independent derivatives, entry by entry.

References: the complex step (exact to rounding) for analytic functions, Richardson-extrapolated
central differences otherwise (refopt.verify: each entry within rtol·(|r| + η σ) + κ·(the
reference's own error estimate + the kernel's resolution)); the exact catalog values are held in
test_catalog.py, refopt.ad's derivatives of the symbolic definitions here.
"""
import numpy as np
import pytest

import refopt.ad as ad
from conftest import ALL, VARIABLE
from refopt.functions import get
from refopt.functions.catalog import EPS, FLOOR, K, load
from refopt.oracle.symbolic import derivatives
from refopt.verify import (COMPLEX_RTOL, check_points, compare, natural_size, resolution,
                           sample_points, verify_function)
from symbolic_rnp import as_rnp

NOISE = 1e-12  # an entry below 1e-12 of its natural size σ is rounding noise, not a value


@pytest.mark.parametrize("name", ALL)
def test_derivatives_at_check_points(name):
    tf = get(name)
    rep = verify_function(tf, np.vstack([check_points(tf, 0), sample_points(tf, 4, seed=7)]))
    assert rep.symmetric, "Hessian not exactly symmetric"
    assert rep.grad_units <= 1 and rep.hess_units <= 1, (rep.grad_units, rep.hess_units)


@pytest.mark.parametrize("name,n", VARIABLE)
def test_derivatives_in_another_dimension(name, n):
    tf = get(name, n=n)
    rep = verify_function(tf, np.vstack([tf.x0, sample_points(tf, 2, seed=11)]))
    assert rep.passed, (rep.grad_units, rep.hess_units)


@pytest.mark.parametrize("name", ALL)
def test_batch_equals_single(name):
    tf = get(name)
    X = np.vstack([tf.x0, sample_points(tf, 5, seed=3)])
    np.testing.assert_array_equal(tf.f_batch(X), [tf.f(x) for x in X])
    np.testing.assert_array_equal(tf.grad_batch(X), [tf.grad(x) for x in X])
    np.testing.assert_array_equal(tf.hess_batch(X), [tf.hess(x) for x in X])


@pytest.mark.parametrize("name", ALL)
def test_ad_of_the_symbolic_definition_equals_the_hand_derived_kernels(name):
    """refopt.ad differentiates the literature definition (written once more with rnp from the
    oracle's expression); its gradient and Hessian match the kernels entry by entry."""
    tf = get(name)
    d = derivatives(tf.name, tf.n, tf.m)
    f = as_rnp(d.f, d.x)
    for x in check_points(tf, 0):
        g, H = tf.grad(x), tf.hess(x)
        rg = compare(ad.grad(f)(x), g, resolution(tf.grad, x, g), rtol=1e-10)
        rh = compare(ad.hessian(f)(x), H, resolution(tf.hess, x, H), rtol=1e-10)
        assert rg.ok and rh.ok, (x, rg.worst, rg.units, rh.worst, rh.units)


# ---------------------------------------------------------------------------------------------
# the checks see every entry: one flipped sign, a factor 2 or a swapped pair is caught
# ---------------------------------------------------------------------------------------------
def _uncaught(a, tol, sigma):
    """Entries of ``a`` whose sign flip or doubling stays within ``tol``, among those above noise,
    and swapped pairs that stay within it although the two entries differ beyond noise."""
    flat, t, s = a.ravel(), tol.ravel(), sigma.ravel()
    above = np.abs(flat) > NOISE * s
    flips = above & (2 * np.abs(flat) <= t)
    doubles = above & (np.abs(flat) <= t)
    d = np.abs(flat[:, None] - flat[None, :])  # a_k placed at l and a_l at k
    caught = (d > t[:, None]) | (d > t[None, :])
    swaps = (d > NOISE * (s[:, None] + s[None, :])) & ~caught
    return int(flips.sum()), int(doubles.sum()), int(np.triu(swaps, 1).sum())


@pytest.mark.parametrize("name", ALL)
def test_every_entry_is_seen_by_the_exact_values(name):
    """Against the catalog's exact values (tolerance K·(ε·scale + 2^-1022)): at every golden
    point, every Hessian and gradient entry above noise (1e-12 of its scale, the magnitude of the
    terms it is computed from) would be caught flipped, doubled or swapped with any entry it
    differs from beyond noise."""
    for g in load(name)["golden"]:
        for field in ("grad", "hess"):
            if g[field] is None:
                continue
            a, scale = np.array(g[field]), np.array(g[field + "_scale"])
            tol = K * (EPS * scale + FLOOR)
            assert _uncaught(a, tol, scale) == (0, 0, 0), (field, g["label"])


@pytest.mark.parametrize("name", [n for n in ALL if get(n).analytic])
def test_every_entry_is_seen_by_the_complex_step(name):
    """The same against the complex step (analytic functions) at the check points: only
    entries at the noise level of their natural size escape. (Richardson's references are held to
    what their own error estimates allow, see test_verify.py.)"""
    from refopt.verify import complex_step_hessian

    tf = get(name)
    for x in check_points(tf, 0):
        H = tf.hess(x)
        ref, err = complex_step_hessian(tf.grad_complex, x)
        r = compare(H, ref, err + resolution(tf.hess, x, H), rtol=COMPLEX_RTOL)
        assert r.ok
        assert _uncaught(H, r.tolerance, natural_size(ref)) == (0, 0, 0), x


@pytest.mark.parametrize("name", ALL)
def test_verify_fails_a_kernel_with_one_entry_flipped(name):
    """``verify_function`` on the function with one Hessian entry's sign flipped (with its mirror,
    so the Hessian stays symmetric) — the smallest entry above noise, next to entries up to 1e8
    times larger — fails."""
    tf = get(name)
    H0 = tf.hess(tf.x0)
    sigma = natural_size(H0)
    candidates = np.argwhere(np.abs(H0) > 1e-6 * sigma)
    i, j = min(candidates, key=lambda ij: abs(H0[tuple(ij)]))
    good = tf.hess

    def flipped(x):
        H = good(x).copy()
        H[i, j], H[j, i] = -H[i, j], -H[j, i]
        return H

    tf.hess = flipped  # an instance attribute: the registry's kernels are untouched
    assert not verify_function(tf).passed
