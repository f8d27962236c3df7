"""How a unit is named on paper: the issuing body in a header, the addressee of "Kính gửi", the signing authority.

Every rule works on the unit's data (name, kind, leading body), so a province's wording stays in the admin.
"""

from registry.models import Unit, UnitKind

_DANG_BO = "đảng bộ "
_DANG_UY = "đảng ủy"
CHI_BO_KINDS = frozenset({UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO})


def _join_overlapping(head: str, tail: str) -> str:
    """Join two phrases, dropping the words where ``head`` ends as ``tail`` begins.

    "Đảng ủy Khối" + "Khối các cơ quan tỉnh" → "Đảng ủy Khối các cơ quan tỉnh".
    """
    head_words, tail_words = head.split(), tail.split()
    for size in range(min(len(head_words), len(tail_words)), 0, -1):
        if [w.lower() for w in head_words[-size:]] == [w.lower() for w in tail_words[:size]]:
            return " ".join(head_words + tail_words[size:])
    return " ".join(head_words + tail_words)


def _without_dang_bo(name: str) -> str | None:
    """ "Đảng bộ Sở Y tế" → "Sở Y tế"; ``None`` when the name does not start with "Đảng bộ"."""
    if name.lower().startswith(_DANG_BO):
        return name[len(_DANG_BO) :].strip()
    return None


def issuing_body(unit: Unit) -> str:
    """The body that issues the unit's documents, as printed under the superior line of a header.

    A đảng bộ issues through its committee: "Đảng bộ Sở Y tế" with leading body "Đảng ủy" → "Đảng ủy Sở Y tế"; the
    committee is the "Đảng ủy …" part of the leading body, so the Khối's "Ban Thường vụ Đảng ủy Khối" gives
    "Đảng ủy Khối các cơ quan tỉnh" (its standing committee signs, the header names the Đảng ủy). A chi bộ, an
    agency or a mass organisation issues under its own name.
    """
    name = unit.name.strip()
    rest = _without_dang_bo(name) if unit.is_party else None
    if rest is None:
        return name
    body = unit.leading_body.strip()
    position = body.lower().find(_DANG_UY)
    committee = body[position:] if position >= 0 else "Đảng ủy"
    return _join_overlapping(committee, rest)


def issuing_body_caps(unit: Unit) -> str:
    """``issuing_body`` in capitals: "CHI BỘ PHÒNG NGHIỆP VỤ Y", "ĐẢNG ỦY SỞ Y TẾ"."""
    return issuing_body(unit).upper()


def addressee(unit: Unit) -> str:
    """Whom a form is addressed to ("Kính gửi: …"): the unit's leading body and name.

    "Đảng ủy Sở Y tế", "Chi ủy Chi bộ Phòng Nghiệp vụ Y", "Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh"; an agency
    is addressed by its name.
    """
    name = unit.name.strip()
    body = unit.leading_body.strip()
    if not unit.is_party or not body:
        return issuing_body(unit)
    rest = _without_dang_bo(name)
    if rest is not None:
        return _join_overlapping(body, rest)
    return f"{body} {name}"


def authority_line(unit: Unit) -> str:
    """The "on behalf of" line of a committee's signature: "T/M CHI ỦY", "T/M ĐẢNG ỦY", "T/M BAN THƯỜNG VỤ"."""
    body = unit.leading_body.strip()
    position = body.lower().find(_DANG_UY)
    if position > 0:
        # "Ban Thường vụ Đảng ủy Khối" signs as "T/M BAN THƯỜNG VỤ".
        body = body[:position].strip()
    if not body:
        body = "Chi bộ" if unit.kind in CHI_BO_KINDS else "Đảng ủy"
    return f"T/M {body.upper()}"


def state_style(authority: str) -> str:
    """State documents write signer prefixes with dots: "T/M" → "TM.", "K/T" → "KT."."""
    for party, state in (("T/M ", "TM. "), ("K/T ", "KT. ")):
        if authority.upper().startswith(party):
            return state + authority[len(party) :]
    return authority


def place_name(unit: Unit) -> str:
    """The place printed before the date: the unit's own, else the nearest one above it."""
    if unit.place_name:
        return unit.place_name
    for ancestor in reversed(unit.ancestors_and_self()):
        if ancestor.place_name:
            return ancestor.place_name
    return ""


def archive_line(unit: Unit) -> str:
    """The last "Nơi nhận" line: the copy the issuer keeps."""
    if unit.kind in CHI_BO_KINDS:
        return "- Lưu chi bộ."
    if unit.is_party:
        return "- Lưu Văn phòng."
    return "- Lưu: VT."
