"""The "Nhắc" button of the "chưa đăng ký" page and the user's e-mail setting page.

Every refusal of a reminder is a Vietnamese message on the page the button was on; a unit outside the user's scope is
a 404, whether its id is real or not.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from registry.models import Reminder, Status, UserPreference
from tests.factories import RegistrationFactory

URL = reverse("registry:reminder-send")
SETTINGS_URL = reverse("registry:notification-settings")
UNREGISTERED = reverse("registry:unregistered-units")
WAIT = "Đã nhắc đơn vị này lúc {at}; vui lòng đợi ít nhất một phút trước khi nhắc lại."


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def remind(client, unit, year=2025, **extra):
    data = {"don_vi": unit.pk, "nam": year, "next": f"{UNREGISTERED}?nam={year}", **extra}
    return client.post(URL, data)


@pytest.fixture
def secretary_with_email(secretary):
    secretary.email = "bithu@example.vn"
    secretary.save(update_fields=["email"])
    return secretary


# --- reminders -------------------------------------------------------------------------------------------------------


def test_approver_reminds_a_late_unit_and_returns_to_the_list(
    client, approver, secretary_with_email, chi_bo, year, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(approver)
    with django_capture_on_commit_callbacks(execute=True):
        response = remind(client, chi_bo)
    assert response.status_code == 302
    assert response.url == f"{UNREGISTERED}?nam=2025"
    assert messages_of(response) == ["Đã gửi lời nhắc đến Chi bộ Phòng Nghiệp vụ Y (1 người nhận qua thư điện tử)."]
    assert [m.to for m in mailoutbox] == [["bithu@example.vn"]]
    assert Reminder.objects.filter(unit=chi_bo, year=year, sent_by=approver, recipients=1).count() == 1


def test_second_click_within_a_minute_shows_the_wait_message_and_sends_nothing(
    client, approver, secretary_with_email, chi_bo, year, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(approver)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"don_vi": chi_bo.pk, "nam": 2025}, follow=True)  # shows and uses up the first message
        response = remind(client, chi_bo)
    at = timezone.localtime(Reminder.objects.get().sent_at).strftime("%H:%M")
    assert messages_of(response) == [WAIT.format(at=at)]
    assert len(mailoutbox) == 1
    assert Reminder.objects.count() == 1


def test_reminder_of_a_unit_without_editors_is_recorded_with_a_warning(client, approver, chi_bo, year, mailoutbox):
    client.force_login(approver)
    response = remind(client, chi_bo)
    assert messages_of(response) == [
        "Đã ghi nhận lời nhắc Chi bộ Phòng Nghiệp vụ Y, nhưng đơn vị chưa có người cập nhật nào có địa chỉ thư "
        "điện tử nhận thông báo."
    ]
    assert Reminder.objects.get().recipients == 0


def test_unit_outside_scope_is_404_and_nothing_is_recorded(client, approver, other_chi_bo, year):
    client.force_login(approver)
    assert remind(client, other_chi_bo).status_code == 404
    assert not Reminder.objects.exists()


@pytest.mark.parametrize("pk", ["987654", "99999999999999999999"])
def test_unknown_unit_is_404(client, approver, year, pk):
    client.force_login(approver)
    response = client.post(URL, {"don_vi": pk, "nam": 2025})
    assert response.status_code == 404


def test_already_registered_unit_gets_a_message_and_no_reminder(
    client, approver, secretary_with_email, chi_bo, year, mailoutbox
):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    client.force_login(approver)
    response = remind(client, chi_bo)
    assert messages_of(response) == ["Chi bộ Phòng Nghiệp vụ Y đã đăng ký mô hình năm 2025; không cần nhắc."]
    assert not Reminder.objects.exists()
    assert mailoutbox == []


@pytest.mark.parametrize("persona", ["viewer", "secretary"])
def test_viewers_and_editors_in_scope_may_not_remind(client, request, persona, chi_bo, year):
    client.force_login(request.getfixturevalue(persona))
    response = remind(client, chi_bo)
    assert response.status_code == 302
    assert messages_of(response) == ["Bạn không có quyền nhắc việc đơn vị này."]
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"nam": "2025"}, "Thiếu đơn vị cần nhắc."),
        ({"don_vi": "abc", "nam": "2025"}, "Đơn vị không hợp lệ."),
        ({"don_vi": "-3", "nam": "2025"}, "Đơn vị không hợp lệ."),
        ({"don_vi": "1"}, "Thiếu năm đăng ký."),
        ({"don_vi": "1", "nam": "1999"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ({"don_vi": "1", "nam": "hai nghìn"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ({"don_vi": "1", "nam": "99999999999999999999"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
    ],
)
def test_malformed_reminder_posts_get_a_message_not_an_error(client, approver, year, data, message):
    client.force_login(approver)
    response = client.post(URL, data)
    assert response.status_code == 302
    assert response.url.startswith(UNREGISTERED)
    assert messages_of(response) == [message]
    assert not Reminder.objects.exists()


def test_next_pointing_to_another_site_is_ignored(client, approver, chi_bo, year):
    client.force_login(approver)
    response = remind(client, chi_bo, next="https://evil.example.com/")
    assert response.url == f"{UNREGISTERED}?nam=2025"


def test_reminder_needs_post_and_login(client, approver, chi_bo, year):
    response = client.post(URL, {"don_vi": chi_bo.pk, "nam": 2025})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    client.force_login(approver)
    assert client.get(URL).status_code == 405
    assert not Reminder.objects.exists()


def test_unregistered_page_offers_the_button_to_approvers_only(client, approver, viewer, chi_bo, year):
    client.force_login(approver)
    page = client.get(UNREGISTERED, {"nam": 2025}).content.decode()
    assert 'aria-label="Nhắc Chi bộ Phòng Nghiệp vụ Y"' in page
    assert f'<input type="hidden" name="don_vi" value="{chi_bo.pk}">' in page
    client.force_login(viewer)
    page = client.get(UNREGISTERED, {"nam": 2025}).content.decode()
    assert "Chi bộ Phòng Nghiệp vụ Y" in page
    assert 'aria-label="Nhắc ' not in page


# --- e-mail setting ------------------------------------------------------------------------------------------------


def test_settings_page_shows_email_on_by_default(client, secretary_with_email):
    client.force_login(secretary_with_email)
    response = client.get(SETTINGS_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nhận thư điện tử thông báo" in html
    assert 'name="email_enabled"' in html and "checked" in html
    assert "Thư được gửi đến: <strong>bithu@example.vn</strong>." in html
    assert not UserPreference.objects.exists()  # a GET creates nothing


def test_user_turns_emails_off_then_on(client, secretary):
    client.force_login(secretary)
    response = client.post(SETTINGS_URL, {})  # an unticked checkbox is not sent
    assert response.status_code == 302
    assert response.url == SETTINGS_URL
    assert messages_of(response) == ["Đã lưu: bạn sẽ không nhận thư điện tử thông báo."]
    assert UserPreference.objects.get(user=secretary).email_enabled is False
    client.get(SETTINGS_URL)  # the page shows the message, which is then gone
    response = client.post(SETTINGS_URL, {"email_enabled": "on"})
    assert messages_of(response) == ["Đã lưu: bạn sẽ nhận thư điện tử thông báo."]
    assert UserPreference.objects.get(user=secretary).email_enabled is True


def test_settings_page_warns_an_account_without_address(client, secretary):
    client.force_login(secretary)
    html = client.get(SETTINGS_URL).content.decode()
    assert "Tài khoản của bạn chưa có địa chỉ thư điện tử" in html


def test_settings_change_only_the_signed_in_users_row(client, secretary, approver):
    UserPreference.objects.create(user=approver, email_enabled=True)
    client.force_login(secretary)
    client.post(SETTINGS_URL, {"user": approver.pk})
    assert UserPreference.objects.get(user=approver).email_enabled is True
    assert UserPreference.objects.get(user=secretary).email_enabled is False


def test_settings_page_needs_login(client, db):
    response = client.get(SETTINGS_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_every_page_has_the_badge_in_its_context(client, secretary, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    response = client.get(SETTINGS_URL)
    assert response.context["inbox_badge"].count == 1
