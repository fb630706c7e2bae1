"""refopt.gpu's CUDA kernels without a GPU, in two fresh processes started together (the simulator
must be chosen before Numba is imported; each process has its own Numba cache):

* the CUDA simulator (NUMBA_ENABLE_CUDASIM=1) runs every kernel as Python on small batches, held
  equal to the CPU path: f/∇f/∇²f of every function with a GPU kernel to 1e-12, and multistart's
  statuses, minima and iteration counts; arrays already on the (simulated) GPU: results left there,
  bad ones refused;
* numba-cuda's compiler (NVVM, from the test extra's CUDA compiler packages) compiles every kernel
  for a GPU of compute capability 8.0 — what the simulator, which compiles nothing, cannot check:
  that each source is in the subset CUDA device code allows (no allocation, the NumPy functions
  refopt.gpu.device_numpy provides) — and exactly the functions of refopt.gpu.NO_DEVICE_KERNEL fail;
* benchmarks/bench_gpu.py on 64 points under the simulator: a dry run of its GPU code path (its
  times mean nothing there), whose GPU results must equal the CPU's.

On a machine with a GPU, ``python tests/gpu_kernels_check.py hardware`` runs the same checks there.
See tests/gpu_kernels_check.py.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("gpu_kernels_check.py")
ROOT = SCRIPT.parent.parent
BENCH = ROOT / "benchmarks" / "bench_gpu.py"


def has_numba_cuda() -> bool:
    try:
        import numba_cuda  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def checks(tmp_path_factory):
    """Both checks started at once; {mode: (returncode, output)}."""
    if not has_numba_cuda():
        pytest.skip("waits for numba-cuda (the test extra installs it on Linux: pip install '.[test]')")
    procs = {}
    for mode in ("simulator", "ptx", "bench"):
        env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path_factory.mktemp(f"numba_{mode}")),
                   PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
        env.pop("NUMBA_ENABLE_CUDASIM", None)
        if mode != "ptx":
            env["NUMBA_ENABLE_CUDASIM"] = "1"
        command = [str(SCRIPT), mode] if mode != "bench" else [str(BENCH), "--points", "64", "--repeat", "1"]
        procs[mode] = subprocess.Popen([sys.executable, *command], env=env, cwd=ROOT,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return {mode: (p.wait(timeout=900), p.stdout.read()) for mode, p in procs.items()}


def test_kernels_under_the_cuda_simulator_equal_the_cpu_path(checks):
    code, out = checks["simulator"]
    assert code == 0, out[-4000:]
    assert "kernels: 48 functions" in out
    assert out.count("same minima on both devices") == 8
    assert "auto picks the simulated GPU" in out
    assert "f/grad/hess of a GPU array stay on the GPU, equal the CPU; bad ones refused" in out


def test_kernels_compile_for_a_gpu(checks):
    code, out = checks["ptx"]
    if code == 3:
        pytest.skip("waits for the CUDA compiler NVVM (the test extra installs it on Linux): " + out.strip()[-300:])
    assert code == 0, out[-4000:]
    assert "compile for sm_80; 11 are refused, as listed" in out
    assert "multi-start kernel (Newton and BFGS, both line searches) compiles" in out
    assert "finiteness check of a GPU array compiles" in out


def test_the_gpu_benchmark_runs_its_gpu_path(checks):
    code, out = checks["bench"]
    assert code == 0, out[-4000:]
    assert "the CUDA simulator (a dry run" in out
    rows = [line for line in out.splitlines() if line.startswith(("hess_batch", "multistart"))]
    assert len(rows) == 3, out[-2000:]
    for row in rows[:2]:  # end to end and resident, each against the CPU
        diffs = [float(part.split()[0].rstrip(";")) for part in row.split("max rel diff")[1:]]
        assert len(diffs) == 2 and max(diffs) <= 1e-12, row
    assert "same end: 100.0000%" in rows[2]
