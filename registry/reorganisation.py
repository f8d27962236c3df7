"""Reorganising the unit tree (issue #14): merging a unit into another, moving a subtree under a new parent and
renaming a body from an effective date. Superusers only (the admin's views check it; this module trusts its caller).

Each operation runs in one transaction: the units concerned are locked (``select_for_update``; on SQLite the
IMMEDIATE transaction), every precondition is checked under the lock, what belongs to the unit follows it, and one
``Reorganisation`` row records who did what, to which units, from which date. A refused operation raises
``ValidationError`` keyed by the form field it is about and changes nothing.

What follows a merged unit into the unit it joins: its registrations (owned, registered as the collective, received:
``unit``, ``subject_unit``, ``receiving_unit``; ``khoi`` through ``save()`` and ``Unit.objects.move``), its
sub-units (with their own subtrees), its accounts' roles, the people who work or are active there, and its open work
(meetings whose results are not recorded, proposals not sent, periodic and Mẫu 4 reports the other unit has no
report of its own for, print jobs still queued). Reviews, appraisals and owners' reports hang on registrations and
follow them. What stays with the merged unit, which is kept inactive: the documents it issued (frozen snapshots and
stored bytes: a reprint is byte-identical and shows the name as issued), the meetings it held and the proposals it
sent (their papers are issued under its name), reminders it was sent and its signing certificate.

Treebeard renumbers paths when a subtree moves: nothing here keeps a path across a move; units are read again.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from registry.models import (
    Document,
    JobStatus,
    KhoiProposal,
    Meeting,
    Membership,
    PeriodicReport,
    Person,
    PrintJob,
    RankingRow,
    Registration,
    Reorganisation,
    ReorganisationKind,
    Unit,
    UnitKind,
    UnitReviewReport,
)
from registry.models.units import GRASSROOTS_KINDS
from registry.receiving import receiving_unit
from registry.terms import terms
from registry.text import format_date, normalize_vi, search_key
from registry.unit_tree import EDITABLE, INTO_OWN_SUBTREE, follow_move, move_error, move_unit, parent_error

# The founding of the Communist Party of Vietnam: no body of the tree was reorganised before it.
EARLIEST = datetime.date(1930, 2, 3)

MERGE_INTO_ITSELF = "Không thể sáp nhập một đơn vị vào chính nó."
MERGE_INTO_OWN_SUBTREE = "Không thể sáp nhập một đơn vị vào đơn vị cấp dưới của chính nó."
MERGE_INACTIVE = "Đơn vị nhận sáp nhập đã ngừng hoạt động; hãy chọn một đơn vị đang hoạt động."
ALREADY_MERGED = "Đơn vị này đã ngừng hoạt động (đã sáp nhập hoặc giải thể): không tổ chức lại được nữa."
ALREADY_THERE = "Đơn vị đã là đơn vị con của đơn vị này; hãy chọn đơn vị cấp trên mới."
NAME_REQUIRED = "Vui lòng nhập tên mới của đơn vị."
NAME_UNCHANGED = "Tên mới trùng với tên hiện tại: không có gì để đổi."
DATE_REQUIRED = "Vui lòng nhập ngày hiệu lực (ngày/tháng/năm)."
DATE_IN_FUTURE = "Ngày hiệu lực không được sau hôm nay: chỉ ghi việc tổ chức lại đã có hiệu lực."
DATE_TOO_EARLY = "Ngày hiệu lực không được trước ngày thành lập Đảng (03/02/1930)."

# Which kinds may merge into which: the same kind, and a grassroots party organisation into a đảng bộ cơ sở (a chi bộ
# cơ sở joining a đảng bộ). A Khối merges only into a Khối, which is how a provincial Đảng bộ Khối is ended.
MERGE_KINDS = {
    kind: frozenset({kind} | ({UnitKind.DANG_BO_CO_SO} if kind in GRASSROOTS_KINDS else set()))
    for kind in UnitKind.values
}


@dataclass(frozen=True)
class Effect:
    """What an operation moves, as the confirmation page lists it: (label, count) in order, and what stays."""

    moves: list[tuple[str, int]]
    stays: list[tuple[str, int]]

    def as_summary(self) -> dict:
        return {label: count for label, count in self.moves if count}


# --- Checks -------------------------------------------------------------------------------------------------------


def date_error(effective_on: datetime.date | None, units, *, today: datetime.date | None = None) -> str | None:
    """Why ``effective_on`` cannot be the effective date of a reorganisation of ``units``, or None.

    Not after today (what is recorded has taken effect: the unit's data changes now), not before 1930, and not before
    the effective date of a reorganisation already recorded for one of the units: the history reads in date order,
    which is what ``Unit.named_on`` relies on.
    """
    if effective_on is None:
        return DATE_REQUIRED
    today = today or timezone.localdate()
    if effective_on > today:
        return DATE_IN_FUTURE
    if effective_on < EARLIEST:
        return DATE_TOO_EARLY
    latest = (
        Reorganisation.objects.filter(Q(unit__in=units) | Q(into__in=units))
        .order_by("-effective_on", "-pk")
        .select_related("unit")
        .first()
    )
    if latest is not None and effective_on < latest.effective_on:
        return (
            f"Ngày hiệu lực không được trước ngày {format_date(latest.effective_on)}, ngày hiệu lực của lần tổ chức "
            f"lại trước ({latest.get_kind_display().lower()}: “{latest.old_name}”)."
        )
    return None


def merge_errors(source: Unit, target: Unit | None) -> dict[str, str]:
    """Why ``source`` cannot merge into ``target``, by form field ("target"), or an empty dict."""
    if target is None:
        return {"target": "Vui lòng chọn đơn vị nhận sáp nhập."}
    if not source.is_active:
        return {"target": ALREADY_MERGED}
    if source.pk == target.pk:
        return {"target": MERGE_INTO_ITSELF}
    if target.is_within(source):
        return {"target": MERGE_INTO_OWN_SUBTREE}
    if not target.is_active:
        return {"target": MERGE_INACTIVE}
    if target.kind not in MERGE_KINDS[source.kind]:
        return {
            "target": (
                f"Không sáp nhập được {UnitKind(source.kind).label.lower()} “{source}” vào "
                f"{UnitKind(target.kind).label.lower()} “{target}”: hai loại đơn vị không tương ứng. "
                "Chỉ sáp nhập đơn vị cùng loại (chi bộ cơ sở có thể sáp nhập vào đảng bộ cơ sở)."
            )
        }
    for child in Unit.objects.get_children(source):
        if problem := parent_error(child.kind, target):
            return {"target": f"Đơn vị cấp dưới “{child}” không đặt được dưới “{target}”: {problem}"}
    if stranded := _stranded_receivers(source, target):
        names = ", ".join(f"“{unit}”" for unit in stranded[:3])
        return {
            "target": (
                f"Không sáp nhập được: hồ sơ của “{source}” đã gửi tới {names}, đơn vị này không phải cấp trên của "
                f"“{target}”. Hãy xử lý các hồ sơ đó trước."
            )
        }
    return {}


def _stranded_receivers(source: Unit, target: Unit) -> list[Unit]:
    """Receiving units outside ``source``'s subtree that would no longer be above the registrations that move with
    it once its own receipts pass to ``target``: drafts and returned entries are registered again, the others would
    be stranded. The receiving unit ``source`` itself becomes ``target``."""
    sent = (
        Registration.objects.filter(unit__path__startswith=source.path)
        .exclude(receiving_unit__path__startswith=source.path)
        .exclude(status__in=EDITABLE)
        .values("receiving_unit")
    )
    receivers = Unit.objects.filter(pk__in=sent).only("pk", "path", "name").order_by("path")
    return [receiver for receiver in receivers if not target.is_within(receiver)]


def move_errors(unit: Unit, new_parent: Unit | None) -> dict[str, str]:
    """Why ``unit`` (with its subtree) cannot move under ``new_parent``, by form field ("new_parent")."""
    if new_parent is None:
        return {"new_parent": "Vui lòng chọn đơn vị cấp trên mới."}
    if not unit.is_active:
        return {"new_parent": ALREADY_MERGED}
    if new_parent.is_within(unit):
        return {"new_parent": INTO_OWN_SUBTREE}
    if not new_parent.is_active:
        return {"new_parent": "Đơn vị cấp trên mới đã ngừng hoạt động; hãy chọn một đơn vị đang hoạt động."}
    if unit.depth > 1 and Unit.objects.get_parent(unit).pk == new_parent.pk:
        return {"new_parent": ALREADY_THERE}
    if problem := parent_error(unit.kind, new_parent) or move_error(unit, new_parent):
        return {"new_parent": problem}
    return {}


def clean_name(name: str | None) -> str:
    return " ".join(normalize_vi(name or "").split())


def rename_errors(unit: Unit, name: str, print_name: str = "") -> dict[str, str]:
    """Why ``unit`` cannot take ``name`` (already cleaned), by form field ("name"), or an empty dict.

    Two units under the same parent (two roots) may not share a name, whatever the diacritics and capitals: a list
    of the tree would show two identical lines.
    """
    if not unit.is_active:
        return {"name": ALREADY_MERGED}
    if not name:
        return {"name": NAME_REQUIRED}
    if name == unit.name and print_name == unit.print_name:
        return {"name": NAME_UNCHANGED}
    key = search_key(name)
    siblings = (
        Unit.objects.get_root_nodes() if unit.depth == 1 else Unit.objects.get_children(Unit.objects.get_parent(unit))
    )
    for sibling in siblings.exclude(pk=unit.pk).only("pk", "name"):
        if search_key(sibling.name) == key:
            return {"name": f"Đã có đơn vị cùng cấp tên “{sibling.name}”: hãy chọn tên khác."}
    return {}


# --- What moves ---------------------------------------------------------------------------------------------------


def _own_registrations(unit: Unit):
    return Registration.objects.filter(Q(unit=unit) | Q(subject_unit=unit) | Q(receiving_unit=unit))


def _report_split(model, source: Unit, target: Unit, keys: tuple[str, ...]):
    """The source's reports of ``model`` that move (the target has none for the same ``keys``: year, period) and
    those that stay with the source."""
    attnames = [model._meta.get_field(k).attname for k in keys]
    taken = set(model.objects.filter(unit=target).values_list(*keys))
    moving, staying = [], []
    for report in model.objects.filter(unit=source):
        (staying if tuple(getattr(report, a) for a in attnames) in taken else moving).append(report)
    return moving, staying


def merge_effect(source: Unit, target: Unit) -> Effect:
    subtree = Unit.objects.filter(path__startswith=source.path).exclude(pk=source.pk)
    periodic_moving, periodic_staying = _report_split(PeriodicReport, source, target, ("year", "period"))
    review_moving, review_staying = _report_split(UnitReviewReport, source, target, ("year",))
    return Effect(
        moves=[
            ("đơn vị cấp dưới (cùng các đơn vị trực thuộc)", subtree.count()),
            ("hồ sơ đăng ký của đơn vị hoặc do đơn vị tiếp nhận", _own_registrations(source).count()),
            (
                "hồ sơ đăng ký của các đơn vị cấp dưới",
                Registration.objects.filter(unit__in=subtree).exclude(receiving_unit=source).count(),
            ),
            ("vai trò của tài khoản tại đơn vị", Membership.objects.filter(unit=source).count()),
            (
                "cá nhân công tác, sinh hoạt tại đơn vị",
                Person.objects.filter(Q(work_unit=source) | Q(party_cell=source)).count(),
            ),
            ("cuộc họp chưa ghi kết quả", Meeting.objects.filter(unit=source, recorded_at__isnull=True).count()),
            (
                f"đề nghị lên {terms().top_short} chưa gửi",
                KhoiProposal.objects.filter(unit=source, sent_at__isnull=True).count(),
            ),
            ("báo cáo định kỳ", len(periodic_moving)),
            ("báo cáo rà soát (Mẫu 4)", len(review_moving)),
            ("yêu cầu in hàng loạt đang chờ", PrintJob.objects.filter(unit=source, status=JobStatus.QUEUED).count()),
        ],
        stays=[
            (
                "văn bản đã ban hành (giữ nguyên tên như khi ban hành)",
                Document.objects.filter(issuing_unit=source).count(),
            ),
            ("cuộc họp đã ghi kết quả", Meeting.objects.filter(unit=source, recorded_at__isnull=False).count()),
            (
                f"đề nghị lên {terms().top_short} đã gửi",
                KhoiProposal.objects.filter(unit=source, sent_at__isnull=False).count(),
            ),
            (
                "báo cáo định kỳ, báo cáo rà soát trùng kỳ với đơn vị nhận",
                len(periodic_staying) + len(review_staying),
            ),
        ],
    )


def move_effect(unit: Unit) -> Effect:
    subtree = Unit.objects.filter(path__startswith=unit.path)
    return Effect(
        moves=[
            ("đơn vị (kể cả đơn vị được chuyển)", subtree.count()),
            ("hồ sơ đăng ký", Registration.objects.filter(unit__in=subtree).count()),
            ("vai trò của tài khoản", Membership.objects.filter(unit__in=subtree).count()),
            ("cuộc họp chưa ghi kết quả", Meeting.objects.filter(unit__in=subtree, recorded_at__isnull=True).count()),
        ],
        stays=[],
    )


# --- Operations ---------------------------------------------------------------------------------------------------


def _locked(*units: Unit) -> list[Unit]:
    """The units read again under a row lock, in id order (two reorganisations lock in the same order)."""
    rows = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[u.pk for u in units]).order_by("pk")}
    if len(rows) != len({u.pk for u in units}):
        raise ValidationError({"target": "Đơn vị không còn tồn tại; hãy tải lại trang."})
    return [rows[u.pk] for u in units]


def _parent(unit: Unit) -> Unit | None:
    return Unit.objects.get_parent(unit) if unit.depth > 1 else None


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _follow_superior(units, old_name: str, new_name: str) -> None:
    """``units`` (a queryset, read after any move) now stand below a body named ``new_name``: the superior line
    they print above their own name (``header_line``, typed: the superior's name in capitals) follows it when it
    printed ``old_name``. A line typed otherwise (a State superior, "UBND TỈNH …") is left as typed."""
    if not old_name or search_key(old_name) == search_key(new_name):
        return
    for unit in units:
        if unit.header_line and search_key(unit.header_line) == search_key(old_name):
            unit.header_line = new_name.upper()
            unit.save(update_fields=["header_line", "updated_at"])


@transaction.atomic
def merge(source: Unit, target: Unit, *, effective_on: datetime.date, actor, basis: str = "") -> Reorganisation:
    """Merge ``source`` into ``target``: everything listed by ``merge_effect`` follows, ``source`` is kept inactive
    with its history and issued documents."""
    source, target = _locked(source, target)
    errors = merge_errors(source, target)
    if problem := date_error(effective_on, [source, target]):
        errors.setdefault("effective_on", problem)
    _raise(errors)
    effect = merge_effect(source, target)
    old_parent = _parent(source)
    old_name = source.name

    # Receipts first: once the source's registrations name the target, its sub-units may move under the target
    # with every receiving unit still above them (``move_error`` is asked again, under the lock).
    # Locked too: a registration sent at this moment is either moved after it is sent or sent after it moved.
    moved_to_khoi: dict[int, list[int]] = {}
    for reg in _own_registrations(source).select_for_update(of=("self",)).select_related("unit"):
        fields = [f for f in ("unit", "subject_unit", "receiving_unit") if getattr(reg, f"{f}_id") == source.pk]
        for name in fields:
            setattr(reg, name, target)
        if reg.status in EDITABLE and reg.unit_id == target.pk:
            # A draft of the merged unit itself is registered again from its new owner; the drafts of its
            # sub-units are, once they have moved (``follow_move``).
            reg.receiving_unit = receiving_unit(reg.subject_kind, reg.level, reg.unit)
            fields.append("receiving_unit")
        reg.save(update_fields=set(fields))
        moved_to_khoi.setdefault(reg.khoi_id, []).append(reg.pk)
    # The ranking's rows carry the Khối too (``Unit.objects.move`` keeps them for the sub-units that move below).
    for khoi_id, ids in moved_to_khoi.items():
        RankingRow.objects.filter(registration_id__in=ids).exclude(khoi_id=khoi_id).update(khoi_id=khoi_id)

    children = [child.pk for child in Unit.objects.get_children(source)]
    for child in Unit.objects.filter(pk__in=children):
        target.refresh_from_db()
        child.refresh_from_db()
        if problem := parent_error(child.kind, target) or move_error(child, target):
            raise ValidationError({"target": f"Không chuyển được “{child}”: {problem}"})
        Unit.objects.move(child, target, pos="sorted-child")
        child.refresh_from_db()
        follow_move(child)
    _follow_superior(Unit.objects.filter(pk__in=children), old_name, target.name)

    for membership in Membership.objects.filter(unit=source):
        if Membership.objects.filter(user_id=membership.user_id, unit=target, role=membership.role).exists():
            membership.delete()  # the account already has this role at the target
        else:
            membership.unit = target
            membership.save(update_fields=["unit"])
    Person.objects.filter(work_unit=source).update(work_unit=target)
    Person.objects.filter(party_cell=source).update(party_cell=target)
    Meeting.objects.filter(unit=source, recorded_at__isnull=True).update(unit=target)
    KhoiProposal.objects.filter(unit=source, sent_at__isnull=True).update(unit=target)
    for model, keys in ((PeriodicReport, ("year", "period")), (UnitReviewReport, ("year",))):
        moving, _staying = _report_split(model, source, target, keys)
        model.objects.filter(pk__in=[r.pk for r in moving]).update(unit=target)
    PrintJob.objects.filter(unit=source, status=JobStatus.QUEUED).update(unit=target)

    source.refresh_from_db()
    target.refresh_from_db()
    source.is_active = False
    source.save(update_fields=["is_active", "search_text", "updated_at"])
    return Reorganisation.objects.create(
        kind=ReorganisationKind.MERGE,
        unit=source,
        into=target,
        old_parent=old_parent,
        old_parent_name=old_parent.name if old_parent else "",
        new_parent=target,
        new_parent_name=target.name,
        old_name=old_name,
        new_name=target.name,
        old_print_name=source.print_name,
        new_print_name=target.print_name,
        effective_on=effective_on,
        basis=basis,
        summary=effect.as_summary(),
        actor=actor,
    )


@transaction.atomic
def move(unit: Unit, new_parent: Unit, *, effective_on: datetime.date, actor, basis: str = "") -> Reorganisation:
    """Move ``unit`` and its subtree under ``new_parent`` (``unit_tree.move_unit``: registrations' Khối and the
    receiving unit of drafts follow; a move that would strand a sent registration is refused)."""
    unit, new_parent = _locked(unit, new_parent)
    errors = move_errors(unit, new_parent)
    if problem := date_error(effective_on, [unit]):
        errors.setdefault("effective_on", problem)
    _raise(errors)
    effect = move_effect(unit)
    old_parent = _parent(unit)
    move_unit(unit, new_parent, "sorted-child")
    new_parent.refresh_from_db()
    return _record_move(unit, old_parent, new_parent, effective_on, actor, basis, effect.as_summary())


def _record_move(unit, old_parent, new_parent, effective_on, actor, basis="", summary=None) -> Reorganisation:
    """The history row of a move already made; the unit's superior line follows its new parent."""
    if old_parent is not None and new_parent is not None:
        _follow_superior(Unit.objects.filter(pk=unit.pk), old_parent.name, new_parent.name)
        unit.refresh_from_db(fields=["header_line"])
    return Reorganisation.objects.create(
        kind=ReorganisationKind.MOVE,
        unit=unit,
        old_parent=old_parent,
        old_parent_name=old_parent.name if old_parent else "",
        new_parent=new_parent,
        new_parent_name=new_parent.name if new_parent else "",
        old_name=unit.name,
        new_name=unit.name,
        old_print_name=unit.print_name,
        new_print_name=unit.print_name,
        effective_on=effective_on,
        basis=basis,
        summary=summary or {},
        actor=actor,
    )


@transaction.atomic
def rename(
    unit: Unit, *, name: str, print_name: str = "", effective_on: datetime.date, actor, basis: str = ""
) -> Reorganisation:
    """Give ``unit`` a new name (and printed name) from ``effective_on``. Issued documents keep their frozen names;
    papers about acts dated before ``effective_on`` print the old one (``Unit.named_on``)."""
    # The parent is locked too: two siblings renamed to the same name at once are checked one after the other.
    parent = _parent(unit)
    unit = _locked(unit, parent)[0] if parent is not None else _locked(unit)[0]
    name, print_name = clean_name(name), (print_name or "").strip()
    errors = rename_errors(unit, name, print_name)
    if problem := date_error(effective_on, [unit]):
        errors.setdefault("effective_on", problem)
    _raise(errors)
    old_name, old_print_name = unit.name, unit.print_name
    unit.name, unit.print_name = name, print_name
    unit.save(update_fields=["name", "print_name", "search_text", "updated_at"])
    return _record_rename(unit, old_name, old_print_name, effective_on, actor, basis)


def _record_rename(unit, old_name, old_print_name, effective_on, actor, basis="") -> Reorganisation:
    """The history row of a rename already saved on ``unit``; the registrations of the unit as a collective are
    searched by its name (``Registration.search_text``) and take the new one."""
    renamed = list(Registration.objects.filter(subject_unit=unit).only("title", "address", "subject_unit_id"))
    for reg in renamed:
        reg.subject_unit = unit
        reg.search_text = reg.searched_text()
    Registration.objects.bulk_update(renamed, ["search_text"], batch_size=500)
    _follow_superior(Unit.objects.get_children(unit), old_name, unit.name)
    return Reorganisation.objects.create(
        kind=ReorganisationKind.RENAME,
        unit=unit,
        old_name=old_name,
        new_name=unit.name,
        old_print_name=old_print_name,
        new_print_name=unit.print_name,
        effective_on=effective_on,
        basis=basis,
        actor=actor,
    )


def record_edit(unit: Unit, *, old_name: str, old_print_name: str, old_parent: Unit | None, actor) -> None:
    """The admin's ordinary edit of a unit (its form, its drag and drop) wrote a new name or a new place: record it,
    effective today, so that the history stays whole. The checks were the edit's own (``unit_tree``)."""
    today = timezone.localdate()
    unit.refresh_from_db()
    new_parent = _parent(unit)
    if (old_parent and old_parent.pk) != (new_parent and new_parent.pk):
        _record_move(unit, old_parent, new_parent, today, actor)
    if (old_name, old_print_name) != (unit.name, unit.print_name):
        _record_rename(unit, old_name, old_print_name, today, actor)
