"""Creating and editing registrations (Mẫu 1, 1a, 2, 2a).

The owning unit and the receiving unit are never typed: they are derived from the subject by ``registry.receiving``,
and the author must be an editor over the owning unit. Status is left to ``registry.workflow``.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from registry import permissions, receiving
from registry.models import COLLECTIVE_SUBJECTS, Registration, Role

# The fields a user fills in; anything else in ``data`` is ignored (status, unit, receiving_unit are derived).
EDITABLE_FIELDS = (
    "year",
    "level",
    "subject_unit",
    "subject_person",
    "subject_headcount",
    "title",
    "field",
    "address",
    "situation",
    "objectives",
    "indicators",
    "content",
    "beneficiaries",
    "partners",
    "resources",
    "start_date",
    "end_date",
    "milestones",
    "expected_results",
    "sustainability",
    "lead_name",
    "lead_position",
    "lead_phone",
)

OUT_OF_SCOPE = "Lựa chọn không hợp lệ: đối tượng này không thuộc phạm vi đơn vị bạn quản lý."
YEAR_CLOSED = "Năm {year} không còn mở đăng ký; vui lòng chọn năm khác."
NOT_EDITABLE = "Hồ sơ đang ở trạng thái “{status}”, không thể sửa. Có thể người khác vừa gửi hoặc xử lý hồ sơ này."


def _assign(reg: Registration, data: dict) -> None:
    for name in EDITABLE_FIELDS:
        if name in data:
            setattr(reg, name, data[name])
    # A collective has no person, an individual no unit nor headcount: keep the row consistent with its kind.
    if reg.subject_kind in COLLECTIVE_SUBJECTS:
        reg.subject_person = None
    else:
        reg.subject_unit = None
        reg.subject_headcount = None


def _check_year_open(reg: Registration) -> None:
    if reg.year_id and not reg.year.is_open:
        raise ValidationError({"year": YEAR_CLOSED.format(year=reg.year.year)}, code="year_closed")


def _derive_units(reg: Registration, user) -> None:
    """Set ``unit`` and ``receiving_unit`` from the subject; refuse a subject outside the user's editor scope."""
    kind = reg.subject_kind
    if kind in COLLECTIVE_SUBJECTS and reg.subject_unit is not None:
        receiving.check_subject(kind, reg.subject_unit)
    owner = receiving.owner_unit(kind, unit=reg.subject_unit, person=reg.subject_person)
    if not permissions.can_create_for(user, owner):
        field = "subject_unit" if kind in COLLECTIVE_SUBJECTS else "subject_person"
        raise ValidationError({field: OUT_OF_SCOPE}, code="out_of_scope")
    reg.unit = owner
    reg.receiving_unit = receiving.receiving_unit(kind, reg.level, owner)


def registration_create(*, author, subject_kind: str, data: dict) -> Registration:
    """Create a draft registration of ``subject_kind`` from validated form data, owned by the subject's unit.

    Raises ``ValidationError`` (keyed by field) when the subject does not fit the Mẫu or is outside the author's
    scope.
    """
    reg = Registration(subject_kind=subject_kind, created_by=author)
    _assign(reg, data)
    _check_year_open(reg)
    _derive_units(reg, author)
    reg.full_clean()
    reg.save()
    return reg


def registration_update(*, registration: Registration, editor, data: dict) -> Registration:
    """Save edits to a draft or returned registration; the subject may change within the editor's scope.

    The row is locked and its status re-read, so an edit never lands on a registration sent meanwhile. Raises
    ``PermissionDenied`` for a user who may not edit it and ``ValidationError`` when it is no longer editable.
    """
    with transaction.atomic():
        reg = (
            Registration.objects.select_for_update(of=("self",))  # not the unit and year every entry shares
            .select_related("unit", "receiving_unit", "year")
            .get(pk=registration.pk)
        )
        if not permissions.has_role_over(editor, reg.unit, Role.EDITOR):
            raise PermissionDenied("Bạn không có quyền sửa hồ sơ này.")
        if not reg.is_editable:
            raise ValidationError(NOT_EDITABLE.format(status=reg.get_status_display()), code="not_editable")
        year_before = reg.year_id
        _assign(reg, data)
        if reg.year_id != year_before:
            _check_year_open(reg)
        _derive_units(reg, editor)
        reg.full_clean()
        reg.save()
    return reg
