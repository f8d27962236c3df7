"""The appraisal panel of the registration page: ``{% appraisal_panel registration %}`` (load ``appraisal_tags``).

For an appraiser of the Khối: a "Chấm điểm thẩm định" link while the entry is proposed to the Khối, their own
appraisal, the others' appraisals only once their own is submitted (or the appraisal is finished), and the mean and
rank once appraised. For the other users with a role at the Khối (viewers, approvers): the mean and rank once
appraised. Nothing for anyone else, nor for an entry that never reached the Khối.
"""

from django import template
from django.template.loader import render_to_string

from registry import appraisals, permissions
from registry.models import Registration, Status
from registry.terms import terms

register = template.Library()

PANEL_STATUSES = frozenset({Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI, Status.EXEMPLAR_BASE})


def _ranked(user, reg: Registration, khoi):
    """The entry's line of its year's ranking (mean, rank), or None."""
    year = appraisals.with_proposal(Registration.objects.filter(pk=reg.pk)).values_list("proposal_year", flat=True)
    year = year.first()
    if year is None:
        return None
    # The lines (two narrow queries), not the full ranking with every score: the panel shows mean, rank and count.
    return next((e for e in appraisals.ranking_lines(user, year, khois=[khoi]) if e.registration.pk == reg.pk), None)


@register.simple_tag(takes_context=True)
def appraisal_panel(context, registration, submitted_ids=None):
    """``submitted_ids``: what ``permissions.submitted_by`` gives for the user, when the page knows it."""
    user = context["request"].user if "request" in context else context.get("user")
    if user is None or not user.is_authenticated or registration.status not in PANEL_STATUSES:
        return ""
    khoi = registration.khoi
    is_appraiser = permissions.can_appraise(user, registration)
    in_khoi = is_appraiser or any(k.pk == khoi.pk for k in appraisals.khoi_roots_of(user))
    if not in_khoi:
        return ""
    submitted = appraisals.submitted_appraisals(registration)
    if registration.status == Status.EXEMPLAR_BASE and not submitted:
        return ""
    own = None
    if is_appraiser:
        # A submitted appraisal of the user's own is among those just read (with its scores): no second read.
        own = next((a for a in submitted if a.appraiser_id == user.pk), None) or appraisals.appraisal_of(
            registration, user
        )
    visible = appraisals.others_visible(registration, user, own)
    finished = registration.status != Status.PROPOSED_KHOI
    entry = _ranked(user, registration, khoi) if finished and submitted else None
    if not is_appraiser and entry is None:
        return ""
    return render_to_string(
        "registry/partials/_appraisal_panel.html",
        {
            "names": terms(registration.year),
            "registration": registration,
            "is_appraiser": is_appraiser,
            "can_score": appraisals.can_score(user, registration, own, submitted_ids) if is_appraiser else False,
            "own": own,
            "others_visible": visible,
            "others": [a for a in submitted if a.appraiser_id != user.pk] if visible else [],
            "submitted_count": len(submitted),
            "entry": entry,
        },
    )
