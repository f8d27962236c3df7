"""The dashboard: every figure of a unit (and the units below it) for a year, and the year's deadlines.

Figures count registrations that were sent (every status but draft) owned by the chosen unit or a unit below it,
starting from ``Registration.objects.visible_to(user)``. Every count comes from aggregate queries: one conditional
``COUNT`` over the scope for status, lĩnh vực, level, subject kind and on-time / late, one ``GROUP BY`` path prefix
for the child units, and the unregistered units of ``registry.inbox``. The number of queries does not depend on the
amount of data.

The child units are the level a person reads: the direct children of the viewed unit, each linking to its own
dashboard (drill down). A Đảng bộ Khối may have thousands of them, so they come ``CHILDREN_PAGE_SIZE`` at a time in
tree (name) order, and only the registrations below the page's children are grouped: the cost of a view does not
grow with the number of children (docs/benchmarks.md).
"""

import datetime
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models.functions import Substr
from django.utils import timezone

from registry.inbox import unregistered_units
from registry.models import Field, Level, Registration, Status, SubjectKind, Unit, Year
from registry.models.units import ADVISORY_KINDS
from registry.permissions import memberships_of
from registry.terms import lazy_text
from registry.years import Deadline

# Statuses counted as a confirmed model or better (the "đã xác nhận" column of the child units).
CONFIRMED_STATUSES = (
    Status.CONFIRMED,
    Status.EXEMPLAR_BASE,
    Status.PROPOSED_KHOI,
    Status.APPRAISED,
    Status.EXEMPLAR_KHOI,
)
# Statuses of a sent registration, in workflow order: the dashboard never counts drafts as registered.
SENT_STATUSES = tuple(s for s in Status if s != Status.DRAFT)
# The dashboard lists at most this many unregistered units; the full list is the "chưa đăng ký" page.
UNREGISTERED_LIMIT = 20
# Short labels of the subject kinds for charts and tables (the choices' labels name the form too).
SUBJECT_KIND_LABELS = {
    SubjectKind.PARTY_ORG: "Tập thể tổ chức đảng",
    SubjectKind.AGENCY: "Tập thể cơ quan, đơn vị, đoàn thể",
    SubjectKind.MEMBER: "Cá nhân là đảng viên",
    SubjectKind.NON_MEMBER: "Cá nhân không là đảng viên",
}
OWN_UNIT_LABEL = "Trực tiếp tại đơn vị"
# A whole Đảng bộ Khối's dashboard aggregates ~100,000 registrations of the year and 20,000 units: about a second of
# SQL at national scale (docs/benchmarks.md). It is computed at most once per this many seconds per (Khối, year, day)
# and the page says when; a smaller unit's figures are always computed afresh, so a chi bộ sees its own change.
KHOI_CACHE_SECONDS = 300
# Child units shown per page of the "theo đơn vị trực thuộc" table and its chart.
CHILDREN_PAGE_SIZE = 50


@dataclass
class Count:
    """One row of a breakdown: a key (status value, field code…), its Vietnamese label and the number."""

    key: str
    label: str
    count: int


@dataclass
class ChildRow:
    """A child unit of the chosen unit (or the unit itself for what it owns directly) and its registrations."""

    unit_pk: int | None
    label: str
    total: int
    confirmed: int
    late: int


@dataclass
class Figures:
    """Counts of one set of registrations by status, lĩnh vực, level and subject kind (zeros included)."""

    total: int = 0
    by_status: list[Count] = field(default_factory=list)
    by_field: list[Count] = field(default_factory=list)
    by_level: list[Count] = field(default_factory=list)
    by_subject_kind: list[Count] = field(default_factory=list)
    extra: dict[str, int] = field(default_factory=dict)

    @property
    def collective(self) -> int:
        kinds = {c.key: c.count for c in self.by_subject_kind}
        return kinds.get(SubjectKind.PARTY_ORG, 0) + kinds.get(SubjectKind.AGENCY, 0)

    @property
    def individual(self) -> int:
        return self.total - self.collective


@dataclass
class Dashboard:
    unit: Unit
    year: Year
    today: datetime.date
    figures: Figures
    drafts: int
    children: list[ChildRow]
    children_page: Page
    registration_deadlines: list[Deadline]
    other_deadlines: list[Deadline]
    unregistered: list[Unit]
    unregistered_count: int
    computed_at: datetime.datetime = field(default_factory=timezone.now)
    cached: bool = False  # figures may be up to KHOI_CACHE_SECONDS old

    @property
    def has_data(self) -> bool:
        return self.figures.total > 0 or self.drafts > 0


def default_unit(user) -> Unit | None:
    """The user's top membership unit: the shallowest one (then the first in tree order)."""
    units = [m.unit for m in memberships_of(user)]
    return min(units, key=lambda u: (u.depth, u.path), default=None)


def subtree_registrations(user, unit: Unit) -> models.QuerySet:
    """Registrations the user may see, owned by ``unit`` or a unit below it."""
    return Registration.objects.visible_to(user).within(unit)


def _late_q(year: Year) -> models.Q:
    # The year is fixed, so its deadlines are literals: no JOIN on the year table.
    return models.Q(level=Level.KHOI, submitted_at__date__gt=year.registration_deadline_khoi) | (
        ~models.Q(level=Level.KHOI) & models.Q(submitted_at__date__gt=year.registration_deadline_base)
    )


def _on_time_q(year: Year) -> models.Q:
    return models.Q(level=Level.KHOI, submitted_at__date__lte=year.registration_deadline_khoi) | (
        ~models.Q(level=Level.KHOI) & models.Q(submitted_at__date__lte=year.registration_deadline_base)
    )


def figures_of(queryset: models.QuerySet, *, extra: dict[str, models.Q] | None = None) -> Figures:
    """The breakdowns of the sent registrations of ``queryset`` (drafts never count) in one aggregate query, plus
    one for the list of lĩnh vực.

    ``extra`` names further conditional counts over the whole ``queryset``, drafts included unless the condition
    excludes them (``{"drafts": Q(status="draft")}``), returned in ``Figures.extra``.
    """
    fields = list(Field.objects.order_by("order", "name").values_list("pk", "code", "name"))
    sent = ~models.Q(status=Status.DRAFT)
    counts = {"total": models.Count("pk", filter=sent)}
    for status in SENT_STATUSES:
        counts[f"status_{status.value}"] = models.Count("pk", filter=models.Q(status=status))
    for pk, _code, _name in fields:
        counts[f"field_{pk}"] = models.Count("pk", filter=sent & models.Q(field_id=pk))
    for level in Level:
        counts[f"level_{level.value}"] = models.Count("pk", filter=sent & models.Q(level=level))
    for kind in SubjectKind:
        counts[f"kind_{kind.value}"] = models.Count("pk", filter=sent & models.Q(subject_kind=kind))
    for name, q in (extra or {}).items():
        counts[f"extra_{name}"] = models.Count("pk", filter=q)
    row = queryset.order_by().aggregate(**counts)
    return Figures(
        total=row["total"],
        by_status=[Count(s.value, s.label, row[f"status_{s.value}"]) for s in SENT_STATUSES],
        by_field=[Count(code, name, row[f"field_{pk}"]) for pk, code, name in fields],
        by_level=[Count(lv.value, lv.label, row[f"level_{lv.value}"]) for lv in Level],
        by_subject_kind=[Count(k.value, SUBJECT_KIND_LABELS[k], row[f"kind_{k.value}"]) for k in SubjectKind],
        extra={name: row[f"extra_{name}"] for name in (extra or {})},
    )


def _children_of(unit: Unit) -> models.QuerySet:
    """The child units that may hold models: not the advisory Ban, which would only ever show zeros."""
    children = Unit.objects.filter(path__startswith=unit.path, depth=unit.depth + 1)
    return children.exclude(kind__in=sorted(ADVISORY_KINDS)).order_by("path")


def _grouped_rows(
    queryset: models.QuerySet, unit: Unit, children: list[Unit], *, own: bool, below: models.Q | None, late_q
) -> list[ChildRow]:
    """One ``GROUP BY`` the owner's path prefix over the registrations owned by ``unit`` itself (when ``own``) and
    those matching ``below`` (under ``children``): a row per child, zeros included, after the unit's own row."""
    prefix_len = len(unit.path) + Unit.steplen
    aggregates = {
        "total": models.Count("pk"),
        "confirmed": models.Count("pk", filter=models.Q(status__in=CONFIRMED_STATUSES)),
    }
    if late_q is not None:
        aggregates["late"] = models.Count("pk", filter=late_q)
    owners = models.Q(unit=unit) if own else None
    if below is not None:
        owners = below if owners is None else owners | below
    by_prefix = {}
    if owners is not None:
        rows = (
            queryset.filter(owners)
            .order_by()
            .annotate(prefix=Substr("unit__path", 1, prefix_len))
            .values("prefix")
            .annotate(**aggregates)
        )
        by_prefix = {row["prefix"]: row for row in rows}
    result = []
    own_row = by_prefix.get(unit.path)
    if own_row:
        result.append(ChildRow(unit.pk, OWN_UNIT_LABEL, own_row["total"], own_row["confirmed"], own_row.get("late", 0)))
    for child in children:
        row = by_prefix.get(child.path, {})
        result.append(ChildRow(child.pk, child.name, row.get("total", 0), row.get("confirmed", 0), row.get("late", 0)))
    return result


def child_rows(queryset: models.QuerySet, unit: Unit, *, late_q: models.Q | None = None) -> list[ChildRow]:
    """Counts per child unit of ``unit`` (every child listed, zeros included), and a first row for what ``unit``
    owns itself when it owns any: the printed reports. Two queries: the children, and one ``GROUP BY``."""
    children = list(_children_of(unit))
    # Within ``queryset`` (already inside ``unit``) every registration is the unit's own or below a child.
    return _grouped_rows(queryset, unit, children, own=False, below=models.Q(), late_q=late_q)


def child_page(
    queryset: models.QuerySet, unit: Unit, *, late_q: models.Q | None = None, page=1
) -> tuple[list[ChildRow], Page]:
    """``child_rows`` for one page of ``CHILDREN_PAGE_SIZE`` children (the unit's own row on the first page): the
    dashboard. Three queries whatever the number of children: their count, the page's children, and one
    ``GROUP BY`` over the registrations below those children only (a path range that the unit path index serves)."""
    paginator = Paginator(_children_of(unit), CHILDREN_PAGE_SIZE)
    page_obj = paginator.get_page(page)
    children = list(page_obj.object_list)
    # The page handed on holds numbers only, not the children's queryset: a Khối's board is cached (pickled).
    page_obj = Paginator(range(paginator.count), CHILDREN_PAGE_SIZE).page(page_obj.number)
    below = None
    if children:
        # Every path below the page's children sorts between the first child's path and the last child's subtree.
        first, last = children[0].path, children[-1].path
        below = models.Q(unit__path__gte=first) & (
            models.Q(unit__path__lt=last) | models.Q(unit__path__startswith=last)
        )
    rows = _grouped_rows(queryset, unit, children, own=page_obj.number == 1, below=below, late_q=late_q)
    return rows, page_obj


def _deadlines(year: Year, today: datetime.date, figures: Figures) -> tuple[list[Deadline], list[Deadline]]:
    extra = figures.extra
    registration = [
        Deadline(
            "Hạn đăng ký cấp cơ sở",
            year.registration_deadline_base,
            today,
            extra["on_time_base"],
            extra["late_base"],
        ),
        Deadline(
            lazy_text("Hạn đăng ký cấp {top_body}"),
            year.registration_deadline_khoi,
            today,
            extra["on_time_khoi"],
            extra["late_khoi"],
        ),
    ]
    other = [
        Deadline("Hạn báo cáo 6 tháng", year.report_half_year_deadline, today),
        Deadline("Hạn rà soát, xác nhận cấp cơ sở", year.review_deadline_base, today),
        Deadline(lazy_text("Hạn rà soát, xác nhận cấp {top_body}"), year.review_deadline_khoi, today),
        Deadline("Hạn báo cáo năm", year.report_annual_deadline, today),
    ]
    other.sort(key=lambda d: d.date)
    return registration, other


def dashboard_build(user, *, unit: Unit, year: Year, today: datetime.date | None = None, children_page=1) -> Dashboard:
    """Every figure of the dashboard of ``unit`` (a unit in the user's scope) for ``year``, with the page
    ``children_page`` of its child units (a number out of range or not a number: the nearest valid page)."""
    today = today or timezone.localdate()
    scoped = subtree_registrations(user, unit).filter(year=year)
    sent = ~models.Q(status=Status.DRAFT)
    figures = figures_of(
        scoped,
        extra={
            "drafts": models.Q(status=Status.DRAFT),
            "on_time_base": sent & _on_time_q(year) & ~models.Q(level=Level.KHOI),
            "late_base": sent & _late_q(year) & ~models.Q(level=Level.KHOI),
            "on_time_khoi": sent & _on_time_q(year) & models.Q(level=Level.KHOI),
            "late_khoi": sent & _late_q(year) & models.Q(level=Level.KHOI),
        },
    )
    registration_deadlines, other_deadlines = _deadlines(year, today, figures)
    late_units = unregistered_units(user, year).filter(path__startswith=unit.path)
    children, page_obj = child_page(scoped.filter(sent), unit, late_q=_late_q(year), page=children_page)
    return Dashboard(
        unit=unit,
        year=year,
        today=today,
        figures=figures,
        drafts=figures.extra["drafts"],
        children=children,
        children_page=page_obj,
        registration_deadlines=registration_deadlines,
        other_deadlines=other_deadlines,
        unregistered=list(late_units[:UNREGISTERED_LIMIT]),
        unregistered_count=late_units.count(),
    )


def dashboard_for(user, *, unit: Unit, year: Year, today: datetime.date | None = None, children_page=1) -> Dashboard:
    """``dashboard_build``, kept for ``KHOI_CACHE_SECONDS`` when ``unit`` is a whole Đảng bộ Khối.

    The figures do not depend on the user: the unit is within the user's scope (the view checks it), so everything
    below it is visible to them, and every viewer of the Khối shares one computation.
    """
    today = today or timezone.localdate()
    if unit.depth > 1:
        return dashboard_build(user, unit=unit, year=year, today=today, children_page=children_page)
    key = f"registry:dashboard:{unit.pk}:{year.pk}:{today.isoformat()}:{children_page}"
    board = cache.get(key)
    if board is None:
        board = dashboard_build(user, unit=unit, year=year, today=today, children_page=children_page)
        board.cached = True
        cache.set(key, board, KHOI_CACHE_SECONDS)
    return board
