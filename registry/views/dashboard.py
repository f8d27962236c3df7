"""Placeholder: replaced by the real views."""

from django.http import Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def periodic_report(request, *args, **kwargs):
    raise Http404


def periodic_report_pdf(request, *args, **kwargs):
    raise Http404


def periodic_report_xlsx(request, *args, **kwargs):
    raise Http404
