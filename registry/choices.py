"""The options of the list filters that do not change per request: the units of a user's scope, the lĩnh vực, the years.

Rendering them was most of a list page's cost (issue 17): 500 unit options, each through Django's widget templates,
after a query for them on every view. Here they are read once, turned into ``<option>`` HTML once, and kept in the
process's memory (a small LRU: no pickling on each read, as even Django's local-memory cache does) under

- the ``ChoiceStamp`` read from the database (one primary-key read a request), which the signals below give a new
  value in the same transaction as any save or delete of a unit, a lĩnh vực or a year, and ``Unit.objects.move()``
  and ``generate_scale_data`` as well: every worker process sees a change at its next request;
- the user's scope (the units of their memberships): a membership added or removed is another key at once.

The stamp missing (a flushed test table) means nothing is cached. The options are only what is shown: validating a
submitted value still asks the database (``filters.RegistrationFilterForm``), so a unit just moved out of the user's
scope is refused even by a page that showed it a moment ago.
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save
from django.utils.html import escape, format_html

from registry.models import ChoiceStamp, Field, Unit, Year
from registry.models.people import memberships_of
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


_cache: OrderedDict = OrderedDict()
_lock = threading.Lock()


def filter_choices(user) -> FilterChoices:
    """The options of ``user``'s list filters, from memory when the stamp and the scope are unchanged."""
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


def clear() -> None:
    """Forget every kept option list (for tests that rewrite the stamp table by hand)."""
    with _lock:
        _cache.clear()


def build_filter_choices(user) -> FilterChoices:
    units = list(Unit.objects.scope_of(user).order_by("path").values_list("pk", "name", "depth")[:UNIT_OPTION_LIMIT])
    top = min((depth for _pk, _name, depth in units), default=1)
    fields = Field.objects.order_by("order", "name").values_list("code", "name")
    years = Year.objects.order_by("-year").values_list("year", "year")
    return FilterChoices(
        units=Options.of([("", ALL), *((pk, "— " * (depth - top) + name) for pk, name, depth in units)]),
        fields=Options.of([("", ALL), *fields]),
        years=Options.of([("", ALL), *years]),
    )


def _new_stamp(sender, **kwargs) -> None:
    ChoiceStamp.bump()


def connect_signals() -> None:
    """Called once from ``RegistryConfig.ready``: a save or delete of a unit, a lĩnh vực or a year changes the stamp."""
    for model in (Unit, Field, Year):
        post_save.connect(_new_stamp, sender=model, dispatch_uid=f"registry.choices.saved.{model.__name__}")
        post_delete.connect(_new_stamp, sender=model, dispatch_uid=f"registry.choices.deleted.{model.__name__}")
