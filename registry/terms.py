"""The names a guidance gives to the bodies of the movement: the one place they are read from (issue #14).

The 2025 reorganisation renamed the top of the tree (the provincial Đảng bộ Khối became the Đảng bộ các cơ quan Đảng
tỉnh), merged the appraising body (Ban Tuyên giáo → Ban Tuyên giáo và Dân vận) and ended the guidance's issuer. So no
body name is written in code or templates: each is a field of ``Guidance`` (registry/models/guidance.py), set in the
admin or loaded from ``fixtures/``, and read here. ``DEFAULTS`` are the names of Hướng dẫn 29-HD/ĐUK (Thái Nguyên,
2024): what a fresh database gets and what is shown when no guidance exists yet. They are the only place in
``registry/`` and ``templates/`` where those names may be written (``tests/test_terms.py`` greps for the rest).

``terms(year)`` gives the names of the guidance ``year`` runs under (so a 2024 paper keeps 2024 wording and a 2026
paper uses the new); ``terms()`` the names of the latest year that has a guidance. Both are cached per process for
``CACHE_SECONDS`` and dropped at once when a guidance or a year is saved in this process: a rename in the admin shows
on the next page of the worker that saved it and within a minute in the others, and a page costs no query for them.

``lazy_text("… {top_body} …")`` is a label (choices, verbose names, messages) filled with ``terms()`` each time it is
shown. Migrations store such labels with the defaults; ``makemigrations`` therefore always sees the defaults (see
``_static``), whatever guidance the developer's database holds.
"""

import datetime
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from types import MappingProxyType

from django.utils.functional import lazy

# Hướng dẫn số 29-HD/ĐUK, ngày 16/4/2024 của Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh Thái Nguyên.
DEFAULTS = {
    "guidance_reference": "29-HD/ĐUK",
    "guidance_date": datetime.date(2024, 4, 16),
    "guidance_issuer": "Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh",
    "place": "Thái Nguyên",
    "top_body": "Đảng bộ Khối",
    "top_short": "Khối",
    "top_committee": "Đảng ủy Khối",
    "standing_committee": "Ban Thường vụ Đảng ủy Khối",
    "appraising_body": "Ban Tuyên giáo",
    "appraising_body_full": "Ban Tuyên giáo Đảng ủy Khối",
}


@dataclass(frozen=True)
class Terms:
    """The names of one guidance. Every field is also a ``{placeholder}`` of ``fill`` and of form wording."""

    guidance_reference: str
    guidance_date: datetime.date
    guidance_issuer: str
    place: str
    top_body: str  # the top of the tree as a level: "cấp Đảng bộ Khối"
    top_short: str  # the short form in menus: "Đề nghị lên Khối"
    top_committee: str  # the committee of the top body: "đề nghị lên Đảng ủy Khối"
    standing_committee: str  # who confirms exemplars of the top level (Mẫu 7b)
    appraising_body: str  # who appraises (Mẫu 7a): "(qua Ban Tuyên giáo)"
    appraising_body_full: str  # the same with its committee: "Ban Tuyên giáo Đảng ủy Khối"

    @property
    def guidance_short(self) -> str:
        """ "Hướng dẫn số 29-HD/ĐUK"."""
        return f"Hướng dẫn số {self.guidance_reference}"

    @property
    def guidance_citation(self) -> str:
        """ "Hướng dẫn số 29-HD/ĐUK, ngày 16/4/2024 của Ban Chấp hành Đảng bộ Khối các cơ quan tỉnh"."""
        day = self.guidance_date
        return f"{self.guidance_short}, ngày {day.day}/{day.month}/{day.year} của {self.guidance_issuer}"

    @property
    def advisory_kind(self) -> str:
        """The printed name of the unit kind ``ban``: the advisory departments of the top committee."""
        return f"Cơ quan tham mưu, giúp việc {self.top_committee}"

    @property
    def appraiser_role(self) -> str:
        """The appraiser role as users see it."""
        return f"Thẩm định ({self.appraising_body_full})"

    def placeholders(self) -> Mapping[str, str]:
        """Every name by its placeholder, the derived ones included: read-only, worked out once per ``Terms`` (every
        lazy label of a page fills from it, ``asdict`` each time was a millisecond of a list page)."""
        found = self.__dict__.get("_placeholders")
        if found is None:
            values = {name: value for name, value in asdict(self).items() if isinstance(value, str)}
            for name in ("guidance_short", "guidance_citation", "advisory_kind", "appraiser_role"):
                values[name] = getattr(self, name)
            found = MappingProxyType(values)
            object.__setattr__(self, "_placeholders", found)  # frozen: the fields never change, so neither does this
        return found


TERM_FIELDS = tuple(f.name for f in fields(Terms))
DEFAULT_TERMS = Terms(**DEFAULTS)

CACHE_SECONDS = 60
_cache: dict = {}


def clear_cache(**_kwargs) -> None:
    """Forget the names read so far (a guidance was saved, a request starts, a test starts)."""
    _cache.clear()


def _static() -> bool:
    # While models are being imported (a constraint compares its message to the default) nothing may be read from
    # the database; the migration autodetector evaluates lazy labels and must compare the defaults, never a
    # database's names.
    from django.apps import apps

    if not apps.ready:
        return True
    return len(sys.argv) > 1 and sys.argv[1] in {"makemigrations", "migrate", "sqlmigrate", "squashmigrations"}


def of_guidance(guidance) -> Terms:
    """The names a ``Guidance`` row sets (a blank field falls back to the default)."""
    return Terms(**{name: getattr(guidance, name) or DEFAULTS[name] for name in TERM_FIELDS})


def _load(key):
    from django.db import DatabaseError

    try:
        return _read(key)
    except DatabaseError:
        # A database not migrated yet (a fresh deployment's health probe, `check`): its pages name the defaults.
        return DEFAULT_TERMS


def _read(key):
    from registry.models import Guidance

    guidance = Guidance.latest() if key is None else Guidance.objects.filter(pk=key).first()
    return of_guidance(guidance) if guidance else DEFAULT_TERMS


def terms(year=None) -> Terms:
    """The names of the guidance ``year`` (a ``Year``) runs under; without a year (or a year not tied to any
    guidance), those of the latest year that has one."""
    if _static():
        return DEFAULT_TERMS
    key = getattr(year, "guidance_id", None)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached is not None and now - cached[1] < CACHE_SECONDS:
        return cached[0]
    value = _load(key)
    _cache[key] = (value, now)
    return value


def fill(template: str, values: dict) -> str:
    """``template`` with each ``{name}`` of ``values`` replaced; other braces are left for a later fill.

    The one function that fills the placeholders of printed wording (names here, then each builder's values).
    ``str.format`` would fail on any other brace typed in the admin; ``registry.papers.wording`` refuses a
    placeholder that no builder fills before it is stored."""
    for name, value in values.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _lazy_fill(template: str) -> str:
    if "{" not in template:  # most labels name no body: nothing to read
        return template
    return fill(template, terms().placeholders())


lazy_text = lazy(_lazy_fill, str)
