"""Where a unit may sit in the tree, and adding or moving units without leaving stale copies of their paths.

The database constraint ``registry_unit_khoi_is_root`` says the same as ``placement_error``; these checks run first
so that staff get a Vietnamese message instead of an IntegrityError. Treebeard keeps siblings sorted by name, so
adding or moving one unit may rewrite the paths of its new siblings and everything below them: nothing outside
``Unit`` stores a path, and units held in memory are re-read after a change. It also answers "which unit above"
for many units at once, from their paths, in one query.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from registry.models import Unit, UnitKind
from registry.models.units import ancestor_paths

KHOI_MUST_BE_ROOT = "Đảng bộ Khối là đơn vị gốc, không có đơn vị cấp trên."
NEEDS_PARENT = "Chỉ Đảng bộ Khối là đơn vị gốc; đơn vị này phải là đơn vị con của một đơn vị khác."
INTO_OWN_SUBTREE = "Không thể chuyển một đơn vị vào chính nó hoặc vào đơn vị cấp dưới của nó."
KHOI_KIND_LOCKED = "Không thể đổi Đảng bộ Khối sang loại đơn vị khác."


def placement_error(kind: str, depth: int) -> str | None:
    """Why a unit of ``kind`` cannot sit at ``depth`` (1 = root), or None when it can."""
    if kind == UnitKind.KHOI and depth != 1:
        return KHOI_MUST_BE_ROOT
    if kind != UnitKind.KHOI and depth == 1:
        return NEEDS_PARENT
    return None


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


@transaction.atomic
def move_unit(unit: Unit, target: Unit, pos: str = "sorted-child") -> Unit:
    """Move ``unit`` and its subtree as a child (``sorted-child``) or sibling (``sorted-sibling``) of ``target``."""
    Unit.objects.move(unit, target, pos=pos)
    unit.refresh_from_db()
    return unit
