"""Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

The Playwright browser download does not work here, so the browser is the system one. Playwright's sync API runs an
event loop in this thread; the tests' own ORM calls are synchronous and safe, hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import shutil

import pytest
from playwright.sync_api import expect

CHROMIUM = os.environ.get("DANVAN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `apt-get install chromium` (scripts/test.sh does it).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def login(page, username: str, password: str = "MatKhau@2024") -> None:
    page.goto("/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(lambda url: "/dang-nhap/" not in url)


def logout(page) -> None:
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url("**/dang-nhap/**")


def issue_on_page(page, *, number: str = "", signer: str = "") -> None:
    """On a paper's issue page: type the number and the signer's name (when given), keep the offered date, and
    press "Ban hành"; the page then offers the issued PDF."""
    if number:
        page.get_by_label("Số văn bản").fill(number)
    if signer:
        page.get_by_label("Họ tên người ký").fill(signer)
    page.get_by_role("button", name="Ban hành").click()
    expect(page.locator("#tai-van-ban")).to_be_visible()
