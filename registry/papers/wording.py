"""One text catalogue (issue #14): every sentence a printed form may print, declared once with its default and the
placeholders its builder fills.

The defaults are the dictionaries next to each builder (``registrations.DEFAULT_TEXTS``, ``meetings.MEETING_TEXTS``
and ``PURPOSE_TEXTS``, ``appraisals.APPRAISAL_TEXTS``, ``reviews.DEFAULT_TEXTS``, ``reports.DEFAULT_TEXTS``,
``naming.SIGNER_TEXTS``) and the titles and subjects that migration 0002 seeded (``SEEDED``, the same sentences).
``CATALOGUE`` says which of them each form's builder reads, so ``declared(form)`` is exactly the wording a
``FormText`` row of that form may replace. A row with an undeclared key, or a ``{placeholder}`` that its builder
does not fill, is refused with a Vietnamese message (``problems``): in the admin (a choice of declared keys), on
save and on ``manage.py loaddata`` (``refuse_undeclared``, connected in ``RegistryConfig.ready``).

Placeholders are filled by one function, ``registry.terms.fill``: the guidance's names (``{top_body}``…, for every
text, by ``registrations.form_texts``) first, then what the builder knows (``{year}``, ``{count}``…).
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from registry.models import Purpose
from registry.papers import appraisals, meetings, naming, registrations, reports, reviews
from registry.terms import DEFAULT_TERMS, TERM_FIELDS

PLACEHOLDER = re.compile(r"{(\w+)}")
MOVEMENT = "“Dân vận khéo”"
# The guidance's names, allowed in every sentence (registry.terms).
NAME_PLACEHOLDERS = frozenset(DEFAULT_TERMS.placeholders()) | frozenset(TERM_FIELDS)
# Titles and subjects are printed by every builder through ``subject_with_year``.
EXTRA_PLACEHOLDERS = {"subject": frozenset({"year"}), "title": frozenset({"year"})}
SHARED = "*"

# What migration 0002 seeded as rows (the rows win; these are the declared defaults if a row is deleted).
SEEDED = {
    SHARED: {
        "party_national": "ĐẢNG CỘNG SẢN VIỆT NAM",
        "state_national": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "state_motto": "Độc lập - Tự do - Hạnh phúc",
        "guidance_ref": "{guidance_citation}",
        "commitment": "Chúng tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký, định kỳ báo cáo kết quả xây dựng "
        f"mô hình {MOVEMENT} với cơ quan tiếp nhận đăng ký theo quy định.",
    },
    "mau_1": {"title": "BẢN ĐĂNG KÝ", "subject": f"xây dựng mô hình {MOVEMENT} năm {{year}}"},
    "mau_1a": {"title": "BẢN ĐĂNG KÝ", "subject": f"xây dựng mô hình {MOVEMENT} năm {{year}}"},
    "mau_2": {
        "title": "BẢN ĐĂNG KÝ",
        "subject": f"xây dựng mô hình {MOVEMENT} năm {{year}}",
        "commitment": "Tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký, định kỳ báo cáo kết quả xây dựng mô hình "
        f"{MOVEMENT} với chi bộ.",
    },
    "mau_2a": {
        "title": "BẢN ĐĂNG KÝ",
        "subject": f"xây dựng mô hình {MOVEMENT} năm {{year}}",
        "commitment": "Tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký, định kỳ báo cáo kết quả xây dựng mô hình "
        f"{MOVEMENT} với cơ quan, đơn vị.",
    },
    "mau_3": {"title": "DANH SÁCH", "subject": f"tập thể, cá nhân đăng ký xây dựng mô hình {MOVEMENT} năm {{year}}"},
    "mau_4": {"title": "BÁO CÁO", "subject": f"kết quả rà soát, đánh giá mô hình {MOVEMENT} năm {{year}}"},
    "mau_5": {"title": "BÁO CÁO", "subject": f"kết quả thực hiện mô hình {MOVEMENT} (đề nghị xác nhận)"},
    "mau_5a": {"title": "BIÊN BẢN", "subject": f"họp xét, xác nhận mô hình {MOVEMENT} năm {{year}}"},
    "mau_5b": {"title": "QUYẾT ĐỊNH", "subject": f"xác nhận mô hình {MOVEMENT} năm {{year}}"},
    "mau_6": {"title": "BÁO CÁO THÀNH TÍCH", "subject": f"điển hình {MOVEMENT}"},
    "mau_6a": {"title": "BIÊN BẢN", "subject": f"họp xét, xác nhận điển hình {MOVEMENT} cấp cơ sở năm {{year}}"},
    "mau_6b": {"title": "QUYẾT ĐỊNH", "subject": f"xác nhận điển hình {MOVEMENT} cấp cơ sở năm {{year}}"},
    "mau_7": {"title": "TỜ TRÌNH", "subject": f"đề nghị xác nhận điển hình {MOVEMENT} cấp {{top_body}} năm {{year}}"},
    "mau_7a": {
        "title": "BÁO CÁO",
        "subject": f"thẩm định hồ sơ đề nghị xác nhận điển hình {MOVEMENT} năm {{year}}",
    },
    "mau_7b": {"title": "QUYẾT ĐỊNH", "subject": f"xác nhận điển hình {MOVEMENT} cấp {{top_body}} năm {{year}}"},
}

_REGISTRATION = [registrations.DEFAULT_TEXTS, naming.SIGNER_TEXTS]
_REVIEW = [registrations.DEFAULT_TEXTS, reviews.DEFAULT_TEXTS, naming.SIGNER_TEXTS]
_APPRAISAL = [registrations.DEFAULT_TEXTS, appraisals.APPRAISAL_TEXTS]


def _meeting(purpose: str | None) -> list[dict]:
    return [registrations.DEFAULT_TEXTS, meetings.MEETING_TEXTS, meetings.PURPOSE_TEXTS.get(purpose, {})]


# The FormText code of each printed form → the default dictionaries its builder reads (as ``form_texts`` merges them).
CATALOGUE = {
    "mau_1": _REGISTRATION,
    "mau_1a": _REGISTRATION,
    "mau_2": _REGISTRATION,
    "mau_2a": _REGISTRATION,
    "mau_3": _REGISTRATION,
    "mau_4": _REVIEW,
    "mau_5": _REVIEW,
    "mau_6": _REVIEW,
    "mau_5a": _meeting(Purpose.CONFIRM_MODEL),
    "mau_5b": _meeting(Purpose.CONFIRM_MODEL),
    "mau_6a": _meeting(Purpose.CONFIRM_EXEMPLAR_BASE),
    "mau_6b": _meeting(Purpose.CONFIRM_EXEMPLAR_BASE),
    "mau_7b_bb": _meeting(Purpose.CONFIRM_EXEMPLAR_KHOI),
    "mau_7b": _meeting(Purpose.CONFIRM_EXEMPLAR_KHOI),
    "mau_6b_ds": _meeting(None),
    "mau_7": _APPRAISAL,
    "mau_7a": _APPRAISAL,
    reports.FORM_TEXT_CODE: [registrations.DEFAULT_TEXTS, reports.DEFAULT_TEXTS],
}


@dataclass(frozen=True)
class Wording:
    form: str
    key: str
    default: str
    placeholders: frozenset

    @property
    def allowed(self) -> frozenset:
        """What a replacement sentence may use: its default's placeholders and the guidance's names."""
        return self.placeholders | NAME_PLACEHOLDERS | EXTRA_PLACEHOLDERS.get(self.key, frozenset())


def placeholders_of(text: str) -> frozenset:
    return frozenset(PLACEHOLDER.findall(text))


def _declared_for(form: str) -> dict[str, Wording]:
    merged = {**SEEDED[SHARED], **SEEDED.get(form, {})}
    for defaults in CATALOGUE[form]:
        merged.update(defaults)
    return {key: Wording(form, key, text, placeholders_of(text)) for key, text in merged.items()}


DECLARED = {form: _declared_for(form) for form in CATALOGUE}


def forms() -> list[str]:
    """Every FormText code: "*" (every form) and each form's."""
    return [SHARED, *CATALOGUE]


def declared(form: str) -> dict[str, Wording]:
    """The declared wording of ``form``; for "*" a key any form declares, allowing what every such form fills."""
    if form != SHARED:
        return DECLARED.get(form, {})
    shared = {}
    for wordings in DECLARED.values():
        for key, wording in wordings.items():
            known = shared.get(key)
            if known is None:
                shared[key] = Wording(SHARED, key, wording.default, wording.placeholders)
            else:
                # A shared sentence is printed by each form that reads it: only what all of them fill is allowed.
                shared[key] = Wording(SHARED, key, known.default, known.placeholders & wording.placeholders)
    return shared


def all_keys() -> list[str]:
    return sorted({key for wordings in DECLARED.values() for key in wordings})


def problems(form: str, key: str, text: str) -> dict[str, str]:
    """Why a FormText row would not print (field → Vietnamese message); empty when it is fine."""
    if form not in DECLARED and form != SHARED:
        return {"form_code": f"Không có biểu mẫu mã “{form}”; hãy chọn một mẫu trong danh sách."}
    wording = declared(form).get(key)
    if wording is None:
        return {"key": f"Mẫu “{form}” không có lời văn với khóa “{key}”; hãy chọn một khóa trong danh sách."}
    unknown = sorted(placeholders_of(text) - wording.allowed)
    if unknown:
        allowed = ", ".join("{" + name + "}" for name in sorted(wording.placeholders)) or "không có"
        used = ", ".join("{" + name + "}" for name in unknown)
        return {
            "text": f"Chỗ điền {used} không được mẫu “{form}” điền vào khóa “{key}”. Chỗ điền dùng được: {allowed}."
        }
    return {}


def refuse_undeclared(sender, instance, raw=False, **kwargs):
    """``pre_save`` of FormText, fixtures included: an undeclared key or placeholder is never stored."""
    errors = problems(instance.form_code, instance.key, instance.text or "")
    if errors:
        where = f"Lời văn biểu mẫu “{instance.form_code} · {instance.key}”: "
        raise ValidationError({field: where + message for field, message in errors.items()})
