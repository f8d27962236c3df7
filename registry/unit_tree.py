"""Where a unit may sit in the tree, and adding or moving units without leaving stale copies of their paths.

The database constraint ``registry_unit_khoi_is_root`` says the same as ``placement_error``; these checks run first
so that staff get a Vietnamese message instead of an IntegrityError. Treebeard keeps siblings sorted by name, so
adding or moving one unit may rewrite the paths of its new siblings and everything below them: nothing outside
``Unit`` stores a path, and units held in memory are re-read after a change. It also answers "which unit above"
for many units at once, from their paths, in one query.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from registry.models import Registration, Status, Unit, UnitKind
from registry.models.units import PARTY_KINDS, ancestor_paths
from registry.receiving import receiving_unit
from registry.terms import lazy_text

KHOI_MUST_BE_ROOT = lazy_text("{top_body} là đơn vị gốc, không có đơn vị cấp trên.")
NEEDS_PARENT = lazy_text("Chỉ {top_body} là đơn vị gốc; đơn vị này phải là đơn vị con của một đơn vị khác.")
INTO_OWN_SUBTREE = "Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị cấp dưới của nó."
KHOI_KIND_LOCKED = lazy_text("Không thể đổi {top_body} sang loại đơn vị khác.")
OUTSIDE_SCOPE = "Đơn vị cấp trên phải nằm trong phạm vi đơn vị của bạn."

# Where each kind of unit may hang (domain.md §1–2): grassroots organisations and the Khối's departments right under
# the Khối, a chi bộ trực thuộc under a đảng bộ cơ sở, an agency under the party unit that leads it, a mass
# organisation inside its agency.
PARENT_KINDS = {
    UnitKind.DANG_BO_CO_SO: frozenset({UnitKind.KHOI}),
    UnitKind.CHI_BO_CO_SO: frozenset({UnitKind.KHOI}),
    UnitKind.BAN: frozenset({UnitKind.KHOI}),
    UnitKind.CHI_BO: frozenset({UnitKind.DANG_BO_CO_SO}),
    UnitKind.CO_QUAN: PARTY_KINDS,
    UnitKind.DOAN_THE: frozenset({UnitKind.CO_QUAN}),
}


def placement_error(kind: str, depth: int) -> str | None:
    """Why a unit of ``kind`` cannot sit at ``depth`` (1 = root), or None when it can."""
    if kind == UnitKind.KHOI and depth != 1:
        return KHOI_MUST_BE_ROOT
    if kind != UnitKind.KHOI and depth == 1:
        return NEEDS_PARENT
    return None


def parent_error(kind: str, parent: Unit | None) -> str | None:
    """Why a unit of ``kind`` cannot hang under ``parent`` (None: be a root), or None when it can."""
    if problem := placement_error(kind, 1 if parent is None else parent.depth + 1):
        return problem
    allowed = PARENT_KINDS.get(kind)
    if parent is not None and allowed is not None and parent.kind not in allowed:
        names = " hoặc ".join(str(UnitKind(k).label) for k in UnitKind.values if k in allowed)
        return f"{UnitKind(kind).label} phải là đơn vị con của {names.lower()}, không đặt dưới “{parent}”."
    return None


def scope_error(parent: Unit | None, scope_roots: Iterable[Unit]) -> str | None:
    """Staff who are not superusers place a unit only under a unit inside their subtree (never at a root)."""
    if parent is None or not any(parent.is_within(root) for root in scope_roots):
        return OUTSIDE_SCOPE
    return None


def move_error(unit: Unit, new_parent: Unit) -> str | None:
    """Why moving ``unit`` (and its subtree) under ``new_parent`` would leave registrations with a receiving unit
    that is no longer above them, or None when every receiving unit stays coherent.

    A registration of the subtree received inside the subtree moves with it; a draft or returned one is
    registered again with the unit above it after the move (``follow_move``); any other received by a unit above
    (the grassroots committee, the Khối) must still find that unit above after the move, or the move is refused.
    """
    if new_parent.is_within(unit):
        return INTO_OWN_SUBTREE
    receivers = (
        Unit.objects.filter(
            pk__in=_received_outside(unit).exclude(status__in=EDITABLE).values("receiving_unit"),
        )
        .only("pk", "path", "name")
        .order_by("path")
    )
    stranded = [receiver for receiver in receivers if not new_parent.is_within(receiver)]
    if stranded:
        names = ", ".join(f"“{receiver}”" for receiver in stranded[:3])
        return (
            f"Không thể chuyển “{unit}”: đơn vị có hồ sơ đăng ký với {names}, đơn vị này sẽ không còn là cấp trên "
            "sau khi chuyển. Hãy xử lý các hồ sơ đó trước."
        )
    return None


EDITABLE = (Status.DRAFT, Status.RETURNED)


def _received_outside(unit: Unit):
    return Registration.objects.filter(unit__path__startswith=unit.path).exclude(
        receiving_unit__path__startswith=unit.path
    )


def follow_move(unit: Unit) -> int:
    """After ``unit`` moved: its subtree's drafts and returned registrations get the receiving unit of their new
    place (``receiving.receiving_unit``); returns how many changed. The others were kept coherent by ``move_error``."""
    changed = 0
    for reg in _received_outside(unit).filter(status__in=EDITABLE).select_related("unit"):
        receiver = receiving_unit(reg.subject_kind, reg.level, reg.unit)
        if receiver.pk != reg.receiving_unit_id:
            reg.receiving_unit = receiver
            reg.save(update_fields=["receiving_unit"])
            changed += 1
    return changed


def kind_change_error(old_kind: str, new_kind: str) -> str | None:
    """A Khối root keeps its kind: changing it would break the root rule before any move could follow.

    The opposite change (a unit below becoming a Khối) is refused by ``Unit.clean()``.
    """
    if old_kind == UnitKind.KHOI and new_kind != UnitKind.KHOI:
        return KHOI_KIND_LOCKED
    return None


def parent_path(path: str) -> str:
    """The path of the parent of the node at ``path``; '' for a root."""
    return path[: -Unit.steplen]


def nearest_units(paths: Iterable[str], kinds) -> dict[str, Unit]:
    """Unit path → that unit or the closest unit above it whose kind is one of ``kinds``, else the root of its tree:
    ``unit.nearest(kinds) or unit.khoi()`` for many units, with every ancestor that may answer read in one query."""
    lineages = {path: ancestor_paths(path) for path in set(paths)}
    if not lineages:
        return {}
    wanted = {p for lineage in lineages.values() for p in lineage}
    candidates = Unit.objects.filter(path__in=wanted).filter(Q(kind__in=list(kinds)) | Q(depth=1))
    by_path = {unit.path: unit for unit in candidates}
    nearest = {}
    for path, lineage in lineages.items():
        found = [by_path[p] for p in reversed(lineage) if p in by_path]  # closest first, the root last
        nearest[path] = next((unit for unit in found if unit.kind in kinds), found[-1] if found else None)
    return nearest


@transaction.atomic
def add_unit(unit: Unit, parent: Unit | None) -> Unit:
    """Save the new ``unit`` under ``parent`` (a root when None), in name order among its siblings."""
    if parent is None:
        return Unit.objects.add_root(instance=unit)
    return Unit.objects.add_child(parent, instance=unit)


def resulting_parent(target: Unit | None, pos: str) -> Unit | None:
    """The parent a unit gets when placed as a child (``sorted-child``) or a sibling (``sorted-sibling``) of
    ``target``; None for a root."""
    if target is None:
        return None
    return target if pos == "sorted-child" else Unit.objects.get_parent(target)


@transaction.atomic
def move_unit(unit: Unit, target: Unit, pos: str = "sorted-child") -> Unit:
    """Move ``unit`` and its subtree as a child (``sorted-child``) or sibling (``sorted-sibling``) of ``target``.

    Raises ``ValidationError`` when the kind may not sit there or a registration's receiving unit would no longer
    be above it (``parent_error``, ``move_error``).
    """
    parent = resulting_parent(target, pos)
    if problem := parent_error(unit.kind, parent) or (parent is not None and move_error(unit, parent)):
        raise ValidationError(problem, code="invalid_move")
    Unit.objects.move(unit, target, pos=pos)
    unit.refresh_from_db()
    follow_move(unit)
    return unit
