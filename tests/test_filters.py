"""registry.filters: the list's filter form and the queryset it selects."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from registry import choices, filters
from registry.filters import DEFAULT_SORT, SORTS, RegistrationFilterForm, filtered_registrations
from registry.models import Field, Level, Registration, Status, SubjectKind
from tests.factories import RegistrationFactory, YearFactory


def _select(user, query: str = ""):
    form, qs = filtered_registrations(user, QueryDict(query))
    return form, list(qs)


def _unit_select(form) -> str:
    """The unit select as the page writes it."""
    return next(cell["control"] for row in form.layout() for cell in row if cell["id"] == "id_don_vi")


def _titles(regs) -> set[str]:
    return {r.title for r in regs}


@pytest.fixture
def second_field(db):
    return Field.objects.order_by("order")[1]


@pytest.fixture
def data(chi_bo, agency, doan_the, member, other_chi_bo, year, second_field):
    """One registration per interesting difference, named so that each filter picks a known set."""
    return {
        "chi_bo": RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo trong công tác Đảng"),
        "agency": RegistrationFactory(
            subject_kind=SubjectKind.AGENCY,
            subject_unit=agency,
            year=year,
            title="Một cửa thân thiện",
            field=second_field,
            status=Status.ACTIVE,
        ),
        "doan_the": RegistrationFactory(
            subject_kind=SubjectKind.AGENCY,
            subject_unit=doan_the,
            year=YearFactory(year=2024),
            title="Công đoàn đồng hành",
            status=Status.CONFIRMED,
        ),
        "member": RegistrationFactory(
            subject_kind=SubjectKind.MEMBER,
            subject_person=member,
            year=year,
            level=Level.KHOI,
            title="Đảng viên gương mẫu nơi cư trú",
            status=Status.SUBMITTED,
        ),
        "other": RegistrationFactory(subject_unit=other_chi_bo, year=year, title="Dân vận khéo ở Sở Tài chính"),
    }


def test_no_filter_lists_everything_in_scope_and_nothing_outside(viewer, approver, data):
    assert len(_select(viewer)[1]) == 5
    assert _titles(_select(approver)[1]) == _titles([data[k] for k in ("chi_bo", "agency", "doan_the", "member")])


def test_search_ignores_diacritics_and_case(approver, data):
    _form, regs = _select(approver, "q=dan+van+kheo")
    assert _titles(regs) == {"Dân vận khéo trong công tác Đảng"}


def test_search_in_capitals_finds_lower_case_text(approver, data):
    _form, regs = _select(approver, "q=%C4%90%E1%BA%A2NG")  # "ĐẢNG"
    assert _titles(regs) == {"Dân vận khéo trong công tác Đảng", "Đảng viên gương mẫu nơi cư trú"}


def test_search_finds_the_subject_name(approver, data):
    _form, regs = _select(approver, "q=nguyen+thi+hoa")
    assert _titles(regs) == {"Đảng viên gương mẫu nơi cư trú"}


def test_filter_by_year(approver, data):
    _form, regs = _select(approver, "nam=2024")
    assert _titles(regs) == {"Công đoàn đồng hành"}


def test_filter_by_unit_takes_its_subtree(approver, agency, data):
    _form, regs = _select(approver, f"don_vi={agency.pk}")
    assert _titles(regs) == {"Một cửa thân thiện", "Công đoàn đồng hành"}


def test_filter_by_field(approver, second_field, data):
    _form, regs = _select(approver, f"linh_vuc={second_field.code}")
    assert _titles(regs) == {"Một cửa thân thiện"}


def test_filter_by_level(approver, data):
    _form, regs = _select(approver, "cap=khoi")
    assert _titles(regs) == {"Đảng viên gương mẫu nơi cư trú"}


def test_filter_by_status(approver, data):
    _form, regs = _select(approver, "trang_thai=active")
    assert _titles(regs) == {"Một cửa thân thiện"}


def test_filter_by_subject_kind(approver, data):
    _form, regs = _select(approver, "doi_tuong=agency")
    assert _titles(regs) == {"Một cửa thân thiện", "Công đoàn đồng hành"}


def test_filters_combine(approver, data):
    _form, regs = _select(approver, "doi_tuong=agency&nam=2025&q=cua")
    assert _titles(regs) == {"Một cửa thân thiện"}


def test_year_that_is_not_a_number_is_ignored_with_a_message(approver, data):
    form, regs = _select(approver, "nam=abc&trang_thai=active")
    assert form.errors["nam"] == ["Năm không hợp lệ hoặc chưa có trong danh mục."]
    assert _titles(regs) == {"Một cửa thân thiện"}  # the valid filter still applies


def test_unit_of_another_branch_is_refused_and_shows_none_of_its_rows(approver, other_chi_bo, data):
    form, regs = _select(approver, f"don_vi={other_chi_bo.pk}")
    assert form.errors["don_vi"] == ["Đơn vị không hợp lệ hoặc nằm ngoài phạm vi của bạn."]
    assert "Dân vận khéo ở Sở Tài chính" not in _titles(regs)
    assert len(regs) == 4


@pytest.mark.parametrize(
    "query",
    [
        "don_vi=99999999999999999999999",
        "nam=99999999999999999999999",
        "don_vi=-1",
        "linh_vuc=khong-co",
        "cap=tinh",
        "trang_thai=DROP",
        "doi_tuong=%00",
        "q=" + "a" * 500,
    ],
)
def test_garbage_values_are_errors_not_crashes(approver, data, query):
    form, regs = _select(approver, query)
    assert form.errors
    assert len(regs) == 4


def test_unit_options_are_the_users_scope(approver, dang_bo, chi_bo, agency, doan_the, other_chi_bo):
    form = RegistrationFilterForm(QueryDict(""), user=approver)
    values = re.findall(r'<option value="([^"]*)"', _unit_select(form))
    assert values == ["", str(dang_bo.pk), str(chi_bo.pk), str(agency.pk), str(doan_the.pk)]
    assert str(other_chi_bo.pk) not in values


def test_sort_by_title(approver, data):
    _form, regs = _select(approver, "sap_xep=ten")
    # Only titles starting with plain letters: where "Đ" sorts depends on the database's collation.
    assert [r.title for r in regs][:2] == ["Công đoàn đồng hành", "Dân vận khéo trong công tác Đảng"]


def test_sort_by_year_puts_the_newest_year_first(approver, data):
    _form, regs = _select(approver, "sap_xep=nam")
    assert [r.year.year for r in regs] == [2025, 2025, 2025, 2024]


def test_sort_by_status_follows_the_lifecycle(approver, data):
    _form, regs = _select(approver, "sap_xep=trang_thai")
    assert [r.status for r in regs] == [Status.DRAFT, Status.SUBMITTED, Status.ACTIVE, Status.CONFIRMED]


def test_sort_by_unit_name(approver, data):
    _form, regs = _select(approver, "sap_xep=don_vi")
    names = [r.unit.name for r in regs]
    assert names == sorted(names)


def test_default_sort_is_newest_first(approver, data):
    _form, regs = _select(approver)
    assert [r.pk for r in regs] == sorted((r.pk for r in regs), reverse=True)


@pytest.mark.parametrize("sort", ["title; DROP TABLE registry_registration", "-created_at", "unit__path", ""])
def test_unknown_sort_falls_back_to_the_default_without_error(approver, data, sort):
    form, regs = _select(approver, f"sap_xep={sort}")
    assert "sap_xep" not in form.errors
    assert form.cleaned_data["sap_xep"] == DEFAULT_SORT
    assert [r.pk for r in regs] == [r.pk for r in _select(approver)[1]]


def test_every_sort_key_has_a_vietnamese_label():
    assert set(SORTS) == {"moi_nhat", "ten", "nam", "trang_thai", "don_vi"}
    assert all(label for label, _ordering in SORTS.values())


def test_unit_beyond_the_option_limit_is_still_accepted_and_shown(approver, chi_bo, data, monkeypatch):
    monkeypatch.setattr("registry.choices.UNIT_OPTION_LIMIT", 1)
    choices.clear()
    form, regs = _select(approver, f"don_vi={chi_bo.pk}")
    assert not form.errors
    assert f'<option value="{chi_bo.pk}" selected>{chi_bo.name}</option>' in _unit_select(form)
    assert _titles(regs) == {"Dân vận khéo trong công tác Đảng", "Đảng viên gương mẫu nơi cư trú"}


def _force_estimate(monkeypatch, rows: int) -> None:
    monkeypatch.setattr("registry.filters.estimated_matches", lambda queryset, values: rows)


def _matched_by_like(qs) -> bool:
    """Whether the search text is matched with LIKE, which the trigram index answers on PostgreSQL."""
    return re.search(r'"search_text"(::text)? LIKE', str(qs.query)) is not None


def test_a_search_expected_above_the_cap_matches_its_words_without_the_trigram_index(approver, data, monkeypatch):
    _force_estimate(monkeypatch, filters.SEARCH_CAP)
    _form, qs = filtered_registrations(approver, QueryDict("q=dan+van+kheo"))
    assert not _matched_by_like(qs)
    assert _titles(qs) == {"Dân vận khéo trong công tác Đảng"}


def test_a_search_expected_below_the_cap_keeps_the_trigram_index(approver, data, monkeypatch):
    _force_estimate(monkeypatch, filters.SEARCH_CAP - 1)
    _form, qs = filtered_registrations(approver, QueryDict("q=dan+van+kheo"))
    assert _matched_by_like(qs)
    assert _titles(qs) == {"Dân vận khéo trong công tác Đảng"}


def test_a_common_search_sorted_otherwise_than_newest_first_keeps_the_trigram_index(approver, data, monkeypatch):
    _force_estimate(monkeypatch, 10**6)
    _form, qs = filtered_registrations(approver, QueryDict("q=dan+van+kheo&sap_xep=ten"))
    assert _matched_by_like(qs)


def test_a_common_search_sorted_by_name_is_counted_by_the_walk(approver, data, monkeypatch):
    _force_estimate(monkeypatch, 10**6)
    form, qs = filtered_registrations(approver, QueryDict("q=dan+van+kheo&sap_xep=ten"))
    assert not _matched_by_like(form.rows_to_count)
    assert set(form.rows_to_count) == set(qs)


def test_a_rare_search_is_counted_from_its_own_rows(approver, data, monkeypatch):
    _force_estimate(monkeypatch, 0)
    form, _qs = filtered_registrations(approver, QueryDict("q=dan+van+kheo&sap_xep=ten"))
    assert form.rows_to_count is None


def test_the_export_of_a_common_search_keeps_the_trigram_index(approver, data, monkeypatch):
    _force_estimate(monkeypatch, 10**6)
    _form, qs = filtered_registrations(approver, QueryDict("q=dan+van+kheo"), export=True)
    assert _matched_by_like(qs)


def test_a_list_without_search_asks_no_estimate(approver, data, django_assert_num_queries):
    form = RegistrationFilterForm(QueryDict("nam=abc"), user=approver)
    with django_assert_num_queries(0):
        assert not filters.is_common_search(Registration.objects.all(), form.valid_values())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_the_estimate_is_of_the_rarest_word_of_the_search(approver, data):
    # Too few rows for statistics here: the planner guesses a word's share from its length, "kheo" the rarest.
    values = {"q": "dan van kheo"}
    one_word = filters.estimated_matches(Registration.objects.all(), {"q": "kheo"})
    assert filters.estimated_matches(Registration.objects.all(), values) == one_word >= 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_the_estimate_of_a_long_search_plans_its_five_longest_words(approver, data, django_assert_num_queries):
    words = " ".join(f"{'x' * n}" for n in range(1, 41))
    with django_assert_num_queries(1) as captured:
        filters.estimated_matches(Registration.objects.all(), {"q": words})
    assert captured.captured_queries[0]["sql"].count("UNION ALL") == filters.ESTIMATED_WORDS - 1


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no trigram index to avoid")
def test_sqlite_estimates_nothing_and_keeps_its_search(approver, data):
    assert filters.estimated_matches(Registration.objects.all(), {"q": "dan van kheo"}) == 0


def test_each_filter_form_keeps_its_own_users_unit_scope(secretary, viewer, chi_bo, other_chi_bo):
    """The form shares its fields but the unit's, whose queryset is the user's scope."""
    narrow = RegistrationFilterForm({"don_vi": other_chi_bo.pk}, user=secretary)
    wide = RegistrationFilterForm({"don_vi": other_chi_bo.pk}, user=viewer)

    assert "don_vi" in narrow.errors
    assert wide.is_valid() and wide.cleaned_data["don_vi"] == other_chi_bo
    assert narrow.fields["linh_vuc"] is wide.fields["linh_vuc"]
