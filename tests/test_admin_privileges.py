"""Privileges in the staff admin: catalogue data, groups and permissions are the superuser's; scoped staff add, edit
and move units only under a parent inside their subtree, of a kind that may sit there, and a move keeps the
registrations' receiving units coherent or is refused. Each gap is tried by URL and by POST as the scoped staff
account and as the dual-role account (both hold every model permission, tests/conftest.py)."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from registry.models import Criterion, Field, FormText, Registration, Role, Status, Unit, UnitKind, Year
from registry.unit_tree import OUTSIDE_SCOPE
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory
from tests.test_admin import change_form_data, field_errors

STAFF = ["scoped_staff", "dual_role_staff"]


@pytest.fixture(params=STAFF)
def staff(request):
    return request.getfixturevalue(request.param)


# --- catalogue ---------------------------------------------------------------------------------------------------


@pytest.fixture
def catalogue(reference_data, year):
    return {
        "year": year,
        "field": Field.objects.order_by("order").first(),
        "criterion": Criterion.objects.order_by("pk").first(),
        "formtext": FormText.objects.order_by("pk").first(),
    }


@pytest.mark.parametrize("model", ["year", "field", "criterion", "formtext"])
def test_staff_reads_a_catalogue_entry_without_a_save_button(client, staff, catalogue, model):
    client.force_login(staff)
    response = client.get(reverse(f"admin:registry_{model}_change", args=[catalogue[model].pk]))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.parametrize("model", ["year", "field", "criterion", "formtext"])
def test_staff_cannot_open_the_add_page_of_a_catalogue(client, staff, catalogue, model):
    client.force_login(staff)
    assert client.get(reverse(f"admin:registry_{model}_add")).status_code == 403


def test_staff_cannot_close_the_year_by_post(client, staff, admin_client, catalogue):
    year = catalogue["year"]
    data = change_form_data(admin_client.get(reverse("admin:registry_year_change", args=[year.pk])), is_open="")
    client.force_login(staff)
    response = client.post(reverse("admin:registry_year_change", args=[year.pk]), data)
    assert response.status_code == 403
    assert Year.objects.get(pk=year.pk).is_open is True


def test_staff_cannot_raise_a_criterions_maximum_score_by_post(client, staff, catalogue):
    criterion = catalogue["criterion"]
    client.force_login(staff)
    response = client.post(
        reverse("admin:registry_criterion_change", args=[criterion.pk]),
        {"group": criterion.group, "number": criterion.number, "text": criterion.text, "max_score": 100},
    )
    assert response.status_code == 403
    assert Criterion.objects.get(pk=criterion.pk).max_score == criterion.max_score


def test_staff_cannot_reword_a_printed_form_by_post(client, staff, catalogue):
    text = catalogue["formtext"]
    client.force_login(staff)
    response = client.post(
        reverse("admin:registry_formtext_change", args=[text.pk]),
        {"form_code": text.form_code, "key": text.key, "text": "Nội dung bị sửa trộm", "note": ""},
    )
    assert response.status_code == 403
    assert FormText.objects.get(pk=text.pk).text == text.text


def test_staff_cannot_delete_a_field_by_post(client, staff, catalogue):
    field = catalogue["field"]
    client.force_login(staff)
    response = client.post(reverse("admin:registry_field_delete", args=[field.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Field.objects.filter(pk=field.pk).exists()


def test_superuser_closes_the_year(admin_client, catalogue):
    year = catalogue["year"]
    url = reverse("admin:registry_year_change", args=[year.pk])
    response = admin_client.post(url, change_form_data(admin_client.get(url), is_open=""))
    assert response.status_code == 302
    assert Year.objects.get(pk=year.pk).is_open is False


# --- groups and permissions ----------------------------------------------------------------------------------------


def test_staff_cannot_open_the_group_list(client, staff):
    client.force_login(staff)
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_staff_cannot_add_a_group_holding_every_permission(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:auth_group_add"),
        {"name": "Toàn quyền", "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 403
    assert not Group.objects.filter(name="Toàn quyền").exists()


def test_staff_cannot_widen_a_group_they_belong_to(client, staff):
    group = Group.objects.create(name="Văn phòng")
    group.permissions.add(Permission.objects.get(codename="view_unit"))
    staff.groups.add(group)
    client.force_login(staff)
    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {"name": "Văn phòng", "permissions": list(Permission.objects.values_list("pk", flat=True))},
    )
    assert response.status_code == 403
    assert list(group.permissions.values_list("codename", flat=True)) == ["view_unit"]


def test_staff_cannot_give_an_account_a_permission_through_the_user_admin(client, staff, secretary):
    client.force_login(staff)
    response = client.post(
        reverse("admin:auth_user_change", args=[secretary.pk]),
        {"username": secretary.username, "user_permissions": [Permission.objects.get(codename="change_year").pk]},
    )
    assert response.status_code == 403
    assert not secretary.user_permissions.exists()


@pytest.mark.parametrize("url_name", ["admin:axes_accessattempt_changelist", "admin:axes_accesslog_changelist"])
def test_staff_cannot_read_or_clear_the_login_records(client, staff, url_name):
    client.force_login(staff)
    assert client.get(reverse(url_name)).status_code == 403


def test_superuser_adds_a_group(admin_client):
    response = admin_client.post(reverse("admin:auth_group_add"), {"name": "Văn phòng", "permissions": []})
    assert response.status_code == 302
    assert Group.objects.filter(name="Văn phòng").exists()


# --- the unit tree -----------------------------------------------------------------------------------------------


def unit_post(client, admin_client, unit=None, **overrides):
    """Post the unit form as ``client`` with what the superuser's form shows, ``overrides`` applied."""
    url = reverse("admin:registry_unit_change", args=[unit.pk]) if unit else reverse("admin:registry_unit_add")
    return client.post(url, change_form_data(admin_client.get(url), **overrides))


def test_staff_cannot_add_a_unit_beside_their_own_dang_bo_under_the_khoi_root(client, admin_client, staff, dang_bo):
    client.force_login(staff)
    response = unit_post(
        client, admin_client, name="Đảng bộ Sở lạ", code="SO-LA", kind=UnitKind.DANG_BO_CO_SO,
        treebeard_position="sorted-sibling", treebeard_ref_node=dang_bo.pk,
    )  # fmt: skip
    assert response.status_code == 200
    assert field_errors(response, "treebeard_ref_node") == [OUTSIDE_SCOPE]
    assert not Unit.objects.filter(code="SO-LA").exists()


def test_staff_cannot_move_their_chi_bo_out_of_their_dang_bo_by_sibling_position(
    client, admin_client, staff, dang_bo, chi_bo
):
    client.force_login(staff)
    response = unit_post(
        client, admin_client, chi_bo, treebeard_position="sorted-sibling", treebeard_ref_node=dang_bo.pk
    )
    assert field_errors(response, "treebeard_ref_node") == [OUTSIDE_SCOPE]
    chi_bo.refresh_from_db()
    assert Unit.objects.get_parent(chi_bo) == dang_bo


def test_staff_cannot_move_their_chi_bo_into_another_dang_bo_by_form_field(
    client, admin_client, staff, dang_bo, chi_bo, other_dang_bo
):
    client.force_login(staff)
    response = unit_post(
        client, admin_client, chi_bo, treebeard_position="sorted-child", treebeard_ref_node=other_dang_bo.pk
    )
    assert response.status_code == 200
    assert "treebeard_ref_node" in response.context["adminform"].form.errors
    assert Unit.objects.get_parent(Unit.objects.get(pk=chi_bo.pk)) == dang_bo


def test_staff_edits_their_own_dang_bo_where_it_is(client, admin_client, scoped_staff, dang_bo, khoi):
    client.force_login(scoped_staff)
    response = unit_post(client, admin_client, dang_bo, name="Đảng bộ Sở Y tế tỉnh")
    assert response.status_code == 302
    renamed = Unit.objects.get(pk=dang_bo.pk)
    assert renamed.name == "Đảng bộ Sở Y tế tỉnh"
    assert Unit.objects.get_parent(renamed) == khoi


def test_staff_cannot_move_their_own_dang_bo_under_another(client, admin_client, scoped_staff, dang_bo, other_dang_bo):
    client.force_login(scoped_staff)
    response = unit_post(
        client, admin_client, dang_bo, treebeard_position="sorted-child", treebeard_ref_node=other_dang_bo.pk
    )
    assert response.status_code == 200
    assert Unit.objects.get(pk=dang_bo.pk).depth == 2


@pytest.mark.parametrize("relation", ["child", "sibling"])
def test_staff_cannot_drag_their_chi_bo_out_of_their_subtree(client, staff, khoi, dang_bo, chi_bo, relation):
    target = khoi if relation == "child" else dang_bo
    client.force_login(staff)
    response = client.post(
        reverse("admin:registry_unit_changelist") + "move/",
        {"node": chi_bo.pk, "target": target.pk, "relation": relation},
    )
    assert response.status_code == 400
    assert Unit.objects.get_parent(Unit.objects.get(pk=chi_bo.pk)) == dang_bo


def test_a_chi_bo_truc_thuoc_cannot_hang_under_an_agency(client, admin_client, scoped_staff, agency):
    client.force_login(scoped_staff)
    response = unit_post(
        client, admin_client, name="Chi bộ lạc chỗ", code="CB-LAC", kind=UnitKind.CHI_BO,
        treebeard_position="sorted-child", treebeard_ref_node=agency.pk,
    )  # fmt: skip
    assert field_errors(response, "treebeard_ref_node") == [
        "Chi bộ trực thuộc phải là đơn vị con của đảng bộ cơ sở, không đặt dưới “Sở Y tế”."
    ]
    assert not Unit.objects.filter(code="CB-LAC").exists()


def test_superuser_cannot_drag_a_chi_bo_under_the_khoi_root(admin_client, khoi, chi_bo):
    response = admin_client.post(
        reverse("admin:registry_unit_changelist") + "move/", {"node": chi_bo.pk, "target": khoi.pk, "relation": "child"}
    )
    assert response.status_code == 400
    assert Unit.objects.get(pk=chi_bo.pk).depth == 3


def test_a_move_that_would_strand_received_registrations_is_refused(admin_client, chi_bo, dang_bo, other_dang_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    response = unit_post(
        admin_client, admin_client, chi_bo, treebeard_position="sorted-child", treebeard_ref_node=other_dang_bo.pk
    )
    assert field_errors(response, "treebeard_ref_node") == [
        "Không thể chuyển “Chi bộ Phòng Nghiệp vụ Y”: đơn vị có hồ sơ đăng ký với “Đảng bộ Sở Y tế”, đơn vị này sẽ "
        "không còn là cấp trên sau khi chuyển. Hãy xử lý các hồ sơ đó trước."
    ]
    assert Unit.objects.get_parent(Unit.objects.get(pk=chi_bo.pk)) == dang_bo
    assert Registration.objects.get(pk=reg.pk).receiving_unit == dang_bo


def test_a_moved_draft_is_registered_with_the_new_grassroots_committee(admin_client, chi_bo, other_dang_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    response = unit_post(
        admin_client, admin_client, chi_bo, treebeard_position="sorted-child", treebeard_ref_node=other_dang_bo.pk
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=reg.pk).receiving_unit == other_dang_bo


def test_a_dragged_draft_is_registered_with_the_new_grassroots_committee(admin_client, chi_bo, other_dang_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    response = admin_client.post(
        reverse("admin:registry_unit_changelist") + "move/",
        {"node": chi_bo.pk, "target": other_dang_bo.pk, "relation": "child"},
    )
    assert response.status_code == 200
    assert Registration.objects.get(pk=reg.pk).receiving_unit == other_dang_bo


# --- the catalogue role ------------------------------------------------------------------------------------------


def catalogue_manager(unit):
    """Staff in the catalogue group, holding every model permission, with a viewer role at ``unit``."""
    user = UserFactory(username=f"danhmuc-{unit.code.lower()}", is_staff=True)
    user.user_permissions.set(Permission.objects.all())
    user.groups.add(Group.objects.get_or_create(name=settings.CATALOGUE_GROUP_NAME)[0])
    MembershipFactory(user=user, unit=unit, role=Role.VIEWER)
    return user


def test_the_catalogue_role_at_the_khoi_root_closes_the_year(client, admin_client, khoi, catalogue):
    year = catalogue["year"]
    url = reverse("admin:registry_year_change", args=[year.pk])
    client.force_login(catalogue_manager(khoi))
    response = client.post(url, change_form_data(admin_client.get(url), is_open=""))
    assert response.status_code == 302
    assert Year.objects.get(pk=year.pk).is_open is False


def test_the_catalogue_role_below_the_khoi_root_only_reads(client, admin_client, dang_bo, catalogue):
    year = catalogue["year"]
    url = reverse("admin:registry_year_change", args=[year.pk])
    client.force_login(catalogue_manager(dang_bo))
    response = client.post(url, change_form_data(admin_client.get(url), is_open=""))
    assert response.status_code == 403
    assert Year.objects.get(pk=year.pk).is_open is True
