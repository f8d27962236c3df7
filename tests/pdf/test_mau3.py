"""Mẫu 3: the list of a unit and year, as PDF (long lists included) and as .xlsx."""

import io
import re

import pytest
from django.template.loader import render_to_string
from openpyxl import load_workbook

from registry import documents, terms
from registry.models import Level, Registration, Status, SubjectKind
from registry.papers import registrations as pdf_context
from registry.text import search_key
from tests.factories import PersonFactory, RegistrationFactory, UnitFactory, YearFactory, default_field
from tests.papers import issue_unit_paper
from tests.pdf.utils import pdf_pages, pdf_text, save_pngs

CONTENT = (
    "Niêm yết công khai thủ tục; hướng dẫn tận tình người dân, doanh nghiệp; tiếp nhận hồ sơ trực tuyến, "
    "trả kết quả đúng hẹn; lấy ý kiến đánh giá sự hài lòng hằng quý."
)


def _bulk_registrations(count, *, year, kinds):
    """``count`` registrations, cycling through ``kinds`` = [(subject_kind, subject_unit, subject_person, owner,
    receiving)], created with one bulk insert (search_text computed here, as save() would)."""
    field = default_field()
    objs = []
    for i in range(count):
        kind, subject_unit, person, owner, receiving = kinds[i % len(kinds)]
        title = f"Mô hình số {i + 1}: dân vận khéo trong cải cách hành chính"
        objs.append(
            Registration(
                year=year, subject_kind=kind, level=Level.BASE, subject_unit=subject_unit, subject_person=person,
                unit=owner, khoi=owner.khoi(), receiving_unit=receiving, title=title, field=field,
                content=CONTENT, expected_results="Không có hồ sơ trễ hạn; 95% người dân hài lòng.",
                start_date=year.registration_deadline_base, end_date=year.review_deadline_base,
                status=Status.ACTIVE, search_text=search_key(title),
            )
        )  # fmt: skip
    return Registration.objects.bulk_create(objs)


@pytest.fixture
def mixed_kinds(chi_bo, agency, member, non_member, dang_bo):
    return [
        (SubjectKind.PARTY_ORG, chi_bo, None, chi_bo, dang_bo),
        (SubjectKind.AGENCY, agency, None, agency, dang_bo),
        (SubjectKind.MEMBER, None, member, chi_bo, chi_bo),
        (SubjectKind.NON_MEMBER, None, non_member, agency, agency),
    ]


def test_mau_3_lists_registrations_received_in_the_units_subtree_but_not_drafts(dang_bo, chi_bo, khoi, year):
    received = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED, title="Được tiếp nhận")
    RegistrationFactory(subject_unit=chi_bo, year=year, title="Còn nháp")
    other_year = RegistrationFactory(
        subject_unit=chi_bo, year=YearFactory(year=2024), status=Status.ACTIVE, title="Năm khác"
    )
    khoi_level = RegistrationFactory(
        subject_unit=chi_bo, year=year, level=Level.KHOI, status=Status.ACTIVE, title="Cấp Khối"
    )
    context = pdf_context.mau_3(unit=dang_bo, year=year, registrations=Registration.objects.all())
    titles = [row["title"] for group in context["groups"] for sub in group["subgroups"] for row in sub["rows"]]
    assert titles == [received.title]
    assert other_year.title not in titles and khoi_level.receiving_unit == khoi
    assert context["total_line"] == "Tổng số: 01 mô hình (01 tập thể)."


def test_mau_3_groups_rows_as_the_form_and_counts_collective_and_individual(dang_bo, year, mixed_kinds):
    _bulk_registrations(8, year=year, kinds=mixed_kinds)
    context = pdf_context.mau_3(unit=dang_bo, year=year, registrations=Registration.objects.all())
    layout = [(g["label"], [(s["label"], len(s["rows"])) for s in g["subgroups"]]) for g in context["groups"]]
    assert layout == [
        ("I. Mô hình tập thể", [("1. Tổ chức đảng", 2), ("2. Cơ quan, đơn vị, doanh nghiệp", 2)]),
        ("II. Mô hình cá nhân", [("1. Đảng viên", 2), ("2. Không là đảng viên", 2)]),
    ]
    assert context["total_line"] == "Tổng số: 08 mô hình (04 tập thể, 04 cá nhân)."
    member_row = context["groups"][1]["subgroups"][0]["rows"][0]
    assert member_row["subject"] == "Nguyễn Thị Hoa, Chuyên viên, Sở Y tế"
    assert [r["stt"] for g in context["groups"] for s in g["subgroups"] for r in s["rows"]] == list(range(1, 9))


def test_mau_3_rows_are_fetched_in_one_query(dang_bo, year, mixed_kinds, django_assert_num_queries):
    _bulk_registrations(12, year=year, kinds=mixed_kinds)
    queryset = pdf_context.mau_3_queryset(Registration.objects.all(), unit=dang_bo, year=year)
    terms.terms()  # the guidance's names are read once per process (registry.terms), as by any earlier page
    with django_assert_num_queries(1):
        groups, totals = pdf_context.mau_3_groups(queryset)
    assert totals["total"] == 12


def test_mau_3_shortens_long_content_in_print_but_not_in_full(dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, content="Giải pháp dài. " * 60)
    queryset = pdf_context.mau_3_queryset(Registration.objects.all(), unit=dang_bo, year=year)
    short = pdf_context.mau_3_groups(queryset)[0][0]["subgroups"][0]["rows"][0]["content"]
    full = pdf_context.mau_3_groups(queryset, full=True)[0][0]["subgroups"][0]["rows"][0]["content"]
    assert len(short) <= pdf_context.MAU_3_CONTENT_CHARS + 1 and short.endswith("…")
    assert full == ("Giải pháp dài. " * 60).strip()


def test_300_row_mau_3_prints_with_the_table_header_on_every_page(dang_bo, year, mixed_kinds):
    _bulk_registrations(300, year=year, kinds=mixed_kinds)
    pdf = documents.pdf_bytes(issue_unit_paper("mau_3", dang_bo, year))
    save_pngs(pdf, "mau3-300")
    pages = pdf_pages(pdf)
    assert pdf.startswith(b"%PDF") and pages > 1
    for page in range(1, pages + 1):
        text = " ".join(pdf_text(pdf, page).split())
        if "Mô hình số" in text:  # every page that carries rows repeats the column headings
            for heading in ("STT", "Tên mô hình", "Lĩnh vực", "Nội dung chủ yếu", "Ghi chú"):
                assert heading in text, (page, heading)
    assert "Tổng số: 300 mô hình (150 tập thể, 150 cá nhân)." in pdf_text(pdf).replace("\n", " ")
    assert "Mô hình số 300:" in pdf_text(pdf)


def _mau_3_document(unit, year):
    return issue_unit_paper("mau_3", unit, year)


def test_mau_3_fixed_layout_has_one_column_width_per_heading_filling_the_page(dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    document = _mau_3_document(dang_bo, year)
    html = render_to_string(documents.template_of(document), documents.render_context(document))
    table = html[html.index('<table class="list">') :]
    colgroup = table[: table.index("</colgroup>")]
    widths = [int(w) for w in re.findall(r'<col style="width: (\d+)%">', colgroup)]
    assert len(widths) == len(pdf_context.MAU_3_COLUMNS) == 9
    assert sum(widths) == 100


def test_mau_3_prints_the_registration_level_on_one_line(dang_bo, chi_bo, year):
    # A column too narrow for its few fixed values wraps every row: a taller list, and a slower one to lay out.
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, level=Level.BASE)
    text = pdf_text(documents.pdf_bytes(_mau_3_document(dang_bo, year)))
    assert "Cấp cơ sở" in text


def test_mau_3_pdf_has_party_header_title_and_year(dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Sáng kiến “Hỏi dân”")
    text = " ".join(pdf_text(documents.pdf_bytes(_mau_3_document(dang_bo, year))).split())
    for phrase in ("ĐẢNG CỘNG SẢN VIỆT NAM", "ĐẢNG ỦY SỞ Y TẾ", "DANH SÁCH", "năm 2025", "Sáng kiến “Hỏi dân”"):
        assert phrase in text


def test_mau_3_of_a_unit_without_registrations_says_none(year):
    lonely = UnitFactory(code="X-LONELY", name="Đảng bộ Không Ai")
    context = pdf_context.mau_3(unit=lonely, year=year, registrations=Registration.objects.all())
    assert context["totals"] == {"total": 0, "collective": 0, "individual": 0}
    assert context["total_line"] == "Tổng số: 0 mô hình."


def test_mau_3_xlsx_rows_match_the_list(client, approver, dang_bo, year, mixed_kinds):
    _bulk_registrations(4, year=year, kinds=mixed_kinds)
    person = PersonFactory(full_name='=HYPERLINK("http://x")', work_unit=dang_bo, party_cell=dang_bo)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=person, year=year, status=Status.ACTIVE)
    client.force_login(approver)
    response = client.get("/danh-sach-dang-ky/excel/", {"don_vi": dang_bo.pk, "nam": 2025})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("STT", "Nhóm", "Tên mô hình", "Tập thể / cá nhân đăng ký")
    assert [r[1] for r in rows[1:]] == [
        "I.1. Tổ chức đảng",
        "I.2. Cơ quan, đơn vị, doanh nghiệp",
        "II.1. Đảng viên",
        "II.1. Đảng viên",
        "II.2. Không là đảng viên",
    ]
    injected = [cell for (cell,) in sheet.iter_rows(min_col=4, max_col=4) if "HYPERLINK" in str(cell.value)]
    assert [c.value for c in injected] == ['=HYPERLINK("http://x"), Chuyên viên, Đảng bộ Sở Y tế']
    assert injected[0].data_type == "s" and injected[0].quotePrefix
