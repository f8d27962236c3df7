"""Where pages break (forms.md §5, issue #11): the body's last lines go with the signatures and "Nơi nhận", and a
heading never ends a page. Each test grows the body line by line, so that the closing falls on every position of
the page, and reads every version's pages with pdftotext."""

from fractions import Fraction

from django.http import QueryDict
from django.utils import timezone

from registry import documents
from registry.appraisals import RankedEntry
from registry.models import (
    Criterion,
    OwnerReport,
    OwnerReportAssessment,
    Purpose,
    Registration,
    Status,
    SubjectGroup,
    SubjectKind,
)
from registry.papers import appraisals as appraisal_papers
from registry.papers import catalogue
from registry.pdf.render import render_template
from tests.factories import PersonFactory, RegistrationFactory
from tests.pdf.utils import pdf_pages, pdf_text
from tests.test_meetings import make_meeting

END_LINE = "Cuộc họp kết thúc vào hồi"
DRAFT_FOOTER = "BẢN NHÁP"


def _pages(pdf: bytes) -> list[str]:
    return [pdf_text(pdf, page) for page in range(1, pdf_pages(pdf) + 1)]


def _body_lines(page_text: str) -> list[str]:
    """A page's lines without the page number, the draft's footer and watermark."""
    lines = [line.strip() for line in page_text.splitlines() if line.strip()]
    return [line for line in lines if not line.isdigit() and DRAFT_FOOTER not in line and line not in ("BẢN", "NHÁP")]


def _minutes_pdfs(meeting, user, conclusions):
    minutes = catalogue.meeting_subjects(meeting, user)[0]
    for conclusion in conclusions:
        meeting.conclusion = conclusion
        meeting.save(update_fields=["conclusion"])
        yield conclusion, documents.draft_pdf(minutes)


def _conclusions(count: int) -> list[str]:
    sentence = "Hội nghị thống nhất xác nhận các mô hình đạt và giao Văn phòng hoàn thiện hồ sơ, quyết định."
    return ["\n".join([sentence] * n) for n in range(1, count + 1)]


def test_minutes_signatures_never_stand_alone_on_a_page(approver, dang_bo, chi_bo, year):
    regs = [
        RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title=f"Mô hình tiếp dân số {i}")
        for i in range(6)
    ]
    meeting = make_meeting(approver, dang_bo, year, [(reg, 5, 1) for reg in regs])
    broke = False
    for conclusion, pdf in _minutes_pdfs(meeting, approver, _conclusions(14)):
        pages = _pages(pdf)
        broke = broke or len(pages) > 1
        last = " ".join(pages[-1].split())
        assert "CHỦ TRÌ" in last and END_LINE in last, (conclusion.count("\n") + 1, len(pages))
        if len(pages) > 1:
            # the body's last lines came along: the conclusion's last line is printed with the signatures
            assert "Hồ sơ, quyết định." in last.replace("hồ sơ", "Hồ sơ"), len(pages)
    assert broke  # the conclusion grew long enough to push the closing onto a second page


def test_khoi_minutes_signatures_never_stand_alone_on_a_page(khoi_approver, khoi, chi_bo, year):
    regs = [
        RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED, title=f"Điển hình cấp Khối {i}")
        for i in range(6)
    ]
    meeting = make_meeting(
        khoi_approver, khoi, year, [(reg, 9, 0) for reg in regs], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI,
        members_total=11, members_present=9,
    )  # fmt: skip
    for _conclusion, pdf in _minutes_pdfs(meeting, khoi_approver, _conclusions(14)):
        last = " ".join(_pages(pdf)[-1].split())
        assert "THƯ KÝ" in last and END_LINE in last


def _mau_3_pdf(user, unit, year) -> bytes:
    params = QueryDict(mutable=True)
    params.update({"don_vi": str(unit.pk), "nam": str(year.year)})
    return documents.draft_pdf(catalogue.subject_from("mau_3", params, user))


def _add_row(chi_bo, year, count: int) -> None:
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title=f"Mô hình {count:03d}: tiếp dân")


def test_mau_3_last_rows_go_with_the_total_and_signatures(approver, dang_bo, chi_bo, year):
    for count in range(1, 15):
        _add_row(chi_bo, year, count)
        pages = _pages(_mau_3_pdf(approver, dang_bo, year))
        last = " ".join(pages[-1].split())
        assert "Tổng số:" in last and "Nơi nhận:" in last and "T/M ĐẢNG ỦY" in last
        assert f"Mô hình {count:03d}" in last, (count, len(pages))


def test_mau_3_group_headings_never_end_a_page(approver, dang_bo, chi_bo, agency, year):
    # Collective rows fill the first page, then the individual group begins: its heading rows must be on the page
    # of the group's first row, never left at the foot of the page before it.
    member = PersonFactory(full_name="Nguyễn Thị Hoa", work_unit=agency, party_cell=chi_bo)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    for count in range(1, 17):
        _add_row(chi_bo, year, count)
        for page in _pages(_mau_3_pdf(approver, dang_bo, year)):
            text = " ".join(page.split())
            if "II. Mô hình cá nhân" in text or "1. Đảng viên" in text:
                assert "Nguyễn Thị Hoa" in text, count
            if "1. Tổ chức đảng" in text:
                assert "Mô hình 001" in text, count


def test_registration_section_headings_never_end_a_page(secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    subject = catalogue.registration_subject(
        Registration.objects.select_related("year", "field", "unit", "receiving_unit", "subject_unit").get(pk=reg.pk),
        secretary,
    )
    line = "Người dân còn phải đi lại nhiều lần khi làm thủ tục, mất thời gian và chi phí."
    headings = {f"{n}. " for n in range(1, 13)}
    for count in range(1, 16):
        reg.situation = "\n".join([line] * count)
        reg.save(update_fields=["situation"])
        subject.registration.situation = reg.situation
        pages = _pages(documents.draft_pdf(subject))
        for page in pages[:-1]:
            last = _body_lines(page)[-1]
            assert not any(last.startswith(h) for h in headings) or len(last) > 60, (count, last)
        assert "Nơi nhận:" in pages[-1] and "Tập thể đăng ký cam kết" not in pages[0] or len(pages) == 1


def test_appraisal_report_lead_in_stays_with_its_table(khoi, chi_bo, year):
    """Mẫu 7a: "Kết quả thẩm định từng hồ sơ như sau:" is printed on the page where the table begins, however many
    proposing units section I lists before it."""
    entries = []
    for count in range(1, 13):
        reg = RegistrationFactory(
            subject_unit=chi_bo, year=year, status=Status.APPRAISED, title=f"Điển hình {count:02d}"
        )
        entries.append(
            RankedEntry(
                registration=reg, appraisals=[], mean_exact=Fraction(90 - count), criteria_exact=Fraction(5),
                submitted=timezone.now(), unit_name=f"Đảng bộ Sở số {count:02d} của Khối các cơ quan tỉnh",
            )
        )  # fmt: skip
        context = appraisal_papers.mau_7a(
            issuer=khoi, khoi=khoi, year=2025, entries=list(entries), chosen=set(), signer={"title": "TRƯỞNG BAN"}
        )
        pdf = render_template("pdf/mau_7a.html", {**context, "document": {"draft": True}})
        for page in _pages(pdf):
            text = " ".join(page.split())
            if "từng hồ sơ như sau:" in text:
                assert "Điển hình 01" in text, count


def test_mau_6_self_assessment_heading_stays_with_its_table(secretary, chi_bo, year):
    """Mẫu 6: "2. Tự đánh giá theo tiêu chí" is never the last line of a page; its table follows it on the page."""
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    report = OwnerReport.objects.create(registration=reg, year=year, kind="mau_6", results="Kết quả.")
    for criterion in Criterion.objects.filter(group=SubjectGroup.COLLECTIVE).order_by("number"):
        OwnerReportAssessment.objects.create(report=report, criterion=criterion, met=True, note="Có minh chứng.")
    params = QueryDict(mutable=True)
    params.update({"mo_hinh": str(reg.pk), "nam": "2025"})
    line = "Giảm 30% thời gian chờ của người dân khi đến làm thủ tục tại bộ phận một cửa của đơn vị."
    for count in range(1, 30, 2):
        report.results = "\n".join([line] * count)
        report.save(update_fields=["results"])
        pdf = documents.draft_pdf(catalogue.subject_from("mau_6", params, secretary))
        for page in _pages(pdf):
            text = " ".join(page.split())
            if "2. Tự đánh giá theo tiêu chí" in text:
                assert "Minh chứng, ghi chú" in text and "Có minh chứng." in text, count
