"""What Mẫu 7 (TỜ TRÌNH to the Ban Thường vụ) and Mẫu 7a (BÁO CÁO thẩm định) show, as JSON-serialisable dicts.

Both are issued by the Ban Tuyên giáo (the unit of kind ``ban`` under the Khối, the Khối itself when there is none)
and list the entries whose appraisal is finished, ranked among themselves. Wording comes from ``FormText`` (title,
subject, the shared ``guidance_ref``); the sentences below are defaults that a ``FormText`` row with the same key
(for the form or "*") replaces. ``{year}``, ``{total}`` … are the only placeholders.
"""

from collections import Counter
from decimal import Decimal

from registry.appraisals import RankedEntry, rank_entries
from registry.models import Status, Unit, UnitKind
from registry.papers.naming import addressee, issuing_body, place_name
from registry.papers.registrations import (
    _header,
    _signature,
    count_text,
    form_texts,
    kinds_text,
    subject_with_year,
)
from registry.terms import fill
from registry.text import search_key

MOVEMENT = "“Dân vận khéo”"
APPRAISAL_TEXTS = {
    "document_subject_mau_7": "Tờ trình đề nghị xác nhận điển hình cấp {top_body} năm {year}",
    "basis_guidance": "Căn cứ {guidance_ref};",
    "basis_proposals": "Căn cứ đề nghị của các đảng ủy, chi bộ cơ sở trực thuộc và kết quả thẩm định hồ sơ,",
    "submission_intro": (
        "{issuer} kính trình {board} xem xét, xác nhận điển hình " + MOVEMENT + " cấp {top_body} năm {year} như sau:"
    ),
    "heading_received": "Kết quả tiếp nhận hồ sơ",
    "heading_method": "Cách thức thẩm định",
    "heading_result": "Kết quả thẩm định",
    "heading_proposal": "Đề xuất",
    "received": (
        "Thực hiện {guidance_ref}, {issuer} đã tiếp nhận {total} hồ sơ đề nghị xác nhận điển hình "
        + MOVEMENT
        + " cấp {top_body} năm {year} ({kinds}) của {units} đơn vị, cụ thể:"
    ),
    "submission_received": ("{issuer} đã tiếp nhận {total} hồ sơ đề nghị ({kinds}) của {units} đơn vị, cụ thể:"),
    "method": (
        "Kiểm tra thành phần hồ sơ của từng điển hình (đầy đủ / thiếu); đánh giá từng tiêu chí theo Mục II.2.1 của "
        "Hướng dẫn (05 tiêu chí đối với tập thể, 03 tiêu chí đối với cá nhân) là đạt hay không đạt và cho điểm theo "
        "thang điểm 100. Mỗi hồ sơ do các thành viên thẩm định chấm độc lập; điểm xếp hạng là điểm bình quân của các "
        "phiếu; hồ sơ bằng điểm được xếp theo số tiêu chí đạt, rồi theo thời gian gửi đề nghị."
    ),
    "result": (
        "Có {complete} hồ sơ đầy đủ, {incomplete} hồ sơ còn thiếu; {all_met} hồ sơ đạt đủ các tiêu chí. "
        "Điểm bình quân cao nhất {max_score}, thấp nhất {min_score}."
    ),
    "result_detail": "Kết quả thẩm định từng hồ sơ như sau:",
    "proposal": (
        "{issuer} đề xuất {board} xem xét, xác nhận {chosen} điển hình "
        + MOVEMENT
        + " cấp {top_body} năm {year} (các hồ sơ ghi “Xác nhận” tại cột Đề xuất)."
    ),
    "submission_proposal": (
        "{issuer} đề nghị {board} xem xét, xác nhận {chosen} điển hình " + MOVEMENT + " cấp {top_body} năm {year}, gồm:"
    ),
    "submission_closing": "Kính trình {board} xem xét, quyết định./.",
    "unit_line": "- {unit}: {count} hồ sơ;",
    "archive": "- Lưu Văn phòng.",
    "proposed_yes": "Xác nhận",
    "proposed_no": "Không",
    "count_collective": "{n} tập thể",
    "count_individual": "{n} cá nhân",
}

MAU_7A_COLUMNS = [
    "STT",
    "Đơn vị đề nghị",
    "Tên điển hình",
    "Lĩnh vực",
    "Hồ sơ",
    "Tiêu chí đạt",
    "Điểm",
    "Xếp hạng",
    "Đề xuất",
    "Ghi chú",
]
MAU_7_COLUMNS = ["STT", "Tên điển hình", "Tập thể / cá nhân", "Đơn vị đề nghị", "Lĩnh vực", "Điểm", "Xếp hạng"]
# Statuses an entry may hold once its appraisal is finished: appraised, then confirmed or sent back by the BTV.
FINISHED_STATUSES = frozenset({Status.APPRAISED, Status.EXEMPLAR_KHOI, Status.EXEMPLAR_BASE})


def issuing_unit_for(khoi: Unit) -> Unit:
    """The Ban Tuyên giáo of the Khối (a ``ban`` unit, preferring one named "Tuyên giáo"), else the Khối."""
    bans = list(Unit.objects.filter(kind=UnitKind.BAN, path__startswith=khoi.path).order_by("path"))
    for ban in bans:
        if "tuyen giao" in search_key(ban.name):
            return ban
    return bans[0] if bans else khoi


def printable(entries: list[RankedEntry]) -> list[RankedEntry]:
    """Entries whose appraisal is finished, ranked again among themselves (the report covers only those)."""
    return rank_entries([e for e in entries if not e.hidden and e.registration.status in FINISHED_STATUSES])


def _fill(text: str, **values) -> str:
    # "({kinds})" of nothing received prints nothing, not "()".
    return fill(text, values).replace(" ()", "")


def _number(value: Decimal) -> str:
    """85.50 → "85,50": the Vietnamese decimal comma."""
    return f"{value:.2f}".replace(".", ",")


def _texts(form_code: str, year) -> dict:
    return form_texts(form_code, year, APPRAISAL_TEXTS)


def _received(entries: list[RankedEntry]) -> dict:
    units = Counter(e.proposing_unit for e in entries)
    collective = sum(1 for e in entries if e.registration.is_collective)
    return {
        "total": len(entries),
        "collective": collective,
        "individual": len(entries) - collective,
        "units": sorted(units.items()),
    }


def _common(form_code: str, *, issuer: Unit, khoi: Unit, year: int, entries: list[RankedEntry], signer: dict):
    texts = _texts(form_code, year)
    received = _received(entries)
    names = {
        "issuer": issuing_body(issuer),
        "board": addressee(khoi),
        "year": year,
        "guidance_ref": texts.get("guidance_ref", ""),
        # Counts read "01", never "00" (count_text); a zero part of "({kinds})" is left out.
        "total": count_text(received["total"]),
        "kinds": kinds_text(received["collective"], received["individual"], texts),
        "collective": count_text(received["collective"]),
        "individual": count_text(received["individual"]),
        "units": count_text(len(received["units"])),
    }
    unit_lines = [_fill(texts["unit_line"], unit=name, count=count_text(count)) for name, count in received["units"]]
    if unit_lines:
        unit_lines[-1] = unit_lines[-1].rstrip(";") + "."
    header = _header(issuer, texts, style="party")
    header["place"] = place_name(issuer) or place_name(khoi)
    context = {
        "form_code": form_code,
        "year": year,
        "title": texts.get("title", ""),
        "subject": subject_with_year(texts.get("subject", ""), year),
        "header": header,
        "signatures": [
            _signature(
                authority=signer.get("authority", ""),
                title=signer.get("title", ""),
                name=signer.get("name", ""),
                main=True,
            )
        ],
    }
    return context, texts, names, unit_lines


def _count_or_none(n: int) -> str:
    """ "02", or "không có" where a sentence would otherwise read "0 hồ sơ còn thiếu"."""
    return count_text(n) if n else "không có"


def _summary(entries: list[RankedEntry], names: dict, texts: dict) -> str:
    complete = sum(1 for e in entries if e.file_complete)
    all_met = sum(1 for e in entries if e.criteria_exact == e.criteria_total)
    means = [e.mean for e in entries]
    return _fill(
        texts["result"],
        **names,
        complete=_count_or_none(complete),
        incomplete=_count_or_none(len(entries) - complete),
        all_met=_count_or_none(all_met),
        max_score=_number(max(means)) if means else "0",
        min_score=_number(min(means)) if means else "0",
    )


def mau_7a(*, issuer: Unit, khoi: Unit, year: int, entries: list[RankedEntry], chosen: set[int], signer: dict) -> dict:
    """Mẫu 7a: files received, how they were checked, the table of results and the proposal."""
    entries = printable(entries)
    context, texts, names, unit_lines = _common(
        "mau_7a", issuer=issuer, khoi=khoi, year=year, entries=entries, signer=signer
    )
    rows = []
    for stt, e in enumerate(entries, start=1):
        reg = e.registration
        # How many sheets scored an entry is the Ban's own business; a disagreement is worth the reader's eye.
        notes = []
        if e.disagreement:
            notes.append(f"điểm các phiếu chênh lệch {e.spread}")
        rows.append(
            {
                "stt": stt,
                "unit": e.proposing_unit,
                "title": reg.title,
                "subject": reg.subject_name,
                "field": reg.field.name,
                "file": "Đủ" if e.file_complete else "Thiếu",
                "criteria": f"{_number(e.criteria_mean).removesuffix(',00')}/{e.criteria_total}",
                "score": _number(e.mean),
                "rank": e.rank,
                "proposed": texts["proposed_yes"] if reg.pk in chosen else texts["proposed_no"],
                "note": "; ".join(notes),
            }
        )
    chosen_count = sum(1 for e in entries if e.registration.pk in chosen)
    context.update(
        {
            "filename_stem": f"mau-7a-bao-cao-tham-dinh-{year}",
            "document_subject": f"Báo cáo thẩm định hồ sơ đề nghị xác nhận điển hình năm {year}",
            "addressee": "",
            "sections": [
                {
                    "heading": f"I. {texts['heading_received']}",
                    "lines": [_fill(texts["received"], **names)],
                    "list": unit_lines,
                },
                {"heading": f"II. {texts['heading_method']}", "lines": [_fill(texts["method"], **names)], "list": []},
                {
                    "heading": f"III. {texts['heading_result']}",
                    "lines": [_summary(entries, names, texts), texts["result_detail"]],
                    "list": [],
                },
            ],
            "columns": MAU_7A_COLUMNS,
            "rows": rows,
            "proposal_heading": f"IV. {texts['heading_proposal']}",
            "proposal": _fill(texts["proposal"], **names, chosen=count_text(chosen_count)),
            "recipients": [f"- {names['board']} (b/c),", texts["archive"]],
        }
    )
    return context


def mau_7(*, issuer: Unit, khoi: Unit, year: int, entries: list[RankedEntry], chosen: set[int], signer: dict) -> dict:
    """Mẫu 7: căn cứ, proposals received (by unit), the appraisal result and the ranked list proposed."""
    entries = printable(entries)
    context, texts, names, unit_lines = _common(
        "mau_7", issuer=issuer, khoi=khoi, year=year, entries=entries, signer=signer
    )
    proposed = [e for e in entries if e.registration.pk in chosen]
    rows = [
        {
            "stt": stt,
            "title": e.registration.title,
            "subject": e.registration.subject_name,
            "unit": e.proposing_unit,
            "field": e.registration.field.name,
            "score": _number(e.mean),
            "rank": e.rank,
        }
        for stt, e in enumerate(proposed, start=1)
    ]
    context.update(
        {
            "filename_stem": f"mau-7-to-trinh-{year}",
            "document_subject": _fill(texts["document_subject_mau_7"], year=year),
            "addressee": names["board"],
            "basis": [_fill(texts["basis_guidance"], **names), _fill(texts["basis_proposals"], **names)],
            "intro": _fill(texts["submission_intro"], **names),
            "sections": [
                {
                    "heading": f"1. {texts['heading_received']}",
                    # The căn cứ above already cites the guidance: the tờ trình does not say it twice.
                    "lines": [_fill(texts["submission_received"], **names)],
                    "list": unit_lines,
                },
                {
                    "heading": f"2. {texts['heading_result']}",
                    "lines": [_summary(entries, names, texts) + " (Chi tiết tại Báo cáo thẩm định kèm theo.)"],
                    "list": [],
                },
            ],
            "proposal_heading": f"3. {texts['heading_proposal']}",
            "proposal": _fill(texts["submission_proposal"], **names, chosen=count_text(len(proposed))),
            "columns": MAU_7_COLUMNS,
            "rows": rows,
            "closing": _fill(texts["submission_closing"], **names),
            "recipients": ["- Như trên,", texts["archive"]],
        }
    )
    return context
