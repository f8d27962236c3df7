"""Printing, at the edge of the house: a template and its context in, PDF bytes out (render.py), and QR codes
(qr.py). It imports no domain module and only ``registry.documents`` imports it. WeasyPrint's chatty loggers are
quieted in settings.LOGGING."""
