"""The meeting panel of the registration page: ``{% load meeting_tags %}`` then ``{% meeting_panel registration %}``.

It lists the meetings that considered the entry (votes, result, minutes and decision) and the proposals to the Khối
that listed it, and offers an approver the next collective step the entry waits for: a link to prepare the meeting
(unit and purpose preselected) or the proposal to the Khối.
"""

from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from registry import meetings, permissions, proposals
from registry.models import Purpose, Registration, Status, Year

register = template.Library()


def _current_year(reg: Registration) -> int:
    today = timezone.localdate().year
    return today if Year.objects.filter(year=today).exists() else reg.year.year


def next_step(user, reg: Registration) -> dict | None:
    """What collective step the entry waits for and this user may prepare now: (label, hint, url), or None."""
    year = _current_year(reg)
    if reg.status == Status.ACTIVE and permissions.can_decide_model(user, reg):
        unit, purpose = reg.receiving_unit, Purpose.CONFIRM_MODEL
    elif reg.status == Status.CONFIRMED and permissions.can_decide_exemplar_base(user, reg):
        unit, purpose = permissions.grassroots_unit_of(reg), Purpose.CONFIRM_EXEMPLAR_BASE
    elif reg.status == Status.APPRAISED and permissions.can_decide_khoi(user, reg):
        unit, purpose = reg.unit.khoi(), Purpose.CONFIRM_EXEMPLAR_KHOI
    elif reg.status == Status.EXEMPLAR_BASE and permissions.can_propose_khoi(user, reg):
        unit = permissions.grassroots_unit_of(reg)
        if not proposals.can_propose_for(user, unit):
            return None
        query = urlencode({"unit": unit.pk, "year": year})
        return {
            "label": "Lập danh sách đề nghị lên Khối",
            "hint": f"Điển hình này có thể được {unit.name} đề nghị xác nhận điển hình cấp Đảng bộ Khối.",
            "url": f"{reverse('registry:proposal-create')}?{query}",
        }
    else:
        return None
    if not meetings.can_hold_meeting(user, unit):
        return None
    query = urlencode({"unit": unit.pk, "purpose": purpose.value, "year": year})
    return {
        "label": "Tạo cuộc họp xét",
        "hint": f"{meetings.default_body(unit)} – {unit.name}: {purpose.label[:1].lower()}{purpose.label[1:]}.",
        "url": f"{reverse('registry:meeting-create')}?{query}",
    }


@register.simple_tag(takes_context=True)
def meeting_panel(context, registration):
    """The panel's HTML; empty when there is nothing to show or offer."""
    user = context["request"].user
    entries = list(registration.meeting_entries.select_related("meeting__unit").order_by("meeting__held_on", "pk"))
    rows = []
    for entry in entries:
        meeting = entry.meeting
        base = meetings.vote_base(meeting)
        rows.append({"entry": entry, "meeting": meeting, "base": base})
    sent = list(registration.khoi_proposal_entries.select_related("proposal__unit", "proposal__year").order_by("pk"))
    step = next_step(user, registration)
    if not rows and not sent and step is None:
        return ""
    return render_to_string(
        "registry/partials/_meeting_panel.html",
        {"rows": rows, "proposals": [e.proposal for e in sent], "step": step},
        request=context["request"],
    )
