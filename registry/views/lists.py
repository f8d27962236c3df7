"""The registration list with its filters, its .xlsx export, and the units that have not registered for a year.

The page and the export use the same ``filtered_registrations``: what is exported is exactly what is listed.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from registry import choices
from registry.context_processors import inbox_count_expression, read_inbox_count
from registry.filters import SEARCH_CAP, YearChoiceForm, filtered_registrations
from registry.inbox import unregistered_units as unregistered_units_of
from registry.models import Unit, Year
from registry.pagination import CappedPaginator
from registry.templatetags.registry_tags import status_badge
from registry.text import format_date
from registry.views.links import registration_urls
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
    # The catalogue's stamp (for the filters' options kept in memory) and the navigation bar's count come with the
    # page's rows rather than by two queries of their own; read apart only when the page has no row.
    registrations = registrations.annotate(
        catalogue_stamp=choices.stamp_subquery(), inbox_count=inbox_count_expression(request)
    )
    paginator = CappedPaginator(registrations, PAGE_SIZE, cap=cap, ids_first=bool(cap), counted=form.rows_to_count)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = rows = list(page.object_list)
    stamp = None
    if rows:
        stamp = rows[0].catalogue_stamp or ""
        read_inbox_count(request, rows[0].inbox_count)
        years, fields = choices.years_and_fields(stamp)
        for reg in rows:
            # Not joined (filters.LIST_RELATED); one missing from memory is read by the row itself.
            if reg.year_id in years:
                reg.year = years[reg.year_id]
            if reg.field_id in fields:
                reg.field = fields[reg.field_id]
    # The filter card's controls and the table's rows are built before rendering (the options cached,
    # registry/choices.py; the rows written by ``_rows_html``).
    context = {
        "form": form,
        "filter_rows": form.layout(stamp),
        "page_obj": page,
        "page_range": _page_range(page),
        "rows_html": _rows_html(rows),
    }
    return render(request, "registry/registration_list.html", context)


@login_required
@require_GET
def registration_export(request):
    _form, registrations = filtered_registrations(request.user, request.GET, export=True)
    rows = (_export_row(i, reg) for i, reg in enumerate(registrations.iterator(chunk_size=2000), start=1))
    return workbook_response("danh-sach-mo-hinh.xlsx", "Danh sách mô hình", EXPORT_HEADERS, rows, EXPORT_WIDTHS)


# One row of the table, written here rather than by the template: 25 rows of about 25 template nodes each were half
# of a Khối-wide list page's CPU (issue 17). The markup (whitespace included) is the one the template wrote.
_ROW = (
    '\n        <tr>\n          <th scope="row" class="fw-normal">\n            <a href="{}">{}</a>\n'
    '            <div class="d-md-none small text-body-secondary">{} · {}</div>\n          </th>\n'
    '          <td class="d-none d-md-table-cell">{}<div class="small text-body-secondary">{}</div></td>\n'
    '          <td class="d-none d-md-table-cell">{}</td>\n'
    '          <td class="d-none d-lg-table-cell">{}</td>\n'
    '          <td class="d-none d-lg-table-cell">{}</td>\n'
    '          <td class="d-none d-md-table-cell">{}</td>\n'
    "          <td>{}{}</td>\n"
    '          <td class="d-none d-md-table-cell">\n            {}\n          </td>\n        </tr>\n      '
)
_LATE_BELOW = mark_safe('<div class="d-md-none mt-1"><span class="badge text-bg-danger">Muộn</span></div>')
_NOT_LATE = mark_safe('<span class="visually-hidden">Không</span>')


def _rows_html(rows) -> str:
    """The table's rows of the page (``LIST_FIELDS`` read, ``LIST_RELATED`` joined, the year and lĩnh vực given),
    as one safe string."""
    url_of = registration_urls()
    html = []
    for reg in rows:
        late = reg.is_late
        subject, year = reg.subject_name, reg.year.year
        if late:
            why = "Gửi sau hạn đăng ký" if reg.submitted_at else "Chưa gửi, đã quá hạn đăng ký"
            late_cell = format_html(
                '<span class="badge text-bg-danger" title="{} {}">Muộn</span>', why, reg.deadline.strftime("%d/%m/%Y")
            )
        else:
            late_cell = _NOT_LATE
        html.append(
            format_html(
                _ROW,
                url_of(reg.pk),
                reg.title,
                subject,
                year,
                subject,
                reg.get_subject_kind_display(),
                reg.unit.name,
                reg.field.name,
                reg.get_level_display(),
                year,
                status_badge(reg.status),
                _LATE_BELOW if late else "",
                late_cell,
            )
        )
    return mark_safe("".join(html))


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
