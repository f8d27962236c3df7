"""Confirmation meetings (Mẫu 5a/5b, 6a/6b, 7b): who may hold one, which entries it may decide, and recording it.

A meeting is created with its entries and votes, then recorded once: in ONE transaction the meeting row is locked,
each entry's result is computed with ``Meeting.passes`` and applied through ``workflow.apply(..., via="meeting")``.
Any refusal (another approver changed an entry meanwhile) rolls the whole recording back: a meeting applies all its
entries or none. The minutes and the decision are then issued as papers of their own (``registry.documents``).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils import timezone

from registry import permissions, workflow
from registry.models import (
    Meeting,
    MeetingEntry,
    PassRule,
    Purpose,
    Registration,
    Role,
    Status,
    Unit,
    UnitKind,
    Year,
)
from registry.models.registrations import within_q
from registry.models.units import GRASSROOTS_KINDS, subtree_q
from registry.terms import lazy_text, terms
from registry.text import format_date, normalize_vi

# What each purpose decides: the status an entry must have, the action applied when it passes and when it fails
# (None: the entry stays where it was, only its result is recorded), and the documents' form codes.
ENTRY_STATUS = {
    Purpose.CONFIRM_MODEL: Status.ACTIVE,
    Purpose.CONFIRM_EXEMPLAR_BASE: Status.CONFIRMED,
    Purpose.CONFIRM_EXEMPLAR_KHOI: Status.APPRAISED,
}
ACTION_PASSED = {
    Purpose.CONFIRM_MODEL: "confirm",
    Purpose.CONFIRM_EXEMPLAR_BASE: "confirm_exemplar_base",
    Purpose.CONFIRM_EXEMPLAR_KHOI: "confirm_exemplar_khoi",
}
ACTION_FAILED = {
    Purpose.CONFIRM_MODEL: None,
    Purpose.CONFIRM_EXEMPLAR_BASE: None,
    Purpose.CONFIRM_EXEMPLAR_KHOI: "not_chosen",
}

MSG_ALREADY_RECORDED = "Cuộc họp này đã được ghi kết quả."
MSG_NOT_APPROVER = "Bạn không có quyền xét, xác nhận tại đơn vị này."
MSG_NOT_KHOI = lazy_text("Chỉ {standing_committee} xét, xác nhận điển hình cấp {top_body}.")
MSG_NO_ENTRIES = "Vui lòng chọn ít nhất một mô hình để xét."


def default_body(unit: Unit) -> str:
    """The body that decides at ``unit`` (guidance §II.4.1.2): its standing committee, else its executive
    committee; the chi bộ's committee; an agency's leadership; the Khối's standing committee."""
    if unit.kind == UnitKind.KHOI:
        return terms().standing_committee
    if unit.kind in (UnitKind.CHI_BO, UnitKind.CHI_BO_CO_SO):
        return "Tập thể cấp ủy chi bộ"
    if unit.kind == UnitKind.DANG_BO_CO_SO:
        return "Ban Thường vụ Đảng ủy" if unit.has_standing_committee else "Ban Chấp hành Đảng bộ"
    return "Tập thể lãnh đạo cơ quan"


def deciding_units(user):
    """Units where ``user`` may hold a meeting: every unit at or below one where they are an approver."""
    return Unit.objects.subtree_of(*permissions.approver_units(user))


def can_hold_meeting(user, unit: Unit) -> bool:
    return permissions.has_role_over(user, unit, Role.APPROVER)


def _below_grassroots_of(unit: Unit) -> Q:
    """Registrations whose grassroots organisation (``permissions.grassroots_unit_of``) is ``unit``: under it and
    not under a grassroots organisation further down; for the Khối, those with no grassroots organisation above."""
    nested = Unit.objects.filter(path__startswith=unit.path, kind__in=sorted(GRASSROOTS_KINDS)).exclude(pk=unit.pk)
    q = Q(unit__path__startswith=unit.path)
    for path in nested.values_list("path", flat=True):
        q &= ~Q(unit__path__startswith=path)
    return q


def grassroots_entries(unit: Unit) -> Q:
    """The filter for entries whose grassroots unit is ``unit``; nothing when ``unit`` can never be one."""
    if unit.kind not in GRASSROOTS_KINDS and unit.kind != UnitKind.KHOI:
        return Q(pk__in=[])
    return _below_grassroots_of(unit)


def _within_reach(*, unit: Unit, purpose: str, year: Year):
    """Registrations a meeting of ``unit`` for ``purpose`` in ``year`` may decide, whatever their status now:
    registered that year or before, with ``unit`` (confirm_model), under it as their grassroots organisation
    (confirm_exemplar_base), or anywhere under the Khối root (confirm_exemplar_khoi)."""
    qs = Registration.objects.filter(year__year__lte=year.year)
    if purpose == Purpose.CONFIRM_MODEL:
        return qs.filter(receiving_unit=unit)
    if purpose == Purpose.CONFIRM_EXEMPLAR_BASE:
        return qs.filter(grassroots_entries(unit))
    if unit.kind == UnitKind.KHOI:
        return qs.filter(unit__path__startswith=unit.path)
    return qs.none()


def eligible_registrations(*, unit: Unit, purpose: str, year: Year, user=None):
    """Entries a meeting of ``unit`` for ``purpose`` in ``year`` may decide, registered that year or before.

    - confirm_model: ACTIVE models registered with ``unit`` (only its body may decide them);
    - confirm_exemplar_base: CONFIRMED models whose grassroots organisation is ``unit``;
    - confirm_exemplar_khoi: APPRAISED entries, and only when ``unit`` is the Khối root.
    With ``user``, limited to what the user sees.
    """
    qs = _within_reach(unit=unit, purpose=purpose, year=year).filter(status=ENTRY_STATUS[purpose])
    if user is not None:
        qs = qs.filter(pk__in=Registration.objects.visible_to(user).values("pk"))
    return qs.select_related("field", "unit", "subject_unit", "subject_person__work_unit").order_by("unit__path", "pk")


@dataclass
class WaitingGroup:
    """Entries waiting for one purpose's decision whose deciding body is ``unit``'s: one meeting to hold."""

    unit: Unit
    purpose: str
    count: int

    @property
    def purpose_label(self) -> str:
        return Purpose(self.purpose).label

    @property
    def body(self) -> str:
        return default_body(self.unit)


# The meeting page lists at most this many deciding units; the rest are reached by choosing the unit.
GROUP_LIMIT = 30


def deciding_unit_of(reg: Registration, purpose: str) -> Unit:
    """The unit whose body may decide ``reg`` for ``purpose``: the receiving unit confirms a model (§II.4.1.1), the
    grassroots organisation confirms a grassroots exemplar (§II.4.2.1), the Khối its own exemplars."""
    if purpose == Purpose.CONFIRM_MODEL:
        return reg.receiving_unit
    if purpose == Purpose.CONFIRM_EXEMPLAR_BASE:
        return permissions.grassroots_unit_of(reg)
    return reg.khoi


def waiting_groups(user, year: Year) -> list[WaitingGroup]:
    """What waits for a confirmation meeting in ``user``'s reach, by deciding unit and purpose, most entries first:
    the entries ``eligible_registrations`` would list for a meeting of that unit. Three grouped counts; the units
    are read in one more query.

    A grassroots organisation always sits right under its Khối (``unit_tree.PARENT_KINDS``), so the grassroots
    organisation of an entry is the unit of the first two path steps when it is one, else the Khối."""
    units = permissions.approver_units(user)
    receive_q = subtree_q(units, "receiving_unit__path")
    if receive_q is None:
        return []
    base = Registration.objects.visible_to(user).filter(year__year__lte=year.year).order_by()
    counts: dict[tuple[str, str], int] = {}  # (deciding unit path, purpose) → entries
    rows = (
        base.filter(receive_q, status=ENTRY_STATUS[Purpose.CONFIRM_MODEL])
        .values("receiving_unit__path")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        counts[(row["receiving_unit__path"], Purpose.CONFIRM_MODEL)] = row["n"]
    exemplar_q = within_q(u for u in units if u.kind in GRASSROOTS_KINDS or u.kind == UnitKind.KHOI)
    prefixes: dict[str, int] = {}
    if exemplar_q is not None:
        rows = (
            base.filter(exemplar_q, status=ENTRY_STATUS[Purpose.CONFIRM_EXEMPLAR_BASE])
            .annotate(prefix=Substr("unit__path", 1, 2 * Unit.steplen))
            .values("prefix")
            .annotate(n=Count("pk"))
        )
        prefixes = {row["prefix"]: row["n"] for row in rows}
    roots = [u for u in units if u.depth == 1]
    if roots:
        rows = (
            base.filter(within_q(roots), status=ENTRY_STATUS[Purpose.CONFIRM_EXEMPLAR_KHOI])
            .values("unit__path")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            key = (row["unit__path"][: Unit.steplen], Purpose.CONFIRM_EXEMPLAR_KHOI)
            counts[key] = counts.get(key, 0) + row["n"]
    khoi_paths = {prefix[: Unit.steplen] for prefix in prefixes}
    paths = {path for path, _purpose in counts} | set(prefixes) | khoi_paths
    by_path = {unit.path: unit for unit in Unit.objects.filter(path__in=paths)}
    for prefix, n in prefixes.items():
        unit = by_path.get(prefix)
        path = prefix if unit is not None and unit.kind in GRASSROOTS_KINDS else prefix[: Unit.steplen]
        key = (path, Purpose.CONFIRM_EXEMPLAR_BASE)
        counts[key] = counts.get(key, 0) + n
    order = {purpose: i for i, purpose in enumerate(ENTRY_STATUS)}
    groups = [
        WaitingGroup(by_path[path], purpose, n)
        for (path, purpose), n in counts.items()
        if path in by_path and can_hold_meeting(user, by_path[path])
    ]
    groups.sort(key=lambda g: (order[g.purpose], -g.count, g.unit.path))
    return groups[:GROUP_LIMIT]


def decided_elsewhere(user, *, unit: Unit, purpose: str, year: Year, limit: int = 3) -> tuple[int, list]:
    """Entries under ``unit`` waiting for ``purpose``'s decision that a meeting of ``unit`` may not decide, because
    another unit's body decides them: (how many, the first ``limit`` as (registration, deciding unit)). Choosing
    the Đảng bộ for a model registered with one of its chi bộ is the usual case; the meeting page says which unit's
    meeting can decide it instead of leaving it out silently."""
    if purpose == Purpose.CONFIRM_EXEMPLAR_KHOI:
        return 0, []  # only the Khối decides these, and choosing another unit is refused with MSG_NOT_KHOI
    reach = _within_reach(unit=unit, purpose=purpose, year=year).values("pk")
    qs = (
        Registration.objects.visible_to(user)
        .within(unit)
        .filter(status=ENTRY_STATUS[purpose], year__year__lte=year.year)
        .exclude(pk__in=reach)
        .select_related("unit", "receiving_unit", "khoi")
        .order_by("unit__path", "pk")
    )
    first = list(qs[: limit + 1])
    count = len(first) if len(first) <= limit else qs.count()
    return count, [(reg, deciding_unit_of(reg, purpose)) for reg in first[:limit]]


def elsewhere_message(unit: Unit, count: int, found: list) -> str:
    """The Vietnamese sentence shown beside the unit field for ``decided_elsewhere``."""
    names = "; ".join(f"“{reg.title}” do {deciding.name} xét" for reg, deciding in found)
    more = f" và {count - len(found)} mô hình khác" if count > len(found) else ""
    targets = sorted({deciding.name for _reg, deciding in found})
    choose = " hoặc ".join(f"“{name}”" for name in targets)
    return (
        f"Cuộc họp của {unit.name} không xét được {count} mô hình đang chờ trong đơn vị này: {names}{more}. "
        f"Hãy chọn đơn vị xét {choose}."
    )


def check_unit_for_purpose(unit: Unit, purpose: str) -> None:
    if purpose == Purpose.CONFIRM_EXEMPLAR_KHOI and unit.kind != UnitKind.KHOI:
        raise ValidationError({"unit": MSG_NOT_KHOI}, code="not_khoi")


def check_votes(*, votes_for: int, votes_against: int, members_present: int) -> str | None:
    """The Vietnamese error for impossible votes, or None."""
    if votes_for + votes_against > members_present:
        return (
            f"Tổng số phiếu đồng ý và không đồng ý ({votes_for + votes_against}) "
            f"không được lớn hơn số thành viên có mặt ({members_present})."
        )
    return None


def meeting_create(*, actor, data: dict, entries: list[tuple[Registration, int, int]]) -> Meeting:
    """Create a meeting (not yet recorded) with its entries and votes; re-checks every rule the form checks.

    ``data`` holds the Meeting fields; ``entries`` is a list of (registration, votes for, votes against).
    Raises ``PermissionDenied`` when ``actor`` is not an approver over the unit, ``ValidationError`` otherwise.
    """
    unit, purpose, year = data["unit"], data["purpose"], data["year"]
    if not can_hold_meeting(actor, unit):
        raise PermissionDenied(MSG_NOT_APPROVER)
    check_unit_for_purpose(unit, purpose)
    if not entries:
        raise ValidationError(MSG_NO_ENTRIES, code="no_entries")
    fields = {name: normalize_vi(value) if isinstance(value, str) else value for name, value in data.items()}
    fields["body"] = fields.get("body") or default_body(unit)
    meeting = Meeting(**fields)
    meeting.full_clean(exclude=["recorded_by"])
    eligible = set(
        eligible_registrations(unit=unit, purpose=purpose, year=year, user=actor).values_list("pk", flat=True)
    )
    for reg, votes_for, votes_against in entries:
        if reg.pk not in eligible:
            raise ValidationError(f"Mô hình “{reg.title}” không thuộc diện xét tại cuộc họp này.", code="not_eligible")
        error = check_votes(votes_for=votes_for, votes_against=votes_against, members_present=meeting.members_present)
        if error:
            raise ValidationError(error, code="too_many_votes")
    with transaction.atomic():
        meeting.save()
        MeetingEntry.objects.bulk_create(
            MeetingEntry(meeting=meeting, registration=reg, votes_for=vf, votes_against=va) for reg, vf, va in entries
        )
    return meeting


def vote_base(meeting: Meeting) -> int:
    """The number the votes are counted against, by the meeting's pass rule (as ``Meeting.passes`` does)."""
    return meeting.members_total if meeting.pass_rule == PassRule.MAJORITY_OF_MEMBERS else meeting.members_present


def meeting_record(meeting: Meeting, *, actor) -> Meeting:
    """Record the meeting's results: apply each entry's transition in one transaction. The minutes and the
    decision are then issued as papers of their own (``registry.documents``), each with its number and date.

    All or nothing: raises ``ValidationError`` (``TransitionError`` for an entry changed meanwhile; "Cuộc họp này
    đã được ghi kết quả." for a second recording) or ``PermissionDenied``, and then nothing was changed.
    """
    with transaction.atomic():
        # of=("self",): lock the meeting only, not its unit and year, which every other meeting shares.
        locked = Meeting.objects.select_for_update(of=("self",)).select_related("unit", "year").get(pk=meeting.pk)
        if locked.recorded_at is not None:
            raise ValidationError(MSG_ALREADY_RECORDED, code="already_recorded")
        if not can_hold_meeting(actor, locked.unit):
            raise PermissionDenied(MSG_NOT_APPROVER)
        base = vote_base(locked)
        reason = f"Biên bản họp ngày {format_date(locked.held_on)}: {{votes}}/{base} đồng ý"
        entries = list(locked.entries.select_related("registration").order_by("pk"))
        # The body may decide only what was registered with it (guidance §II.4.1.1), whoever added the entry. Its
        # status is not read here but by workflow.apply under the row lock: read here, another meeting's recording
        # committed between this read and the entries' could make a decided entry look "registered elsewhere".
        reachable = set(
            _within_reach(unit=locked.unit, purpose=locked.purpose, year=locked.year)
            .filter(pk__in=[entry.registration_id for entry in entries])
            .values_list("pk", flat=True)
        )
        for entry in entries:
            if entry.registration_id not in reachable:
                raise ValidationError(
                    f"Mô hình “{entry.registration.title}” không thuộc diện xét tại cuộc họp này.",
                    code="not_eligible",
                )
        # Registrations are locked in id order, whatever the order they were listed in: two meetings listing
        # the same entries in opposite orders then wait for each other instead of deadlocking.
        for entry in sorted(entries, key=lambda e: e.registration_id):
            entry.passed = locked.passes(entry.votes_for)
            action = ACTION_PASSED[locked.purpose] if entry.passed else ACTION_FAILED[locked.purpose]
            if action is not None:
                workflow.apply(
                    entry.registration,
                    action,
                    actor=actor,
                    reason=reason.format(votes=entry.votes_for),
                    via="meeting",
                )
        MeetingEntry.objects.bulk_update(entries, ["passed"])
        locked.recorded_at = timezone.now()
        locked.recorded_by = actor
        locked.save(update_fields=["recorded_at", "recorded_by", "updated_at"])
    return locked


def meetings_visible_to(user):
    """Meetings of units in the user's scope, and meetings that decided an entry the user sees."""
    scope = Unit.objects.scope_of(user)
    visible = Registration.objects.visible_to(user)
    return Meeting.objects.filter(Q(unit__in=scope) | Q(entries__registration__in=visible)).distinct()
