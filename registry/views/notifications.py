"""Placeholder: replaced by the real views."""

from django.http import Http404


def reminder_send(request, *args, **kwargs):
    raise Http404


def notification_settings(request, *args, **kwargs):
    raise Http404
