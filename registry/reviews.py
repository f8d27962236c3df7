"""The yearly review of running models (Mẫu 4) and the owner's reports (Mẫu 5, Mẫu 6).

A model is due for review in a year when it is running (``REVIEWABLE_STATUSES``) and was registered that year or
earlier: a model runs for several years and is reviewed each year. Saving a review or a report is an upsert per
registration and year (and kind, for a report) in one transaction, with one self-assessment row per criterion of
the subject's group. The counts of Mẫu 4 are always computed from the rows, never typed.

Every function raises ``ValidationError`` with a Vietnamese message when a rule refuses the write; callers check
permissions (``permissions.can_review``) before calling. The status rule is checked again on the registration row
read under its lock, so a model returned to draft or stopped while the form was open is refused, never written.
"""

from collections import Counter
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from registry.models import (
    Criterion,
    Field,
    OwnerReport,
    OwnerReportAssessment,
    OwnerReportKind,
    Proposal,
    Registration,
    ReviewAssessment,
    Status,
    Unit,
    UnitReviewReport,
    Year,
    YearlyReview,
)
from registry.text import normalize_vi

REVIEWABLE_STATUSES = frozenset(
    {
        Status.ACTIVE,
        Status.CONFIRMED,
        Status.EXEMPLAR_BASE,
        Status.PROPOSED_KHOI,
        Status.APPRAISED,
        Status.EXEMPLAR_KHOI,
    }
)
# Mẫu 5 asks for the confirmation of a running model; Mẫu 6 reports the achievements of a confirmed one or later.
OWNER_REPORT_STATUSES = {
    OwnerReportKind.RESULTS: frozenset({Status.ACTIVE}),
    OwnerReportKind.ACHIEVEMENTS: REVIEWABLE_STATUSES - {Status.ACTIVE},
}
# URL slug → kind: /mo-hinh/<pk>/bao-cao/mau-5/.
OWNER_REPORT_SLUGS = {"mau-5": OwnerReportKind.RESULTS, "mau-6": OwnerReportKind.ACHIEVEMENTS}
SLUG_OF_OWNER_REPORT = {kind: slug for slug, kind in OWNER_REPORT_SLUGS.items()}
OWNER_REPORT_NUMBERS = {OwnerReportKind.RESULTS: "Mẫu 5", OwnerReportKind.ACHIEVEMENTS: "Mẫu 6"}

REVIEW_RELATED = ("year", "field", "unit", "subject_unit", "subject_person__work_unit")


# --- Years and what is due ---------------------------------------------------------------------------------------


def due_for_review(registrations: QuerySet, *, unit: Unit, year: Year) -> QuerySet:
    """Running models owned by ``unit`` or a unit below it, registered in ``year`` or earlier.

    ``registrations`` is the caller's starting queryset, normally ``Registration.objects.visible_to(user)``.
    """
    return (
        registrations.filter(
            unit__path__startswith=unit.path, status__in=REVIEWABLE_STATUSES, year__year__lte=year.year
        )
        .select_related(*REVIEW_RELATED)
        .order_by("unit__path", "year__year", "pk")
    )


def review_refusal(reg: Registration, year: Year) -> str:
    """Why ``reg`` cannot be reviewed for ``year`` (a Vietnamese sentence), or '' when it can."""
    if reg.status not in REVIEWABLE_STATUSES:
        return (
            f"Mô hình đang ở trạng thái “{reg.get_status_display()}”, chưa (hoặc không còn) thuộc diện rà soát: "
            "chỉ rà soát mô hình đã được tiếp nhận và đang thực hiện."
        )
    if reg.year.year > year.year:
        return f"Mô hình đăng ký năm {reg.year.year}, không thể rà soát cho năm {year.year}."
    return ""


def is_due(reg: Registration, year: Year) -> bool:
    return not review_refusal(reg, year)


GONE = "Mô hình không còn tồn tại."


def _locked(registration: Registration) -> Registration:
    """The registration row re-read under its lock (inside the caller's transaction), with its year."""
    reg = Registration.objects.select_for_update(of=("self",)).select_related("year").filter(pk=registration.pk).first()
    if reg is None:
        raise ValidationError(GONE, code="gone")
    return reg


def criteria_for(reg: Registration, year: Year | None = None) -> list[Criterion]:
    """The criteria of the registration's group (5 for a collective, 3 for an individual), in order, as the guidance
    of ``year`` words them: the review's year for a yearly review (Mẫu 4 is a paper of that year), the registration's
    own year otherwise (an owner's report prints the names of the registration's year)."""
    return Criterion.for_year(year if year is not None else reg.year_id, reg.criteria_group)


def _check_assessments(criteria: list[Criterion], assessments: Mapping[int, object]) -> None:
    """Every criterion of the group assessed, and nothing else."""
    expected = {c.pk for c in criteria}
    given = set(assessments)
    if given - expected:
        raise ValidationError(
            "Tiêu chí không hợp lệ: chỉ đánh giá các tiêu chí áp dụng cho mô hình này.", code="foreign_criterion"
        )
    if expected - given:
        raise ValidationError("Vui lòng tự đánh giá đủ từng tiêu chí (đạt / chưa đạt).", code="missing_criterion")


# --- Yearly review (Mẫu 4) ---------------------------------------------------------------------------------------


def review_save(
    *,
    registration: Registration,
    year: Year,
    reviewer,
    results: str,
    proposal: str,
    note: str = "",
    assessments: Mapping[int, bool],
) -> YearlyReview:
    """Create or replace the review of ``registration`` for ``year`` with one assessment per criterion
    (``assessments``: criterion pk → met)."""
    refusal = review_refusal(registration, year)
    if refusal:
        raise ValidationError(refusal, code="not_due")
    if proposal not in Proposal.values:
        raise ValidationError("Đề xuất không hợp lệ.", code="bad_proposal")
    results = normalize_vi(results).strip()
    if not results:
        raise ValidationError({"results": "Vui lòng ghi kết quả, sản phẩm đạt được."})
    criteria = criteria_for(registration, year)
    _check_assessments(criteria, assessments)
    with transaction.atomic():
        # Lock the registration so that two editors saving at once write one review, not a unique-key error, and
        # re-check its status: it may have been returned to draft or stopped since the form was shown.
        refusal = review_refusal(_locked(registration), year)
        if refusal:
            raise ValidationError(refusal, code="not_due")
        review, _created = YearlyReview.objects.update_or_create(
            registration=registration,
            year=year,
            defaults={
                "results": results,
                "proposal": proposal,
                "note": normalize_vi(note).strip()[:255],
                "reviewed_by": reviewer,
            },
        )
        review.assessments.all().delete()
        ReviewAssessment.objects.bulk_create(
            ReviewAssessment(review=review, criterion=c, met=bool(assessments[c.pk])) for c in criteria
        )
    return review


def reviews_with_met(queryset: QuerySet | None = None) -> QuerySet:
    """Yearly reviews annotated with ``met_count`` and ``criteria_count`` (assessment rows)."""
    queryset = YearlyReview.objects.all() if queryset is None else queryset
    return queryset.annotate(
        met_count=Count("assessments", filter=Q(assessments__met=True)), criteria_count=Count("assessments")
    )


def review_rows(registrations: Iterable[Registration], *, year: Year) -> list[dict]:
    """One row per model with its review of ``year`` (or ``None``) and criteria met "k/n"; two queries."""
    registrations = list(registrations)
    reviews = {
        r.registration_id: r
        for r in reviews_with_met(YearlyReview.objects.filter(year=year, registration__in=registrations))
    }
    totals = Counter(c.group for c in Criterion.for_year(year))
    rows = []
    for stt, reg in enumerate(registrations, start=1):
        review = reviews.get(reg.pk)
        rows.append(
            {
                "stt": stt,
                "registration": reg,
                "review": review,
                "met": review.met_count if review else None,
                "criteria_total": totals.get(reg.criteria_group, 0),
                "is_new": reg.year_id == year.pk,
            }
        )
    return rows


def review_counts(registrations: Iterable[Registration], *, year: Year) -> dict:
    """The numbers of Mẫu 4 section II.1: total, collective / individual, per lĩnh vực (every field, in order),
    new this year / continued from earlier years."""
    registrations = list(registrations)
    by_field = Counter(reg.field_id for reg in registrations)
    collective = sum(1 for reg in registrations if reg.is_collective)
    new = sum(1 for reg in registrations if reg.year.year == year.year)
    return {
        "total": len(registrations),
        "collective": collective,
        "individual": len(registrations) - collective,
        "new": new,
        "continued": len(registrations) - new,
        "by_field": [{"name": f.name, "count": by_field.get(f.pk, 0)} for f in Field.objects.order_by("order", "name")],
    }


def unit_report_save(*, unit: Unit, year: Year, data: Mapping[str, str]) -> UnitReviewReport:
    """Create or update the narrative sections of ``unit``'s Mẫu 4 for ``year``."""
    fields = ("leadership", "outstanding", "limitations", "directions")
    defaults = {name: normalize_vi(data.get(name, "")).strip() for name in fields}
    with transaction.atomic():
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        report, _created = UnitReviewReport.objects.update_or_create(unit=unit, year=year, defaults=defaults)
    return report


# --- Owner's reports (Mẫu 5, Mẫu 6) ------------------------------------------------------------------------------


def owner_report_refusal(reg: Registration, kind: str) -> str:
    """Why the owner's report ``kind`` cannot be written for ``reg`` now, or '' when it can."""
    allowed = OWNER_REPORT_STATUSES.get(kind)
    if allowed is None:
        return "Loại báo cáo không hợp lệ."
    if reg.status in allowed:
        return ""
    if kind == OwnerReportKind.RESULTS:
        return (
            "Chỉ lập Báo cáo kết quả thực hiện (Mẫu 5) cho mô hình đang thực hiện; "
            f"mô hình này đang ở trạng thái “{reg.get_status_display()}”."
        )
    return (
        "Chỉ lập Báo cáo thành tích điển hình (Mẫu 6) cho mô hình đã được xác nhận; "
        f"mô hình này đang ở trạng thái “{reg.get_status_display()}”."
    )


def owner_report_save(
    *,
    registration: Registration,
    kind: str,
    year: Year,
    author,
    data: Mapping[str, str],
    assessments: Mapping[int, tuple[bool, str]],
) -> OwnerReport:
    """Create or replace the owner's report ``kind`` of ``registration`` for ``year`` with one self-assessment per
    criterion (``assessments``: criterion pk → (met, note))."""
    refusal = owner_report_refusal(registration, kind)
    if refusal:
        raise ValidationError(refusal, code="not_allowed")
    texts = {name: normalize_vi(data.get(name, "")).strip() for name in ("summary", "results", "lessons", "proposal")}
    if not texts["results"]:
        raise ValidationError({"results": "Vui lòng ghi kết quả thực hiện, thành tích đạt được."})
    criteria = criteria_for(registration)  # the paper prints the names of the registration's year
    _check_assessments(criteria, assessments)
    with transaction.atomic():
        # Same as review_save: the status read before the lock may be stale.
        refusal = owner_report_refusal(_locked(registration), kind)
        if refusal:
            raise ValidationError(refusal, code="not_allowed")
        report, created = OwnerReport.objects.update_or_create(
            registration=registration, year=year, kind=kind, defaults=texts
        )
        if created:
            report.created_by = author
            report.save(update_fields=["created_by"])
        report.assessments.all().delete()
        OwnerReportAssessment.objects.bulk_create(
            OwnerReportAssessment(
                report=report,
                criterion=c,
                met=bool(assessments[c.pk][0]),
                note=normalize_vi(assessments[c.pk][1] or "").strip()[:500],
            )
            for c in criteria
        )
    return report
