"""Placeholder: replaced by the real views."""

from django.http import Http404


def attachment_upload(request, *args, **kwargs):
    raise Http404


def attachment_download(request, *args, **kwargs):
    raise Http404


def attachment_delete(request, *args, **kwargs):
    raise Http404
