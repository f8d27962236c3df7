"""What waits for a user's action ("việc cần làm"), and which units in scope have not registered for a year.

The home page shows one work queue per role held (``Queue``): the registrant's (returned entries, drafts, Mẫu 4
and Mẫu 5 due, the registration deadline), the receiving committee's (entries to receive, entries ready for a
confirmation meeting, exemplars to propose, meetings to record), the unit's reports due, the Ban Tuyên giáo's
(proposals waiting for my score, my draft sheets, appraisals ready to close) and the Khối standing committee's
(appraised entries waiting for its meeting). Each task counts what waits and links to the page where it is done;
a queue with nothing waiting says so and what comes next.

Every function here runs a fixed number of queries whatever the amount of data: scope is a ``LIKE 'path%'`` on
indexed columns built from the user's memberships (fetched once per request), each role's counts come from one
conditional aggregate, related rows come by JOIN, lists are cut at a few rows and link to the full list, and the
latest return reason comes by subquery.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from registry.models import (
    Appraisal,
    Level,
    Meeting,
    OwnerReport,
    OwnerReportKind,
    PeriodicReport,
    Registration,
    ReportPeriod,
    Role,
    Status,
    StatusChange,
    Unit,
    UnitKind,
    UnitReviewReport,
    Year,
    YearlyReview,
)
from registry.models.registrations import within_q
from registry.models.units import GRASSROOTS_KINDS, subtree_q
from registry.permissions import appraiser_khois, memberships_of, registered_by_q
from registry.reviews import REVIEWABLE_STATUSES
from registry.terms import lazy_text, terms
from registry.years import Deadline, current_year

# Sections of the inbox show at most this many rows; the cards count everything and link to the full list.
SECTION_LIMIT = 50
# A task of a work queue names at most this many entries by title; its count and link cover the rest.
TASK_ROWS = 5
# A unit's report (Mẫu 4, 6-month, annual) is listed as due from this many days before its deadline, and until it
# is written once its deadline has passed.
REPORT_NOTICE_DAYS = 45

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
    queues: list["Queue"] = field(default_factory=list)

    @property
    def editor_total(self) -> int:
        return self.returned_count + self.draft_count

    @property
    def overseen_total(self) -> int:
        return sum(c.count for c in self.status_counts)

    @property
    def has_roles(self) -> bool:
        return self.is_editor or self.is_approver or self.is_overseer


@dataclass
class TaskRow:
    """One entry (or meeting) named in a task, with the link to the page where it is acted on."""

    title: str
    url: str
    note: str = ""


@dataclass
class Task:
    """Something waiting for the user: how many (None for a report or a deadline, which is one thing), what it is,
    and the link that lands on the page where it is done."""

    key: str
    label: str
    count: int | None
    url: str
    action: str
    note: str = ""
    rows: list[TaskRow] = field(default_factory=list)
    overdue: bool = False

    @property
    def is_waiting(self) -> bool:
        return self.count is None or self.count > 0

    @property
    def more(self) -> int:
        """Entries counted but not named in ``rows``."""
        return max((self.count or 0) - len(self.rows), 0) if self.rows else 0


@dataclass
class Queue:
    """The work queue of one role: its tasks, and what to say (and what comes next) when none is waiting."""

    key: str
    title: str
    tasks: list[Task]
    empty: str
    deadlines: list[Deadline] = field(default_factory=list)
    next_url: str = ""
    next_action: str = ""
    other_links: list[tuple[str, str]] = field(default_factory=list)  # (url, label) after the next action

    @property
    def waiting(self) -> list[Task]:
        return [task for task in self.tasks if task.is_waiting]

    @property
    def total(self) -> int:
        return sum(task.count if task.count is not None else 1 for task in self.waiting)


def _late_q() -> models.Q:
    """Registrations sent after their level's deadline: the SQL twin of ``Registration.is_late`` for sent ones."""
    # __date converts submitted_at to the local time zone first, as is_late does with timezone.localdate().
    khoi = models.Q(level=Level.KHOI, submitted_at__date__gt=models.F("year__registration_deadline_khoi"))
    base = ~models.Q(level=Level.KHOI) & models.Q(submitted_at__date__gt=models.F("year__registration_deadline_base"))
    return khoi | base


def inbox_for(user, *, today: datetime.date | None = None) -> Inbox:
    """Build the home page of ``user``: one work queue per role held, drafts and returned entries for editors, what
    was submitted to them for approvers, counts by status for viewers and appraisers."""
    today = today or timezone.localdate()
    inbox = Inbox(today=today, open_year=current_year())
    editor_units = _units_with_role(user, Role.EDITOR)
    editor_q = within_q(editor_units)
    if editor_q is not None:
        inbox.is_editor = True
        _fill_editor(inbox, editor_q)
        inbox.queues.append(_editor_queue(inbox, editor_units, editor_q))

    approver_units = _units_with_role(user, Role.APPROVER)
    approver_q = subtree_q(approver_units, "receiving_unit__path")
    if approver_q is not None:
        inbox.is_approver = True
        # Nobody decides on what they registered (permissions.decision_conflict): it does not wait for them.
        _fill_approver(inbox, approver_q & ~registered_by_q(user))
        inbox.queues.extend(_approver_queues(inbox, user, approver_units, approver_q))

    khois = appraiser_khois(user)
    if khois:
        inbox.queues.append(_appraiser_queue(inbox, user, khois))

    reporting = _units_with_role(user, Role.EDITOR, Role.APPROVER)
    if reporting and inbox.open_year is not None:
        inbox.queues.append(_reports_queue(inbox, reporting))

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
        if not inbox.queues:
            inbox.queues.append(_reader_queue(user))
    return inbox


# The home page's tasks that count entries waiting for the user's own action, one per role: the badge's total.
ENTRY_TASKS = ("tra-lai", "ban-nhap", "tiep-nhan", "cho-cham")


def _waiting_parts(user) -> list[tuple[str, models.Q]]:
    """The badge's filters, one per role of ``user`` that has entries to act on (``ENTRY_TASKS``)."""
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
    return parts


def _waiting_rows(parts) -> models.QuerySet:
    # One query restricted to the user's scope (indexed path prefixes); each role's rows are counted by its own
    # filter, so an entry waiting on two roles of the user counts once per role, as the home page lists it.
    where = parts[0][1]
    for _name, q in parts[1:]:
        where |= q
    return Registration.objects.filter(where)


def entries_waiting_count(user) -> int:
    """How many registrations wait for ``user``'s action: the sum of the home page's ``ENTRY_TASKS`` counts, in one
    query (the navigation bar's badge on every page)."""
    parts = _waiting_parts(user)
    if not parts:
        return 0
    totals = _waiting_rows(parts).aggregate(**{name: models.Count("pk", filter=q) for name, q in parts})
    return sum(value or 0 for value in totals.values())


def entries_waiting_subquery(user) -> models.Expression:
    """``entries_waiting_count`` as an expression, for a page that annotates its own query with the badge's count
    rather than running a query more for it (the registration page, issue 17)."""
    parts = _waiting_parts(user)
    if not parts:
        return models.Value(0, output_field=models.IntegerField())
    total = sum((models.Count("pk", filter=q) for _name, q in parts[1:]), models.Count("pk", filter=parts[0][1]))
    # A constant grouping key is no GROUP BY: one row of counts, zero when nothing waits.
    counts = _waiting_rows(parts).order_by().values(one=models.Value(1)).annotate(total=total).values("total")
    return Coalesce(models.Subquery(counts[:1]), 0, output_field=models.IntegerField())


# --- work queues ------------------------------------------------------------------------------------------------


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def due_note(deadline: datetime.date, today: datetime.date) -> str:
    """ "hạn 10/12/2026, còn 4 ngày", "hạn chót hôm nay (…)" or "quá hạn 3 ngày (hạn …)"."""
    days = (deadline - today).days
    if days > 0:
        return f"hạn {_date(deadline)}, còn {days} ngày"
    if days == 0:
        return f"hạn chót hôm nay ({_date(deadline)})"
    return f"quá hạn {-days} ngày (hạn {_date(deadline)})"


def _url(name: str, *args, **query) -> str:
    url = reverse(f"registry:{name}", args=args)
    return f"{url}?{urlencode(query)}" if query else url


def _detail(reg) -> str:
    return _url("registration-detail", reg.pk)


def _next_deadline(year: Year | None, today: datetime.date, *names: str) -> tuple[str, datetime.date] | None:
    """The first of the year's deadlines ``names`` (Year field names) that is today or later, with its label."""
    if year is None:
        return None
    upcoming = [(getattr(year, name), DEADLINE_LABELS[name]) for name in names if getattr(year, name) >= today]
    if not upcoming:
        return None
    day, label = min(upcoming)
    return label, day


DEADLINE_LABELS = {
    "registration_deadline_base": "hạn đăng ký cấp cơ sở",
    "registration_deadline_khoi": lazy_text("hạn đăng ký cấp {top_body}"),
    "review_deadline_base": "hạn rà soát, xác nhận cấp cơ sở",
    "review_deadline_khoi": lazy_text("hạn rà soát, xác nhận cấp {top_body}"),
    "report_half_year_deadline": "hạn báo cáo 6 tháng",
    "report_annual_deadline": "hạn báo cáo năm",
}


def _capitalised(label) -> str:
    text = str(label)
    return text[:1].upper() + text[1:]


def _upcoming(year: Year | None, today: datetime.date, *names: str) -> list[Deadline]:
    """The year's deadlines ``names`` that are today or later, soonest first."""
    if year is None:
        return []
    found = [
        Deadline(_capitalised(DEADLINE_LABELS[name]), getattr(year, name), today)
        for name in names
        if getattr(year, name) >= today
    ]
    return sorted(found, key=lambda d: d.date)


def _then(sentence: str, nxt: tuple[str, datetime.date] | None, otherwise: str) -> str:
    if nxt is None:
        return f"{sentence} Tiếp theo: {otherwise}."
    label, day = nxt
    return f"{sentence} Tiếp theo: {label} {_date(day)}."


def _editor_queue(inbox: Inbox, units: list[Unit], scope_q: models.Q) -> Queue:
    """The registrant's queue (bí thư, văn phòng): returned entries with their reason, drafts, the Mẫu 5 that asks
    for confirmation of a running model, the yearly review (Mẫu 4) near its deadline, and the deadlines ahead."""
    year, today = inbox.open_year, inbox.today
    returned = [i for i in inbox.editor_items if i.registration.status == Status.RETURNED][:TASK_ROWS]
    tasks = [
        Task(
            "tra-lai",
            "Hồ sơ bị trả lại, cần bổ sung rồi gửi lại",
            inbox.returned_count,
            _url("registration-list", trang_thai=Status.RETURNED),
            "Xem hồ sơ bị trả lại",
            rows=[TaskRow(i.registration.title, _detail(i.registration), i.return_reason) for i in returned],
        ),
        Task(
            "ban-nhap",
            "Bản nháp chưa gửi",
            inbox.draft_count,
            _url("registration-list", trang_thai=Status.DRAFT),
            "Xem bản nháp",
            note=due_note(year.registration_deadline_base, today) if year else "",
            overdue=bool(year and year.registration_deadline_base < today),
        ),
    ]
    if year is not None:
        running = Registration.objects.filter(scope_q, status__in=REVIEWABLE_STATUSES, year__year__lte=year.year)
        reviewed = YearlyReview.objects.filter(registration=models.OuterRef("pk"), year=year)
        reported = OwnerReport.objects.filter(
            registration=models.OuterRef("pk"), year=year, kind=OwnerReportKind.RESULTS
        )
        unreported_q = models.Q(status=Status.ACTIVE) & ~models.Exists(reported)
        counts = running.aggregate(
            unreviewed=models.Count("pk", filter=~models.Exists(reviewed)),
            unreported=models.Count("pk", filter=unreported_q),
        )
        unreported = list(running.filter(unreported_q).order_by("year__year", "pk")[:TASK_ROWS])
        tasks.append(
            Task(
                "bao-cao-ket-qua",
                f"Mô hình đang thực hiện chưa có Báo cáo kết quả (Mẫu 5) năm {year.year} để đề nghị xác nhận",
                counts["unreported"],
                _url("registration-list", trang_thai=Status.ACTIVE),
                "Xem mô hình đang thực hiện",
                rows=[TaskRow(r.title, _url("owner-report-edit", r.pk, "mau-5")) for r in unreported],
            )
        )
        if (year.review_deadline_base - today).days <= REPORT_NOTICE_DAYS:
            tasks.append(
                Task(
                    "ra-soat",
                    f"Mô hình chưa được rà soát năm {year.year} (Mẫu 4)",
                    counts["unreviewed"],
                    _url("review-unit", don_vi=units[0].pk, nam=year.year),
                    "Rà soát",
                    note=due_note(year.review_deadline_base, today),
                    overdue=year.review_deadline_base < today,
                )
            )
    ahead = ("registration_deadline_base", "registration_deadline_khoi", "review_deadline_base")
    nxt = _next_deadline(year, today, *ahead)
    return Queue(
        "dang-ky",
        "Đăng ký, cập nhật hồ sơ",
        tasks,
        _then(
            "Không có hồ sơ bị trả lại, bản nháp hay báo cáo nào chờ bạn.",
            nxt,
            lazy_text("chờ {top_committee} mở đợt đăng ký mới; có thể đăng ký mô hình mới bất cứ lúc nào"),
        ),
        deadlines=_upcoming(year, today, *ahead),
        next_url=_url("registration-create-choose"),
        next_action="Đăng ký mô hình mới",
    )


def _approver_queues(inbox: Inbox, user, units: list[Unit], receive_q: models.Q) -> list[Queue]:
    """The receiving committee's queue (entries to receive, ready for a confirmation meeting, exemplars to confirm
    and to propose, meetings to record) and, for approvers at a Khối root, the standing committee's (appraised
    entries waiting for its meeting). One aggregate over the union of the scopes, one query for meetings."""
    year, today = inbox.open_year, inbox.today
    # Grassroots exemplars are confirmed by the grassroots organisation (or the Khối above units that have none)
    # and proposed by the grassroots organisation: approvers of a chi bộ or an agency decide neither.
    exemplar_q = within_q(u for u in units if u.kind in GRASSROOTS_KINDS or u.kind == UnitKind.KHOI)
    propose_q = within_q(u for u in units if u.kind in GRASSROOTS_KINDS)
    roots = [u for u in units if u.depth == 1]
    parts = {"model": receive_q & models.Q(status=Status.ACTIVE)}
    if exemplar_q is not None:
        parts["exemplar"] = exemplar_q & models.Q(status=Status.CONFIRMED)
    if propose_q is not None:
        parts["propose"] = propose_q & models.Q(status=Status.EXEMPLAR_BASE)
    if roots:
        parts["khoi"] = within_q(roots) & models.Q(status=Status.APPRAISED)
    where = None
    for q in parts.values():
        where = q if where is None else where | q
    # The statuses named once more outside the OR, so that the (khoi, year, status) index narrows the rows first.
    statuses = [Status.ACTIVE, Status.CONFIRMED, Status.EXEMPLAR_BASE, Status.APPRAISED]
    counts = Registration.objects.filter(where & ~registered_by_q(user), status__in=statuses).aggregate(
        **{name: models.Count("pk", filter=q) for name, q in parts.items()}
    )
    unrecorded = Meeting.objects.filter(subtree_q(units, "unit__path"), recorded_at__isnull=True)
    meetings = list(unrecorded.select_related("unit").order_by("held_on", "pk")[: TASK_ROWS + 1])
    meeting_count = len(meetings) if len(meetings) <= TASK_ROWS else unrecorded.count()
    meeting_create = _url("meeting-create") + "#cho-quyet-dinh"
    tasks = [
        Task(
            "tiep-nhan",
            "Hồ sơ chờ tiếp nhận",
            inbox.waiting_count,
            _url("registration-list", trang_thai=Status.SUBMITTED),
            "Xem hồ sơ chờ tiếp nhận",
            note=f"trong đó {inbox.waiting_late_count} hồ sơ nộp muộn" if inbox.waiting_late_count else "",
            rows=[TaskRow(i.registration.title, _detail(i.registration)) for i in inbox.approver_items[:TASK_ROWS]],
        ),
        Task(
            "hop-xac-nhan",
            "Mô hình đang thực hiện chờ họp xét, xác nhận",
            counts["model"],
            meeting_create,
            "Lập cuộc họp xét",
            note=due_note(year.review_deadline_base, today) if year else "",
            overdue=bool(year and year.review_deadline_base < today),
        ),
        Task(
            "hop-dien-hinh",
            "Mô hình đã xác nhận chờ họp xét điển hình cấp cơ sở",
            counts.get("exemplar", 0),
            meeting_create,
            "Lập cuộc họp xét",
        ),
        Task(
            "de-nghi",
            lazy_text("Điển hình cấp cơ sở chờ đề nghị lên {top_committee}"),
            counts.get("propose", 0),
            _url("proposal-create"),
            "Lập đề nghị",
        ),
        Task(
            "ghi-ket-qua",
            "Cuộc họp đã lưu, chưa ghi kết quả",
            meeting_count,
            _url("meeting-list"),
            "Xem các cuộc họp",
            rows=[
                TaskRow(f"{m.unit.name}, họp ngày {_date(m.held_on)}", _url("meeting-detail", m.pk))
                for m in meetings[:TASK_ROWS]
            ],
        ),
    ]
    queues = [
        Queue(
            "tiep-nhan-xac-nhan",
            "Tiếp nhận, họp xét, đề nghị",
            tasks,
            _then(
                "Không có hồ sơ nào chờ bạn tiếp nhận, họp xét hay đề nghị.",
                _next_deadline(year, today, "registration_deadline_base", "review_deadline_base"),
                "chờ các đơn vị gửi đăng ký đợt sau",
            ),
            deadlines=_upcoming(year, today, "registration_deadline_base", "review_deadline_base"),
            next_url=_url("registration-list"),
            next_action="Xem danh sách mô hình",
        )
    ]
    if roots:
        # The meeting page opens on the Khối's standing committee, deciding Khối exemplars of the open year.
        query = {"unit": roots[0].pk, "purpose": "confirm_exemplar_khoi"} | ({"year": year.year} if year else {})
        khoi_tasks = [
            Task(
                "hop-khoi",
                lazy_text("Hồ sơ đã thẩm định chờ {standing_committee} họp xét điển hình cấp {top_body}"),
                counts["khoi"],
                _url("meeting-create", **query),
                "Lập cuộc họp Ban Thường vụ",
                note=due_note(year.review_deadline_khoi, today) if year else "",
                overdue=bool(year and year.review_deadline_khoi < today),
            )
        ]
        queues.append(
            Queue(
                "thuong-vu-khoi",
                lazy_text("{standing_committee}"),
                khoi_tasks,
                _then(
                    "Chưa có hồ sơ nào đã thẩm định chờ Ban Thường vụ họp xét.",
                    _next_deadline(year, today, "review_deadline_khoi"),
                    lazy_text("{appraising_body} thẩm định, xếp hạng các đề nghị điển hình của năm sau"),
                ),
                next_url=_url("ranking"),
                next_action="Xem xếp hạng thẩm định",
            )
        )
    return queues


def appraisable_q(user, khois: list[Unit]) -> models.Q:
    """Registrations of ``khois`` the user may appraise: not one they registered, not one of a unit where they
    update or confirm below the Khối (``permissions.appraisal_conflict`` as a filter)."""
    q = within_q(khois) & ~registered_by_q(user)
    own_q = within_q(
        m.unit for m in memberships_of(user) if m.role in (Role.EDITOR, Role.APPROVER) and m.unit.depth > 1
    )
    return q & ~own_q if own_q is not None else q


def to_score_q(user) -> models.Q:
    """Proposals to the Khối still being appraised with no sheet of the user's yet (with ``appraisable_q``)."""
    mine = Appraisal.objects.filter(registration=models.OuterRef("pk"), appraiser=user)
    return models.Q(status=Status.PROPOSED_KHOI) & ~models.Exists(mine)


def _appraiser_queue(inbox: Inbox, user, khois: list[Unit]) -> Queue:
    """The Ban Tuyên giáo appraiser's queue: proposals to the Khối waiting for my score, my sheets left in draft,
    appraisals with a submitted sheet that may be closed. Entries the user may not appraise (their own, their
    unit's: ``permissions.appraisal_conflict``) are left out. One aggregate and three short lists."""
    year, today = inbox.open_year, inbox.today
    qs = Registration.objects.filter(appraisable_q(user, khois), status__in=[Status.PROPOSED_KHOI, Status.APPRAISED])
    mine = Appraisal.objects.filter(registration=models.OuterRef("pk"), appraiser=user)
    submitted = Appraisal.objects.filter(registration=models.OuterRef("pk"), submitted_at__isnull=False)
    waiting = models.Q(status=Status.PROPOSED_KHOI)
    filters = {
        "to_score": to_score_q(user),
        "draft": waiting & models.Exists(mine.filter(submitted_at__isnull=True)),
        "to_close": waiting & models.Exists(submitted),
    }
    counts = qs.aggregate(
        appraised=models.Count("pk", filter=models.Q(status=Status.APPRAISED)),
        # The lists open on one year: the oldest with an appraisal still open (last year's proposals are appraised
        # early this year), so the link lands on the entries the counts speak of, not on an empty current year.
        oldest=models.Min("year__year", filter=waiting),
        oldest_appraised=models.Min("year__year", filter=models.Q(status=Status.APPRAISED)),
        **{name: models.Count("pk", filter=q) for name, q in filters.items()},
    )

    def rows(name: str) -> list[TaskRow]:
        if not counts[name]:
            return []
        regs = qs.filter(filters[name]).order_by("submitted_at", "pk").only("pk", "title")[:TASK_ROWS]
        return [TaskRow(reg.title, _url("appraisal-score", reg.pk)) for reg in regs]

    oldest = counts["oldest"] or counts["oldest_appraised"]
    on_year = {"nam": oldest} if oldest else {}
    listing = _url("appraisal-list", **on_year)
    tasks = [
        Task("cho-cham", "Hồ sơ đề nghị chờ bạn chấm điểm", counts["to_score"], listing, "Mở danh sách thẩm định",
             rows=rows("to_score")),
        Task("phieu-nhap", "Phiếu thẩm định bạn đang để nháp", counts["draft"], listing, "Mở danh sách thẩm định",
             rows=rows("draft")),
        Task("hoan-thanh", "Hồ sơ đã có phiếu nộp, có thể hoàn thành thẩm định", counts["to_close"], listing,
             "Mở danh sách thẩm định", rows=rows("to_close")),
    ]  # fmt: skip
    if counts["appraised"]:
        otherwise = (
            f"ban hành Báo cáo thẩm định (Mẫu 7a) và Tờ trình (Mẫu 7) cho {counts['appraised']} hồ sơ đã thẩm định, "
            f"trình {terms(year).standing_committee}"
        )
        empty = f"Không có hồ sơ nào chờ bạn chấm điểm hay hoàn thành thẩm định. Tiếp theo: {otherwise}."
    else:
        empty = _then(
            "Không có hồ sơ đề nghị nào chờ thẩm định.",
            _next_deadline(year, today, "review_deadline_base", "review_deadline_khoi"),
            lazy_text("các đảng ủy, chi bộ cơ sở gửi đề nghị điển hình lên {top_committee}"),
        )
    return Queue(
        "tham-dinh",
        lazy_text("Thẩm định hồ sơ đề nghị ({appraising_body})"),
        tasks,
        empty,
        next_url=_url("ranking", **on_year),
        next_action="Xem xếp hạng thẩm định",
    )


def _reader_queue(user) -> Queue:
    """A viewer's (leader's) home, with no role that acts on entries: say so, and where to read the work of the units
    followed; the ranking only for readers at a Khối root, the ones who may open it (``appraisals.khoi_roots_of``)."""
    at_khoi_root = any(m.unit.depth == 1 for m in memberships_of(user))
    return Queue(
        "theo-doi",
        "Theo dõi",
        [],
        "Không có việc nào chờ bạn xử lý: vai trò của bạn là theo dõi. Số liệu và tiến độ của các đơn vị xem ở "
        "trang Tổng quan" + (", kết quả thẩm định ở trang Xếp hạng." if at_khoi_root else "."),
        next_url=_url("dashboard"),
        next_action="Xem tổng quan",
        other_links=[(_url("ranking"), "Xem xếp hạng thẩm định")] if at_khoi_root else [],
    )


def _reports_queue(inbox: Inbox, units: list[Unit]) -> Queue:
    """The reports of the units where the user writes or confirms (Mẫu 4, 6-month, annual) that are not written
    yet, from ``REPORT_NOTICE_DAYS`` before their deadline on. Two queries whatever the number of units."""
    year, today = inbox.open_year, inbox.today
    units = sorted({u.pk: u for u in units}.values(), key=lambda u: u.path)
    reviewed = set(UnitReviewReport.objects.filter(unit__in=units, year=year).values_list("unit_id", flat=True))
    written = set(PeriodicReport.objects.filter(unit__in=units, year=year).values_list("unit_id", "period"))
    tasks, later = [], []
    for unit in units:
        review_deadline = year.review_deadline_khoi if unit.kind == UnitKind.KHOI else year.review_deadline_base
        reports = [
            ("mau-4", "Báo cáo rà soát mô hình năm {year} (Mẫu 4)", review_deadline, unit.pk in reviewed,
             _url("review-unit", don_vi=unit.pk, nam=year.year)),
            ("6-thang", "Báo cáo 6 tháng đầu năm {year}", year.report_half_year_deadline,
             (unit.pk, ReportPeriod.HALF_YEAR) in written,
             _url("periodic-report", don_vi=unit.pk, nam=year.year, ky=ReportPeriod.HALF_YEAR)),
            ("nam", "Báo cáo năm {year}", year.report_annual_deadline, (unit.pk, ReportPeriod.ANNUAL) in written,
             _url("periodic-report", don_vi=unit.pk, nam=year.year, ky=ReportPeriod.ANNUAL)),
        ]  # fmt: skip
        for key, template, deadline, done, url in reports:
            label = template.format(year=year.year)
            if done:
                continue
            if (deadline - today).days > REPORT_NOTICE_DAYS:
                later.append((deadline, f"{label} của {unit.name}"))
                continue
            tasks.append(
                Task(
                    f"bao-cao-{key}-{unit.pk}",
                    f"{label} của {unit.name}",
                    None,
                    url,
                    "Lập báo cáo",
                    note=due_note(deadline, today),
                    overdue=deadline < today,
                )
            )
    if later:
        deadline, label = min(later)
        empty = f"Chưa có báo cáo nào đến hạn. Tiếp theo: {label}, hạn {_date(deadline)}."
    else:
        empty = f"Các báo cáo năm {year.year} của đơn vị đã được lập."
    return Queue("bao-cao", "Báo cáo của đơn vị", tasks, empty)


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
