"""registry.workflow.apply: one transaction, re-checked state and actor, one audit row per step."""

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registry import workflow
from registry.models import Registration, Status, StatusChange
from registry.workflow import TransitionError
from tests.factories import RegistrationFactory


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year)


@pytest.fixture
def submitted(draft, secretary):
    return workflow.apply(draft, "submit", actor=secretary)


def test_submit_records_status_change_with_actor_and_time(secretary, draft):
    reg = workflow.apply(draft, "submit", actor=secretary)
    change = StatusChange.objects.get()
    assert (reg.status, change.action, change.from_status, change.to_status) == (
        Status.SUBMITTED,
        "submit",
        Status.DRAFT,
        Status.SUBMITTED,
    )
    assert change.actor == secretary
    assert reg.submitted_at is not None
    assert Registration.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_incomplete_registration_is_refused_listing_missing_sections_in_print_order(secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, address="", objectives="", start_date=None)
    with pytest.raises(TransitionError) as exc:
        workflow.apply(reg, "submit", actor=secretary)
    assert exc.value.messages == ["Chưa thể gửi: còn thiếu Địa chỉ thực hiện; Mục tiêu; Thời gian thực hiện: từ ngày."]
    assert exc.value.code == "incomplete"
    assert not StatusChange.objects.exists()


def test_second_submit_is_refused_without_a_second_audit_row(secretary, submitted):
    with pytest.raises(TransitionError) as exc:
        workflow.apply(submitted, "submit", actor=secretary)
    assert exc.value.code == "invalid_transition"
    assert StatusChange.objects.count() == 1


def test_stale_copy_is_re_read_under_the_lock(secretary, draft):
    stale = Registration.objects.get(pk=draft.pk)
    workflow.apply(draft, "submit", actor=secretary)
    with pytest.raises(TransitionError):
        workflow.apply(stale, "submit", actor=secretary)  # the in-memory copy still says draft
    assert StatusChange.objects.count() == 1


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_return_requires_a_reason(approver, submitted, reason):
    with pytest.raises(TransitionError) as exc:
        workflow.apply(submitted, "return", actor=approver, reason=reason)
    assert exc.value.messages == ["Vui lòng ghi rõ lý do."]
    assert Registration.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_return_stores_the_trimmed_reason(approver, submitted):
    reg = workflow.apply(submitted, "return", actor=approver, reason="  Bổ sung minh chứng.  ")
    assert reg.status == Status.RETURNED
    assert StatusChange.objects.get(action="return").reason == "Bổ sung minh chứng."


def test_secretary_cannot_receive(secretary, submitted):
    with pytest.raises(PermissionDenied):
        workflow.apply(submitted, "receive", actor=secretary)
    assert StatusChange.objects.count() == 1


def test_outsider_cannot_receive(outsider, submitted):
    with pytest.raises(PermissionDenied):
        workflow.apply(submitted, "receive", actor=outsider)


def test_viewer_cannot_return(viewer, submitted):
    with pytest.raises(PermissionDenied):
        workflow.apply(submitted, "return", actor=viewer, reason="Thử")


def test_withdraw_after_receive_is_refused(secretary, approver, submitted):
    workflow.apply(submitted, "receive", actor=approver)
    with pytest.raises(TransitionError) as exc:
        workflow.apply(submitted, "withdraw", actor=secretary)
    assert "“Rút lại để sửa”" in exc.value.messages[0]
    assert "“Đang thực hiện”" in exc.value.messages[0]


def test_withdraw_brings_a_submitted_registration_back_to_draft(secretary, submitted):
    assert workflow.apply(submitted, "withdraw", actor=secretary).status == Status.DRAFT


def test_resubmit_after_return_sets_a_new_submission_time(secretary, approver, submitted):
    first = submitted.submitted_at
    workflow.apply(submitted, "return", actor=approver, reason="Bổ sung")
    again = workflow.apply(submitted, "submit", actor=secretary)
    assert again.status == Status.SUBMITTED
    assert again.submitted_at >= first
    assert list(StatusChange.objects.values_list("action", flat=True)) == ["submit", "return", "submit"]


def test_stop_requires_a_reason_and_an_active_registration(approver, submitted):
    with pytest.raises(TransitionError):
        workflow.apply(submitted, "stop", actor=approver, reason="Sáp nhập")  # not active yet
    workflow.apply(submitted, "receive", actor=approver)
    with pytest.raises(TransitionError):
        workflow.apply(submitted, "stop", actor=approver)
    assert workflow.apply(submitted, "stop", actor=approver, reason="Sáp nhập").status == Status.STOPPED


def test_unknown_action_is_a_transition_error(secretary, draft):
    with pytest.raises(TransitionError) as exc:
        workflow.apply(draft, "publish", actor=secretary)
    assert exc.value.messages == ["Thao tác không hợp lệ."]


def test_transition_error_is_a_validation_error():
    assert issubclass(TransitionError, ValidationError)


@pytest.mark.parametrize(
    ("persona", "status", "expected"),
    [
        ("secretary", Status.DRAFT, ["submit"]),
        ("secretary", Status.SUBMITTED, ["withdraw"]),
        ("approver", Status.DRAFT, []),
        ("approver", Status.SUBMITTED, ["receive", "return"]),
        ("approver", Status.ACTIVE, ["stop"]),
        ("viewer", Status.SUBMITTED, []),
        ("outsider", Status.SUBMITTED, []),
        ("secretary", Status.RETURNED, ["submit"]),
    ],
)
def test_available_actions_per_persona_and_status(request, chi_bo, year, persona, status, expected):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
    assert [name for name, _ in workflow.available_actions(request.getfixturevalue(persona), reg)] == expected


def test_committed_transition_is_logged_with_its_fields(secretary, draft, caplog, django_capture_on_commit_callbacks):
    with caplog.at_level(logging.INFO, logger="registry.workflow"), django_capture_on_commit_callbacks(execute=True):
        workflow.apply(draft, "submit", actor=secretary)
    [record] = [r for r in caplog.records if r.name == "registry.workflow"]
    assert (record.registration_id, record.action, record.from_status, record.to_status, record.actor_id) == (
        draft.pk,
        "submit",
        Status.DRAFT,
        Status.SUBMITTED,
        secretary.pk,
    )
    assert record.via is None


def test_refused_transition_is_not_logged(secretary, submitted, caplog, django_capture_on_commit_callbacks):
    with (
        caplog.at_level(logging.INFO, logger="registry.workflow"),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(TransitionError),
    ):
        workflow.apply(submitted, "submit", actor=secretary)
    assert [r for r in caplog.records if r.name == "registry.workflow"] == []
