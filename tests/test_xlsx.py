"""The shared .xlsx writer: bold frozen header, widths, and text cells that can never become formulas."""

import datetime
import io
import zipfile

import pytest
from openpyxl import load_workbook

from registry.xlsx import XLSX_CONTENT_TYPE, workbook_response, write_workbook


def _sheet(data: bytes):
    return load_workbook(io.BytesIO(data)).active


@pytest.mark.parametrize("text", ["=1+2", "+84912", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])
def test_a_text_that_looks_like_a_formula_is_written_as_quoted_text(text):
    data = write_workbook("Danh sách", ["Nội dung"], [[text]])
    cell = _sheet(data)["A2"]
    # XML turns a stored carriage return into a line feed on reading; what matters is that it stays text.
    assert (cell.value.replace("\n", "\r"), cell.data_type, cell.quotePrefix) == (text, "s", True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


def test_ordinary_text_numbers_and_dates_keep_their_type():
    data = write_workbook("Danh sách", ["Tên", "Số", "Ngày"], [["Dân vận khéo", 12, datetime.date(2025, 3, 1)]])
    row = _sheet(data)[2]
    assert (row[0].value, row[0].quotePrefix) == ("Dân vận khéo", False)
    assert row[1].value == 12 and row[1].data_type == "n"
    assert row[2].value.date() == datetime.date(2025, 3, 1)


def test_header_is_bold_frozen_and_columns_have_widths():
    sheet = _sheet(write_workbook("Danh sách", ["STT", "Tên mô hình", "Ghi chú"], [], widths=[6, 40]))
    assert [c.value for c in sheet[1]] == ["STT", "Tên mô hình", "Ghi chú"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert [sheet.column_dimensions[col].width for col in "ABC"] == [6, 40, 18]


def test_sheet_title_is_made_valid_for_excel():
    sheet = _sheet(write_workbook("Mẫu 3: danh sách [2025] của Đảng bộ Sở Y tế", ["A"], []))
    assert sheet.title == "Mẫu 3  danh sách  2025  của Đản"[:31].strip()
    assert len(sheet.title) <= 31


def test_control_characters_are_dropped_instead_of_failing():
    sheet = _sheet(write_workbook("Danh sách", ["A"], [["Dòng\x01 một\x0b"]]))
    assert sheet["A2"].value == "Dòng một"


def test_workbook_response_is_an_xlsx_attachment():
    response = workbook_response("danh-sach.xlsx", "Danh sách", ["A"], [["x"]])
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="danh-sach.xlsx"'
    assert _sheet(response.content)["A2"].value == "x"
