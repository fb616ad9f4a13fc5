"""Build Keras models in a chosen dtype."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from .._checks import check_choice

__all__ = ["floatx"]


@contextlib.contextmanager
def floatx(dtype: str | None) -> Iterator[str]:
    """Within the block, Keras makes layers and models in ``dtype``.

    Both ``keras.config.floatx()`` and the global dtype policy are set (and
    restored after), since layers *and* the model take their dtype policy
    from it when they are made: a model built inside the block computes,
    keeps its weights and sums its losses in ``dtype``. ``None`` means
    ``keras.config.floatx()`` (even where Keras cached an older policy).
    """
    import keras

    old, old_policy = keras.config.floatx(), keras.config.dtype_policy()
    dtype = old if dtype is None else dtype
    dtype = check_choice(dtype, "dtype", ("float32", "float64"))
    keras.config.set_floatx(dtype)
    keras.config.set_dtype_policy(dtype)  # Keras caches a policy made from floatx
    try:
        yield dtype
    finally:
        keras.config.set_floatx(old)
        keras.config.set_dtype_policy(old_policy)
