"""The render foundation: embedded fonts, the static-only URL fetcher, the shared stylesheet and the QR code."""

import importlib

import pytest

from registry.pdf import render
from registry.pdf.qr import qr_data_uri, verification_url
from tests.pdf.utils import pdf_fonts, pdf_pages, pdf_text

SAMPLE = """<!doctype html><html lang="vi"><body>
<p><b>ĐẢNG CỘNG SẢN VIỆT NAM</b></p><p><i>Thái Nguyên, ngày 03 tháng 4 năm 2024</i></p>
<p>Mô hình “Dân vận khéo”: Ộ Ệ ữ ặ ỹ đ Đ</p><p><b><i>Nơi nhận</i></b></p>
</body></html>"""


def test_render_returns_a_pdf_with_vietnamese_text():
    pdf = render.render_html(SAMPLE)
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text
    assert "Mô hình “Dân vận khéo”: Ộ Ệ ữ ặ ỹ đ Đ" in text


def test_render_embeds_the_shipped_liberation_serif_fonts():
    rows = [line.split() for line in pdf_fonts(render.render_html(SAMPLE)).splitlines()[2:]]
    # pdffonts: name (subset prefix + PostScript name), type…, then emb sub uni and the object id.
    assert {row[0].split("+")[-1] for row in rows} == {
        "Liberation-Serif",
        "Liberation-Serif-Bold",
        "Liberation-Serif-Italic",
        "Liberation-Serif-Bold-Italic",
    }
    assert [row[-5] for row in rows] == ["yes"] * 4


def test_page_numbers_start_on_page_two():
    html = "<html><body>" + "<p>Đoạn văn bản dài để sang trang.</p>" * 60 + "</body></html>"
    pdf = render.render_html(html)
    assert pdf_pages(pdf) >= 2
    assert pdf_text(pdf, 1).split()[0] == "Đoạn"
    assert pdf_text(pdf, 2).split()[0] == "2"


def test_stylesheet_and_font_configuration_are_shared_between_renders():
    assert render.pdf_stylesheet() is render.pdf_stylesheet()
    render.render_html(SAMPLE)
    assert render.pdf_stylesheet() is render.pdf_stylesheet()


def test_fetcher_serves_files_inside_static():
    url = (render.static_dir() / "css" / "pdf.css").as_uri()
    response = render.StaticOnlyURLFetcher().fetch(url)
    assert b"@font-face" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "https://example.com/logo.png",
        "http://127.0.0.1:8000/static/css/app.css",
        "ftp://example.com/x",
    ],
)
def test_fetcher_refuses_files_outside_static_and_remote_urls(url):
    with pytest.raises(ValueError):
        render.StaticOnlyURLFetcher().fetch(url)


def test_fetcher_refuses_a_path_that_climbs_out_of_static():
    url = render.static_dir().as_uri() + "/../danvan/settings.py"
    with pytest.raises(ValueError):
        render.StaticOnlyURLFetcher().fetch(url)


def test_fetcher_serves_data_uris():
    response = render.StaticOnlyURLFetcher().fetch("data:text/plain;charset=utf-8,xin%20ch%C3%A0o")
    assert response.read().decode() == "xin chào"


def test_a_document_pointing_at_a_private_file_still_renders_without_it():
    html = '<html><body><p>Ảnh</p><img src="file:///etc/passwd"><img src="https://example.com/x.png"></body></html>'
    pdf = render.render_html(html)
    assert b"root:" not in pdf
    assert "Ảnh" in pdf_text(pdf)


def test_verification_url_uses_the_portal_base_url_setting(settings):
    settings.PORTAL_BASE_URL = "https://dvk.example.vn/"
    assert verification_url("ABCD234567") == "https://dvk.example.vn/xac-thuc/ABCD234567/"


def test_portal_base_url_defaults_to_the_local_server(monkeypatch):
    monkeypatch.delenv("DJANGO_PORTAL_BASE_URL", raising=False)
    from danvan import settings as project_settings

    importlib.reload(project_settings)
    assert project_settings.PORTAL_BASE_URL == "http://127.0.0.1:8000"


def test_qr_code_is_an_inline_svg_data_uri():
    uri = qr_data_uri("http://127.0.0.1:8000/xac-thuc/ABCD234567/")
    assert uri.startswith("data:image/svg+xml")
