"""FeatureMapExplorer: the panels index feature maps computed once."""

from __future__ import annotations

import numpy as np
import pytest

from nnbook.explain import conv_feature_maps
from nnbook.widgets import FeatureMapExplorer


def test_feature_map_explorer(cnn, digits):
    import matplotlib.pyplot as plt

    X, y = digits.X_test[:30], digits.y_test[:30]
    ex = FeatureMapExplorer(cnn, X, y=y, index=2, layer="conv1", channel=3)
    maps = conv_feature_maps(cnn, X)
    np.testing.assert_allclose(ex._map.get_array(), maps["conv1"][2, ..., 3])
    ex.update(layer="conv2", channel=20, index=5)
    np.testing.assert_allclose(ex._map.get_array(), maps["conv2"][5, ..., 20])
    assert "conv2" in ex._axes[1].get_title()
    assert f"predicted {int(cnn.predict(X[5:6], verbose=0).argmax())}" in (
        ex._axes[0].get_title()
    )
    with pytest.raises(ValueError, match=r"channel must be in \[0, 15\]"):
        ex.update(layer="conv1")  # channel 20 does not exist in conv1
    assert ex.params["layer"] == "conv2"  # a refused update changes nothing
    with pytest.raises(ValueError, match="index"):
        ex.update(index=30)
    with pytest.raises(ValueError, match="layer"):
        ex.update(layer="dense")
    frames = ex.frames("channel", [0, 1])
    assert len(frames) == 2 and frames[0][:4] == b"\x89PNG" and frames[0] != frames[1]
    plt.close(ex.fig)
