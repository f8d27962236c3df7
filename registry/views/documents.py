"""Issuing a paper (one page for every form of the catalogue), its draft, and reprints of issued documents.

The record a paper is about comes from the query string (``catalogue.subject_from``: a record outside the user's
scope is a 404). GET shows what will be issued (the paper in force if any, the draft, the form with the defaults);
POST issues it through ``registry.documents`` and comes back to the same page. Nothing is issued by a GET.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from registry import documents
from registry.document_forms import IssueForm
from registry.forms import apply_errors
from registry.models import Document, Registration, Unit
from registry.papers import catalogue
from registry.views.responses import pdf_response


def issue_url(subject: catalogue.Subject) -> str:
    """The issue page of ``subject``'s paper."""
    query = urlencode(subject.query(), doseq=True)
    return f"{reverse('registry:document-issue', args=[subject.form.code])}?{query}"


def draft_url(subject: catalogue.Subject) -> str:
    query = urlencode(subject.query(), doseq=True)
    return f"{reverse('registry:document-draft', args=[subject.form.code])}?{query}"


def paper_rows(subjects) -> list[dict]:
    """What ``registry/partials/_papers.html`` shows of each paper: its form, the document in force, its issue page."""
    return [
        {"form": subject.form, "document": documents.current(subject), "issue_url": issue_url(subject)}
        for subject in subjects
    ]


def serve_or_issue(subject: catalogue.Subject):
    """The paper in force as a PDF; before it is issued, its issue page (which offers the draft)."""
    document = documents.current(subject)
    if document is None:
        return redirect(issue_url(subject))
    return pdf_response(documents.pdf_bytes(document), documents.filename(document))


def _example_number(subject: catalogue.Subject) -> str:
    return documents.compose_number(subject, "12") if subject.issuer.abbreviation.strip() else "12-BB/ĐU"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_issue(request, code: str):
    """The issue page of one paper: number, date and signer, confirmed by the user, then "Ban hành"."""
    subject = catalogue.subject_from(code, request.GET, request.user)
    may_issue = subject.form.may_issue(request.user, subject)
    if request.method == "POST" and not may_issue:
        raise PermissionDenied(documents.NOT_ALLOWED)
    in_force = documents.current(subject)
    not_ready = subject.not_ready()
    context = subject.build()
    form = None
    if may_issue and not not_ready and not (in_force and in_force.is_locked):
        form = IssueForm(
            request.POST if request.method == "POST" else None,
            subject=subject,
            initial_signer=documents.default_signer(subject, context),
            example_number=_example_number(subject),
        )
        if request.method == "POST" and form.is_valid():
            try:
                document = documents.issue(subject, form.issue(), user=request.user)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(
                    request,
                    f"Đã ban hành {subject.form.label} ({subject.form.name.lower()}), mã xác thực "
                    f"{document.verification_code}.",
                )
                return redirect(issue_url(subject))
    elif request.method == "POST":
        messages.error(request, not_ready or documents.LOCKED)
        return redirect(issue_url(subject))
    history = list(documents.versions(subject))
    return render(
        request,
        "registry/document_issue.html",
        {
            "subject": subject,
            "paper": context,
            "form": form,
            "may_issue": may_issue,
            "not_ready": not_ready,
            "in_force": in_force,
            "history": history,
            "draft_url": draft_url(subject),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_GET
def document_draft(request, code: str):
    """The paper as it would print now from live data, marked "BẢN NHÁP", with no number, date or code."""
    subject = catalogue.subject_from(code, request.GET, request.user)
    return pdf_response(documents.draft_pdf(subject), documents.draft_filename(subject))


@login_required
@require_GET
def document_pdf(request, pk: int):
    """Reprint an issued document: its stored bytes. Documents of visible registrations (including the minutes,
    decisions and lists that decided them), or issued by a unit in scope."""
    visible = Registration.objects.visible_to(request.user)
    scope = Unit.objects.scope_of(request.user)
    allowed = Document.objects.filter(
        Q(registration__in=visible)
        | Q(meeting__entries__registration__in=visible)
        | Q(proposal__entries__registration__in=visible)
        | Q(registration__isnull=True, issuing_unit__in=scope),
    ).distinct()
    document = get_object_or_404(allowed, pk=pk)
    return pdf_response(documents.pdf_bytes(document), documents.filename(document))
