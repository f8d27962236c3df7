"""What the registration forms (Mẫu 1, 1a, 2, 2a) and the Mẫu 3 list show, as plain JSON-serialisable dicts, and
the helpers every builder of ``registry.papers`` shares (header, signature blocks, wording).

The dict is frozen into ``Document.snapshot`` when a form is printed, so it holds only strings, numbers, lists and
dicts: names as they were that day, dates already formatted. Wording comes from ``FormText`` (seeded by migration
0002); the few labels not seeded there have defaults in ``DEFAULT_TEXTS`` and may be overridden by a ``FormText`` row
with the same key. The document's own data (number, date, signer, verification code) is added at render time by
``registry.documents``.
"""

import re
from collections.abc import Iterable

from django.db.models import QuerySet
from django.utils import timezone

from registry.models import FormText, Registration, Status, SubjectKind, Unit, Year
from registry.models.units import PARTY_KINDS
from registry.papers.naming import (
    CHI_BO_KINDS,
    SIGNER_TEXTS,
    addressee,
    archive_line,
    authority_line,
    confirm_heading,
    head_signer,
    issuing_body_caps,
    place_name,
    state_style,
)
from registry.terms import fill, terms
from registry.text import format_date, vi_slug

# Labels of the forms that migration 0002 does not seed; a FormText row with the same key (for the form or "*")
# replaces them.
DEFAULT_TEXTS = {
    **SIGNER_TEXTS,
    "section_1_collective": "Tập thể đăng ký",
    "section_1_person": "Người đăng ký",
    "section_2": "Mô hình đăng ký",
    "section_3": "Thực trạng, lý do, sự cần thiết xây dựng mô hình",
    "section_4": "Mục tiêu, chỉ tiêu đánh giá",
    "section_5": "Nội dung, giải pháp, cách thức thực hiện",
    "section_6": "Địa bàn, đối tượng tác động hoặc thụ hưởng",
    "section_7": "Lực lượng thực hiện và phối hợp",
    "section_8": "Nguồn lực thực hiện",
    "section_9": "Thời gian thực hiện",
    "section_10": "Kết quả, sản phẩm dự kiến",
    "section_11": "Khả năng duy trì, nhân rộng",
    "section_12": "Người phụ trách",
    "secretary_title": "BÍ THƯ",
    "signer_person": "NGƯỜI ĐĂNG KÝ",
    "signer_person_note": "(Ký, ghi rõ họ tên)",
    "signer_head_note": "(Ký tên, đóng dấu)",
    "confirm_committee": "XÁC NHẬN CỦA CẤP ỦY",
    "confirm_chi_bo": "XÁC NHẬN CỦA CHI BỘ",
    "confirm_chi_bo_authority": "T/M CHI BỘ",
    "confirm_party_committee": "XÁC NHẬN CỦA ĐẢNG ỦY",
    "recipients_same": "- Như trên,",
    # Counts (count_text): two digits, zero "0"; a zero part of "({kinds})" is left out (kinds_text).
    "total_line": "Tổng số: {total} mô hình ({kinds}).",
    "count_collective": "{n} tập thể",
    "count_individual": "{n} cá nhân",
}

# Mẫu 3 groups (forms.md §3): section, sub-section, and the subject kind listed under it.
MAU_3_GROUPS = [
    (
        "I. Mô hình tập thể",
        [("1. Tổ chức đảng", SubjectKind.PARTY_ORG), ("2. Cơ quan, đơn vị, doanh nghiệp", SubjectKind.AGENCY)],
    ),
    ("II. Mô hình cá nhân", [("1. Đảng viên", SubjectKind.MEMBER), ("2. Không là đảng viên", SubjectKind.NON_MEMBER)]),
]
MAU_3_COLUMNS = [
    "STT",
    "Tên mô hình",
    "Tập thể / cá nhân đăng ký",
    "Lĩnh vực",
    "Cấp đăng ký",
    "Nội dung chủ yếu",
    "Thời gian thực hiện",
    "Kết quả dự kiến",
    "Ghi chú",
]
# Pango line breaking is what a long table costs (docs/performance.md), and a row taller than three or four lines
# makes a list of 300 models a book: the list shows the start of long texts (the .xlsx keeps them whole).
MAU_3_CONTENT_CHARS = 90
MAU_3_RESULTS_CHARS = 65
# What the unit registered is listed; a registration sent back to its owner (or never sent) is not registered.
MAU_3_EXCLUDED_STATUSES = (Status.DRAFT, Status.RETURNED)
# The widest a line of the left header holds in capitals, 13 pt (pdf.css): longer names are broken in two.
HEADER_LINE_CHARS = {"party": 30, "state": 26}

REGISTRATION_RELATED = (
    "year",
    "field",
    "unit",
    "receiving_unit",
    "subject_unit",
    "subject_person__work_unit",
    "subject_person__party_cell",
)

_SPACES = re.compile(r"\s+")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_LIST_MARKER = re.compile(r"^(?:\d+|[a-zđ])[.)]?$", re.IGNORECASE)
# Words a header line should not end with; a break before "và" or after a comma reads best.
_JOINING_WORDS = {"VÀ", "CÁC", "CỦA", "VỀ", "VỚI", "CHO", "TẠI", "-", "–"}


def guidance_year(year: Year | int | None) -> Year | None:
    """The ``Year`` row whose guidance names a paper of ``year`` (a number is looked up)."""
    if year is None or isinstance(year, Year):
        return year
    return Year.objects.filter(year=year).select_related("guidance").first()


def form_texts(form_code: str, year: Year | int | None = None, *defaults: dict) -> dict[str, str]:
    """The form's wording for a paper of ``year``: ``DEFAULT_TEXTS`` and the module's ``defaults`` overridden by every
    ``FormText`` of the form and of "*" (those of the year's guidance last), with the guidance's names filled in
    (``{top_body}``, ``{appraising_body}``…, ``registry.terms``). ``guidance_ref`` is the guidance's citation unless a
    ``FormText`` words it otherwise. Other placeholders (``{year}``…) are left for the builder."""
    row = guidance_year(year)
    names = terms(row)
    texts = {"guidance_ref": names.guidance_citation, **DEFAULT_TEXTS}
    for more in defaults:
        texts.update(more)
    texts.update(FormText.for_form(form_code, getattr(row, "guidance_id", None)))
    placeholders = names.placeholders()
    return {key: fill(text, placeholders) for key, text in texts.items()}


def _with_year(text: str, year: int) -> str:
    return fill(text, {"year": year})


def _drop_list_markers(text: str) -> str:
    """ "… thực hiện. 4." → "… thực hiện.": a numbered item's marker left without its item."""
    words = text.split(" ")
    while len(words) > 1 and _LIST_MARKER.match(words[-1]):
        words.pop()
    return " ".join(words)


def shorten(text: str, limit: int | None) -> str:
    """``text`` on one line; when longer than ``limit`` (``None``: never), its start with "…", cut at the end of
    a sentence when one ends in the second half of ``limit``, else at the end of a word; never inside a word."""
    text = _SPACES.sub(" ", text or "").strip()
    if limit is None or len(text) <= limit:
        return text
    room = limit - 1  # the "…"
    ends = [
        m.start()
        for m in _SENTENCE_END.finditer(text, 0, room + 1)
        # "2." of a numbered list ends no sentence.
        if not _LIST_MARKER.match(text[: m.start() + 1].rsplit(" ", 1)[-1])
    ]
    if ends and ends[-1] >= room // 2:
        cut = text[: ends[-1]]
    elif text[room].isspace():
        cut = text[:room]
    elif " " in text[:room]:
        cut = text[:room].rsplit(" ", 1)[0]
    else:
        cut = text[:room]
    return _drop_list_markers(cut.rstrip(",;:.-–!? ")).rstrip(",;:.-–!? ") + "…"


def count_text(n: int) -> str:
    """A count as Party papers write it: two digits ("01", "12", "150"); zero is "0", never "00"."""
    return f"{n:02d}" if n else "0"


def kinds_text(collective: int, individual: int, texts: dict) -> str:
    """ "05 tập thể, 02 cá nhân"; a part that is zero is left out ("05 tập thể"), both zero give ""."""
    parts = []
    if collective:
        parts.append(fill(texts["count_collective"], {"n": count_text(collective)}))
    if individual:
        parts.append(fill(texts["count_individual"], {"n": count_text(individual)}))
    return ", ".join(parts)


def total_line(template: str, texts: dict, *, total: int, collective: int, individual: int) -> str:
    """A "Tổng số: {total} … ({kinds})." line: counts by ``count_text``, the zero part left out, "()" dropped
    when the total is zero. ``{collective}`` and ``{individual}`` still fill a wording typed before ``{kinds}``."""
    values = {
        "total": count_text(total),
        "kinds": kinds_text(collective, individual, texts),
        "collective": count_text(collective),
        "individual": count_text(individual),
    }
    return fill(template, values).replace(" ()", "")


def subject_with_year(text: str, year: int) -> str:
    """The subject line with its year: ``{year}`` filled, or "năm N" added when the wording has none (Mẫu 5, 6
    seeded without it), before a closing "(…)": "… “Dân vận khéo” năm 2024 (đề nghị xác nhận)"."""
    text = _with_year(text, year)
    if not text or str(year) in text:
        return text
    stripped = text.rstrip()
    if stripped.endswith(")") and " (" in stripped:
        head, tail = stripped.rsplit(" (", 1)
        return f"{head} năm {year} ({tail}"
    return f"{stripped} năm {year}"


def breakable(text: str) -> str:
    """A name typed with "|" where its line should break: the "|" become line breaks (printed with pre-line)."""
    return "\n".join(part.strip() for part in text.split("|") if part.strip())


def header_lines(text: str, limit: int) -> str:
    """A header line in capitals, broken so that no line is wider than the column: where the unit's printed name
    says ("|"), else, for a name longer than ``limit`` characters, once between two word groups (before "VÀ", after
    a comma, never after "CÁC", "CỦA"…), the two lines as even as can be: "ĐẢNG ỦY SỞ NÔNG NGHIỆP\nVÀ MÔI TRƯỜNG".
    """
    text = _SPACES.sub(" ", text or "").strip()
    if "|" in text:
        return breakable(text)
    if len(text) <= limit:
        return text
    words = text.split(" ")
    best, best_score = None, None
    for i in range(1, len(words)):
        head, tail = " ".join(words[:i]), " ".join(words[i:])
        score = max(len(head), len(tail))
        if len(head) > limit or len(tail) > limit:
            score += 100
        if words[i].upper() == "VÀ" or head.endswith(","):
            score -= 8
        if words[i - 1].upper() in _JOINING_WORDS:
            score += 50
        if best_score is None or score < best_score:
            best, best_score = i, score
    return " ".join(words[:best]) + "\n" + " ".join(words[best:])


def _filename_stem(form_code: str, name: str) -> str:
    return f"{form_code.replace('_', '-')}-{vi_slug(name, 60)}"


def _without_superior(issuer: str, superior: str) -> str:
    """``issuer`` without a closing repeat of the superior line printed just above it: "BAN TUYÊN GIÁO VÀ DÂN VẬN
    ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH" under "ĐẢNG ỦY CÁC CƠ QUAN ĐẢNG TỈNH" is "BAN TUYÊN GIÁO VÀ DÂN VẬN"."""
    words, tail = issuer.split(), superior.split()
    if tail and len(words) > len(tail) and words[-len(tail) :] == tail:
        return " ".join(words[: -len(tail)])
    return issuer


def _header(unit: Unit, texts: dict, *, style: str, on=None) -> dict:
    """The two header columns: superior line and issuing body (left), national line (right), place for the date.

    ``on``: the date of the act the paper records; a body renamed after it is printed with the name it had then
    (``Unit.named_on``)."""
    unit = unit.named_on(on)
    limit = HEADER_LINE_CHARS.get(style, HEADER_LINE_CHARS["party"])
    superior = unit.header_line.strip().upper()
    issuer = unit.print_name.strip().upper() or _without_superior(issuing_body_caps(unit), superior)
    return {
        "style": style,
        "superior": header_lines(superior, limit),
        # The unit's printed name, as typed ("|" where a line breaks), else its issuing body.
        "issuer": header_lines(issuer, limit),
        # The number's issuer part ("12-BB/ĐU"), for the line the văn thư fills by hand when no number is typed.
        "abbreviation": unit.abbreviation.strip(),
        "national": texts.get("party_national" if style == "party" else "state_national", ""),
        "motto": texts.get("state_motto", "") if style == "state" else "",
        "place": place_name(unit),
    }


def _signature(*, heading="", authority="", title="", note="", name="", main=False) -> dict:
    """A signature block; a "|" in its heading breaks the line there ("XÁC NHẬN CỦA|THỦ TRƯỞNG CƠ QUAN")."""
    return {
        "heading": breakable(heading),
        "authority": authority,
        "title": title,
        "note": note,
        "name": name,
        "main": main,
    }


def lines_of(text: str | None) -> list[str]:
    """The non-empty lines of a typed text: each prints as its own indented paragraph, so line breaks survive."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _item(label: str, text: str | None) -> dict:
    return {"label": label, "lines": lines_of(text)}


def sent_on(reg: Registration):
    """The day the registration was sent (None while a draft): its form names every body as it was named that day,
    so a body renamed since prints its old name (``Unit.named_on``)."""
    return timezone.localdate(reg.submitted_at) if reg.submitted_at else None


def _subject_items(reg: Registration) -> list[dict]:
    """Section 1: the collective (name, headcount) or the person (personal and, for Mẫu 2, party details)."""
    if reg.is_collective:
        if reg.subject_kind == SubjectKind.PARTY_ORG:
            labels = ("Tên tổ chức đảng", "Số đảng viên")
        else:
            labels = ("Tên cơ quan, đơn vị", "Số cán bộ, công chức, viên chức, người lao động")
        headcount = "" if reg.subject_headcount is None else str(reg.subject_headcount)
        return [_item(labels[0], reg.subject_unit.name_on(sent_on(reg))), _item(labels[1], headcount)]
    person = reg.subject_person
    items = [
        _item("Họ và tên", person.full_name),
        _item("Ngày sinh", format_date(person.birth_date)),
        _item("Chức vụ", person.position),
        _item("Đơn vị công tác", person.work_unit.name_on(sent_on(reg))),
    ]
    if reg.subject_kind == SubjectKind.MEMBER:
        items.append(_item("Chi bộ sinh hoạt", person.party_cell.name_on(sent_on(reg)) if person.party_cell_id else ""))
        items.append(_item("Ngày vào Đảng", format_date(person.party_join_date)))
    items.append(_item("Điện thoại", person.phone))
    return items


def _period(reg: Registration, *, long: bool) -> str:
    start, end = format_date(reg.start_date), format_date(reg.end_date)
    if start and end:
        # In the list, the no-break space keeps the dash with the start date: two lines in a narrow column, not three.
        return f"Từ ngày {start} đến ngày {end}" if long else f"{start}\u00a0– {end}"
    if start:
        return f"Từ ngày {start}"
    if end:
        return f"Đến ngày {end}"
    return ""


def _sections(reg: Registration, texts: dict) -> list[dict]:
    """Registration sections 1–12 of forms.md §3, in print order; each a heading and labelled or plain items."""
    first = texts["section_1_collective"] if reg.is_collective else texts["section_1_person"]
    rows = [
        (first, _subject_items(reg)),
        (
            texts["section_2"],
            [
                _item("Tên mô hình", reg.title),
                _item("Lĩnh vực", reg.field.name),
                _item("Cấp đăng ký", reg.get_level_display()),
                _item("Địa chỉ thực hiện", reg.address),
            ],
        ),
        (texts["section_3"], [_item("", reg.situation)]),
        (texts["section_4"], [_item("Mục tiêu", reg.objectives), _item("Chỉ tiêu đánh giá", reg.indicators)]),
        (texts["section_5"], [_item("", reg.content)]),
        (texts["section_6"], [_item("", reg.beneficiaries)]),
        (texts["section_7"], [_item("", reg.partners)]),
        (texts["section_8"], [_item("", reg.resources)]),
        (texts["section_9"], [_item("", _period(reg, long=True)), _item("Mốc đánh giá", reg.milestones)]),
        (texts["section_10"], [_item("", reg.expected_results)]),
        (texts["section_11"], [_item("", reg.sustainability)]),
        (
            texts["section_12"],
            [
                _item("Họ và tên", reg.lead_name),
                _item("Chức vụ", reg.lead_position),
                _item("Điện thoại", reg.lead_phone),
            ],
        ),
    ]
    return [{"number": n, "heading": heading, "items": items} for n, (heading, items) in enumerate(rows, start=1)]


def _registration_base(reg: Registration, *, issuer: Unit, style: str) -> tuple[dict, dict]:
    """The parts every registration form shares; returns (context, texts)."""
    code = reg.form_code
    texts = form_texts(code, reg.year)
    year = reg.year.year
    on = sent_on(reg)
    context = {
        "form_code": code,
        "filename_stem": _filename_stem(code, reg.title),
        "document_subject": reg.title[:300],
        "year": year,
        "title": texts.get("title", ""),
        "subject": subject_with_year(texts.get("subject", ""), year),
        "header": _header(issuer, texts, style=style, on=on),
        "addressee": addressee(reg.receiving_unit.named_on(on)),
        "sections": _sections(reg, texts),
        "commitment": lines_of(texts.get("commitment", "")),
        "signatures": [],
        "recipients": [],
    }
    return context, texts


def mau_1(reg: Registration) -> dict:
    """Mẫu 1: a party organisation registers with its superior committee; its committee signs "T/M …, BÍ THƯ"."""
    unit = reg.subject_unit
    context, texts = _registration_base(reg, issuer=unit, style="party")
    context["signatures"] = [
        _signature(authority=authority_line(unit), title=texts["secretary_title"], main=True),
    ]
    context["recipients"] = [texts["recipients_same"], archive_line(unit)]
    return context


def mau_1a(reg: Registration) -> dict:
    """Mẫu 1a (State style): an agency registers; its head signs (a mass organisation: for its executive
    committee, "T/M BAN CHẤP HÀNH – CHỦ TỊCH"), the party committee leading it confirms."""
    unit = reg.subject_unit
    context, texts = _registration_base(reg, issuer=unit, style="state")
    committee = unit.nearest(PARTY_KINDS)
    authority, title = head_signer(unit, texts)
    context["signatures"] = [
        _signature(
            heading=texts["confirm_committee"],
            authority=authority_line(committee) if committee else "",
            title=texts["secretary_title"],
        ),
        _signature(authority=authority, title=title, note=texts["signer_head_note"], main=True),
    ]
    context["recipients"] = [texts["recipients_same"], archive_line(unit)]
    return context


def mau_2(reg: Registration) -> dict:
    """Mẫu 2: a party member registers with the chi bộ; the member signs, the chi bộ confirms."""
    cell = reg.unit
    context, texts = _registration_base(reg, issuer=cell, style="party")
    if cell.kind in CHI_BO_KINDS:
        heading, authority = texts["confirm_chi_bo"], texts["confirm_chi_bo_authority"]
    else:
        heading, authority = texts["confirm_party_committee"], authority_line(cell)
    context["signatures"] = [
        _signature(heading=heading, authority=authority, title=texts["secretary_title"]),
        _signature(
            title=texts["signer_person"], note=texts["signer_person_note"], name=reg.subject_person.full_name, main=True
        ),
    ]
    return context


def mau_2a(reg: Registration) -> dict:
    """Mẫu 2a (State style): a non-member registers with the agency; the person signs, the head confirms."""
    agency = reg.unit
    context, texts = _registration_base(reg, issuer=agency, style="state")
    authority, title = head_signer(agency, texts)
    context["signatures"] = [
        _signature(
            heading=confirm_heading(agency, texts),
            authority=state_style(authority),
            title=title if authority else "",
            note=texts["signer_head_note"],
        ),
        _signature(
            title=texts["signer_person"], note=texts["signer_person_note"], name=reg.subject_person.full_name, main=True
        ),
    ]
    context["recipients"] = [texts["recipients_same"], archive_line(agency)]
    return context


REGISTRATION_BUILDERS = {"mau_1": mau_1, "mau_1a": mau_1a, "mau_2": mau_2, "mau_2a": mau_2a}


def registration_context(reg: Registration) -> dict:
    """The context of the registration's own form (Mẫu 1, 1a, 2 or 2a, by its subject kind)."""
    return REGISTRATION_BUILDERS[reg.form_code](reg)


def issuing_unit_of(reg: Registration) -> Unit:
    """Who issues a registration form: the collective itself (Mẫu 1, 1a) or the person's chi bộ / agency (2, 2a)."""
    return reg.subject_unit if reg.is_collective else reg.unit


# --- Mẫu 3 --------------------------------------------------------------------------------------------------------


def mau_3_queryset(registrations: QuerySet, *, unit: Unit, year: Year) -> QuerySet:
    """The models registered in ``year`` with ``unit`` or a unit below it, in one query: not a draft, not one sent
    back to its owner (what the unit registered, not what the portal holds)."""
    return (
        registrations.filter(year=year, receiving_unit__path__startswith=unit.path)
        .exclude(status__in=MAU_3_EXCLUDED_STATUSES)
        .select_related("field", "subject_unit", "subject_person__work_unit")
        .order_by("unit__path", "pk")
    )


def _mau_3_subject(reg: Registration) -> str:
    if reg.is_collective:
        return reg.subject_unit.name
    person = reg.subject_person
    return ", ".join(part for part in (person.full_name, person.position, person.work_unit.name) if part)


def mau_3_row(reg: Registration, stt: int, *, full: bool = False) -> dict:
    """One line of the list; ``full`` keeps long texts whole (the .xlsx), otherwise they are shortened."""
    return {
        "stt": stt,
        "title": reg.title,
        "subject": _mau_3_subject(reg),
        "field": reg.field.name,
        "level": reg.get_level_display(),
        "content": shorten(reg.content, None if full else MAU_3_CONTENT_CHARS),
        "period": _period(reg, long=False),
        "results": shorten(reg.expected_results, None if full else MAU_3_RESULTS_CHARS),
        # The form's own column, left for the office's remarks: never a status of the portal.
        "note": "",
    }


def mau_3_groups(registrations: Iterable[Registration], *, full: bool = False) -> tuple[list[dict], dict]:
    """Rows grouped as forms.md §3 (I. tập thể: 1, 2; II. cá nhân: 1, 2), numbered throughout, and the totals."""
    by_kind: dict[str, list[Registration]] = {kind: [] for kind in SubjectKind.values}
    for reg in registrations:
        by_kind[reg.subject_kind].append(reg)
    stt = 0
    groups = []
    for label, subgroups in MAU_3_GROUPS:
        parts = []
        for sub_label, kind in subgroups:
            rows = []
            for reg in by_kind[kind]:
                stt += 1
                rows.append(mau_3_row(reg, stt, full=full))
            parts.append({"label": sub_label, "kind": str(kind), "rows": rows})
        # A group with no rows prints no heading (the template skips it): no empty section on paper.
        groups.append({"label": label, "subgroups": parts, "count": sum(len(part["rows"]) for part in parts)})
    collective = len(by_kind[SubjectKind.PARTY_ORG]) + len(by_kind[SubjectKind.AGENCY])
    totals = {"total": stt, "collective": collective, "individual": stt - collective}
    return groups, totals


def mau_3(*, unit: Unit, year: Year, registrations: QuerySet) -> dict:
    """Mẫu 3: the list of models registered with ``unit`` (and units below it) in ``year``.

    ``registrations`` is the caller's starting queryset, normally ``Registration.objects.visible_to(user)``.
    """
    texts = form_texts("mau_3", year)
    groups, totals = mau_3_groups(mau_3_queryset(registrations, unit=unit, year=year))
    line = total_line(texts["total_line"], texts, **totals)
    recipients = []
    parent = Unit.objects.get_parent(unit)
    if parent is not None:
        recipients.append(f"- {addressee(parent)} (b/c),")
    recipients.append(archive_line(unit))
    return {
        "form_code": "mau_3",
        "filename_stem": f"mau-3-{vi_slug(unit.name, 60)}-{year.year}",
        "document_subject": subject_with_year(texts.get("subject", ""), year.year)[:300],
        "year": year.year,
        "unit_name": unit.name,
        "title": texts.get("title", ""),
        "subject": subject_with_year(texts.get("subject", ""), year.year),
        "header": _header(unit, texts, style="party" if unit.is_party else "state"),
        "addressee": "",
        "columns": MAU_3_COLUMNS,
        "groups": groups,
        "totals": totals,
        "total_line": line,
        "signatures": [_signature(authority=authority_line(unit), title=texts["secretary_title"], main=True)],
        "recipients": recipients,
    }
