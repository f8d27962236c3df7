"""Placeholder: replaced by the real views."""

from django.http import Http404


def verify_lookup(request, *args, **kwargs):
    raise Http404


def document_verify(request, *args, **kwargs):
    raise Http404


def showcase_list(request, *args, **kwargs):
    raise Http404


def showcase_detail(request, *args, **kwargs):
    raise Http404


def showcase_photo(request, *args, **kwargs):
    raise Http404


def document_scan_upload(request, *args, **kwargs):
    raise Http404


def registration_publish(request, *args, **kwargs):
    raise Http404
