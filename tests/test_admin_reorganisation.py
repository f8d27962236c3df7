"""Reorganising the tree in the admin: superusers only, a form with Vietnamese messages beside the fields, a
confirmation that counts what follows, one transaction, and a read-only history on the unit's page."""

import datetime
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import reorganisation
from registry.models import Registration, Reorganisation, ReorganisationKind, Status, Unit
from registry.reorganisation_forms import DATE_INVALID, UNIT_INVALID
from tests.factories import RegistrationFactory, UserFactory
from tests.test_admin import post_unit


def url(unit, operation):
    return reverse("admin:registry_unit_reorganise", args=[unit.pk, operation])


def unit_rows():
    return sorted(Unit.objects.values_list("pk", "path", "name", "print_name", "is_active"))


def field_errors(response, name):
    return response.context["form"].errors.get(name, [])


# --- Access ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", ["sap-nhap", "chuyen", "doi-ten"])
def test_scoped_staff_with_every_permission_cannot_open_a_reorganisation(client, scoped_staff, chi_bo, operation):
    client.force_login(scoped_staff)
    assert client.get(url(chi_bo, operation)).status_code == 403


@pytest.mark.parametrize(
    ("operation", "data"),
    [
        ("sap-nhap", {"target": "STC-CB-NS", "effective_on": "01/07/2025", "xac_nhan": "1"}),
        ("chuyen", {"new_parent": "STC-DB", "effective_on": "01/07/2025", "xac_nhan": "1"}),
        ("doi-ten", {"name": "Chi bộ đã đổi tên", "effective_on": "01/07/2025", "xac_nhan": "1"}),
    ],
)
def test_scoped_staff_cannot_reorganise_by_posting_to_the_url(client, scoped_staff, unit_tree, operation, data):
    if "target" in data:
        data["target"] = unit_tree[data["target"]].pk
    if "new_parent" in data:
        data["new_parent"] = unit_tree[data["new_parent"]].pk
    before = unit_rows()
    client.force_login(scoped_staff)
    assert client.post(url(unit_tree["SYT-CB-NVY"], operation), data).status_code == 403
    assert unit_rows() == before
    assert not Reorganisation.objects.exists()


def test_scoped_staff_see_no_reorganisation_links_on_a_units_page(client, scoped_staff, chi_bo):
    client.force_login(scoped_staff)
    page = client.get(reverse("admin:registry_unit_change", args=[chi_bo.pk])).content.decode()
    assert url(chi_bo, "sap-nhap") not in page


def test_a_superuser_finds_the_three_operations_on_a_units_page(admin_client, chi_bo):
    page = admin_client.get(reverse("admin:registry_unit_change", args=[chi_bo.pk])).content.decode()
    for operation, label in (("sap-nhap", "Sáp nhập vào đơn vị khác"), ("chuyen", "Chuyển sang đơn vị cấp trên mới"),
                             ("doi-ten", "Đổi tên")):  # fmt: skip
        assert f'href="{url(chi_bo, operation)}"' in page and label in page


@pytest.mark.parametrize(
    "path",
    ["/admin/registry/unit/999999/to-chuc-lai/sap-nhap/", "/admin/registry/unit/{pk}/to-chuc-lai/xoa-het/"],
    ids=["unknown-unit", "unknown-operation"],
)
def test_an_unknown_unit_or_operation_is_a_404(admin_client, chi_bo, path):
    assert admin_client.get(path.format(pk=chi_bo.pk)).status_code == 404


def test_the_history_admin_is_read_only_even_for_a_superuser(admin_client):
    assert admin_client.get(reverse("admin:registry_reorganisation_add")).status_code == 403


# --- The form, the confirmation, the operation -----------------------------------------------------------------------


def test_the_merge_preview_counts_what_follows_and_changes_nothing(admin_client, other_dang_bo, dang_bo, year):
    RegistrationFactory(subject_unit=other_dang_bo, year=year)
    before = unit_rows()
    response = admin_client.post(url(other_dang_bo, "sap-nhap"), {"target": dang_bo.pk, "effective_on": "01/07/2025"})
    page = response.content.decode()
    assert "“Đảng bộ Sở Tài chính” sẽ sáp nhập vào “Đảng bộ Sở Y tế” từ ngày 01/07/2025" in page
    assert "1 hồ sơ đăng ký của đơn vị hoặc do đơn vị tiếp nhận" in page
    assert "1 đơn vị cấp dưới (cùng các đơn vị trực thuộc)" in page
    assert "Xác nhận thực hiện" in page
    assert unit_rows() == before and not Reorganisation.objects.exists()


def test_confirming_a_merge_applies_it_and_shows_it_in_the_units_history(admin_client, other_dang_bo, dang_bo, year):
    reg = RegistrationFactory(subject_unit=other_dang_bo, year=year, status=Status.SUBMITTED)
    response = admin_client.post(
        url(other_dang_bo, "sap-nhap"),
        {"target": dang_bo.pk, "effective_on": "01/07/2025", "basis": "Quyết định số 12-QĐ/TU", "xac_nhan": "1"},
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=reg.pk).unit == dang_bo
    event = Reorganisation.objects.get()
    assert (event.kind, event.basis, event.actor.username) == (ReorganisationKind.MERGE, "Quyết định số 12-QĐ/TU",
                                                               "admin")  # fmt: skip
    page = admin_client.get(response.url).content.decode()
    assert "Đơn vị đã sáp nhập vào đơn vị này" not in page  # the merged unit's own page shows its own history
    assert "sáp nhập vào “Đảng bộ Sở Y tế”" in page
    target_page = admin_client.get(reverse("admin:registry_unit_change", args=[dang_bo.pk])).content.decode()
    assert "“Đảng bộ Sở Tài chính” sáp nhập vào “Đảng bộ Sở Y tế”" in target_page


def test_confirming_a_move_applies_it(admin_client, other_chi_bo, dang_bo):
    admin_client.post(
        url(other_chi_bo, "chuyen"), {"new_parent": dang_bo.pk, "effective_on": "01/07/2025", "xac_nhan": "1"}
    )
    assert Unit.objects.get_parent(Unit.objects.get(pk=other_chi_bo.pk)) == Unit.objects.get(pk=dang_bo.pk)
    assert Reorganisation.objects.get().kind == ReorganisationKind.MOVE


def test_confirming_a_rename_applies_it(admin_client, khoi):
    admin_client.post(
        url(khoi, "doi-ten"),
        {"name": "Đảng bộ các cơ quan Đảng tỉnh", "print_name": "", "effective_on": "01/07/2025", "xac_nhan": "1"},
    )
    assert Unit.objects.get(pk=khoi.pk).name == "Đảng bộ các cơ quan Đảng tỉnh"
    assert Reorganisation.objects.get().old_name == "Đảng bộ Khối các cơ quan tỉnh"


def test_a_name_typed_decomposed_is_measured_as_saved_in_nfc(admin_client, khoi):
    # 200 letters "ệ" are 200 characters in NFC (as saved) but 600 decomposed: within the 255 allowed.
    name = unicodedata.normalize("NFD", "Đảng bộ " + "ệ" * 200)
    response = admin_client.post(url(khoi, "doi-ten"), {"name": name, "effective_on": "01/07/2025", "xac_nhan": "1"})
    assert response.status_code == 302
    assert Unit.objects.get(pk=khoi.pk).name == unicodedata.normalize("NFC", name)


def test_a_control_character_in_the_typed_basis_gets_no_english_message(admin_client, khoi):
    response = admin_client.post(
        url(khoi, "doi-ten"), {"name": "Tên mới", "basis": "Quyết định\x00 số 12", "effective_on": "01/07/2025"}
    )
    assert "Null characters" not in response.content.decode()
    assert response.context["form"].errors == {}


def test_going_back_from_the_preview_keeps_what_was_typed(admin_client, khoi):
    response = admin_client.post(
        url(khoi, "doi-ten"), {"name": "Tên mới của Khối", "effective_on": "01/07/2025", "sua": "1"}
    )
    page = response.content.decode()
    assert 'value="Tên mới của Khối"' in page and "Xác nhận thực hiện" not in page


# --- Bad input: a Vietnamese message beside the field, nothing changed ----------------------------------------------


@pytest.mark.parametrize(
    ("operation", "unit_code", "data", "field", "message"),
    [
        ("sap-nhap", "STC-DB", {"target": "STC-DB"}, "target", reorganisation.MERGE_INTO_ITSELF),
        ("sap-nhap", "STC-DB", {"target": "STC-CB-NS"}, "target", reorganisation.MERGE_INTO_OWN_SUBTREE),
        ("sap-nhap", "SYT-CB-NVY", {"target": "SYT"}, "target", "hai loại đơn vị không tương ứng"),
        ("sap-nhap", "STC-DB", {}, "target", "Vui lòng chọn đơn vị nhận sáp nhập."),
        ("chuyen", "STC-DB", {"new_parent": "STC-CB-NS"}, "new_parent", "chính nó hoặc vào đơn vị cấp dưới của nó"),
        ("doi-ten", "SYT-DB", {"name": "  "}, "name", reorganisation.NAME_REQUIRED),
        ("doi-ten", "SYT-DB", {"name": "ĐẢNG BỘ SỞ TÀI CHÍNH"}, "name", "Đã có đơn vị cùng cấp tên"),
    ],
    ids=[
        "merge-into-itself",
        "merge-into-descendant",
        "merge-incompatible-kinds",
        "merge-without-target",
        "move-under-descendant",
        "rename-empty",
        "rename-duplicate",
    ],  # fmt: skip
)
def test_bad_input_is_refused_beside_its_field_and_nothing_changes(
    admin_client, unit_tree, operation, unit_code, data, field, message
):
    data = {"effective_on": "01/07/2025", "xac_nhan": "1", **data}
    for key in ("target", "new_parent"):
        if key in data:
            data[key] = unit_tree[data[key]].pk
    before = unit_rows()
    response = admin_client.post(url(unit_tree[unit_code], operation), data)
    assert response.status_code == 200
    assert any(message in error for error in field_errors(response, field))
    assert message in response.content.decode()
    assert unit_rows() == before and not Reorganisation.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", reorganisation.DATE_REQUIRED),
        ("31/02/2025", DATE_INVALID),
        ((timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y"), reorganisation.DATE_IN_FUTURE),
        ("01/01/1900", reorganisation.DATE_TOO_EARLY),
    ],
    ids=["missing", "no-such-day", "tomorrow", "before-1930"],
)
def test_an_impossible_effective_date_is_refused_beside_the_date(admin_client, khoi, typed, message):
    response = admin_client.post(url(khoi, "doi-ten"), {"name": "Tên mới", "effective_on": typed, "xac_nhan": "1"})
    assert field_errors(response, "effective_on") == [message]
    assert Unit.objects.get(pk=khoi.pk).name == "Đảng bộ Khối các cơ quan tỉnh"


# --- Ordinary edits keep the history whole --------------------------------------------------------------------------


def test_renaming_a_unit_in_its_ordinary_form_is_recorded_today(admin_client, chi_bo):
    post_unit(admin_client, chi_bo, name="Chi bộ Phòng Nghiệp vụ Y – Dược")
    event = Reorganisation.objects.get()
    assert (event.kind, event.old_name, event.new_name, event.effective_on) == (
        ReorganisationKind.RENAME, "Chi bộ Phòng Nghiệp vụ Y", "Chi bộ Phòng Nghiệp vụ Y – Dược", timezone.localdate(),
    )  # fmt: skip


def test_moving_a_unit_by_drag_and_drop_is_recorded(admin_client, chi_bo, dang_bo, other_dang_bo):
    admin_client.post(
        reverse("admin:registry_unit_changelist") + "move/",
        {"node": chi_bo.pk, "target": other_dang_bo.pk, "relation": "child"},
    )
    event = Reorganisation.objects.get()
    assert (event.kind, event.old_parent, event.new_parent) == (ReorganisationKind.MOVE, dang_bo, other_dang_bo)


def test_a_merged_units_page_offers_no_reorganisation(admin_client, other_dang_bo, dang_bo):
    actor = UserFactory(username="quantri2", is_staff=True, is_superuser=True)
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=datetime.date(2025, 7, 1), actor=actor)
    page = admin_client.get(reverse("admin:registry_unit_change", args=[other_dang_bo.pk])).content.decode()
    assert url(other_dang_bo, "doi-ten") not in page


def test_a_move_under_its_own_descendant_with_a_bad_date_gets_both_messages(admin_client, dang_bo, chi_bo):
    response = admin_client.post(url(dang_bo, "chuyen"), {"new_parent": chi_bo.pk, "effective_on": "32/13/2025"})
    assert field_errors(response, "effective_on") == [DATE_INVALID]
    assert "chính nó hoặc vào đơn vị cấp dưới của nó" in field_errors(response, "new_parent")[0]


@pytest.mark.parametrize(
    "path",
    [
        "/admin/registry/unit/99999999999999999999999/to-chuc-lai/doi-ten/",
        "/admin/registry/unit/99999999999999999999999/change/",
        "/admin/registry/unit/abc/to-chuc-lai/doi-ten/",
        "/admin/registry/unit/%C2%B2/change/",  # "²": a digit to str.isdigit(), not to int()
        "/admin/registry/unit/%E2%91%A0/change/",  # "①"
    ],
    ids=["huge-id", "huge-id-change-page", "not-a-number", "superscript-two", "circled-one"],
)
def test_a_malformed_unit_id_is_never_a_server_error(admin_client, path):
    assert admin_client.get(path).status_code in (302, 404)


@pytest.mark.parametrize("target", ["99999999999999999999999", "abc", "-1"])
def test_a_malformed_target_is_refused_beside_the_field(admin_client, other_dang_bo, target):
    response = admin_client.post(url(other_dang_bo, "sap-nhap"), {"target": target, "effective_on": "01/07/2025"})
    assert field_errors(response, "target") == [UNIT_INVALID]
