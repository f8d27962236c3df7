"""QR codes for printed documents, as inline PNG data URIs (no file, no network)."""

import segno

# 8 pixels a module: a version-3 code (29 modules) is 232 px wide, ~420 dpi at the 14 mm it prints, so a viewer that
# smooths images anyway still shows sharp modules; pdf.css turns interpolation off (image-rendering: pixelated).
QR_PIXELS_PER_MODULE = 8


def qr_data_uri(text: str) -> str:
    """A PNG ``data:`` URI of a QR code for ``text`` (error correction M, no quiet zone: the page margin is one).

    PNG, not SVG: the code sits in the running footer of every page, and WeasyPrint embeds a raster image once and
    refers to it from each page, whereas it parses and draws an SVG path again on every page (~10 ms a page, a third
    of a long list's PDF writing time).
    """
    return segno.make(text, error="m", micro=False).png_data_uri(scale=QR_PIXELS_PER_MODULE, border=0)
