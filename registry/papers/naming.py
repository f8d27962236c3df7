"""How a unit is named on paper: the issuing body in a header, the addressee of "Kính gửi", the signing authority.

Every rule works on the unit's data (name, kind, leading body), so a province's wording stays in the admin.
"""

from registry.models import Unit, UnitKind
from registry.text import search_key

_DANG_BO = "đảng bộ "
_DANG_UY = "đảng ủy"
CHI_BO_KINDS = frozenset({UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO})

# Who signs for an agency or a mass organisation (Mẫu 1a, 2a; the owner's reports of such a collective). Defaults of
# the builders' wording: a FormText row with the same key (for the form or "*") replaces each.
SIGNER_TEXTS = {
    "signer_head": "THỦ TRƯỞNG CƠ QUAN",
    # A Công đoàn, Đoàn Thanh niên, Hội… is led by its executive committee, not by a "thủ trưởng".
    "signer_mass_authority": "T/M BAN CHẤP HÀNH",
    "signer_mass_title": "CHỦ TỊCH",
    "signer_cong_doan_title": "CHỦ TỊCH",
    "signer_doan_thanh_nien_title": "BÍ THƯ",
    "signer_chi_hoi_title": "CHI HỘI TRƯỞNG",
    "confirm_head": "XÁC NHẬN CỦA|THỦ TRƯỞNG CƠ QUAN",
    "confirm_mass": "XÁC NHẬN CỦA|BAN CHẤP HÀNH",
}


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


def is_mass_organisation(unit: Unit) -> bool:
    """A Công đoàn, Đoàn Thanh niên, Hội, Chi hội… (unit kind ``doan_the``): led by an elected committee."""
    return unit.kind == UnitKind.DOAN_THE


def head_signer(unit: Unit, texts: dict) -> tuple[str, str]:
    """(authority, title) of whoever signs for an agency or a mass organisation, from its kind and name.

    An agency: its head ("THỦ TRƯỞNG CƠ QUAN"). A mass organisation signs for its executive committee
    ("T/M BAN CHẤP HÀNH") with its leader's title: "CHỦ TỊCH" for a Công đoàn (and by default), "BÍ THƯ" for an Đoàn
    Thanh niên, "CHI HỘI TRƯỞNG" for a Chi hội. Every value is a key of ``texts`` (``SIGNER_TEXTS``, FormText).
    """
    texts = {**SIGNER_TEXTS, **texts}
    if not is_mass_organisation(unit):
        return "", texts["signer_head"]
    key = search_key(unit.name)
    if "cong doan" in key:
        title = texts["signer_cong_doan_title"]
    elif "doan thanh nien" in key:
        title = texts["signer_doan_thanh_nien_title"]
    elif key.startswith("chi hoi"):
        title = texts["signer_chi_hoi_title"]
    else:
        title = texts["signer_mass_title"]
    return texts["signer_mass_authority"], title


def confirm_heading(unit: Unit, texts: dict) -> str:
    """The heading of the block where an agency or a mass organisation confirms a person's registration (Mẫu 2a)."""
    texts = {**SIGNER_TEXTS, **texts}
    return texts["confirm_mass"] if is_mass_organisation(unit) else texts["confirm_head"]


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
