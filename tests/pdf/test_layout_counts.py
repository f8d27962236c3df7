"""Counts and subjects as the forms print them (issue #11): two-digit counts, never "00" (a zero part is left
out); every subject line carries its year; the 6b list keeps its text inside its cells and says things once."""

import datetime
import re
from fractions import Fraction

import pytest
from django.http import QueryDict
from django.utils import timezone

from registry import documents, meetings, proposals
from registry.appraisals import RankedEntry
from registry.models import OwnerReport, Purpose, Status, SubjectKind, UnitReviewReport
from registry.papers import appraisals as appraisal_papers
from registry.papers import catalogue
from registry.papers.catalogue import Issue
from registry.pdf.render import render_template
from tests.factories import RegistrationFactory, UnitFactory
from tests.pdf.utils import _run, pdf_text, save_pngs
from tests.test_meetings import make_meeting

DECIDED_ON = datetime.date(2025, 10, 12)
LONG_UNIT = "Chi bộ Phòng Giáo dục Mầm non, Giáo dục Tiểu học và Giáo dục Thường xuyên"


WATERMARK_LETTERS = set("BẢNNHÁP")


def flat(pdf: bytes) -> str:
    """The PDF's text on one line, without the letters of the draft's "BẢN NHÁP" watermark that pdftotext
    interleaves with the lines they cross."""
    return " ".join(word for word in pdf_text(pdf).split() if word not in WATERMARK_LETTERS)


def _params(**values) -> QueryDict:
    params = QueryDict(mutable=True)
    params.update({key: str(value) for key, value in values.items()})
    return params


@pytest.fixture
def proposal_pdf(approver, dang_bo, year):
    """A grassroots exemplar with a long name, confirmed by a decision issued with its number, then proposed to
    the Khối with a note that lists the files: the Mẫu 6b list, as a draft."""
    cell = UnitFactory(parent=dang_bo, code="X-MN", name=LONG_UNIT, kind="chi_bo", leading_body="Chi ủy")
    reg = RegistrationFactory(subject_unit=cell, year=year, status=Status.CONFIRMED, title="Ba cùng với dân")
    meeting = make_meeting(approver, dang_bo, year, [(reg, 6, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_BASE)
    meeting = meetings.meeting_record(meeting, actor=approver)
    decision = catalogue.meeting_subjects(meeting, approver)[1]
    documents.issue(decision, Issue(number="44", issued_on=DECIDED_ON, signer_name="Phạm Văn Đức"), user=approver)
    note = "Hồ sơ gồm: báo cáo thành tích, quyết định công nhận điển hình cấp cơ sở và hình ảnh minh chứng."
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[reg], note=note)
    proposals.proposal_send(proposal, actor=approver)
    pdf = documents.draft_pdf(catalogue.subject_from("mau_6b_ds", _params(de_nghi=proposal.pk), approver))
    save_pngs(pdf, "layout-6b-list")
    return pdf


def test_6b_list_counts_read_01_and_never_00(proposal_pdf):
    text = flat(proposal_pdf)
    assert "Tổng số: 01 điển hình (01 tập thể)." in text
    assert "xác nhận 01 điển hình" in text
    assert not re.search(r"(?<![\d,.])00(?![\d,])", text)


def test_6b_list_subject_carries_the_year(proposal_pdf):
    assert "đề nghị xác nhận điển hình “Dân vận khéo” cấp Đảng bộ Khối năm 2025" in flat(proposal_pdf)


def test_6b_list_says_the_files_once(proposal_pdf):
    text = flat(proposal_pdf)
    assert text.count("Hồ sơ") == 1 and "gửi kèm theo" not in text


def test_6b_list_text_stays_inside_the_table(proposal_pdf):
    """Every word of the table (between its headings and the total line) ends left of the right margin."""
    bbox = _run("pdftotext", proposal_pdf, "-bbox", "-f", "1", "-l", "1")
    words = [
        (float(m["x1"]), float(m["y0"]), m["w"])
        for m in re.finditer(
            r'<word xMin="[\d.]+" yMin="(?P<y0>[\d.]+)" xMax="(?P<x1>[\d.]+)"[^>]*>(?P<w>[^<]*)<', bbox
        )
    ]
    top = next(y for _x, y, w in words if w == "STT")
    bottom = next(y for _x, y, w in words if w == "Tổng")
    right_edge = (210 - 15) * 72 / 25.4  # A4 minus the right margin, in points
    inside = [(x, w) for x, y, w in words if top <= y < bottom]
    assert {"Thường", "xuyên", "12/10/2025"} <= {w for _x, w in inside}, [w for _x, w in inside]
    assert all(x <= right_edge + 0.5 for x, _w in inside), [(x, w) for x, w in inside if x > right_edge]


def _entry(reg) -> RankedEntry:
    return RankedEntry(
        registration=reg, appraisals=[], mean_exact=Fraction(85), criteria_exact=Fraction(5),
        submitted=timezone.now(), unit_name="Đảng bộ Sở Y tế",
    )  # fmt: skip


def test_appraisal_report_counts_read_01_and_leave_out_a_zero_part(khoi, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED, title="Tổ tự quản")
    context = appraisal_papers.mau_7a(
        issuer=khoi, khoi=khoi, year=2025, entries=[_entry(reg)], chosen={reg.pk}, signer={"title": "TRƯỞNG BAN"}
    )
    text = flat(render_template("pdf/mau_7a.html", {**context, "document": {"draft": True}}))
    assert "đã tiếp nhận 01 hồ sơ" in text and "(01 tập thể) của 01 đơn vị" in text
    assert "Có 01 hồ sơ đầy đủ, không có hồ sơ còn thiếu" in text
    assert not re.search(r"(?<![\d,.])00(?![\d,])", text)


def test_submission_counts_read_01_and_leave_out_a_zero_part(khoi, member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.APPRAISED
    )
    context = appraisal_papers.mau_7(
        issuer=khoi, khoi=khoi, year=2025, entries=[_entry(reg)], chosen={reg.pk}, signer={"title": "TRƯỞNG BAN"}
    )
    text = flat(render_template("pdf/mau_7.html", {**context, "document": {"draft": True}}))
    assert "(01 cá nhân) của 01 đơn vị" in text and "xác nhận 01 điển hình" in text
    assert not re.search(r"(?<![\d,.])00(?![\d,])", text)


@pytest.mark.parametrize(
    ("kind", "subject"),
    [
        ("mau_5", "kết quả thực hiện mô hình “Dân vận khéo” năm 2025 (đề nghị xác nhận)"),
        ("mau_6", "điển hình “Dân vận khéo” năm 2025 (tập thể)"),
    ],
)
def test_owner_report_subject_carries_the_year(secretary, chi_bo, year, kind, subject):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    OwnerReport.objects.create(registration=reg, year=year, kind=kind, results="Giảm 30% thời gian chờ.")
    pdf = documents.draft_pdf(catalogue.subject_from(kind, _params(mo_hinh=reg.pk, nam=2025), secretary))
    assert subject in flat(pdf)


def test_mau_4_prints_a_sentence_under_an_empty_list_section(approver, dang_bo, year):
    UnitReviewReport.objects.create(
        unit=dang_bo, year=year, leadership="Ban hành kế hoạch.", limitations="Còn ít mô hình.", directions="Nhân rộng."
    )
    pdf = documents.draft_pdf(catalogue.subject_from("mau_4", _params(don_vi=dang_bo.pk, nam=2025), approver))
    save_pngs(pdf, "layout-mau4-empty")
    text = flat(pdf)
    assert "3. Mô hình tiêu biểu Không có. III. HẠN CHẾ, NGUYÊN NHÂN Còn ít mô hình." in text
    assert "Không có mô hình thuộc diện rà soát trong năm." in text
