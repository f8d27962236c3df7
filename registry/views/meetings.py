"""Placeholder: replaced by the real views."""

from django.http import Http404


def meeting_list(request, *args, **kwargs):
    raise Http404


def meeting_create(request, *args, **kwargs):
    raise Http404


def meeting_detail(request, *args, **kwargs):
    raise Http404


def meeting_record(request, *args, **kwargs):
    raise Http404


def meeting_minutes_pdf(request, *args, **kwargs):
    raise Http404


def meeting_decision_pdf(request, *args, **kwargs):
    raise Http404
