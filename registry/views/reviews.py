"""The yearly review (Mẫu 4: per-unit page, PDF, .xlsx, one model's review) and the owner's reports (Mẫu 5, 6).

Every view starts from ``Registration.objects.visible_to(user)`` (a forbidden registration is a 404) and a unit
chosen by ``don_vi`` must be in ``Unit.objects.scope_of(user)`` (else 404). A year that does not exist is a 404.
Viewers read; writing needs ``permissions.can_review`` (the model's owning unit's editors), a POST without it is a
403. A rule that refuses (a draft, a status that does not allow a report) is a message, never an error page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from registry import permissions, reviews, xlsx
from registry.document_forms import check_unit_in_scope
from registry.forms import apply_errors
from registry.models import OwnerReport, OwnerReportKind, Registration, UnitReviewReport, Year, YearlyReview
from registry.papers import catalogue
from registry.papers import reviews as context_reviews
from registry.review_forms import OwnerReportForm, ReviewUnitForm, UnitReviewReportForm, YearlyReviewForm
from registry.text import vi_slug
from registry.views.documents import serve_or_issue
from registry.years import current_year

MAU_4_XLSX_WIDTHS = [6, 40, 36, 24, 10, 60, 18, 24, 24]
RELATED = (*reviews.REVIEW_RELATED, "receiving_unit", "subject_person__party_cell")


def _registrations(user):
    return Registration.objects.visible_to(user).select_related(*RELATED)


def _year_or_404(value) -> Year:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404("Năm không hợp lệ.") from None
    if not 2000 <= number <= 2100:
        raise Http404("Năm không có trong danh mục.")
    return get_object_or_404(Year, year=number)


def _safe_next(request, default: str) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return default


def _disable(form) -> None:
    for field in form.fields.values():
        field.disabled = True
    form.helper.inputs = []


# --- Mẫu 4: the unit's page, PDF and .xlsx ------------------------------------------------------------------------


def _unit_choice(request):
    """(form, unit, year) from ``don_vi`` and ``nam``; unit and year are None until the form validates.

    A unit outside the user's scope or a numeric year that does not exist is a 404; anything else a form error.
    """
    check_unit_in_scope(request.GET.get("don_vi"), request.user)
    raw_year = (request.GET.get("nam") or "").strip()
    if raw_year.isascii() and raw_year.isdigit():
        _year_or_404(raw_year)
    if "don_vi" not in request.GET and "nam" not in request.GET:
        return ReviewUnitForm(user=request.user), None, None
    form = ReviewUnitForm(request.GET, user=request.user)
    if not form.is_valid():
        return form, None, None
    return form, form.cleaned_data["don_vi"], form.cleaned_data["nam"]


@login_required
def review_unit(request):
    """The review page of a unit and year: the models due with their review state, the narrative sections of
    Mẫu 4 (POST saves them) and the PDF / Excel buttons."""
    form, unit, year = _unit_choice(request)
    if unit is None:
        if request.method == "POST":
            raise Http404
        return render(request, "registry/review_unit.html", {"form": form}, status=400 if form.errors else 200)
    query = urlencode({"don_vi": unit.pk, "nam": year.year})
    can_write = permissions.can_write_unit_report(request.user, unit)
    report = UnitReviewReport.objects.filter(unit=unit, year=year).first()
    report_form = UnitReviewReportForm(request.POST if request.method == "POST" else None, instance=report)
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if report_form.is_valid():
            reviews.unit_report_save(unit=unit, year=year, data=report_form.cleaned_data)
            messages.success(request, "Đã lưu nội dung báo cáo rà soát.")
            return redirect(f"{reverse('registry:review-unit')}?{query}")
    if not can_write:
        _disable(report_form)
    due = list(reviews.due_for_review(Registration.objects.visible_to(request.user), unit=unit, year=year))
    rows = reviews.review_rows(due, year=year)
    here = f"{reverse('registry:review-unit')}?{query}"
    for row in rows:
        row["can_review"] = permissions.can_review(request.user, row["registration"])
        row["assessment"] = context_reviews.assessment_line(row["met"], row["criteria_total"])
    counts = reviews.review_counts(due, year=year)
    context = {
        "form": form,
        "unit": unit,
        "year": year,
        "rows": rows,
        "counts": counts,
        "count_lines": context_reviews.count_lines(counts),
        "report_form": report_form,
        "can_write": can_write,
        "query": query,
        "next": urlencode({"next": here}),
    }
    return render(request, "registry/review_unit.html", context)


@login_required
def review_pdf(request):
    """Mẫu 4 as a PDF document issued by the unit."""
    form, unit, year = _unit_choice(request)
    if unit is None:
        return render(request, "registry/review_unit.html", {"form": form}, status=400)
    return serve_or_issue(catalogue.subject_from("mau_4", {"don_vi": unit.pk, "nam": year.year}, request.user))


@login_required
def review_xlsx(request):
    """The Mẫu 4 table as .xlsx, texts in full."""
    form, unit, year = _unit_choice(request)
    if unit is None:
        return render(request, "registry/review_unit.html", {"form": form}, status=400)
    due = reviews.due_for_review(Registration.objects.visible_to(request.user), unit=unit, year=year)
    rows = context_reviews.mau_4_rows(reviews.review_rows(due, year=year), full=True)
    data = (
        [r["stt"], r["title"], r["subject"], r["field"], r["reg_year"], r["results"], r["assessment"], r["proposal"],
         r["note"]]
        for r in rows
    )  # fmt: skip
    return xlsx.workbook_response(
        f"mau-4-{vi_slug(unit.name, 60)}-{year.year}.xlsx",
        f"Mẫu 4 năm {year.year}",
        context_reviews.MAU_4_COLUMNS,
        data,
        widths=MAU_4_XLSX_WIDTHS,
    )


# --- One model's review -------------------------------------------------------------------------------------------


@login_required
def review_edit(request, pk: int, year: int):
    """The review of one model for a year: editors of its owning unit write it, everyone in scope reads it."""
    reg = get_object_or_404(_registrations(request.user), pk=pk)
    year_obj = _year_or_404(year)
    refusal = reviews.review_refusal(reg, year_obj)
    if refusal:
        messages.error(request, refusal)
        return redirect(reg)
    can_review = permissions.can_review(request.user, reg)
    if request.method == "POST" and not can_review:
        raise PermissionDenied
    review = YearlyReview.objects.filter(registration=reg, year=year_obj).first()
    criteria = reviews.criteria_for(reg, year_obj)
    form = YearlyReviewForm(request.POST if request.method == "POST" else None, instance=review, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        try:
            reviews.review_save(
                registration=reg,
                year=year_obj,
                reviewer=request.user,
                results=form.cleaned_data["results"],
                proposal=form.cleaned_data["proposal"],
                note=form.cleaned_data["note"],
                assessments={pk: met for pk, (met, _note) in form.assessments().items()},
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Đã lưu rà soát năm {year_obj.year} của mô hình “{reg.title}”.")
            return redirect(_safe_next(request, reg.get_absolute_url()))
    if not can_review:
        _disable(form)
    context = {"registration": reg, "year": year_obj, "form": form, "review": review, "can_review": can_review}
    return render(request, "registry/review_form.html", context)


# --- Owner's reports (Mẫu 5, Mẫu 6) -------------------------------------------------------------------------------


def _kind_or_404(kind: str) -> str:
    value = reviews.OWNER_REPORT_SLUGS.get(kind)
    if value is None:
        raise Http404("Loại báo cáo không hợp lệ.")
    return value


@login_required
def owner_report_edit(request, pk: int, kind: str):
    """Mẫu 5 or Mẫu 6 of the current year (``kind`` mau-5 / mau-6), written by editors of the owning unit."""
    report_kind = _kind_or_404(kind)
    reg = get_object_or_404(_registrations(request.user), pk=pk)
    year = current_year()
    if year is None:
        messages.error(request, "Chưa có năm nào trong danh mục; vui lòng liên hệ quản trị hệ thống.")
        return redirect(reg)
    refusal = reviews.owner_report_refusal(reg, report_kind)
    if refusal:
        messages.error(request, refusal)
        return redirect(reg)
    can_review = permissions.can_review(request.user, reg)
    if request.method == "POST" and not can_review:
        raise PermissionDenied
    report = OwnerReport.objects.filter(registration=reg, year=year, kind=report_kind).first()
    form = OwnerReportForm(
        request.POST if request.method == "POST" else None,
        instance=report,
        kind=report_kind,
        criteria=reviews.criteria_for(reg),
    )
    if request.method == "POST" and form.is_valid():
        try:
            reviews.owner_report_save(
                registration=reg,
                kind=report_kind,
                year=year,
                author=request.user,
                data=form.cleaned_data,
                assessments=form.assessments(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            number = reviews.OWNER_REPORT_NUMBERS[report_kind]
            messages.success(request, f"Đã lưu báo cáo {number} năm {year.year}.")
            return redirect(reg)
    if not can_review:
        _disable(form)
    context = {
        "registration": reg,
        "year": year,
        "form": form,
        "report": report,
        "kind_slug": kind,
        "form_number": reviews.OWNER_REPORT_NUMBERS[report_kind],
        "kind_label": OwnerReportKind(report_kind).label,
        "can_review": can_review,
    }
    return render(request, "registry/owner_report_form.html", context)


@login_required
def owner_report_pdf(request, pk: int, kind: str):
    """The printed owner's report of a year (``nam``, default the current year), as a document of the model."""
    report_kind = _kind_or_404(kind)
    reg = get_object_or_404(_registrations(request.user), pk=pk)
    year = _year_or_404(request.GET["nam"]) if request.GET.get("nam") else current_year()
    report = (
        OwnerReport.objects.filter(registration=reg, year=year, kind=report_kind).select_related("year").first()
        if year
        else None
    )
    if report is None:
        number = reviews.OWNER_REPORT_NUMBERS[report_kind]
        messages.error(request, f"Chưa có báo cáo {number} của mô hình này cho năm đã chọn.")
        return redirect(reg)
    return serve_or_issue(catalogue.subject_from(report_kind, {"mo_hinh": reg.pk, "nam": year.year}, request.user))
