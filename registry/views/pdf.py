"""Printed forms: a registration's own form (Mẫu 1, 1a, 2, 2a), the Mẫu 3 list (page, PDF, .xlsx) and reprints.

Every view starts from ``Registration.objects.visible_to(user)`` (a forbidden registration or document is a 404) and
a Mẫu 3 unit must be in ``Unit.objects.scope_of(user)``. Printing goes through ``registry.documents``: a PDF is
always rendered from a document's frozen snapshot.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from registry import documents, xlsx
from registry.models import Document, Registration, Unit
from registry.pdf import context as pdf_context
from registry.pdf.forms import Mau3Form, check_unit_in_scope
from registry.text import vi_slug
from registry.views.responses import pdf_response

# A list longer than this is too slow to print while the user waits (~12.5 ms per row, docs/performance.md).
MAU_3_PDF_MAX_ROWS = 1000
MAU_3_XLSX_HEADERS = [pdf_context.MAU_3_COLUMNS[0], "Nhóm", *pdf_context.MAU_3_COLUMNS[1:]]
MAU_3_XLSX_WIDTHS = [6, 30, 40, 36, 24, 16, 60, 24, 40, 20]


@login_required
def registration_pdf(request, pk: int):
    """The registration's own form, printed as a document (issued, or the latest unlocked one refreshed)."""
    reg = get_object_or_404(
        Registration.objects.visible_to(request.user).select_related(*pdf_context.REGISTRATION_RELATED), pk=pk
    )
    document = documents.registration_document(reg, user=request.user)
    return pdf_response(documents.document_render(document), documents.document_filename(document))


@login_required
def document_pdf(request, pk: int):
    """Reprint a document from its snapshot: documents of visible registrations (including the minutes, decisions
    and lists that decided them), or issued by a unit in scope."""
    visible = Registration.objects.visible_to(request.user)
    scope = Unit.objects.scope_of(request.user)
    allowed = Document.objects.filter(
        Q(registration__in=visible)
        | Q(meeting__entries__registration__in=visible)
        | Q(proposal__entries__registration__in=visible)
        | Q(registration__isnull=True, issuing_unit__in=scope),
        form_code__in=pdf_context.TEMPLATES,
    ).distinct()
    document = get_object_or_404(allowed, pk=pk)
    return pdf_response(documents.document_render(document), documents.document_filename(document))


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
    """Mẫu 3 as a PDF document of the unit and year."""
    form, unit, year = _mau3_choice(request)
    if unit is None:
        return _mau3_page(request, form, status=400)
    context = pdf_context.mau_3(unit=unit, year=year, registrations=Registration.objects.visible_to(request.user))
    total = context["totals"]["total"]
    if total > MAU_3_PDF_MAX_ROWS:
        messages.error(
            request,
            f"Danh sách có {total} mô hình, quá dài để in PDF ngay (tối đa {MAU_3_PDF_MAX_ROWS}). "
            "Vui lòng tải bản Excel hoặc chọn đơn vị nhỏ hơn.",
        )
        return redirect(f"{reverse('registry:mau3')}?{_mau3_query(unit, year)}")
    document = documents.document_for_print(
        form_code="mau_3", issuing_unit=unit, year=year.year, context=context, created_by=request.user
    )
    return pdf_response(documents.document_render(document), documents.document_filename(document))


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
