"""Form fields shared by the pickers: the indented unit select with a bounded option list, and a multiple choice of
database rows that refuses ids no database key can hold.

A Khối may have thousands of units, so a unit select renders at most ``UNIT_OPTION_LIMIT`` options (in tree order)
while its validation still accepts any unit of the field's queryset (one indexed lookup).
"""

from django import forms
from django.core.exceptions import ValidationError

from registry.models import Unit

UNIT_OPTION_LIMIT = 500
# The largest primary key a database can hold (a signed 64-bit integer): a larger number overflows the driver.
MAX_KEY = 2**63 - 1
MSG_INVALID_KEY = "Lựa chọn không hợp lệ: mục này không có trong danh sách bạn được phép chọn."


def is_key(value) -> bool:
    """True when ``value`` (an int or its text) is a positive id a database key can hold."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_KEY


class UnitChoiceField(forms.ModelChoiceField):
    """A unit shown indented under its parent (``top_depth``: the depth shown unindented)."""

    top_depth = 1

    def label_from_instance(self, obj: Unit) -> str:
        return "— " * max(obj.depth - self.top_depth, 0) + obj.name


def limit_unit_options(field: UnitChoiceField, *, empty_label: str | None) -> list[Unit]:
    """Render the first ``UNIT_OPTION_LIMIT`` units of ``field``'s queryset in tree order, indented from the
    shallowest of them, after an ``empty_label`` option (none when None). Returns the units shown."""
    options = list(field.queryset.only("pk", "name", "depth", "path").order_by("path")[:UNIT_OPTION_LIMIT])
    field.top_depth = min((u.depth for u in options), default=1)
    empty = [] if empty_label is None else [("", empty_label)]
    field.widget.choices = empty + [(u.pk, field.label_from_instance(u)) for u in options]
    return options


def show_unit_option(field: UnitChoiceField, unit: Unit) -> None:
    """Keep ``unit`` visible in the select when it was chosen (by URL) beyond the bounded option list."""
    if all(value != unit.pk for value, _label in field.widget.choices):
        field.widget.choices = [*field.widget.choices, (unit.pk, unit.name)]


class KeyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Several rows of the queryset by primary key; a submitted value that is not a positive id a database key can
    hold is a form error before any query (a huge number would otherwise overflow the database driver)."""

    def clean(self, value):
        if isinstance(value, list | tuple):
            for item in value:
                if isinstance(item, str | int) and not is_key(item):
                    raise ValidationError(MSG_INVALID_KEY, code="invalid_pk_value")
        return super().clean(value)
