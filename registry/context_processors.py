"""Template context for every page: the guidance's names (``names``) and the "việc cần làm" count shown in the
navigation bar.

The badge counts entries (hồ sơ), not the home page's tasks: ``registry.inbox.entries_waiting_count`` is the sum of
the home page's entry tasks (``ENTRY_TASKS``: returned, drafts, to receive, to score); the home page's "N việc" also
counts reports, meetings and decisions, which would cost every page the whole home page's queries. The badge says
"N hồ sơ" so the two numbers do not pretend to be the same. It is computed lazily (a page that does not show the
badge runs no query), at most once per request, with one aggregate query over the registrations plus the
memberships that ``permissions.memberships_of`` caches for the whole request.
"""

from functools import cached_property

from registry.inbox import entries_waiting_count as inbox_count
from registry.inbox import entries_waiting_subquery
from registry.terms import terms

__all__ = ["inbox", "inbox_count", "inbox_count_expression", "names", "read_inbox_count"]


class InboxBadge:
    """The navigation bar's badge; ``count`` queries on first use only."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return inbox_count(self.user)

    def __bool__(self) -> bool:
        return self.count > 0


def inbox_count_expression(request):
    """The badge's count as an expression a view may annotate its own query with (``read_inbox_count`` then hands
    the value to the badge): the page runs one query fewer and the count is read in the same request, never kept."""
    return entries_waiting_subquery(request.user)


def read_inbox_count(request, count: int) -> None:
    """Give this request's badge the count a view read with ``inbox_count_expression``."""
    badge = InboxBadge(request.user)
    badge.__dict__["count"] = count  # what ``cached_property`` stores on first use
    request._registry_inbox_badge = badge


def inbox(request) -> dict:
    """``inbox_badge`` for signed-in users (nothing for visitors), shared by every template of the request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    badge = getattr(request, "_registry_inbox_badge", None)
    if badge is None:
        badge = request._registry_inbox_badge = InboxBadge(user)
    return {"inbox_badge": badge}


class _Names:
    """``{{ names.top_body }}``…: the names of the current guidance (``registry.terms``), read on first use."""

    def __getattr__(self, name):
        return getattr(terms(), name)


def names(request) -> dict:
    """The current guidance's names for every template (pages, e-mails): no body name is written in a template."""
    return {"names": _Names()}
