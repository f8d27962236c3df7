"""Placeholder: replaced by the real views."""

from django.http import Http404


def print_job_create(request, *args, **kwargs):
    raise Http404


def print_job_detail(request, *args, **kwargs):
    raise Http404


def print_job_status(request, *args, **kwargs):
    raise Http404


def print_job_download(request, *args, **kwargs):
    raise Http404
