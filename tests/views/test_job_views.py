"""Bulk print views: who may ask, see and download; how bad input is answered; the portal never blocks on printing."""

import json

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from registry.models import Status
from registry.models.jobs import JobFormat, JobStatus, PrintJob
from registry.tasks import print_unit_forms
from tests.factories import RegistrationFactory
from tests.pdf.utils import pdf_text

CREATE = reverse("registry:print-job-create")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reg(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình in hàng loạt")


def _post(client, unit, year="2025", fmt=JobFormat.PDF):
    return client.post(CREATE, {"don_vi": unit.pk if hasattr(unit, "pk") else unit, "nam": year, "dinh_dang": fmt})


def _job(user, unit, year, **fields) -> PrintJob:
    return PrintJob.objects.create(user=user, unit=unit, year=year, **fields)


# --- print-job-create -------------------------------------------------------------------------------------------


def test_form_offers_only_units_in_the_users_scope(client, approver, dang_bo, other_dang_bo, year):
    client.force_login(approver)
    response = client.get(CREATE)
    assert response.status_code == 200
    options = dict(response.context["form"].fields["don_vi"].widget.choices)
    assert dang_bo.pk in options and "Chi bộ Phòng Nghiệp vụ Y" in " ".join(options.values())
    assert other_dang_bo.pk not in options
    assert "In hàng loạt biểu mẫu" in response.content.decode()


def test_request_creates_the_job_and_shows_its_progress_page(client, approver, dang_bo, year, reg):
    client.force_login(approver)
    response = _post(client, dang_bo)
    job = PrintJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:print-job-detail", args=[job.pk])
    assert (job.user, job.unit, job.year, job.output_format) == (approver, dang_bo, year, JobFormat.PDF)
    assert job.status == JobStatus.DONE and job.task_id
    assert "Mô hình in hàng loạt" in pdf_text(job.file.read())


def test_request_with_the_database_queue_returns_at_once_and_leaves_the_printing_to_the_worker(
    client, settings, approver, dang_bo, year, reg
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client.force_login(approver)
    response = _post(client, dang_bo)
    job = PrintJob.objects.get()
    assert response.status_code == 302
    assert (job.status, job.done, job.file.name) == (JobStatus.QUEUED, 0, "")
    task = DBTaskResult.objects.get()
    assert str(task.id) == job.task_id
    assert task.args_kwargs == {"args": [job.pk], "kwargs": {}}
    assert client.get(reverse("registry:registration-list")).status_code == 200
    page = client.get(reverse("registry:print-job-detail", args=[job.pk])).content.decode()
    assert "Đang chờ đến lượt in…" in page


def test_unit_outside_scope_is_404_and_creates_no_job(client, approver, other_dang_bo, year):
    client.force_login(approver)
    assert _post(client, other_dang_bo).status_code == 404
    assert _post(client, 999999999).status_code == 404
    assert _post(client, 2**70).status_code == 404
    assert not PrintJob.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("don_vi", "abc", "Đơn vị không hợp lệ: hãy chọn một đơn vị trong danh sách."),
        ("don_vi", "", "Vui lòng chọn đơn vị."),
        ("nam", "20x5", "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ("nam", "1999", "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ("dinh_dang", "doc", "Định dạng không hợp lệ: hãy chọn một tệp PDF, tệp ZIP gồm các PDF hoặc các tệp Word."),
        ("dinh_dang", "", "Vui lòng chọn định dạng tệp."),
    ],
)
def test_garbage_parameters_are_form_errors(client, approver, dang_bo, year, field, value, message):
    client.force_login(approver)
    data = {"don_vi": dang_bo.pk, "nam": "2025", "dinh_dang": "pdf", field: value}
    response = client.post(CREATE, data)
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert "Chưa thể bắt đầu in" in response.content.decode()
    assert not PrintJob.objects.exists()


def test_anonymous_user_is_sent_to_login(client, dang_bo, year):
    response = _post(client, dang_bo)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not PrintJob.objects.exists()


def test_backend_that_refuses_the_task_leaves_the_job_failed_with_a_message(
    client, approver, dang_bo, year, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ConnectionError("Redis không phản hồi")

    monkeypatch.setattr(type(print_unit_forms), "enqueue", refuse)
    client.force_login(approver)
    response = _post(client, dang_bo)
    job = PrintJob.objects.get()
    assert response.status_code == 302
    assert job.status == JobStatus.FAILED
    assert job.error == "Không đưa được yêu cầu vào hàng đợi in: Redis không phản hồi"


# --- print-job-detail / status ----------------------------------------------------------------------------------


def test_progress_page_of_a_finished_job_shows_100_percent_and_the_download(client, approver, dang_bo, year, reg):
    client.force_login(approver)
    job = PrintJob.objects.get(pk=_post(client, dang_bo)["Location"].rstrip("/").split("/")[-1])
    content = client.get(reverse("registry:print-job-detail", args=[job.pk])).content.decode()
    assert 'aria-valuenow="100"' in content
    assert "Đã in xong, mời tải tệp về." in content
    assert reverse("registry:print-job-download", args=[job.pk]) in content
    assert "js/print-job.js" in content


def test_status_reports_progress_as_json(client, approver, dang_bo, year):
    job = _job(approver, dang_bo, year, status=JobStatus.RUNNING, done=1, total=4)
    client.force_login(approver)
    response = client.get(reverse("registry:print-job-status", args=[job.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"].split(", ")
    assert json.loads(response.content) == {
        "status": "running",
        "status_label": "Đang thực hiện",
        "done": 1,
        "total": 4,
        "percent": 25,
        "message": "Đang in 1/4 biểu mẫu…",
        "finished": False,
        "download_url": None,
    }


def test_status_of_a_done_job_carries_the_download_url(client, approver, dang_bo, year, reg):
    client.force_login(approver)
    _post(client, dang_bo)
    job = PrintJob.objects.get()
    state = client.get(reverse("registry:print-job-status", args=[job.pk])).json()
    assert (state["status"], state["percent"], state["finished"]) == ("done", 100, True)
    assert state["download_url"] == reverse("registry:print-job-download", args=[job.pk])


def test_failed_job_shows_its_error_not_a_500(client, approver, dang_bo, year):
    job = _job(
        approver, dang_bo, year, status=JobStatus.FAILED, done=1, total=2, error="Không in được Mẫu 1 – “A”: lỗi"
    )
    client.force_login(approver)
    response = client.get(reverse("registry:print-job-detail", args=[job.pk]))
    assert response.status_code == 200
    assert "Không in được Mẫu 1 – “A”: lỗi" in response.content.decode()
    assert client.get(reverse("registry:print-job-status", args=[job.pk])).json()["download_url"] is None
    assert client.get(reverse("registry:print-job-download", args=[job.pk])).status_code == 404


def test_job_with_nothing_to_print_says_so(client, approver, dang_bo, year):
    client.force_login(approver)
    _post(client, dang_bo)
    job = PrintJob.objects.get()
    assert job.status == JobStatus.DONE
    content = client.get(reverse("registry:print-job-detail", args=[job.pk])).content.decode()
    assert "Không có biểu mẫu nào để in cho Đảng bộ Sở Y tế năm 2025." in content
    assert client.get(reverse("registry:print-job-download", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("name", ["print-job-detail", "print-job-status", "print-job-download"])
def test_another_users_job_is_404_even_inside_their_scope(client, approver, khoi_approver, dang_bo, year, reg, name):
    client.force_login(approver)
    _post(client, dang_bo)
    job = PrintJob.objects.get()
    client.force_login(khoi_approver)  # the Khối sees the unit, but the job is the approver's
    assert client.get(reverse(f"registry:{name}", args=[job.pk])).status_code == 404


def test_unknown_job_is_404(client, approver):
    client.force_login(approver)
    assert client.get(reverse("registry:print-job-detail", args=[987654])).status_code == 404


def test_post_to_the_status_url_is_refused(client, approver, dang_bo, year):
    job = _job(approver, dang_bo, year)
    client.force_login(approver)
    assert client.post(reverse("registry:print-job-status", args=[job.pk])).status_code == 405


# --- print-job-download -----------------------------------------------------------------------------------------


def test_owner_downloads_the_pdf_as_an_attachment(client, approver, dang_bo, year, reg):
    client.force_login(approver)
    _post(client, dang_bo)
    job = PrintJob.objects.get()
    response = client.get(reverse("registry:print-job-download", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="in-hang-loat-dang-bo-so-y-te-2025.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_owner_downloads_the_zip_as_an_attachment(client, approver, dang_bo, year, reg):
    client.force_login(approver)
    _post(client, dang_bo, fmt=JobFormat.ZIP)
    job = PrintJob.objects.get()
    response = client.get(reverse("registry:print-job-download", args=[job.pk]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="in-hang-loat-dang-bo-so-y-te-2025.zip"'
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_download_while_the_job_is_queued_is_404(client, approver, dang_bo, year):
    job = _job(approver, dang_bo, year)
    client.force_login(approver)
    assert client.get(reverse("registry:print-job-download", args=[job.pk])).status_code == 404


def test_download_of_a_file_gone_from_disk_is_404(client, approver, dang_bo, year, reg):
    client.force_login(approver)
    _post(client, dang_bo)
    job = PrintJob.objects.get()
    job.file.storage.delete(job.file.name)
    assert client.get(reverse("registry:print-job-download", args=[job.pk])).status_code == 404
