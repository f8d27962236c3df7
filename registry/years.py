"""The one "current year" of the portal: the default year of every page, form and report that needs one.

Every caller uses ``current_year()`` so that the list, the dashboard, the review pages and the printed forms agree on
which year is shown when the user has not chosen one.
"""

import datetime
from dataclasses import dataclass

from django import forms

from registry.models import Year


def current_year() -> Year | None:
    """The latest year open for registration, else the latest year; None when the catalogue has no year.

    The calendar date plays no part: a year is opened and closed by the administrator (``Year.is_open``), so January
    keeps showing last year's work until the new year is opened.
    """
    return Year.objects.order_by("-is_open", "-year").first()


YEAR_ERRORS = {"required": "Vui lòng chọn năm.", "invalid_choice": "Năm không hợp lệ hoặc chưa có trong danh mục."}


class YearField(forms.ModelChoiceField):
    """A year chosen by its number ("?nam=2025"), newest first, with Vietnamese messages."""

    def __init__(self, *, label="Năm", empty_label=None, **kwargs):
        kwargs.setdefault("error_messages", YEAR_ERRORS)
        super().__init__(
            queryset=Year.objects.order_by("-year"),
            to_field_name="year",
            label=label,
            empty_label=empty_label,
            **kwargs,
        )


@dataclass
class Deadline:
    """A deadline of the year seen from ``today``: "còn N ngày" or "đã quá hạn"."""

    label: str
    date: datetime.date
    today: datetime.date
    on_time: int | None = None
    late: int | None = None

    @property
    def days_left(self) -> int:
        return (self.date - self.today).days

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def state(self) -> str:
        if self.is_overdue:
            return "Đã quá hạn"
        if self.days_left == 0:
            return "Hết hạn hôm nay"
        return f"Còn {self.days_left} ngày"
