"""CappedPaginator: lists and admin change lists count at most ``cap`` rows, and say so when more match."""

import pytest
from django.urls import reverse

from registry import pagination
from registry.models import Registration
from registry.pagination import CappedPaginator
from tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def five(chi_bo, year):
    return RegistrationFactory.create_batch(5, subject_unit=chi_bo, year=year)


def test_count_below_the_cap_is_the_real_count(five):
    paginator = CappedPaginator(Registration.objects.all(), 2, cap=10)

    assert paginator.count == 5
    assert paginator.num_pages == 3
    assert not paginator.is_capped


def test_count_stops_at_the_cap_and_says_it_is_capped(five):
    paginator = CappedPaginator(Registration.objects.all(), 2, cap=3)

    assert paginator.count == 3
    assert paginator.num_pages == 2
    assert paginator.is_capped


def test_count_runs_one_bounded_query(five, django_assert_num_queries):
    paginator = CappedPaginator(Registration.objects.all(), 2, cap=3)

    with django_assert_num_queries(1) as captured:
        assert paginator.count == 3
        assert paginator.is_capped
    assert "LIMIT 4" in captured.captured_queries[0]["sql"]


def test_a_page_past_the_cap_gives_the_last_offered_page(five):
    page = CappedPaginator(Registration.objects.order_by("pk"), 2, cap=3).get_page(99)

    assert page.number == 2
    assert [r.pk for r in page.object_list] == [r.pk for r in Registration.objects.order_by("pk")[2:3]]


def test_lists_of_python_objects_are_capped_too():
    paginator = CappedPaginator(list(range(50)), 10, cap=20)

    assert (paginator.count, paginator.is_capped, paginator.num_pages) == (20, True, 2)


def test_registration_list_says_more_rows_match_than_it_shows(client, viewer, five, monkeypatch):
    monkeypatch.setattr(pagination, "DEFAULT_CAP", 3)
    client.force_login(viewer)

    html = client.get(reverse("registry:registration-list")).content.decode()

    assert "Tìm thấy <strong>hơn 3</strong> mô hình" in html
    assert "hãy lọc thêm" in html.lower()


def test_registration_list_counts_exactly_below_the_cap(client, viewer, five):
    client.force_login(viewer)

    html = client.get(reverse("registry:registration-list")).content.decode()

    assert "Tìm thấy <strong>5</strong> mô hình." in html


def test_admin_change_list_says_more_rows_match_than_it_shows(admin_client, five, monkeypatch):
    monkeypatch.setattr(pagination, "DEFAULT_CAP", 3)
    html = admin_client.get(reverse("admin:registry_registration_changelist")).content.decode()

    assert "Hơn 3 đăng ký mô hình" in html


def test_a_page_reads_its_ids_first_then_the_rows_in_the_same_order(five, django_assert_num_queries):
    ordered = Registration.objects.select_related("unit").order_by("-title", "pk")
    paginator = CappedPaginator(ordered, 2, cap=10)
    paginator.count  # noqa: B018  (counted apart)

    with django_assert_num_queries(2):
        page = paginator.page(2)
        titles = [(r.title, r.unit.name) for r in page.object_list]

    assert titles == [(r.title, r.unit.name) for r in ordered[2:4]]


def test_the_first_page_reads_its_rows_at_once(five, django_assert_num_queries):
    ordered = Registration.objects.select_related("unit").order_by("-title", "pk")
    paginator = CappedPaginator(ordered, 2, cap=10)
    paginator.count  # noqa: B018  (counted apart)

    with django_assert_num_queries(1):
        titles = [r.title for r in paginator.page(1).object_list]

    assert titles == [r.title for r in ordered[:2]]


def test_a_first_page_shorter_than_a_page_needs_no_count(five, django_assert_num_queries):
    paginator = CappedPaginator(Registration.objects.order_by("pk"), 25, cap=10)

    with django_assert_num_queries(1):
        page = paginator.get_page("1")
        assert len(page.object_list) == 5
        assert (paginator.count, paginator.num_pages, paginator.is_capped) == (5, 1, False)


def test_ids_first_reads_the_first_page_by_its_ids_in_the_list_order(five, django_assert_num_queries):
    ordered = Registration.objects.order_by("-pk")
    newest = [r.pk for r in ordered[:2]]
    paginator = CappedPaginator(ordered, 2, cap=10, ids_first=True)

    with django_assert_num_queries(2) as captured:  # the page's ids, then its rows
        assert [r.pk for r in paginator.get_page(1)] == newest
    assert "LIMIT 2" in captured.captured_queries[0]["sql"]


def test_ids_first_counts_a_short_first_page_from_its_ids(five, django_assert_num_queries):
    paginator = CappedPaginator(Registration.objects.order_by("pk"), 25, cap=10, ids_first=True)

    with django_assert_num_queries(2):
        page = paginator.get_page(1)
        assert len(page) == 5
        assert (paginator.count, paginator.is_capped) == (5, False)


def test_counted_rows_are_counted_instead_of_the_listed_ones(five):
    # Meant for the same rows selected another way (a common search sorted by name); three rows here, to tell them.
    counted = Registration.objects.filter(pk__in=[r.pk for r in five[:3]])
    paginator = CappedPaginator(Registration.objects.order_by("title"), 2, cap=10, counted=counted)

    assert (paginator.count, paginator.num_pages, paginator.is_capped) == (3, 2, False)
