"""Excel (.xlsx) exports: one sheet with a bold, frozen header row, column widths and cells that are never formulas.

A typed text that starts with "=", "+", "-", "@", a tab or a carriage return would be read by Excel or LibreOffice
as a formula (formula injection). Every string is therefore written as a text cell (``data_type = "s"``), and the
risky ones also get Excel's quote prefix: the same flag a typed leading apostrophe sets, so Excel shows the text
as typed, without the apostrophe, and keeps it text when the cell is edited.

Rows are streamed through openpyxl's write-only mode, so a long export does not hold a worksheet of cell objects.
"""

import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_WIDTH = 18
_HEADER_FONT = Font(bold=True)
_HEADER_ALIGNMENT = Alignment(horizontal="center", vertical="center", wrap_text=True)
_WRAP = Alignment(vertical="top", wrap_text=True)


def _sheet_title(title: str) -> str:
    # Excel limits a sheet title to 31 characters and forbids []:*?/\ in it.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Sheet1"


def _cell(ws, value, *, header: bool = False) -> WriteOnlyCell:
    if isinstance(value, Promise):
        value = str(value)  # a label named by the guidance (registry.terms.lazy_text)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(ws, value=text)
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if text.startswith(FORMULA_PREFIXES):
            cell.quotePrefix = True
    else:
        cell = WriteOnlyCell(ws, value=value)
    if header:
        cell.font = _HEADER_FONT
        cell.alignment = _HEADER_ALIGNMENT
    elif isinstance(value, str):
        cell.alignment = _WRAP
    return cell


def write_workbook(
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[float] | None = None,
) -> bytes:
    """The bytes of an .xlsx file with one sheet: ``headers`` in a bold frozen first row, then ``rows``.

    Values may be str, int, float, Decimal, date, datetime or None. ``widths`` are column widths in Excel's units
    (characters); missing ones default to 18.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(sheet_title))
    for index in range(len(headers)):
        width = widths[index] if widths and index < len(widths) and widths[index] else DEFAULT_WIDTH
        ws.column_dimensions[get_column_letter(index + 1)].width = width
    ws.freeze_panes = "A2"
    ws.append([_cell(ws, h, header=True) for h in headers])
    for row in rows:
        ws.append([_cell(ws, value) for value in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def workbook_response(
    filename: str,
    sheet_title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[float] | None = None,
) -> HttpResponse:
    """An attachment response with the workbook of ``write_workbook``; ``filename`` should be ASCII (vi_slug)."""
    response = HttpResponse(write_workbook(sheet_title, headers, rows, widths), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
