"""Responses shared by the views: the one way a printed form (PDF, or its Word copy) is sent to the browser."""

from django.http import HttpResponse
from django.utils.http import content_disposition_header


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """``content`` as a PDF download named ``filename`` (non-ASCII names are encoded per RFC 6266)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    """``content`` as a Word (.docx) download named ``filename``."""
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
