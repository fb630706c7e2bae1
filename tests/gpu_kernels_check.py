"""Checks of refopt.gpu's CUDA kernels, run by tests/test_gpu_cuda.py in a fresh process (the CUDA
simulator must be chosen before Numba is imported, and must not leak into other tests).

    python tests/gpu_kernels_check.py simulator   # NUMBA_ENABLE_CUDASIM=1: the kernels as Python
    python tests/gpu_kernels_check.py hardware    # a real GPU: the same checks, bigger batches
    python tests/gpu_kernels_check.py ptx         # compile every kernel for sm_80 (no GPU needed;
                                                  # exit status 3 when NVVM is not installed)

Each mode raises AssertionError (exit status 1) on the first disagreement and prints one line per
check that passed.
"""
import sys

import numpy as np


def points(tf, k, seed=0):
    """x0 and k − 1 points around it, inside the bounds where the function has them."""
    rng = np.random.default_rng(seed)
    X = tf.x0 + 0.3 * rng.standard_normal((k, tf.n)) * np.maximum(1.0, np.abs(tf.x0))
    X[0] = tf.x0
    if tf.bounds is not None:
        X = np.clip(X, *tf.bounds)
    return X


def close(a, b, rtol, what):
    scale = max(1.0, float(np.max(np.abs(b))))
    err = float(np.max(np.abs(a - b))) / scale
    assert err <= rtol, f"{what}: GPU and CPU differ by {err:.3g} (relative to max(1, max |CPU|)), allowed {rtol:g}"


def kernels(k_points, rtol):
    """f, ∇f, ∇²f of every function with a GPU kernel, device="cuda" against the CPU's gufuncs."""
    from refopt.functions import get
    from refopt.gpu import f_batch, grad_batch, hess_batch, names

    for name in names():
        tf = get(name)
        X = points(tf, k_points)
        close(f_batch(tf, X, device="cuda"), tf.f_batch(X), rtol, f"{name} f")
        close(grad_batch(tf, X, device="cuda"), tf.grad_batch(X), rtol, f"{name} grad")
        close(hess_batch(tf, X, device="cuda"), tf.hess_batch(X), rtol, f"{name} hess")
    tf = get("rosenbrock", n=12)
    X = points(tf, k_points)
    close(hess_batch(tf, X, device="cuda"), tf.hess_batch(X), rtol, "rosenbrock n=12 hess")
    print(f"kernels: {len(names()) + 1} functions, f/grad/hess equal to the CPU within {rtol:g}")


def multistarts(G):
    """multistart on the GPU against the CPU path: the same status per start and the same minimum
    (end points within 1e-8; polynomials: equal iteration counts too)."""
    from refopt.functions import get
    from refopt.gpu import multistart

    cases = [("himmelblau", None), ("six_hump_camel", None), ("gaussian", None), ("rosenbrock", 4)]
    for name, n in cases:
        tf = get(name, n=n)
        if tf.n == 2:
            lo, hi = tf.bounds
            g = [np.linspace(lo[i], hi[i], G) for i in range(2)]
            S = np.column_stack([a.ravel() for a in np.meshgrid(*g)])
        else:
            S = points(tf, G * G, seed=1) if name != "rosenbrock" else np.random.default_rng(2).uniform(-2, 2, (G * G, 4))
        for method in ("newton", "bfgs"):
            gpu = multistart(tf, S, method=method, device="cuda", gtol=1e-8)
            cpu = multistart(tf, S, method=method, device="cpu", gtol=1e-8)
            assert gpu.device == "cuda" and cpu.device == "cpu"
            ok = cpu.status == 0
            assert np.array_equal(gpu.status, cpu.status), f"{name} {method}: statuses differ"
            assert np.max(np.abs(gpu.x[ok] - cpu.x[ok]), initial=0.0) <= 1e-8, f"{name} {method}: end points differ"
            if name != "gaussian":
                assert np.array_equal(gpu.nit[ok], cpu.nit[ok]), f"{name} {method}: iteration counts differ"
            print(f"multistart {name} {method}: {len(S)} starts, {int(ok.sum())} converged, same minima on both devices")


def gpu_arrays(k_points, foreign):
    """X already on the GPU: the result stays there and equals the CPU's; X is checked there
    (dtype, shape, finiteness) with the host's errors; device="cpu" and multistart copy it to the
    host. ``foreign``: also an object that only has ``__cuda_array_interface__`` (CuPy-like)."""
    from numba import cuda

    from refopt.functions import get
    from refopt.gpu import f_batch, grad_batch, hess_batch, multistart

    tf = get("rosenbrock", n=3)
    X = points(tf, k_points)
    d_X = cuda.to_device(X)
    for batch, cpu in ((f_batch, tf.f_batch), (grad_batch, tf.grad_batch), (hess_batch, tf.hess_batch)):
        d_out = batch(tf, d_X, device="auto")
        assert cuda.devicearray.is_cuda_ndarray(d_out), f"{batch.__name__}: the result left the GPU"
        close(d_out.copy_to_host(), cpu(X), 1e-12, f"{batch.__name__} on a GPU array")
        host = batch(tf, d_X, device="cpu")
        assert isinstance(host, np.ndarray) and np.array_equal(host, cpu(X)), batch.__name__
    assert f_batch(tf, d_X).shape == (k_points,) and hess_batch(tf, cuda.to_device(X[:0])).shape == (0, 3, 3)
    if foreign:
        class Foreign:  # what CuPy or a PyTorch CUDA tensor shows numba: the interface only
            __cuda_array_interface__ = d_X.__cuda_array_interface__
        close(hess_batch(tf, Foreign()).copy_to_host(), tf.hess_batch(X), 1e-12, "hess_batch on a foreign GPU array")
    bad = X.copy()
    bad[1, 2], bad[-1, 0] = np.nan, np.inf
    for arg, error, words in ((cuda.to_device(bad), ValueError, "2 of its rows have NaN or inf"),
                              (cuda.to_device(X.astype(np.float32)), TypeError, "must be float64"),
                              (cuda.to_device(X[:, :2].copy()), ValueError, "shape (N, 3)")):
        try:
            hess_batch(tf, arg, device="cuda")
        except error as e:
            assert words in str(e), str(e)
        else:
            raise AssertionError(f"a bad GPU array was not refused ({words})")
    S = np.random.default_rng(3).uniform(-2, 2, (k_points, 3))
    on_gpu, on_host = multistart(tf, cuda.to_device(S), device="cuda"), multistart(tf, S, device="cuda")
    assert isinstance(on_gpu.x, np.ndarray) and np.array_equal(on_gpu.x, on_host.x)
    assert np.array_equal(on_gpu.status, on_host.status)
    print(f"gpu arrays: f/grad/hess of a GPU array stay on the GPU, equal the CPU; bad ones refused"
          f"{'; a foreign __cuda_array_interface__ accepted' if foreign else ''}")


def simulator():
    from numba import config

    from refopt.gpu import DeviceNotice, f_batch, multistart

    assert config.ENABLE_CUDASIM, "run with NUMBA_ENABLE_CUDASIM=1"
    # the simulator runs each GPU thread as a Python thread, which does not inherit refopt.gpu's
    # np.errstate: silence here the floating-point flags a GPU does not raise
    np.seterr(all="ignore")
    kernels(3, 1e-12)
    multistarts(4)
    gpu_arrays(5, foreign=False)  # the simulator's arrays have no __cuda_array_interface__
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeviceNotice)
        assert multistart("himmelblau", np.zeros((1, 2))).device == "cuda"  # auto: the (simulated) GPU
    try:
        f_batch("watson", np.zeros((1, 6)), device="cuda")
    except ValueError as e:
        assert "no GPU kernel" in str(e)
    else:
        raise AssertionError("device='cuda' for a function without a GPU kernel did not raise")
    print("device choice: auto picks the simulated GPU; a function without a GPU kernel is refused")


def hardware():
    from refopt.gpu import cuda_available

    assert cuda_available(), "no CUDA GPU here"
    kernels(1000, 1e-12)
    multistarts(40)
    gpu_arrays(1000, foreign=True)


def ptx():
    """Compile every kernel for compute capability 8.0 without a GPU: numba-cuda's compile_ptx with
    NVVM. (Calling a device function from a kernel asks the current device for its compute
    capability; with no device here it is answered 8.0.)"""
    import types

    import numba.cuda.dispatcher as dispatcher

    dispatcher.get_current_device = lambda: types.SimpleNamespace(compute_capability=(8, 0))
    import warnings

    from refopt.gpu.cuda_kernels import STRIDED_DOT_WARNING

    warnings.filterwarnings("ignore", STRIDED_DOT_WARNING)  # as refopt.gpu.multistart does
    from numba import boolean, cuda, float64, int64

    from refopt.functions.registry import specs
    from refopt.gpu import NO_DEVICE_KERNEL, names
    from refopt.gpu.cuda_kernels import cuda_descend, cuda_nonfinite_rows, cuda_points

    vec, mat, ten = float64[::1], float64[:, ::1], float64[:, :, ::1]
    try:
        cuda.compile_ptx(lambda a: None, (vec,), device=True, cc=(8, 0))
    except Exception as e:  # no NVVM here: say what is missing (exit status 3: the test skips)
        print(f"MISSING the CUDA compiler NVVM/NVRTC ({type(e).__name__}: {str(e).splitlines()[0][:200]})")
        sys.exit(3)
    compiled, refused = set(), set()
    for name in specs():
        ok = True
        for kind, out in (("f", mat), ("grad", mat), ("hess", ten)):
            try:
                cuda.compile_ptx(cuda_points(name, kind).py_func, (mat, vec, out), cc=(8, 0))
            except Exception:
                ok = False
        (compiled if ok else refused).add(name)
    assert compiled == set(names()), f"compile but listed without a GPU kernel: {sorted(compiled - set(names()))}; " \
                                     f"listed with one but fail: {sorted(set(names()) - compiled)}"
    assert refused == set(NO_DEVICE_KERNEL)
    print(f"ptx: the f/grad/hess kernels of {len(compiled)} functions compile for sm_80; "
          f"{len(refused)} are refused, as listed")
    sig = (boolean, mat, vec, float64, int64, float64, float64, boolean, ten, float64[:, :, :, ::1], mat, vec,
           int64[:, ::1])
    for name in ("himmelblau", "rosenbrock", "gaussian", "rastrigin"):
        ptx_text, _ = cuda.compile_ptx(cuda_descend(name).py_func, sig, cc=(8, 0))
        assert ".entry" in ptx_text
    print("ptx: the multi-start kernel (Newton and BFGS, both line searches) compiles for sm_80")
    assert ".entry" in cuda.compile_ptx(cuda_nonfinite_rows().py_func, (mat, int64[::1]), cc=(8, 0))[0]
    print("ptx: the finiteness check of a GPU array compiles for sm_80")


if __name__ == "__main__":
    {"simulator": simulator, "hardware": hardware, "ptx": ptx}[sys.argv[1]]()
