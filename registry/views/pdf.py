"""Placeholder: replaced by the real views."""

from django.http import Http404


def registration_pdf(request, *args, **kwargs):
    raise Http404


def mau3(request, *args, **kwargs):
    raise Http404


def mau3_pdf(request, *args, **kwargs):
    raise Http404


def mau3_xlsx(request, *args, **kwargs):
    raise Http404


def document_pdf(request, *args, **kwargs):
    raise Http404
