"""Every status change tried by two people at the same moment on PostgreSQL, each in their own connection.

tests/test_concurrency.py covers receive against return, tests/test_meeting_concurrency.py two meetings confirming
the same model; this file covers the other transitions, each through the service that applies it. For each: exactly
one wins, the other gets the service's own Vietnamese message, the entry ends in the winner's target status, and the
audit holds one ``StatusChange`` row per transition applied (never a duplicate). Two collective decisions listing the
same entries in opposite orders must not deadlock (a deadlock reaches the user as a server error).
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from registry import appraisals, meetings, proposals, workflow
from registry.models import (
    Appraisal,
    AppraisalScore,
    Document,
    KhoiProposal,
    Meeting,
    Purpose,
    Registration,
    Role,
    Status,
    StatusChange,
)
from registry.services import registration_update
from registry.services.registrations import NOT_EDITABLE
from registry.workflow import TRANSITIONS, TransitionError
from tests.appraisal_utils import collective, new_appraiser, propose, scores_for, submit
from tests.concurrency_utils import OK, refusals, run_at_once, winners
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory
from tests.test_meetings import make_meeting

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)"),
    pytest.mark.django_db(transaction=True),
]

EDITED_TITLE = "Dân vận khéo ở bộ phận một cửa (bản sửa)"
# How often and how long a paused thread looks for the others (each_holding_its_first_lock); a bound, never a timing
# the outcome depends on.
POLL_SECONDS = 0.02
PAUSE_POLLS = 1500


@pytest.fixture(autouse=True)
def _reference_data(reference_data):
    pass


# --- helpers ----------------------------------------------------------------------------------------------------


def fresh(obj):
    """The row read again in the calling thread, as a request would: no instance is shared between threads."""
    return type(obj).objects.get(pk=obj.pk)


def applying(reg: Registration, action: str, user, reason: str = "") -> Callable[[], object]:
    return lambda: workflow.apply(fresh(reg), action, actor=fresh(user), reason=reason)


def recording(meeting: Meeting, user) -> Callable[[], object]:
    return lambda: meetings.meeting_record(fresh(meeting), actor=fresh(user))


def sending(proposal: KhoiProposal, user) -> Callable[[], object]:
    return lambda: proposals.proposal_send(fresh(proposal), actor=fresh(user))


def finishing(reg: Registration, user) -> Callable[[], object]:
    return lambda: appraisals.appraisal_finish(fresh(reg), actor=fresh(user))


def submitting_scores(reg: Registration, user, values) -> Callable[[], object]:
    scores = scores_for(reg, values)
    return lambda: appraisals.appraisal_submit(
        registration=fresh(reg), appraiser=fresh(user), file_complete=True, scores=scores
    )


def refused_message(action: str, status: str) -> str:
    """What ``workflow.apply`` says to whoever comes second: the action's label and the status found under the lock."""
    return (
        f"Không thể “{TRANSITIONS[action].label}” vì hồ sơ đang ở trạng thái “{Status(status).label}”. "
        "Có thể người khác vừa xử lý hồ sơ này; vui lòng xem lại."
    )


def one_winner(outcomes: dict) -> tuple[str, Exception]:
    """The name of the only action that went through and the exception of the only one refused."""
    won, refused = winners(outcomes), refusals(outcomes)
    assert len(won) == 1 and len(refused) == 1, outcomes
    return won[0], refused[0]


def audit(reg: Registration) -> list[str]:
    return list(StatusChange.objects.filter(registration=reg).order_by("pk").values_list("action", flat=True))


def status_of(reg: Registration) -> str:
    return Registration.objects.values_list("status", flat=True).get(pk=reg.pk)


def assert_left_nothing(meeting: Meeting) -> None:
    """A refused recording rolled back entirely: not recorded, no result per entry (and, as for any recording, no
    paper issued: the minutes and the decision are issued afterwards)."""
    meeting.refresh_from_db()
    assert meeting.recorded_at is None
    assert set(meeting.entries.values_list("passed", flat=True)) == {None}
    assert not Document.objects.filter(meeting=meeting).exists()


def second_user(unit, role: str, username: str):
    user = UserFactory(username=username, first_name="Thị Lan", last_name="Phạm")
    MembershipFactory(user=user, unit=unit, role=role)
    return user


def others_wait_for_a_lock() -> bool:
    """Whether another connection to this database is queued behind a row lock (PostgreSQL's own view of it)."""
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction unless the snapshot is dropped: drop it to see the present.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock')"
        )
        return cursor.fetchone()[0]


@contextmanager
def each_holding_its_first_lock(parties: int = 2) -> Iterator[None]:
    """Pause every thread right after its first transition (its first registration row locked) until all of them
    hold their first lock, or until one is queued behind a lock another holds (then there is nothing to cross and the
    others go on). Locks taken in opposite orders then cross for certain instead of by chance."""
    real_apply = workflow.apply
    holding = {"count": 0}
    guard = threading.Lock()
    paused = threading.local()

    def everyone_holds_or_waits() -> bool:
        with guard:
            if holding["count"] == parties:
                return True
        return others_wait_for_a_lock()

    def apply_then_wait(*args, **kwargs):
        result = real_apply(*args, **kwargs)
        if not getattr(paused, "done", False):
            paused.done = True
            with guard:
                holding["count"] += 1
            tick = threading.Event()
            for _ in range(PAUSE_POLLS):
                if everyone_holds_or_waits():
                    break
                tick.wait(POLL_SECONDS)
        return result

    with mock.patch.object(workflow, "apply", apply_then_wait):
        yield


# --- fixtures ---------------------------------------------------------------------------------------------------


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo ở bộ phận một cửa")


@pytest.fixture
def submitted(draft, secretary):
    return workflow.apply(draft, "submit", actor=secretary)


@pytest.fixture
def active(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)


@pytest.fixture
def confirmed(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)


@pytest.fixture
def exemplar(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE)


@pytest.fixture
def appraised(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)


@pytest.fixture
def other_khoi_approver(khoi):
    """A second member of the Ban Thường vụ Đảng ủy Khối entering decisions."""
    return second_user(khoi, Role.APPROVER, "danguykhoi2")


@pytest.fixture
def proposed(dang_bo, chi_bo, year):
    """An entry proposed to the Khối, waiting for its appraisal."""
    return propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Dân vận khéo trong tiếp dân")


@pytest.fixture
def other_appraiser(khoi):
    return new_appraiser(khoi, "bantuyengiao2")


def khoi_meeting(user, khoi, year, entries):
    return make_meeting(
        user, khoi, year, entries, purpose=Purpose.CONFIRM_EXEMPLAR_KHOI, members_total=11, members_present=9
    )


# --- submit, withdraw, stop: one person's button against another's ---------------------------------------------


def test_submitting_twice_at_once_sends_once_with_one_audit_row(secretary, draft):
    outcomes = run_at_once(
        {"first": applying(draft, "submit", secretary), "second": applying(draft, "submit", secretary)}
    )

    _won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message("submit", Status.SUBMITTED)]
    assert status_of(draft) == Status.SUBMITTED
    assert audit(draft) == ["submit"]


def test_saving_an_edit_while_submitting_never_changes_what_was_sent(secretary, draft):
    outcomes = run_at_once(
        {
            "submit": applying(draft, "submit", secretary),
            "edit": lambda: registration_update(
                registration=fresh(draft), editor=fresh(secretary), data={"title": EDITED_TITLE}
            ),
        }
    )

    # Either order is legitimate, one at a time: the edit before the sending (sent with it), or the sending first
    # (the edit refused). Never an edit saved onto a registration already sent.
    assert outcomes["submit"] is OK, outcomes
    assert status_of(draft) == Status.SUBMITTED
    assert audit(draft) == ["submit"]
    draft.refresh_from_db()
    if outcomes["edit"] is OK:
        assert draft.title == EDITED_TITLE
    else:
        refused = outcomes["edit"]
        assert isinstance(refused, ValidationError) and refused.code == "not_editable", outcomes
        assert refused.messages == [NOT_EDITABLE.format(status=Status.SUBMITTED.label)]
        assert draft.title == "Dân vận khéo ở bộ phận một cửa"


def test_withdrawing_while_the_approver_receives_lets_exactly_one_win(secretary, approver, submitted):
    outcomes = run_at_once(
        {"withdraw": applying(submitted, "withdraw", secretary), "receive": applying(submitted, "receive", approver)}
    )

    won, refused = one_winner(outcomes)
    lost = "receive" if won == "withdraw" else "withdraw"
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message(lost, TRANSITIONS[won].target)]
    assert status_of(submitted) == TRANSITIONS[won].target
    assert audit(submitted) == ["submit", won]


def test_two_approvers_stopping_at_once_stop_once_with_the_winners_reason(approver, khoi_approver, active):
    reasons = {"dang_uy": "Đơn vị sáp nhập, không còn thực hiện.", "khoi": "Mô hình trùng với mô hình khác."}
    outcomes = run_at_once(
        {
            "dang_uy": applying(active, "stop", approver, reason=reasons["dang_uy"]),
            "khoi": applying(active, "stop", khoi_approver, reason=reasons["khoi"]),
        }
    )

    won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message("stop", Status.STOPPED)]
    assert status_of(active) == Status.STOPPED
    assert list(StatusChange.objects.filter(registration=active).values_list("action", "reason")) == [
        ("stop", reasons[won])
    ]


# --- meetings (Mẫu 6a/6b, 7b) -----------------------------------------------------------------------------------


def test_two_grassroots_meetings_confirming_the_same_exemplar_let_exactly_one_win(
    approver, khoi_approver, dang_bo, year, confirmed
):
    first = make_meeting(approver, dang_bo, year, [(confirmed, 6, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_BASE)
    second = make_meeting(khoi_approver, dang_bo, year, [(confirmed, 5, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_BASE)

    outcomes = run_at_once({first.pk: recording(first, approver), second.pk: recording(second, khoi_approver)})

    won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message("confirm_exemplar_base", Status.EXEMPLAR_BASE)]
    assert status_of(confirmed) == Status.EXEMPLAR_BASE
    assert audit(confirmed) == ["confirm_exemplar_base"]
    assert_left_nothing(second if won == first.pk else first)


@pytest.mark.parametrize(
    ("votes", "action", "final"),
    [
        ([(9, 0), (8, 1)], "confirm_exemplar_khoi", Status.EXEMPLAR_KHOI),
        ([(3, 6), (4, 5)], "not_chosen", Status.EXEMPLAR_BASE),
    ],
    ids=["choosing", "not-choosing"],
)
def test_two_khoi_meetings_deciding_the_same_entry_alike_let_exactly_one_win(
    khoi_approver, other_khoi_approver, khoi, year, appraised, votes, action, final
):
    (for_1, against_1), (for_2, against_2) = votes
    first = khoi_meeting(khoi_approver, khoi, year, [(appraised, for_1, against_1)])
    second = khoi_meeting(other_khoi_approver, khoi, year, [(appraised, for_2, against_2)])

    outcomes = run_at_once(
        {
            first.pk: recording(first, khoi_approver),
            second.pk: recording(second, other_khoi_approver),
        }
    )

    won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message(action, final)]
    assert status_of(appraised) == final
    assert audit(appraised) == [action]
    assert_left_nothing(second if won == first.pk else first)


def test_khoi_meetings_choosing_and_not_choosing_the_same_entry_at_once_let_one_decide(
    khoi_approver, other_khoi_approver, khoi, year, appraised
):
    choosing = khoi_meeting(khoi_approver, khoi, year, [(appraised, 9, 0)])
    not_choosing = khoi_meeting(other_khoi_approver, khoi, year, [(appraised, 3, 6)])

    outcomes = run_at_once(
        {
            "confirm_exemplar_khoi": recording(choosing, khoi_approver),
            "not_chosen": recording(not_choosing, other_khoi_approver),
        }
    )

    won, refused = one_winner(outcomes)
    lost = "not_chosen" if won == "confirm_exemplar_khoi" else "confirm_exemplar_khoi"
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message(lost, TRANSITIONS[won].target)]
    assert status_of(appraised) == TRANSITIONS[won].target
    assert audit(appraised) == [won]
    assert_left_nothing(not_choosing if won == "confirm_exemplar_khoi" else choosing)


def test_two_meetings_deciding_the_same_models_in_opposite_order_let_one_win_without_deadlock(
    approver, khoi_approver, dang_bo, chi_bo, year
):
    one = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    two = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    forward = make_meeting(approver, dang_bo, year, [(one, 6, 0), (two, 6, 0)])
    backward = make_meeting(khoi_approver, dang_bo, year, [(two, 5, 0), (one, 5, 0)])

    # Only the meeting row is locked with the meeting (not its unit and year, which every meeting shares), so both
    # recordings reach their entries at once: meeting_record locks them in registration id order, never crosswise.
    with each_holding_its_first_lock():
        outcomes = run_at_once(
            {
                "forward": recording(forward, approver),
                "backward": recording(backward, khoi_approver),
            }
        )

    _won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError), outcomes
    assert refused.messages == [refused_message("confirm", Status.CONFIRMED)]
    assert (audit(one), audit(two)) == (["confirm"], ["confirm"])


# --- proposals to the Khối (Mẫu 6b) -----------------------------------------------------------------------------


def test_two_proposals_sending_the_same_exemplar_let_exactly_one_win(approver, khoi_approver, dang_bo, year, exemplar):
    first = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    second = proposals.proposal_create(actor=khoi_approver, unit=dang_bo, year=year, registrations=[exemplar])

    outcomes = run_at_once({first.pk: sending(first, approver), second.pk: sending(second, khoi_approver)})

    won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message("propose_khoi", Status.PROPOSED_KHOI)]
    assert status_of(exemplar) == Status.PROPOSED_KHOI
    assert audit(exemplar) == ["propose_khoi"]
    loser = second if won == first.pk else first
    loser.refresh_from_db()
    assert loser.sent_at is None
    assert not Document.objects.filter(proposal=loser).exists()


def test_two_proposals_listing_the_same_exemplars_in_opposite_order_let_one_win_without_deadlock(
    approver, khoi_approver, dang_bo, chi_bo, year
):
    one = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE)
    two = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE)
    forward = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[one, two])
    backward = proposals.proposal_create(actor=khoi_approver, unit=dang_bo, year=year, registrations=[two, one])

    # As for meetings: each sending locks its proposal alone, then the entries in registration id order.
    with each_holding_its_first_lock():
        outcomes = run_at_once(
            {
                "forward": sending(forward, approver),
                "backward": sending(backward, khoi_approver),
            }
        )

    _won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError), outcomes
    assert refused.messages == [refused_message("propose_khoi", Status.PROPOSED_KHOI)]
    assert (audit(one), audit(two)) == (["propose_khoi"], ["propose_khoi"])


# --- appraisal (Mẫu 7, 7a) --------------------------------------------------------------------------------------


def test_two_appraisers_finishing_at_once_finish_once(appraiser, other_appraiser, proposed):
    submit(proposed, appraiser, collective([20, 20, 20, 20, 20]))

    outcomes = run_at_once({"first": finishing(proposed, appraiser), "second": finishing(proposed, other_appraiser)})

    _won, refused = one_winner(outcomes)
    assert isinstance(refused, TransitionError) and refused.code == "invalid_transition"
    assert refused.messages == [refused_message("finish_appraisal", Status.APPRAISED)]
    assert status_of(proposed) == Status.APPRAISED
    assert audit(proposed) == ["finish_appraisal"]


def test_two_appraisers_submitting_at_once_keep_both_sheets_for_the_finish(appraiser, other_appraiser, proposed, year):
    outcomes = run_at_once(
        {
            "first": submitting_scores(proposed, appraiser, collective([20, 18, 15, 10, 5])),
            "second": submitting_scores(proposed, other_appraiser, collective([10, 10, 10, 10, 10])),
        }
    )
    appraisals.appraisal_finish(proposed, actor=appraiser)

    assert outcomes == {"first": OK, "second": OK}
    sheets = Appraisal.objects.filter(registration=proposed, submitted_at__isnull=False)
    assert sorted(sheets.values_list("total_score", flat=True)) == [50, 68]
    assert AppraisalScore.objects.filter(appraisal__registration=proposed).count() == 10
    assert status_of(proposed) == Status.APPRAISED
    assert audit(proposed) == ["finish_appraisal"]
    [ranked] = appraisals.ranking(appraiser, year.year)
    assert (ranked.submitted_count, ranked.mean) == (2, Decimal("59.00"))


def test_one_appraiser_submitting_twice_at_once_keeps_one_sheet(appraiser, proposed):
    values = collective([20, 18, 15, 10, 5])
    outcomes = run_at_once(
        {
            "first": submitting_scores(proposed, appraiser, values),
            "second": submitting_scores(proposed, appraiser, values),
        }
    )

    _won, refused = one_winner(outcomes)
    assert isinstance(refused, ValidationError) and refused.code == "already_submitted", outcomes
    assert refused.messages == ["Bạn đã nộp phiếu thẩm định cho hồ sơ này."]
    [sheet] = Appraisal.objects.filter(registration=proposed)
    assert (sheet.total_score, sheet.scores.count()) == (68, 5)
    assert status_of(proposed) == Status.PROPOSED_KHOI
    assert audit(proposed) == []
