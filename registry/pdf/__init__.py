"""Printing: the render function (render.py), one context builder per Mẫu (context.py), names on paper
(naming.py), QR codes (qr.py) and the Mẫu 3 picker (forms.py). WeasyPrint's chatty loggers are quieted in
settings.LOGGING."""
