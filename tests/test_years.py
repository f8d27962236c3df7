"""The one "current year" (registry.years.current_year) every default year of the portal comes from."""

from registry.models import Year
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
