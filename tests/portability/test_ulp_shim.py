"""The one-ulp NumPy shim of the portable pass (tests/portability/shim).

It must change about half of the floating-point results of ``np.exp``,
``np.log``, ``np.log1p`` and ``np.expm1`` by exactly one ulp, and nothing
else: not the other results, not dtypes, shapes or scalar types, not
``out=``/``where=``, not other functions, and it must print nothing.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

SHIM_DIR = Path(__file__).resolve().parent / "shim"
NAMES = ("exp", "log", "log1p", "expm1")
UINT = {np.float16: np.uint16, np.float32: np.uint32, np.float64: np.uint64}


def _load_shim():
    """The shim as an ordinary module: it patches nothing when loaded so."""
    spec = importlib.util.spec_from_file_location(
        "ulp_shim_under_test", SHIM_DIR / "sitecustomize.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


shim = _load_shim()


def _inputs(name: str, dtype, n: int = 200_000) -> np.ndarray:
    """Inputs whose results are finite, not saturated, over many binades."""
    info = np.finfo(dtype)
    ln_max = float(np.log(info.max))
    rng = np.random.default_rng(0)
    if name == "exp":
        x = rng.uniform(-0.9 * ln_max, 0.9 * ln_max, n)
    elif name == "expm1":  # below about -nmant*ln2 the result is exactly -1
        x = rng.uniform(-0.5 * info.nmant * np.log(2), 0.9 * ln_max, n)
    else:  # random 52-bit mantissas (exact, no rounding) times powers of two
        mantissas = 1.0 + rng.integers(0, 2**52, n) / 2.0**52
        x = np.ldexp(mantissas, rng.integers(info.minexp, info.maxexp - 1, n))
        if name == "log1p":
            x[: n // 8] = rng.uniform(-0.999, 0.0, n // 8)
    return x.astype(dtype)


def test_loading_the_file_under_another_name_patches_nothing():
    assert isinstance(np.exp, np.ufunc)
    assert not getattr(np, "_nnbook_ulp_shim", False)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16])
@pytest.mark.parametrize("name", NAMES)
def test_half_the_results_move_up_by_exactly_one_ulp(name, dtype):
    real = getattr(np, name)
    nudged = shim.NudgedUfunc(real, np)
    x = _inputs(name, dtype)
    expected, got = real(x), nudged(x)
    assert got.dtype == expected.dtype == np.dtype(dtype)
    assert got.shape == expected.shape
    bits = expected.view(UINT[dtype])
    odd = (bits & 1).astype(bool) & np.isfinite(expected)
    changed = got != expected
    # exactly the results with an odd last bit move, each by one ulp up
    np.testing.assert_array_equal(changed, odd)
    np.testing.assert_array_equal(got[odd], np.nextafter(expected[odd], np.inf))
    np.testing.assert_array_equal(got[~odd], expected[~odd])
    assert 0.45 < changed.mean() < 0.55, changed.mean()


def test_exact_results_are_kept_and_special_values_too():
    nudged = {n: shim.NudgedUfunc(getattr(np, n), np) for n in NAMES}
    assert nudged["exp"](0.0) == 1.0
    assert nudged["log"](1.0) == 0.0
    assert nudged["log1p"](0.0) == 0.0 and nudged["expm1"](0.0) == 0.0
    with np.errstate(all="ignore"):
        special = nudged["log"](np.array([0.0, -1.0, np.inf, np.nan]))
    np.testing.assert_array_equal(special, [-np.inf, np.nan, np.inf, np.nan])
    big = np.finfo(np.float64).max
    assert nudged["exp"](np.log(big)) == np.exp(np.log(big))  # never to inf
    with np.errstate(over="ignore"):
        assert nudged["expm1"](np.array([710.0])).tolist() == [np.inf]


def test_scalars_out_where_and_shapes_behave_like_the_ufunc():
    exp = shim.NudgedUfunc(np.exp, np)
    assert type(exp(1.0)) is np.float64 and type(exp(np.float32(1.0))) is np.float32
    assert type(exp(np.array(1.0))) is np.float64  # 0-d in, scalar out, as numpy
    x = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    assert exp(x).shape == (2, 3, 4)
    np.testing.assert_array_equal(exp(x), exp(x.T).T)  # strided input
    out = np.full_like(x, -7.0)
    returned = exp(x, out=out)
    assert returned is out
    np.testing.assert_array_equal(out, exp(x))
    where = x > 0
    out2 = np.full_like(x, -7.0)
    exp(x, out=out2, where=where)
    np.testing.assert_array_equal(out2[~where], -7.0)  # untouched, as numpy
    np.testing.assert_array_equal(out2[where], exp(x)[where])
    sliced = np.zeros(10)
    exp(np.ones(5), out=sliced[::2])
    np.testing.assert_array_equal(sliced[1::2], 0.0)
    assert exp(np.arange(3)).dtype == np.float64  # ints promote, as numpy
    assert exp(np.arange(3, dtype=np.int8)).dtype == np.float16


def test_other_dtypes_and_methods_are_left_alone():
    exp = shim.NudgedUfunc(np.exp, np)
    z = np.array([1 + 2j, 0.5 - 1j])
    np.testing.assert_array_equal(exp(z), np.exp(z))
    g = np.linspace(-3, 3, 11, dtype=np.longdouble)
    np.testing.assert_array_equal(exp(g), np.exp(g))
    assert (exp.nin, exp.nout, exp.types, exp.__name__) == (
        1,
        1,
        np.exp.types,
        "exp",
    )
    with pytest.raises(ValueError, match="binary"):
        exp.reduce(np.ones(3))
    a, b = np.ones(4), np.ones(4)
    exp.at(a, [0, 2])
    np.exp.at(b, [0, 2])
    np.testing.assert_array_equal(a, b)


def _run_with_shim(code: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(SHIM_DIR))
    return subprocess.run(
        [sys.executable, "-X", "dev", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_on_pythonpath_it_patches_numpy_at_import_and_prints_nothing():
    code = """
import sys
assert "numpy" not in sys.modules  # nothing imported at start-up
import numpy as np
import numpy._core.umath as umath
assert np._nnbook_ulp_shim
x = np.linspace(0.1, 10, 1001)
for name in ("exp", "log", "log1p", "expm1"):
    real = getattr(umath, name)
    assert getattr(np, name) is not real
    assert (getattr(np, name)(x) != real(x)).any(), name
for name in ("sin", "tanh", "sqrt", "add", "logaddexp", "exp2", "log10"):
    assert getattr(np, name) is getattr(umath, name), name
import pickle
assert pickle.loads(pickle.dumps(np.exp)) is np.exp
import ml_dtypes  # registers bfloat16 loops on the real ufuncs
b = np.array([1.0, 2.0], dtype=ml_dtypes.bfloat16)
assert np.exp(b).dtype == ml_dtypes.bfloat16
print("ok")
"""
    done = _run_with_shim(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "ok\n"
    assert done.stderr == ""


def test_without_numpy_a_process_is_untouched():
    done = _run_with_shim("import sys; print('numpy' in sys.modules)")
    assert (done.returncode, done.stdout, done.stderr) == (0, "False\n", "")
