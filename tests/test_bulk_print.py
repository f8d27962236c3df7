"""Bulk printing of a unit's forms (registry.bulk_print, registry.tasks): what prints, progress, the file, failures."""

import io
import zipfile

import docx
import pytest
from django.core.management import call_command

from registry import bulk_print, documents
from registry.models import Document, Status, SubjectKind
from registry.models.jobs import JobFormat, JobStatus, PrintJob
from registry.tasks import print_unit_forms
from tests.factories import RegistrationFactory, YearFactory
from tests.papers import issue_registration_form
from tests.pdf.utils import pdf_fonts, pdf_text

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def registrations(chi_bo, agency, member, other_chi_bo, year):
    """Two printable registrations under Đảng bộ Sở Y tế, and three that must not print (draft, other year, other
    branch)."""
    return {
        "party": RegistrationFactory(
            subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Chi bộ “Dân vận khéo” trong cải cách"
        ),
        "member": RegistrationFactory(
            subject_kind=SubjectKind.MEMBER,
            subject_person=member,
            year=year,
            status=Status.SUBMITTED,
            title="Đảng viên gần dân, hiểu dân",
        ),
        "draft": RegistrationFactory(subject_unit=agency, subject_kind=SubjectKind.AGENCY, year=year, title="Bản nháp"),
        "old": RegistrationFactory(
            subject_unit=chi_bo, year=YearFactory(year=2024), status=Status.ACTIVE, title="Mô hình năm trước"
        ),
        "other": RegistrationFactory(
            subject_unit=other_chi_bo, year=year, status=Status.ACTIVE, title="Mô hình Sở Tài chính"
        ),
    }


def _job(user, unit, year, output_format=JobFormat.PDF) -> PrintJob:
    return PrintJob.objects.create(user=user, unit=unit, year=year, output_format=output_format)


def test_pdf_job_prints_mau_3_and_every_non_draft_registration_of_the_subtree(approver, dang_bo, year, registrations):
    job = _job(approver, dang_bo, year)
    print_unit_forms.enqueue(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.error) == (JobStatus.DONE, 3, 3, "")
    assert job.finished_at is not None
    content = job.file.read()
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert "DANH SÁCH" in text
    assert "Chi bộ “Dân vận khéo” trong cải cách" in text
    assert "Đảng viên gần dân, hiểu dân" in text
    for excluded in ("Bản nháp", "Mô hình năm trước", "Mô hình Sở Tài chính"):
        assert excluded not in text


def test_pdf_job_embeds_its_fonts(approver, dang_bo, year, registrations):
    job = _job(approver, dang_bo, year)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    font_lines = pdf_fonts(job.file.read()).splitlines()[2:]
    assert font_lines
    assert all(" yes " in line for line in font_lines)


def test_bulk_print_issues_nothing_and_marks_what_is_not_issued_as_drafts(approver, dang_bo, year, registrations):
    job = _job(approver, dang_bo, year)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    assert not Document.objects.exists()
    assert pdf_text(job.file.read()).count("BẢN NHÁP – chưa ban hành") >= 3


def test_bulk_print_prints_an_issued_paper_as_issued(approver, dang_bo, year, registrations):
    document = issue_registration_form(registrations["party"])
    job = _job(approver, dang_bo, year, JobFormat.ZIP)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        assert archive.read("mau-1-chi-bo-dan-van-kheo-trong-cai-cach.pdf") == documents.pdf_bytes(document)
    assert Document.objects.count() == 1


def test_zip_job_holds_one_pdf_per_form(approver, dang_bo, year, registrations):
    job = _job(approver, dang_bo, year, JobFormat.ZIP)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.file.name.endswith(".zip")
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        names = archive.namelist()
        assert names == [
            "ban-nhap-mau-3-dang-bo-so-y-te-2025.pdf",
            "ban-nhap-mau-1-chi-bo-dan-van-kheo-trong-cai-cach.pdf",
            "ban-nhap-mau-2-dang-vien-gan-dan-hieu-dan.pdf",
        ]
        assert all(archive.read(name).startswith(b"%PDF") for name in names)


def test_zip_names_stay_unique_when_two_forms_share_a_title(approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Cùng một tên")
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Cùng một tên")
    job = _job(approver, chi_bo, year, JobFormat.ZIP)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        # The chi bộ's own registrations are received by its đảng bộ: its Mẫu 3 list is empty and does not print.
        assert archive.namelist() == ["ban-nhap-mau-1-cung-mot-ten.pdf", "ban-nhap-mau-1-cung-mot-ten-2.pdf"]


def test_agency_job_prints_its_registrations_without_a_mau_3(approver, agency, year):
    RegistrationFactory(
        subject_unit=agency, subject_kind=SubjectKind.AGENCY, year=year, status=Status.ACTIVE, title="Sở Y tế gần dân"
    )
    job = _job(approver, agency, year)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total) == (JobStatus.DONE, 1)
    assert "Sở Y tế gần dân" in pdf_text(job.file.read())


def test_job_with_nothing_to_print_is_done_with_a_clear_message(approver, dang_bo, year):
    job = _job(approver, dang_bo, year)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.file.name) == (JobStatus.DONE, 0, 0, "")
    assert job.percent == 100
    assert bulk_print.job_message(job) == "Không có biểu mẫu nào để in cho Đảng bộ Sở Y tế năm 2025."


def test_progress_is_written_after_each_form(approver, dang_bo, year, registrations, monkeypatch):
    seen = []
    render = documents.draft_layout

    def spy(subject):
        row = PrintJob.objects.get(pk=job.pk)
        seen.append((row.status, row.done, row.total))
        return render(subject)

    monkeypatch.setattr(documents, "draft_layout", spy)
    job = _job(approver, dang_bo, year)
    bulk_print.print_job_run(job.pk)
    assert seen == [(JobStatus.RUNNING, 0, 3), (JobStatus.RUNNING, 1, 3), (JobStatus.RUNNING, 2, 3)]


def test_failed_render_leaves_the_job_failed_with_the_form_named(approver, dang_bo, chi_bo, year, monkeypatch):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình lỗi")
    render = documents.draft_layout

    def broken(subject):
        if subject.form.code == "mau_1":
            raise RuntimeError("hết bộ nhớ")
        return render(subject)

    monkeypatch.setattr(documents, "draft_layout", broken)
    job = _job(approver, dang_bo, year)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Không in được Mẫu 1 – “Mô hình lỗi”: hết bộ nhớ"
    assert (job.done, job.total, job.file.name) == (1, 2, "")
    assert bulk_print.job_message(job) == job.error


def test_unexpected_error_before_printing_fails_the_job_in_vietnamese(approver, chi_bo, year, monkeypatch):
    def boom(job):
        raise ValueError("cơ sở dữ liệu bận")

    monkeypatch.setattr(bulk_print, "job_items", boom)
    job = _job(approver, chi_bo, year)
    print_unit_forms.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Đã xảy ra lỗi khi in hàng loạt: cơ sở dữ liệu bận"


def test_a_finished_job_is_not_printed_again(approver, chi_bo, year, monkeypatch):
    job = _job(approver, chi_bo, year)
    PrintJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="Lỗi cũ")
    monkeypatch.setattr(bulk_print, "job_items", lambda job: pytest.fail("a finished job ran again"))
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "Lỗi cũ")


def test_job_prints_only_what_its_user_may_see(secretary, dang_bo, chi_bo, agency, year):
    """A job's unit is checked by the view; the service also never prints outside the user's registrations."""
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình của chi bộ")
    RegistrationFactory(
        subject_unit=agency, subject_kind=SubjectKind.AGENCY, year=year, status=Status.ACTIVE, title="Mô hình Sở"
    )
    job = _job(secretary, dang_bo, year, JobFormat.ZIP)
    assert [item.label for item in bulk_print.job_items(job)] == [
        "Mẫu 3 – danh sách đăng ký năm 2025",
        "Mẫu 1 – “Mô hình của chi bộ”",
    ]


@pytest.mark.django_db(transaction=True)
def test_database_queue_worker_runs_the_job_to_a_valid_zip(settings, reference_data, approver, chi_bo, year):
    settings.TASKS = DATABASE
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình qua hàng đợi")
    job = _job(approver, chi_bo, year, JobFormat.ZIP)
    result = print_unit_forms.enqueue(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED  # enqueueing only records the task: the worker prints

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (JobStatus.DONE, 1, 1)
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        assert archive.testzip() is None
        assert "Mô hình qua hàng đợi" in pdf_text(archive.read("ban-nhap-mau-1-mo-hinh-qua-hang-doi.pdf"))
    assert result.refresh() is None and result.status == "SUCCESSFUL"


def test_word_job_zips_one_docx_per_form_named_like_the_pdfs(approver, dang_bo, year, registrations):
    job = _job(approver, dang_bo, year, JobFormat.DOCX)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.file.name.endswith("-word.zip")
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        assert archive.namelist() == [
            "ban-nhap-mau-3-dang-bo-so-y-te-2025.docx",
            "ban-nhap-mau-1-chi-bo-dan-van-kheo-trong-cai-cach.docx",
            "ban-nhap-mau-2-dang-vien-gan-dan-hieu-dan.docx",
        ]
        assert all(archive.read(name).startswith(b"PK") for name in archive.namelist())


def test_word_job_gives_an_issued_paper_its_word_copy_from_the_snapshot(approver, dang_bo, year, registrations):
    document = issue_registration_form(registrations["party"])
    job = _job(approver, dang_bo, year, JobFormat.DOCX)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(job.file.read())) as archive:
        content = archive.read("mau-1-chi-bo-dan-van-kheo-trong-cai-cach.docx")
    assert docx.Document(io.BytesIO(content)).core_properties.comments.endswith(f"(mã {document.verification_code}).")
