"""Proposals of grassroots exemplars to the Khối (the Mẫu 6b list, guidance §II.4.2.1).

An approver of a grassroots organisation (đảng bộ or chi bộ cơ sở) picks its grassroots exemplars, saves the list as
a draft, then sends it: in ONE transaction every entry moves to "proposed to the Khối" through
``workflow.apply(..., via="proposal")``. A refusal rolls everything back. The list itself is then issued as a paper
(``registry.documents``), dated the day it was sent.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from registry import appraisals, permissions, workflow
from registry.meetings import grassroots_entries
from registry.models import KhoiProposal, KhoiProposalEntry, Registration, Role, Status, Unit, Year
from registry.models.units import GRASSROOTS_KINDS
from registry.terms import lazy_text, terms
from registry.text import normalize_vi

MSG_NOT_GRASSROOTS = lazy_text("Chỉ đảng bộ cơ sở, chi bộ cơ sở đề nghị xác nhận điển hình cấp {top_body}.")
MSG_NOT_APPROVER = "Bạn không có quyền lập đề nghị của đơn vị này."
MSG_NO_ENTRIES = "Vui lòng chọn ít nhất một điển hình để đề nghị."
MSG_ALREADY_SENT = lazy_text("Đề nghị này đã được gửi {top_committee}.")


def proposing_units(user):
    """Grassroots organisations where ``user`` is an approver (directly or from above)."""
    return Unit.objects.subtree_of(*permissions.approver_units(user)).filter(kind__in=sorted(GRASSROOTS_KINDS))


def can_propose_for(user, unit: Unit) -> bool:
    return unit.kind in GRASSROOTS_KINDS and permissions.has_role_over(user, unit, Role.APPROVER)


def eligible_exemplars(*, unit: Unit, year: Year, user=None):
    """Grassroots exemplars of ``unit`` (its own grassroots exemplars, registered in ``year`` or before)."""
    qs = Registration.objects.filter(status=Status.EXEMPLAR_BASE, year__year__lte=year.year).filter(
        grassroots_entries(unit)
    )
    if user is not None:
        qs = qs.filter(pk__in=Registration.objects.visible_to(user).values("pk"))
    return qs.select_related("field", "unit", "subject_unit", "subject_person__work_unit").order_by("unit__path", "pk")


def proposal_create(
    *, actor, unit: Unit, year: Year, registrations: list[Registration], note: str = ""
) -> KhoiProposal:
    """A draft proposal of ``unit`` listing ``registrations``; every one must be a grassroots exemplar of ``unit``."""
    if unit.kind not in GRASSROOTS_KINDS:
        raise ValidationError({"unit": MSG_NOT_GRASSROOTS}, code="not_grassroots")
    if not can_propose_for(actor, unit):
        raise PermissionDenied(MSG_NOT_APPROVER)
    if not registrations:
        raise ValidationError(MSG_NO_ENTRIES, code="no_entries")
    eligible = set(eligible_exemplars(unit=unit, year=year, user=actor).values_list("pk", flat=True))
    for reg in registrations:
        if reg.pk not in eligible:
            raise ValidationError(
                f"“{reg.title}” không phải điển hình cấp cơ sở của đơn vị này, không thể đề nghị.", code="not_eligible"
            )
    with transaction.atomic():
        proposal = KhoiProposal.objects.create(unit=unit, year=year, note=normalize_vi(note), created_by=actor)
        KhoiProposalEntry.objects.bulk_create(
            KhoiProposalEntry(proposal=proposal, registration=reg) for reg in registrations
        )
        # An entry already appraised in an earlier year now ranks under this proposal's year.
        appraisals.refresh_ranking(reg.pk for reg in registrations)
    return proposal


def proposal_send(proposal: KhoiProposal, *, actor):
    """Send the proposal to the Khối: apply "propose_khoi" to each entry and set ``sent_at``. The list (Mẫu 6b) is
    then issued as a paper of its own (``registry.documents``), dated the day it was sent.

    All or nothing: raises ``ValidationError`` (an entry no longer a grassroots exemplar, a second sending) or
    ``PermissionDenied``, and then nothing was changed.
    """
    with transaction.atomic():
        # of=("self",): lock the proposal only, not its unit and year, which other proposals share.
        locked = KhoiProposal.objects.select_for_update(of=("self",)).select_related("unit", "year").get(pk=proposal.pk)
        if locked.sent_at is not None:
            raise ValidationError(MSG_ALREADY_SENT, code="already_sent")
        if not can_propose_for(actor, locked.unit):
            raise PermissionDenied(MSG_NOT_APPROVER)
        entries = list(locked.entries.select_related("registration").order_by("pk"))
        if not entries:
            raise ValidationError(MSG_NO_ENTRIES, code="no_entries")
        reason = f"Danh sách đề nghị xác nhận điển hình cấp {terms(locked.year).top_body} năm {locked.year.year}"
        # In registration id order, as meetings do, so that two proposals never lock entries crosswise.
        for entry in sorted(entries, key=lambda e: e.registration_id):
            workflow.apply(entry.registration, "propose_khoi", actor=actor, reason=reason, via="proposal")
        locked.sent_at = timezone.now()
        locked.save(update_fields=["sent_at", "updated_at"])
        appraisals.refresh_ranking(entry.registration_id for entry in entries)
    return locked


def proposals_visible_to(user):
    """Proposals of units in the user's scope (the Khối sees every one), and those listing an entry the user sees."""
    from django.db.models import Q

    scope = Unit.objects.scope_of(user)
    visible = Registration.objects.visible_to(user)
    return KhoiProposal.objects.filter(Q(unit__in=scope) | Q(entries__registration__in=visible)).distinct()
