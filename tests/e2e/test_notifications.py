"""Notifications in the browser: an approver reminds a late unit from the "chưa đăng ký" page (and is held back when
clicking again at once); a secretary turns notification e-mails off."""

from django.core import mail
from playwright.sync_api import expect

from registry.models import Reminder, UserPreference
from tests.e2e.conftest import login, logout


def test_approver_reminds_a_late_unit_once_then_secretary_turns_emails_off(page, approver, secretary, chi_bo, year):
    secretary.email = "bithu@example.vn"
    secretary.save(update_fields=["email"])
    mail.outbox = []

    login(page, "danguy")
    page.goto("/chua-dang-ky/?nam=2025")
    row = page.locator("#bang-chua-dang-ky tr", has_text="Chi bộ Phòng Nghiệp vụ Y")
    row.get_by_role("button", name="Nhắc Chi bộ Phòng Nghiệp vụ Y").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Đã gửi lời nhắc đến Chi bộ Phòng Nghiệp vụ Y (1 người nhận qua thư điện tử)."
    )
    assert page.url.endswith("/chua-dang-ky/?nam=2025")
    assert [m.to for m in mail.outbox] == [["bithu@example.vn"]]
    assert mail.outbox[0].subject == ("[Dân vận khéo] Nhắc việc: đơn vị chưa đăng ký mô hình “Dân vận khéo” năm 2025")

    page.get_by_role("button", name="Nhắc Chi bộ Phòng Nghiệp vụ Y").click()
    expect(page.get_by_role("alert")).to_contain_text("vui lòng đợi ít nhất một phút trước khi nhắc lại.")
    assert Reminder.objects.filter(unit=chi_bo).count() == 1
    assert len(mail.outbox) == 1
    logout(page)

    login(page, "bithu")
    page.goto("/tai-khoan/thong-bao/")
    checkbox = page.get_by_label("Nhận thư điện tử thông báo")
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu: bạn sẽ không nhận thư điện tử thông báo.")
    expect(page.get_by_label("Nhận thư điện tử thông báo")).not_to_be_checked()
    assert UserPreference.objects.get(user=secretary).email_enabled is False
