"""The staff admin: bad input gets a Vietnamese message beside the field and saves nothing, the unit tree stays
valid, status is never editable, list pages do not grow queries with their rows, and only staff get in."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from registry import workflow
from registry.models import (
    Document,
    Guidance,
    Person,
    Registration,
    Role,
    Status,
    StatusChange,
    SubjectKind,
    Unit,
    UnitKind,
    Year,
)
from registry.models.guidance import DEADLINES
from registry.unit_tree import INTO_OWN_SUBTREE, KHOI_KIND_LOCKED, KHOI_MUST_BE_ROOT, NEEDS_PARENT
from tests.factories import MembershipFactory, PersonFactory, RegistrationFactory, UnitFactory, UserFactory


def _html_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return None  # files are uploaded, never posted back as text
    return value


def change_form_data(response, **overrides) -> dict:
    """What the browser would post back from an admin change form as rendered, with ``overrides`` applied."""
    data = {}

    def add(form):
        for name in form.fields:
            bound = form[name]
            value = _html_value(bound.value())
            if value is not None:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def unit_url(unit=None):
    return reverse("admin:registry_unit_change", args=[unit.pk]) if unit else reverse("admin:registry_unit_add")


def post_unit(client, unit=None, **overrides):
    page = client.get(unit_url(unit))
    return client.post(unit_url(unit), change_form_data(page, **overrides))


def field_errors(response, name):
    return response.context["adminform"].form.errors.get(name, [])


# --- the unit tree --------------------------------------------------------------------------------------------


def test_unit_form_offers_vietnamese_position_choices(admin_client, chi_bo):
    response = admin_client.get(unit_url(chi_bo))
    html = response.content.decode()
    assert "Là đơn vị con của" in html
    assert "Ngang cấp với" in html
    assert "-- gốc --" in html
    assert "Child of" not in html and "Relative to" not in html


def test_unit_posted_under_its_own_descendant_is_an_invalid_choice_and_nothing_moves(admin_client, dang_bo, chi_bo):
    before = dang_bo.path
    response = post_unit(admin_client, dang_bo, treebeard_ref_node=chi_bo.pk, treebeard_position="sorted-child")
    assert response.status_code == 200
    assert field_errors(response, "treebeard_ref_node") == [
        INTO_OWN_SUBTREE + " Vui lòng chọn đơn vị khác trong danh sách."
    ]
    dang_bo.refresh_from_db()
    chi_bo.refresh_from_db()
    assert dang_bo.path == before
    assert Unit.objects.get_parent(chi_bo) == dang_bo


def test_new_khoi_placed_under_a_parent_gets_a_form_error_not_a_500(admin_client, khoi):
    response = post_unit(
        admin_client,
        name="Đảng bộ Khối doanh nghiệp",
        code="DNK",
        kind=UnitKind.KHOI,
        treebeard_position="sorted-child",
        treebeard_ref_node=khoi.pk,
    )
    assert response.status_code == 200
    assert field_errors(response, "treebeard_ref_node") == [KHOI_MUST_BE_ROOT]
    assert not Unit.objects.filter(code="DNK").exists()


def test_new_chi_bo_without_a_parent_gets_a_form_error(admin_client, khoi):
    response = post_unit(
        admin_client, name="Chi bộ mới", code="CB-MOI", kind=UnitKind.CHI_BO, treebeard_position="sorted-child"
    )
    assert field_errors(response, "treebeard_ref_node") == [NEEDS_PARENT]
    assert not Unit.objects.filter(code="CB-MOI").exists()


def test_existing_unit_moved_beside_the_root_gets_a_form_error_and_stays(admin_client, khoi, dang_bo):
    before = dang_bo.path
    response = post_unit(admin_client, dang_bo, treebeard_position="sorted-sibling", treebeard_ref_node=khoi.pk)
    assert field_errors(response, "treebeard_ref_node") == [NEEDS_PARENT]
    dang_bo.refresh_from_db()
    assert dang_bo.path == before and dang_bo.depth == 2


def test_khoi_kind_cannot_be_changed(admin_client, khoi):
    response = post_unit(admin_client, khoi, kind=UnitKind.DANG_BO_CO_SO)
    assert field_errors(response, "kind") == [KHOI_KIND_LOCKED]
    khoi.refresh_from_db()
    assert khoi.kind == UnitKind.KHOI


def test_duplicate_unit_code_gets_the_vietnamese_message(admin_client, dang_bo):
    response = post_unit(
        admin_client,
        name="Đảng bộ khác",
        code="SYT-DB",
        kind=UnitKind.DANG_BO_CO_SO,
        treebeard_position="sorted-child",
        treebeard_ref_node=Unit.objects.get_parent(dang_bo).pk,
    )
    assert field_errors(response, "code") == ["Mã đơn vị này đã được dùng cho một đơn vị khác."]
    assert Unit.objects.filter(code="SYT-DB").count() == 1


def test_empty_name_and_too_long_code_get_vietnamese_messages(admin_client, chi_bo):
    response = post_unit(admin_client, chi_bo, name="", code="X" * 31)
    assert field_errors(response, "name") == ["Trường này là bắt buộc."]
    assert field_errors(response, "code") == ["Giá trị này chỉ có tối đa 30 kí tự (hiện có 31)"]
    chi_bo.refresh_from_db()
    assert chi_bo.name == "Chi bộ Phòng Nghiệp vụ Y"


def test_moving_a_chi_bo_to_another_dang_bo_makes_its_registrations_visible_there(
    admin_client, chi_bo, other_dang_bo, year
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    new_approver = MembershipFactory(unit=other_dang_bo, role=Role.APPROVER).user
    response = post_unit(admin_client, chi_bo, treebeard_position="sorted-child", treebeard_ref_node=other_dang_bo.pk)
    assert response.status_code == 302
    chi_bo.refresh_from_db()
    reg.refresh_from_db()
    assert Unit.objects.get_parent(chi_bo) == other_dang_bo
    assert list(Registration.objects.visible_to(new_approver)) == [reg]


def test_adding_a_sibling_that_sorts_first_keeps_registrations_visible(admin_client, dang_bo, chi_bo, year, approver):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    response = post_unit(
        admin_client,
        name="Chi bộ An ninh nội bộ",  # sorts before "Chi bộ Phòng Nghiệp vụ Y": treebeard shifts its path
        code="SYT-CB-AN",
        kind=UnitKind.CHI_BO,
        treebeard_position="sorted-child",
        treebeard_ref_node=dang_bo.pk,
    )
    assert response.status_code == 302
    chi_bo.refresh_from_db()
    reg.refresh_from_db()
    assert Unit.objects.get_parent(Unit.objects.get(code="SYT-CB-AN")) == dang_bo
    assert list(Registration.objects.visible_to(approver)) == [reg]


def test_drag_and_drop_refuses_to_make_a_chi_bo_a_root(admin_client, khoi, chi_bo):
    before = chi_bo.path
    response = admin_client.post(
        reverse("admin:registry_unit_changelist") + "move/",
        {"node": chi_bo.pk, "target": khoi.pk, "relation": "sibling"},
    )
    assert response.status_code == 400
    chi_bo.refresh_from_db()
    assert chi_bo.path == before
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Không chuyển được “{chi_bo}”: {NEEDS_PARENT}"]


def test_drag_and_drop_moves_a_chi_bo_under_another_dang_bo(admin_client, chi_bo, other_dang_bo):
    response = admin_client.post(
        reverse("admin:registry_unit_changelist") + "move/",
        {"node": chi_bo.pk, "target": other_dang_bo.pk, "relation": "child"},
    )
    assert response.status_code == 200
    chi_bo.refresh_from_db()
    assert Unit.objects.get_parent(chi_bo) == other_dang_bo


def test_unit_search_ignores_diacritics(admin_client, dang_bo, other_dang_bo):
    response = admin_client.get(reverse("admin:registry_unit_changelist"), {"q": "so y te"})
    names = {unit.name for unit in response.context["cl"].result_list}
    assert names == {"Đảng bộ Sở Y tế", "Sở Y tế", "Công đoàn Sở Y tế"}


# --- dates, people, documents -----------------------------------------------------------------------------------


def year_data(**overrides):
    data = {
        "year": "2025",
        # Every year runs under a guidance: the one migration 0012 makes (Hướng dẫn 29-HD/ĐUK).
        "guidance": str(Guidance.objects.get(code="29-hd-duk-2024").pk),
        "is_open": "on",
        "registration_deadline_base": "28/02/2025",
        "registration_deadline_khoi": "20/03/2025",
        "review_deadline_base": "31/10/2025",
        "review_deadline_khoi": "30/11/2025",
        "report_half_year_deadline": "10/06/2025",
        "report_annual_deadline": "10/12/2025",
    }
    return data | overrides


def test_impossible_date_gets_a_vietnamese_error_beside_the_field_and_nothing_is_saved(admin_client, db):
    response = admin_client.post(
        reverse("admin:registry_year_add"), year_data(year="2024", registration_deadline_base="31/02/2024")
    )
    assert response.status_code == 200
    assert field_errors(response, "registration_deadline_base") == ["Nhập một ngày hợp lệ."]
    assert "Nhập một ngày hợp lệ." in response.content.decode()
    assert not Year.objects.filter(year=2024).exists()


def test_date_typed_dd_mm_yyyy_is_saved_as_day_then_month(admin_client, db):
    response = admin_client.post(reverse("admin:registry_year_add"), year_data(registration_deadline_base="05/03/2025"))
    assert response.status_code == 302
    assert Year.objects.get(year=2025).registration_deadline_base == datetime.date(2025, 3, 5)


def test_a_new_year_left_without_deadlines_takes_those_of_its_guidance(admin_client, db):
    later = Guidance.objects.create(
        code="hd-2026", registration_deadline_khoi_month=4, registration_deadline_khoi_day=5
    )
    blank = dict.fromkeys(DEADLINES, "")
    response = admin_client.post(reverse("admin:registry_year_add"), year_data(year="2026", guidance=later.pk, **blank))
    assert response.status_code == 302
    year = Year.objects.get(year=2026)
    assert year.registration_deadline_khoi == datetime.date(2026, 4, 5)
    assert year.registration_deadline_base == datetime.date(2026, 2, 28)


def test_the_year_add_form_offers_the_latest_guidance(admin_client, db):
    later = Guidance.objects.create(code="hd-2026", guidance_date=datetime.date(2025, 12, 1))
    response = admin_client.get(reverse("admin:registry_year_add"))
    assert response.context["adminform"].form["guidance"].value() == later.pk


def test_a_guidance_deadline_of_31_february_gets_a_vietnamese_error_and_nothing_is_saved(admin_client, db):
    guidance = Guidance.objects.get(code="29-hd-duk-2024")
    url = reverse("admin:registry_guidance_change", args=[guidance.pk])
    data = change_form_data(admin_client.get(url), registration_deadline_base_day="31")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert field_errors(response, "registration_deadline_base_day") == [
        "Không có ngày 31/2: tháng 2 chỉ có 28 hoặc 29 ngày."
    ]
    guidance.refresh_from_db()
    assert guidance.registration_deadline_base_day == 29


def test_party_member_without_chi_bo_gets_a_vietnamese_error(admin_client, agency):
    response = admin_client.post(
        reverse("admin:registry_person_add"),
        {"full_name": "Trần Văn Bình", "work_unit": agency.pk, "is_party_member": "on", "birth_date": "01/02/1980"},
    )
    assert field_errors(response, "party_cell") == ["Đảng viên phải có chi bộ sinh hoạt."]
    assert not Person.objects.filter(full_name="Trần Văn Bình").exists()


def test_duplicate_document_number_gets_a_vietnamese_error_not_a_500(admin_client, chi_bo):
    common = {"form_code": "mau_5a", "issuing_unit": chi_bo, "year": 2025, "issued_on": datetime.date(2025, 10, 3)}
    Document.objects.create(number="12-BB/CB", subject="Biên bản họp xét", **common)
    second = Document.objects.create(number="13-BB/CB", subject="Biên bản họp xét lần 2", **common)
    url = reverse("admin:registry_document_change", args=[second.pk])
    response = admin_client.post(url, change_form_data(admin_client.get(url), number="12-BB/CB"))
    assert field_errors(response, "number") == ["Số văn bản này đơn vị đã dùng trong năm."]
    second.refresh_from_db()
    assert second.number == "13-BB/CB"


# --- registrations and their history ---------------------------------------------------------------------------


def test_registrations_cannot_be_added_in_the_admin(admin_client, db):
    assert admin_client.get(reverse("admin:registry_registration_add")).status_code == 403


def test_posting_a_status_in_the_admin_changes_nothing_but_the_wording(admin_client, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    url = reverse("admin:registry_registration_change", args=[reg.pk])
    page = admin_client.get(url)
    assert "status" not in page.context["adminform"].form.fields
    response = admin_client.post(
        url, change_form_data(page, title="Dân vận khéo trong tiếp dân", status=Status.ACTIVE, unit=chi_bo.pk + 99)
    )
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.title == "Dân vận khéo trong tiếp dân"
    assert reg.status == Status.DRAFT
    assert reg.unit == chi_bo
    assert not StatusChange.objects.filter(registration=reg).exists()


def test_registration_change_page_shows_its_status_history(admin_client, chi_bo, year, secretary):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    response = admin_client.get(reverse("admin:registry_registration_change", args=[reg.pk]))
    html = response.content.decode()
    assert "Đã gửi, chờ tiếp nhận" in html
    assert "bithu" in html


def test_status_history_cannot_be_added_changed_or_deleted(admin_client, chi_bo, year, secretary):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    change = StatusChange.objects.get(registration=reg)
    assert admin_client.get(reverse("admin:registry_statuschange_add")).status_code == 403
    url = reverse("admin:registry_statuschange_change", args=[change.pk])
    assert admin_client.post(url, {"to_status": Status.ACTIVE}).status_code == 403
    assert admin_client.post(reverse("admin:registry_statuschange_delete", args=[change.pk])).status_code == 403
    change.refresh_from_db()
    assert change.to_status == Status.SUBMITTED


def test_secretary_who_is_not_staff_is_sent_to_the_admin_login(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    url = reverse("admin:registry_registration_change", args=[reg.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_without_permission_gets_403_on_a_registration(client, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(UserFactory(username="nhanvien", is_staff=True))
    response = client.get(reverse("admin:registry_registration_change", args=[reg.pk]))
    assert response.status_code == 403


def test_staff_with_view_permission_reads_a_registration_without_a_save_button(client, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    staff = UserFactory(username="kiemtra", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_registration"))
    MembershipFactory(user=staff, unit=chi_bo, role=Role.VIEWER)
    client.force_login(staff)
    url = reverse("admin:registry_registration_change", args=[reg.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(url, {"title": "Đổi tên"}).status_code == 403


def test_user_page_edits_the_accounts_roles_in_units(admin_client, secretary):
    response = admin_client.get(reverse("admin:auth_user_change", args=[secretary.pk]))
    html = response.content.decode()
    assert "vai trò tại đơn vị" in html.lower()
    assert "Chi bộ Phòng Nghiệp vụ Y" in html


# --- list pages do not grow queries with their rows -------------------------------------------------------------


@pytest.fixture
def many_chi_bo(dang_bo):
    return [
        UnitFactory(parent=dang_bo, code=f"CB{n:02d}", name=f"Chi bộ số {n:02d}", kind=UnitKind.CHI_BO)
        for n in range(35)
    ]


def test_unit_tree_list_of_35_roots_has_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries, db):
    for n in range(35):
        UnitFactory(code=f"K{n:02d}", name=f"Đảng bộ Khối số {n:02d}")
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:registry_unit_changelist"))
    assert len(response.context["cl"].result_list) == 35


def test_unit_filtered_list_of_35_has_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, many_chi_bo
):
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:registry_unit_changelist"), {"kind__exact": UnitKind.CHI_BO})
    assert len(response.context["cl"].result_list) == Unit.objects.filter(kind=UnitKind.CHI_BO).count()


def test_person_list_of_35_has_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, many_chi_bo, agency
):
    for n, cell in enumerate(many_chi_bo):
        PersonFactory(full_name=f"Nguyễn Văn Số {n:02d}", work_unit=agency, party_cell=cell)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:registry_person_changelist"))
    assert len(response.context["cl"].result_list) == 35


def test_membership_list_of_35_has_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries, many_chi_bo):
    for n, cell in enumerate(many_chi_bo):
        MembershipFactory(user=UserFactory(username=f"bithu{n:02d}"), unit=cell)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:registry_membership_changelist"))
    assert len(response.context["cl"].result_list) == 35


def test_registration_list_of_35_has_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries, many_chi_bo, agency, year
):
    for n, cell in enumerate(many_chi_bo):
        if n % 2:
            RegistrationFactory(subject_unit=cell, year=year)
        else:
            person = PersonFactory(full_name=f"Lê Thị Số {n:02d}", work_unit=agency, party_cell=cell)
            RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=person, year=year)
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:registry_registration_changelist"))
    assert len(response.context["cl"].result_list) == 35
    assert Registration.objects.count() == 35


def test_unit_autocomplete_ignores_diacritics_and_offers_only_party_units_as_chi_bo(admin_client, chi_bo, agency):
    url = reverse("admin:autocomplete")
    params = {"app_label": "registry", "model_name": "person", "term": "y te"}
    work_units = admin_client.get(url, params | {"field_name": "work_unit"}).json()["results"]
    cells = admin_client.get(url, params | {"field_name": "party_cell"}).json()["results"]
    assert {r["text"] for r in work_units} >= {"Sở Y tế", "Đảng bộ Sở Y tế"}
    assert "Sở Y tế" not in {r["text"] for r in cells}
    assert "Đảng bộ Sở Y tế" in {r["text"] for r in cells}


def test_deleting_a_dang_bo_whose_chi_bo_has_registrations_is_refused_on_the_confirmation_page(
    admin_client, dang_bo, chi_bo, member, year
):
    # Received by the chi bộ itself: nothing points at the đảng bộ, only at units below it.
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    url = reverse("admin:registry_unit_delete", args=[dang_bo.pk])
    page = admin_client.get(url)
    assert page.context["protected"]
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert Unit.objects.filter(pk__in=[dang_bo.pk, chi_bo.pk]).count() == 2


def test_deleting_an_empty_unit_removes_it(admin_client, other_chi_bo):
    response = admin_client.post(reverse("admin:registry_unit_delete", args=[other_chi_bo.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=other_chi_bo.pk).exists()


def test_the_unit_tree_opens_a_unit_with_more_children_than_a_page(admin_client):
    khoi = UnitFactory(code="KHOI-R", name="Đảng bộ Khối rộng", kind=UnitKind.KHOI)
    for i in range(101):
        UnitFactory(code=f"DB-R{i}", name=f"Đảng bộ số {i:03d}", kind=UnitKind.DANG_BO_CO_SO, parent=khoi)

    response = admin_client.get(reverse("admin:registry_unit_changelist") + f"children/{khoi.pk}/")

    assert response.status_code == 200
