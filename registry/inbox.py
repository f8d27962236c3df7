"""What waits for a user's action ("việc cần làm"), and which units in scope have not registered for a year.

Every function here runs a fixed number of queries whatever the amount of data: scope is a ``LIKE 'path%'`` on
indexed columns built from the user's memberships (fetched once per request), related rows come by JOIN, and the
latest return reason comes by subquery.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone

from registry.models import Level, Registration, Role, Status, StatusChange, Unit, UnitKind, Year
from registry.models.registrations import within_q
from registry.models.units import subtree_q
from registry.permissions import memberships_of, registered_by_q
from registry.years import current_year

# Sections of the inbox show at most this many rows; the cards count everything and link to the full list.
SECTION_LIMIT = 50

# Units that register a collective model (Mẫu 1, 1a): never the Khối itself or its advisory departments.
REGISTERING_KINDS = (
    UnitKind.DANG_BO_CO_SO,
    UnitKind.CHI_BO_CO_SO,
    UnitKind.CHI_BO,
    UnitKind.CO_QUAN,
    UnitKind.DOAN_THE,
)

_ITEM_RELATED = ("year", "field", "unit", "receiving_unit", "subject_unit", "subject_person")


def _units_with_role(user, *roles: str) -> list[Unit]:
    return [m.unit for m in memberships_of(user) if m.role in roles]


@dataclass
class InboxItem:
    """One registration waiting for the user, with its registration deadline seen from ``today``."""

    registration: Registration
    today: datetime.date
    return_reason: str = ""

    @property
    def deadline(self) -> datetime.date:
        return self.registration.deadline

    @property
    def days_left(self) -> int:
        """Days until the deadline; negative when it has passed."""
        return (self.deadline - self.today).days

    @property
    def days_late(self) -> int:
        return max(-self.days_left, 0)

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def is_late(self) -> bool:
        return self.registration.is_late


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class Inbox:
    """The home page of one user: a section per role held, and counts for the cards at the top."""

    today: datetime.date
    open_year: Year | None = None
    is_editor: bool = False
    is_approver: bool = False
    is_overseer: bool = False  # viewer or appraiser: reads counts
    returned_count: int = 0
    draft_count: int = 0
    waiting_count: int = 0
    waiting_late_count: int = 0
    editor_items: list[InboxItem] = field(default_factory=list)
    approver_items: list[InboxItem] = field(default_factory=list)
    status_counts: list[StatusCount] = field(default_factory=list)

    @property
    def editor_total(self) -> int:
        return self.returned_count + self.draft_count

    @property
    def overseen_total(self) -> int:
        return sum(c.count for c in self.status_counts)

    @property
    def has_roles(self) -> bool:
        return self.is_editor or self.is_approver or self.is_overseer


def _late_q() -> models.Q:
    """Registrations sent after their level's deadline: the SQL twin of ``Registration.is_late`` for sent ones."""
    # __date converts submitted_at to the local time zone first, as is_late does with timezone.localdate().
    khoi = models.Q(level=Level.KHOI, submitted_at__date__gt=models.F("year__registration_deadline_khoi"))
    base = ~models.Q(level=Level.KHOI) & models.Q(submitted_at__date__gt=models.F("year__registration_deadline_base"))
    return khoi | base


def inbox_for(user, *, today: datetime.date | None = None) -> Inbox:
    """Build the home page of ``user``: drafts and returned entries for editors, what was submitted to them for
    approvers, counts by status for viewers and appraisers."""
    today = today or timezone.localdate()
    inbox = Inbox(today=today, open_year=current_year())

    editor_q = within_q(_units_with_role(user, Role.EDITOR))
    if editor_q is not None:
        inbox.is_editor = True
        _fill_editor(inbox, editor_q)

    approver_q = subtree_q(_units_with_role(user, Role.APPROVER), "receiving_unit__path")
    if approver_q is not None:
        inbox.is_approver = True
        # Nobody decides on what they registered (permissions.decision_conflict): it does not wait for them.
        _fill_approver(inbox, approver_q & ~registered_by_q(user))

    overseer_q = within_q(_units_with_role(user, Role.VIEWER, Role.APPRAISER))
    if overseer_q is not None:
        inbox.is_overseer = True
        # The open year's work only: counting every year of a whole Khối on each visit of the home page was its
        # slowest query at national scale; the list page (linked from each count) reaches the other years.
        overseen = Registration.objects.filter(overseer_q)
        if inbox.open_year is not None:
            overseen = overseen.filter(year=inbox.open_year)
        # COUNT(*), not COUNT(id): PostgreSQL answers from the (khoi, year, status) index alone, without the table.
        rows = overseen.values("status").annotate(n=models.Count("*")).order_by()
        counts = {row["status"]: row["n"] for row in rows}
        inbox.status_counts = [StatusCount(s.value, s.label, counts.get(s.value, 0)) for s in Status]
    return inbox


def _fill_editor(inbox: Inbox, scope_q: models.Q) -> None:
    mine = Registration.objects.filter(scope_q, status__in=[Status.DRAFT, Status.RETURNED])
    counts = dict(mine.values_list("status").annotate(n=models.Count("pk")).order_by())
    inbox.returned_count = counts.get(Status.RETURNED, 0)
    inbox.draft_count = counts.get(Status.DRAFT, 0)
    last_return = (
        StatusChange.objects.filter(registration=models.OuterRef("pk"), to_status=Status.RETURNED)
        .order_by("-at", "-pk")
        .values("reason")[:1]
    )
    rows = (
        mine.select_related(*_ITEM_RELATED)
        .annotate(
            return_reason=models.Subquery(last_return),
            returned_first=models.Case(
                models.When(status=Status.RETURNED, then=models.Value(0)), default=models.Value(1)
            ),
        )
        .order_by("returned_first", "year__registration_deadline_base", "-updated_at", "-pk")[:SECTION_LIMIT]
    )
    inbox.editor_items = [InboxItem(reg, inbox.today, reg.return_reason or "") for reg in rows]


def _fill_approver(inbox: Inbox, scope_q: models.Q) -> None:
    waiting = Registration.objects.filter(scope_q, status=Status.SUBMITTED)
    totals = waiting.aggregate(total=models.Count("pk"), late=models.Count("pk", filter=_late_q()))
    inbox.waiting_count = totals["total"]
    inbox.waiting_late_count = totals["late"]
    rows = waiting.select_related(*_ITEM_RELATED).order_by("submitted_at", "pk")[:SECTION_LIMIT]
    inbox.approver_items = [InboxItem(reg, inbox.today) for reg in rows]


def unregistered_units(user, year: Year) -> models.QuerySet:
    """Active units in the user's scope, of a kind that registers, with no registration for ``year`` (any status
    but draft) as subject or as owner. One query, ``NOT EXISTS`` on the registrations' indexed columns."""
    registered = (
        Registration.objects.filter(year=year)
        .exclude(status=Status.DRAFT)
        .filter(models.Q(subject_unit=models.OuterRef("pk")) | models.Q(unit=models.OuterRef("pk")))
    )
    scope_q = subtree_q(m.unit for m in memberships_of(user))
    if scope_q is None:
        return Unit.objects.none()
    return (
        Unit.objects.filter(scope_q, kind__in=REGISTERING_KINDS, is_active=True)
        .filter(~models.Exists(registered))
        .order_by("path")
    )
