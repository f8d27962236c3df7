"""Two approvers acting on the same submitted registration at once: exactly one transition wins (workflow.apply)."""

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from registry import workflow
from registry.models import Criterion, Field, Registration, Status, StatusChange, SubjectKind
from registry.workflow import TransitionError
from tests.factories import RegistrationFactory

transactional = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


@pytest.fixture
def submitted(chi_bo, year, secretary):
    reg = RegistrationFactory(subject_kind=SubjectKind.PARTY_ORG, subject_unit=chi_bo, year=year)
    return workflow.apply(reg, "submit", actor=secretary)


def act(registration_id: int, user_id: int, action: str, barrier: threading.Barrier, outcomes: dict) -> None:
    """Apply ``action`` in this thread's own connection once both threads are ready; record what happened."""
    try:
        actor = get_user_model().objects.get(pk=user_id)
        reg = Registration.objects.get(pk=registration_id)
        barrier.wait(timeout=30)
        workflow.apply(reg, action, actor=actor, reason="Bổ sung minh chứng." if action == "return" else "")
        outcomes[action] = "ok"
    except Exception as exc:  # the test asserts which exception it was; nothing is swallowed
        outcomes[action] = exc
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)")
@transactional
def test_receive_and_return_at_once_on_postgresql_lets_exactly_one_win(submitted, approver, khoi_approver):
    barrier = threading.Barrier(2)
    outcomes: dict = {}
    threads = [
        threading.Thread(target=act, args=(submitted.pk, approver.pk, "receive", barrier, outcomes)),
        threading.Thread(target=act, args=(submitted.pk, khoi_approver.pk, "return", barrier, outcomes)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    winners = [action for action, outcome in outcomes.items() if outcome == "ok"]
    losers = [outcome for outcome in outcomes.values() if outcome != "ok"]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1 and isinstance(losers[0], TransitionError), outcomes
    assert losers[0].code == "invalid_transition"

    submitted.refresh_from_db()
    assert submitted.status == {"receive": Status.ACTIVE, "return": Status.RETURNED}[winners[0]]
    after_submit = StatusChange.objects.filter(registration=submitted).exclude(action="submit")
    assert list(after_submit.values_list("action", flat=True)) == winners


@transactional
def test_second_of_two_sequential_decisions_gets_a_clear_error(submitted, approver, khoi_approver):
    # On SQLite the IMMEDIATE transaction mode serialises writers; the second sees the new status under its lock.
    stale_copy = Registration.objects.get(pk=submitted.pk)
    workflow.apply(submitted, "receive", actor=approver)

    with pytest.raises(TransitionError) as exc:
        workflow.apply(stale_copy, "return", actor=khoi_approver, reason="Bổ sung minh chứng.")

    assert exc.value.messages == [
        "Không thể “Trả lại” vì hồ sơ đang ở trạng thái “Đang thực hiện”. "
        "Có thể người khác vừa xử lý hồ sơ này; vui lòng xem lại."
    ]
    stale_copy.refresh_from_db()
    assert stale_copy.status == Status.ACTIVE
    assert list(StatusChange.objects.filter(registration=submitted).values_list("action", flat=True)) == [
        "submit",
        "receive",
    ]


@transactional
def test_transactional_tests_here_start_with_the_reference_data_of_migration_0002():
    assert Field.objects.count() == 4
    assert Criterion.objects.count() == 8
