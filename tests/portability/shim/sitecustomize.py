"""A one-ulp NumPy shim, loaded only by the portable nbval pass.

CPUs disagree in the last bit of NumPy's transcendental functions: the
float64 ``exp``, ``log`` and ``log1p`` of an AVX-512 machine can differ from
an AVX2 machine's by one unit in the last place (ulp), and no environment
variable selects the other kernel. This module stands in for "another CPU":
put its directory on ``PYTHONPATH`` and every Python process started with
that environment (pytest, and the nbval kernel, which inherits it) imports it
at start-up through :mod:`site`. When NumPy is imported, ``numpy.exp``,
``numpy.log``, ``numpy.log1p`` and ``numpy.expm1`` are replaced by wrappers
that call the real ufunc and then move every finite floating-point result
whose lowest mantissa bit is set one ulp towards +inf. That is half the
results, chosen deterministically, each changed by exactly one ulp; a stored
output that depends on such a bit fails the portable pass.

Everything else is left as it is: dtypes, shapes, NumPy scalars, ``out=``,
``where=``, the other ufuncs, and the ufunc methods and attributes (delegated
to the real ufunc, unperturbed). Results that are not float16/32/64 arrays or
scalars (complex, longdouble, foreign array types) are returned unchanged.
The module prints nothing. A sitecustomize module that this one shadows on
``sys.path`` is still run. Loaded under any other name (as the tests do), it
patches nothing.

Used by ``make nbval-portable`` (``scripts/portability_report.py``); tested
by ``tests/portability/test_ulp_shim.py``.
"""

from __future__ import annotations

import copyreg
import importlib.abc
import importlib.machinery
import importlib.util
import os
import sys

SHIM_DIR = os.path.dirname(os.path.abspath(__file__))
NUDGED = ("exp", "log", "log1p", "expm1")


class NudgedUfunc:
    """A unary ufunc whose float results with an odd last bit move one ulp up.

    Args:
        ufunc: The real NumPy ufunc (``numpy.exp`` etc.).
        np: The ``numpy`` module.
    """

    def __init__(self, ufunc, np):
        self._ufunc = ufunc
        self._np = np
        self._uint = {
            np.dtype(np.float16): np.uint16,
            np.dtype(np.float32): np.uint32,
            np.dtype(np.float64): np.uint64,
        }
        self.__name__ = ufunc.__name__
        self.__doc__ = ufunc.__doc__
        self.__module__ = ufunc.__module__

    def __getattr__(self, name):
        return getattr(self._ufunc, name)

    def __repr__(self):
        return f"<ufunc '{self._ufunc.__name__}' (one-ulp test shim)>"

    def __reduce__(self):
        # Pickled as the real ufunc is: by name, so it loads as numpy.<name>.
        return copyreg.dispatch_table[type(self._ufunc)](self._ufunc)

    def __call__(self, *args, **kwargs):
        result = self._ufunc(*args, **kwargs)
        where = kwargs.get("where", True)
        if isinstance(result, tuple):  # not for these ufuncs (nout == 1)
            return result
        return self._nudge(result, where)

    def _nudge(self, result, where):
        np = self._np
        if isinstance(result, np.generic):
            uint = self._uint.get(result.dtype)
            if uint is None or where is False:
                return result
            return self._nudge(np.array(result), where)[()]
        if not isinstance(result, np.ndarray):
            return result
        uint = self._uint.get(result.dtype)
        if uint is None or result.size == 0:
            return result
        values = result.view(np.ndarray)
        odd = (values.view(uint) & uint(1)).astype(bool)
        odd &= np.isfinite(values) & (values != np.finfo(values.dtype).max)
        if where is not True:
            odd &= np.broadcast_to(np.asarray(where, dtype=bool), values.shape)
        if odd.any():
            values[odd] = np.nextafter(values[odd], values.dtype.type(np.inf))
        return result


def install(np) -> None:
    """Replace ``np.exp``, ``np.log``, ``np.log1p`` and ``np.expm1`` (idempotent).

    Args:
        np: The ``numpy`` module, already imported.
    """
    for name in NUDGED:
        ufunc = getattr(np, name)
        if not isinstance(ufunc, NudgedUfunc):
            setattr(np, name, NudgedUfunc(ufunc, np))
    np._nnbook_ulp_shim = True


class _PatchAfterExec(importlib.abc.Loader):
    """Runs NumPy's own loader, then installs the shim."""

    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _import_loop_registrants()
        install(module)


def _import_loop_registrants() -> None:
    """Import extensions that add loops to ``numpy.exp`` and co. first.

    ml_dtypes (imported by TensorFlow) registers its bfloat16 loops on the
    ufunc it finds at ``numpy.exp``, and reads it as a C ufunc object without
    a type check; it must see the real ufunc, so it is imported before the
    wrappers are installed.
    """
    if importlib.util.find_spec("ml_dtypes") is not None:
        importlib.import_module("ml_dtypes")


class _NumpyFinder(importlib.abc.MetaPathFinder):
    """Finds ``numpy`` as usual and wraps its loader; nothing else."""

    def find_spec(self, fullname, path, target=None):
        if fullname != "numpy":
            return None
        others = [f for f in sys.meta_path if f is not self]
        for finder in others:
            find = getattr(finder, "find_spec", None)
            spec = find(fullname, path, target) if find else None
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None:
            spec.loader = _PatchAfterExec(spec.loader)
        return spec


def _run_shadowed_sitecustomize() -> None:
    rest = [p for p in sys.path if os.path.abspath(p or ".") != SHIM_DIR]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


def _activate() -> None:
    if "numpy" in sys.modules:  # imported before site ran: patch it in place
        install(sys.modules["numpy"])
    elif not any(isinstance(f, _NumpyFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _NumpyFinder())
    _run_shadowed_sitecustomize()


# Only as Python's start-up hook; a test that loads this file under another
# name gets the functions without patching its own NumPy.
if __name__ == "sitecustomize":
    _activate()
