"""registry.notifications: who is mailed after each status change, the reminder rules, and the navbar count."""

import datetime
import logging
import smtplib
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from registry import appraisals, notifications, workflow
from registry.context_processors import inbox, inbox_count
from registry.inbox import ENTRY_TASKS, inbox_for
from registry.models import Registration, Reminder, Role, Status, SubjectKind, Unit, UserPreference, Year
from tests.appraisal_utils import propose
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory, YearFactory

BASE_URL = "https://danvan.example.vn"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Máy chủ thư không phản hồi")


@pytest.fixture(autouse=True)
def _portal_url(settings):
    settings.PORTAL_BASE_URL = BASE_URL


def with_email(user, address=None):
    user.email = address or f"{user.username}@example.vn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def editors(secretary, dang_bo):
    """The chi bộ secretary and the đảng bộ's office: both editors over the chi bộ, both with an address."""
    office = UserFactory(username="vanphong")
    MembershipFactory(user=office, unit=dang_bo, role=Role.EDITOR)
    return [with_email(secretary), with_email(office)]


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo trong tiếp công dân")


def recipients(outbox) -> set[str]:
    return {address for message in outbox for address in message.to}


# --- e-mails after status changes ----------------------------------------------------------------------------------


def test_submit_mails_each_approver_over_the_receiving_unit_once_after_commit(
    secretary, approver, khoi_approver, chi_bo_approver, draft, mailoutbox, django_capture_on_commit_callbacks
):
    for user in (approver, khoi_approver, chi_bo_approver):
        with_email(user)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.apply(draft, "submit", actor=secretary)
        assert mailoutbox == []  # nothing before the commit
    assert [c.func for c in callbacks].count(notifications.status_changed) == 1
    # The chi bộ's own approver is not over the receiving unit (Đảng bộ Sở Y tế): not told.
    assert sorted(m.to for m in mailoutbox) == [["danguy@example.vn"], ["danguykhoi@example.vn"]]
    assert mailoutbox[0].subject == "[Dân vận khéo] Hồ sơ “Dân vận khéo trong tiếp công dân” đã được gửi, chờ tiếp nhận"


def test_rolled_back_transition_mails_nobody(
    secretary, approver, draft, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(approver)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.apply(draft, "submit", actor=secretary)
        raise RuntimeError("a later step of the same request failed")
    assert callbacks == []
    assert mailoutbox == []
    assert Registration.objects.get(pk=draft.pk).status == Status.DRAFT


def test_return_mails_editors_of_the_owning_unit_with_reason_and_absolute_link(
    secretary, approver, editors, draft, mailoutbox, django_capture_on_commit_callbacks
):
    workflow.apply(draft, "submit", actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(draft, "return", actor=approver, reason="Bổ sung chỉ tiêu đánh giá cụ thể.")
    assert recipients(mailoutbox) == {"bithu@example.vn", "vanphong@example.vn"}
    assert len(mailoutbox) == 2  # one message per recipient, nobody sees the others' addresses
    message = mailoutbox[0]
    assert message.subject == "[Dân vận khéo] Hồ sơ “Dân vận khéo trong tiếp công dân” bị trả lại để bổ sung"
    assert "Lý do trả lại:\nBổ sung chỉ tiêu đánh giá cụ thể." in message.body
    assert f"{BASE_URL}/mo-hinh/{draft.pk}/" in message.body
    assert "- Trạng thái: Trả lại để bổ sung" in message.body
    assert "&quot;" not in message.body and "&#x27;" not in message.body


def test_receive_mails_editors_with_the_received_subject(
    secretary, approver, editors, draft, mailoutbox, django_capture_on_commit_callbacks
):
    workflow.apply(draft, "submit", actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(draft, "receive", actor=approver)
    assert recipients(mailoutbox) == {"bithu@example.vn", "vanphong@example.vn"}
    assert {m.subject for m in mailoutbox} == {
        "[Dân vận khéo] Hồ sơ “Dân vận khéo trong tiếp công dân” đã được tiếp nhận"
    }
    assert "Kính gửi đồng chí Nguyễn Văn A," in mailoutbox[0].body
    assert "đã được Đảng bộ Sở Y tế tiếp nhận" in mailoutbox[0].body


@pytest.mark.parametrize(
    ("action", "source", "via", "subject"),
    [
        ("confirm", Status.ACTIVE, "meeting", "Mô hình “{t}” đã được xác nhận"),
        ("confirm_exemplar_base", Status.CONFIRMED, "meeting", "Mô hình “{t}” được xác nhận là điển hình cấp cơ sở"),
        (
            "confirm_exemplar_khoi",
            Status.APPRAISED,
            "meeting",
            "Mô hình “{t}” được xác nhận là điển hình cấp Đảng bộ Khối",
        ),
        ("not_chosen", Status.APPRAISED, "meeting", "Mô hình “{t}” không được chọn là điển hình cấp Đảng bộ Khối"),
        ("stop", Status.ACTIVE, None, "Mô hình “{t}” đã dừng thực hiện"),
    ],
)
def test_decisions_mail_editors_of_the_owning_unit(
    action, source, via, subject, khoi_approver, editors, chi_bo, year, mailoutbox, django_capture_on_commit_callbacks
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=source, title="Nghe dân nói")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(reg, action, actor=khoi_approver, reason="Theo nghị quyết của cấp ủy.", via=via)
    assert recipients(mailoutbox) == {"bithu@example.vn", "vanphong@example.vn"}
    assert mailoutbox[0].subject == "[Dân vận khéo] " + subject.format(t="Nghe dân nói")
    assert "Lý do, ghi chú:\nTheo nghị quyết của cấp ủy." in mailoutbox[0].body


def test_withdraw_mails_nobody(secretary, approver, editors, draft, mailoutbox, django_capture_on_commit_callbacks):
    with_email(approver)
    workflow.apply(draft, "submit", actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(draft, "withdraw", actor=secretary)
    assert mailoutbox == []


def test_only_active_accounts_with_an_address_and_email_on_are_mailed(
    secretary, approver, dang_bo, chi_bo, draft, mailoutbox, django_capture_on_commit_callbacks
):
    def editor(name, **changes):
        user = UserFactory(username=name, **changes)
        MembershipFactory(user=user, unit=chi_bo, role=Role.EDITOR)
        return user

    with_email(editor("macdinh"))  # no preference row: e-mails are on
    UserPreference.objects.create(user=with_email(editor("dabat")), email_enabled=True)
    UserPreference.objects.create(user=with_email(editor("datat")), email_enabled=False)
    editor("khongthu")  # no address
    with_email(editor("nghiviec", is_active=False))
    workflow.apply(draft, "submit", actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(draft, "receive", actor=approver)
    assert recipients(mailoutbox) == {"macdinh@example.vn", "dabat@example.vn"}


def test_the_actor_is_not_mailed_about_their_own_action(
    approver, dang_bo, chi_bo, draft, mailoutbox, django_capture_on_commit_callbacks
):
    both = with_email(UserFactory(username="kiemnhiem"))
    MembershipFactory(user=both, unit=chi_bo, role=Role.EDITOR)
    MembershipFactory(user=both, unit=dang_bo, role=Role.APPROVER)
    with_email(approver)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.apply(draft, "submit", actor=both)
    assert recipients(mailoutbox) == {"danguy@example.vn"}


def test_mail_failure_is_logged_and_the_transition_stands(
    secretary, approver, draft, settings, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.test_notifications.FailingBackend"
    with_email(approver)
    with (
        caplog.at_level(logging.ERROR, logger="registry.notifications"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workflow.apply(draft, "submit", actor=secretary)
    assert Registration.objects.get(pk=draft.pk).status == Status.SUBMITTED
    assert "Sending 1 notification e-mail(s) failed" in caplog.text


def test_status_changed_of_an_unknown_change_does_nothing(db, mailoutbox):
    notifications.status_changed(999_999)
    assert mailoutbox == []


# --- reminders -------------------------------------------------------------------------------------------------------


def test_reminder_mails_the_units_editors_and_records_it(
    approver, secretary, chi_bo, year, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        result = notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
    assert result.recipients == 1
    reminder = Reminder.objects.get()
    assert (reminder.unit, reminder.year, reminder.sent_by, reminder.recipients) == (chi_bo, year, approver, 1)
    (message,) = mailoutbox
    assert message.to == ["bithu@example.vn"]
    assert message.subject == ("[Dân vận khéo] Nhắc việc: đơn vị chưa đăng ký mô hình “Dân vận khéo” năm 2025")
    assert "Chi bộ Phòng Nghiệp vụ Y chưa gửi bản đăng ký" in message.body
    assert "Hạn đăng ký cấp cơ sở: 28/02/2025; cấp Đảng bộ Khối: 20/03/2025." in message.body
    assert f"{BASE_URL}/mo-hinh/dang-ky/" in message.body
    assert "Người nhắc: Nguyễn Văn A (Đảng bộ Sở Y tế)." in message.body


def test_reminder_mail_leaves_only_after_commit(approver, secretary, chi_bo, year, mailoutbox):
    with_email(secretary)
    with pytest.raises(RuntimeError), transaction.atomic():
        notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
        raise RuntimeError("rolled back")
    assert mailoutbox == []
    assert not Reminder.objects.exists()


def test_second_reminder_within_a_minute_is_refused_with_the_time_of_the_first(
    approver, secretary, chi_bo, year, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
        first = Reminder.objects.get()
        with pytest.raises(notifications.ReminderRefused) as refused:
            notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
    at = timezone.localtime(first.sent_at).strftime("%H:%M")
    assert refused.value.messages == [f"Đã nhắc đơn vị này lúc {at}; vui lòng đợi ít nhất một phút trước khi nhắc lại."]
    assert Reminder.objects.count() == 1
    assert len(mailoutbox) == 1


def test_reminder_is_allowed_again_after_a_minute(approver, secretary, chi_bo, year):
    with_email(secretary)
    notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
    Reminder.objects.update(sent_at=timezone.now() - datetime.timedelta(seconds=61))
    notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
    assert Reminder.objects.count() == 2


def test_reminder_of_another_unit_or_year_is_not_held_back(approver, chi_bo, agency, year):
    notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
    notifications.send_reminder(unit=agency, year=year, actor=approver)
    notifications.send_reminder(unit=chi_bo, year=YearFactory(year=2026), actor=approver)
    assert Reminder.objects.count() == 3


def test_reminder_to_a_unit_that_has_registered_is_refused(approver, secretary, chi_bo, year, mailoutbox):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    with pytest.raises(notifications.ReminderRefused) as refused:
        notifications.send_reminder(unit=chi_bo, year=year, actor=approver)
    assert refused.value.messages == ["Chi bộ Phòng Nghiệp vụ Y đã đăng ký mô hình năm 2025; không cần nhắc."]
    assert not Reminder.objects.exists()


def test_a_draft_does_not_count_as_registered(approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    assert notifications.send_reminder(unit=chi_bo, year=year, actor=approver).reminder.pk


@pytest.mark.parametrize("persona", ["viewer", "secretary", "appraiser", "outsider"])
def test_only_approvers_over_the_unit_may_remind(persona, request, chi_bo, year):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        notifications.send_reminder(unit=chi_bo, year=year, actor=user)
    assert not Reminder.objects.exists()


def test_reminder_goes_to_the_nearest_editors_when_the_unit_has_none(
    approver, secretary, dang_bo, agency, year, mailoutbox, django_capture_on_commit_callbacks
):
    with_email(secretary)  # editor of a sibling chi bộ: not over the agency
    office = with_email(UserFactory(username="vanphong"))
    MembershipFactory(user=office, unit=dang_bo, role=Role.EDITOR)
    with django_capture_on_commit_callbacks(execute=True):
        result = notifications.send_reminder(unit=agency, year=year, actor=approver)
    assert result.recipients == 1
    assert recipients(mailoutbox) == {"vanphong@example.vn"}


def test_reminder_skips_editors_who_turned_email_off(approver, secretary, chi_bo, year):
    UserPreference.objects.create(user=with_email(secretary), email_enabled=False)
    assert notifications.send_reminder(unit=chi_bo, year=year, actor=approver).recipients == 0


# --- the navbar count ----------------------------------------------------------------------------------------------


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_editor_count_is_drafts_and_returned_in_scope(secretary, chi_bo, other_chi_bo, member, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.RETURNED)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)  # waits on the approver
    RegistrationFactory(subject_unit=other_chi_bo, year=year)  # out of scope
    assert inbox_count(secretary) == 2


def test_approver_count_is_what_was_submitted_to_units_they_receive_for(approver, chi_bo, other_chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_unit=chi_bo, year=year)  # a draft is not waiting on the approver
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.SUBMITTED)
    assert inbox_count(approver) == 1


def test_navbar_count_equals_the_home_page_totals(secretary, dang_bo, chi_bo, member, year):
    MembershipFactory(user=secretary, unit=dang_bo, role=Role.APPROVER)
    RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.RETURNED)
    home = inbox_for(secretary)
    assert inbox_count(secretary) == home.editor_total + home.waiting_count == 3


def test_navbar_count_is_the_sum_of_the_home_pages_entry_tasks_for_every_role(
    secretary, khoi, dang_bo, chi_bo, other_chi_bo, member, year
):
    """Editor, approver and appraiser at once: the badge adds up the home page's entry tasks of each role."""
    MembershipFactory(user=secretary, unit=dang_bo, role=Role.APPROVER)
    MembershipFactory(user=secretary, unit=khoi, role=Role.APPRAISER)
    RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.RETURNED)
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.PROPOSED_KHOI)
    tasks = [task for queue in inbox_for(secretary).queues for task in queue.tasks if task.key in ENTRY_TASKS]

    assert {task.key for task in tasks} == set(ENTRY_TASKS)
    assert inbox_count(secretary) == sum(task.count for task in tasks) == 4


def test_registration_page_reads_the_navbar_count_with_the_entry(
    client, secretary, khoi, dang_bo, chi_bo, other_chi_bo, member, year
):
    """The registration page annotates its own query with the badge's count: the same number, every role."""
    MembershipFactory(user=secretary, unit=dang_bo, role=Role.APPROVER)
    MembershipFactory(user=secretary, unit=khoi, role=Role.APPRAISER)
    shown = RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.RETURNED)
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.PROPOSED_KHOI)
    client.force_login(secretary)

    response = client.get(shown.get_absolute_url())

    assert response.context["inbox_badge"].count == inbox_count(secretary) == 4


def test_viewer_and_user_without_roles_count_nothing(viewer, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    assert inbox_count(viewer) == 0
    assert inbox_count(UserFactory(username="khongvaitro")) == 0


def test_count_runs_at_most_two_queries_once_per_request(
    secretary, dang_bo, chi_bo, year, django_assert_max_num_queries
):
    MembershipFactory(user=secretary, unit=dang_bo, role=Role.APPROVER)
    for _ in range(3):
        RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.RETURNED)
    request = request_for(secretary)
    with django_assert_max_num_queries(2):
        first = inbox(request)["inbox_badge"].count
        second = inbox(request)["inbox_badge"].count
    assert first == second == 5


def test_context_processor_runs_no_query_until_the_badge_is_shown(secretary, django_assert_num_queries):
    with django_assert_num_queries(0):
        inbox(request_for(secretary))


def test_anonymous_visitors_get_no_badge(db):
    from django.contrib.auth.models import AnonymousUser

    assert inbox(request_for(AnonymousUser())) == {}


def test_badge_shows_the_count_and_hides_zero(secretary, chi_bo, year):
    request = request_for(secretary)
    assert render_to_string("includes/_inbox_badge.html", inbox(request)).strip() == ""
    RegistrationFactory(subject_unit=chi_bo, year=year)
    html = render_to_string("includes/_inbox_badge.html", inbox(request_for(secretary)))
    assert '>1 hồ sơ<span class="visually-hidden"> đang chờ bạn xử lý</span>' in html


# --- two clicks at once ---------------------------------------------------------------------------------------------


def _remind_in_thread(unit_id, year_id, user_id, barrier, outcomes, index):
    try:
        unit = Unit.objects.get(pk=unit_id)
        year = Year.objects.get(pk=year_id)
        actor = get_user_model().objects.get(pk=user_id)
        barrier.wait(timeout=30)
        notifications.send_reminder(unit=unit, year=year, actor=actor)
        outcomes[index] = "ok"
    except Exception as exc:  # the test asserts which exception it was
        outcomes[index] = exc
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)")
@pytest.mark.django_db(transaction=True)
def test_two_reminders_at_once_on_postgresql_record_exactly_one(approver, chi_bo, year):
    barrier = threading.Barrier(2)
    outcomes: dict = {}
    threads = [
        threading.Thread(target=_remind_in_thread, args=(chi_bo.pk, year.pk, approver.pk, barrier, outcomes, i))
        for i in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    results = sorted(outcomes.values(), key=lambda outcome: outcome != "ok")
    assert results[0] == "ok", outcomes
    assert isinstance(results[1], notifications.ReminderRefused) and results[1].code == "too_soon", outcomes
    assert Reminder.objects.count() == 1


def test_appraiser_count_is_the_proposals_waiting_for_their_score(appraiser, dang_bo, chi_bo, year):
    waiting = propose(unit=dang_bo, year=year, subject_unit=chi_bo)
    scored = propose(unit=dang_bo, year=year, subject_unit=chi_bo)
    appraisals.appraisal_save(registration=scored, appraiser=appraiser, file_complete=True, scores={})
    home = {queue.key: queue for queue in inbox_for(appraiser).queues}["tham-dinh"]
    assert inbox_count(appraiser) == 1
    assert [row.title for row in home.tasks[0].rows] == [waiting.title]
