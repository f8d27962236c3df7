"""The registration list, its .xlsx export and the "chưa đăng ký" page, tried by personas through URLs."""

import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from registry import terms
from registry.filters import SORTS
from registry.models import Field, Registration, Status, SubjectKind
from tests.factories import RegistrationFactory, UnitFactory, YearFactory

LIST = reverse("registry:registration-list")
EXPORT = reverse("registry:registration-export")
UNREGISTERED = reverse("registry:unregistered-units")

HEADERS = [
    "STT",
    "Tên mô hình",
    "Đối tượng",
    "Chủ thể",
    "Đơn vị quản lý",
    "Đơn vị tiếp nhận",
    "Lĩnh vực",
    "Cấp đăng ký",
    "Năm",
    "Trạng thái",
    "Ngày gửi",
    "Nộp muộn",
]


@pytest.fixture
def branches(chi_bo, agency, member, other_chi_bo, year):
    """Two registrations in Sở Y tế's branch, one in Sở Tài chính's."""
    return {
        "mine": RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo trong công tác Đảng"),
        "agency": RegistrationFactory(
            subject_kind=SubjectKind.AGENCY,
            subject_unit=agency,
            year=year,
            title="Một cửa thân thiện",
            status=Status.SUBMITTED,
            submitted_at=datetime.datetime(2025, 3, 10, 8, 30, tzinfo=timezone.get_current_timezone()),
        ),
        "theirs": RegistrationFactory(subject_unit=other_chi_bo, year=year, title="Bí mật của Sở Tài chính"),
    }


def _rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


# --- the list --------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client):
    for url in (LIST, EXPORT, UNREGISTERED):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_list_shows_the_columns_and_links_to_the_detail(client, approver, branches):
    client.force_login(approver)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    detail = reverse("registry:registration-detail", args=[branches["mine"].pk])
    assert f'href="{detail}"' in html
    headers = re.findall(r'<th scope="col"[^>]*>([^<]+)</th>', html)
    assert headers[:8] == ["Tên mô hình", "Chủ thể", "Đơn vị", "Lĩnh vực", "Cấp", "Năm", "Trạng thái", "Nộp muộn"]
    assert "<caption>" in html
    assert "Tìm thấy <strong>2</strong> mô hình." in html


def test_outsider_sees_none_of_another_branchs_rows(client, outsider, branches):
    client.force_login(outsider)
    html = client.get(LIST).content.decode()
    assert "Bí mật của Sở Tài chính" in html
    assert "Dân vận khéo trong công tác Đảng" not in html
    assert "Một cửa thân thiện" not in html
    assert "Tìm thấy <strong>1</strong> mô hình." in html


def test_unit_filter_pointing_to_another_branch_shows_nothing_of_it(client, approver, other_chi_bo, branches):
    client.force_login(approver)
    response = client.get(LIST, {"don_vi": other_chi_bo.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bí mật của Sở Tài chính" not in html
    assert "Đơn vị không hợp lệ hoặc nằm ngoài phạm vi của bạn." in html
    assert "Một số điều kiện lọc không hợp lệ nên đã được bỏ qua" in html


def test_invalid_year_is_ignored_with_a_message(client, approver, branches):
    client.force_login(approver)
    response = client.get(LIST, {"nam": "abc"})
    assert response.status_code == 200
    assert "Năm không hợp lệ hoặc chưa có trong danh mục." in response.content.decode()
    assert response.context["page_obj"].paginator.count == 2


def test_search_without_diacritics_through_the_page(client, approver, branches):
    client.force_login(approver)
    response = client.get(LIST, {"q": "dan van kheo"})
    assert [r.title for r in response.context["page_obj"]] == ["Dân vận khéo trong công tác Đảng"]


def test_form_keeps_the_chosen_values(client, approver, agency, branches):
    client.force_login(approver)
    html = client.get(LIST, {"q": "một cửa", "trang_thai": "submitted", "don_vi": agency.pk}).content.decode()
    assert 'value="một cửa"' in html
    assert '<option value="submitted" selected>' in html
    assert f'<option value="{agency.pk}" selected>' in html


def test_late_registration_is_marked(client, approver, branches):
    client.force_login(approver)
    html = client.get(LIST, {"trang_thai": "submitted"}).content.decode()
    assert "Muộn</span>" in html  # sent 10/3/2025, after the 28/02/2025 deadline


@pytest.fixture
def many(chi_bo, year):
    return [RegistrationFactory(subject_unit=chi_bo, year=year, title=f"Mô hình số {i:02d}") for i in range(30)]


def test_list_is_paginated_25_per_page(client, secretary, many):
    client.force_login(secretary)
    first = client.get(LIST, {"sap_xep": "ten"})
    second = client.get(LIST, {"sap_xep": "ten", "page": 2})
    assert len(first.context["page_obj"]) == 25
    assert [r.title for r in second.context["page_obj"]] == [f"Mô hình số {i:02d}" for i in range(25, 30)]


@pytest.mark.parametrize(("page", "expected"), [("abc", 1), ("999", 2), ("-3", 2), ("0", 2), ("", 1), ("1e9", 1)])
def test_garbage_page_gives_the_first_or_last_page(client, secretary, many, page, expected):
    client.force_login(secretary)
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_pagination_links_keep_the_filters(client, secretary, many):
    client.force_login(secretary)
    html = client.get(LIST, {"q": "mo hinh", "sap_xep": "ten"}).content.decode()
    assert 'href="?q=mo+hinh&amp;sap_xep=ten&amp;page=2"' in html


def test_unknown_sort_is_not_an_error(client, secretary, many):
    client.force_login(secretary)
    response = client.get(LIST, {"sap_xep": "password"})
    assert response.status_code == 200
    assert not response.context["form"].errors


def test_list_query_count_does_not_grow_with_rows(
    client, django_assert_max_num_queries, secretary, chi_bo, member, year
):
    client.force_login(secretary)
    for _ in range(3):
        RegistrationFactory(subject_unit=chi_bo, year=year)
        RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    terms.terms()  # the guidance's names are read once per process (registry.terms), as by any earlier page
    # The page budget is 12 queries (session, user, memberships, inbox badge, filters, the page), whatever the data.
    with django_assert_max_num_queries(12):
        small = client.get(LIST)
    for _ in range(25):
        RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    with django_assert_max_num_queries(12):
        large = client.get(LIST)
    assert len(small.context["page_obj"]) == 6
    assert len(large.context["page_obj"]) == 25


# --- the export ------------------------------------------------------------------------------------------------


def test_export_is_an_xlsx_named_danh_sach_mo_hinh(client, approver, branches):
    client.force_login(approver)
    response = client.get(EXPORT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "danh-sach-mo-hinh.xlsx" in response["Content-Disposition"]
    assert _rows(response)[0] == HEADERS


def test_export_rows_equal_the_filtered_list(client, approver, branches):
    client.force_login(approver)
    params = {"trang_thai": "submitted"}
    listed = [r.title for r in client.get(LIST, params).context["page_obj"]]
    rows = _rows(client.get(EXPORT, params))[1:]
    assert [row[1] for row in rows] == listed == ["Một cửa thân thiện"]
    assert rows[0] == [
        1,
        "Một cửa thân thiện",
        "Tập thể cơ quan, đơn vị, doanh nghiệp, đoàn thể (Mẫu 1a)",
        "Sở Y tế",
        "Sở Y tế",
        "Đảng bộ Sở Y tế",
        branches["agency"].field.name,
        "Cấp cơ sở",
        2025,
        "Đã gửi, chờ tiếp nhận",
        "10/03/2025",
        "Có",
    ]


def test_export_of_everything_has_one_row_per_visible_registration(client, viewer, branches):
    client.force_login(viewer)
    rows = _rows(client.get(EXPORT))[1:]
    assert sorted(row[1] for row in rows) == sorted(Registration.objects.values_list("title", flat=True))
    assert [row[0] for row in rows] == [1, 2, 3]


def test_outsider_export_has_none_of_another_branch(client, outsider, branches):
    client.force_login(outsider)
    rows = _rows(client.get(EXPORT))[1:]
    assert [row[1] for row in rows] == ["Bí mật của Sở Tài chính"]


def test_export_with_a_unit_of_another_branch_leaks_nothing(client, approver, other_chi_bo, branches):
    client.force_login(approver)
    rows = _rows(client.get(EXPORT, {"don_vi": other_chi_bo.pk}))[1:]
    assert "Bí mật của Sở Tài chính" not in [row[1] for row in rows]


def test_export_stores_a_formula_like_title_as_text(client, secretary, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, title='=HYPERLINK("http://x","Bấm vào")')
    client.force_login(secretary)
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(EXPORT).content))
    cell = workbook.active.cell(row=2, column=2)
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://x","Bấm vào")'


# --- units that have not registered ----------------------------------------------------------------------------


def test_unregistered_lists_units_in_scope_without_a_sent_registration(
    client, approver, dang_bo, chi_bo, agency, doan_the, other_chi_bo, year
):
    RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_unit=chi_bo, year=year)  # a draft is not a registration yet
    client.force_login(approver)
    response = client.get(UNREGISTERED)
    assert response.status_code == 200
    assert [u.name for u in response.context["page_obj"]] == [dang_bo.name, chi_bo.name, doan_the.name]
    html = response.content.decode()
    assert "Chi bộ Phòng Ngân sách" not in html
    assert "Đảng bộ Sở Y tế" in html  # chi bộ's parent, shown as "Trực thuộc"


def test_unregistered_shows_the_deadline_and_that_it_has_passed(client, approver, year):
    client.force_login(approver)
    html = client.get(UNREGISTERED).content.decode()
    assert "28/02/2025" in html
    assert "Đã quá hạn" in html  # 2025 is over


def test_unregistered_shows_a_deadline_not_yet_passed(client, approver, dang_bo):
    next_year = timezone.localdate().year + 1
    YearFactory(year=next_year)
    client.force_login(approver)
    response = client.get(UNREGISTERED, {"nam": next_year})
    assert response.context["year"].year == next_year
    assert "Chưa hết hạn" in response.content.decode()
    assert "Đã quá hạn" not in response.content.decode()


def test_unregistered_defaults_to_the_latest_open_year(client, approver, dang_bo, year):
    YearFactory(year=2026, is_open=False)
    client.force_login(approver)
    assert client.get(UNREGISTERED).context["year"] == year


def test_unregistered_with_an_invalid_year_shows_an_error_and_the_default(client, approver, year):
    client.force_login(approver)
    response = client.get(UNREGISTERED, {"nam": "abc", "page": "xyz"})
    assert response.status_code == 200
    assert "Năm không hợp lệ hoặc chưa có trong danh mục." in response.content.decode()
    assert response.context["year"] == year


def test_unregistered_without_any_year_says_so(client, approver):
    client.force_login(approver)
    response = client.get(UNREGISTERED)
    assert "Chưa có năm nào trong danh mục." in response.content.decode()


def test_editor_sees_unregistered_units_of_their_own_scope(client, secretary, chi_bo, dang_bo, year):
    client.force_login(secretary)
    assert [u.pk for u in client.get(UNREGISTERED).context["page_obj"]] == [chi_bo.pk]


def test_unregistered_page_query_count_is_fixed(client, django_assert_max_num_queries, viewer, khoi, year):
    for i in range(30):
        UnitFactory(parent=khoi, name=f"Chi bộ cơ sở số {i:02d}", kind="chi_bo_co_so")
    client.force_login(viewer)
    terms.terms()  # the guidance's names are read once per process (registry.terms), as by any earlier page
    with django_assert_max_num_queries(8):
        response = client.get(UNREGISTERED, {"page": 2})
    page = response.context["page_obj"]
    assert len(page) == page.paginator.count - page.paginator.per_page


def test_a_search_counts_its_matches_up_to_the_search_cap_and_says_so(client, secretary, many, monkeypatch):
    monkeypatch.setattr("registry.views.lists.SEARCH_CAP", 5)
    client.force_login(secretary)

    searched = client.get(LIST, {"q": "mo hinh"})
    unsearched = client.get(LIST)

    assert searched.context["page_obj"].paginator.count == 5 and searched.context["page_obj"].paginator.is_capped
    assert "hơn 5</strong>" in searched.content.decode()
    assert not unsearched.context["page_obj"].paginator.is_capped


@pytest.mark.parametrize("sort", ["moi_nhat", "ten"])
@pytest.mark.parametrize("estimate", [0, 10**6], ids=["rare phrase", "common phrase"])
def test_a_search_lists_and_counts_the_same_whichever_way_it_matches(
    client, secretary, many, monkeypatch, estimate, sort
):
    # A phrase PostgreSQL expects in more rows than the cap is matched by walking the newest-first index: the page
    # reads the same 25 newest matches and says the same "hơn 5" as through the trigram index.
    monkeypatch.setattr("registry.views.lists.SEARCH_CAP", 5)
    monkeypatch.setattr("registry.filters.estimated_matches", lambda queryset, values: estimate)
    client.force_login(secretary)

    first = client.get(LIST, {"q": "mo hinh", "sap_xep": sort})

    ordered = [r.title for r in Registration.objects.order_by(*SORTS[sort][1])]
    assert [r.title for r in first.context["page_obj"]] == ordered[:25]
    assert "hơn 5</strong>" in first.content.decode()


@pytest.mark.parametrize("estimate", [0, 10**6], ids=["rare phrase", "common phrase"])
def test_a_search_matching_fewer_than_a_page_counts_from_its_rows(client, secretary, many, monkeypatch, estimate):
    monkeypatch.setattr("registry.filters.estimated_matches", lambda queryset, values: estimate)
    client.force_login(secretary)

    response = client.get(LIST, {"q": "mo hinh so 2"})  # every word anywhere: 02, 12, 20…29

    expected = sorted(f"Mô hình số {i:02d}" for i in range(30) if "2" in f"{i:02d}")
    assert sorted(r.title for r in response.context["page_obj"]) == expected
    assert f"Tìm thấy <strong>{len(expected)}</strong> mô hình." in response.content.decode()


def test_rows_of_several_years_and_fields_name_each_from_memory_without_a_query_a_row(
    client, django_assert_max_num_queries, secretary, chi_bo
):
    fields = [Field.objects.create(code=f"lv{i}", name=f"Lĩnh vực thử {i}", order=50 + i) for i in range(3)]
    for i, number in enumerate((2023, 2024, 2025)):
        RegistrationFactory(subject_unit=chi_bo, year=YearFactory(year=number), field=fields[i], title=f"Mô hình {i}")
    client.force_login(secretary)
    client.get(LIST)

    with django_assert_max_num_queries(5):
        html = client.get(LIST).content.decode()

    for field in fields:
        assert f'<td class="d-none d-lg-table-cell">{field.name}</td>' in html
    assert all(f'<td class="d-none d-md-table-cell">{n}</td>' in html for n in (2023, 2024, 2025))


def test_a_renamed_field_shows_on_the_list_at_once(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    client.get(LIST)
    reg.field.name = "Lĩnh vực đổi tên"
    reg.field.save()

    html = client.get(LIST).content.decode()

    assert '<td class="d-none d-lg-table-cell">Lĩnh vực đổi tên</td>' in html
