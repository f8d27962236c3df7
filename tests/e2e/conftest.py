"""Playwright driving Debian's Chromium (/usr/bin/chromium) against pytest-django's live server.

The Playwright browser download does not work here, so the browser is the system one. Playwright's sync API runs an
event loop in this thread; the tests' own ORM calls are synchronous and safe, hence DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import shutil
from pathlib import Path

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

# axe-core, vendored for the tests only (assets/SOURCES.txt); the portal never serves it.
AXE = Path(__file__).parent / "assets" / "axe.min.js"
# WCAG 2.0/2.1 A and AA rules; the portal's bar is no critical or serious violation of them.
AXE_RULESETS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = ("critical", "serious")

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
    # bypass_csp lets axe_violations() inject axe-core into pages whose CSP forbids it; only the tests do this.
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", accept_downloads=True, bypass_csp=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the page as it is now and return its critical and serious WCAG 2.1 A/AA violations, each
    as {"id", "impact", "help", "targets"}; an empty list means the page passes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_RULESETS,
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [" ".join(map(str, node["target"])) for node in v["nodes"]][:5],
        }
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


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
