"""The render foundation: embedded fonts, the static-only URL fetcher, the shared stylesheet and the QR code."""

import base64
import gc
import importlib
import io
import threading
import weakref

import pytest
from django.template.loader import render_to_string
from PIL import Image

from registry.documents import verification_url
from registry.pdf import render
from registry.pdf.qr import qr_data_uri
from tests.pdf.utils import pdf_fonts, pdf_images, pdf_pages, pdf_text

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


def test_qr_code_is_an_inline_png_data_uri_with_whole_pixels_per_module():
    uri = qr_data_uri("http://127.0.0.1:8000/xac-thuc/ABCD234567/")
    assert uri.startswith("data:image/png;base64,")
    image = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    # A version-3 code is 29 modules wide, without a quiet zone.
    assert image.size == (29 * 8, 29 * 8)


def test_the_footer_qr_code_is_one_image_shared_by_every_page_and_drawn_without_smoothing():
    url = verification_url("ABCD234567")
    footer = render_to_string(
        "pdf/partials/_footer.html",
        {"document": {"qr": qr_data_uri(url), "verification_code": "ABCD234567", "verification_url": url}},
    )
    html = f"<html><body>{footer}" + "<p>Đoạn văn bản dài để sang trang.</p>" * 80 + "</body></html>"
    images = pdf_images(render.render_html(html))
    assert len(images) >= 2
    assert {(image["object"], image["interp"]) for image in images} == {(images[0]["object"], "no")}


def test_list_items_keep_their_markers_with_the_print_default_stylesheet():
    pdf = render.render_html('<html lang="vi"><body><ul><li>Một</li></ul><ol><li>Hai</li></ol></body></html>')
    assert pdf_text(pdf).split() == ["•", "Một", "1.", "Hai"]


def test_the_installed_weasyprint_still_has_the_every_element_rules_the_print_stylesheet_leaves_out():
    # If an upgrade drops or reshapes them, PDFs stay right but lose the speed-up: look again at the rules.
    assert render.print_ua_stylesheet() is not None
    assert render.PrintHTML(string="<p>x</p>")._ua_stylesheets() == [render.print_ua_stylesheet()]


def test_a_render_leaves_the_garbage_collector_enabled():
    assert gc.isenabled()
    render.render_html(SAMPLE)
    assert gc.isenabled()


def test_a_render_keeps_a_disabled_garbage_collector_disabled():
    gc.disable()
    try:
        render.render_html(SAMPLE)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_garbage_collector_is_paused_while_weasyprint_lays_out_and_writes(monkeypatch):
    seen = []

    class RecordingHTML(render.PrintHTML):
        def render(self, *args, **kwargs):
            seen.append(("layout", gc.isenabled()))
            document = super().render(*args, **kwargs)
            write_pdf = document.write_pdf
            document.write_pdf = lambda *a, **k: seen.append(("write", gc.isenabled())) or write_pdf(*a, **k)
            return document

    monkeypatch.setattr(render, "PrintHTML", RecordingHTML)
    render.render_html(SAMPLE)
    assert seen == [("layout", False), ("write", False)]


def test_a_render_frees_its_cyclic_garbage_before_it_returns():
    html = "<html><body>" + "<p>Đoạn văn bản dài để sang trang.</p>" * 80 + "</body></html>"
    render.render_html(html)
    gc.collect()
    render.render_html(html)
    # Nothing is left for a later collection to find, in the next request.
    assert gc.collect() == 0


def test_nested_pauses_bring_the_garbage_collector_back_only_when_the_outermost_ends():
    with render.cyclic_gc_paused():
        with render.cyclic_gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_render_ending_while_another_threads_runs_collects_its_own_cycles():
    class Node:
        pass

    def render_in_another_thread(started, finish):
        with render.cyclic_gc_paused():
            started.set()
            finish.wait(timeout=30)

    started, finish = threading.Event(), threading.Event()
    other = threading.Thread(target=render_in_another_thread, args=(started, finish))
    other.start()
    try:
        started.wait(timeout=30)
        with render.cyclic_gc_paused():
            node = Node()
            node.self = node  # a cycle: only the cyclic collector frees it
            alive = weakref.ref(node)
            del node
        assert not gc.isenabled()  # the other render still pauses the collector
        assert alive() is None
    finally:
        finish.set()
        other.join(timeout=30)
    assert gc.isenabled()


def test_the_pause_ends_when_the_render_fails():
    with pytest.raises(ValueError), render.cyclic_gc_paused():
        raise ValueError("Refused URL")
    assert gc.isenabled()
