from playwright.sync_api import expect

from tests.e2e.conftest import login


def test_wrong_password_shows_vietnamese_message(page, secretary):
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("bithu")
    page.get_by_label("Mật khẩu").fill("sai-mat-khau")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("alert")).to_contain_text("Tên đăng nhập hoặc mật khẩu không đúng")


def test_secretary_logs_in_and_sees_the_inbox(page, secretary):
    login(page, "bithu")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Việc cần làm")
