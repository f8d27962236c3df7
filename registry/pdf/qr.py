"""QR codes for printed documents, as inline SVG data URIs (no file, no network)."""

import segno
from django.conf import settings


def verification_url(code: str) -> str:
    """Absolute URL of the public page that confirms a document: ``<PORTAL_BASE_URL>/xac-thuc/<code>/``."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/xac-thuc/{code}/"


def qr_data_uri(text: str) -> str:
    """An SVG ``data:`` URI of a QR code for ``text`` (error correction M, no quiet zone: the page margin is one)."""
    return segno.make(text, error="m", micro=False).svg_data_uri(scale=4, border=0)
