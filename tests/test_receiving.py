"""registry/receiving.py: who registers with whom (domain.md §5, guidance §II.3.2), row by row."""

import pytest
from django.core.exceptions import ValidationError

from registry.models import Level, SubjectKind, Unit, UnitKind
from registry.receiving import check_subject, owner_unit, receiving_unit
from tests.factories import UnitFactory


def fresh(unit: Unit) -> Unit:
    # Adding a unit whose name sorts first renumbers its siblings' paths (node_order_by), so fixtures held in memory
    # may carry an old path; the rules are checked against the tree as stored.
    return Unit.objects.get(pk=unit.pk)


@pytest.fixture
def chi_bo_co_so(khoi):
    """A grassroots cell directly under the Khối."""
    return UnitFactory(parent=khoi, code="TCT-CB", name="Chi bộ Trường Chính trị", kind=UnitKind.CHI_BO_CO_SO)


@pytest.fixture
def agency_of_chi_bo_co_so(chi_bo_co_so):
    return UnitFactory(parent=chi_bo_co_so, code="TCT", name="Trường Chính trị tỉnh", kind=UnitKind.CO_QUAN)


def test_mau_1_chi_bo_registers_with_its_dang_bo_co_so(chi_bo, dang_bo):
    assert receiving_unit(SubjectKind.PARTY_ORG, Level.BASE, fresh(chi_bo)) == dang_bo


def test_mau_1_dang_bo_co_so_registers_with_itself_at_base_level(dang_bo):
    assert receiving_unit(SubjectKind.PARTY_ORG, Level.BASE, fresh(dang_bo)) == dang_bo


def test_mau_1_chi_bo_co_so_under_the_khoi_registers_with_itself(chi_bo_co_so):
    assert receiving_unit(SubjectKind.PARTY_ORG, Level.BASE, fresh(chi_bo_co_so)) == chi_bo_co_so


def test_mau_1a_agency_registers_with_its_dang_bo_co_so(agency, dang_bo):
    assert receiving_unit(SubjectKind.AGENCY, Level.BASE, fresh(agency)) == dang_bo


def test_mau_1a_doan_the_inside_an_agency_registers_with_the_dang_bo_co_so(doan_the, dang_bo):
    assert receiving_unit(SubjectKind.AGENCY, Level.BASE, fresh(doan_the)) == dang_bo


def test_mau_1a_agency_led_by_a_chi_bo_co_so_registers_with_that_chi_bo_co_so(agency_of_chi_bo_co_so, chi_bo_co_so):
    assert receiving_unit(SubjectKind.AGENCY, Level.BASE, fresh(agency_of_chi_bo_co_so)) == chi_bo_co_so


def test_mau_2_member_is_owned_and_received_by_the_members_chi_bo(member, chi_bo):
    owner = owner_unit(SubjectKind.MEMBER, person=member)
    assert owner == chi_bo
    assert receiving_unit(SubjectKind.MEMBER, Level.BASE, fresh(owner)) == chi_bo


def test_mau_2a_non_member_is_owned_and_received_by_the_agency_they_work_in(non_member, agency):
    owner = owner_unit(SubjectKind.NON_MEMBER, person=non_member)
    assert owner == agency
    assert receiving_unit(SubjectKind.NON_MEMBER, Level.BASE, fresh(owner)) == agency


@pytest.mark.parametrize(
    ("subject_kind", "owner_fixture"),
    [
        (SubjectKind.PARTY_ORG, "chi_bo"),
        (SubjectKind.PARTY_ORG, "dang_bo"),
        (SubjectKind.AGENCY, "agency"),
        (SubjectKind.AGENCY, "doan_the"),
        (SubjectKind.MEMBER, "chi_bo"),
        (SubjectKind.NON_MEMBER, "agency"),
    ],
)
def test_khoi_level_registrations_are_received_by_the_khoi_root(request, khoi, subject_kind, owner_fixture):
    owner = fresh(request.getfixturevalue(owner_fixture))
    assert receiving_unit(subject_kind, Level.KHOI, owner) == khoi


def test_collective_owner_is_the_collective_itself(agency):
    assert owner_unit(SubjectKind.AGENCY, unit=agency) == agency


def test_collective_without_unit_asks_for_one():
    with pytest.raises(ValidationError) as exc:
        owner_unit(SubjectKind.PARTY_ORG)
    assert exc.value.message_dict == {"subject_unit": ["Vui lòng chọn tập thể đăng ký."]}


def test_individual_without_person_asks_for_one():
    with pytest.raises(ValidationError) as exc:
        owner_unit(SubjectKind.MEMBER)
    assert exc.value.message_dict == {"subject_person": ["Vui lòng chọn cá nhân đăng ký."]}


def test_non_member_cannot_register_on_mau_2(non_member):
    with pytest.raises(ValidationError) as exc:
        owner_unit(SubjectKind.MEMBER, person=non_member)
    assert exc.value.message_dict == {"subject_person": ["Người này không phải đảng viên: hãy đăng ký theo Mẫu 2a."]}


def test_member_cannot_register_on_mau_2a(member):
    with pytest.raises(ValidationError) as exc:
        owner_unit(SubjectKind.NON_MEMBER, person=member)
    assert exc.value.message_dict == {"subject_person": ["Người này là đảng viên: hãy đăng ký theo Mẫu 2."]}


def test_mau_1_refuses_an_agency(agency):
    with pytest.raises(ValidationError) as exc:
        check_subject(SubjectKind.PARTY_ORG, agency)
    assert exc.value.message_dict == {"subject_unit": ["Mẫu 1 dành cho chi bộ, đảng bộ; hãy chọn một tổ chức đảng."]}


def test_mau_1_refuses_the_khoi_itself(khoi):
    with pytest.raises(ValidationError) as exc:
        check_subject(SubjectKind.PARTY_ORG, khoi)
    assert exc.value.message_dict == {"subject_unit": ["Mẫu 1 dành cho chi bộ, đảng bộ; hãy chọn một tổ chức đảng."]}


def test_mau_1a_refuses_a_party_unit(chi_bo):
    with pytest.raises(ValidationError) as exc:
        check_subject(SubjectKind.AGENCY, chi_bo)
    assert exc.value.message_dict == {
        "subject_unit": ["Mẫu 1a dành cho cơ quan, đơn vị, doanh nghiệp, đoàn thể; hãy chọn một đơn vị như vậy."]
    }


@pytest.mark.parametrize(
    ("subject_kind", "unit_fixture"),
    [
        (SubjectKind.PARTY_ORG, "chi_bo"),
        (SubjectKind.PARTY_ORG, "dang_bo"),
        (SubjectKind.AGENCY, "agency"),
        (SubjectKind.AGENCY, "doan_the"),
    ],
)
def test_check_subject_accepts_the_kinds_its_form_is_for(request, subject_kind, unit_fixture):
    assert check_subject(subject_kind, request.getfixturevalue(unit_fixture)) is None
