"""Staff who are not superusers act in the admin only within their memberships' part of the unit tree."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from registry.models import Person, Registration, Role, Unit, UnitKind
from tests.factories import MembershipFactory, PersonFactory, RegistrationFactory, UserFactory


def staff_of(unit, *codenames):
    """A staff account with a viewer membership of ``unit`` and the given model permissions."""
    user = UserFactory(username=f"vanphong-{unit.code.lower()}", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    MembershipFactory(user=user, unit=unit, role=Role.VIEWER)
    return user


@pytest.fixture
def soyte_office(dang_bo):
    return staff_of(
        dang_bo, "view_registration", "view_unit", "add_unit", "change_unit", "view_person", "add_person",
        "change_person",
    )  # fmt: skip


def test_staff_lists_only_registrations_within_their_units(client, soyte_office, chi_bo, other_chi_bo, year):
    own = RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_unit=other_chi_bo, year=year)
    client.force_login(soyte_office)
    response = client.get(reverse("admin:registry_registration_changelist"))
    assert list(response.context["cl"].result_list) == [own]


def test_staff_opening_another_branchs_registration_by_url_sees_nothing_of_it(client, soyte_office, other_chi_bo, year):
    foreign = RegistrationFactory(subject_unit=other_chi_bo, year=year)
    client.force_login(soyte_office)
    response = client.get(reverse("admin:registry_registration_change", args=[foreign.pk]), follow=True)
    assert foreign.title not in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:index")


def test_staff_without_any_membership_sees_no_registration(client, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    staff = UserFactory(username="khongdonvi", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(staff)
    response = client.get(reverse("admin:registry_registration_changelist"))
    assert list(response.context["cl"].result_list) == []


def test_superuser_sees_every_branch(admin_client, chi_bo, other_chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_unit=other_chi_bo, year=year)
    response = admin_client.get(reverse("admin:registry_registration_changelist"))
    assert len(response.context["cl"].result_list) == Registration.objects.count() == 2


def test_staff_cannot_put_a_person_in_another_branchs_unit_by_form_field(client, soyte_office, agency, other_chi_bo):
    client.force_login(soyte_office)
    response = client.post(
        reverse("admin:registry_person_add"),
        {"full_name": "Phạm Văn Lạ", "work_unit": other_chi_bo.pk, "gender": "nam", "is_party_member": ""},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "work_unit" in errors
    assert not Person.objects.filter(full_name="Phạm Văn Lạ").exists()


def test_staff_cannot_hang_a_new_unit_under_another_branch_by_form_field(client, soyte_office, other_dang_bo):
    client.force_login(soyte_office)
    response = client.post(
        reverse("admin:registry_unit_add"),
        {
            "name": "Chi bộ lạ", "code": "CB-LA", "kind": UnitKind.CHI_BO, "is_active": "on",
            "treebeard_position": "sorted-child", "treebeard_ref_node": other_dang_bo.pk,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "treebeard_ref_node" in response.context["adminform"].form.errors
    assert not Unit.objects.filter(code="CB-LA").exists()


def test_staff_cannot_create_a_root_unit(client, soyte_office):
    client.force_login(soyte_office)
    response = client.post(
        reverse("admin:registry_unit_add"),
        {"name": "Khối mới", "code": "KHOI-MOI", "kind": UnitKind.KHOI, "is_active": "on",
         "treebeard_position": "sorted-sibling", "treebeard_ref_node": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["treebeard_ref_node"] == [
        "Vui lòng chọn đơn vị tham chiếu trong phạm vi đơn vị của bạn."
    ]
    assert not Unit.objects.filter(code="KHOI-MOI").exists()


def test_staff_adds_a_chi_bo_inside_their_own_dang_bo(client, soyte_office, dang_bo):
    client.force_login(soyte_office)
    response = client.post(
        reverse("admin:registry_unit_add"),
        {"name": "Chi bộ Phòng Dược", "code": "SYT-CB-DUOC", "kind": UnitKind.CHI_BO, "is_active": "on",
         "treebeard_position": "sorted-child", "treebeard_ref_node": dang_bo.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert Unit.objects.get_parent(Unit.objects.get(code="SYT-CB-DUOC")) == dang_bo


def test_staff_unit_tree_starts_at_their_own_unit(client, soyte_office, dang_bo):
    client.force_login(soyte_office)
    response = client.get(reverse("admin:registry_unit_changelist"))
    assert list(response.context["cl"].result_list) == [dang_bo]


def test_staff_unit_search_finds_only_their_subtree(client, soyte_office, dang_bo):
    client.force_login(soyte_office)
    response = client.get(reverse("admin:registry_unit_changelist"), {"q": "dang bo so"})
    assert [unit.name for unit in response.context["cl"].result_list] == ["Đảng bộ Sở Y tế"]


def test_staff_person_list_is_limited_to_their_units(client, soyte_office, agency, other_chi_bo):
    own = PersonFactory(full_name="Người Sở Y tế", work_unit=agency, is_party_member=False, party_cell=None)
    PersonFactory(full_name="Người Sở Tài chính", work_unit=other_chi_bo, is_party_member=False, party_cell=None)
    client.force_login(soyte_office)
    response = client.get(reverse("admin:registry_person_changelist"))
    assert list(response.context["cl"].result_list) == [own]


def test_staff_cannot_open_the_unit_import(client, soyte_office):
    client.force_login(soyte_office)
    assert client.get(reverse("admin:registry_unit_import")).status_code == 403


def test_staff_cannot_open_the_person_import(client, soyte_office):
    client.force_login(soyte_office)
    assert client.get(reverse("admin:registry_person_import")).status_code == 403


def test_staff_cannot_make_themselves_superuser_through_the_account_admin(client, dang_bo):
    staff = staff_of(dang_bo, "view_user", "change_user", "add_membership", "change_membership")
    client.force_login(staff)
    url = reverse("admin:auth_user_change", args=[staff.pk])
    assert client.get(url).status_code == 403
    client.post(url, {"username": staff.username, "is_superuser": "on", "is_staff": "on"})
    staff.refresh_from_db()
    assert staff.is_superuser is False


def test_staff_cannot_grant_roles_through_the_membership_admin(client, dang_bo, khoi):
    staff = staff_of(dang_bo, "view_membership", "add_membership", "change_membership")
    client.force_login(staff)
    response = client.post(
        reverse("admin:registry_membership_add"), {"user": staff.pk, "unit": khoi.pk, "role": Role.APPROVER}
    )
    assert response.status_code == 403
    assert not staff.memberships.filter(unit=khoi).exists()


def test_staff_only_reads_registrations_even_with_change_permission(client, dang_bo, chi_bo, year):
    staff = staff_of(dang_bo, "view_registration", "change_registration")
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(staff)
    url = reverse("admin:registry_registration_change", args=[reg.pk])
    assert client.post(url, {"title": "Tên đổi trong quản trị"}).status_code == 403
    reg.refresh_from_db()
    assert reg.title != "Tên đổi trong quản trị"


def test_staff_cannot_add_a_yearly_review_for_another_branch(client, dang_bo, other_chi_bo, year):
    staff = staff_of(dang_bo, "view_yearlyreview", "add_yearlyreview")
    foreign = RegistrationFactory(subject_unit=other_chi_bo, year=year)
    client.force_login(staff)
    response = client.post(
        reverse("admin:registry_yearlyreview_add"), {"registration": foreign.pk, "year": year.pk, "results": "x"}
    )
    assert response.status_code == 403
    assert not foreign.reviews.exists()


def test_admin_cannot_mark_a_registration_public(admin_client, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    response = admin_client.get(reverse("admin:registry_registration_change", args=[reg.pk]))
    assert 'name="is_public"' not in response.content.decode()
