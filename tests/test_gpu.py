"""refopt.gpu on the CPU path (Numba prange over the same per-point and per-start sources the CUDA
kernels compile): batched derivatives against the functions' gufuncs, multi-start runs against
``minimize`` start by start, the known minima of Himmelblau, six-hump camel and 4-D Rosenbrock,
and the bad-input errors. The CUDA kernels themselves: tests/test_gpu_cuda.py."""
import numpy as np
import pytest

from refopt import minimize
from refopt.functions import get, names
from refopt.gpu import NO_DEVICE_KERNEL, DeviceNotice, f_batch, grad_batch, hess_batch, multistart
from refopt.gpu import names as gpu_names

from gpu_kernels_check import points as around_x0


def points(tf, k=5, seed=0):
    """x0 and k − 1 points around it, inside the bounds where the function has them."""
    return around_x0(tf, k, seed)


def close(a, b, rtol=1e-12):
    """|a − b| <= rtol · max(1, max |b|) entrywise (b's scale: entries near zero cancel)."""
    scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
    np.testing.assert_allclose(a, b, rtol=0, atol=rtol * scale)


@pytest.mark.parametrize("name", names())
def test_cpu_batches_equal_the_gufuncs(name):
    tf = get(name)
    X = points(tf)
    close(f_batch(tf, X, device="cpu"), tf.f_batch(X))
    close(grad_batch(tf, X, device="cpu"), tf.grad_batch(X))
    close(hess_batch(name, X, device="cpu"), tf.hess_batch(X))


def test_cpu_batches_in_other_dimensions_and_empty():
    tf = get("rosenbrock", n=100)
    X = points(tf, k=3)
    close(hess_batch(tf, X, device="cpu"), tf.hess_batch(X))
    assert f_batch(tf, np.empty((0, 100)), device="cpu").shape == (0,)
    assert hess_batch(tf, np.empty((0, 100)), device="cpu").shape == (0, 100, 100)


def grid(lo, hi, G):
    xs = np.linspace(lo[0], hi[0], G)
    ys = np.linspace(lo[1], hi[1], G)
    return np.column_stack([a.ravel() for a in np.meshgrid(xs, ys)])


@pytest.mark.parametrize("method,options", [("newton", {"modify": "lm"}), ("bfgs", {})])
@pytest.mark.parametrize("name,line_search", [("himmelblau", "wolfe"), ("six_hump_camel", "armijo"),
                                              ("gaussian", "wolfe"), ("beale", "wolfe")])
def test_multistart_equals_minimize_start_by_start(name, line_search, method, options):
    """Every start: minimize's status, iterations and evaluation counts, and its end point to 1e-12
    (the same formulas; BFGS's −H∇f is one BLAS product in minimize and n row dot products here,
    which may part in the last bits — not enough to change an iteration count on these starts)."""
    tf = get(name)
    if tf.bounds is not None:
        S = grid(tf.bounds[0] * 0.9, tf.bounds[1] * 0.9, 6)
    else:
        S = points(tf, k=24, seed=3)
    res = multistart(tf, S, method=method, device="cpu", line_search=line_search)
    assert res.device == "cpu" and res.method == method
    converged = 0
    for i, x0 in enumerate(S):
        ref = minimize(tf, x0, method=method, line_search=line_search, options=options)
        assert res.status[i] == ref.status and res.success[i] == ref.success, i
        if ref.status != 0:  # a run that wanders for maxiter steps (Beale's valley to x1 → −∞)
            continue         # amplifies the last bits: only its status is compared
        converged += 1
        assert (res.nit[i], res.nfev[i]) == (ref.nit, ref.nfev), i
        np.testing.assert_allclose(res.x[i], ref.x, rtol=1e-12, atol=1e-12)
        assert abs(res.fun[i] - ref.fun) <= 1e-12 * max(1.0, abs(ref.fun))
        if method == "newton":
            assert res.nhev[i] == ref.nhev
    assert converged >= len(S) // 2
    assert res.messages[0] == "Optimization terminated successfully."


def test_multistart_statuses_for_failed_runs():
    """A start where f overflows (status 3) and maxiter = 0 (status 1), as minimize reports them."""
    tf = get("rosenbrock")
    S = np.array([[1e200, 1.0], [-1.2, 1.0]])
    res = multistart(tf, S, method="bfgs", device="cpu", maxiter=0)
    for i in range(2):
        ref = minimize(tf, S[i], method="bfgs", options={"maxiter": 0})
        assert (res.status[i], res.nit[i]) == (ref.status, ref.nit)
    assert list(res.status) == [3, 1]
    np.testing.assert_array_equal(res.x, S)  # the start, left as it was


def distinct(points, tol):
    """The distinct rows of ``points`` (greedy clustering within ``tol``)."""
    out = []
    for p in points:
        if not any(np.max(np.abs(p - q)) <= tol for q in out):
            out.append(p)
    return np.array(out)


def minima_reached(tf, res, gtol):
    """The distinct converged end points where ∇²f is positive definite (checked here)."""
    ok = res.status == 0
    H = tf.hess_batch(res.x[ok])
    definite = np.linalg.eigvalsh(H)[:, 0] > 0
    assert np.all(np.abs(tf.grad_batch(res.x[ok])) <= gtol)
    return distinct(res.x[ok][definite], 1e-5)


def match(found, literature, atol):
    """Each literature point is found (within atol) and each found point is in the literature."""
    for p in literature:
        assert np.min(np.max(np.abs(found - p), axis=1)) <= atol, p
    for q in found:
        assert np.min(np.max(np.abs(literature - q), axis=1)) <= atol, q


@pytest.mark.parametrize("method", ["newton", "bfgs"])
def test_himmelblau_four_minima(method):
    """Himmelblau (1972): f = 0 at (3, 2), (−2.805118, 3.131312), (−3.779310, −3.283186),
    (3.584428, −1.848126) (six digits as commonly cited)."""
    tf = get("himmelblau")
    res = multistart(tf, grid([-5, -5], [5, 5], 25), method=method, device="cpu", gtol=1e-9)
    found = minima_reached(tf, res, 1e-9)
    lit = np.array([[3.0, 2.0], [-2.805118, 3.131312], [-3.779310, -3.283186], [3.584428, -1.848126]])
    match(found, lit, 1e-6)
    assert np.all(tf.f_batch(found) < 1e-15)


@pytest.mark.parametrize("method", ["newton", "bfgs"])
def test_six_hump_camel_six_minima(method):
    """Six-hump camel (Dixon & Szegő 1978; Molga & Smutnicki 2005): f = −1.0316 at ±(0.0898, −0.7126),
    −0.2155 at ±(1.7036, −0.7961), 2.1043 at ±(1.6071, 0.5687) (four digits)."""
    tf = get("six_hump_camel")
    res = multistart(tf, grid([-3, -2], [3, 2], 25), method=method, device="cpu", gtol=1e-8)
    found = minima_reached(tf, res, 1e-8)
    half = np.array([[0.0898, -0.7126], [1.7036, -0.7961], [1.6071, 0.5687]])
    match(found, np.vstack([half, -half]), 1e-4)
    np.testing.assert_allclose(np.sort(np.unique(np.round(tf.f_batch(found), 4))), [-1.0316, -0.2155, 2.1043])


@pytest.mark.parametrize("method", ["newton", "bfgs"])
def test_rosenbrock_4d_global_and_local_minimum(method):
    """Rosenbrock, n = 4: the global minimum 1 and the one local minimum near
    (−0.775659, 0.613093, 0.382063, 0.145972), f ≈ 3.70143 (Kok & Sandrock 2009 report a local
    minimum near (−1, 1, 1, 1) for 4 ≤ n ≤ 7); both are reached from random starts in [−2, 2]⁴."""
    tf = get("rosenbrock", n=4)
    S = np.random.default_rng(0).uniform(-2, 2, (300, 4))
    res = multistart(tf, S, method=method, device="cpu", gtol=1e-8)
    assert np.mean(res.status == 0) > 0.9
    found = minima_reached(tf, res, 1e-8)
    match(found, np.array([[1.0, 1.0, 1.0, 1.0], [-0.775659, 0.613093, 0.382063, 0.145972]]), 2e-6)
    np.testing.assert_allclose(np.sort(tf.f_batch(found)), [0.0, 3.70143], atol=1e-5)


def test_auto_without_a_gpu_runs_on_the_cpu_with_a_notice():
    from refopt.gpu import cuda_available

    if cuda_available():
        pytest.skip("waits for a machine without a CUDA GPU (this one has one)")
    X = points(get("himmelblau"))
    with pytest.warns(DeviceNotice, match="no CUDA GPU"):
        a = f_batch("himmelblau", X)
    np.testing.assert_array_equal(a, f_batch("himmelblau", X, device="cpu"))
    with pytest.warns(DeviceNotice):
        assert multistart("himmelblau", X).device == "cpu"


def test_functions_with_and_without_a_gpu_kernel():
    assert set(gpu_names()) | set(NO_DEVICE_KERNEL) == set(names())
    assert not set(gpu_names()) & set(NO_DEVICE_KERNEL)
    for name in ("himmelblau", "six_hump_camel", "rastrigin", "rosenbrock", "gaussian"):
        assert name in gpu_names()
    # a function without a GPU kernel still works on the CPU
    tf = get("watson")
    close(hess_batch(tf, points(tf, 2), device="cpu"), tf.hess_batch(points(tf, 2)))


def test_host_arrays_are_not_taken_for_gpu_arrays():
    """Only an object that says it lives on a GPU goes the GPU-array way (tests/gpu_kernels_check.py
    checks that way under the simulator); NumPy arrays, lists and other objects do not."""
    from refopt.gpu.device import gpu_array

    class Fake:
        __cuda_array_interface__ = None  # claims the interface: numba.cuda is asked and refuses

    for X in (np.zeros((2, 2)), [[0.0, 1.0]], np.zeros((2, 2)).view(np.recarray), 3.0):
        assert gpu_array(X) is None
    with pytest.raises(TypeError, match="cuda array interface"):
        gpu_array(Fake())


BAD = [
    (lambda: f_batch("himmelblau", np.zeros((3, 3)), device="cpu"), ValueError, r"shape \(N, 2\)"),
    (lambda: f_batch("himmelblau", np.zeros(2), device="cpu"), ValueError, r"shape \(N, 2\)"),
    (lambda: grad_batch("himmelblau", [[0.0, np.nan]], device="cpu"), ValueError, "finite"),
    (lambda: hess_batch("himmelblau", [[0.0, np.inf]], device="cpu"), ValueError, "finite"),
    (lambda: hess_batch("himmelblau", [["a", "b"]], device="cpu"), TypeError, "real numbers"),
    (lambda: f_batch("himmelblau", np.zeros((1, 2)), device="gpu"), ValueError, "'auto', 'cuda', 'cpu'"),
    (lambda: f_batch("himmelblau", np.zeros((1, 2)), device=None), ValueError, "'auto', 'cuda', 'cpu'"),
    (lambda: f_batch("no_such_function", np.zeros((1, 2))), ValueError, "known names"),
    (lambda: f_batch(3, np.zeros((1, 2))), TypeError, "name or a refopt.functions.TestFunction"),
    (lambda: hess_batch("watson", np.zeros((1, 6)), device="cuda"), ValueError, "no GPU kernel.*device='cpu'"),
    (lambda: multistart("watson", np.zeros((1, 6)), device="cuda"), ValueError, "no GPU kernel"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), method="gd"), ValueError, "'newton', 'bfgs'"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), method="ogr"), ValueError, "'newton', 'bfgs'"),
    (lambda: multistart("himmelblau", np.zeros((2, 3))), ValueError, r"X0 must have shape \(N, 2\)"),
    (lambda: multistart("himmelblau", [[np.nan, 0.0]]), ValueError, "finite"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), device="tpu"), ValueError, "'auto', 'cuda', 'cpu'"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), gtol=-1.0), ValueError, "gtol"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), gtol="small"), TypeError, "gtol"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), maxiter=1.5), TypeError, "maxiter"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), maxiter=-1), ValueError, "maxiter"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), maxiter=True), TypeError, "maxiter"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), line_search=None), TypeError, "'wolfe', 'armijo'"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), c1=0.0), ValueError, "c1"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), c2=1.0), ValueError, "c2"),
    (lambda: multistart("himmelblau", np.zeros((2, 2)), c1=0.5, c2=0.1), ValueError, "c1 < c2"),
]


@pytest.mark.parametrize("call,error,text", BAD)
def test_bad_input(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_cuda_without_a_gpu_is_a_clear_error():
    from refopt.gpu import cuda_available

    if cuda_available():
        pytest.skip("waits for a machine without a CUDA GPU (this one has one)")
    with pytest.raises(ValueError, match="device='cuda' needs numba.cuda with a GPU"):
        f_batch("himmelblau", np.zeros((1, 2)), device="cuda")
    with pytest.raises(ValueError, match="NUMBA_ENABLE_CUDASIM"):
        multistart("himmelblau", np.zeros((1, 2)), device="cuda")
