"""Printed forms: a registration's own form (Mẫu 1, 1a, 2, 2a) and the Mẫu 3 list (page, PDF, .xlsx).

Every view starts from ``Registration.objects.visible_to(user)`` (a forbidden registration is a 404) and a Mẫu 3
unit must be in ``Unit.objects.scope_of(user)``. A PDF is the issued paper in force (``views.documents``); before it
is issued, the link leads to its issue page.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode

from registry import xlsx
from registry.document_forms import Mau3Form, check_unit_in_scope
from registry.models import Registration
from registry.papers import catalogue
from registry.papers import registrations as pdf_context
from registry.text import vi_slug
from registry.views.documents import serve_or_issue

MAU_3_XLSX_HEADERS = [pdf_context.MAU_3_COLUMNS[0], "Nhóm", *pdf_context.MAU_3_COLUMNS[1:]]
MAU_3_XLSX_WIDTHS = [6, 30, 40, 36, 24, 16, 60, 24, 40, 20]


@login_required
def registration_pdf(request, pk: int):
    """The registration's own form in force (Mẫu 1, 1a, 2 or 2a); before it is issued, its issue page."""
    reg = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related(*pdf_context.REGISTRATION_RELATED), pk=pk
    )
    return serve_or_issue(catalogue.registration_subject(reg, request.user))


def _mau3_choice(request):
    """(form, unit, year) from the GET parameters; unit and year are None until the form validates.

    A unit id outside the user's scope is a 404; any other bad value is a form error.
    """
    check_unit_in_scope(request.GET.get("don_vi"), request.user)
    if "don_vi" not in request.GET and "nam" not in request.GET:
        return Mau3Form(user=request.user), None, None
    form = Mau3Form(request.GET, user=request.user)
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["don_vi"], form.cleaned_data["nam"]


def _mau3_query(unit, year) -> str:
    return urlencode({"don_vi": unit.pk, "nam": year.year})


def _mau3_page(request, form, *, listing=None, query="", status=200):
    return render(request, "registry/mau3.html", {"form": form, "listing": listing, "query": query}, status=status)


@login_required
def mau3(request):
    """The Mẫu 3 page: unit and year picker, the list as it will print, and the PDF / Excel buttons."""
    form, unit, year = _mau3_choice(request)
    if unit is None:
        return _mau3_page(request, form)
    listing = pdf_context.mau_3(unit=unit, year=year, registrations=Registration.objects.visible_to(request.user))
    return _mau3_page(request, form, listing=listing, query=_mau3_query(unit, year))


@login_required
def mau3_pdf(request):
    """Mẫu 3 of the unit and year as issued; before it is issued, its issue page."""
    form, unit, year = _mau3_choice(request)
    if unit is None:
        return _mau3_page(request, form, status=400)
    return serve_or_issue(catalogue.subject_from("mau_3", request.GET, request.user))


@login_required
def mau3_xlsx(request):
    """Mẫu 3 as an .xlsx sheet: the same rows, texts in full, with the group of each row in its own column."""
    form, unit, year = _mau3_choice(request)
    if unit is None:
        return _mau3_page(request, form, status=400)
    queryset = pdf_context.mau_3_queryset(Registration.objects.visible_to(request.user), unit=unit, year=year)
    groups, _totals = pdf_context.mau_3_groups(queryset, full=True)
    rows = []
    for group in groups:
        roman = group["label"].split(".", 1)[0]
        for sub in group["subgroups"]:
            label = f"{roman}.{sub['label']}"
            for r in sub["rows"]:
                rows.append(
                    [r["stt"], label, r["title"], r["subject"], r["field"], r["level"], r["content"], r["period"],
                     r["results"], r["note"]]
                )  # fmt: skip
    filename = f"mau-3-{vi_slug(unit.name, 60)}-{year.year}.xlsx"
    return xlsx.workbook_response(
        filename, f"Mẫu 3 năm {year.year}", MAU_3_XLSX_HEADERS, rows, widths=MAU_3_XLSX_WIDTHS
    )
