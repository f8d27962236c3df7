"""Dates are read and printed dd/mm/yyyy (danvan/formats/vi/formats.py), never as Django's vi default d-m-Y."""

import datetime
import zoneinfo

from django import forms
from django.conf import settings
from django.template import Context, Template
from django.utils import formats, translation


class DateForm(forms.Form):
    day = forms.DateField()


def test_date_field_reads_day_before_month():
    with translation.override("vi"):
        field = forms.DateField()
        assert field.clean("05/03/2025") == datetime.date(2025, 3, 5)


def test_date_field_accepts_iso_dates_from_date_pickers():
    with translation.override("vi"):
        assert forms.DateField().clean("2025-03-05") == datetime.date(2025, 3, 5)


def test_date_field_rejects_impossible_date_with_djangos_vietnamese_message():
    with translation.override("vi"):
        form = DateForm(data={"day": "31/02/2024"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Nhập một ngày hợp lệ."]


def test_short_date_format_prints_day_month_year():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2025, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2025"


def test_date_template_filter_prints_day_month_year():
    with translation.override("vi"):
        rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2025, 3, 5)}))
    assert rendered == "05/03/2025"


def test_datetime_field_reads_day_month_year_then_time_in_local_time():
    with translation.override("vi"):
        value = forms.DateTimeField().clean("05/03/2025 14:30")
    local = datetime.datetime(2025, 3, 5, 14, 30, tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))
    assert value == local
    assert value.astimezone(datetime.UTC).hour == 7  # Asia/Ho_Chi_Minh is UTC+7
