"""Placeholder: replaced by the real views."""

from django.http import Http404


def registration_list(request, *args, **kwargs):
    raise Http404


def registration_export(request, *args, **kwargs):
    raise Http404


def unregistered_units(request, *args, **kwargs):
    raise Http404
