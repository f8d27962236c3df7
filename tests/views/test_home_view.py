"""The home page ("việc cần làm"), seen by each persona."""

import datetime
import re
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import terms, workflow
from registry.models import Registration, Status, SubjectKind
from tests.factories import RegistrationFactory, UserFactory

HOME = reverse("registry:home")


def _detail(reg) -> str:
    return reverse("registry:registration-detail", args=[reg.pk])


def _card(html: str, card_id: str) -> int:
    match = re.search(rf'id="{card_id}">\s*<div class="card-body">\s*<div[^>]*>(\d+)</div>', html)
    assert match, f"card {card_id} not found"
    return int(match.group(1))


def _sent(day: int, **kwargs):
    when = datetime.datetime(2025, 3, day, 9, 0, tzinfo=timezone.get_current_timezone())
    return RegistrationFactory(status=Status.SUBMITTED, submitted_at=when, **kwargs)


def test_anonymous_is_sent_to_login(client):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_editor_sees_returned_registration_with_its_reason_and_a_link(client, secretary, approver, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="Chi bộ gần dân")
    workflow.apply(reg, "submit", actor=secretary)
    workflow.apply(reg, "return", actor=approver, reason="Thiếu kế hoạch chi tiết.")
    client.force_login(secretary)
    html = client.get(HOME).content.decode()
    assert f'href="{_detail(reg)}"' in html
    assert "Thiếu kế hoạch chi tiết." in html
    assert "Trả lại để bổ sung" in html
    assert "28/02/2025" in html  # the year's cơ sở deadline
    assert _card(html, "the-tra-lai") == 1
    assert _card(html, "the-nhap") == 0


def test_editor_sees_days_late_for_an_unsent_draft(client, secretary, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    html = client.get(HOME).content.decode()
    days = (timezone.localdate() - datetime.date(2025, 2, 28)).days
    assert f"Quá hạn {days} ngày" in html


def test_approver_sees_submissions_oldest_first_with_late_marks(client, approver, chi_bo, agency, year):
    late = _sent(5, subject_unit=chi_bo, year=year, title="Gửi muộn ngày 05/3")
    on_time = RegistrationFactory(
        subject_kind=SubjectKind.AGENCY,
        subject_unit=agency,
        year=year,
        status=Status.SUBMITTED,
        submitted_at=datetime.datetime(2025, 2, 20, 9, 0, tzinfo=timezone.get_current_timezone()),
        title="Gửi đúng hạn",
    )
    client.force_login(approver)
    html = client.get(HOME).content.decode()
    assert html.index(f'href="{_detail(on_time)}"') < html.index(f'href="{_detail(late)}"')
    assert html.count('<span class="badge text-bg-danger">Nộp muộn</span>') == 1
    assert _card(html, "the-cho-tiep-nhan") == 2
    assert _card(html, "the-nop-muon") == 1


def test_outsider_home_shows_nothing_of_another_branch(client, outsider, chi_bo, year):
    _sent(5, subject_unit=chi_bo, year=year, title="Việc của Sở Y tế")
    RegistrationFactory(subject_unit=chi_bo, year=year, title="Nháp của Sở Y tế")
    client.force_login(outsider)
    html = client.get(HOME).content.decode()
    assert "Sở Y tế" not in html
    assert _card(html, "the-cho-tiep-nhan") == 0
    assert _card(html, "the-nhap") == 0


@pytest.fixture
def spread(chi_bo, agency, member, other_chi_bo, year):
    for status in (Status.DRAFT, Status.ACTIVE, Status.ACTIVE, Status.CONFIRMED):
        RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
    for status in (Status.SUBMITTED, Status.STOPPED):
        RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=status)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.RETURNED)
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE)


def test_viewer_counts_by_status_equal_an_independent_count(client, viewer, spread):
    client.force_login(viewer)
    html = client.get(HOME).content.decode()
    expected = Counter(Registration.objects.values_list("status", flat=True))
    for status in Status.values:
        assert f'<td class="text-end" data-trang-thai="{status}">{expected.get(status, 0)}</td>' in html
    assert _card(html, "the-tong-so") == Registration.objects.count() == 8


def test_viewer_of_one_branch_counts_only_that_branch(client, dang_bo, spread):
    user = UserFactory(username="thanhtra")
    user.memberships.create(unit=dang_bo, role="viewer")
    client.force_login(user)
    html = client.get(HOME).content.decode()
    assert _card(html, "the-tong-so") == 7  # the Sở Tài chính registration is not counted
    assert '<td class="text-end" data-trang-thai="active">2</td>' in html


def test_user_without_role_is_told_to_ask_for_one(client, db):
    client.force_login(UserFactory(username="chuacoquyen"))
    html = client.get(HOME).content.decode()
    assert "Tài khoản của bạn chưa được phân vai trò tại đơn vị nào." in html


def test_home_query_count_does_not_grow_with_data(client, django_assert_max_num_queries, dang_bo, chi_bo, member, year):
    user = UserFactory(username="bavaitro")
    for role in ("editor", "approver", "viewer"):
        user.memberships.create(unit=dang_bo, role=role)
    client.force_login(user)
    RegistrationFactory(subject_unit=chi_bo, year=year)
    _sent(5, subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    terms.terms()  # the guidance's names are read once per process (registry.terms), as by any earlier page
    with django_assert_max_num_queries(16):
        client.get(HOME)
    for day in range(1, 21):
        RegistrationFactory(subject_unit=chi_bo, year=year)
        _sent(day, subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    with django_assert_max_num_queries(16):
        response = client.get(HOME)
    assert len(response.context["inbox"].approver_items) == 21
    assert len(response.context["inbox"].editor_items) == 21


# --- work queues ---------------------------------------------------------------------------------------------------


def test_approver_home_links_entries_ready_for_a_meeting_to_the_meeting_page(client, approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    client.force_login(approver)

    html = client.get(HOME).content.decode()

    section = html[html.index('id="viec-hop-xac-nhan"') :]
    assert "data-so-luong>1</span>" in section[:400]
    assert f'href="{reverse("registry:meeting-create")}#cho-quyet-dinh">Lập cuộc họp xét</a>' in section


def test_an_empty_queue_says_so_on_the_home_page(client, secretary, year):
    client.force_login(secretary)

    html = client.get(HOME).content.decode()

    assert "Không có hồ sơ bị trả lại, bản nháp hay báo cáo nào chờ bạn. Tiếp theo: " in html
    assert f'href="{reverse("registry:registration-create-choose")}">Đăng ký mô hình mới</a>' in html


def test_viewer_home_says_nothing_waits_and_links_the_dashboard_and_ranking(client, viewer, year):
    client.force_login(viewer)

    html = client.get(HOME).content.decode()

    assert 'id="hang-doi-theo-doi"' in html
    assert "Không có việc nào chờ bạn xử lý: vai trò của bạn là theo dõi." in html
    assert f'href="{reverse("registry:dashboard")}">Xem tổng quan</a>' in html
    assert f'href="{reverse("registry:ranking")}">Xem xếp hạng thẩm định</a>' in html


def test_viewer_below_the_khoi_is_not_sent_to_the_ranking_they_may_not_open(client, dang_bo, year):
    user = UserFactory(username="theodoi")
    user.memberships.create(unit=dang_bo, role="viewer")
    client.force_login(user)

    html = client.get(HOME).content.decode()

    assert "Không có việc nào chờ bạn xử lý" in html
    assert reverse("registry:ranking") not in html
