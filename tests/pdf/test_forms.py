"""Mẫu 1, 1a, 2, 2a: wording from FormText, every registration section in order, headers and signature blocks."""

import datetime

import pytest
from django.template.loader import render_to_string

from registry import documents
from registry.models import FormText, Registration, SubjectKind
from registry.papers import registrations as pdf_context
from registry.papers.naming import addressee, authority_line, issuing_body_caps, state_style
from tests.factories import RegistrationFactory, UnitFactory
from tests.papers import issue_registration_form, submitted
from tests.pdf.utils import pdf_text, save_pngs


def _fresh(reg):
    return Registration.objects.select_related(*pdf_context.REGISTRATION_RELATED).get(pk=reg.pk)


def _print(reg, **fields):
    """Issue the registration's form (with optional number, date or signer) and return the PDF's text on one line;
    a date given is also the day the registration was sent."""
    if "issued_on" in fields:
        submitted(reg, on=fields["issued_on"])
    pdf = documents.pdf_bytes(issue_registration_form(reg, **fields))
    save_pngs(pdf, reg.form_code)
    return " ".join(pdf_text(pdf).split())


@pytest.fixture
def mau_1(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo trong tiếp nhận hồ sơ trực tuyến")


@pytest.fixture
def mau_1a(agency, year):
    return RegistrationFactory(
        subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, title="Hỏi dân, hiểu dân"
    )


@pytest.fixture
def mau_2(member, year):
    return RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, title="Nghe dân nói")


@pytest.fixture
def mau_2a(non_member, year):
    return RegistrationFactory(
        subject_kind=SubjectKind.NON_MEMBER, subject_person=non_member, year=year, title="Tận tụy phục vụ"
    )


# --- names on paper -------------------------------------------------------------------------------------------


def test_issuing_body_caps_of_a_chi_bo_is_its_name(chi_bo):
    assert issuing_body_caps(chi_bo) == "CHI BỘ PHÒNG NGHIỆP VỤ Y"


def test_issuing_body_caps_of_a_dang_bo_is_its_committee(dang_bo):
    assert issuing_body_caps(dang_bo) == "ĐẢNG ỦY SỞ Y TẾ"


def test_issuing_body_caps_of_the_khoi_names_the_dang_uy_not_its_standing_committee(khoi):
    assert issuing_body_caps(khoi) == "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH"


def test_issuing_body_caps_of_an_agency_is_its_name(agency):
    assert issuing_body_caps(agency) == "SỞ Y TẾ"


def test_issuing_body_caps_of_a_dang_bo_without_leading_body_uses_dang_uy(khoi):
    unit = UnitFactory(parent=khoi, code="X-DB", name="Đảng bộ Công ty Điện lực", kind="dang_bo_co_so", leading_body="")
    assert issuing_body_caps(unit) == "ĐẢNG ỦY CÔNG TY ĐIỆN LỰC"


def test_addressee_joins_leading_body_and_name(khoi, dang_bo, chi_bo, agency):
    assert addressee(dang_bo) == "Đảng ủy Sở Y tế"
    assert addressee(chi_bo) == "Chi ủy Chi bộ Phòng Nghiệp vụ Y"
    assert addressee(khoi) == "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"
    assert addressee(agency) == "Sở Y tế"


def test_authority_line_names_the_committee(khoi, dang_bo, chi_bo):
    assert authority_line(chi_bo) == "T/M CHI ỦY"
    assert authority_line(dang_bo) == "T/M ĐẢNG ỦY"
    assert authority_line(khoi) == "T/M BAN THƯỜNG VỤ"


def test_state_style_writes_signer_prefixes_with_dots():
    assert state_style("T/M ỦY BAN NHÂN DÂN") == "TM. ỦY BAN NHÂN DÂN"
    assert state_style("K/T GIÁM ĐỐC") == "KT. GIÁM ĐỐC"
    assert state_style("GIÁM ĐỐC") == "GIÁM ĐỐC"


# --- Mẫu 1 ----------------------------------------------------------------------------------------------------


def test_mau_1_prints_party_header_title_subject_and_addressee(mau_1):
    text = _print(mau_1, number="12-ĐK/CB", issued_on=datetime.date(2025, 4, 3))
    for phrase in (
        "ĐẢNG BỘ SỞ Y TẾ",
        "CHI BỘ PHÒNG NGHIỆP VỤ Y",
        "Số 12-ĐK/CB",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Thái Nguyên, ngày 03 tháng 4 năm 2025",
        "BẢN ĐĂNG KÝ",
        "xây dựng mô hình “Dân vận khéo” năm 2025",
        "Kính gửi: Đảng ủy Sở Y tế",
        "Dân vận khéo trong tiếp nhận hồ sơ trực tuyến",
    ):
        assert phrase in text, phrase


def test_mau_1_prints_every_registration_section_in_order(mau_1):
    text = _print(mau_1)
    headings = [f"{n}. {pdf_context.DEFAULT_TEXTS[key]}" for n, key in enumerate(
        ["section_1_collective", *(f"section_{i}" for i in range(2, 13))], start=1
    )]  # fmt: skip
    positions = [text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    commitment = FormText.objects.get(form_code="*", key="commitment").text
    assert text.index(" ".join(commitment.split())) > positions[-1]


def test_mau_1_prints_the_sections_content(mau_1):
    text = _print(mau_1)
    for phrase in (
        "Tên tổ chức đảng: Chi bộ Phòng Nghiệp vụ Y",
        "Số đảng viên: 25",
        "Lĩnh vực: Xây dựng Đảng và hệ thống chính trị",
        "Cấp đăng ký: Cấp cơ sở",
        "Từ ngày 01/03/2025 đến ngày 31/12/2025",
        "Họ và tên: Trần Văn Bình",
        "Điện thoại: 0987654321",
    ):
        assert phrase in text, phrase


def test_mau_1_is_signed_by_the_committee_with_recipients(mau_1):
    text = _print(mau_1)
    assert "T/M CHI ỦY" in text and "BÍ THƯ" in text
    assert "Nơi nhận: - Như trên, - Lưu chi bộ." in text


def test_mau_1_wording_comes_from_form_text(mau_1):
    FormText.objects.filter(form_code="mau_1", key="title").update(text="PHIẾU ĐĂNG KÝ")
    FormText.objects.filter(form_code="mau_1", key="subject").update(text="mô hình {year} {không phải biến}")
    text = _print(mau_1)
    assert "PHIẾU ĐĂNG KÝ" in text
    assert "mô hình 2025 {không phải biến}" in text


def test_mau_1_escapes_html_typed_in_the_title(chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="<script>alert('x')</script> Mô hình <b>đậm</b>")
    context = pdf_context.registration_context(_fresh(reg))
    html = render_to_string("pdf/mau_1.html", {**context, "document": {}})
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert('x')</script> Mô hình <b>đậm</b>" in _print(reg)


def test_multi_line_texts_keep_their_line_breaks(chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, content="Bước một: niêm yết.\n\nBước hai: <hướng dẫn>.")
    context = pdf_context.registration_context(_fresh(reg))
    html = render_to_string("pdf/mau_1.html", {**context, "document": {}})
    assert "<p>Bước một: niêm yết.</p>" in html
    assert "<p>Bước hai: &lt;hướng dẫn&gt;.</p>" in html


# --- Mẫu 1a ---------------------------------------------------------------------------------------------------


def test_mau_1a_prints_state_header_and_number_with_colon(mau_1a):
    text = _print(mau_1a, number="05/ĐK-SYT", issued_on=datetime.date(2025, 2, 5))
    for phrase in (
        "SỞ Y TẾ",
        "Số: 05/ĐK-SYT",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thái Nguyên, ngày 05 tháng 02 năm 2025",
        "Kính gửi: Đảng ủy Sở Y tế",
        "Tên cơ quan, đơn vị: Sở Y tế",
        "Số cán bộ, công chức, viên chức, người lao động: 25",
        "Hỏi dân, hiểu dân",
    ):
        assert phrase in text, phrase
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" not in text


def test_mau_1a_is_signed_by_the_head_and_confirmed_by_the_committee(mau_1a):
    text = _print(mau_1a)
    assert "XÁC NHẬN CỦA CẤP ỦY T/M ĐẢNG ỦY BÍ THƯ" in text
    assert "THỦ TRƯỞNG CƠ QUAN" in text


def test_mau_1a_writes_the_issuers_authority_in_state_style(mau_1a):
    text = _print(mau_1a, signer_authority="T/M SỞ Y TẾ", signer_title="GIÁM ĐỐC", signer_name="Phạm Văn Đức")
    assert "TM. SỞ Y TẾ" in text and "GIÁM ĐỐC" in text and "Phạm Văn Đức" in text


# --- Mẫu 2 ----------------------------------------------------------------------------------------------------


def test_mau_2_prints_the_members_details(mau_2):
    text = _print(mau_2)
    for phrase in (
        "CHI BỘ PHÒNG NGHIỆP VỤ Y",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Kính gửi: Chi ủy Chi bộ Phòng Nghiệp vụ Y",
        "Họ và tên: Nguyễn Thị Hoa",
        "Ngày sinh: 17/05/1985",
        "Chức vụ: Chuyên viên",
        "Đơn vị công tác: Sở Y tế",
        "Chi bộ sinh hoạt: Chi bộ Phòng Nghiệp vụ Y",
        "Ngày vào Đảng: 03/03/2010",
        "Điện thoại: 0912345678",
        "Nghe dân nói",
    ):
        assert phrase in text, phrase
    assert "Số " not in text.split("BẢN ĐĂNG KÝ")[0]  # a personal form has no number


def test_mau_2_has_chi_bo_confirmation_and_the_registrant(mau_2):
    text = _print(mau_2)
    assert "XÁC NHẬN CỦA CHI BỘ T/M CHI BỘ BÍ THƯ" in text
    assert "NGƯỜI ĐĂNG KÝ (Ký, ghi rõ họ tên)" in text
    assert "Nguyễn Thị Hoa" in text.split("NGƯỜI ĐĂNG KÝ")[-1]
    assert FormText.objects.get(form_code="mau_2", key="commitment").text.split(",")[0] in text


# --- Mẫu 2a ---------------------------------------------------------------------------------------------------


def test_mau_2a_is_state_style_without_party_details(mau_2a):
    text = _print(mau_2a)
    for phrase in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Kính gửi: Sở Y tế",
        "Họ và tên: Lê Văn Nam",
        "XÁC NHẬN CỦA THỦ TRƯỞNG CƠ QUAN",
        "NGƯỜI ĐĂNG KÝ (Ký, ghi rõ họ tên)",
        "Tận tụy phục vụ",
    ):
        assert phrase in text, phrase
    assert "Ngày vào Đảng" not in text and "Chi bộ sinh hoạt" not in text


def test_every_page_carries_the_verification_code(mau_1):
    document = issue_registration_form(mau_1)
    pdf = documents.pdf_bytes(document)
    pages = pdf_text(pdf).split("\f")[:-1]
    assert len(pages) >= 1
    assert all(f"Mã xác thực: {document.verification_code}" in page for page in pages)
