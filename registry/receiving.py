"""Who registers with whom (guidance §II.3.2, domain.md §5): the owning and the receiving unit of a registration.

- Khối level: every registration is received by the Đảng bộ Khối itself.
- Mẫu 1, a party organisation: its superior party committee; a grassroots organisation (đảng bộ or chi bộ cơ sở)
  is received by its own committee, which the guidance makes the confirming body for "các chi bộ, đảng bộ"
  (§II.4.1.2).
- Mẫu 1a, an agency or mass organisation: the grassroots party committee that leads it.
- Mẫu 2, a party member: the chi bộ where the member is active.
- Mẫu 2a, a non-member: the agency where they work.
"""

from django.core.exceptions import ValidationError

from registry.models import Level, Person, SubjectKind, Unit, UnitKind
from registry.models.units import COLLECTIVE_AGENCY_KINDS, GRASSROOTS_KINDS, PARTY_KINDS


def owner_unit(subject_kind: str, *, unit: Unit | None = None, person: Person | None = None) -> Unit:
    """The unit whose scope the registration belongs to: the collective itself, or the person's chi bộ / agency."""
    if subject_kind in (SubjectKind.PARTY_ORG, SubjectKind.AGENCY):
        if unit is None:
            raise ValidationError({"subject_unit": "Vui lòng chọn tập thể đăng ký."})
        return unit
    if person is None:
        raise ValidationError({"subject_person": "Vui lòng chọn cá nhân đăng ký."})
    if subject_kind == SubjectKind.MEMBER:
        if not person.is_party_member or person.party_cell is None:
            raise ValidationError({"subject_person": "Người này không phải đảng viên: hãy đăng ký theo Mẫu 2a."})
        return person.party_cell
    if person.is_party_member:
        raise ValidationError({"subject_person": "Người này là đảng viên: hãy đăng ký theo Mẫu 2."})
    return person.work_unit


def check_subject(subject_kind: str, unit: Unit | None) -> None:
    """The collective must be of a kind that its Mẫu is for."""
    if subject_kind == SubjectKind.PARTY_ORG and unit.kind not in PARTY_KINDS - {UnitKind.KHOI}:
        raise ValidationError({"subject_unit": "Mẫu 1 dành cho chi bộ, đảng bộ; hãy chọn một tổ chức đảng."})
    if subject_kind == SubjectKind.AGENCY and unit.kind not in COLLECTIVE_AGENCY_KINDS:
        raise ValidationError(
            {"subject_unit": "Mẫu 1a dành cho cơ quan, đơn vị, doanh nghiệp, đoàn thể; hãy chọn một đơn vị như vậy."}
        )


def receiving_unit(subject_kind: str, level: str, owner: Unit) -> Unit:
    """The unit that receives, returns and later confirms the registration."""
    chain = owner.ancestors_and_self()
    if level == Level.KHOI:
        return chain[0]
    if subject_kind == SubjectKind.PARTY_ORG and owner.kind == UnitKind.CHI_BO:
        return _nearest(chain[:-1], GRASSROOTS_KINDS) or chain[0]
    if subject_kind in (SubjectKind.PARTY_ORG, SubjectKind.AGENCY):
        return _nearest(chain, GRASSROOTS_KINDS) or chain[0]
    # Individuals: the chi bộ (Mẫu 2) or the agency (Mẫu 2a) that owns the registration receives it.
    return owner


def _nearest(chain: list[Unit], kinds) -> Unit | None:
    for unit in reversed(chain):
        if unit.kind in kinds:
            return unit
    return None
