"""What Mẫu 4 (the unit's yearly review report) and Mẫu 5 / Mẫu 6 (the owner's reports) show, as plain
JSON-serialisable dicts frozen into ``Document.snapshot``; the shared helpers come from
``registry.papers.registrations``."""

from django.db.models import QuerySet

from registry import reviews
from registry.models import (
    OwnerReport,
    OwnerReportKind,
    Registration,
    SubjectKind,
    Unit,
    UnitReviewReport,
    Year,
)
from registry.models.units import PARTY_KINDS
from registry.papers.naming import addressee, archive_line, authority_line, head_signer
from registry.papers.registrations import (
    _header,
    _signature,
    form_texts,
    issuing_unit_of,
    lines_of,
    shorten,
    subject_with_year,
)
from registry.permissions import grassroots_unit_of
from registry.text import counted, format_date, vi_slug

# Labels not seeded by migration 0002; a FormText row with the same key (for the form or "*") replaces them.
DEFAULT_TEXTS = {
    "recipient_btg": "- {appraising_body_full},",
    "secretary_title": "BÍ THƯ",
    "signer_reporter": "NGƯỜI BÁO CÁO",
    "signer_person_note": "(Ký, ghi rõ họ tên)",
    "signer_head_note": "(Ký tên, đóng dấu)",
    "confirm_committee": "XÁC NHẬN CỦA CẤP ỦY",
    # Mẫu 4: a section with nothing to report says so instead of printing a bare heading.
    "empty_section": "Không có.",
    "no_rows": "Không có mô hình thuộc diện rà soát trong năm.",
    # Mẫu 5, 6: the request when the owner typed none.
    "default_proposal_mau_5": "Đề nghị xem xét, xác nhận mô hình “Dân vận khéo”.",
    "default_proposal_mau_6": "Đề nghị xem xét, xác nhận điển hình “Dân vận khéo”.",
}

MAU_4_COLUMNS = [
    "STT",
    "Tên mô hình",
    "Chủ thể",
    "Lĩnh vực",
    "Năm đăng ký",
    "Kết quả, sản phẩm đạt được",
    "Tự đánh giá",
    "Đề xuất",
    "Ghi chú",
]
# Long typed results are shortened in the printed table (Pango line breaking is the cost of a table); the .xlsx
# keeps them whole.
MAU_4_RESULTS_CHARS = 400
NOT_REVIEWED = "Chưa rà soát"


def _texts(form_code: str, year) -> dict:
    return form_texts(form_code, year, DEFAULT_TEXTS)


def subject_line(reg: Registration) -> str:
    """The collective's name, or the person's name, position and work unit."""
    if reg.is_collective:
        return reg.subject_unit.name
    person = reg.subject_person
    return ", ".join(part for part in (person.full_name, person.position, person.work_unit.name) if part)


def assessment_line(met: int | None, total: int) -> str:
    """ "Đạt 4/5 tiêu chí", or "Chưa rà soát" without a review."""
    return NOT_REVIEWED if met is None else f"Đạt {met}/{total} tiêu chí"


# --- Mẫu 4 --------------------------------------------------------------------------------------------------------


def mau_4_rows(rows: list[dict], *, full: bool = False) -> list[dict]:
    """The table rows of Mẫu 4 from ``reviews.review_rows``; ``full`` keeps long results whole (.xlsx)."""
    out = []
    for row in rows:
        reg, review = row["registration"], row["review"]
        out.append(
            {
                "stt": row["stt"],
                "title": reg.title,
                "subject": subject_line(reg),
                "field": reg.field.name,
                "reg_year": reg.year.year,
                "results": shorten(review.results, None if full else MAU_4_RESULTS_CHARS) if review else "",
                "assessment": assessment_line(row["met"], row["criteria_total"]),
                "proposal": review.get_proposal_display() if review else "",
                "note": review.note if review else "",
            }
        )
    return out


def count_lines(counts: dict) -> list[str]:
    """Section II.1 in words, from ``reviews.review_counts``."""
    total = "Tổng số mô hình thuộc diện rà soát: "
    if counts["total"]:
        total += (
            f"{counted(counts['total'], 'mô hình')} "
            f"({counted(counts['collective'], 'tập thể')}, {counted(counts['individual'], 'cá nhân')})."
        )
    else:
        total += "không có."
    lines = [
        total,
        f"Mô hình mới đăng ký trong năm: {counted(counts['new'])}; "
        f"mô hình duy trì từ các năm trước: {counted(counts['continued'])}.",
    ]
    fields = "; ".join(f"{f['name']}: {counted(f['count'])}" for f in counts["by_field"])
    if fields:
        lines.append(f"Theo lĩnh vực: {fields}.")
    return lines


def proposal_lines(rows: list[dict]) -> list[str]:
    """The models proposed for confirmation or as exemplars (section IV), computed from the reviews."""
    lines = []
    for value, label in (
        (reviews.Proposal.CONFIRM, "Đề nghị xác nhận mô hình"),
        (reviews.Proposal.EXEMPLAR, "Đề nghị xác nhận điển hình"),
    ):
        titles = [f"“{r['registration'].title}”" for r in rows if r["review"] and r["review"].proposal == value]
        lines.append(f"{label}: {counted(len(titles))}" + (f" ({'; '.join(titles)})." if titles else "."))
    return lines


def mau_4(*, unit: Unit, year: Year, registrations: QuerySet) -> dict:
    """Mẫu 4: the review report of ``unit`` for ``year``: narrative I–IV with computed numbers and the table.

    ``registrations`` is the caller's starting queryset, normally ``Registration.objects.visible_to(user)``.
    """
    texts = _texts("mau_4", year)
    due = list(reviews.due_for_review(registrations, unit=unit, year=year))
    rows = reviews.review_rows(due, year=year)
    counts = reviews.review_counts(due, year=year)
    report = UnitReviewReport.objects.filter(unit=unit, year=year).first() or UnitReviewReport()
    subject = subject_with_year(texts.get("subject", ""), year.year)
    return {
        "form_code": "mau_4",
        "filename_stem": f"mau-4-{vi_slug(unit.name, 60)}-{year.year}",
        "document_subject": subject[:300],
        "year": year.year,
        "unit_name": unit.name,
        "title": texts.get("title", ""),
        "subject": subject,
        "header": _header(unit, texts, style="party"),
        "addressee": "",
        "leadership": lines_of(report.leadership),
        "count_lines": count_lines(counts),
        "counts": counts,
        "outstanding": lines_of(report.outstanding),
        "limitations": lines_of(report.limitations),
        "directions": lines_of(report.directions),
        "proposal_lines": proposal_lines(rows),
        "none_text": texts["empty_section"],
        "no_rows_text": texts["no_rows"],
        "columns": MAU_4_COLUMNS,
        "rows": mau_4_rows(rows),
        "signatures": [_signature(authority=authority_line(unit), title=texts["secretary_title"], main=True)],
        "recipients": [texts["recipient_btg"], archive_line(unit)],
    }


# --- Mẫu 5, Mẫu 6 -------------------------------------------------------------------------------------------------


def _info_items(reg: Registration) -> list[dict]:
    items = [{"label": "Tên mô hình", "text": reg.title}]
    if reg.is_collective:
        items.append({"label": "Tập thể thực hiện", "text": reg.subject_unit.name})
        if reg.subject_headcount is not None:
            label = "Số đảng viên" if reg.subject_kind == SubjectKind.PARTY_ORG else "Số CBCCVC, NLĐ"
            items.append({"label": label, "text": str(reg.subject_headcount)})
    else:
        person = reg.subject_person
        items += [
            {"label": "Họ và tên", "text": person.full_name},
            {"label": "Ngày sinh", "text": format_date(person.birth_date)},
            {"label": "Chức vụ", "text": person.position},
            {"label": "Đơn vị công tác", "text": person.work_unit.name},
        ]
        if reg.subject_kind == SubjectKind.MEMBER:
            items.append({"label": "Ngày vào Đảng", "text": format_date(person.party_join_date)})
    items += [
        {"label": "Lĩnh vực", "text": reg.field.name},
        {"label": "Năm đăng ký", "text": str(reg.year.year)},
        {"label": "Đơn vị tiếp nhận đăng ký", "text": reg.receiving_unit.name},
    ]
    return [item for item in items if item["text"]]


def _owner_signatures(reg: Registration, kind: str, texts: dict) -> list[dict]:
    """The owner signs (collective: its leading body or its head; individual: the person); Mẫu 6 adds the
    party committee's confirmation."""
    if reg.subject_kind == SubjectKind.PARTY_ORG:
        main = _signature(authority=authority_line(reg.subject_unit), title=texts["secretary_title"], main=True)
    elif reg.is_collective:
        authority, title = head_signer(reg.subject_unit, texts)
        main = _signature(authority=authority, title=title, note=texts["signer_head_note"], main=True)
    else:
        main = _signature(
            title=texts["signer_reporter"], note=texts["signer_person_note"], name=reg.subject_person.full_name,
            main=True,
        )  # fmt: skip
    if kind != OwnerReportKind.ACHIEVEMENTS:
        return [main]
    committee = reg.receiving_unit.nearest(PARTY_KINDS) or reg.khoi
    confirm = _signature(
        heading=texts["confirm_committee"], authority=authority_line(committee), title=texts["secretary_title"]
    )
    return [confirm, main]


def owner_report_context(report: OwnerReport) -> dict:
    """Mẫu 5 (results, asking for confirmation) or Mẫu 6 (achievements of an exemplar) of ``report``."""
    reg = report.registration
    kind = report.kind
    texts = _texts(kind, reg.year)
    assessments = list(report.assessments.select_related("criterion").order_by("criterion__number"))
    met = sum(1 for a in assessments if a.met)
    # The seeded wording of Mẫu 5 and 6 has no {year}: the year is added ("… năm 2024 (đề nghị xác nhận)").
    subject = subject_with_year(texts.get("subject", ""), report.year.year)
    if kind == OwnerReportKind.ACHIEVEMENTS:
        subject += " (tập thể)" if reg.is_collective else " (cá nhân)"
        to = grassroots_unit_of(reg)
    else:
        to = reg.receiving_unit
    title = texts.get("title", "")
    return {
        "form_code": kind,
        "filename_stem": f"{kind.replace('_', '-')}-{vi_slug(reg.title, 60)}-{report.year.year}",
        "document_subject": f"{title} {subject}: {reg.title}"[:300],
        "year": report.year.year,
        "title": title,
        "subject": subject,
        "is_collective": reg.is_collective,
        "header": _header(issuing_unit_of(reg), texts, style="party"),
        "addressee": addressee(to),
        "info": _info_items(reg),
        "summary": lines_of(report.summary),
        "results": lines_of(report.results),
        "lessons": lines_of(report.lessons),
        "proposal": lines_of(report.proposal),
        "default_proposal": texts.get(f"default_proposal_{kind}", ""),
        "criteria": [
            {
                "number": a.criterion.number,
                "text": a.criterion.text,
                "met": "Đạt" if a.met else "Chưa đạt",
                "note": a.note,
            }
            for a in assessments
        ],
        "criteria_line": f"Tự đánh giá: đạt {met}/{len(assessments)} tiêu chí.",
        "signatures": _owner_signatures(reg, kind, texts),
        # A collective's report is a paper of its body, addressed by "Kính gửi": it keeps a copy. A person's is not.
        "recipients": [texts.get("recipients_same", "- Như trên,"), archive_line(issuing_unit_of(reg))]
        if reg.is_collective
        else [],
    }
