"""The 6-month and annual reports of a unit (guidance §III.2.3): computed figures and the typed narrative.

A report of year N covers the models owned by the unit or a unit below it that were sent (never drafts) up to the
end of the period: 30/6/N for the 6-month report, 31/12/N for the annual one; registered for year N ("mới"), or
registered earlier and still running in N ("duy trì": a model runs for several years until its end date or until it
is stopped). Status is the model's status today. The figures come from ``registry.dashboard`` (aggregate
queries, a fixed number of them).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registry.dashboard import ChildRow, Figures, child_rows, figures_of, subtree_registrations
from registry.models import PeriodicReport, ReportPeriod, Status, Unit, Year

NARRATIVE_FIELDS = ("leadership", "highlights", "limitations", "directions")
PERIOD_TITLES = {ReportPeriod.HALF_YEAR: "6 tháng đầu năm {year}", ReportPeriod.ANNUAL: "năm {year}"}


def period_end(year: Year, period: str) -> datetime.date:
    """The last day a registration may have been sent to count in the report: 30/6 or 31/12 of the year."""
    return datetime.date(year.year, 6, 30) if period == ReportPeriod.HALF_YEAR else datetime.date(year.year, 12, 31)


def report_deadline(year: Year, period: str) -> datetime.date:
    """When the report is due (the year's own dates, editable in the admin: usually 10/6 and 10/12)."""
    return year.report_half_year_deadline if period == ReportPeriod.HALF_YEAR else year.report_annual_deadline


def period_label(year: Year, period: str) -> str:
    """ "6 tháng đầu năm 2025" or "năm 2025"."""
    return PERIOD_TITLES[ReportPeriod(period)].format(year=year.year)


@dataclass
class PeriodicFigures:
    """What a periodic report shows besides its narrative."""

    unit: Unit
    year: Year
    period: str
    cutoff: datetime.date
    deadline: datetime.date
    today: datetime.date
    figures: Figures
    children: list[ChildRow]
    report: PeriodicReport | None

    @property
    def has_data(self) -> bool:
        return self.figures.total > 0

    @property
    def new(self) -> int:
        return self.figures.extra["new"]

    @property
    def continued(self) -> int:
        return self.figures.total - self.new

    @property
    def label(self) -> str:
        return period_label(self.year, self.period)

    @property
    def days_left(self) -> int:
        return (self.deadline - self.today).days

    @property
    def saved_on(self) -> datetime.date | None:
        return timezone.localdate(self.report.created_at) if self.report else None

    @property
    def is_late(self) -> bool:
        """Written after the deadline, or not written and the deadline has passed."""
        when = self.saved_on or self.today
        return when > self.deadline

    @property
    def deadline_state(self) -> str:
        if self.report:
            late_by = (self.saved_on - self.deadline).days
            return f"Lập muộn {late_by} ngày" if late_by > 0 else "Đúng hạn"
        if self.days_left < 0:
            return f"Đã quá hạn {-self.days_left} ngày"
        if self.days_left == 0:
            return "Hết hạn hôm nay"
        return f"Còn {self.days_left} ngày"


def report_cutoff(year: Year, period: str, on: datetime.date | None = None) -> datetime.date:
    """The day the figures run to: the end of the period, or the report's own date when it is dated earlier (a
    report of 07/12 cannot count what is sent up to 31/12)."""
    end = period_end(year, period)
    return min(end, on) if on is not None else end


def report_registrations(user, *, unit: Unit, year: Year, period: str, on: datetime.date | None = None):
    """Registrations counted by the report: visible to the user, owned within ``unit``, sent by the cut-off
    (``report_cutoff``), and either registered for year N or registered earlier and still running in N (not
    stopped, no end date or one on or after 1/1/N)."""
    running = Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year.year, 1, 1))
    continued = Q(year__year__lt=year.year) & running & ~Q(status=Status.STOPPED)
    return (
        subtree_registrations(user, unit)
        .filter(Q(year=year) | continued, submitted_at__date__lte=report_cutoff(year, period, on))
        .exclude(status=Status.DRAFT)
    )


def periodic_figures_build(
    user,
    *,
    unit: Unit,
    year: Year,
    period: str,
    today: datetime.date | None = None,
    on: datetime.date | None = None,
) -> PeriodicFigures:
    """The computed part of the report of ``unit`` for ``year`` and ``period``, with the saved narrative if any.

    ``on``: the report's date; the figures run to it when it falls before the period's end (``report_cutoff``)."""
    queryset = report_registrations(user, unit=unit, year=year, period=period, on=on)
    figures = figures_of(queryset, extra={"new": Q(year=year)})
    return PeriodicFigures(
        unit=unit,
        year=year,
        period=period,
        cutoff=report_cutoff(year, period, on),
        deadline=report_deadline(year, period),
        today=today or timezone.localdate(),
        figures=figures,
        children=child_rows(queryset, unit),
        report=PeriodicReport.objects.filter(unit=unit, year=year, period=period).first(),
    )


def periodic_report_save(*, unit: Unit, year: Year, period: str, data: dict, user) -> PeriodicReport:
    """Create or update the narrative of (unit, year, period); only ``NARRATIVE_FIELDS`` of ``data`` are read."""
    values = {name: data.get(name, "") or "" for name in NARRATIVE_FIELDS}
    with transaction.atomic():
        report, created = PeriodicReport.objects.select_for_update().get_or_create(
            unit=unit, year=year, period=period, defaults={**values, "created_by": user}
        )
        if not created:
            for name, value in values.items():
                setattr(report, name, value)
            report.save()
    return report


def figure_rows(result: PeriodicFigures) -> list[dict]:
    """The figures as the table of section II (and the .xlsx): group, label, number; plain JSON-ready dicts."""
    f = result.figures
    rows = [
        {"group": "Tổng hợp", "label": "Tổng số mô hình", "count": f.total},
        {"group": "Tổng hợp", "label": "Mô hình tập thể", "count": f.collective},
        {"group": "Tổng hợp", "label": "Mô hình cá nhân", "count": f.individual},
        {"group": "Tổng hợp", "label": f"Mô hình mới đăng ký năm {result.year.year}", "count": result.new},
        {"group": "Tổng hợp", "label": "Mô hình duy trì từ các năm trước", "count": result.continued},
    ]
    for group, counts in (
        ("Theo trạng thái", f.by_status),
        ("Theo lĩnh vực", f.by_field),
        ("Theo cấp đăng ký", f.by_level),
        ("Theo đối tượng", f.by_subject_kind),
    ):
        rows.extend({"group": group, "label": c.label, "count": c.count} for c in counts)
    rows.extend({"group": "Theo đơn vị", "label": c.label, "count": c.total} for c in result.children)
    return rows
