"""Placeholder: replaced by the real views."""

from django.http import Http404


def registration_create_choose(request, *args, **kwargs):
    raise Http404


def registration_create(request, *args, **kwargs):
    raise Http404


def registration_detail(request, *args, **kwargs):
    raise Http404


def registration_update(request, *args, **kwargs):
    raise Http404


def registration_transition(request, *args, **kwargs):
    raise Http404
