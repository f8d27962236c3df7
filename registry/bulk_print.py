"""Printing every form of a unit and year in one go: one PDF, a ZIP of PDFs, or a ZIP of editable Word files (.docx),
saved on a ``PrintJob``.

What prints: the registration forms (Mẫu 1, 1a, 2, 2a) of every registration of the year that the unit or a unit below
it owns, except drafts, and the unit's Mẫu 3 list when it is a party unit with something in the list. A paper that
was issued prints as issued (in a ZIP its signed file: the copy a person signed and uploaded, else the stored
bytes; in one PDF the same pages, marked as an unsigned copy when it was signed); one not issued yet prints as a
draft, marked "BẢN NHÁP" and without a code. In Word, an issued paper is its Word copy written from the snapshot
(``documents.docx_bytes``), one not issued yet the draft's. Bulk printing never issues anything.

``print_job_run`` is what the background task calls. It never raises: it ends with the job ``done`` (with a file,
or with nothing to print) or ``failed`` with a Vietnamese message. Progress (``done`` of ``total``) is written after
every form, each write its own small UPDATE, so the progress page sees it while the job runs.
"""

import io
import logging
import zipfile
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db.models import F
from django.utils import timezone

from registry import documents
from registry.models import Registration, Status
from registry.models.jobs import JobFormat, JobStatus, PrintJob
from registry.papers import catalogue
from registry.papers import registrations as pdf_context
from registry.text import vi_slug

logger = logging.getLogger(__name__)

NOTHING_TO_PRINT = "Không có biểu mẫu nào để in"
ERROR_LIMIT = 500


class PrintError(Exception):
    """A form that could not be printed; the message is Vietnamese and names the form."""


@dataclass(frozen=True)
class PrintItem:
    """One paper to print: a label for messages and the catalogue subject it is."""

    label: str
    subject: catalogue.Subject


def job_registrations(job: PrintJob):
    """Registrations of the job's year owned by its unit or a unit below it, not drafts, that its user may see."""
    return (
        Registration.objects.visible_to(job.user)
        .filter(year=job.year, unit__path__startswith=job.unit.path)
        .exclude(status=Status.DRAFT)
        .select_related(*pdf_context.REGISTRATION_RELATED)
        .order_by("unit__path", "pk")
    )


def job_items(job: PrintJob) -> list[PrintItem]:
    """Every form the job prints, in print order: the Mẫu 3 list first, then each registration's own form."""
    items = []
    unit, year, user = job.unit, job.year, job.user
    if unit.is_party:
        subject = catalogue.unit_year_subject("mau_3", unit, year, user)
        if not subject.not_ready():
            items.append(PrintItem(f"Mẫu 3 – danh sách đăng ký năm {year.year}", subject))
    for reg in job_registrations(job):
        subject = catalogue.registration_subject(reg, user)
        items.append(PrintItem(f"{subject.form.label} – “{reg.title}”", subject))
    return items


def _unique_name(name: str, used: set[str]) -> str:
    stem, dot, ext = name.rpartition(".")
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{stem}-{n}{dot}{ext}"
    used.add(candidate)
    return candidate


def job_filename(job: PrintJob) -> str:
    """An ASCII name: "in-hang-loat-<unit slug>-<year>.pdf" (or .zip; "…-word.zip" for the Word files)."""
    stem = f"in-hang-loat-{vi_slug(job.unit.name, 60)}-{job.year.year}"
    if job.output_format == JobFormat.DOCX:
        return f"{stem}-word.zip"
    return f"{stem}.{job.output_format}"


def _set(job: PrintJob, **fields) -> None:
    """One small UPDATE of the job's row, visible at once to the progress page (no transaction is held)."""
    PrintJob.objects.filter(pk=job.pk).update(**fields)


def _print_all(job: PrintJob, items: list[PrintItem]) -> bytes:
    """The job's file content; advances ``done`` after each form. Raises ``PrintError`` naming a failed form."""
    rendered = []
    archive = io.BytesIO()
    used_names: set[str] = set()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zip_file:
        for item in items:
            try:
                document = documents.current(item.subject)
                if job.output_format == JobFormat.ZIP:
                    if document is not None:
                        name, content = documents.filename(document), documents.signed_file_bytes(document)
                    else:
                        name, content = documents.draft_filename(item.subject), documents.draft_pdf(item.subject)
                    zip_file.writestr(_unique_name(name, used_names), content)
                elif job.output_format == JobFormat.DOCX:
                    if document is not None:
                        name, content = documents.filename(document, "docx"), documents.docx_bytes(document)
                    else:
                        name = documents.draft_filename(item.subject, "docx")
                        content = documents.draft_docx(item.subject)
                    zip_file.writestr(_unique_name(name, used_names), content)
                elif document is not None:
                    rendered.append(documents.layout(document))
                else:
                    rendered.append(documents.draft_layout(item.subject))
            except Exception as exc:
                logger.exception("Bulk print job %s failed on %s", job.pk, item.label)
                raise PrintError(f"Không in được {item.label}: {exc}") from exc
            _set(job, done=F("done") + 1)
    if job.output_format in (JobFormat.ZIP, JobFormat.DOCX):
        return archive.getvalue()
    return documents.merge(rendered)


def job_message(job: PrintJob) -> str:
    """What the progress page says beside the bar, in Vietnamese."""
    if job.status == JobStatus.FAILED:
        return job.error or "In hàng loạt không thành công."
    if job.status == JobStatus.DONE:
        return "Đã in xong, mời tải tệp về." if job.file else f"{NOTHING_TO_PRINT} cho {job.unit} năm {job.year.year}."
    if job.status == JobStatus.RUNNING:
        if job.total and job.done >= job.total:
            return "Đang ghép các biểu mẫu thành một tệp…"
        return f"Đang in {job.done}/{job.total} biểu mẫu…"
    return "Đang chờ đến lượt in…"


def print_job_run(job_id: int) -> None:
    """Print every form of the job; end ``done`` (with a file, or with nothing to print: ``job_message``) or
    ``failed`` with the Vietnamese reason in ``error``."""
    job = PrintJob.objects.select_related("unit", "year", "user").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return  # deleted meanwhile, or a repeated run of a finished job: nothing to do
    try:
        items = job_items(job)
        _set(job, status=JobStatus.RUNNING, done=0, total=len(items), error="")
        if not items:
            _set(job, status=JobStatus.DONE, finished_at=timezone.now())
            return
        content = _print_all(job, items)
        job.file.save(job_filename(job), ContentFile(content), save=False)
        _set(job, file=job.file.name, status=JobStatus.DONE, finished_at=timezone.now())
    except PrintError as exc:
        _set(job, status=JobStatus.FAILED, error=str(exc)[:ERROR_LIMIT], finished_at=timezone.now())
    except Exception as exc:
        logger.exception("Bulk print job %s failed", job.pk)
        message = f"Đã xảy ra lỗi khi in hàng loạt: {exc}"
        _set(job, status=JobStatus.FAILED, error=message[:ERROR_LIMIT], finished_at=timezone.now())
