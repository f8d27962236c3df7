"""Template context for every page: the guidance's names (``names``) and the "việc cần làm" count shown in the
navigation bar.

The count is what the home page (``registry.inbox.inbox_for``) lists as waiting for the user's action on each entry:
drafts and returned entries in an editor's scope, entries submitted to the units an approver receives for, proposals
to the Khối waiting for the appraiser's score. It is computed lazily (a page
that does not show the badge runs no query), at most once per request, with one aggregate query over the
registrations plus the memberships that ``permissions.memberships_of`` caches for the whole request.
"""

from functools import cached_property

from django.db import models

from registry.inbox import appraisable_q, to_score_q
from registry.models import Registration, Role, Status
from registry.models.registrations import within_q
from registry.models.units import subtree_q
from registry.permissions import appraiser_khois, memberships_of, registered_by_q
from registry.terms import terms


def inbox_count(user) -> int:
    """How many registrations wait for ``user``'s action; the same total as the home page's cards."""
    memberships = memberships_of(user)
    editor_q = within_q(m.unit for m in memberships if m.role == Role.EDITOR)
    approver_q = subtree_q((m.unit for m in memberships if m.role == Role.APPROVER), "receiving_unit__path")
    parts = []
    if editor_q is not None:
        parts.append(("editor", editor_q & models.Q(status__in=[Status.DRAFT, Status.RETURNED])))
    if approver_q is not None:
        parts.append(("approver", approver_q & models.Q(status=Status.SUBMITTED) & ~registered_by_q(user)))
    khois = appraiser_khois(user)
    if khois:
        parts.append(("appraiser", appraisable_q(user, khois) & to_score_q(user)))
    if not parts:
        return 0
    # One query restricted to the user's scope (indexed path prefixes); each role's rows are counted by its own
    # filter, so an entry waiting on two roles of the user counts once per role, as the home page lists it.
    where = parts[0][1]
    for _name, q in parts[1:]:
        where |= q
    totals = Registration.objects.filter(where).aggregate(**{name: models.Count("pk", filter=q) for name, q in parts})
    return sum(value or 0 for value in totals.values())


class InboxBadge:
    """The navigation bar's badge; ``count`` queries on first use only."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def count(self) -> int:
        return inbox_count(self.user)

    def __bool__(self) -> bool:
        return self.count > 0


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
