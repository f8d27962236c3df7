"""One paper too long to lay out while a web worker waits (a long Mẫu 3: ``catalogue.in_background``), issued or
drafted by the background worker, with its progress on a ``PrintJob`` (issue #17).

The request checks what it can at once (``documents.check_issue``: errors beside the field, nothing recorded), then
records the job with the subject's query and what the user confirmed, and enqueues ``registry.tasks.run_paper_job``.
The worker finds the subject again in the user's scope (``catalogue.subject_from``) and issues it through
``documents.issue``, which checks everything again under its lock: what changed meanwhile (a number taken, a list
grown past the limit) ends the job ``failed`` with the Vietnamese reason, and nothing is issued. A draft job keeps
the draft's PDF on the job, as bulk printing does.

``run`` never raises. Progress is a few steps (the list read, the layout, the bytes stored), each its own small
UPDATE, so the progress page (``views.jobs``) sees them while the job runs.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.http import Http404, QueryDict
from django.utils import timezone

from registry import documents
from registry.models.jobs import JobKind, JobStatus, PrintJob
from registry.papers import catalogue

logger = logging.getLogger(__name__)

ERROR_LIMIT = 500
# The steps a job's bar counts: the issue's own steps (``documents.issue``'s ``progress``), then done.
ISSUE_STEPS = ("content", "render", "store")
STEP_MESSAGES = {
    "content": "Đang đọc danh sách và chốt nội dung văn bản…",
    "render": "Đang dàn trang và ghi tệp PDF (danh sách dài có thể mất vài chục giây)…",
    "store": "Đang ký số (nếu có chứng thư) và lưu văn bản…",
}


def _query(subject: catalogue.Subject) -> dict:
    """The subject's URL parameters as JSON holds them (strings, or lists of strings)."""
    return {
        key: [str(v) for v in value] if isinstance(value, list) else str(value)
        for key, value in subject.query().items()
    }


def create_issue_job(subject: catalogue.Subject, data: catalogue.Issue, *, user) -> PrintJob:
    """Record the issue of ``subject`` for the worker, after ``documents.check_issue`` (which raises as ``issue``
    does: nothing is recorded then)."""
    data = documents.check_issue(subject, data, user=user)
    issue = {
        "number": data.number,
        "issued_on": data.issued_on.isoformat(),
        "signer_authority": data.signer_authority,
        "signer_title": data.signer_title,
        "signer_name": data.signer_name,
        "in_force_seen": data.in_force_seen,
    }
    return _create(subject, JobKind.ISSUE, user, {"query": _query(subject), "issue": issue})


def create_draft_job(subject: catalogue.Subject, *, user) -> PrintJob:
    """Record the draft of ``subject`` for the worker."""
    return _create(subject, JobKind.DRAFT, user, {"query": _query(subject)})


def _create(subject, kind, user, request) -> PrintJob:
    return PrintJob.objects.create(
        user=user,
        unit=subject.issuer,
        year=subject.record,
        kind=kind,
        form_code=subject.form.code,
        request=request,
        total=len(ISSUE_STEPS) if kind == JobKind.ISSUE else 1,
    )


def _set(job: PrintJob, **fields) -> None:
    PrintJob.objects.filter(pk=job.pk).update(**fields)


def _subject(job: PrintJob) -> catalogue.Subject:
    params = QueryDict(mutable=True)
    for key, value in (job.request.get("query") or {}).items():
        params.setlist(key, value if isinstance(value, list) else [value])
    return catalogue.subject_from(job.form_code, params, job.user)


def _issue_data(job: PrintJob) -> catalogue.Issue:
    raw = job.request.get("issue") or {}
    return catalogue.Issue(
        number=raw.get("number", ""),
        issued_on=datetime.date.fromisoformat(raw["issued_on"]) if raw.get("issued_on") else None,
        signer_authority=raw.get("signer_authority", ""),
        signer_title=raw.get("signer_title", ""),
        signer_name=raw.get("signer_name", ""),
        in_force_seen=raw.get("in_force_seen"),
    )


def _reason(error: ValidationError) -> str:
    """A refusal of ``documents.issue``, said in one Vietnamese sentence."""
    if hasattr(error, "error_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


def run(job_id: int) -> None:
    """Issue or draft the job's paper; end ``done`` (the document or the draft's file on the job) or ``failed``
    with the Vietnamese reason in ``error``."""
    job = PrintJob.objects.select_related("unit", "year", "user").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return  # deleted meanwhile, or a repeated run of a finished job
    _set(job, status=JobStatus.RUNNING, done=0, error="")
    try:
        subject = _subject(job)
        if job.kind == JobKind.ISSUE:

            def progress(step: str) -> None:
                _set(job, done=ISSUE_STEPS.index(step))

            document = documents.issue(subject, _issue_data(job), user=job.user, progress=progress)
            _set(job, document=document, done=job.total, status=JobStatus.DONE, finished_at=timezone.now())
        else:
            content = documents.draft_pdf(subject)
            job.file.save(documents.draft_filename(subject), ContentFile(content), save=False)
            _set(job, file=job.file.name, done=job.total, status=JobStatus.DONE, finished_at=timezone.now())
    except ValidationError as error:
        _set(job, status=JobStatus.FAILED, error=_reason(error)[:ERROR_LIMIT], finished_at=timezone.now())
    except (PermissionDenied, Http404) as error:
        message = str(error) or documents.NOT_ALLOWED
        _set(job, status=JobStatus.FAILED, error=message[:ERROR_LIMIT], finished_at=timezone.now())
    except Exception as error:
        logger.exception("Paper job %s failed", job.pk)
        message = f"Đã xảy ra lỗi khi ban hành, in văn bản: {error}"
        _set(job, status=JobStatus.FAILED, error=message[:ERROR_LIMIT], finished_at=timezone.now())


def message(job: PrintJob) -> str:
    """What the progress page says beside the bar, in Vietnamese."""
    if job.status == JobStatus.FAILED:
        return job.error or "Không ban hành được văn bản."
    if job.status == JobStatus.DONE:
        if job.kind == JobKind.ISSUE:
            code = job.document.verification_code if job.document else ""
            return f"Đã ban hành, mã xác thực {code}. Mời tải văn bản về."
        return "Đã in xong bản nháp, mời tải tệp về."
    if job.status == JobStatus.RUNNING:
        if job.kind == JobKind.ISSUE and job.done < len(ISSUE_STEPS):
            return STEP_MESSAGES[ISSUE_STEPS[job.done]]
        return "Đang dàn trang và ghi tệp PDF…"
    return "Đang chờ đến lượt xử lý…"
