"""The public way in: the login page and the home page lead to the showcase and to document verification, and
every layout carries the portal's icon, served from static/."""

import re

import pytest
from django.templatetags.static import static
from django.urls import reverse

ICON_LINKS = re.compile(r'<link rel="icon" href="([^"]+)"')


def public_links(html: str) -> list[str]:
    section = html[html.index('id="trang-cong-khai"') :]
    return re.findall(r'<a href="([^"]+)">', section)[:2]


def test_login_page_links_to_the_showcase_and_verification(client, db):
    html = client.get(reverse("login")).content.decode()
    assert public_links(html) == [reverse("registry:showcase-list"), reverse("registry:verify-lookup")]


def test_home_page_links_to_the_showcase_and_verification(client, secretary):
    client.force_login(secretary)
    html = client.get(reverse("registry:home")).content.decode()
    assert public_links(html) == [reverse("registry:showcase-list"), reverse("registry:verify-lookup")]


@pytest.mark.parametrize(
    "url", ["/dang-nhap/", "/dien-hinh/", "/xac-thuc/", "/admin/login/"], ids=["portal", "showcase", "verify", "admin"]
)
def test_every_layout_links_the_icon_in_static(client, db, url):
    html = client.get(url).content.decode()
    assert ICON_LINKS.findall(html) == [static("img/favicon.svg"), static("img/favicon.ico")]


def test_icon_files_are_served(client, db):
    for name in ("img/favicon.svg", "img/favicon.ico"):
        response = client.get(static(name))
        assert response.status_code == 200
        assert b"".join(response.streaming_content if response.streaming else [response.content])


def test_favicon_ico_at_the_root_redirects_to_the_icon_in_static(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.ico")
