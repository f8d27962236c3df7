"""Workflow steps taken from the detail page: submit, withdraw, receive, return with a reason, stop.

Every refusal comes back as a Vietnamese message on the detail page (never an error page), and leaves the status and
the audit trail untouched.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry import workflow
from registry.models import Registration, Status, StatusChange
from tests.factories import RegistrationFactory

FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year)


@pytest.fixture
def submitted(draft, secretary):
    return workflow.apply(draft, "submit", actor=secretary)


def act(client, reg, action, **data):
    return client.post(reverse("registry:registration-transition", args=[reg.pk, action]), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def status_of(reg) -> str:
    return Registration.objects.values_list("status", flat=True).get(pk=reg.pk)


def test_secretary_submits_a_complete_draft(client, secretary, draft):
    client.force_login(secretary)
    response = act(client, draft, "submit")
    assert response.status_code == 302
    assert response.url == draft.get_absolute_url()
    assert messages_of(response) == ["Đã gửi đăng ký đến Đảng bộ Sở Y tế."]
    assert status_of(draft) == Status.SUBMITTED
    change = StatusChange.objects.get(registration=draft)
    assert (change.action, change.from_status, change.to_status, change.actor) == (
        "submit",
        Status.DRAFT,
        Status.SUBMITTED,
        secretary,
    )


def test_double_click_on_submit_sends_once(client, secretary, draft):
    client.force_login(secretary)
    act(client, draft, "submit")
    second = act(client, draft, "submit")
    assert second.status_code == 302
    assert messages_of(second)[-1:] == [
        "Không thể “Gửi đăng ký” vì hồ sơ đang ở trạng thái “Đã gửi, chờ tiếp nhận”. "
        "Có thể người khác vừa xử lý hồ sơ này; vui lòng xem lại."
    ]
    assert StatusChange.objects.filter(registration=draft).count() == 1


def test_incomplete_registration_is_refused_with_the_missing_sections(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, situation="", lead_name="", end_date=None)
    client.force_login(secretary)
    response = act(client, reg, "submit")
    assert messages_of(response) == [
        "Chưa thể gửi: còn thiếu Thực trạng, lý do, sự cần thiết; Thời gian thực hiện: đến ngày; Người phụ trách."
    ]
    assert status_of(reg) == Status.DRAFT
    assert not StatusChange.objects.exists()


def test_refusal_message_is_shown_on_the_detail_page(client, secretary, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, situation="")
    client.force_login(secretary)
    response = client.post(reverse("registry:registration-transition", args=[reg.pk, "submit"]), follow=True)
    assert response.status_code == 200
    assert "Chưa thể gửi: còn thiếu Thực trạng, lý do, sự cần thiết." in response.content.decode()


def test_approver_receives_a_submitted_registration(client, approver, submitted):
    client.force_login(approver)
    response = act(client, submitted, "receive")
    assert messages_of(response) == ["Đã tiếp nhận hồ sơ."]
    assert status_of(submitted) == Status.ACTIVE


def test_secretary_cannot_receive_their_own_registration(client, secretary, submitted):
    client.force_login(secretary)
    response = act(client, submitted, "receive")
    assert response.status_code == 302
    assert messages_of(response) == [FORBIDDEN]
    assert status_of(submitted) == Status.SUBMITTED
    assert StatusChange.objects.filter(registration=submitted).count() == 1


def test_return_without_reason_is_refused(client, approver, submitted):
    client.force_login(approver)
    response = act(client, submitted, "return", reason="   ")
    assert messages_of(response) == ["Vui lòng ghi rõ lý do."]
    assert status_of(submitted) == Status.SUBMITTED


def test_return_with_reason_records_it(client, approver, submitted):
    client.force_login(approver)
    response = act(client, submitted, "return", reason="Bổ sung chỉ tiêu đánh giá cụ thể.")
    assert messages_of(response) == ["Đã trả lại hồ sơ kèm lý do cho đơn vị đăng ký."]
    assert status_of(submitted) == Status.RETURNED
    assert StatusChange.objects.get(action="return").reason == "Bổ sung chỉ tiêu đánh giá cụ thể."


def test_reason_over_2000_characters_is_refused(client, approver, submitted):
    client.force_login(approver)
    response = act(client, submitted, "return", reason="x" * 2001)
    assert messages_of(response) == ["Nội dung quá dài: tối đa 2000 ký tự (hiện có 2001 ký tự)."]
    assert status_of(submitted) == Status.SUBMITTED


def test_submitter_sees_the_return_reason_edits_and_submits_again(client, approver, secretary, submitted, chi_bo):
    client.force_login(approver)
    act(client, submitted, "return", reason="Bổ sung chỉ tiêu đánh giá cụ thể.")
    client.force_login(secretary)
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "data-return-reason" in html
    assert "Bổ sung chỉ tiêu đánh giá cụ thể." in html
    edit = client.get(reverse("registry:registration-update", args=[submitted.pk]))
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update(indicators="95% người dân hài lòng.", start_date="01/03/2025", end_date="31/12/2025")
    data.update(field=submitted.field_id, year=submitted.year_id, subject_unit=chi_bo.pk)
    client.post(reverse("registry:registration-update", args=[submitted.pk]), data)
    act(client, submitted, "submit")
    submitted.refresh_from_db()
    assert (submitted.status, submitted.indicators) == (Status.SUBMITTED, "95% người dân hài lòng.")
    actions = list(StatusChange.objects.filter(registration=submitted).values_list("action", flat=True))
    assert actions == ["submit", "return", "submit"]


def test_secretary_withdraws_before_it_is_received(client, secretary, submitted):
    client.force_login(secretary)
    response = act(client, submitted, "withdraw")
    assert messages_of(response) == ["Đã rút lại hồ sơ; bạn có thể sửa rồi gửi lại."]
    assert status_of(submitted) == Status.DRAFT


def test_withdraw_after_receive_is_refused(client, secretary, approver, submitted):
    workflow.apply(submitted, "receive", actor=approver)
    client.force_login(secretary)
    response = act(client, submitted, "withdraw")
    assert messages_of(response) == [
        "Không thể “Rút lại để sửa” vì hồ sơ đang ở trạng thái “Đang thực hiện”. "
        "Có thể người khác vừa xử lý hồ sơ này; vui lòng xem lại."
    ]
    assert status_of(submitted) == Status.ACTIVE


def test_stop_needs_a_reason_then_stops(client, approver, submitted):
    workflow.apply(submitted, "receive", actor=approver)
    client.force_login(approver)
    assert messages_of(act(client, submitted, "stop"))[-1:] == ["Vui lòng ghi rõ lý do."]
    assert status_of(submitted) == Status.ACTIVE
    act(client, submitted, "stop", reason="Đơn vị sáp nhập.")
    assert status_of(submitted) == Status.STOPPED


def test_outsider_gets_404_on_any_transition(client, outsider, submitted):
    client.force_login(outsider)
    for action in ("receive", "return", "withdraw", "stop", "submit"):
        assert act(client, submitted, action, reason="Không phải việc của tôi").status_code == 404
    assert status_of(submitted) == Status.SUBMITTED


def test_viewer_of_the_khoi_may_read_but_not_act(client, viewer, submitted):
    client.force_login(viewer)
    for action in ("receive", "return", "withdraw"):
        assert messages_of(act(client, submitted, action, reason="Thử"))[-1:] == [FORBIDDEN]
    assert status_of(submitted) == Status.SUBMITTED
    assert StatusChange.objects.filter(registration=submitted).count() == 1


def test_unknown_action_is_404(client, approver, submitted):
    client.force_login(approver)
    assert act(client, submitted, "confirm-everything").status_code == 404


def test_transition_by_get_is_not_allowed(client, approver, submitted):
    client.force_login(approver)
    url = reverse("registry:registration-transition", args=[submitted.pk, "receive"])
    assert client.get(url).status_code == 405
    assert status_of(submitted) == Status.SUBMITTED


def test_anonymous_transition_redirects_to_login(client, submitted):
    response = act(client, submitted, "receive")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert status_of(submitted) == Status.SUBMITTED


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("secretary", ["withdraw"]),
        ("approver", ["receive", "return"]),
        ("viewer", []),
    ],
)
def test_detail_offers_exactly_the_available_actions(client, request, persona, expected, submitted):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(submitted.get_absolute_url())
    html = response.content.decode()
    offered = [name for name, _ in response.context["actions"]]
    assert offered == [name for name, _ in workflow.available_actions(user, submitted)] == expected
    for action in ("submit", "withdraw", "receive", "return", "stop"):
        assert (f'data-action="{action}"' in html) is (action in expected)


def test_return_form_has_a_required_reason_textarea(client, approver, submitted):
    client.force_login(approver)
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert '<textarea id="ly-do-return" name="reason"' in html


def test_timeline_lists_who_when_from_to_and_reason(client, secretary, approver, submitted):
    workflow.apply(submitted, "return", actor=approver, reason="Thiếu minh chứng.")
    change = StatusChange.objects.get(action="return")
    StatusChange.objects.filter(pk=change.pk).update(at="2025-03-10T01:05:00+00:00")
    client.force_login(secretary)
    html = client.get(submitted.get_absolute_url()).content.decode()
    assert "10/03/2025 08:05" in html  # 01:05 UTC is 08:05 in Asia/Ho_Chi_Minh
    assert "<strong>Nguyễn Văn A</strong>: Đã gửi, chờ tiếp nhận → Trả lại để bổ sung" in html
    assert "Lý do: Thiếu minh chứng." in html
