"""registry.dashboard: figures equal counts computed independently over the factory objects, scope, fixed queries."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from registry.dashboard import OWN_UNIT_LABEL, dashboard_build, dashboard_for, default_unit
from registry.models import Field, Level, Role, Status, SubjectKind, Unit, UnitKind
from tests.factories import MembershipFactory, RegistrationFactory, UnitFactory, UserFactory, YearFactory

TODAY = datetime.date(2025, 3, 10)  # after the cơ sở deadline (28/02/2025), before the Khối one (20/03/2025)


def aware(y, m, d):
    return datetime.datetime(y, m, d, 9, 0, tzinfo=timezone.get_current_timezone())


def build_varied(units, people, year, *, count=24, seed_offset=0):
    """``count`` registrations cycling through subjects, statuses, fields, levels and send dates."""
    fields = list(Field.objects.order_by("order"))
    subjects = [
        (SubjectKind.PARTY_ORG, {"subject_unit": units["SYT-CB-NVY"]}),
        (SubjectKind.PARTY_ORG, {"subject_unit": units["SYT-DB"]}),
        (SubjectKind.AGENCY, {"subject_unit": units["SYT"]}),
        (SubjectKind.AGENCY, {"subject_unit": units["SYT-CD"]}),
        (SubjectKind.MEMBER, {"subject_person": people["member"]}),
        (SubjectKind.NON_MEMBER, {"subject_person": people["non_member"]}),
        (SubjectKind.PARTY_ORG, {"subject_unit": units["STC-CB-NS"]}),
    ]
    statuses = list(Status)
    dates = [aware(year.year, 2, 10), aware(year.year, 3, 5), aware(year.year, 3, 25), None]
    regs = []
    for i in range(count):
        j = i + seed_offset
        kind, subject = subjects[j % len(subjects)]
        status = statuses[(j * 3) % len(statuses)]
        sent = None if status == Status.DRAFT else dates[j % len(dates)] or aware(year.year, 1, 15)
        regs.append(
            RegistrationFactory(
                year=year,
                subject_kind=kind,
                level=Level.KHOI if j % 3 == 1 else Level.BASE,
                field=fields[j % len(fields)],
                status=status,
                submitted_at=sent,
                **subject,
            )
        )
    return regs


@pytest.fixture
def varied(unit_tree, member, non_member, year):
    regs = build_varied(unit_tree, {"member": member, "non_member": non_member}, year)
    # Another year must never leak into 2025's figures.
    build_varied(unit_tree, {"member": member, "non_member": non_member}, YearFactory(year=2024), count=7)
    return regs


def within(reg, unit):
    return reg.unit.path.startswith(unit.path)


def expected_sent(regs, unit):
    return [r for r in regs if within(r, unit) and r.status != Status.DRAFT]


def counts_of(rows):
    return {row.key: row.count for row in rows}


def test_total_and_status_counts_equal_independent_counts(varied, viewer, khoi, year):
    board = dashboard_build(viewer, unit=khoi, year=year, today=TODAY)
    sent = expected_sent(varied, khoi)
    assert board.figures.total == len(sent)
    expected = {s.value: sum(1 for r in sent if r.status == s) for s in Status if s != Status.DRAFT}
    assert counts_of(board.figures.by_status) == expected
    assert board.drafts == sum(1 for r in varied if r.status == Status.DRAFT)


def test_field_level_and_subject_kind_counts_equal_independent_counts(varied, viewer, khoi, year):
    f = dashboard_build(viewer, unit=khoi, year=year, today=TODAY).figures
    sent = expected_sent(varied, khoi)
    assert counts_of(f.by_field) == {fd.code: sum(1 for r in sent if r.field_id == fd.pk) for fd in Field.objects.all()}
    assert counts_of(f.by_level) == {lv.value: sum(1 for r in sent if r.level == lv) for lv in Level}
    assert counts_of(f.by_subject_kind) == {k.value: sum(1 for r in sent if r.subject_kind == k) for k in SubjectKind}
    assert f.collective == sum(1 for r in sent if r.subject_kind in (SubjectKind.PARTY_ORG, SubjectKind.AGENCY))


def test_child_units_count_their_whole_subtree(varied, viewer, khoi, year):
    board = dashboard_build(viewer, unit=khoi, year=year, today=TODAY)
    children = list(Unit.objects.filter(depth=2).order_by("path"))
    assert [row.label for row in board.children] == [c.name for c in children]
    for row, child in zip(board.children, children, strict=True):
        sent = expected_sent(varied, child)
        assert row.unit_pk == child.pk
        assert row.total == len(sent)
        assert row.confirmed == sum(1 for r in sent if r.status in (Status.CONFIRMED, *list(Status)[6:]))
        assert row.late == sum(1 for r in sent if r.submitted_at and r.is_late)
    assert all(row.total for row in board.children) and any(row.late for row in board.children)


def test_the_khois_advisory_ban_is_not_listed_among_its_units(varied, viewer, khoi, year):
    ban = UnitFactory(parent=khoi, code="BTG", name="Ban Tuyên giáo", kind=UnitKind.BAN)
    board = dashboard_build(viewer, unit=khoi, year=year, today=TODAY)
    assert ban.pk not in [row.unit_pk for row in board.children]
    assert board.children and all(row.total for row in board.children)


def test_drill_down_counts_the_chosen_unit_only(varied, viewer, dang_bo, year):
    board = dashboard_build(viewer, unit=dang_bo, year=year, today=TODAY)
    assert board.figures.total == len(expected_sent(varied, dang_bo))
    own = [r for r in varied if r.unit_id == dang_bo.pk and r.status != Status.DRAFT]
    assert board.children[0].label == OWN_UNIT_LABEL
    assert board.children[0].total == len(own)
    assert sum(row.total for row in board.children) == board.figures.total


def test_on_time_and_late_per_level_equal_independent_counts(varied, viewer, khoi, year):
    board = dashboard_build(viewer, unit=khoi, year=year, today=TODAY)
    sent = [r for r in expected_sent(varied, khoi) if r.submitted_at]
    base, khoi_level = board.registration_deadlines
    for deadline, level in ((base, Level.BASE), (khoi_level, Level.KHOI)):
        of_level = [r for r in sent if r.level == level]
        assert deadline.late == sum(1 for r in of_level if r.is_late)
        assert deadline.on_time == sum(1 for r in of_level if not r.is_late)
    assert base.late and base.on_time and khoi_level.late and khoi_level.on_time  # the data exercises each count


def test_deadline_states_read_days_left_or_overdue(viewer, khoi, year):
    board = dashboard_build(viewer, unit=khoi, year=year, today=TODAY)
    base, khoi_level = board.registration_deadlines
    assert (base.is_overdue, base.state) == (True, "Đã quá hạn")
    assert (khoi_level.is_overdue, khoi_level.state) == (False, "Còn 10 ngày")
    assert [d.label for d in board.other_deadlines][0] == "Hạn báo cáo 6 tháng"


def test_unregistered_units_reuse_inbox_and_stay_in_the_chosen_unit(varied, viewer, dang_bo, other_dang_bo, year):
    board = dashboard_build(viewer, unit=dang_bo, year=year, today=TODAY)
    registered = {r.unit_id for r in varied if r.status != Status.DRAFT} | {
        r.subject_unit_id for r in varied if r.status != Status.DRAFT and r.subject_unit_id
    }
    candidates = Unit.objects.filter(path__startswith=dang_bo.path).exclude(kind="khoi")
    expected = {u.pk for u in candidates if u.pk not in registered}
    assert {u.pk for u in board.unregistered} == expected
    assert board.unregistered_count == len(expected)
    assert all(u.path.startswith(dang_bo.path) for u in board.unregistered)


def test_a_user_sees_only_registrations_of_their_scope(varied, approver, khoi, dang_bo, year):
    """Even with a unit above the scope passed in, the figures count only what the user may see."""
    board = dashboard_build(approver, unit=khoi, year=year, today=TODAY)
    assert board.figures.total == len(expected_sent(varied, dang_bo))


def test_year_without_data_has_no_data(viewer, khoi, unit_tree):
    board = dashboard_build(viewer, unit=khoi, year=YearFactory(year=2030), today=TODAY)
    assert board.has_data is False
    assert board.figures.total == 0
    assert all(c.count == 0 for c in board.figures.by_status)


def test_default_unit_is_the_top_membership(unit_tree, chi_bo, dang_bo):
    user = UserFactory(username="hai-vai-tro")
    MembershipFactory(user=user, unit=chi_bo, role=Role.EDITOR)
    MembershipFactory(user=user, unit=dang_bo, role=Role.VIEWER)
    assert default_unit(user) == dang_bo
    assert default_unit(UserFactory(username="khong-don-vi")) is None


def _queries(user, unit, year):
    with CaptureQueriesContext(connection) as ctx:
        dashboard_build(user, unit=unit, year=year, today=TODAY)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_data(unit_tree, member, non_member, khoi, year):
    people = {"member": member, "non_member": non_member}
    build_varied(unit_tree, people, year, count=7)
    viewer = UserFactory(username="xem")
    MembershipFactory(user=viewer, unit=khoi, role=Role.VIEWER)
    small = _queries(viewer, khoi, year)
    build_varied(unit_tree, people, year, count=40, seed_offset=3)
    parents = itertools.cycle([unit_tree["SYT-DB"], unit_tree["STC-DB"]])
    for i in range(6):
        UnitFactory(parent=Unit.objects.get(pk=next(parents).pk), code=f"CB-MOI-{i}", name=f"Chi bộ mới {i}",
                    kind="chi_bo")  # fmt: skip
    viewer = UserFactory(username="xem")  # a fresh user object: memberships are fetched again
    assert _queries(viewer, Unit.objects.get(pk=khoi.pk), year) == small
    assert small <= 8


def test_a_khoi_dashboard_is_computed_once_for_its_viewers(
    varied, viewer, khoi, chi_bo, year, django_assert_num_queries
):
    first = dashboard_for(viewer, unit=khoi, year=year, today=TODAY)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)

    with django_assert_num_queries(0):
        again = dashboard_for(viewer, unit=khoi, year=year, today=TODAY)

    assert again.cached and again.figures.total == first.figures.total


def test_a_smaller_units_dashboard_is_always_fresh(varied, viewer, dang_bo, chi_bo, year):
    before = dashboard_for(viewer, unit=dang_bo, year=year, today=TODAY).figures.total
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)

    board = dashboard_for(viewer, unit=dang_bo, year=year, today=TODAY)

    assert not board.cached and board.figures.total == before + 1


def test_the_dashboard_page_says_when_a_khoi_figures_were_computed(client, varied, viewer, khoi, year):
    client.force_login(viewer)

    html = client.get(reverse("registry:dashboard"), {"don_vi": khoi.pk, "nam": year.year}).content.decode()

    assert "cập nhật 5 phút một lần" in html


# --- child units a page at a time -------------------------------------------------------------------------------


def test_child_units_come_a_page_at_a_time_with_their_subtree_counts(varied, viewer, khoi, year, monkeypatch):
    monkeypatch.setattr("registry.dashboard.CHILDREN_PAGE_SIZE", 1)
    children = list(Unit.objects.filter(depth=2).order_by("path"))

    pages = [dashboard_build(viewer, unit=khoi, year=year, today=TODAY, children_page=n) for n in (1, 2)]

    assert [[row.unit_pk for row in board.children] for board in pages] == [[children[0].pk], [children[1].pk]]
    for board, child in zip(pages, children, strict=True):
        assert board.children_page.paginator.count == 2
        assert board.children[0].total == len(expected_sent(varied, child))


def test_a_page_past_the_last_shows_the_last_page(varied, viewer, khoi, year, monkeypatch):
    monkeypatch.setattr("registry.dashboard.CHILDREN_PAGE_SIZE", 1)

    board = dashboard_build(viewer, unit=khoi, year=year, today=TODAY, children_page=99)

    assert board.children_page.number == 2
    assert [row.label for row in board.children] == [Unit.objects.filter(depth=2).order_by("path").last().name]


def test_the_units_own_registrations_lead_the_first_page_only(varied, viewer, dang_bo, year, monkeypatch):
    monkeypatch.setattr("registry.dashboard.CHILDREN_PAGE_SIZE", 1)
    own = [r for r in expected_sent(varied, dang_bo) if r.unit_id == dang_bo.pk]

    first = dashboard_build(viewer, unit=dang_bo, year=year, today=TODAY, children_page=1)
    second = dashboard_build(viewer, unit=dang_bo, year=year, today=TODAY, children_page=2)

    assert own and first.children[0].label == OWN_UNIT_LABEL and first.children[0].total == len(own)
    assert OWN_UNIT_LABEL not in [row.label for row in second.children]


def _khoi_viewer(khoi, username):
    user = UserFactory(username=username)  # a fresh user object: memberships are fetched again
    MembershipFactory(user=user, unit=khoi, role=Role.VIEWER)
    return user


def test_query_count_does_not_grow_with_the_number_of_child_units(unit_tree, member, non_member, khoi, year):
    build_varied(unit_tree, {"member": member, "non_member": non_member}, year, count=7)
    few = _queries(_khoi_viewer(khoi, "xem-1"), khoi, year)
    for i in range(60):  # more than a page of children
        UnitFactory(parent=Unit.objects.get(pk=khoi.pk), code=f"DB-MOI-{i:02}", name=f"Đảng bộ mới {i:02}",
                    kind="dang_bo_co_so")  # fmt: skip
    khoi = Unit.objects.get(pk=khoi.pk)

    many = _queries(_khoi_viewer(khoi, "xem-2"), khoi, year)
    board = dashboard_build(_khoi_viewer(khoi, "xem-3"), unit=khoi, year=year, today=TODAY)

    assert many == few
    assert len(board.children) == 50 and board.children_page.paginator.count == 62
