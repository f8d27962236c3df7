"""The meeting panel of the registration page: ``{% load meeting_tags %}`` then ``{% meeting_panel registration %}``.

It lists the meetings that considered the entry (votes, result, minutes and decision) and the proposals to the Khối
that listed it, and offers an approver the next collective step the entry waits for: a link to prepare the meeting
(unit and purpose preselected) or the proposal to the Khối.
"""

from urllib.parse import urlencode

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

from registry import meetings, permissions, proposals, workflow
from registry.models import Purpose, Registration
from registry.terms import fill, terms
from registry.years import current_year

register = template.Library()

# The workflow action a proposal to the Khối applies (``proposals.proposal_send``).
PROPOSE_ACTION = "propose_khoi"


def _deciding_unit(purpose: str, reg: Registration):
    """The unit whose body decides ``reg`` for ``purpose``: the reverse of ``meetings.eligible_registrations``."""
    if purpose == Purpose.CONFIRM_MODEL:
        return reg.receiving_unit
    if purpose == Purpose.CONFIRM_EXEMPLAR_BASE:
        return permissions.grassroots_unit_of(reg)
    return reg.khoi


def _meeting_purpose(user, reg: Registration) -> str | None:
    """The purpose of the meeting that decides the entry in its present status (``meetings.ENTRY_STATUS``), when the
    user may take that decision (the workflow transition the meeting applies when it passes)."""
    for purpose, status in meetings.ENTRY_STATUS.items():
        transition = workflow.TRANSITIONS[meetings.ACTION_PASSED[purpose]]
        if reg.status == status and reg.status in transition.sources and transition.allowed(user, reg):
            return purpose
    return None


def _proposal_step(user, reg: Registration, year: int) -> dict | None:
    """The proposal to the Khối, when the entry may be proposed (the workflow's ``propose_khoi``) by this user."""
    transition = workflow.TRANSITIONS[PROPOSE_ACTION]
    if reg.status not in transition.sources or not transition.allowed(user, reg):
        return None
    unit = permissions.grassroots_unit_of(reg)
    if not proposals.can_propose_for(user, unit):
        return None
    query = urlencode({"unit": unit.pk, "year": year})
    names = terms(reg.year).placeholders()
    return {
        "label": fill("Lập danh sách đề nghị lên {top_short}", names),
        "hint": f"Điển hình này có thể được {unit.name} đề nghị xác nhận điển hình cấp {names['top_body']}.",
        "url": f"{reverse('registry:proposal-create')}?{query}",
    }


_UNSET = object()


def next_step(user, reg: Registration, open_year=_UNSET) -> dict | None:
    """What collective step the entry waits for and this user may prepare now: (label, hint, url), or None.

    Which status leads to which meeting comes from ``meetings.ENTRY_STATUS`` and who may take it from
    ``workflow.TRANSITIONS``: this tag keeps no table of its own."""
    if open_year is _UNSET:
        open_year = current_year()
    year = (open_year or reg.year).year
    purpose = _meeting_purpose(user, reg)
    if purpose is None:
        return _proposal_step(user, reg, year)
    purpose = Purpose(purpose)
    unit = _deciding_unit(purpose, reg)
    if not meetings.can_hold_meeting(user, unit):
        return None
    query = urlencode({"unit": unit.pk, "purpose": purpose.value, "year": year})
    return {
        "label": "Tạo cuộc họp xét",
        "hint": f"{meetings.default_body(unit)} – {unit.name}: {purpose.label[:1].lower()}{purpose.label[1:]}.",
        "url": f"{reverse('registry:meeting-create')}?{query}",
    }


def meeting_entries(registration) -> list:
    """The meetings that considered ``registration``, in the order they were held."""
    return list(registration.meeting_entries.select_related("meeting__unit").order_by("meeting__held_on", "pk"))


def khoi_entries(registration) -> list:
    """The proposals to the Khối that listed ``registration``."""
    return list(registration.khoi_proposal_entries.select_related("proposal__unit", "proposal__year").order_by("pk"))


@register.simple_tag(takes_context=True)
def meeting_panel(context, registration, entries=None, sent=None, open_year=_UNSET):
    """The panel's HTML; empty when there is nothing to show or offer. The registration page passes the entries it
    has already read (for its documents) and the open year, so that the panel reads nothing again."""
    user = context["request"].user
    entries = meeting_entries(registration) if entries is None else entries
    rows = []
    for entry in entries:
        meeting = entry.meeting
        base = meetings.vote_base(meeting)
        rows.append({"entry": entry, "meeting": meeting, "base": base})
    sent = khoi_entries(registration) if sent is None else sent
    step = next_step(user, registration, open_year)
    if not rows and not sent and step is None:
        return ""
    return render_to_string(
        "registry/partials/_meeting_panel.html",
        {"rows": rows, "proposals": [e.proposal for e in sent], "step": step},
        request=context["request"],
    )
