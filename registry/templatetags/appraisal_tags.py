"""The appraisal panel of the registration page: ``{% appraisal_panel registration %}`` (load ``appraisal_tags``).

For an appraiser of the Khối: a "Chấm điểm thẩm định" link while the entry is proposed to the Khối, their own
appraisal, the others' appraisals only once their own is submitted (or the appraisal is finished), and the mean and
rank once appraised. For the other users with a role at the Khối (viewers, approvers): the mean and rank once
appraised. Nothing for anyone else, nor for an entry that never reached the Khối.
"""

from django import template
from django.template.loader import render_to_string

from registry import appraisals, permissions
from registry.models import Status
from registry.terms import terms

register = template.Library()

PANEL_STATUSES = frozenset({Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI, Status.EXEMPLAR_BASE})


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
    finished = registration.status != Status.PROPOSED_KHOI
    # The submitted appraisals and the user's own (a draft too) in one read, without their scores (the panel shows
    # each one's totals only), and once the appraisal is finished the entry's mean and rank on the same rows.
    read, entry = appraisals.panel_appraisals(registration, user, with_line=finished)
    submitted = [a for a in read if a.submitted_at is not None]
    if registration.status == Status.EXEMPLAR_BASE and not submitted:
        return ""
    own = next((a for a in read if a.appraiser_id == user.pk), None) if is_appraiser else None
    visible = appraisals.others_visible(registration, user, own)
    entry = entry if submitted else None
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
