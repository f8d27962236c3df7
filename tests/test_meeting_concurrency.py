"""Two recordings at once on PostgreSQL: the same meeting recorded by two approvers, or two meetings deciding the same
entry. Exactly one wins, the other is refused with a clear message and leaves nothing behind; the audit shows one
transition."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from registry import meetings
from registry.models import Document, Meeting, Status, StatusChange
from registry.workflow import TransitionError
from tests.factories import RegistrationFactory
from tests.test_meetings import DECIDED_ON, make_meeting

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


def record_in_thread(meeting_id: int, user_id: int, number: str, barrier: threading.Barrier, outcomes: dict) -> None:
    """Record the meeting in this thread's own connection once both threads are ready; keep what happened."""
    try:
        actor = get_user_model().objects.get(pk=user_id)
        meeting = Meeting.objects.get(pk=meeting_id)
        barrier.wait(timeout=30)
        meetings.meeting_record(meeting, actor=actor, decision_number=number, decision_date=DECIDED_ON)
        outcomes[number] = "ok"
    except Exception as exc:  # the test asserts which exception it was; nothing is swallowed
        outcomes[number] = exc
    finally:
        connection.close()


def run_both(*args_list) -> dict:
    barrier = threading.Barrier(2)
    outcomes: dict = {}
    threads = [threading.Thread(target=record_in_thread, args=(*args, barrier, outcomes)) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.fixture
def active(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)


def test_two_approvers_recording_the_same_meeting_let_exactly_one_win(approver, khoi_approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])

    outcomes = run_both((meeting.pk, approver.pk, "12-QĐ/ĐU"), (meeting.pk, khoi_approver.pk, "13-QĐ/ĐU"))

    winners = [number for number, outcome in outcomes.items() if outcome == "ok"]
    losers = [outcome for outcome in outcomes.values() if outcome != "ok"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and losers[0].messages == ["Cuộc họp này đã được ghi kết quả."], outcomes
    assert list(StatusChange.objects.filter(registration=active).values_list("action", flat=True)) == ["confirm"]
    assert list(Document.objects.filter(form_code="mau_5b").values_list("number", flat=True)) == winners
    active.refresh_from_db()
    assert active.status == Status.CONFIRMED


def test_two_meetings_deciding_the_same_entry_let_exactly_one_win(approver, khoi_approver, dang_bo, year, active):
    first = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    second = make_meeting(khoi_approver, dang_bo, year, [(active, 6, 0)])

    outcomes = run_both((first.pk, approver.pk, "12-QĐ/ĐU"), (second.pk, khoi_approver.pk, "13-QĐ/ĐU"))

    winners = [number for number, outcome in outcomes.items() if outcome == "ok"]
    losers = [outcome for outcome in outcomes.values() if outcome != "ok"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], TransitionError), outcomes
    assert losers[0].code == "invalid_transition"
    assert StatusChange.objects.filter(registration=active).count() == 1
    recorded = Meeting.objects.filter(recorded_at__isnull=False)
    assert recorded.count() == 1
    loser_meeting = Meeting.objects.get(recorded_at__isnull=True)
    assert not Document.objects.filter(meeting=loser_meeting).exists()
    assert set(loser_meeting.entries.values_list("passed", flat=True)) == {None}
