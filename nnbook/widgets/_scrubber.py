"""Kernel-free scrubbers: precomputed PNG frames and a plain HTML slider."""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["png_bytes", "scrubber_html"]

_COUNTER = [0]


def png_bytes(fig: Figure, *, dpi: int = 80, colors: int | None = None) -> bytes:
    """Render ``fig`` with Agg and return PNG bytes (no metadata, so stable).

    Args:
        fig: The figure.
        dpi: Resolution.
        colors: If given (2-256), reduce the image to a palette of that many
            colours without dithering: frames of a scrubber then weigh about a
            quarter as much, with no visible change for plots.
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    if colors is None:
        return buf.getvalue()
    from PIL import Image

    if not 2 <= int(colors) <= 256:
        raise ValueError(f"colors must be in [2, 256], got {colors}")
    buf.seek(0)
    img = (
        Image.open(buf)
        .convert("RGB")
        .quantize(
            colors=int(colors),
            method=Image.Quantize.MEDIANCUT,
            dither=Image.Dither.NONE,
        )
    )
    out = io.BytesIO()
    img.save(out, format="png", optimize=True)
    return out.getvalue()


def scrubber_html(
    frames: Sequence[bytes], labels: Sequence[str], *, label: str, alt: str
) -> str:
    """A self-contained HTML player: a range input switches embedded PNGs.

    Args:
        frames: PNG images, one per position of the slider.
        labels: Text shown for each position (same length as ``frames``).
        label: The slider's name, e.g. ``"epoch"``.
        alt: Alt text describing what the frames show.

    Returns:
        str: HTML with inline JavaScript and no external resource.

    Raises:
        ValueError: If ``frames`` is empty or the lengths differ.
    """
    if len(frames) == 0:
        raise ValueError("frames must hold at least one PNG image")
    if len(frames) != len(labels):
        raise ValueError(
            f"labels must have one entry per frame ({len(frames)}), got {len(labels)}"
        )
    _COUNTER[0] += 1
    uid = f"nnbook-scrub-{_COUNTER[0]}"
    uris = [
        "data:image/png;base64," + base64.b64encode(f).decode("ascii") for f in frames
    ]
    esc_alt = html.escape(alt, quote=True)
    esc_label = html.escape(label)
    value = f'<output id="{uid}-value">{html.escape(labels[0])}</output>'
    slider = (
        f'<input type="range" id="{uid}-range" min="0" max="{len(frames) - 1}"'
        f' value="0" step="1" style="width:100%" aria-label="{esc_label}">'
    )
    return f"""<div class="nnbook-scrubber" id="{uid}">
<label for="{uid}-range">{esc_label}: {value}</label>
{slider}
<img id="{uid}-img" src="{uris[0]}" alt="{esc_alt}" style="max-width:100%">
<script>
(function() {{
  var frames = {json.dumps(uris)};
  var labels = {json.dumps(list(labels))};
  var root = document.getElementById("{uid}");
  var range = root.querySelector("input"), img = root.querySelector("img"),
      out = root.querySelector("output");
  range.addEventListener("input", function() {{
    img.src = frames[+range.value];
    out.textContent = labels[+range.value];
    img.dataset.frame = range.value;
  }});
}})();
</script>
</div>"""
