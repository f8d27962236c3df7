"""Placeholder: replaced by the real views."""

from django.http import Http404


def appraisal_list(request, *args, **kwargs):
    raise Http404


def appraisal_score(request, *args, **kwargs):
    raise Http404


def appraisal_finish(request, *args, **kwargs):
    raise Http404


def ranking(request, *args, **kwargs):
    raise Http404


def ranking_xlsx(request, *args, **kwargs):
    raise Http404


def appraisal_report_pdf(request, *args, **kwargs):
    raise Http404


def submission_pdf(request, *args, **kwargs):
    raise Http404
