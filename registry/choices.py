"""Catalogue values that do not change per request: the options of the list filters (the units of a user's scope, the
lĩnh vực, the years), and a few values every registration page reads (the open year, a form's wording).

Rendering them was most of a list page's cost (issue 17): 500 unit options, each through Django's widget templates,
after a query for them on every view. Here they are read once, turned into ``<option>`` HTML once, and kept in the
process's memory (a small LRU: no pickling on each read, as even Django's local-memory cache does) under

- the ``ChoiceStamp`` read from the database (one primary-key read a request), which the signals below give a new
  value in the same transaction as any save or delete of a unit, a lĩnh vực, a year or a form's wording
  (``FormText``), and ``Unit.objects.move()``
  and ``generate_scale_data`` as well: every worker process sees a change at its next request;
- the user's scope (the units of their memberships): a membership added or removed is another key at once.

The stamp missing (a flushed test table) means nothing is cached. The options are only what is shown: validating a
submitted value still asks the database (``filters.RegistrationFilterForm``), so a unit just moved out of the user's
scope is refused even by a page that showed it a moment ago.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models import Subquery
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape, format_html

from registry.models import ChoiceStamp, Field, FormText, Unit, Year
from registry.models.people import memberships_of
from registry.models.stamps import CHOICES
from registry.unit_fields import UNIT_OPTION_LIMIT

CACHE_ENTRIES = 256  # scopes kept per process; an entry under an old stamp is never read again and ages out
ALL = "Tất cả"


@dataclass(frozen=True)
class Options:
    """The ``<option>`` elements of one select, none selected, and the values they offer."""

    html: str
    values: tuple[str, ...]

    @classmethod
    def of(cls, choices) -> "Options":
        choices = [(str(value), label) for value, label in choices]
        html = "".join(format_html('<option value="{}">{}</option>', value, label) for value, label in choices)
        return cls(html, tuple(value for value, _label in choices))

    def render(self, selected) -> str:
        """The options with ``selected`` (the submitted text, or None) marked, as Django's Select marks it."""
        selected = "" if selected is None else str(selected)
        if selected not in self.values:
            return self.html
        needle = f'<option value="{escape(selected)}">'
        return self.html.replace(needle, needle[:-1] + " selected>", 1)


@dataclass(frozen=True)
class FilterChoices:
    units: Options  # "Tất cả", then the first UNIT_OPTION_LIMIT units of the scope in tree order, indented
    fields: Options  # "Tất cả", then the lĩnh vực in their order
    years: Options  # "Tất cả", then the years, newest first
    scope_units: Options  # the same units without "Tất cả" (the dashboard's and the reports' unit picker)
    year_values: Options  # the same years without "Tất cả"


_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def filter_choices(user, stamp: str | None = None) -> FilterChoices:
    """The options of ``user``'s list filters, from memory when the stamp and the scope are unchanged. ``stamp``:
    the stamp when the caller read it with its own query (``stamp_subquery``), else it is read here."""
    if stamp is None:
        stamp = ChoiceStamp.current()
    key = (stamp, tuple(sorted({m.unit_id for m in memberships_of(user)})))
    with _lock:
        found = _cache.get(key) if stamp else None
        if found is not None:
            _cache.move_to_end(key)
            return found
    found = build_filter_choices(user)
    if stamp:
        with _lock:
            _cache[key] = found
            while len(_cache) > CACHE_ENTRIES:
                _cache.popitem(last=False)
    return found


def kept(*builders, stamp: str | None = None) -> list:
    """For each ``(name, build)``: ``build()``, kept in process memory until the stamp changes, with one read of the
    stamp for all of them (none when the caller read it with its own query: ``stamp_subquery``). For catalogue
    values a page reads on every view (the open year, a form's wording); they must not be changed by the caller, as
    every request of the process shares them."""
    if stamp is None:
        stamp = ChoiceStamp.current()
    values = []
    for name, build in builders:
        key = (stamp, name)
        with _lock:
            found = _cache.get(key, _MISSING) if stamp else _MISSING
        if found is _MISSING:
            found = build()
            if stamp:
                with _lock:
                    _cache[key] = found
                    while len(_cache) > CACHE_ENTRIES:
                        _cache.popitem(last=False)
        values.append(found)
    return values


_MISSING = object()


def years_and_fields(stamp: str | None = None) -> tuple[dict, dict]:
    """Every ``Year`` and ``Field`` by id, kept under the stamp: a list names each row's year and lĩnh vực (and
    reads the year's deadlines) without joining their tables. Shared by every request: read them, never change
    them."""
    return kept(
        ("rows:years", lambda: {year.pk: year for year in Year.objects.all()}),
        ("rows:fields", lambda: {field.pk: field for field in Field.objects.all()}),
        stamp=stamp,
    )


def khoi_roots(stamp: str | None = None) -> dict:
    """Every Khối (the roots of the unit tree) by id, kept under the stamp, which a unit saved, moved or deleted
    renews: the registration page names an entry's Khối and asks roles over it without joining the unit table once
    more. Shared by every request: read them, never change them."""
    return kept(("rows:khois", lambda: {unit.pk: unit for unit in Unit.objects.filter(depth=1)}), stamp=stamp)[0]


def stamp_subquery() -> Subquery:
    """The stamp as a column of another query (``.annotate(stamp=stamp_subquery())``): no round trip of its own."""
    return Subquery(ChoiceStamp.objects.filter(name=CHOICES).values("token")[:1])


def clear() -> None:
    """Forget every kept option list (for tests that rewrite the stamp table by hand)."""
    with _lock:
        _cache.clear()


def build_filter_choices(user) -> FilterChoices:
    units = list(Unit.objects.scope_of(user).order_by("path").values_list("pk", "name", "depth")[:UNIT_OPTION_LIMIT])
    top = min((depth for _pk, _name, depth in units), default=1)
    fields = Field.objects.order_by("order", "name").values_list("code", "name")
    years = list(Year.objects.order_by("-year").values_list("year", "year"))
    indented = [(pk, "— " * (depth - top) + name) for pk, name, depth in units]
    return FilterChoices(
        units=Options.of([("", ALL), *indented]),
        fields=Options.of([("", ALL), *fields]),
        years=Options.of([("", ALL), *years]),
        scope_units=Options.of(indented),
        year_values=Options.of(years),
    )


def _new_stamp(sender, **kwargs) -> None:
    ChoiceStamp.bump()


def connect_signals() -> None:
    """Called once from ``RegistryConfig.ready``: a save or delete of a unit, a lĩnh vực, a year or a form's wording
    changes the stamp."""
    for model in (Unit, Field, Year, FormText):
        post_save.connect(_new_stamp, sender=model, dispatch_uid=f"registry.choices.saved.{model.__name__}")
        post_delete.connect(_new_stamp, sender=model, dispatch_uid=f"registry.choices.deleted.{model.__name__}")
