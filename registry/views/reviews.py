"""Placeholder: replaced by the real views."""

from django.http import Http404


def review_unit(request, *args, **kwargs):
    raise Http404


def review_pdf(request, *args, **kwargs):
    raise Http404


def review_xlsx(request, *args, **kwargs):
    raise Http404


def review_edit(request, *args, **kwargs):
    raise Http404


def owner_report_edit(request, *args, **kwargs):
    raise Http404


def owner_report_pdf(request, *args, **kwargs):
    raise Http404
