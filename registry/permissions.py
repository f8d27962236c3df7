"""Who may do what, as plain predicates asked by views, the workflow, the admin and templates.

A membership reaches its unit and every unit below it (domain.md §3). Imports models only; ``workflow`` imports
this module, never the reverse.
"""

from django.conf import settings
from django.db import models

from registry.models import Registration, Role, Status, StatusChange, Unit
from registry.models.people import memberships_of
from registry.models.units import GRASSROOTS_KINDS


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


def grassroots_unit_of(reg: Registration) -> Unit:
    """The grassroots organisation (đảng bộ or chi bộ cơ sở) over the registration's unit: the one that confirms
    grassroots exemplars and proposes them to the Khối (guidance §II.4.2.1); the Khối itself when there is none.
    Kept on the registration object: a page asks it for several actions and its panels (one query, not one each)."""
    found = reg.__dict__.get("_grassroots_unit")
    if found is None:
        found = reg.__dict__["_grassroots_unit"] = reg.unit.nearest(GRASSROOTS_KINDS) or reg.khoi
    return found


def can_decide_model(user, reg: Registration) -> bool:
    """Approvers of the unit the model was registered with confirm it (guidance §II.4.1.1)."""
    return has_role_over(user, reg.receiving_unit, Role.APPROVER)


def _approver_over_grassroots(user, reg: Registration) -> bool:
    # The grassroots unit is the entry's unit or one above it: whoever holds no approver role over the entry's unit
    # holds none over it either, which is answered without the query for the grassroots unit (most users).
    return has_role_over(user, reg.unit, Role.APPROVER) and has_role_over(user, grassroots_unit_of(reg), Role.APPROVER)


def can_decide_exemplar_base(user, reg: Registration) -> bool:
    return _approver_over_grassroots(user, reg)


def can_propose_khoi(user, reg: Registration) -> bool:
    return _approver_over_grassroots(user, reg)


def can_appraise(user, reg: Registration) -> bool:
    """Ban Tuyên giáo staff: appraisers holding their role at the Khối root."""
    return has_role_over(user, reg.khoi, Role.APPRAISER)


def can_decide_khoi(user, reg: Registration) -> bool:
    """The Ban Thường vụ Đảng ủy Khối, entered by approvers at the Khối root."""
    return has_role_over(user, reg.khoi, Role.APPROVER)


def can_upload_scan(user, document) -> bool:
    """Editors and approvers over the document's issuing unit upload its signed scan (which locks it)."""
    return bool(roles_over(user, document.issuing_unit) & {Role.EDITOR, Role.APPROVER})


def can_remind(user, unit: Unit) -> bool:
    """Approvers over a unit remind it of a deadline it has not met."""
    return has_role_over(user, unit, Role.APPROVER)


def can_write_unit_report(user, unit: Unit) -> bool:
    """Editors of a unit type the narrative of its Mẫu 4 and of its periodic reports; its approvers may too."""
    return bool(roles_over(user, unit) & {Role.EDITOR, Role.APPROVER})


def can_review(user, reg: Registration) -> bool:
    """Editors of the owning unit write the yearly review and the owner's reports of a running model."""
    return has_role_over(user, reg.unit, Role.EDITOR)


def can_manage_attachments(user, reg: Registration) -> bool:
    return can_edit(user, reg)


def editor_units(user) -> list[Unit]:
    """Units where the user is an editor (each reaching down): the roots of what they may register for."""
    return [m.unit for m in memberships_of(user) if m.role == Role.EDITOR]


def approver_units(user) -> list[Unit]:
    return [m.unit for m in memberships_of(user) if m.role == Role.APPROVER]


PUBLISHABLE_STATUSES = frozenset({Status.EXEMPLAR_BASE, Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI})


def can_publish(user, reg: Registration) -> bool:
    """The unit's editors or approvers mark a confirmed exemplar public (or private again) for the showcase."""
    return reg.status in PUBLISHABLE_STATUSES and bool(roles_over(user, reg.unit) & {Role.EDITOR, Role.APPROVER})


def can_manage_catalogue(user) -> bool:
    """Catalogue data (years, lĩnh vực, criteria, form wording) holds for the whole Khối: superusers change it, and
    staff in the group named by ``CATALOGUE_GROUP_NAME`` who hold their role at a Khối root (the top unit)."""
    if user.is_superuser:
        return True
    return (
        user.is_staff
        and any(m.unit.depth == 1 for m in memberships_of(user))
        and user.groups.filter(name=settings.CATALOGUE_GROUP_NAME).exists()
    )


# --- separation of duties -----------------------------------------------------------------------------------------

OWN_REGISTRATION = (
    "Bạn đã đăng ký hoặc gửi mô hình “{title}”, nên không thể tự quyết định về mô hình này (tách bạch nhiệm vụ): "
    "một người khác có thẩm quyền phải thực hiện."
)
OWN_UNIT = (
    "Mô hình “{title}” thuộc đơn vị mà bạn cập nhật hoặc xác nhận, nên bạn không thể thẩm định, chấm điểm mô hình "
    "này (tách bạch nhiệm vụ)."
)


def submitted_by(user, registrations) -> set[int]:
    """Ids of the given registrations the user ever sent, in one query (for lists asking ``registered_by``)."""
    if not user.is_authenticated:
        return set()
    return set(
        StatusChange.objects.filter(registration__in=registrations, action="submit", actor_id=user.pk).values_list(
            "registration_id", flat=True
        )
    )


def submitted_among(user, changes) -> set[int]:
    """``submitted_by`` answered from status changes already read (a registration page's timeline), no query."""
    if not user.is_authenticated:
        return set()
    return {c.registration_id for c in changes if c.action == "submit" and c.actor_id == user.pk}


def registered_by_q(user) -> models.Q:
    """``registered_by`` as a filter on registrations, for lists: created or ever sent by the user."""
    sent = StatusChange.objects.filter(registration=models.OuterRef("pk"), action="submit", actor_id=user.pk)
    return models.Q(created_by_id=user.pk) | models.Q(models.Exists(sent))


def registered_by(user, reg: Registration, submitted: set[int] | None = None) -> bool:
    """The user created the registration or sent it (any submission on record); ``submitted`` is what
    ``submitted_by`` gave for a list, saving one query per row."""
    if not user.is_authenticated:
        return False
    if reg.created_by_id == user.pk:
        return True
    if submitted is not None:
        return reg.pk in submitted
    return StatusChange.objects.filter(registration_id=reg.pk, action="submit", actor_id=user.pk).exists()


def decision_conflict(user, reg: Registration, submitted: set[int] | None = None) -> str | None:
    """Why the user may not decide on the registration (receive, return, stop, confirm, propose, decide at the
    Khối), whatever roles they hold: nobody decides on what they registered. None when they may."""
    if registered_by(user, reg, submitted):
        return OWN_REGISTRATION.format(title=reg.title)
    return None


def appraisal_conflict(user, reg: Registration, submitted: set[int] | None = None) -> str | None:
    """Why the user may not appraise (score, close the appraisal of) the registration: they registered it, or they
    update or confirm for its unit through a membership below the Khối root. None when they may."""
    if problem := decision_conflict(user, reg, submitted):
        return problem
    if any(
        m.role in (Role.EDITOR, Role.APPROVER) and m.unit.depth > 1 and reg.unit.is_within(m.unit)
        for m in memberships_of(user)
    ):
        return OWN_UNIT.format(title=reg.title)
    return None


def role_conflicts(memberships) -> list[str]:
    """Warnings for one account's roles that would let it decide on what it registers itself: an editor who also
    receives (approver) over the same part of the tree, or who also appraises at its Khối; an approver below the
    Khối who also appraises. The workflow refuses each such decision; the admin shows these when roles are given."""
    memberships = list(memberships)
    editors = [m.unit for m in memberships if m.role == Role.EDITOR]
    approvers = [m.unit for m in memberships if m.role == Role.APPROVER]
    appraisers = [m.unit for m in memberships if m.role == Role.APPRAISER]
    warnings = []
    for edited in editors:
        for approved in approvers:
            if edited.is_within(approved) or approved.is_within(edited):
                warnings.append(
                    f"Vừa đăng ký, gửi hồ sơ ở “{edited}” vừa tiếp nhận, xác nhận ở “{approved}”: tài khoản này có "
                    "thể tiếp nhận chính hồ sơ mình gửi. Cổng sẽ từ chối mỗi lần như vậy."
                )
    for own in editors + [unit for unit in approvers if unit.depth > 1]:
        for khoi in appraisers:
            if own.is_within(khoi):
                warnings.append(
                    f"Vừa có vai trò ở “{own}” vừa thẩm định ở “{khoi}”: tài khoản này có thể chấm điểm mô hình "
                    "của chính đơn vị mình. Cổng sẽ từ chối mỗi lần như vậy."
                )
    return warnings


def appraiser_khois(user) -> list[Unit]:
    """The Khối roots where the user appraises (the Ban Tuyên giáo's staff hold the appraiser role at the root)."""
    return [m.unit for m in memberships_of(user) if m.role == Role.APPRAISER and m.unit.depth == 1]
