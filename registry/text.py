"""Vietnamese text helpers: NFC normalisation, diacritics-free search keys, ASCII slugs and printed dates.

``slugify()`` alone drops "đ" ("Đảng bộ" → "ang-bo"), and text typed in decomposed form (NFD) looks right but
extracts decomposed from a PDF and escapes search; everything saved goes through ``normalize_vi()`` first.
"""

import datetime
import re
import unicodedata

from django.utils.text import slugify

_D_MAP = str.maketrans({"đ": "d", "Đ": "D"})
_SPACES = re.compile(r"\s+")
# Control characters other than tab, newline and carriage return never belong in typed text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_vi(value: str | None) -> str:
    """Return ``value`` in NFC with control characters removed; ``None`` becomes ''."""
    if not value:
        return ""
    return _CONTROL.sub("", unicodedata.normalize("NFC", value))


def search_key(*parts: str | None) -> str:
    """Lower-case, diacritics-free, single-spaced text for search: "Dân vận KHÉO" → "dan van kheo"."""
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFD", text.translate(_D_MAP))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text.lower()).strip()


def vi_slug(value: str, max_length: int = 80) -> str:
    """ASCII slug that keeps "đ" as "d": "Đảng bộ Sở Y tế" → "dang-bo-so-y-te"."""
    return slugify(search_key(value))[:max_length].strip("-") or "tai-lieu"


def document_date(value: datetime.date, *, state_style: bool = False) -> str:
    """The dateline of a printed form: "ngày 03 tháng 4 năm 2024".

    Party documents pad the day under 10; State documents (Mẫu 1a, 2a) also pad months 1 and 2.
    """
    month = f"{value.month:02d}" if state_style and value.month <= 2 else str(value.month)
    return f"ngày {value.day:02d} tháng {month} năm {value.year}"


def counted(number: int, noun: str = "") -> str:
    """A count in a paper's sentence as a clerk writes it: "3 mô hình", and for none "không có mô hình" (a bare
    count, after a colon: "không có"), never the digit 0."""
    return (f"không có {noun}" if number == 0 else f"{number} {noun}").strip()


def format_date(value: datetime.date | None) -> str:
    """dd/mm/yyyy, or '' for no date."""
    return value.strftime("%d/%m/%Y") if value else ""
