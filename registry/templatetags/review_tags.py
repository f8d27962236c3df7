"""The review panel of the registration page: the model's yearly reviews and owner's reports, with what this user
may do now (review this year, write Mẫu 5 or Mẫu 6) and the PDFs of the reports that exist."""

from django import template
from django.template.loader import render_to_string

from registry import permissions, reviews
from registry.models import OwnerReportKind
from registry.papers.reviews import assessment_line
from registry.years import current_year

register = template.Library()


_UNSET = object()


def panel_context(user, registration, year=_UNSET) -> dict:
    """What the panel shows for ``registration`` and ``user``: reviews by year, reports, and the allowed actions.
    ``year``: the open year (``current_year()``), when the caller has it already."""
    if year is _UNSET:
        year = current_year()
    # The registration page reads whether there are any with the entry (``has_reviews``, ``has_owner_reports``).
    review_list, report_list = [], []
    if getattr(registration, "has_reviews", True):
        review_list = list(
            reviews.reviews_with_met(registration.reviews.select_related("year")).order_by("-year__year")
        )
    can_review = permissions.can_review(user, registration)
    if getattr(registration, "has_owner_reports", True):
        report_list = list(registration.owner_reports.select_related("year").order_by("-year__year", "kind"))
    for review in review_list:
        review.assessment = assessment_line(review.met_count, review.criteria_count)
    for report in report_list:
        report.slug = reviews.SLUG_OF_OWNER_REPORT[report.kind]
        report.number = reviews.OWNER_REPORT_NUMBERS[report.kind]
    actions = []
    if can_review and year is not None:
        if reviews.is_due(registration, year):
            actions.append({"kind": "review", "label": f"Rà soát năm {year.year}", "year": year.year})
        for kind in (OwnerReportKind.RESULTS, OwnerReportKind.ACHIEVEMENTS):
            if not reviews.owner_report_refusal(registration, kind):
                number = reviews.OWNER_REPORT_NUMBERS[kind]
                actions.append(
                    {"kind": "report", "label": f"Báo cáo {number}", "slug": reviews.SLUG_OF_OWNER_REPORT[kind]}
                )
    return {
        "registration": registration,
        "reviews": review_list,
        "reports": report_list,
        "actions": actions,
        "shows": bool(review_list or report_list or actions),
    }


@register.simple_tag(takes_context=True)
def review_panel(context, registration, open_year=_UNSET):
    request = context.get("request")
    if request is None:
        return ""
    return render_to_string(
        "registry/partials/_review_panel.html", panel_context(request.user, registration, open_year), request=request
    )
