"""What the 6-month and annual report (báo cáo định kỳ) prints, as a plain JSON-serialisable dict.

Party layout (forms.md §1): the unit's header, "BÁO CÁO" over "kết quả xây dựng mô hình “Dân vận khéo” 6 tháng đầu
năm N" (or "năm N"), "Kính gửi: Ban Thường vụ Đảng ủy Khối (qua Ban Tuyên giáo)", sections I–IV (II holds the
computed table), the committee's signature "T/M …, BÍ THƯ" and "Nơi nhận". Wording is data: a ``FormText`` row of
form "bao_cao_dinh_ky" (or "*") with a key of ``DEFAULT_TEXTS`` replaces the default.

Issued as a document like every paper (``registry.documents``): number, date and signer are the document's.
"""

from registry.models import ReportPeriod
from registry.papers.naming import archive_line, authority_line
from registry.papers.registrations import _header, _signature, form_texts, lines_of
from registry.periodic_reports import PeriodicFigures, figure_rows
from registry.terms import fill
from registry.text import counted, format_date, vi_slug

FORM_TEXT_CODE = "bao_cao_dinh_ky"
TEMPLATE = "pdf/bao_cao_dinh_ky.html"
# The form codes asked for in Document.form_code (max. 10 characters); both print with the same template.
FORM_CODES = {ReportPeriod.HALF_YEAR: "bc_6t", ReportPeriod.ANNUAL: "bc_nam"}

DEFAULT_TEXTS = {
    "title": "BÁO CÁO",
    "subject_half_year": "kết quả xây dựng mô hình “Dân vận khéo” 6 tháng đầu năm {year}",
    "subject_annual": "kết quả xây dựng mô hình “Dân vận khéo” năm {year}",
    "addressee": "{standing_committee} (qua {appraising_body})",
    "party_national": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "secretary_title": "BÍ THƯ",
    "section_1": "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO",
    "section_2": "II. KẾT QUẢ",
    "section_3": "III. HẠN CHẾ, NGUYÊN NHÂN",
    "section_4": "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    "no_data": "Chưa có dữ liệu cho năm này: trong kỳ báo cáo chưa có mô hình nào được đăng ký.",
}
COLUMNS = ["STT", "Nội dung", "Số lượng"]


def report_texts(year=None) -> dict[str, str]:
    return form_texts(FORM_TEXT_CODE, year, DEFAULT_TEXTS)


def table_groups(result: PeriodicFigures) -> list[dict]:
    """The rows of section II grouped for print: "1. Tổng hợp", "2. Theo trạng thái"…, each row numbered."""
    groups: list[dict] = []
    for row in figure_rows(result):
        if not groups or groups[-1]["label"] != row["group"]:
            groups.append({"label": row["group"], "number": len(groups) + 1, "rows": []})
        group = groups[-1]
        group["rows"].append({"stt": f"{group['number']}.{len(group['rows']) + 1}", **row})
    return groups


def summary_lines(result: PeriodicFigures) -> list[str]:
    """Section II in words: totals up to the end of the period."""
    f = result.figures
    if not f.total:
        return [f"Tính đến ngày {format_date(result.cutoff)}, toàn đơn vị chưa có mô hình “Dân vận khéo” nào."]
    return [
        f"Tính đến ngày {format_date(result.cutoff)}, toàn đơn vị có {f.total} mô hình “Dân vận khéo” "
        f"({counted(f.collective, 'tập thể')}, {counted(f.individual, 'cá nhân')}), trong đó "
        f"{counted(result.new, 'mô hình')} mới đăng ký năm {result.year.year} và "
        f"{counted(result.continued, 'mô hình')} duy trì từ các năm trước. Số liệu cụ thể như sau:",
    ]


def periodic_report(result: PeriodicFigures) -> dict:
    """The context of the report PDF of ``result`` (figures and the saved narrative, if any)."""
    unit, year = result.unit, result.year
    texts = report_texts(year)
    key = "subject_half_year" if result.period == ReportPeriod.HALF_YEAR else "subject_annual"
    subject = fill(texts[key], {"year": year.year})
    header = _header(unit, texts, style="party")
    report = result.report
    period_slug = "6-thang" if result.period == ReportPeriod.HALF_YEAR else "nam"
    return {
        "form_code": FORM_CODES[ReportPeriod(result.period)],
        "filename_stem": f"bao-cao-{period_slug}-{year.year}-{vi_slug(unit.name, 60)}",
        "document_subject": f"Báo cáo {subject}"[:300],
        "year": year.year,
        "period": result.period,
        "title": texts["title"],
        "subject": subject,
        "header": header,
        "addressee": texts["addressee"],
        "section_titles": [texts["section_1"], texts["section_2"], texts["section_3"], texts["section_4"]],
        "leadership": lines_of(report.leadership if report else ""),
        "highlights": lines_of(report.highlights if report else ""),
        "limitations": lines_of(report.limitations if report else ""),
        "directions": lines_of(report.directions if report else ""),
        "has_data": result.has_data,
        "no_data": texts["no_data"],
        "summary_lines": summary_lines(result),
        "columns": COLUMNS,
        "groups": table_groups(result),
        "signatures": [_signature(authority=authority_line(unit), title=texts["secretary_title"], main=True)],
        "recipients": ["- Như trên,", archive_line(unit)],
    }
