"""The dashboard and the periodic (6-month, annual) reports: page, narrative, PDF and .xlsx.

``don_vi`` must be a unit of ``Unit.objects.scope_of(user)``: a unit id outside it (or one that does not exist) is a
404, never data. Any other bad value (``nam=abc``, a year not in the catalogue, ``ky=x``) is a form error on the page
(status 400). Empty values take the defaults: the user's top membership unit, the latest open year, the period of
today. Figures start from ``Registration.objects.visible_to(user)`` (registry.dashboard). Everyone in scope reads a
report; its narrative is written by the unit's editors and approvers (a POST by anyone else is a 403).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from registry import periodic_reports, permissions, xlsx
from registry.dashboard import dashboard_for, default_unit
from registry.dashboard_forms import DashboardForm, PeriodicChoiceForm, PeriodicReportForm
from registry.document_forms import check_unit_in_scope
from registry.models import ReportPeriod
from registry.papers import catalogue
from registry.papers import reports as context_reports
from registry.text import format_date, vi_slug
from registry.views.documents import serve_or_issue
from registry.years import current_year

XLSX_HEADERS = ["STT", "Nhóm", "Nội dung", "Số lượng"]
XLSX_WIDTHS = [8, 24, 60, 12]


def _choose(request, form_class, *, extra_defaults=None):
    """(form, values) from the GET parameters: ``values`` holds the unit, year (and period) after defaults, or None
    when the form has errors or there is no unit / year to show. A unit id outside the scope raises 404."""
    check_unit_in_scope(request.GET.get("don_vi"), request.user)
    form = form_class(request.GET, user=request.user)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    unit = data.get("don_vi") or default_unit(request.user)
    year = data.get("nam") or current_year()
    values = {"unit": unit, "year": year}
    initial = {"don_vi": unit.pk if unit else None, "nam": year.year if year else None}
    for name, default in (extra_defaults or {}).items():
        values[name] = data.get(name) or default
        initial[name] = values[name]
    # Unbound with the chosen values: the page shows them selected without validating the form again.
    form = form_class(initial=initial, user=request.user)
    if unit is not None:
        form.show_unit(unit)
    if unit is None or year is None:
        return form, None
    return form, values


@login_required
@require_GET
def dashboard(request):
    """Figures of a unit and the units below it for a year, with charts and tables, and the year's deadlines."""
    form, values = _choose(request, DashboardForm)
    if values is None:
        return render(
            request,
            "registry/dashboard.html",
            {"form": form, "no_unit": not form.errors and default_unit(request.user) is None},
            status=400 if form.errors else 200,
        )
    board = dashboard_for(
        request.user, unit=values["unit"], year=values["year"], children_page=_page_number(request.GET.get("page"))
    )
    context = {
        "form": form,
        "board": board,
        "unit": board.unit,
        "year": board.year,
        "query": urlencode({"don_vi": board.unit.pk, "nam": board.year.year}),
        "page_obj": board.children_page,
        "page_range": board.children_page.paginator.get_elided_page_range(board.children_page.number),
    }
    return render(request, "registry/dashboard.html", context)


def _page_number(value) -> int:
    """The page of child units asked for: a positive number, else the first page (never an error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if 1 <= number <= 1_000_000 else 1


# --- Periodic reports -----------------------------------------------------------------------------------------------


def _default_period() -> str:
    return ReportPeriod.HALF_YEAR if timezone.localdate().month <= 6 else ReportPeriod.ANNUAL


def _report_choice(request):
    return _choose(request, PeriodicChoiceForm, extra_defaults={"ky": _default_period()})


def _query(values) -> str:
    return urlencode({"don_vi": values["unit"].pk, "nam": values["year"].year, "ky": values["ky"]})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def periodic_report(request):
    """The report page: computed figures, the due date with its late mark, the narrative (saved per unit, year and
    period) and the PDF / Excel buttons."""
    form, values = _report_choice(request)
    if values is None:
        if request.method == "POST":
            raise PermissionDenied
        return render(request, "registry/periodic_report.html", {"form": form}, status=400 if form.errors else 200)
    unit, year, period = values["unit"], values["year"], values["ky"]
    can_write = permissions.can_write_unit_report(request.user, unit)
    result = periodic_reports.periodic_figures_build(request.user, unit=unit, year=year, period=period)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        report_form = PeriodicReportForm(request.POST, instance=result.report)
        if report_form.is_valid():
            periodic_reports.periodic_report_save(
                unit=unit, year=year, period=period, data=report_form.cleaned_data, user=request.user
            )
            messages.success(request, "Đã lưu nội dung báo cáo.")
            return redirect(f"{reverse('registry:periodic-report')}?{_query(values)}")
    else:
        report_form = PeriodicReportForm(instance=result.report)
    if not can_write:
        for field in report_form.fields.values():
            field.disabled = True
        report_form.helper.inputs = []
    report_form.helper.form_action = f"{reverse('registry:periodic-report')}?{_query(values)}"
    context = {
        "form": form,
        "result": result,
        "groups": context_reports.table_groups(result),
        "summary_lines": context_reports.summary_lines(result),
        "report_form": report_form,
        "can_write": can_write,
        "query": _query(values),
        "cutoff": format_date(result.cutoff),
    }
    return render(request, "registry/periodic_report.html", context)


def _result_or_page(request):
    form, values = _report_choice(request)
    if values is None:
        return None, render(request, "registry/periodic_report.html", {"form": form}, status=400)
    result = periodic_reports.periodic_figures_build(
        request.user, unit=values["unit"], year=values["year"], period=values["ky"]
    )
    return result, None


@login_required
@require_GET
def periodic_report_pdf(request):
    """The report in the Party layout; a period without data prints with zeros and says so."""
    result, page = _result_or_page(request)
    if page is not None:
        return page
    code = catalogue.PERIOD_CODES[result.period]
    params = {"don_vi": result.unit.pk, "nam": result.year.year}
    return serve_or_issue(catalogue.subject_from(code, params, request.user))


@login_required
@require_GET
def periodic_report_xlsx(request):
    """The report's figures as an .xlsx sheet: one row per figure, grouped, numbered as in the PDF."""
    result, page = _result_or_page(request)
    if page is not None:
        return page
    rows = (
        [row["stt"], group["label"], row["label"], row["count"]]
        for group in context_reports.table_groups(result)
        for row in group["rows"]
    )
    period_slug = "6-thang" if result.period == ReportPeriod.HALF_YEAR else "nam"
    return xlsx.workbook_response(
        f"bao-cao-{period_slug}-{result.year.year}-{vi_slug(result.unit.name, 60)}.xlsx",
        f"Báo cáo {result.label}",
        XLSX_HEADERS,
        rows,
        widths=XLSX_WIDTHS,
    )
