"""Registering in the browser (Mẫu 1, 1a, 2, 2a), editing, and the detail page."""

import datetime
import unicodedata

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import terms, workflow
from registry.forms import MSG_END_BEFORE_START, MSG_INVALID_CHOICE, MSG_INVALID_DATE
from registry.models import Field, Level, Registration, Role, Status, SubjectKind
from registry.views.registrations import DRAFT_SAVED_KEY
from tests.factories import MembershipFactory, PersonFactory, RegistrationFactory, UserFactory, YearFactory
from tests.papers import issue_registration_form

CREATE_MAU_1 = reverse("registry:registration-create", args=["mau-1"])


@pytest.fixture
def field(db):
    return Field.objects.get(code="phat-trien-kinh-te")


@pytest.fixture
def dang_bo_editor(dang_bo):
    """The office of Đảng bộ Sở Y tế: editor of the đảng bộ and everything below it."""
    user = UserFactory(username="vanphong", first_name="Thị Mai", last_name="Trần")
    MembershipFactory(user=user, unit=dang_bo, role=Role.EDITOR)
    return user


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo trong tiếp công dân")


def form_data(year, field, **overrides) -> dict:
    data = {
        "subject_headcount": "25",
        "title": "Dân vận khéo trong cải cách hành chính",
        "field": field.pk,
        "level": Level.BASE,
        "year": year.pk,
        "address": "Phường Phan Đình Phùng, thành phố Thái Nguyên",
        "situation": "Người dân phải đi lại nhiều lần.",
        "objectives": "Giảm thời gian giải quyết thủ tục.",
        "indicators": "100% hồ sơ đúng hạn.",
        "content": "Niêm yết công khai, hướng dẫn tận tình.",
        "beneficiaries": "Người dân, doanh nghiệp.",
        "partners": "Công đoàn, Đoàn Thanh niên.",
        "resources": "Kinh phí thường xuyên.",
        "start_date": "01/03/2025",
        "end_date": "31/12/2025",
        "milestones": "Sơ kết 6 tháng.",
        "expected_results": "Không có hồ sơ trễ hạn.",
        "sustainability": "Nhân rộng ra các phòng.",
        "lead_name": "Trần Văn Bình",
        "lead_position": "Bí thư chi bộ",
        "lead_phone": "0987 654 321",
    }
    data.update(overrides)
    return data


# --- choosing a Mẫu -------------------------------------------------------------------------------------------


def test_choose_page_links_the_four_forms_for_an_editor(client, secretary):
    client.force_login(secretary)
    response = client.get(reverse("registry:registration-create-choose"))
    html = response.content.decode()
    assert response.status_code == 200
    for slug in ("mau-1", "mau-1a", "mau-2", "mau-2a"):
        assert reverse("registry:registration-create", args=[slug]) in html


def test_choose_page_tells_a_viewer_they_may_not_register(client, viewer):
    client.force_login(viewer)
    response = client.get(reverse("registry:registration-create-choose"))
    assert "chưa có quyền đăng ký mô hình" in response.content.decode()
    assert reverse("registry:registration-create", args=["mau-1"]) not in response.content.decode()


def test_unknown_form_kind_in_url_is_404(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("registry:registration-create", args=["mau-9"])).status_code == 404


def test_viewer_cannot_open_the_registration_form(client, viewer, year):
    client.force_login(viewer)
    assert client.get(CREATE_MAU_1).status_code == 403


# --- the form page --------------------------------------------------------------------------------------------


def test_form_shows_every_section_heading_in_print_order(client, secretary, year):
    client.force_login(secretary)
    html = client.get(CREATE_MAU_1).content.decode()
    headings = [
        "1. Tổ chức đảng đăng ký",
        "2. Tên mô hình, lĩnh vực, cấp đăng ký, địa chỉ thực hiện",
        "3. Thực trạng, lý do, sự cần thiết",
        "4. Mục tiêu, chỉ tiêu đánh giá",
        "5. Nội dung, giải pháp, cách thức thực hiện",
        "6. Địa bàn, đối tượng tác động hoặc thụ hưởng",
        "7. Lực lượng thực hiện và phối hợp",
        "8. Nguồn lực",
        "9. Thời gian thực hiện",
        "10. Kết quả, sản phẩm dự kiến",
        "11. Khả năng duy trì, nhân rộng",
        "12. Người phụ trách",
    ]
    positions = [html.index(h) for h in headings]
    assert positions == sorted(positions)


def test_form_shows_collective_criteria_and_every_field_hint(client, secretary, year):
    client.force_login(secretary)
    response = client.get(CREATE_MAU_1)
    html = response.content.decode()
    assert "Tiêu chí mô hình “Dân vận khéo” (5 tiêu chí)" in html
    assert "Được tổ chức, cơ quan có thẩm quyền" in html
    for field in Field.objects.all():
        assert f'data-hint-for="{field.pk}"' in html


def test_individual_form_shows_the_three_individual_criteria(client, secretary, year, member):
    client.force_login(secretary)
    html = client.get(reverse("registry:registration-create", args=["mau-2"])).content.decode()
    assert "(3 tiêu chí)" in html


def test_form_is_sent_once_and_keeps_a_local_draft(client, secretary, year):
    client.force_login(secretary)
    html = client.get(CREATE_MAU_1).content.decode()
    assert "data-once" in html
    assert "data-draft-keeper" in html
    assert "js/draft-keeper.js" in html


def test_dates_are_typed_as_dd_mm_yyyy_text(client, secretary, draft):
    client.force_login(secretary)
    html = client.get(reverse("registry:registration-update", args=[draft.pk])).content.decode()
    assert 'type="text" name="start_date" value="01/03/2025"' in html
    assert 'placeholder="dd/mm/yyyy"' in html


def test_mau_1_offers_only_party_units_in_the_editors_scope(client, dang_bo_editor, year, chi_bo, agency, other_chi_bo):
    client.force_login(dang_bo_editor)
    subjects = client.get(CREATE_MAU_1).context["form"].fields["subject_unit"].queryset
    assert {u.code for u in subjects} == {"SYT-DB", "SYT-CB-NVY"}


def test_mau_1a_offers_agencies_and_mass_organisations_in_scope(client, dang_bo_editor, year, doan_the, other_chi_bo):
    client.force_login(dang_bo_editor)
    response = client.get(reverse("registry:registration-create", args=["mau-1a"]))
    assert {u.code for u in response.context["form"].fields["subject_unit"].queryset} == {"SYT", "SYT-CD"}


def test_mau_2_offers_members_of_chi_bo_in_scope_only(client, secretary, year, member, non_member, other_chi_bo):
    PersonFactory(full_name="Phạm Văn Khác", work_unit=other_chi_bo, party_cell=other_chi_bo)
    client.force_login(secretary)
    response = client.get(reverse("registry:registration-create", args=["mau-2"]))
    assert [p.full_name for p in response.context["form"].fields["subject_person"].queryset] == ["Nguyễn Thị Hoa"]


def test_mau_2a_offers_non_members_working_in_scope(client, dang_bo_editor, year, member, non_member):
    client.force_login(dang_bo_editor)
    response = client.get(reverse("registry:registration-create", args=["mau-2a"]))
    assert [p.full_name for p in response.context["form"].fields["subject_person"].queryset] == ["Lê Văn Nam"]


def test_year_choices_are_the_open_years(client, secretary, year):
    YearFactory(year=2024, is_open=False)
    client.force_login(secretary)
    response = client.get(CREATE_MAU_1)
    assert [y.year for y in response.context["form"].fields["year"].queryset] == [2025]


# --- creating -------------------------------------------------------------------------------------------------


def test_secretary_saves_a_mau_1_draft_with_derived_units(client, secretary, year, field, chi_bo, dang_bo):
    client.force_login(secretary)
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk))
    reg = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == reg.get_absolute_url()
    assert (reg.status, reg.unit, reg.receiving_unit, reg.created_by) == (Status.DRAFT, chi_bo, dang_bo, secretary)
    assert reg.start_date == datetime.date(2025, 3, 1)
    assert client.session[DRAFT_SAVED_KEY] == CREATE_MAU_1


def test_member_registration_is_owned_and_received_by_the_members_chi_bo(client, secretary, year, field, member):
    client.force_login(secretary)
    url = reverse("registry:registration-create", args=["mau-2"])
    client.post(url, form_data(year, field, subject_person=member.pk, subject_headcount=""))
    reg = Registration.objects.get()
    assert (reg.subject_kind, reg.subject_person, reg.unit.code, reg.receiving_unit.code) == (
        SubjectKind.MEMBER,
        member,
        "SYT-CB-NVY",
        "SYT-CB-NVY",
    )


def test_khoi_level_registration_is_received_by_the_khoi(client, secretary, year, field, chi_bo, khoi):
    client.force_login(secretary)
    client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk, level=Level.KHOI))
    assert Registration.objects.get().receiving_unit == khoi


def test_impossible_date_is_a_field_error_in_vietnamese(client, secretary, year, field, chi_bo):
    client.force_login(secretary)
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk, start_date="31/02/2024"))
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [MSG_INVALID_DATE]
    assert not Registration.objects.exists()


def test_end_date_before_start_is_an_error_beside_end_date(client, secretary, year, field, chi_bo):
    client.force_login(secretary)
    data = form_data(year, field, subject_unit=chi_bo.pk, start_date="01/06/2025", end_date="31/05/2025")
    response = client.post(CREATE_MAU_1, data)
    assert response.context["form"].errors == {"end_date": [MSG_END_BEFORE_START]}
    assert not Registration.objects.exists()


def test_unit_of_another_branch_posted_by_hand_is_refused(client, secretary, year, field, other_chi_bo):
    client.force_login(secretary)
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=other_chi_bo.pk))
    assert response.status_code == 200
    assert response.context["form"].errors["subject_unit"] == [MSG_INVALID_CHOICE]
    assert MSG_INVALID_CHOICE in response.content.decode()
    assert not Registration.objects.exists()


def test_person_of_another_branch_posted_by_hand_is_refused(client, secretary, year, field, other_chi_bo):
    stranger = PersonFactory(work_unit=other_chi_bo, party_cell=other_chi_bo)
    client.force_login(secretary)
    url = reverse("registry:registration-create", args=["mau-2"])
    response = client.post(url, form_data(year, field, subject_person=stranger.pk))
    assert response.context["form"].errors["subject_person"] == [MSG_INVALID_CHOICE]
    assert not Registration.objects.exists()


def test_agency_posted_to_mau_1_is_refused(client, dang_bo_editor, year, field, agency):
    client.force_login(dang_bo_editor)
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=agency.pk))
    assert response.context["form"].errors["subject_unit"] == [MSG_INVALID_CHOICE]
    assert not Registration.objects.exists()


def test_closed_year_posted_by_hand_is_refused(client, secretary, year, field, chi_bo):
    closed = YearFactory(year=2024, is_open=False)
    client.force_login(secretary)
    response = client.post(CREATE_MAU_1, form_data(closed, field, subject_unit=chi_bo.pk))
    assert response.context["form"].errors["year"] == [MSG_INVALID_CHOICE]
    assert not Registration.objects.exists()


def test_title_over_300_characters_is_refused_in_vietnamese(client, secretary, year, field, chi_bo):
    client.force_login(secretary)
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk, title="a" * 301))
    assert response.context["form"].errors["title"] == ["Nội dung quá dài: tối đa 300 ký tự (hiện có 301 ký tự)."]
    assert not Registration.objects.exists()


def test_title_typed_decomposed_is_measured_and_stored_in_nfc(client, secretary, year, field, chi_bo):
    title = unicodedata.normalize("NFD", "Dân vận khéo " + "ệ" * 280)  # 293 letters, over 300 code points in NFD
    client.force_login(secretary)
    client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk, title=title))
    assert Registration.objects.get().title == unicodedata.normalize("NFC", title)


def test_missing_title_is_a_vietnamese_error(client, secretary, year, field, chi_bo):
    client.force_login(secretary)
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk, title=""))
    assert response.context["form"].errors["title"] == ["Vui lòng điền mục này."]


def test_expired_session_post_redirects_to_login_with_next_and_saves_nothing(client, year, field, chi_bo):
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk))
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={CREATE_MAU_1}"
    assert not Registration.objects.exists()


# --- editing --------------------------------------------------------------------------------------------------


def test_secretary_edits_a_draft(client, secretary, draft, year, field, chi_bo):
    client.force_login(secretary)
    url = reverse("registry:registration-update", args=[draft.pk])
    response = client.post(url, form_data(year, field, subject_unit=chi_bo.pk, title="Dân vận khéo: tiếp dân"))
    draft.refresh_from_db()
    assert response.status_code == 302
    assert draft.title == "Dân vận khéo: tiếp dân"
    assert draft.field == field
    assert client.session[DRAFT_SAVED_KEY] == url


def test_changing_level_to_khoi_changes_the_receiving_unit(client, secretary, draft, year, field, chi_bo, khoi):
    client.force_login(secretary)
    url = reverse("registry:registration-update", args=[draft.pk])
    client.post(url, form_data(year, field, subject_unit=chi_bo.pk, level=Level.KHOI))
    draft.refresh_from_db()
    assert draft.receiving_unit == khoi


def test_edit_form_shows_the_receiving_unit(client, secretary, draft):
    client.force_login(secretary)
    html = client.get(reverse("registry:registration-update", args=[draft.pk])).content.decode()
    assert '<p class="mb-1 fw-semibold" data-receiving-unit>Đảng bộ Sở Y tế</p>' in html


@pytest.mark.parametrize("persona", ["viewer", "approver"])
def test_reader_without_editor_role_gets_403_on_edit(client, request, persona, draft, year, field, chi_bo):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("registry:registration-update", args=[draft.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(year, field, subject_unit=chi_bo.pk, title="Đổi tên")).status_code == 403
    draft.refresh_from_db()
    assert draft.title == "Dân vận khéo trong tiếp công dân"


def test_outsider_gets_404_on_edit(client, outsider, draft, year, field, chi_bo):
    client.force_login(outsider)
    url = reverse("registry:registration-update", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(year, field, subject_unit=chi_bo.pk, title="Đổi tên")).status_code == 404


def test_submitted_registration_cannot_be_edited(client, secretary, draft, year, field, chi_bo):
    workflow.apply(draft, "submit", actor=secretary)
    client.force_login(secretary)
    url = reverse("registry:registration-update", args=[draft.pk])
    response = client.post(url, form_data(year, field, subject_unit=chi_bo.pk, title="Đổi tên"), follow=True)
    draft.refresh_from_db()
    assert draft.title == "Dân vận khéo trong tiếp công dân"
    assert "Hồ sơ đang ở trạng thái “Đã gửi, chờ tiếp nhận”, không thể sửa." in response.content.decode()


def test_edit_cannot_move_the_registration_to_another_branch(client, secretary, draft, year, field, other_chi_bo):
    client.force_login(secretary)
    url = reverse("registry:registration-update", args=[draft.pk])
    response = client.post(url, form_data(year, field, subject_unit=other_chi_bo.pk))
    assert response.context["form"].errors["subject_unit"] == [MSG_INVALID_CHOICE]
    draft.refresh_from_db()
    assert draft.subject_unit.code == "SYT-CB-NVY"


# --- the detail page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "approver", "viewer"])
def test_personas_in_the_branch_read_the_detail(client, request, persona, draft):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_outsider_gets_404_on_detail(client, outsider, draft):
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_anonymous_detail_redirects_to_login(client, draft):
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_detail_shows_every_section_in_print_order(client, secretary, draft):
    client.force_login(secretary)
    html = client.get(draft.get_absolute_url()).content.decode()
    numbers = [html.index(f">{n}. ") for n in range(1, 14)]
    assert numbers == sorted(numbers)
    assert "Niêm yết công khai, hướng dẫn tận tình, tiếp nhận trực tuyến." in html
    assert "01/03/2025" in html and "31/12/2025" in html
    assert "Chúng tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký" in html


def test_detail_shows_subject_receiving_unit_year_level_field_deadline(client, secretary, draft):
    client.force_login(secretary)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Chi bộ Phòng Nghiệp vụ Y" in html
    assert "<dd data-receiving-unit>Đảng bộ Sở Y tế</dd>" in html
    assert "<dd>2025</dd>" in html
    assert "Cấp cơ sở" in html
    assert draft.field.name in html
    assert "28/02/2025" in html


def test_detail_of_a_member_registration_shows_the_personal_details(client, secretary, member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    client.force_login(secretary)
    html = client.get(reg.get_absolute_url()).content.decode()
    for text in ("Nguyễn Thị Hoa", "17/05/1985", "Chuyên viên", "Sở Y tế", "03/03/2010", "0912345678"):
        assert text in html


def test_detail_names_the_form_once_with_the_subject_kind(client, secretary, member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    client.force_login(secretary)

    html = client.get(reg.get_absolute_url()).content.decode()

    assert ">Cá nhân là đảng viên (Mẫu 2)</div>" in html
    assert "Mẫu 2 · " not in html


def test_detail_links_to_the_pdf(client, secretary, draft):
    client.force_login(secretary)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert reverse("registry:registration-pdf", args=[draft.pk]) in html
    assert "In PDF" in html


def test_late_badge_shows_for_a_registration_sent_after_the_deadline(client, secretary, draft):
    workflow.apply(draft, "submit", actor=secretary)
    Registration.objects.filter(pk=draft.pk).update(
        submitted_at=datetime.datetime(2025, 3, 5, 9, 0, tzinfo=datetime.UTC)
    )
    client.force_login(secretary)
    assert "Nộp muộn" in client.get(draft.get_absolute_url()).content.decode()


def test_late_badge_is_not_shown_on_a_draft(client, secretary, draft):
    client.force_login(secretary)
    assert draft.is_late  # today is past 28/02/2025
    assert "Nộp muộn" not in client.get(draft.get_absolute_url()).content.decode()


def test_late_badge_is_not_shown_when_sent_on_time(client, secretary, draft):
    workflow.apply(draft, "submit", actor=secretary)
    Registration.objects.filter(pk=draft.pk).update(
        submitted_at=datetime.datetime(2025, 2, 20, 9, 0, tzinfo=datetime.UTC)
    )
    client.force_login(secretary)
    assert "Nộp muộn" not in client.get(draft.get_absolute_url()).content.decode()


def test_detail_after_save_clears_the_local_draft_once(client, secretary, year, field, chi_bo):
    client.force_login(secretary)
    response = client.post(CREATE_MAU_1, form_data(year, field, subject_unit=chi_bo.pk), follow=True)
    assert f'data-draft-clear="{CREATE_MAU_1}"' in response.content.decode()
    again = client.get(Registration.objects.get().get_absolute_url())
    assert "data-draft-clear" not in again.content.decode()


def test_edit_link_is_offered_only_to_editors_of_an_editable_registration(client, secretary, viewer, draft):
    edit_url = reverse("registry:registration-update", args=[draft.pk])
    client.force_login(secretary)
    assert edit_url in client.get(draft.get_absolute_url()).content.decode()
    client.force_login(viewer)
    assert edit_url not in client.get(draft.get_absolute_url()).content.decode()


def test_expired_session_on_edit_redirects_to_login_and_changes_nothing(client, draft, year, field, chi_bo):
    url = reverse("registry:registration-update", args=[draft.pk])
    response = client.post(url, form_data(year, field, subject_unit=chi_bo.pk, title="Đổi tên"))
    assert response.url == f"{reverse('login')}?next={url}"
    draft.refresh_from_db()
    assert draft.title == "Dân vận khéo trong tiếp công dân"


def test_secretary_gets_404_on_a_sibling_units_registration(client, secretary, dang_bo_editor, agency, year):
    """Same đảng bộ, another branch below it: Sở Y tế (cơ quan) is not under the secretary's chi bộ."""
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year)
    client.force_login(secretary)
    assert client.get(reg.get_absolute_url()).status_code == 404
    assert client.get(reverse("registry:registration-update", args=[reg.pk])).status_code == 404
    client.force_login(dang_bo_editor)
    assert client.get(reg.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    "garbage",
    [
        {"subject_unit": "abc", "year": "x", "field": "-1", "level": "tinh", "subject_headcount": "nhiều"},
        {"subject_unit": "99999999999999999999", "subject_headcount": "99999999999999999999"},
        {"start_date": "2025-13-45", "end_date": "ngày mai", "lead_phone": "gọi tôi"},
        {"title": "Tên\x00mô hình", "situation": "\x1b[31m" + "x" * 9000},
    ],
)
def test_odd_input_gives_form_errors_never_an_error_page(client, secretary, year, field, chi_bo, garbage):
    client.force_login(secretary)
    data = form_data(year, field, subject_unit=chi_bo.pk)
    data.update(garbage)
    response = client.post(CREATE_MAU_1, data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Registration.objects.exists()


def test_detail_page_query_count_does_not_grow_with_the_history(client, secretary, draft):
    client.force_login(secretary)
    terms.terms()  # the guidance's names are read once per process (registry.terms), as by any earlier page

    def queries_for_detail_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(draft.get_absolute_url()).status_code == 200
        return len(captured)

    queries_for_detail_page()  # the first view reads the open year and the form's wording into memory
    workflow.apply(draft, "submit", actor=secretary)
    workflow.apply(draft, "withdraw", actor=secretary)
    short_history = queries_for_detail_page()
    for _ in range(3):
        workflow.apply(draft, "submit", actor=secretary)
        workflow.apply(draft, "withdraw", actor=secretary)
    assert queries_for_detail_page() == short_history


def test_detail_page_lists_the_entrys_documents_with_reprint_links(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    doc = issue_registration_form(reg)
    client.force_login(secretary)
    html = client.get(reg.get_absolute_url()).content.decode()
    assert reverse("registry:document-pdf", args=[doc.pk]) in html
    assert "Mẫu 1 – Bản đăng ký mô hình của tổ chức đảng" in html
