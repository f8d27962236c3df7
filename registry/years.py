"""The one "current year" of the portal: the default year of every page, form and report that needs one.

Every caller uses ``current_year()`` so that the list, the dashboard, the review pages and the printed forms agree on
which year is shown when the user has not chosen one.
"""

from registry.models import Year


def current_year() -> Year | None:
    """The latest year open for registration, else the latest year; None when the catalogue has no year.

    The calendar date plays no part: a year is opened and closed by the administrator (``Year.is_open``), so January
    keeps showing last year's work until the new year is opened.
    """
    return Year.objects.order_by("-is_open", "-year").first()
