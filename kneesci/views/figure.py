"""One way to be a figure: PNG bytes, an <img> with alt text, and a notebook display.

Every picture kneesci shows (charts, anatomy drawings, the nomogram) subclasses `FigureView`
and supplies `to_png()` and `alt_text`; this base turns them into HTML and a notebook display,
so a picture is never shown without its words.

    >>> class Blank(FigureView):
    ...     alt_text = "Nothing drawn."
    ...     def to_png(self) -> bytes:
    ...         return b"\\x89PNG"
    >>> Blank().to_html().startswith('<img src="data:image/png;base64,')
    True
"""

from __future__ import annotations

import base64
import html
import io
import struct
import zlib
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

CSS_CLASS = "kneesci-figure"


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(canvas: FigureCanvasAgg) -> bytes:
    """Encode what the canvas last rendered as an RGB PNG, without drawing it again.

    Written by hand (no row filters, fast zlib level) because charts are flat colour: the file is
    as small as Pillow's and encoding takes a third of the time, which matters on every click.
    tests/test_figure.py decodes it and compares the pixels with the canvas.
    """
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    height, width = rgb.shape[:2]
    rows = np.zeros((height, width * 3 + 1), dtype=np.uint8)  # leading 0 = "no filter"
    rows[:, 1:] = rgb.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1))
        + _chunk(b"IEND", b"")
    )


def screen_png(canvas: FigureCanvasAgg) -> bytes:
    """What the canvas last rendered as an 8-bit palette PNG, for a picture sent to a page.

    Charts are flat colours with anti-aliased edges: 256 colours (Pillow's fast octree, no
    dithering) keep every pixel within a few levels of the original and make the file about 2.5
    times smaller than `png_bytes`, which every student pays for on opening and on every click,
    over the classroom's network. Exports and the HTML build keep the exact `png_bytes`.
    """
    rgb = np.ascontiguousarray(np.asarray(canvas.buffer_rgba())[..., :3])
    image = Image.fromarray(rgb).quantize(
        256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
    )
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()


def figure_png(figure: Figure) -> bytes:
    """Draw a whole figure on an Agg canvas and encode it (for figures that change rarely)."""
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    figure.canvas.draw()
    return png_bytes(figure.canvas)


def image_html(png: bytes, alt: str, element_id: str | None = None) -> str:
    """An <img> with alt text (ipywidgets' Image widget has no alt attribute).

    It scales to the width of its column; the class lets a dark theme re-colour it.
    """
    data = base64.b64encode(png).decode("ascii")
    id_attr = f'id="{element_id}" ' if element_id else ""
    return (
        f'<img {id_attr}src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
        f'class="{CSS_CLASS}" style="max-width:100%;height:auto">'
    )


class FigureView:
    """Base of every kneesci picture: subclasses give `to_png()` and `alt_text`."""

    alt_text: str = ""

    def to_png(self) -> bytes:
        raise NotImplementedError

    def to_html(self, element_id: str | None = None) -> str:
        """An <img> carrying the alt text, for widgets, exports and the HTML build."""
        return image_html(self.to_png(), self.alt_text, element_id)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        png = self.to_png()
        return {
            "text/html": image_html(png, self.alt_text),
            "image/png": png,
            "text/plain": self.alt_text,
        }


__all__ = ["FigureView", "figure_png", "image_html", "png_bytes", "screen_png"]
