"""The registration list with its filters, its .xlsx export, and the units that have not registered for a year.

The page and the export use the same ``filtered_registrations``: what is exported is exactly what is listed.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from registry.filters import SEARCH_CAP, YearChoiceForm, filtered_registrations
from registry.inbox import unregistered_units as unregistered_units_of
from registry.models import Unit, Year
from registry.pagination import CappedPaginator
from registry.text import format_date
from registry.xlsx import workbook_response
from registry.years import current_year

PAGE_SIZE = 25

EXPORT_HEADERS = [
    "STT",
    "Tên mô hình",
    "Đối tượng",
    "Chủ thể",
    "Đơn vị quản lý",
    "Đơn vị tiếp nhận",
    "Lĩnh vực",
    "Cấp đăng ký",
    "Năm",
    "Trạng thái",
    "Ngày gửi",
    "Nộp muộn",
]
EXPORT_WIDTHS = [6, 50, 30, 30, 30, 30, 30, 18, 8, 24, 12, 10]


@login_required
@require_GET
def registration_list(request):
    form, registrations = filtered_registrations(request.user, request.GET)
    # get_page: a page that is not a number gives the first page, one past the end gives the last; never a 404.
    # A search counts fewer matches: a phrase common to a whole Khối matches thousands, and every counted match is
    # a row read again; past the cap the page asks for a narrower search or a filter (docs/benchmarks.md).
    cap = SEARCH_CAP if form.is_bound and form.valid_values().get("q") else None
    paginator = CappedPaginator(registrations, PAGE_SIZE, cap=cap, ids_first=bool(cap), counted=form.rows_to_count)
    page = paginator.get_page(request.GET.get("page"))
    _attach_detail_urls(page.object_list)
    # The filter card's controls are built before rendering (their options cached, registry/choices.py).
    context = {"form": form, "filter_rows": form.layout(), "page_obj": page, "page_range": _page_range(page)}
    return render(request, "registry/registration_list.html", context)


@login_required
@require_GET
def registration_export(request):
    _form, registrations = filtered_registrations(request.user, request.GET, export=True)
    rows = (_export_row(i, reg) for i, reg in enumerate(registrations.iterator(chunk_size=2000), start=1))
    return workbook_response("danh-sach-mo-hinh.xlsx", "Danh sách mô hình", EXPORT_HEADERS, rows, EXPORT_WIDTHS)


# Any id: reversed once, then the id swapped for each row's (``reverse`` is ~40 µs a call, a tenth of a page of 25).
_ANY_ID = 987654321


def _attach_detail_urls(rows) -> None:
    pattern = reverse("registry:registration-detail", args=[_ANY_ID])
    for reg in rows:
        reg.detail_url = pattern.replace(str(_ANY_ID), str(reg.pk))


def _page_range(page) -> list:
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))


def _export_row(number: int, reg) -> list:
    submitted = format_date(timezone.localdate(reg.submitted_at)) if reg.submitted_at else ""
    return [
        number,
        reg.title,
        reg.get_subject_kind_display(),
        reg.subject_name,
        reg.unit.name,
        reg.receiving_unit.name,
        reg.field.name,
        reg.get_level_display(),
        reg.year.year,
        reg.get_status_display(),
        submitted,
        "Có" if reg.is_late else "",
    ]


@login_required
@require_GET
def unregistered_units(request):
    form = YearChoiceForm(request.GET)
    year = form.cleaned_data.get("nam") if form.is_valid() else None
    year = year or current_year()
    if year is not None and not form.errors:
        form = YearChoiceForm(initial={"nam": year.year})
    page = None
    if year is not None:
        units = unregistered_units_of(request.user, year)
        page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
        _attach_parents(page.object_list)
    today = timezone.localdate()
    context = {
        "form": form,
        "years": Year.objects.order_by("-year").values_list("year", flat=True),
        "year": year,
        "page_obj": page,
        "page_range": _page_range(page) if page else [],
        "today": today,
        "base_deadline_passed": bool(year and today > year.registration_deadline_base),
        "khoi_deadline_passed": bool(year and today > year.registration_deadline_khoi),
    }
    return render(request, "registry/unregistered_units.html", context)


def _attach_parents(units) -> None:
    """Give each unit of the page its parent's name, in one query for the whole page."""
    units = list(units)
    parent_paths = {u.path[: -Unit.steplen] for u in units if u.depth > 1}
    names = dict(Unit.objects.filter(path__in=parent_paths).values_list("path", "name")) if parent_paths else {}
    for unit in units:
        unit.parent_name = names.get(unit.path[: -Unit.steplen], "")
