"""Notifications in the browser: a submission shows in the approver's navbar count and reaches them by e-mail;
returning it reaches the secretary with the reason."""

from django.core import mail
from playwright.sync_api import expect

from registry.models import Status
from tests.e2e.conftest import login, logout
from tests.factories import RegistrationFactory


def test_submission_appears_in_the_approvers_badge_and_mailbox_and_the_return_reaches_the_secretary(
    page, secretary, approver, chi_bo, year
):
    secretary.email, approver.email = "bithu@example.vn", "danguy@example.vn"
    secretary.save()
    approver.save()
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo ở bộ phận một cửa")
    assert reg.status == Status.DRAFT

    login(page, "bithu")
    expect(page.locator("#so-viec-can-lam")).to_have_text("1 hồ sơ đang chờ bạn xử lý")
    page.goto(reg.get_absolute_url())
    page.get_by_role("button", name="Gửi đăng ký", exact=True).click()
    expect(page.get_by_text("Đã gửi, chờ tiếp nhận").first).to_be_visible()
    expect(page.locator("#so-viec-can-lam")).to_have_count(0)
    logout(page)

    submitted = [m for m in mail.outbox if m.to == ["danguy@example.vn"]]
    assert len(submitted) == 1
    assert "Dân vận khéo ở bộ phận một cửa" in submitted[0].subject

    login(page, "danguy")
    expect(page.locator("#so-viec-can-lam")).to_contain_text("1")
    page.goto(reg.get_absolute_url())
    page.get_by_label("Lý do “Trả lại”").fill("Bổ sung chỉ tiêu đánh giá.")
    page.get_by_role("button", name="Trả lại", exact=True).click()
    expect(page.get_by_text("Trả lại để bổ sung").first).to_be_visible()

    returned = [m for m in mail.outbox if m.to == ["bithu@example.vn"]]
    assert len(returned) == 1
    assert "Bổ sung chỉ tiêu đánh giá." in returned[0].body
