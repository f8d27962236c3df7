"""A Mẫu 3 too long to lay out during a request is issued, and drafted, by the background worker with a progress bar
(issue #17): the request checks and records a job, the worker issues through ``documents.issue``."""

import pytest
from django.urls import reverse

from registry import paper_jobs
from registry.models import Document, Registration, Status
from registry.models.jobs import JobKind, JobStatus, PrintJob
from registry.papers import catalogue
from tests.factories import RegistrationFactory
from tests.pdf.utils import pdf_text

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def long_list(monkeypatch, chi_bo, year):
    """Three registered models, over an inline limit of two rows: the list counts as long."""
    monkeypatch.setattr(catalogue, "MAU_3_INLINE_ROWS", 2)
    return [
        RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title=f"Mô hình dài số {i}")
        for i in range(1, 4)
    ]


def _issue_url(code, unit, year):
    return f"{reverse('registry:document-issue', args=[code])}?don_vi={unit.pk}&nam={year.year}"


def _issue(client, unit, year, **fields):
    data = {"number": "", "issued_on": "10/03/2025", "signer_authority": "T/M ĐẢNG ỦY", "signer_title": "BÍ THƯ"}
    data["signer_name"] = "Lê Thị Thu"
    data.update(fields)
    return client.post(_issue_url("mau_3", unit, year), data)


def test_issuing_a_mau_3_over_the_inline_limit_records_a_queued_job_and_issues_nothing_yet(
    client, settings, approver, dang_bo, year, long_list
):
    settings.TASKS = DATABASE  # a real queue: the request only records and enqueues
    client.force_login(approver)
    response = _issue(client, dang_bo, year, number="7")
    job = PrintJob.objects.get(user=approver)
    assert response.status_code == 302 and response["Location"] == reverse("registry:print-job-detail", args=[job.pk])
    assert (job.kind, job.form_code, job.status, job.done, job.total) == (
        JobKind.ISSUE,
        "mau_3",
        JobStatus.QUEUED,
        0,
        3,
    )
    assert job.request["issue"]["number"] == "7-DS/ĐU" and job.task_id
    assert not Document.objects.filter(form_code="mau_3").exists()
    state = client.get(reverse("registry:print-job-status", args=[job.pk])).json()
    assert (state["finished"], state["download_url"], state["total"]) == (False, None, 3)
    page = client.get(response["Location"]).content.decode()
    assert '<h1 class="h3 mb-3">Ban hành văn bản Mẫu 3 (PDF)</h1>' in page
    assert 'id="so-bieu-mau">0/3</span> bước' in page and "Về trang ban hành" in page


def test_the_worker_issues_the_long_mau_3_and_the_progress_page_links_to_the_issued_pdf(
    client, settings, approver, dang_bo, year, long_list
):
    settings.TASKS = IMMEDIATE
    client.force_login(approver)
    _issue(client, dang_bo, year, number="7")
    job = PrintJob.objects.get(user=approver)
    document = Document.objects.get(form_code="mau_3")
    assert (job.status, job.done, job.total, job.document) == (JobStatus.DONE, 3, 3, document)
    assert (document.number, document.signer_name, document.created_by) == ("7-DS/ĐU", "Lê Thị Thu", approver)
    state = client.get(reverse("registry:print-job-status", args=[job.pk])).json()
    assert state["download_url"] == reverse("registry:document-pdf", args=[document.pk])
    assert document.verification_code in state["message"]
    pdf = client.get(state["download_url"])
    assert "Mô hình dài số 3" in pdf_text(b"".join(pdf.streaming_content) if pdf.streaming else pdf.content)


def test_a_number_already_used_is_refused_beside_the_field_and_no_job_is_recorded(
    client, settings, approver, dang_bo, year, long_list
):
    settings.TASKS = IMMEDIATE
    client.force_login(approver)
    _issue(client, dang_bo, year, number="7")
    # Another paper of the unit now holds "7-DS/ĐU" (a number is the unit's for the year, whatever the form).
    Document.objects.filter(form_code="mau_3").update(form_code="mau_4")
    response = _issue(client, dang_bo, year, number="7")
    assert response.status_code == 400
    assert response.context["form"].errors["number"] == ["Số văn bản này đơn vị đã dùng trong năm."]
    assert PrintJob.objects.filter(user=approver).count() == 1


def test_a_list_within_the_inline_limit_is_still_issued_during_the_request(client, approver, dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    client.force_login(approver)
    response = _issue(client, dang_bo, year)
    assert response.status_code == 302 and response["Location"] == _issue_url("mau_3", dang_bo, year)
    assert Document.objects.filter(form_code="mau_3").count() == 1
    assert not PrintJob.objects.exists()


def test_the_draft_of_a_long_mau_3_is_printed_by_the_worker_not_during_the_request(
    client, settings, approver, dang_bo, year, long_list
):
    settings.TASKS = IMMEDIATE
    client.force_login(approver)
    query = f"?don_vi={dang_bo.pk}&nam={year.year}"
    page = client.get(_issue_url("mau_3", dang_bo, year))
    assert page.context["in_background"] and 'id="tao-ban-nhap"' in page.content.decode()
    held = client.get(reverse("registry:document-draft", args=["mau_3"]) + query)
    assert held.status_code == 302 and held["Location"] == _issue_url("mau_3", dang_bo, year)
    response = client.post(reverse("registry:document-draft-job", args=["mau_3"]) + query)
    job = PrintJob.objects.get(user=approver, kind=JobKind.DRAFT)
    assert response["Location"] == reverse("registry:print-job-detail", args=[job.pk])
    assert job.status == JobStatus.DONE and not Document.objects.exists()
    download = client.get(reverse("registry:print-job-download", args=[job.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert "BẢN NHÁP" in text and "Mô hình dài số 1" in text
    assert 'filename="ban-nhap-mau-3-' in download["Content-Disposition"]


def test_another_user_cannot_follow_someone_elses_issue_job(
    client, settings, approver, viewer, dang_bo, year, long_list
):
    settings.TASKS = DATABASE
    client.force_login(approver)
    _issue(client, dang_bo, year)
    job = PrintJob.objects.get(user=approver)
    client.force_login(viewer)
    assert client.get(reverse("registry:print-job-status", args=[job.pk])).status_code == 404


def test_a_list_emptied_while_the_job_waited_fails_the_job_with_the_reason_and_issues_nothing(
    client, settings, approver, dang_bo, year, long_list
):
    settings.TASKS = DATABASE
    client.force_login(approver)
    _issue(client, dang_bo, year)
    job = PrintJob.objects.get(user=approver)
    Registration.objects.filter(pk__in=[reg.pk for reg in long_list]).update(status=Status.RETURNED)
    paper_jobs.run(job.pk)  # what the worker runs
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.document is None
    assert job.error.startswith("Chưa có mô hình nào đăng ký với đơn vị trong năm 2025")
    assert not Document.objects.exists()
    assert client.get(reverse("registry:print-job-status", args=[job.pk])).json()["message"] == job.error
