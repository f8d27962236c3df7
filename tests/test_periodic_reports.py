"""registry.periodic_reports and its PDF: figures up to 30/6 or 31/12, narrative saved per (unit, year, period)."""

import datetime
import subprocess

import pytest
from django.utils import timezone

from registry import documents
from registry.models import PeriodicReport, ReportPeriod, Status, SubjectKind
from registry.papers import catalogue
from registry.papers import reports as context_reports
from registry.periodic_reports import period_label, periodic_figures_build, periodic_report_save
from tests.factories import RegistrationFactory, YearFactory
from tests.papers import issue_unit_paper

TODAY = datetime.date(2025, 6, 5)


def aware(y, m, d):
    return datetime.datetime(y, m, d, 9, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def regs(unit_tree, chi_bo, agency, other_chi_bo, member, year):
    older = YearFactory(year=2024)
    sent_2024 = aware(2024, 2, 1)
    return {
        "jan": RegistrationFactory(
            subject_unit=chi_bo, year=year, status=Status.ACTIVE, submitted_at=aware(2025, 1, 20)
        ),
        "june": RegistrationFactory(
            subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.SUBMITTED,
            submitted_at=aware(2025, 6, 30),
        ),
        "july": RegistrationFactory(
            subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.ACTIVE,
            submitted_at=aware(2025, 7, 2),
        ),
        "old": RegistrationFactory(
            subject_unit=chi_bo, year=older, status=Status.CONFIRMED, submitted_at=sent_2024,
            end_date=datetime.date(2025, 12, 31),
        ),
        "ended": RegistrationFactory(subject_unit=chi_bo, year=older, status=Status.ACTIVE, submitted_at=sent_2024),
        "stopped": RegistrationFactory(
            subject_unit=chi_bo, year=older, status=Status.STOPPED, submitted_at=sent_2024, end_date=None
        ),
        "draft": RegistrationFactory(subject_unit=chi_bo, year=year),
        "theirs": RegistrationFactory(
            subject_unit=other_chi_bo, year=year, status=Status.ACTIVE, submitted_at=aware(2025, 1, 5)
        ),
    }  # fmt: skip


def test_half_year_counts_what_was_sent_up_to_30_june(regs, approver, dang_bo, year):
    result = periodic_figures_build(approver, unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, today=TODAY)
    # jan, june (30/6 counts), old (running in 2025); not july, the draft, another branch, ended or stopped in 2024
    assert result.figures.total == 3
    assert result.new == 2
    assert result.continued == 1
    by_status = {c.key: c.count for c in result.figures.by_status}
    assert (by_status["active"], by_status["submitted"], by_status["confirmed"]) == (1, 1, 1)


def test_annual_counts_up_to_31_december(regs, approver, dang_bo, year):
    result = periodic_figures_build(approver, unit=dang_bo, year=year, period=ReportPeriod.ANNUAL, today=TODAY)
    assert result.figures.total == 4
    assert result.new == 3
    assert {c.key: c.count for c in result.figures.by_subject_kind} == {
        "party_org": 2, "agency": 1, "member": 1, "non_member": 0,
    }  # fmt: skip


def test_report_deadline_and_late_mark(regs, approver, dang_bo, year):
    result = periodic_figures_build(approver, unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, today=TODAY)
    assert result.deadline == datetime.date(2025, 6, 10)
    assert (result.is_late, result.deadline_state) == (False, "Còn 5 ngày")
    later = periodic_figures_build(
        approver, unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, today=datetime.date(2025, 6, 12)
    )
    assert (later.is_late, later.deadline_state) == (True, "Đã quá hạn 2 ngày")


def test_narrative_is_saved_once_per_unit_year_and_period(approver, dang_bo, year):
    data = {"leadership": "Ban hành Kế hoạch số 12-KH/ĐU.", "limitations": "Một số chi bộ đăng ký chậm."}
    periodic_report_save(unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, data=data, user=approver)
    periodic_report_save(
        unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, data={**data, "directions": "Nhân rộng."}, user=approver
    )
    periodic_report_save(
        unit=dang_bo, year=year, period=ReportPeriod.ANNUAL, data={"leadership": "Cả năm."}, user=approver
    )
    half = PeriodicReport.objects.get(unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR)
    assert (half.leadership, half.directions, half.created_by) == (
        "Ban hành Kế hoạch số 12-KH/ĐU.",
        "Nhân rộng.",
        approver,
    )
    assert PeriodicReport.objects.count() == 2


def test_period_label_reads_as_in_the_title(year):
    assert period_label(year, ReportPeriod.HALF_YEAR) == "6 tháng đầu năm 2025"
    assert period_label(year, ReportPeriod.ANNUAL) == "năm 2025"


def test_context_holds_party_layout_parts(regs, approver, dang_bo, year):
    result = periodic_figures_build(approver, unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, today=TODAY)
    context = context_reports.periodic_report(result)
    assert context["title"] == "BÁO CÁO"
    assert context["subject"] == "kết quả xây dựng mô hình “Dân vận khéo” 6 tháng đầu năm 2025"
    assert context["addressee"] == "Ban Thường vụ Đảng ủy Khối (qua Ban Tuyên giáo)"
    assert context["signatures"][0]["authority"] == "T/M ĐẢNG ỦY"
    assert context["signatures"][0]["title"] == "BÍ THƯ"
    assert context["header"]["place"] == "Thái Nguyên"
    assert context["groups"][0]["rows"][0] == {
        "stt": "1.1",
        "group": "Tổng hợp",
        "label": "Tổng số mô hình",
        "count": 3,
    }


def _pdf_text(pdf: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "bao-cao.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text, fonts


def test_pdf_embeds_fonts_and_prints_vietnamese_sections(regs, approver, dang_bo, year, tmp_path):
    periodic_report_save(
        unit=dang_bo, year=year, period=ReportPeriod.ANNUAL,
        data={
            "leadership": "Đảng ủy ban hành Kế hoạch triển khai phong trào.",
            "limitations": "Một số chi bộ còn chậm.", "directions": "Nhân rộng mô hình.",
        },
        user=approver,
    )  # fmt: skip
    document = issue_unit_paper("bc_nam", dang_bo, year, approver, issued_on=datetime.date(2025, 12, 8))
    pdf, filename = documents.pdf_bytes(document), documents.filename(document)
    assert pdf.startswith(b"%PDF")
    assert filename == "bao-cao-nam-2025-dang-bo-so-y-te.pdf"
    assert document.form_code == "bc_nam" and document.issuing_unit == dang_bo
    text, fonts = _pdf_text(pdf, tmp_path)
    assert "Liberation-Serif" in fonts
    assert all(line.split()[-4] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    for phrase in (
        "BÁO CÁO",
        "năm 2025",
        "Kính gửi: Ban Thường vụ Đảng ủy Khối (qua Ban Tuyên giáo)",
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
        "Đảng ủy ban hành Kế hoạch triển khai phong trào.",
        "III. HẠN CHẾ, NGUYÊN NHÂN",
        "IV. PHƯƠNG HƯỚNG",
        "T/M ĐẢNG ỦY",
        "BÍ THƯ",
        "Nơi nhận:",
        "ĐẢNG ỦY SỞ Y TẾ",
        "Thái Nguyên, ngày 08 tháng 12 năm 2025",
    ):
        assert phrase in text, phrase


def test_pdf_of_a_year_without_data_prints_zeros_and_says_so(regs, approver, dang_bo, tmp_path):
    empty = YearFactory(year=2031)
    result = periodic_figures_build(approver, unit=dang_bo, year=empty, period=ReportPeriod.HALF_YEAR, today=TODAY)
    assert result.has_data is False
    assert result.figures.total == 0
    pdf = documents.draft_pdf(catalogue.unit_year_subject("bc_6t", dang_bo, empty, approver))
    text, _fonts = _pdf_text(pdf, tmp_path)
    assert "Chưa có dữ liệu cho năm này" in text
    assert "6 tháng đầu năm 2031" in text


def test_a_report_dated_before_its_periods_end_counts_and_states_figures_up_to_its_date(
    regs, approver, dang_bo, year, tmp_path
):
    # Dated 20/6: the registration sent on 30/6 is not yet known, and the cut-off is not 30/6.
    periodic_report_save(
        unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR,
        data={"leadership": "Lãnh đạo.", "limitations": "Hạn chế.", "directions": "Phương hướng."}, user=approver,
    )  # fmt: skip
    document = issue_unit_paper("bc_6t", dang_bo, year, approver, issued_on=datetime.date(2025, 6, 20))
    text, _fonts = _pdf_text(documents.pdf_bytes(document), tmp_path)
    flat = " ".join(text.split())
    assert "Tính đến ngày 20/06/2025, toàn đơn vị có 2 mô hình" in flat
    assert "30/06/2025" not in flat


def test_a_report_dated_after_its_periods_end_runs_to_the_periods_end(regs, approver, dang_bo, year):
    result = periodic_figures_build(
        approver, unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, on=datetime.date(2025, 7, 5)
    )
    assert result.cutoff == datetime.date(2025, 6, 30)
    assert result.figures.total == 3


def test_the_summary_writes_none_in_words_not_the_digit_zero(regs, approver, dang_bo, year):
    # Up to 20/1 only the old model runs: no new model, no individual one.
    result = periodic_figures_build(
        approver, unit=dang_bo, year=year, period=ReportPeriod.HALF_YEAR, on=datetime.date(2025, 1, 10)
    )
    line = context_reports.summary_lines(result)[0]
    assert "(1 tập thể, không có cá nhân)" in line
    assert "trong đó không có mô hình mới đăng ký năm 2025 và 1 mô hình duy trì" in line
    assert " 0 " not in line


def test_the_summary_of_a_unit_without_models_says_it_has_none(approver, dang_bo):
    empty = YearFactory(year=2031)
    result = periodic_figures_build(approver, unit=dang_bo, year=empty, period=ReportPeriod.ANNUAL, today=TODAY)
    assert context_reports.summary_lines(result) == [
        "Tính đến ngày 31/12/2031, toàn đơn vị chưa có mô hình “Dân vận khéo” nào."
    ]
