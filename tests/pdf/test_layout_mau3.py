"""Mẫu 3 as a clerk prints it (issue #11): what the unit registered and nothing of the portal, excerpts that end at
a sentence or a word, counts written "01" and never "00", and a long list that stays a list, not a book."""

import re

import pytest
from django.http import QueryDict

from registry import documents
from registry.models import Level, Registration, Status, SubjectKind
from registry.papers import catalogue
from registry.papers import registrations as papers
from registry.text import search_key
from tests.factories import PersonFactory, RegistrationFactory, default_field
from tests.pdf.utils import pdf_pages, pdf_text, save_pngs

LONG_CONTENT = (
    "Quán triệt, xây dựng kế hoạch và phân công cụ thể từng đồng chí trong cấp ủy phụ trách từng phần việc. "
    "Tổ chức hướng dẫn tận tình người dân, doanh nghiệp khi đến giao dịch tại bộ phận một cửa; niêm yết công khai "
    "thủ tục, lệ phí và thời hạn giải quyết. Tiếp nhận hồ sơ trực tuyến, trả kết quả đúng hẹn, lấy ý kiến đánh giá "
    "sự hài lòng hằng quý và xử lý kịp thời các phản ánh, kiến nghị."
)
LONG_RESULTS = (
    "Mô hình được duy trì thường xuyên, 100% hồ sơ được giải quyết đúng hạn, không có phản ánh, kiến nghị vượt cấp; "
    "95% người dân, doanh nghiệp hài lòng với thái độ phục vụ của cán bộ, công chức."
)


def _params(unit, year) -> QueryDict:
    params = QueryDict(mutable=True)
    params.update({"don_vi": str(unit.pk), "nam": str(year.year)})
    return params


def _draft(user, unit, year) -> bytes:
    return documents.draft_pdf(catalogue.subject_from("mau_3", _params(unit, year), user))


def _titles(context) -> list[str]:
    return [row["title"] for group in context["groups"] for sub in group["subgroups"] for row in sub["rows"]]


# --- what the list holds --------------------------------------------------------------------------------------------


def test_mau_3_leaves_out_registrations_returned_to_their_owner(dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Đang thực hiện")
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED, title="Đã gửi")
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.RETURNED, title="Bị trả lại")
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.DRAFT, title="Còn nháp")
    context = papers.mau_3(unit=dang_bo, year=year, registrations=Registration.objects.all())
    assert sorted(_titles(context)) == ["Đang thực hiện", "Đã gửi"]


def test_mau_3_prints_no_portal_status_in_its_notes(approver, dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED, title="Chờ tiếp nhận")
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.STOPPED, title="Đã dừng")
    text = " ".join(pdf_text(_draft(approver, dang_bo, year)).split())
    assert "Chờ tiếp nhận" in text and "Đã dừng" in text
    for status in Status:
        label = str(status.label)  # some labels are named by the guidance (lazy)
        if label not in ("Chờ tiếp nhận", "Đã dừng"):
            assert label not in text, label
    assert "Đã gửi, chờ tiếp nhận" not in text and "Đã dừng thực hiện" not in text


# --- excerpts -------------------------------------------------------------------------------------------------------


def test_shorten_ends_at_the_last_sentence_that_fits():
    text = "Câu thứ nhất khá dài để vượt một nửa giới hạn. Câu thứ hai không còn chỗ để in trọn vẹn ở đây."
    assert papers.shorten(text, 60) == "Câu thứ nhất khá dài để vượt một nửa giới hạn…"


def test_shorten_cuts_between_words_when_no_sentence_ends_in_reach():
    text = "Một câu rất dài không có dấu chấm nào cho đến tận cuối cùng của đoạn văn bản này"
    short = papers.shorten(text, 40)
    assert short.endswith("…") and len(short) <= 40
    assert text.startswith(short[:-1]) and text[len(short) - 1] == " "


def test_shorten_never_ends_on_a_list_number():
    text = "1. Quán triệt, xây dựng kế hoạch. 2. Tổ chức thực hiện đồng bộ các giải pháp đã đề ra trong năm."
    assert papers.shorten(text, 40) == "1. Quán triệt, xây dựng kế hoạch…"


def test_mau_3_excerpts_end_at_a_sentence_or_a_word(dang_bo, chi_bo, year):
    RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, content=LONG_CONTENT, expected_results=LONG_RESULTS
    )
    queryset = papers.mau_3_queryset(Registration.objects.all(), unit=dang_bo, year=year)
    row = papers.mau_3_groups(queryset)[0][0]["subgroups"][0]["rows"][0]
    for short, full in ((row["content"], LONG_CONTENT), (row["results"], LONG_RESULTS)):
        assert short.endswith("…") and len(short) < len(full)
        kept = short[:-1]
        assert full.startswith(kept)
        # the next character of the typed text ends a word: a space or the sentence's own stop
        assert full[len(kept)] in " .;,", (short, full[len(kept) : len(kept) + 10])


# --- counts ---------------------------------------------------------------------------------------------------------


def test_mau_3_total_line_pads_counts_and_leaves_out_a_zero_part(dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    context = papers.mau_3(unit=dang_bo, year=year, registrations=Registration.objects.all())
    assert context["total_line"] == "Tổng số: 01 mô hình (01 tập thể)."


def test_mau_3_total_line_never_prints_double_zero(approver, dang_bo, member, year):
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    text = " ".join(pdf_text(_draft(approver, dang_bo, year)).split())
    assert "Tổng số: 01 mô hình (01 cá nhân)." in text
    assert not re.search(r"\b00\b", text)


# --- a long list ----------------------------------------------------------------------------------------------------


@pytest.fixture
def three_hundred(dang_bo, chi_bo, agency, year):
    """300 registrations with real-length texts, through the factories (one bulk insert)."""
    members = [PersonFactory(full_name=f"Nguyễn Thị Hoa {i}", work_unit=agency, party_cell=chi_bo) for i in range(3)]
    kinds = [
        {"subject_kind": SubjectKind.PARTY_ORG, "subject_unit": chi_bo, "unit": chi_bo, "receiving_unit": dang_bo},
        {"subject_kind": SubjectKind.AGENCY, "subject_unit": agency, "unit": agency, "receiving_unit": dang_bo},
        *[
            {"subject_kind": SubjectKind.MEMBER, "subject_person": m, "unit": chi_bo, "receiving_unit": chi_bo}
            for m in members
        ],
    ]
    field = default_field()
    objs = []
    for i in range(300):
        kind = kinds[i % len(kinds)]
        title = f"Mô hình {i + 1:03d}: dân vận khéo trong tiếp nhận, giải quyết thủ tục hành chính cho người dân"
        objs.append(
            RegistrationFactory.build(
                year=year, level=Level.BASE, title=title, field=field, content=LONG_CONTENT,
                expected_results=LONG_RESULTS, status=Status.ACTIVE, khoi=kind["unit"].khoi(),
                search_text=search_key(title), **kind,
            )
        )  # fmt: skip
    return Registration.objects.bulk_create(objs)


def test_300_row_mau_3_holds_at_least_twelve_rows_a_page(approver, dang_bo, year, three_hundred):
    pdf = _draft(approver, dang_bo, year)
    save_pngs(pdf, "layout-mau3-300")
    pages = pdf_pages(pdf)
    rows_per_page = [len(re.findall(r"Mô hình \d{3}:", pdf_text(pdf, page))) for page in range(1, pages + 1)]
    assert sum(rows_per_page) == 300
    # The first page carries the header and title, the last the signatures: every other page is full of rows.
    assert min(rows_per_page[1:-1]) >= 12, rows_per_page
    assert pages <= 300 // 12 + 1, pages
