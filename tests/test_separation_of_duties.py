"""Separation of duties: nobody decides on what they registered. An account holding both the editor's and a
deciding role may not receive what it submitted, confirm or propose what it created, score its own unit's proposal
or record a meeting that decides its own entry; the workflow refuses each with a clear message, and the admin warns
when such roles are given to one account."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry import appraisals, permissions, workflow
from registry.context_processors import inbox_count
from registry.inbox import inbox_for
from registry.models import Meeting, Purpose, Role, Status, StatusChange
from registry.workflow import TransitionError
from tests.appraisal_utils import collective, propose, scores_for
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory
from tests.test_admin import change_form_data
from tests.test_meetings import make_meeting, record


@pytest.fixture
def decides_everything(chi_bo, khoi):
    """Editor of the chi bộ, approver and appraiser of the whole Khối: allowed every step, so only the separation of
    duties can refuse."""
    user = UserFactory(username="toanquyen")
    MembershipFactory(user=user, unit=chi_bo, role=Role.EDITOR)
    MembershipFactory(user=user, unit=khoi, role=Role.APPROVER)
    MembershipFactory(user=user, unit=khoi, role=Role.APPRAISER)
    return user


@pytest.fixture
def appraising_approver(dang_bo, khoi):
    """Approver of the Đảng bộ Sở Y tế who also appraises for the Khối."""
    user = UserFactory(username="danguy.thamdinh")
    MembershipFactory(user=user, unit=dang_bo, role=Role.APPROVER)
    MembershipFactory(user=user, unit=khoi, role=Role.APPRAISER)
    return user


# action, status the entry is in, the service that applies it
DECISIONS = [
    ("receive", Status.SUBMITTED, None),
    ("return", Status.SUBMITTED, None),
    ("stop", Status.ACTIVE, None),
    ("confirm", Status.ACTIVE, "meeting"),
    ("confirm_exemplar_base", Status.CONFIRMED, "meeting"),
    ("propose_khoi", Status.EXEMPLAR_BASE, "proposal"),
    ("finish_appraisal", Status.PROPOSED_KHOI, "appraisal"),
    ("confirm_exemplar_khoi", Status.APPRAISED, "meeting"),
    ("not_chosen", Status.APPRAISED, "meeting"),
]


def test_every_decision_of_the_workflow_is_covered_here():
    decisions = {name for name, t in workflow.TRANSITIONS.items() if t.conflict is not None}
    assert decisions == {action for action, _status, _via in DECISIONS}


@pytest.mark.parametrize(("action", "status", "via"), DECISIONS)
def test_the_workflow_refuses_a_decision_on_an_entry_the_actor_created(
    decides_everything, chi_bo, year, action, status, via
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=status, created_by=decides_everything)
    with pytest.raises(TransitionError) as exc:
        workflow.apply(reg, action, actor=decides_everything, reason="Lý do.", via=via)
    assert exc.value.code == "separation_of_duties"
    assert exc.value.messages == [permissions.OWN_REGISTRATION.format(title=reg.title)]
    reg.refresh_from_db()
    assert reg.status == status
    assert not StatusChange.objects.filter(registration=reg).exists()


@pytest.mark.parametrize(("action", "status", "via"), DECISIONS)
def test_the_same_account_takes_the_decision_on_an_entry_of_another_branch(
    decides_everything, outsider, other_chi_bo, year, action, status, via
):
    reg = RegistrationFactory(subject_unit=other_chi_bo, year=year, status=status, created_by=outsider)
    workflow.apply(reg, action, actor=decides_everything, reason="Lý do.", via=via)
    reg.refresh_from_db()
    assert reg.status == workflow.TRANSITIONS[action].target


def test_an_account_may_not_receive_what_it_submitted_though_someone_else_created_it(
    dual_role_staff, secretary, chi_bo, year
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, created_by=secretary)
    workflow.apply(reg, "submit", actor=dual_role_staff)
    with pytest.raises(TransitionError) as exc:
        workflow.apply(reg, "receive", actor=dual_role_staff)
    assert exc.value.code == "separation_of_duties"
    reg.refresh_from_db()
    assert reg.status == Status.SUBMITTED


def test_the_entry_page_offers_no_decision_on_what_the_account_submitted(dual_role_staff, chi_bo, year):
    reg = workflow.apply(RegistrationFactory(subject_unit=chi_bo, year=year), "submit", actor=dual_role_staff)
    assert workflow.available_actions(dual_role_staff, reg) == [("withdraw", workflow.TRANSITIONS["withdraw"])]


def test_receiving_ones_own_submission_by_post_is_refused_with_the_reason(client, dual_role_staff, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=dual_role_staff)
    client.force_login(dual_role_staff)
    response = client.post(reverse("registry:registration-transition", args=[reg.pk, "receive"]))
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        permissions.OWN_REGISTRATION.format(title=reg.title)
    ]
    reg.refresh_from_db()
    assert reg.status == Status.SUBMITTED


def test_recording_a_meeting_that_decides_the_recorders_own_entry_changes_nothing(
    dual_role_staff, dang_bo, chi_bo, year
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, created_by=dual_role_staff)
    meeting = make_meeting(dual_role_staff, dang_bo, year, entries=[(reg, 6, 0)], purpose=Purpose.CONFIRM_MODEL)
    with pytest.raises(TransitionError) as exc:
        record(meeting, dual_role_staff)
    assert exc.value.messages == [permissions.OWN_REGISTRATION.format(title=reg.title)]
    assert Meeting.objects.get(pk=meeting.pk).recorded_at is None
    reg.refresh_from_db()
    assert reg.status == Status.ACTIVE


def test_another_approver_records_the_same_meeting(dual_role_staff, approver, dang_bo, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, created_by=dual_role_staff)
    meeting = make_meeting(approver, dang_bo, year, entries=[(reg, 6, 0)])
    record(meeting, approver)
    reg.refresh_from_db()
    assert reg.status == Status.CONFIRMED


@pytest.fixture
def own_unit_proposal(reference_data, dang_bo, chi_bo, year):
    """The chi bộ's exemplar proposed to the Khối by the Đảng bộ Sở Y tế, registered by the secretary."""
    return propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Điển hình của chính đơn vị")


def test_an_appraiser_who_confirms_for_the_unit_may_not_score_its_proposal(appraising_approver, own_unit_proposal):
    scores = scores_for(own_unit_proposal, collective([20, 20, 20, 20, 20]))
    with pytest.raises(ValidationError) as exc:
        appraisals.appraisal_save(
            registration=own_unit_proposal,
            appraiser=appraising_approver,
            file_complete=True,
            scores=scores,
            submit=True,
        )
    assert exc.value.messages == [permissions.OWN_UNIT.format(title=own_unit_proposal.title)]
    assert not own_unit_proposal.appraisals.exists()


def test_scoring_ones_own_units_proposal_by_post_is_refused_with_the_reason(
    client, appraising_approver, own_unit_proposal
):
    client.force_login(appraising_approver)
    url = reverse("registry:appraisal-score", args=[own_unit_proposal.pk])
    response = client.post(url, {"file_complete": "on", "save": "1"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        permissions.OWN_UNIT.format(title=own_unit_proposal.title)
    ]
    assert not own_unit_proposal.appraisals.exists()


def test_an_appraiser_of_the_khoi_only_still_scores_the_same_proposal(appraiser, own_unit_proposal):
    scores = scores_for(own_unit_proposal, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_submit(registration=own_unit_proposal, appraiser=appraiser, file_complete=True, scores=scores)
    assert own_unit_proposal.appraisals.get().appraiser == appraiser


# --- warnings when roles are given -------------------------------------------------------------------------------


def test_roles_that_let_an_account_receive_its_own_submissions_are_named(dual_role_staff):
    warnings = permissions.role_conflicts(dual_role_staff.memberships.select_related("unit"))
    assert warnings == [
        "Vừa đăng ký, gửi hồ sơ ở “Chi bộ Phòng Nghiệp vụ Y” vừa tiếp nhận, xác nhận ở “Đảng bộ Sở Y tế”: tài khoản "
        "này có thể tiếp nhận chính hồ sơ mình gửi. Cổng sẽ từ chối mỗi lần như vậy."
    ]


def test_roles_that_let_an_account_score_its_own_units_entries_are_named(appraising_approver):
    warnings = permissions.role_conflicts(appraising_approver.memberships.select_related("unit"))
    assert warnings == [
        "Vừa có vai trò ở “Đảng bộ Sở Y tế” vừa thẩm định ở “Đảng bộ Khối các cơ quan tỉnh”: tài khoản này có thể "
        "chấm điểm mô hình của chính đơn vị mình. Cổng sẽ từ chối mỗi lần như vậy."
    ]


def test_roles_in_separate_branches_raise_no_warning(secretary, other_dang_bo):
    MembershipFactory(user=secretary, unit=other_dang_bo, role=Role.APPROVER)
    assert permissions.role_conflicts(secretary.memberships.select_related("unit")) == []


def test_the_admin_warns_when_a_role_makes_an_account_decide_on_its_own_entries(admin_client, secretary, dang_bo):
    response = admin_client.post(
        reverse("admin:registry_membership_add"), {"user": secretary.pk, "unit": dang_bo.pk, "role": Role.APPROVER}
    )
    assert response.status_code == 302
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert warnings == [
        "Tài khoản “bithu”: Vừa đăng ký, gửi hồ sơ ở “Chi bộ Phòng Nghiệp vụ Y” vừa tiếp nhận, xác nhận ở “Đảng bộ "
        "Sở Y tế”: tài khoản này có thể tiếp nhận chính hồ sơ mình gửi. Cổng sẽ từ chối mỗi lần như vậy."
    ]


def test_the_account_page_warns_when_its_roles_let_it_receive_its_own_entries(admin_client, secretary, dang_bo):
    url = reverse("admin:auth_user_change", args=[secretary.pk])
    data = change_form_data(admin_client.get(url))
    data.update(
        {
            "date_joined_0": "01/01/2025",
            "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "2",
            "memberships-1-unit": dang_bo.pk,
            "memberships-1-role": Role.APPROVER,
            "memberships-1-title": "",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert secretary.memberships.filter(unit=dang_bo, role=Role.APPROVER).exists()
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert warnings[0].startswith("Tài khoản “bithu”: Vừa đăng ký, gửi hồ sơ ở “Chi bộ Phòng Nghiệp vụ Y”")


def test_what_an_account_submitted_does_not_wait_for_it_as_approver(dual_role_staff, secretary, chi_bo, year):
    own = workflow.apply(RegistrationFactory(subject_unit=chi_bo, year=year), "submit", actor=dual_role_staff)
    other = workflow.apply(RegistrationFactory(subject_unit=chi_bo, year=year), "submit", actor=secretary)
    home = inbox_for(dual_role_staff)
    assert [item.registration for item in home.approver_items] == [other]
    assert own.status == Status.SUBMITTED
    assert inbox_count(dual_role_staff) == home.editor_total + home.waiting_count == 1
