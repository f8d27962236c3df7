"""What the meeting forms show: minutes (Mẫu 5a, 6a), decisions with their attached list (5b, 6b, 7b) and a
grassroots unit's list of exemplars proposed to the Khối (the Mẫu 6b list).

Like ``registry.papers.registrations``, each builder returns a JSON-serialisable dict that is frozen into a document's
snapshot; ``template`` names the template that prints it (5a/6a share one, 5b/6b/7b another). Wording comes from
``FormText`` of the form (seeded titles and subjects) over the defaults in ``MEETING_TEXTS``, so a province can
replace any sentence in the admin.
"""

import copy
import re

from registry.meetings import vote_base
from registry.models import Document, KhoiProposal, Meeting, Purpose, Registration, Unit, UnitKind
from registry.papers.naming import (
    CHI_BO_KINDS,
    _join_overlapping,
    addressee,
    archive_line,
    authority_line,
    issuing_body,
)
from registry.papers.registrations import (
    _header,
    _signature,
    count_text,
    form_texts,
    lines_of,
    subject_with_year,
    total_line,
)
from registry.terms import fill
from registry.text import format_date, search_key, vi_slug

# The two papers of a meeting, by what it decides: the minutes (its own code, the Khối's included) and the decision.
MINUTES_FORM = {
    Purpose.CONFIRM_MODEL: "mau_5a",
    Purpose.CONFIRM_EXEMPLAR_BASE: "mau_6a",
    Purpose.CONFIRM_EXEMPLAR_KHOI: "mau_7b_bb",
}
DECISION_FORM = {
    Purpose.CONFIRM_MODEL: "mau_5b",
    Purpose.CONFIRM_EXEMPLAR_BASE: "mau_6b",
    Purpose.CONFIRM_EXEMPLAR_KHOI: "mau_7b",
}
MINUTES_TEMPLATE = "pdf/mau_5a.html"
DECISION_TEMPLATE = "pdf/mau_5b.html"
PROPOSAL_TEMPLATE = "pdf/mau_6b_list.html"
MINUTES_COLUMNS = ["STT", "Tên mô hình (điển hình)", "Chủ thể", "Đồng ý (số, %)", "Không đồng ý (số, %)", "Kết quả"]
LIST_COLUMNS = ["STT", "Tên mô hình (điển hình)", "Tập thể / cá nhân", "Đơn vị", "Lĩnh vực", "Ghi chú"]
PROPOSAL_COLUMNS = ["STT", "Tên điển hình", "Tập thể / cá nhân", "Đơn vị", "Lĩnh vực", "Ghi chú"]

MOVEMENT = "“Dân vận khéo”"
MEETING_TEXTS = {
    "minutes_title": "BIÊN BẢN",
    "minutes_subject_khoi": f"họp xét, xác nhận điển hình {MOVEMENT} cấp {{top_body}} năm {{year}}",
    "content_intro": "Hội nghị nghe báo cáo tóm tắt kết quả thực hiện của từng {noun}; các thành viên thảo luận, "
    "cho ý kiến và biểu quyết.",
    # {hour} and {minute} are the meeting's times, "……" (to fill by hand) when they were not entered.
    "time_line": "{hour} giờ {minute} phút, ngày {date}.",
    "end_line": "Cuộc họp kết thúc vào hồi {hour} giờ {minute} phút cùng ngày. Biên bản đã được đọc lại và thông "
    "qua tại cuộc họp.",
    "time_blank": "……",
    "members_line": "Tổng số thành viên: {total}; có mặt: {present}; vắng: {absent}",
    "absent_none": "không",
    "absent_with_note": "{count} ({note})",
    "minutes_secretary": "THƯ KÝ",
    "minutes_chair": "CHỦ TRÌ",
    "basis_charter": "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
    "basis_rules": "Căn cứ Quy chế làm việc của {issuer};",
    "basis_guidance": "Căn cứ {guidance_ref};",
    "basis_minutes": "Căn cứ Biên bản họp xét ngày {date} của {body};",
    "article_2": "Các tập thể, cá nhân có tên tại Điều 1 có trách nhiệm tiếp tục duy trì, nâng cao chất lượng và "
    "nhân rộng {noun} {movement}, góp phần thực hiện tốt nhiệm vụ chính trị của cơ quan, đơn vị.",
    "article_3": "Quyết định có hiệu lực kể từ ngày ký. Văn phòng, các tổ chức đảng, cơ quan, đơn vị liên quan và "
    "các tập thể, cá nhân có tên tại Điều 1 căn cứ Quyết định thi hành.",
    # A chi bộ has no Văn phòng: its decision binds its members and the collectives and persons it names.
    "article_3_chi_bo": "Quyết định có hiệu lực kể từ ngày ký. Các đảng viên trong chi bộ và các tập thể, cá nhân có "
    "tên tại Điều 1 căn cứ Quyết định thi hành.",
    # "<BODY> QUYẾT ĐỊNH": the deciding body in capitals; a chi bộ decides as the chi bộ, with its name.
    "decides": "{body} QUYẾT ĐỊNH",
    "chi_bo_authority": "T/M CHI BỘ",
    "recipients_article_3": "- Như Điều 3,",
    "list_title": "DANH SÁCH",
    "proposal_title": "DANH SÁCH",
    "proposal_subject": f"đề nghị xác nhận điển hình {MOVEMENT} cấp {{top_body}} năm {{year}}",
    "proposal_via": "(qua {appraising_body})",
    "proposal_intro": "Thực hiện {guidance_ref}, {issuer} đề nghị {addressee} xem xét, xác nhận {count} điển hình "
    f"{MOVEMENT} cấp {{top_body}} năm {{year}}, cụ thể như sau:",
    "proposal_files": "Hồ sơ của từng điển hình (báo cáo thành tích, quyết định xác nhận điển hình cấp cơ sở, minh "
    "chứng) gửi kèm theo.",
    "total_line_exemplar": "Tổng số: {total} điển hình ({kinds}).",
    "base_decision_note": "QĐ số {number}, ngày {date}",
}
# Wording that depends on what the meeting decides; a FormText of the decision's form with the same key wins.
PURPOSE_TEXTS = {
    Purpose.CONFIRM_MODEL: {
        "noun": "mô hình",
        "proposal_by": f"Xét đề nghị của các tập thể, cá nhân đăng ký xây dựng mô hình {MOVEMENT},",
        "article_1": f"Xác nhận {{count}} mô hình {MOVEMENT} năm {{year}} (có danh sách kèm theo).",
        "list_subject": f"mô hình {MOVEMENT} được xác nhận năm {{year}}",
    },
    Purpose.CONFIRM_EXEMPLAR_BASE: {
        "noun": "điển hình",
        "proposal_by": "Xét đề nghị của các chi bộ, cơ quan, đơn vị trực thuộc,",
        "article_1": f"Xác nhận {{count}} điển hình {MOVEMENT} cấp cơ sở năm {{year}} (có danh sách kèm theo).",
        "list_subject": f"điển hình {MOVEMENT} cấp cơ sở được xác nhận năm {{year}}",
    },
    Purpose.CONFIRM_EXEMPLAR_KHOI: {
        "noun": "điển hình",
        "proposal_by": "Xét đề nghị của {appraising_body_full},",
        "article_1": f"Xác nhận {{count}} điển hình {MOVEMENT} cấp {{top_body}} năm {{year}} (có danh sách kèm theo).",
        "list_subject": f"điển hình {MOVEMENT} cấp {{top_body}} được xác nhận năm {{year}}",
    },
}


def _texts(form_code: str, year, purpose: str | None = None) -> dict[str, str]:
    return form_texts(form_code, year, MEETING_TEXTS, PURPOSE_TEXTS.get(purpose, {}))


def _fill(template: str, **values) -> str:
    return fill(template, values)


def _percent(part: int, whole: int) -> str:
    if not whole:
        return ""
    value = round(100 * part / whole, 1)
    return f"{value:g}".replace(".", ",") + "%"


def subject_line(reg: Registration) -> str:
    """The collective's name, or the person with position: "Nguyễn Thị Hoa, Chuyên viên"."""
    if reg.is_collective:
        return reg.subject_unit.name
    person = reg.subject_person
    return ", ".join(part for part in (person.full_name, person.position) if part)


def unit_line(reg: Registration) -> str:
    """The unit column: the organisation above a collective, the agency where a person works."""
    if reg.is_collective:
        parent = Unit.objects.get_parent(reg.subject_unit)
        return parent.name if parent is not None and parent.kind != UnitKind.KHOI else reg.subject_unit.name
    return reg.subject_person.work_unit.name


def _entry_passed(meeting: Meeting, entry) -> bool:
    return entry.passed if entry.passed is not None else meeting.passes(entry.votes_for)


def _entries(meeting: Meeting) -> list:
    return list(
        meeting.entries.select_related(
            "registration__field", "registration__subject_unit", "registration__subject_person__work_unit"
        ).order_by("pk")
    )


def _is_chi_bo(meeting: Meeting) -> bool:
    return meeting.unit.kind in CHI_BO_KINDS


def _decider_phrase(meeting: Meeting) -> str:
    """Who a decision is of: the chi bộ itself ("Chi bộ Phòng Nghiệp vụ Y"), else the deciding body with its unit."""
    return issuing_body(meeting.unit) if _is_chi_bo(meeting) else _body_phrase(meeting)


def _clock(value, texts: dict) -> tuple[str, str]:
    """(hour, minute) of a meeting time, two digits each; the blanks to fill by hand when it is unknown."""
    if value is None:
        return texts["time_blank"], texts["time_blank"]
    return f"{value.hour:02d}", f"{value.minute:02d}"


_ABSENT_COUNT = re.compile(r"^vắng\s*:?\s*\d*\s*", re.IGNORECASE)


def _absence_note(note: str) -> str:
    """The typed note as it reads inside "vắng: 01 (…)": "Đồng chí Lê Văn C đi công tác." → "đồng chí Lê Văn C đi
    công tác"; the count it may repeat is dropped and its own brackets become a dash: "Vắng 01 đồng chí (đi công
    tác)" → "đồng chí – đi công tác"."""
    note = _ABSENT_COUNT.sub("", note.strip()).rstrip(".;, ")
    if note.endswith(")") and " (" in note:
        head, reason = note[:-1].split(" (", 1)
        note = f"{head} – {reason}"
    if note[:1].isupper() and search_key(note.split(" ", 1)[0]) in ("dong", "ong", "ba", "anh", "chi"):
        note = note[:1].lower() + note[1:]
    return note


def members_text(meeting: Meeting, texts: dict) -> str:
    """ "Tổng số thành viên: 07; có mặt: 06; vắng: 01 (đồng chí … đi công tác)", or "…; vắng: không"."""
    absent = meeting.members_total - meeting.members_present
    if not absent:
        absent_text = texts["absent_none"]
    elif meeting.absence_note.strip():
        absent_text = _fill(
            texts["absent_with_note"], count=count_text(absent), note=_absence_note(meeting.absence_note)
        )
    else:
        absent_text = count_text(absent)
    return _fill(
        texts["members_line"],
        total=count_text(meeting.members_total),
        present=count_text(meeting.members_present),
        absent=absent_text,
    )


def _body_phrase(meeting: Meeting) -> str:
    """The deciding body with its unit: "Ban Thường vụ Đảng ủy Sở Y tế", "Tập thể cấp ủy Chi bộ Phòng Nghiệp vụ Y",
    "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"."""
    unit = meeting.unit
    if unit.kind == UnitKind.KHOI:
        return addressee(unit)
    body = meeting.body.strip()
    for name in (issuing_body(unit), unit.name):
        joined = _join_overlapping(body, name)
        if len(joined.split()) < len(body.split()) + len(name.split()):
            return joined
    return f"{body} {unit.name}"


def _as_on_the_day(meeting: Meeting) -> Meeting:
    """The meeting with its unit as named on the day it was held (``Unit.named_on``): the minutes and the decision
    of a meeting held before a rename name the body as it was then. An unsaved copy; the meeting is not changed."""
    named = meeting.unit.named_on(meeting.held_on)
    if named is meeting.unit:
        return meeting
    meeting = copy.copy(meeting)
    meeting.unit = named
    return meeting


def minutes_context(meeting: Meeting) -> dict:
    """Mẫu 5a / 6a: time, place, members, chair and secretary, content, voting method, results table, conclusion;
    signed THƯ KÝ (left) and CHỦ TRÌ (right)."""
    meeting = _as_on_the_day(meeting)
    code = MINUTES_FORM[meeting.purpose]
    texts = _texts(code, meeting.year, meeting.purpose)
    year = meeting.year.year
    # The Khối's minutes have no seeded title and subject of their own.
    title = texts.get("title") or texts["minutes_title"]
    subject = subject_with_year(texts.get("subject") or texts["minutes_subject_khoi"], year)
    base = vote_base(meeting)
    rows = []
    for stt, entry in enumerate(_entries(meeting), start=1):
        reg = entry.registration
        rows.append(
            {
                "stt": stt,
                "title": reg.title,
                "subject": subject_line(reg),
                "votes_for": f"{entry.votes_for} ({_percent(entry.votes_for, base)})",
                "votes_against": f"{entry.votes_against} ({_percent(entry.votes_against, base)})",
                "result": "Đạt" if _entry_passed(meeting, entry) else "Không đạt",
            }
        )
    members = members_text(meeting, texts)
    start_hour, start_minute = _clock(meeting.starts_at, texts)
    end_hour, end_minute = _clock(meeting.ends_at, texts)
    return {
        "template": MINUTES_TEMPLATE,
        "form_code": code,
        "filename_stem": f"bien-ban-{vi_slug(meeting.unit.name, 50)}-{meeting.held_on:%Y%m%d}",
        "document_subject": f"Biên bản {meeting.get_purpose_display()[:1].lower()}"
        f"{meeting.get_purpose_display()[1:]} ngày {format_date(meeting.held_on)}"[:300],
        "year": year,
        "title": title,
        "subject": subject,
        "header": _header(meeting.unit, texts, style="party"),
        "addressee": "",
        "facts": [
            {
                "label": "Thời gian",
                "text": _fill(
                    texts["time_line"], hour=start_hour, minute=start_minute, date=format_date(meeting.held_on)
                ),
            },
            {"label": "Địa điểm", "text": f"{meeting.place}."},
            {"label": "Thành phần", "text": f"{_body_phrase(meeting)}. {members}."},
            {"label": "Chủ trì", "text": f"đồng chí {meeting.chair_name}."},
            {"label": "Thư ký", "text": f"đồng chí {meeting.secretary_name}."},
            {
                "label": "Nội dung",
                "text": f"{meeting.get_purpose_display()} năm {year}. " + _fill(texts["content_intro"], **texts),
            },
            {"label": "Hình thức biểu quyết", "text": f"{meeting.get_voting_method_display()}."},
        ],
        "pass_rule": f"Điều kiện đạt: {meeting.get_pass_rule_display().lower()} ({base}).",
        "columns": MINUTES_COLUMNS,
        "rows": rows,
        "conclusion": lines_of(meeting.conclusion),
        "end_line": _fill(texts["end_line"], hour=end_hour, minute=end_minute),
        "signatures": [
            _signature(title=texts["minutes_secretary"], name=meeting.secretary_name),
            _signature(title=texts["minutes_chair"], name=meeting.chair_name, main=True),
        ],
        "recipients": [],
    }


def decision_signature(meeting: Meeting, texts: dict) -> tuple[str, str]:
    """(authority, title) of the decision: T/M BAN THƯỜNG VỤ for a standing committee, T/M of the committee for
    other party bodies, the head for an agency."""
    unit = meeting.unit
    if _is_chi_bo(meeting):
        return texts["chi_bo_authority"], texts["secretary_title"]
    if meeting.body.strip().lower().startswith("ban thường vụ"):
        return "T/M BAN THƯỜNG VỤ", texts["secretary_title"]
    if unit.is_party:
        return authority_line(unit), texts["secretary_title"]
    return "", texts["signer_head"]


def decision_context(meeting: Meeting, *, decision_ref: str = "") -> dict:
    """Mẫu 5b / 6b / 7b: căn cứ, "<BODY> QUYẾT ĐỊNH", Điều 1–3, Nơi nhận, signature; then the attached list of the
    entries that passed. ``decision_ref`` ("Quyết định số 12-QĐ/ĐU, ngày 10/10/2025 …") heads the list."""
    meeting = _as_on_the_day(meeting)
    code = DECISION_FORM[meeting.purpose]
    texts = _texts(code, meeting.year, meeting.purpose)
    year = meeting.year.year
    unit = meeting.unit
    passed = [e for e in _entries(meeting) if _entry_passed(meeting, e)]
    rows = [
        {
            "stt": stt,
            "title": e.registration.title,
            "subject": subject_line(e.registration),
            "unit": unit_line(e.registration),
            "field": e.registration.field.name,
            "note": "",
        }
        for stt, e in enumerate(passed, start=1)
    ]
    body_phrase = _body_phrase(meeting)
    basis = [
        texts["basis_charter"],
        _fill(texts["basis_rules"], issuer=issuing_body(unit)),
        _fill(texts["basis_guidance"], guidance_ref=texts["guidance_ref"]),
        _fill(texts["basis_minutes"], date=format_date(meeting.held_on), body=body_phrase),
        texts["proposal_by"],
    ]
    decider = _decider_phrase(meeting)
    recipients = [texts["recipients_article_3"]]
    parent = Unit.objects.get_parent(unit)
    if parent is not None:
        recipients.append(f"- {addressee(parent)} (b/c),")
    recipients.append(archive_line(unit))
    authority, title = decision_signature(meeting, texts)
    return {
        "template": DECISION_TEMPLATE,
        "form_code": code,
        "filename_stem": f"quyet-dinh-{vi_slug(unit.name, 50)}-{meeting.held_on:%Y%m%d}",
        "document_subject": subject_with_year(texts.get("subject", ""), year)[:300],
        "year": year,
        "title": texts.get("title", "QUYẾT ĐỊNH"),
        "subject": subject_with_year(texts.get("subject", ""), year),
        "header": _header(unit, texts, style="party"),
        "addressee": "",
        "basis": basis,
        # "BAN THƯỜNG VỤ ĐẢNG ỦY SỞ Y TẾ QUYẾT ĐỊNH": the body with its unit, as Party decisions name it.
        "decides": _fill(texts["decides"], body=decider.upper()),
        "articles": [
            {"label": "Điều 1.", "text": _fill(texts["article_1"], count=len(rows), year=year)},
            {"label": "Điều 2.", "text": _fill(texts["article_2"], noun=texts["noun"], movement=MOVEMENT)},
            {"label": "Điều 3.", "text": texts["article_3_chi_bo" if _is_chi_bo(meeting) else "article_3"]},
        ],
        "signatures": [_signature(authority=authority, title=title, main=True)],
        "recipients": recipients,
        "list_title": texts["list_title"],
        "list_subject": subject_with_year(texts["list_subject"], year),
        "list_ref": f"(Kèm theo {decision_ref})" if decision_ref else f"(Kèm theo Quyết định của {decider})",
        "list_columns": LIST_COLUMNS,
        "rows": rows,
    }


def decision_reference(meeting: Meeting, *, number: str, date) -> str:
    return f"Quyết định số {number}, ngày {format_date(date)} của {_decider_phrase(meeting)}"


# --- Mẫu 6b list: proposal of grassroots exemplars to the Khối ------------------------------------------------------


def _via_line(khoi: Unit, texts: dict) -> str:
    """ "(qua Ban Tuyên giáo …)": the Khối's advisory department by its current name when it is in the tree."""
    departments = Unit.objects.filter(path__startswith=khoi.path, depth=khoi.depth + 1, kind=UnitKind.BAN)
    ban = departments.filter(name__icontains="tuyên").order_by("path").first()
    return f"(qua {ban.name})" if ban is not None else texts["proposal_via"]


def _base_decision_note(reg: Registration, texts: dict) -> str:
    """ "QĐ số 12-QĐ/ĐU, ngày 10/10/2025": the decision that made the entry a grassroots exemplar, if recorded."""
    doc = (
        Document.objects.filter(
            form_code=DECISION_FORM[Purpose.CONFIRM_EXEMPLAR_BASE],
            meeting__entries__registration=reg,
            meeting__entries__passed=True,
            replaced_at__isnull=True,
        )
        .exclude(number="")
        .order_by("-issued_on", "-pk")
        .first()
    )
    return _fill(texts["base_decision_note"], number=doc.number, date=format_date(doc.issued_on)) if doc else ""


def proposal_context(proposal: KhoiProposal) -> dict:
    """The DANH SÁCH đề nghị xác nhận điển hình cấp Đảng bộ Khối: Kính gửi Ban Thường vụ Đảng ủy Khối (qua Ban
    Tuyên giáo), the table of exemplars, signed T/M ĐẢNG ỦY, BÍ THƯ."""
    texts = _texts("mau_6b_ds", proposal.year)
    unit = proposal.unit
    khoi = unit.khoi()
    year = proposal.year.year
    regs = [
        e.registration
        for e in proposal.entries.select_related(
            "registration__field", "registration__subject_unit", "registration__subject_person__work_unit"
        ).order_by("pk")
    ]
    rows = [
        {
            "stt": stt,
            "title": reg.title,
            "subject": subject_line(reg),
            "kind": "Tập thể" if reg.is_collective else "Cá nhân",
            "unit": unit_line(reg),
            "field": reg.field.name,
            "note": _base_decision_note(reg, texts),
        }
        for stt, reg in enumerate(regs, start=1)
    ]
    collective = sum(1 for reg in regs if reg.is_collective)
    to = addressee(khoi)
    note = lines_of(proposal.note)
    # The files sentence is not said twice: a note that already lists the files ("Hồ sơ gồm: …") replaces it.
    files_line = "" if any("ho so" in search_key(line) for line in note) else texts["proposal_files"]
    return {
        "template": PROPOSAL_TEMPLATE,
        "form_code": "mau_6b_ds",
        "filename_stem": f"de-nghi-dien-hinh-khoi-{vi_slug(unit.name, 50)}-{year}",
        "document_subject": subject_with_year(texts["proposal_subject"], year)[:300],
        "year": year,
        "title": texts["proposal_title"],
        "subject": subject_with_year(texts["proposal_subject"], year),
        "header": _header(unit, texts, style="party"),
        "addressee": f"{to} {_via_line(khoi, texts)}",
        "intro": _fill(
            texts["proposal_intro"],
            guidance_ref=texts["guidance_ref"],
            issuer=issuing_body(unit),
            addressee=to,
            count=count_text(len(rows)),
            year=year,
        ),
        "columns": PROPOSAL_COLUMNS,
        "rows": rows,
        "total_line": total_line(
            texts["total_line_exemplar"],
            texts,
            total=len(rows),
            collective=collective,
            individual=len(rows) - collective,
        ),
        "files_line": files_line,
        "note": note,
        "signatures": [_signature(authority=authority_line(unit), title=texts["secretary_title"], main=True)],
        "recipients": [texts["recipients_same"], archive_line(unit)],
    }
