"""Links a page prints once a row: reversed once, the row's id put in (``reverse`` is ~40 µs a call, a tenth of a
page of rows; issue 17)."""

from collections.abc import Callable

from django.urls import reverse

# Any id, to reverse the pattern with: replaced by each row's.
_ANY_ID = 987654321


def registration_urls() -> Callable[[int], str]:
    """``pk`` → the URL of that registration's page, as ``Registration.get_absolute_url`` gives it."""
    head, tail = reverse("registry:registration-detail", args=[_ANY_ID]).split(str(_ANY_ID))
    return lambda pk: f"{head}{pk}{tail}"
