"""registration_create / registration_update: units derived from the subject, scope checked, status untouched."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registry import workflow
from registry.models import Field, Level, Registration, Role, Status, SubjectKind
from registry.services import registration_create, registration_update
from registry.services.registrations import OUT_OF_SCOPE
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory, YearFactory


@pytest.fixture
def dang_bo_editor(dang_bo):
    user = UserFactory(username="vanphong")
    MembershipFactory(user=user, unit=dang_bo, role=Role.EDITOR)
    return user


def data(year, **extra) -> dict:
    return {
        "year": year,
        "level": Level.BASE,
        "title": "Dân vận khéo trong cải cách hành chính",
        "field": Field.objects.first(),
        "start_date": datetime.date(2025, 3, 1),
        "end_date": datetime.date(2025, 12, 31),
        **extra,
    }


@pytest.mark.parametrize(
    ("kind", "subject", "owner", "receiver"),
    [
        (SubjectKind.PARTY_ORG, "chi_bo", "SYT-CB-NVY", "SYT-DB"),
        (SubjectKind.PARTY_ORG, "dang_bo", "SYT-DB", "SYT-DB"),
        (SubjectKind.AGENCY, "agency", "SYT", "SYT-DB"),
        (SubjectKind.AGENCY, "doan_the", "SYT-CD", "SYT-DB"),
        (SubjectKind.MEMBER, "member", "SYT-CB-NVY", "SYT-CB-NVY"),
        (SubjectKind.NON_MEMBER, "non_member", "SYT", "SYT"),
    ],
)
def test_create_derives_owning_and_receiving_unit(request, dang_bo_editor, year, kind, subject, owner, receiver):
    obj = request.getfixturevalue(subject)
    key = "subject_person" if kind in (SubjectKind.MEMBER, SubjectKind.NON_MEMBER) else "subject_unit"
    reg = registration_create(author=dang_bo_editor, subject_kind=kind, data=data(year, **{key: obj}))
    assert (reg.status, reg.unit.code, reg.receiving_unit.code) == (Status.DRAFT, owner, receiver)
    assert reg.created_by == dang_bo_editor


def test_create_at_khoi_level_is_received_by_the_khoi(secretary, year, chi_bo, khoi):
    reg = registration_create(
        author=secretary, subject_kind=SubjectKind.PARTY_ORG, data=data(year, subject_unit=chi_bo, level=Level.KHOI)
    )
    assert reg.receiving_unit == khoi


def test_create_refuses_a_subject_outside_the_authors_scope(secretary, year, other_chi_bo):
    with pytest.raises(ValidationError) as exc:
        registration_create(
            author=secretary, subject_kind=SubjectKind.PARTY_ORG, data=data(year, subject_unit=other_chi_bo)
        )
    assert exc.value.message_dict == {"subject_unit": [OUT_OF_SCOPE]}
    assert not Registration.objects.exists()


def test_create_refuses_a_collective_of_the_wrong_kind(dang_bo_editor, year, agency):
    with pytest.raises(ValidationError) as exc:
        registration_create(
            author=dang_bo_editor, subject_kind=SubjectKind.PARTY_ORG, data=data(year, subject_unit=agency)
        )
    assert exc.value.message_dict == {"subject_unit": ["Mẫu 1 dành cho chi bộ, đảng bộ; hãy chọn một tổ chức đảng."]}


def test_create_refuses_a_non_member_on_mau_2(dang_bo_editor, year, non_member):
    with pytest.raises(ValidationError) as exc:
        registration_create(
            author=dang_bo_editor, subject_kind=SubjectKind.MEMBER, data=data(year, subject_person=non_member)
        )
    assert exc.value.message_dict == {"subject_person": ["Người này không phải đảng viên: hãy đăng ký theo Mẫu 2a."]}


def test_create_refuses_a_closed_year(secretary, chi_bo):
    closed = YearFactory(year=2024, is_open=False)
    with pytest.raises(ValidationError) as exc:
        registration_create(
            author=secretary, subject_kind=SubjectKind.PARTY_ORG, data=data(closed, subject_unit=chi_bo)
        )
    assert exc.value.message_dict == {"year": ["Năm 2024 không còn mở đăng ký; vui lòng chọn năm khác."]}


def test_create_ignores_status_and_units_in_the_data(secretary, year, chi_bo, khoi, other_chi_bo):
    extra = {"subject_unit": chi_bo, "status": Status.ACTIVE, "unit": other_chi_bo, "receiving_unit": khoi}
    reg = registration_create(author=secretary, subject_kind=SubjectKind.PARTY_ORG, data=data(year, **extra))
    assert (reg.status, reg.unit, reg.receiving_unit.code) == (Status.DRAFT, chi_bo, "SYT-DB")


def test_create_of_a_collective_drops_a_stray_person(secretary, year, chi_bo, member):
    reg = registration_create(
        author=secretary,
        subject_kind=SubjectKind.PARTY_ORG,
        data=data(year, subject_unit=chi_bo, subject_person=member),
    )
    assert reg.subject_person is None


def test_update_saves_the_changes_of_a_draft(secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    registration_update(registration=reg, editor=secretary, data={"title": "Tên mới của mô hình"})
    reg.refresh_from_db()
    assert reg.title == "Tên mới của mô hình"


def test_update_re_derives_the_receiving_unit_when_the_level_changes(secretary, chi_bo, year, khoi):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    reg = registration_update(registration=reg, editor=secretary, data={"level": Level.KHOI})
    assert reg.receiving_unit == khoi


def test_update_of_a_submitted_registration_is_refused(secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    with pytest.raises(ValidationError) as exc:
        registration_update(registration=reg, editor=secretary, data={"title": "Tên mới"})
    assert exc.value.messages == [
        "Hồ sơ đang ở trạng thái “Đã gửi, chờ tiếp nhận”, không thể sửa. "
        "Có thể người khác vừa gửi hoặc xử lý hồ sơ này."
    ]


def test_update_of_a_returned_registration_is_allowed(secretary, approver, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    workflow.apply(reg, "return", actor=approver, reason="Bổ sung")
    reg = registration_update(registration=reg, editor=secretary, data={"indicators": "Chỉ tiêu mới"})
    assert (reg.status, reg.indicators) == (Status.RETURNED, "Chỉ tiêu mới")


@pytest.mark.parametrize("persona", ["approver", "viewer", "outsider"])
def test_update_by_a_non_editor_is_refused(request, persona, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="Tên cũ")
    with pytest.raises(PermissionDenied):
        registration_update(registration=reg, editor=request.getfixturevalue(persona), data={"title": "Tên mới"})
    reg.refresh_from_db()
    assert reg.title == "Tên cũ"


def test_update_cannot_move_the_subject_out_of_scope(secretary, chi_bo, year, other_chi_bo):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    with pytest.raises(ValidationError):
        registration_update(registration=reg, editor=secretary, data={"subject_unit": other_chi_bo})
    reg.refresh_from_db()
    assert reg.subject_unit == chi_bo


def test_update_keeps_a_year_closed_since_creation(secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    year.is_open = False
    year.save()
    reg = registration_update(registration=reg, editor=secretary, data={"year": year, "title": "Tên mới"})
    assert reg.title == "Tên mới"


def test_update_stores_text_in_nfc(secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    reg = registration_update(registration=reg, editor=secretary, data={"address": "Pho\u0302\u0300 Xu\u031bo\u031bng"})
    assert reg.address == "Phồ Xương"
