"""Issuing a paper (one page for every form of the catalogue), its draft, and reprints of issued documents.

The record a paper is about comes from the query string (``catalogue.subject_from``: a record outside the user's
scope is a 404). GET shows what will be issued (the paper in force if any, the draft, the form with the defaults);
POST issues it through ``registry.documents`` and comes back to the same page. Nothing is issued by a GET.

A paper too long to lay out while the user waits (``catalogue.in_background``: a long Mẫu 3) is issued, and drafted,
by the background worker (``registry.paper_jobs``): the POST checks what it can at once (errors beside the field),
records the job and shows its progress page.

Every paper also downloads as an editable Word file (``document_docx`` for an issued document, from its snapshot;
``document_draft_docx`` for the draft), under the same access rules as its PDF.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from registry import documents, paper_jobs
from registry.document_forms import IssueForm
from registry.forms import apply_errors
from registry.models import Document, Registration, Unit
from registry.papers import catalogue
from registry.views.jobs import enqueue
from registry.views.responses import docx_response, pdf_response

LONG_DRAFT = "Danh sách dài: bản nháp được in ở máy chủ nền. Bấm “Tạo bản nháp (PDF)” để bắt đầu và theo dõi tiến độ."


def issue_url(subject: catalogue.Subject) -> str:
    """The issue page of ``subject``'s paper."""
    query = urlencode(subject.query(), doseq=True)
    return f"{reverse('registry:document-issue', args=[subject.form.code])}?{query}"


def draft_url(subject: catalogue.Subject, name: str = "document-draft") -> str:
    query = urlencode(subject.query(), doseq=True)
    return f"{reverse(f'registry:{name}', args=[subject.form.code])}?{query}"


def paper_rows(subjects, among=None) -> list[dict]:
    """What ``registry/partials/_papers.html`` shows of each paper: its form, the document in force, its issue page.
    ``among``: documents already read that include every version of these papers (``documents.current``)."""
    return [
        {"form": subject.form, "document": documents.current(subject, among), "issue_url": issue_url(subject)}
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


def _refused(form: IssueForm, error: ValidationError, subject: catalogue.Subject, in_force):
    """Say a refused issue beside its fields; when another version landed meanwhile, the page shows that one
    (returned) and the form carries it."""
    apply_errors(form, error)
    if getattr(error, "code", None) == "changed":
        in_force = documents.current(subject)
        form.show_in_force(in_force)
    return in_force


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
    in_background = not not_ready and catalogue.in_background(subject)
    context = subject.build()
    form = None
    if may_issue and not not_ready and not (in_force and in_force.is_locked):
        form = IssueForm(
            request.POST if request.method == "POST" else None,
            subject=subject,
            initial_signer=documents.default_signer(subject, context),
            example_number=_example_number(subject),
            in_force=in_force,
        )
        if request.method == "POST" and form.is_valid() and in_background:
            try:
                job = paper_jobs.create_issue_job(subject, form.issue(), user=request.user)
            except ValidationError as error:
                in_force = _refused(form, error, subject, in_force)
            else:
                enqueue(job)
                return redirect("registry:print-job-detail", pk=job.pk)
        elif request.method == "POST" and form.is_valid():
            try:
                document = documents.issue(subject, form.issue(), user=request.user)
            except ValidationError as error:
                in_force = _refused(form, error, subject, in_force)
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
            "draft_docx_url": draft_url(subject, "document-draft-docx"),
            "draft_job_url": draft_url(subject, "document-draft-job") if in_background else None,
            "in_background": in_background,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_GET
def document_draft(request, code: str):
    """The paper as it would print now from live data, marked "BẢN NHÁP", with no number, date or code."""
    subject = catalogue.subject_from(code, request.GET, request.user)
    if catalogue.in_background(subject):
        messages.info(request, LONG_DRAFT)
        return redirect(issue_url(subject))
    return pdf_response(documents.draft_pdf(subject), documents.draft_filename(subject))


@login_required
@require_http_methods(["POST"])
def document_draft_job(request, code: str):
    """The draft of a paper too long to lay out during a request, printed by the background worker."""
    subject = catalogue.subject_from(code, request.GET, request.user)
    if not catalogue.in_background(subject):
        return redirect(draft_url(subject))
    job = paper_jobs.create_draft_job(subject, user=request.user)
    enqueue(job)
    return redirect("registry:print-job-detail", pk=job.pk)


@login_required
@require_GET
def document_draft_docx(request, code: str):
    """The draft as an editable Word file. A paper not ready to issue (an unsent registration, an empty or too long
    list) has no Word copy yet: the issue page says why."""
    subject = catalogue.subject_from(code, request.GET, request.user)
    not_ready = subject.not_ready()
    if not_ready:
        messages.error(request, f"Chưa thể tải bản Word: {not_ready}")
        return redirect(issue_url(subject))
    return docx_response(documents.draft_docx(subject), documents.draft_filename(subject, "docx"))


def _visible_documents(user):
    """Documents of visible registrations (including the minutes, decisions and lists that decided them), or
    issued by a unit in scope."""
    visible = Registration.objects.visible_to(user)
    scope = Unit.objects.scope_of(user)
    return Document.objects.filter(
        Q(registration__in=visible)
        | Q(meeting__entries__registration__in=visible)
        | Q(proposal__entries__registration__in=visible)
        | Q(registration__isnull=True, issuing_unit__in=scope),
    ).distinct()


@login_required
@require_GET
def document_pdf(request, pk: int):
    """Reprint an issued document: its stored bytes."""
    document = get_object_or_404(_visible_documents(request.user), pk=pk)
    return pdf_response(documents.pdf_bytes(document), documents.filename(document))


@login_required
@require_GET
def document_docx(request, pk: int):
    """An issued document as an editable Word file, written from its snapshot (who may reprint it may download it).
    The file says it has no verification code's guarantee: the issued PDF stays the record."""
    document = get_object_or_404(_visible_documents(request.user), pk=pk)
    return docx_response(documents.docx_bytes(document), documents.filename(document, "docx"))
