"""The left header of a paper never breaks inside a body's name (issue #11): real long names, read back from the
PDF with ``pdftotext -layout`` (one text line per printed line, both columns side by side)."""

import pytest

from registry.models import Registration, Status, SubjectKind, UnitKind
from registry.papers import appraisals as appraisal_papers
from registry.papers import registrations as papers
from registry.pdf.render import render_template
from tests.factories import RegistrationFactory, UnitFactory
from tests.pdf.utils import _run, save_pngs


def layout_lines(pdf: bytes, page: int = 1) -> list[str]:
    text = _run("pdftotext", pdf, "-layout", "-f", str(page), "-l", str(page))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _registration_pdf(reg) -> bytes:
    reg = Registration.objects.select_related(*papers.REGISTRATION_RELATED).get(pk=reg.pk)
    context = papers.registration_context(reg)
    pdf = render_template(f"pdf/{reg.form_code}.html", {**context, "document": {"draft": True}})
    save_pngs(pdf, f"layout-header-{reg.form_code}-{reg.pk}")
    return pdf


@pytest.fixture
def so_giao_duc(khoi, year):
    return UnitFactory(
        parent=khoi, code="SGD-DB", name="Đảng bộ Sở Giáo dục và Đào tạo", kind=UnitKind.DANG_BO_CO_SO,
        leading_body="Đảng ủy", abbreviation="ĐU", header_line="ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
    )  # fmt: skip


def test_a_long_superior_line_and_issuer_print_whole_on_one_line_each(so_giao_duc, year):
    reg = RegistrationFactory(subject_unit=so_giao_duc, year=year, status=Status.SUBMITTED)
    lines = layout_lines(_registration_pdf(reg))
    assert any(line.startswith("ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH") for line in lines), lines[:6]
    assert any(line.startswith("ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO") for line in lines), lines[:6]
    for line in lines[:6]:
        assert not line.endswith(("CƠ QUAN", " VÀ")) and line not in ("TỈNH", "ĐÀO TẠO"), lines[:6]


def test_the_units_printed_name_breaks_where_the_unit_put_a_bar(khoi, year):
    unit = UnitFactory(
        parent=khoi, code="SNN-DB", name="Đảng bộ Sở Nông nghiệp và Môi trường", kind=UnitKind.DANG_BO_CO_SO,
        print_name="Đảng ủy Sở Nông nghiệp|và Môi trường", header_line="ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
    )  # fmt: skip
    reg = RegistrationFactory(subject_unit=unit, year=year, status=Status.SUBMITTED)
    lines = layout_lines(_registration_pdf(reg))
    assert any(line.startswith("ĐẢNG ỦY SỞ NÔNG NGHIỆP") and "MÔI" not in line for line in lines), lines[:6]
    assert any(line.startswith("VÀ MÔI TRƯỜNG") for line in lines), lines[:6]


def test_a_name_too_long_for_one_line_breaks_between_word_groups(khoi, year):
    unit = UnitFactory(
        parent=khoi, code="SVH-DB", name="Đảng bộ Sở Văn hóa, Thể thao và Du lịch", kind=UnitKind.DANG_BO_CO_SO,
        header_line="ĐẢNG BỘ KHỐI CÁC CƠ QUAN TỈNH",
    )  # fmt: skip
    reg = RegistrationFactory(subject_unit=unit, year=year, status=Status.SUBMITTED)
    lines = layout_lines(_registration_pdf(reg))
    assert any(line.startswith("ĐẢNG ỦY SỞ VĂN HÓA,") and "THỂ" not in line for line in lines), lines[:6]
    assert any(line.startswith("THỂ THAO VÀ DU LỊCH") for line in lines), lines[:6]


def test_header_lines_break_before_va_and_never_after_a_joining_word():
    assert papers.header_lines("ĐẢNG ỦY SỞ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", 30) == "ĐẢNG ỦY SỞ NÔNG NGHIỆP\nVÀ MÔI TRƯỜNG"
    assert papers.header_lines("ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO", 30) == "ĐẢNG ỦY SỞ GIÁO DỤC VÀ ĐÀO TẠO"
    assert papers.header_lines("ĐẢNG ỦY SỞ GIÁO DỤC|VÀ ĐÀO TẠO", 30) == "ĐẢNG ỦY SỞ GIÁO DỤC\nVÀ ĐÀO TẠO"


def test_ban_tuyen_giao_prints_its_name_on_one_line(khoi):
    ban = UnitFactory(
        parent=khoi, code="BTG", name="Ban Tuyên giáo Đảng ủy Khối", kind=UnitKind.BAN, leading_body="Ban Tuyên giáo",
        abbreviation="BTG", header_line="ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
    )  # fmt: skip
    context = appraisal_papers.mau_7(
        issuer=ban, khoi=khoi, year=2025, entries=[], chosen=set(), signer={"title": "TRƯỞNG BAN", "name": "Lê Hà"}
    )
    pdf = render_template("pdf/mau_7.html", {**context, "document": {"draft": True}})
    lines = layout_lines(pdf)
    assert any(line.startswith("ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH") for line in lines), lines[:6]
    assert any(line.startswith("BAN TUYÊN GIÁO ĐẢNG ỦY KHỐI") for line in lines), lines[:6]
    assert "KHỐI" not in [line.split(" ")[0] for line in lines[:6]]


def test_confirmation_by_the_head_of_an_agency_breaks_before_thu_truong(non_member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.NON_MEMBER, subject_person=non_member, year=year, status=Status.SUBMITTED
    )
    pdf = _registration_pdf(reg)
    lines = [line for page in (1, 2) for line in layout_lines(pdf, page)]
    assert any(line.startswith("XÁC NHẬN CỦA") for line in lines)
    assert any(line.startswith("THỦ TRƯỞNG CƠ QUAN") for line in lines)
    assert not any(line.endswith("THỦ TRƯỞNG CƠ") or line.startswith("QUAN ") or line == "QUAN" for line in lines)


def test_an_issuer_named_after_its_superior_does_not_repeat_the_superior_line(khoi, year):
    ban = UnitFactory(
        parent=khoi, code="BTGDV", name="Ban Tuyên giáo và Dân vận Đảng ủy các cơ quan Đảng tỉnh", kind=UnitKind.BAN,
        header_line="Đảng ủy các cơ quan Đảng tỉnh",
    )  # fmt: skip
    header = papers._header(ban, {}, style="party")
    assert header["superior"] == "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH"
    assert header["issuer"] == "BAN TUYÊN GIÁO VÀ DÂN VẬN"
