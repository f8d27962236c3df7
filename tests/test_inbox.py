"""registry.inbox: what waits for each role, counts, and the units that have not registered."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from registry import workflow
from registry.inbox import inbox_for, unregistered_units
from registry.models import Level, Registration, Status, SubjectKind
from registry.terms import terms
from tests.factories import RegistrationFactory, UnitFactory, UserFactory, YearFactory

TODAY = datetime.date(2025, 2, 20)  # 8 days before the 2025 cơ sở deadline (28/02/2025)


def _returned(secretary, approver, reason, **kwargs):
    """A registration sent and returned through the workflow, so that its reason is in the audit trail."""
    reg = RegistrationFactory(**kwargs)
    workflow.apply(reg, "submit", actor=secretary)
    return workflow.apply(reg, "return", actor=approver, reason=reason)


def _sent(when: datetime.datetime, **kwargs):
    return RegistrationFactory(status=Status.SUBMITTED, submitted_at=when, **kwargs)


def _aware(y, m, d):
    return datetime.datetime(y, m, d, 9, 0, tzinfo=timezone.get_current_timezone())


# --- editors ---------------------------------------------------------------------------------------------------


def test_editor_sees_returned_first_with_reason_then_drafts(secretary, approver, chi_bo, member, year):
    draft = RegistrationFactory(subject_unit=chi_bo, year=year, title="Bản nháp của chi bộ")
    returned = _returned(
        secretary,
        approver,
        "Bổ sung ảnh minh chứng.",
        subject_kind=SubjectKind.MEMBER,
        subject_person=member,
        year=year,
    )
    inbox = inbox_for(secretary, today=TODAY)
    assert [i.registration.pk for i in inbox.editor_items] == [returned.pk, draft.pk]
    assert inbox.editor_items[0].return_reason == "Bổ sung ảnh minh chứng."
    assert inbox.editor_items[1].return_reason == ""
    assert (inbox.returned_count, inbox.draft_count) == (1, 1)


def test_editor_reason_is_the_latest_return(secretary, approver, chi_bo, year):
    reg = _returned(secretary, approver, "Lần một: thiếu địa chỉ.", subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    workflow.apply(reg, "return", actor=approver, reason="Lần hai: thiếu kinh phí.")
    (item,) = inbox_for(secretary, today=TODAY).editor_items
    assert item.return_reason == "Lần hai: thiếu kinh phí."


def test_editor_does_not_see_sent_or_received_registrations(secretary, chi_bo, member, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    inbox = inbox_for(secretary, today=TODAY)
    assert inbox.editor_items == []
    assert inbox.editor_total == 0


def test_editor_does_not_see_drafts_of_another_branch(secretary, other_chi_bo, year):
    RegistrationFactory(subject_unit=other_chi_bo, year=year)
    assert inbox_for(secretary, today=TODAY).editor_items == []


def test_days_left_counts_to_the_deadline_of_the_registrations_level(secretary, chi_bo, year):
    base = RegistrationFactory(subject_unit=chi_bo, year=year, level=Level.BASE)
    khoi = RegistrationFactory(subject_unit=chi_bo, year=year, level=Level.KHOI)
    items = {i.registration.pk: i for i in inbox_for(secretary, today=TODAY).editor_items}
    assert items[base.pk].deadline == datetime.date(2025, 2, 28)
    assert items[base.pk].days_left == 8
    assert items[khoi.pk].deadline == datetime.date(2025, 3, 20)
    assert items[khoi.pk].days_left == 28
    assert not items[base.pk].is_overdue


def test_days_late_after_the_deadline(secretary, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    (item,) = inbox_for(secretary, today=datetime.date(2025, 3, 3)).editor_items
    assert item.is_overdue
    assert item.days_late == 3


# --- approvers -------------------------------------------------------------------------------------------------


def test_approver_sees_what_was_sent_to_units_they_approve_oldest_first(approver, chi_bo, agency, doan_the, year):
    newer = _sent(_aware(2025, 2, 10), subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year)
    older = _sent(_aware(2025, 2, 1), subject_unit=chi_bo, year=year)
    oldest = _sent(_aware(2025, 1, 15), subject_kind=SubjectKind.AGENCY, subject_unit=doan_the, year=year)
    RegistrationFactory(subject_unit=chi_bo, year=year)  # a draft waits for nobody
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    inbox = inbox_for(approver, today=TODAY)
    assert [i.registration.pk for i in inbox.approver_items] == [oldest.pk, older.pk, newer.pk]
    assert inbox.waiting_count == 3


def test_approver_of_chi_bo_does_not_see_what_the_dang_bo_receives(chi_bo_approver, chi_bo, member, year):
    # A chi bộ's own Mẫu 1 goes to the đảng ủy cơ sở; a member's Mẫu 2 goes to the chi bộ.
    _sent(_aware(2025, 2, 1), subject_unit=chi_bo, year=year)
    to_chi_bo = _sent(_aware(2025, 2, 1), subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    inbox = inbox_for(chi_bo_approver, today=TODAY)
    assert [i.registration.pk for i in inbox.approver_items] == [to_chi_bo.pk]


def test_approver_does_not_see_another_branchs_submissions(approver, outsider, other_chi_bo, chi_bo, year):
    theirs = _sent(_aware(2025, 2, 1), subject_unit=other_chi_bo, year=year)
    mine = _sent(_aware(2025, 2, 1), subject_unit=chi_bo, year=year)
    assert [i.registration.pk for i in inbox_for(approver, today=TODAY).approver_items] == [mine.pk]
    assert [i.registration.pk for i in inbox_for(outsider, today=TODAY).approver_items] == [theirs.pk]


def test_late_count_equals_registrations_sent_after_their_deadline(approver, dang_bo, chi_bo, agency, year):
    _sent(_aware(2025, 2, 27), subject_unit=chi_bo, year=year)  # on time (cơ sở: 28/02)
    _sent(_aware(2025, 3, 5), subject_unit=chi_bo, year=year)  # late
    _sent(_aware(2025, 3, 2), subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year)  # late
    inbox = inbox_for(approver, today=TODAY)
    waiting = Registration.objects.filter(status=Status.SUBMITTED).select_related("receiving_unit")
    expected = sum(1 for reg in waiting if reg.receiving_unit.is_within(dang_bo) and reg.is_late)
    assert inbox.waiting_late_count == expected == 2
    assert [i.is_late for i in inbox.approver_items] == [False, True, True]


def test_khoi_level_lateness_uses_the_khoi_deadline(khoi_approver, chi_bo, year):
    _sent(_aware(2025, 3, 5), subject_unit=chi_bo, year=year, level=Level.KHOI)  # Khối deadline: 20/3
    _sent(_aware(2025, 3, 25), subject_unit=chi_bo, year=year, level=Level.KHOI)
    inbox = inbox_for(khoi_approver, today=TODAY)
    assert [i.is_late for i in inbox.approver_items] == [False, True]
    assert inbox.waiting_late_count == 1


# --- viewers and appraisers ------------------------------------------------------------------------------------


@pytest.fixture
def mixed(chi_bo, agency, other_chi_bo, member, year):
    """Registrations of many statuses in both branches."""
    statuses = [Status.DRAFT, Status.SUBMITTED, Status.ACTIVE, Status.ACTIVE, Status.CONFIRMED, Status.RETURNED]
    for i, status in enumerate(statuses):
        RegistrationFactory(subject_unit=[chi_bo, other_chi_bo][i % 2], year=year, status=status)
    RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.STOPPED)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)


def _counts_within(unit) -> Counter:
    unit.refresh_from_db()  # adding a sibling sorted by name may have moved the fixture's path
    return Counter(r.status for r in Registration.objects.select_related("unit") if r.unit.is_within(unit))


def test_viewer_counts_by_status_equal_an_independent_count(viewer, khoi, mixed):
    inbox = inbox_for(viewer, today=TODAY)
    expected = _counts_within(khoi)
    assert {c.status: c.count for c in inbox.status_counts} == {s: expected.get(s, 0) for s in Status.values}
    assert inbox.overseen_total == Registration.objects.count()


def test_viewer_of_one_branch_counts_only_that_branch(dang_bo, mixed):
    user = UserFactory(username="kiemtra")
    user.memberships.create(unit=dang_bo, role="viewer")
    inbox = inbox_for(user, today=TODAY)
    expected = _counts_within(dang_bo)
    assert {c.status: c.count for c in inbox.status_counts if c.count} == dict(expected)
    assert inbox.overseen_total == sum(expected.values()) < Registration.objects.count()


def test_appraiser_sees_counts_but_no_action_sections(appraiser, mixed):
    inbox = inbox_for(appraiser, today=TODAY)
    assert inbox.is_overseer
    assert not inbox.is_editor and not inbox.is_approver
    assert inbox.overseen_total == Registration.objects.count()


def test_user_without_membership_has_an_empty_inbox(db):
    inbox = inbox_for(UserFactory(username="moi"), today=TODAY)
    assert not inbox.has_roles
    assert inbox.editor_items == inbox.approver_items == inbox.status_counts == []


def _queries_of_inbox(user) -> int:
    user = type(user).objects.get(pk=user.pk)  # a fresh object: no cached memberships
    with CaptureQueriesContext(connection) as ctx:
        inbox_for(user, today=TODAY)
    return len(ctx.captured_queries)


def test_inbox_queries_do_not_grow_with_data(django_assert_max_num_queries, dang_bo, chi_bo, member, year):
    user = UserFactory(username="nhieuvaitro")
    for role in ("editor", "approver", "viewer"):
        user.memberships.create(unit=dang_bo, role=role)
    RegistrationFactory(subject_unit=chi_bo, year=year)
    _sent(_aware(2025, 3, 1), subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    terms()  # the guidance's names are read once per process, as by any earlier page
    few = _queries_of_inbox(user)
    for _ in range(10):
        RegistrationFactory(subject_unit=chi_bo, year=year)
        _sent(_aware(2025, 3, 1), subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    assert _queries_of_inbox(user) == few
    fresh = type(user).objects.get(pk=user.pk)
    # Memberships and year; per role its list and one aggregate for its queue (two each for editor and approver,
    # with the Mẫu 5 rows and the meetings to record); the unit's reports (two); the counts by status.
    with django_assert_max_num_queries(13):
        inbox = inbox_for(fresh, today=TODAY)
        for item in [*inbox.editor_items, *inbox.approver_items]:
            _ = (item.registration.subject_name, item.deadline, item.is_late, item.registration.unit.name)


# --- units that have not registered -----------------------------------------------------------------------------


def test_unregistered_lists_units_of_registering_kinds_without_a_sent_registration(
    approver, dang_bo, chi_bo, agency, doan_the, year
):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year)  # a draft does not count
    assert list(unregistered_units(approver, year)) == [dang_bo, agency, doan_the]


def test_unregistered_counts_a_members_registration_for_the_owning_chi_bo(viewer, khoi, chi_bo, member, year):
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    units = list(unregistered_units(viewer, year))
    assert chi_bo not in units
    assert khoi not in units  # the Khối itself does not register


def test_unregistered_ignores_other_years_and_stays_in_scope(approver, chi_bo, other_chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=YearFactory(year=2024), status=Status.CONFIRMED)
    units = list(unregistered_units(approver, year))
    assert chi_bo in units
    assert other_chi_bo not in units


def test_unregistered_leaves_out_inactive_units(approver, dang_bo, year):
    closed = UnitFactory(parent=dang_bo, name="Chi bộ đã giải thể", kind="chi_bo", is_active=False)
    assert closed not in list(unregistered_units(approver, year))


def test_unregistered_is_one_query_after_the_memberships(django_assert_num_queries, approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    units = unregistered_units(approver, year)
    with django_assert_num_queries(1):
        list(units)


def test_viewer_counts_only_the_open_years_work(viewer, chi_bo, year, mixed):
    earlier = YearFactory(year=year.year - 1, is_open=False)
    RegistrationFactory(subject_unit=chi_bo, year=earlier, status=Status.ACTIVE)
    year.is_open = True
    year.save()

    inbox = inbox_for(viewer, today=TODAY)

    assert inbox.open_year == year
    assert inbox.overseen_total == Registration.objects.filter(year=year).count() < Registration.objects.count()
