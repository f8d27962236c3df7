"""Who may do what, as plain predicates asked by views, the workflow, the admin and templates.

A membership reaches its unit and every unit below it (domain.md §3). Imports models only; ``workflow`` imports
this module, never the reverse.
"""

from registry.models import Membership, Registration, Role, Status, Unit


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their units, fetched once per request (cached on the user object)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_registry_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._registry_memberships = cached
    return cached


def roles_over(user, unit: Unit) -> set[str]:
    """The roles the user holds over ``unit`` through a membership of it or of a unit above it."""
    return {m.role for m in memberships_of(user) if unit.path.startswith(m.unit.path)}


def has_role_over(user, unit: Unit, role: str) -> bool:
    return role in roles_over(user, unit)


def can_view(user, reg: Registration) -> bool:
    return bool(roles_over(user, reg.unit))


def can_create_for(user, unit: Unit) -> bool:
    return has_role_over(user, unit, Role.EDITOR)


def can_edit(user, reg: Registration) -> bool:
    """Editors of the owning unit change a registration while it is a draft or returned."""
    return reg.is_editable and has_role_over(user, reg.unit, Role.EDITOR)


def can_submit(user, reg: Registration) -> bool:
    return can_edit(user, reg)


def can_withdraw(user, reg: Registration) -> bool:
    """Editors take back what they sent while nobody has received it yet."""
    return reg.status == Status.SUBMITTED and has_role_over(user, reg.unit, Role.EDITOR)


def can_receive(user, reg: Registration) -> bool:
    """Approvers of the receiving unit (or a unit above it) receive or return what was submitted to it."""
    return has_role_over(user, reg.receiving_unit, Role.APPROVER)


def can_stop(user, reg: Registration) -> bool:
    return has_role_over(user, reg.receiving_unit, Role.APPROVER)


def can_manage_attachments(user, reg: Registration) -> bool:
    return can_edit(user, reg)


def editor_units(user) -> list[Unit]:
    """Units where the user is an editor (each reaching down): the roots of what they may register for."""
    return [m.unit for m in memberships_of(user) if m.role == Role.EDITOR]


def approver_units(user) -> list[Unit]:
    return [m.unit for m in memberships_of(user) if m.role == Role.APPROVER]
