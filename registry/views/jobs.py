"""Printing every form of a unit and year in the background: the request, its progress page and the download.
The same progress page follows one long paper issued or drafted in the background (``registry.paper_jobs``,
enqueued from ``views.documents``).

The request only records a ``PrintJob`` and enqueues ``registry.tasks.print_unit_forms``: the printing runs in the
task worker, so the portal keeps serving meanwhile. A unit outside the user's scope is a 404; a job is seen and
downloaded only by the user who asked for it (anyone else gets a 404, as for a job that does not exist).
"""

import logging
import os

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from registry import bulk_print, paper_jobs
from registry.document_forms import check_unit_in_scope
from registry.job_forms import PrintJobForm
from registry.models.jobs import JobKind, JobStatus, PrintJob
from registry.tasks import print_unit_forms, run_paper_job

logger = logging.getLogger(__name__)

RECENT_JOBS = 10


def _own_jobs(user):
    return PrintJob.objects.filter(user=user).select_related("unit", "year", "document")


def enqueue(job: PrintJob) -> None:
    """Hand the job to the task backend; a backend that refuses it leaves the job failed with the reason."""
    try:
        task = print_unit_forms if job.kind == JobKind.BULK else run_paper_job
        result = task.enqueue(job.pk)
    except Exception as exc:
        logger.exception("Could not enqueue bulk print job %s", job.pk)
        PrintJob.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            error=f"Không đưa được yêu cầu vào hàng đợi in: {exc}"[: bulk_print.ERROR_LIMIT],
            finished_at=timezone.now(),
        )
        return
    PrintJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


@login_required
def print_job_create(request):
    """GET: the request form and the user's recent jobs. POST: record the job, enqueue it, show its progress."""
    if request.method == "POST":
        check_unit_in_scope(request.POST.get("don_vi"), request.user)
        form = PrintJobForm(request.POST, user=request.user)
        if form.is_valid():
            job = PrintJob.objects.create(
                user=request.user,
                unit=form.cleaned_data["don_vi"],
                year=form.cleaned_data["nam"],
                output_format=form.cleaned_data["dinh_dang"],
            )
            enqueue(job)
            return redirect("registry:print-job-detail", pk=job.pk)
        status = 400
    else:
        form = PrintJobForm(user=request.user)
        status = 200
    context = {"form": form, "jobs": _own_jobs(request.user)[:RECENT_JOBS]}
    return render(request, "registry/print_job_form.html", context, status=status)


def _download_url(job: PrintJob) -> str | None:
    if job.status != JobStatus.DONE:
        return None
    if job.kind == JobKind.ISSUE:
        # The issued document itself: its stored bytes, under the documents' own access rules.
        return reverse("registry:document-pdf", args=[job.document_id]) if job.document_id else None
    return reverse("registry:print-job-download", args=[job.pk]) if job.file else None


def _job_state(job: PrintJob) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": bulk_print.job_message(job) if job.kind == JobKind.BULK else paper_jobs.message(job),
        "finished": job.status in (JobStatus.DONE, JobStatus.FAILED),
        "download_url": _download_url(job),
    }


def _issue_page(job: PrintJob) -> str | None:
    """The issue page of a paper job's paper (the query its subject was found with)."""
    if not job.is_paper or not job.form_code:
        return None
    query = urlencode(job.request.get("query") or {}, doseq=True)
    return f"{reverse('registry:document-issue', args=[job.form_code])}?{query}"


@login_required
@require_GET
def print_job_detail(request, pk: int):
    """The progress page: a bar that static/js/print-job.js refreshes every second, then the download link."""
    job = get_object_or_404(_own_jobs(request.user), pk=pk)
    context = {
        "job": job,
        "state": _job_state(job),
        "status_url": reverse("registry:print-job-status", args=[job.pk]),
        "back_url": _issue_page(job),
    }
    return render(request, "registry/print_job_detail.html", context)


@login_required
@require_GET
def print_job_status(request, pk: int):
    """The job's progress as JSON: status, done, total, percent, message and the download URL once there is one."""
    job = get_object_or_404(_own_jobs(request.user), pk=pk)
    response = JsonResponse(_job_state(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def print_job_download(request, pk: int):
    """The finished job's file, as an attachment; 404 while there is none."""
    job = get_object_or_404(_own_jobs(request.user), pk=pk, status=JobStatus.DONE)
    if not job.file:
        raise Http404("Yêu cầu in này không có tệp để tải về.")
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Tệp kết quả không còn trên máy chủ, vui lòng in lại.") from exc
    # A draft job's file keeps the draft's own name ("ban-nhap-mau-3-….pdf").
    name = os.path.basename(job.file.name) if job.is_paper else bulk_print.job_filename(job)
    return FileResponse(handle, as_attachment=True, filename=name)
