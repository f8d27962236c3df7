"""Two recordings at once on PostgreSQL: the same meeting recorded by two approvers, or two meetings deciding the same
entry. Exactly one wins, the other is refused with a clear message and leaves nothing behind; the audit shows one
transition. Then the papers: two decisions issued at once with the same number, one gets it; the same decision issued
twice at once, one version stays in force."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registry import documents, meetings
from registry.models import Document, Meeting, Status, StatusChange
from registry.workflow import TransitionError
from tests.concurrency_utils import OK, refusals, run_at_once, winners
from tests.factories import RegistrationFactory
from tests.test_meetings import decision_of, issue_decision, make_meeting

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


def fresh(obj):
    """The row read again in the calling thread, as a request would: no instance is shared between threads."""
    return type(obj).objects.get(pk=obj.pk)


def recording(meeting: Meeting, user):
    return lambda: meetings.meeting_record(fresh(meeting), actor=fresh(user))


def issuing(meeting: Meeting, user, **fields):
    return lambda: issue_decision(meeting, fresh(user), **fields)


@pytest.fixture
def active(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)


def test_two_approvers_recording_the_same_meeting_let_exactly_one_win(approver, khoi_approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    users = {"dang_uy": approver, "khoi": khoi_approver}

    outcomes = run_at_once({name: recording(meeting, user) for name, user in users.items()})

    won, refused = winners(outcomes), refusals(outcomes)
    assert len(won) == 1, outcomes
    assert len(refused) == 1 and refused[0].messages == ["Cuộc họp này đã được ghi kết quả."], outcomes
    assert list(StatusChange.objects.filter(registration=active).values_list("action", flat=True)) == ["confirm"]
    meeting.refresh_from_db()
    assert meeting.recorded_by == users[won[0]]
    active.refresh_from_db()
    assert active.status == Status.CONFIRMED


def test_two_meetings_deciding_the_same_entry_let_exactly_one_win(approver, khoi_approver, dang_bo, year, active):
    first = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    second = make_meeting(khoi_approver, dang_bo, year, [(active, 6, 0)])

    outcomes = run_at_once({"first": recording(first, approver), "second": recording(second, khoi_approver)})

    won, refused = winners(outcomes), refusals(outcomes)
    assert len(won) == 1, outcomes
    assert len(refused) == 1 and isinstance(refused[0], TransitionError), outcomes
    assert refused[0].code == "invalid_transition"
    assert StatusChange.objects.filter(registration=active).count() == 1
    recorded = Meeting.objects.filter(recorded_at__isnull=False)
    assert recorded.count() == 1
    loser_meeting = Meeting.objects.get(recorded_at__isnull=True)
    assert set(loser_meeting.entries.values_list("passed", flat=True)) == {None}


def test_two_decisions_issued_at_once_with_the_same_number_let_exactly_one_have_it(
    approver, khoi_approver, dang_bo, chi_bo, year
):
    one = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    two = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    first = meetings.meeting_record(make_meeting(approver, dang_bo, year, [(one, 5, 1)]), actor=approver)
    second = meetings.meeting_record(make_meeting(approver, dang_bo, year, [(two, 5, 1)]), actor=approver)

    outcomes = run_at_once(
        {"first": issuing(first, approver, number="12"), "second": issuing(second, khoi_approver, number="12")}
    )

    won, refused = winners(outcomes), refusals(outcomes)
    assert len(won) == 1 and len(refused) == 1, outcomes
    assert isinstance(refused[0], ValidationError), outcomes
    assert refused[0].message_dict["number"] == [documents.NUMBER_USED]
    assert list(Document.objects.values_list("number", flat=True)) == ["12-QĐ/ĐU"]
    winner = first if won == ["first"] else second
    assert Document.objects.get().meeting == winner


def test_the_same_decision_issued_twice_at_once_keeps_exactly_one_version_in_force(
    approver, khoi_approver, dang_bo, year, active
):
    meeting = meetings.meeting_record(make_meeting(approver, dang_bo, year, [(active, 5, 1)]), actor=approver)

    outcomes = run_at_once(
        {
            "dang_uy": issuing(meeting, approver, signer_name="Phạm Văn Đức"),
            "khoi": issuing(meeting, khoi_approver, signer_name="Lê Thị Thu"),
        }
    )

    assert outcomes == {"dang_uy": OK, "khoi": OK}
    versions = list(documents.versions(decision_of(meeting)))
    in_force = [version for version in versions if not version.is_replaced]
    assert len(versions) == 2 and len(in_force) == 1
    assert in_force[0].replaces == versions[1] and in_force[0] == versions[0]
