"""Printing: the render function (render.py), one context builder per Mẫu (context.py), names on paper
(naming.py), QR codes (qr.py) and the Mẫu 3 picker (forms.py)."""

import logging

# WeasyPrint logs every step and every page at INFO, from its import on: a 40-page list would put 50 lines in the
# server log. Set here, before any module of this package imports weasyprint.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
