"""A visitor without an account finds the public pages from the login page, and no page asks for a missing icon."""

import re

from playwright.sync_api import expect


def test_visitor_reaches_showcase_and_verification_from_the_login_page_without_a_404(page):
    missing = []
    page.on("response", lambda response: missing.append(response.url) if response.status == 404 else None)
    page.goto("/")  # not signed in: the login page
    expect(page).to_have_url(re.compile(r"/dang-nhap/"))
    page.get_by_role("link", name="Điển hình “Dân vận khéo”").click()
    expect(page).to_have_url(re.compile(r"/dien-hinh/$"))
    page.go_back()
    page.get_by_role("link", name="Xác thực văn bản").click()
    expect(page).to_have_url(re.compile(r"/xac-thuc/$"))
    page.wait_for_load_state("networkidle")  # the tab icon is fetched after the page
    assert missing == []
