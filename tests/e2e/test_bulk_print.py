"""Bulk printing in the browser: the approver asks for every form of the đảng bộ in one PDF, watches the progress
page reach 100% and downloads a PDF holding the model's title."""

import subprocess

from playwright.sync_api import expect

from registry.models import Status
from registry.models.jobs import JobStatus, PrintJob
from tests.e2e.conftest import login
from tests.factories import RegistrationFactory

TITLE = "Dân vận khéo trong tiếp dân"


def test_approver_prints_every_form_of_the_unit_and_downloads_the_pdf(
    page, settings, approver, dang_bo, chi_bo, year, tmp_path
):
    # Settings are process-wide and the task backends are built per thread from them: the live server uses it too.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title=TITLE)

    login(page, "danguy")
    page.goto("/in-hang-loat/")
    page.get_by_label("Đơn vị").select_option(label="Đảng bộ Sở Y tế")
    page.get_by_label("Năm").select_option("2025")
    page.get_by_label("Một tệp PDF").check()
    page.get_by_role("button", name="Bắt đầu in").click()

    expect(page.locator("#thanh-tien-do")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#thong-bao-in")).to_have_text("Đã in xong, mời tải tệp về.")
    expect(page.locator("#so-bieu-mau")).to_have_text("2/2")
    job = PrintJob.objects.get()
    assert job.status == JobStatus.DONE

    with page.expect_download() as info:
        page.get_by_role("link", name="Tải tệp về").click()
    download = info.value
    assert download.suggested_filename == "in-hang-loat-dang-bo-so-y-te-2025.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, timeout=60).stdout.decode()
    assert TITLE in text


def test_progress_page_follows_a_job_the_worker_finishes_later(page, approver, dang_bo, year):
    """The page polls the status URL: a job finished after the page was shown turns the bar to 100% by itself."""
    job = PrintJob.objects.create(user=approver, unit=dang_bo, year=year, status=JobStatus.RUNNING, done=1, total=4)
    login(page, "danguy")
    page.goto(f"/in-hang-loat/{job.pk}/")
    expect(page.locator("#thanh-tien-do")).to_have_attribute("aria-valuenow", "25")
    expect(page.locator("#thong-bao-in")).to_have_text("Đang in 1/4 biểu mẫu…")

    PrintJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Không in được Mẫu 1 – “A”: lỗi phông chữ")
    expect(page.locator("#thong-bao-in")).to_have_text("Không in được Mẫu 1 – “A”: lỗi phông chữ")
    expect(page.locator("#trang-thai")).to_have_text("Lỗi")
    expect(page.get_by_role("link", name="Tải tệp về")).to_be_hidden()
