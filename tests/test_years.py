"""The one "current year" (registry.years.current_year) every default year of the portal comes from, and the usual
deadlines a new year takes from its guidance."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from registry import demo_data
from registry.models import Guidance, Year
from registry.years import current_year
from tests.factories import YearFactory


def test_current_year_prefers_an_open_year_over_a_newer_closed_one(db):
    YearFactory(year=2026, is_open=False)
    open_year = YearFactory(year=2025, is_open=True)
    YearFactory(year=2024, is_open=True)
    assert current_year() == open_year


def test_current_year_is_the_latest_year_when_none_is_open(db):
    YearFactory(year=2024, is_open=True)
    YearFactory(year=2026, is_open=False)
    Year.objects.filter(year=2024).update(is_open=False)
    assert current_year().year == 2026


def test_current_year_is_none_without_any_year(db):
    assert current_year() is None


# --- the usual deadlines of a guidance (issue #14) ---------------------------------------------------------------


def test_the_2024_guidance_keeps_the_deadlines_it_had_in_code(db):
    guidance = Guidance.objects.get(code="29-hd-duk-2024")  # made by migration 0012, deadlines added by 0016
    assert guidance.deadlines_for(2025) == {
        "registration_deadline_base": datetime.date(2025, 2, 28),
        "registration_deadline_khoi": datetime.date(2025, 3, 20),
        "review_deadline_base": datetime.date(2025, 10, 31),
        "review_deadline_khoi": datetime.date(2025, 11, 30),
        "report_half_year_deadline": datetime.date(2025, 6, 10),
        "report_annual_deadline": datetime.date(2025, 12, 10),
    }


def test_the_end_of_february_is_the_29th_in_a_leap_year(db):
    guidance = Guidance.objects.get(code="29-hd-duk-2024")
    assert guidance.deadlines_for(2028)["registration_deadline_base"] == datetime.date(2028, 2, 29)


def test_a_year_takes_the_usual_deadlines_of_its_own_guidance(db):
    later = Guidance.objects.create(code="hd-2026", review_deadline_base_month=9, review_deadline_base_day=30)
    assert Year.defaults_for(2026, later)["review_deadline_base"] == datetime.date(2026, 9, 30)
    assert Year.defaults_for(2026)["review_deadline_base"] == datetime.date(2026, 10, 31)


def test_an_impossible_day_of_a_deadline_is_refused_in_vietnamese(db):
    guidance = Guidance(code="hd-sai", registration_deadline_base_month=2, registration_deadline_base_day=31)
    with pytest.raises(ValidationError) as error:
        guidance.full_clean()
    assert error.value.message_dict["registration_deadline_base_day"] == [
        "Không có ngày 31/2: tháng 2 chỉ có 28 hoặc 29 ngày."
    ]


def test_a_month_outside_the_year_is_refused_in_vietnamese(db):
    guidance = Guidance(code="hd-sai", report_annual_deadline_month=13)
    with pytest.raises(ValidationError) as error:
        guidance.full_clean()
    assert error.value.message_dict["report_annual_deadline_month"] == ["Tháng phải từ 1 đến 12."]


def test_a_guidance_reviewing_before_registering_is_refused_in_vietnamese(db):
    guidance = Guidance(code="hd-sai", review_deadline_base_month=1, review_deadline_base_day=15)
    with pytest.raises(ValidationError) as error:
        guidance.full_clean()
    assert error.value.message_dict["review_deadline_base_month"] == ["Hạn rà soát phải sau hạn đăng ký cấp cơ sở."]


def test_the_demo_years_take_the_review_deadlines_of_the_demos_guidance(db):
    later = Guidance.objects.create(code="hd-2026", review_deadline_khoi_month=12, review_deadline_khoi_day=15)
    current = demo_data.years(datetime.date(2026, 3, 1), later)[1]
    assert current["special"]["review_deadline_khoi"] == datetime.date(2026, 12, 15)
