"""The public pages in the browser (issue 5): a secretary prints an exemplar's form, uploads the signed scan (the
document locks) and publishes the exemplar; an anonymous visitor on a phone finds it in the showcase by searching
without diacritics, sees nothing private, and opens the verification URL printed on the form."""

import io
import re
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from registry.models import Attachment, Document, Registration, Status
from tests.e2e.conftest import issue_on_page, login, logout
from tests.factories import RegistrationFactory

TITLE = "Dân vận khéo: đồng hành cùng người bệnh nghèo"
PHONE = {"width": 390, "height": 844}


def png(colour=(164, 22, 26)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def exemplar(chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title=TITLE, status=Status.EXEMPLAR_BASE)
    for name, content, kind in (
        ("anh-hoat-dong.png", png(), "image/png"),
        ("bien-ban-noi-bo.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf"),
    ):
        Attachment.objects.create(
            registration=reg, file=SimpleUploadedFile(name, content), original_name=name, content_type=kind,
            size=len(content),
        )  # fmt: skip
    return reg


def pdf_text_of(download, tmp_path) -> str:
    path = tmp_path / "mau-1.pdf"
    download.save_as(path)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_exemplar_is_printed_signed_published_found_on_a_phone_and_verified(
    page, browser, live_server, settings, secretary, exemplar, tmp_path
):
    settings.PORTAL_BASE_URL = live_server.url  # the QR code and printed URL point at this server

    login(page, "bithu")
    page.goto(exemplar.get_absolute_url())
    page.get_by_role("link", name="In PDF").click()  # not issued yet: its issue page
    issue_on_page(page, signer="Lê Thị Thu")
    with page.expect_download() as download_info:
        page.locator("#tai-van-ban").click()
    text = pdf_text_of(download_info.value, tmp_path)
    page.goto(exemplar.get_absolute_url())
    document = Document.objects.get(registration=exemplar)
    match = re.search(r"Kiểm tra văn bản tại:\s*(\S+)", text)
    assert match and match.group(1) == f"{live_server.url}/xac-thuc/{document.verification_code}/"
    verify_url = match.group(1)

    # The signed and stamped scan locks the document.
    page.reload()
    controls = page.locator("[data-public-controls]")
    controls.get_by_label("Bản đã ký của Mẫu 1").set_input_files(
        {"name": "ban-ky.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"}
    )
    controls.get_by_role("button", name="Tải bản đã ký").click()
    expect(page.get_by_text("văn bản đã được khóa.")).to_be_visible()
    expect(page.locator("[data-public-controls]").get_by_text("Đã khóa")).to_be_visible()
    document.refresh_from_db()
    assert document.is_locked

    page.locator("[data-public-controls]").get_by_role("button", name="Công khai").click()
    expect(page.get_by_text("Đã công khai điển hình trên trang giới thiệu.")).to_be_visible()
    assert Registration.objects.get(pk=exemplar.pk).is_public
    logout(page)

    phone = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.set_default_timeout(15_000)
    visitor = phone.new_page()
    try:
        visitor.goto("/dien-hinh/")
        visitor.get_by_label("Tìm kiếm").fill("dong hanh cung nguoi benh ngheo")
        visitor.get_by_role("button", name="Tìm").click()
        card = visitor.get_by_role("link", name=TITLE)
        expect(card).to_be_visible()
        expect(visitor.locator("[data-cards] img")).to_have_count(1)
        assert visitor.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        card.click()
        expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
        photo = visitor.locator("[data-photos] img")
        expect(photo).to_have_count(1)
        # The photo may still be arriving when the heading shows: wait for it to load, then check its size.
        visitor.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
        assert photo.evaluate("img => img.naturalWidth") == 320
        body = visitor.locator("body").inner_text()
        for private in ("0987654321", "Trần Văn Bình", "bien-ban-noi-bo.pdf", "anh-hoat-dong.png", "Đăng xuất"):
            assert private not in body
        assert visitor.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        visitor.goto(verify_url)
        expect(visitor.get_by_role("heading", level=1)).to_contain_text("Văn bản hợp lệ")
        facts = visitor.locator("[data-verified]")
        expect(facts).to_contain_text(exemplar.subject_unit.name.upper())  # the issuer as printed on the paper
        expect(facts).to_contain_text(TITLE)
        expect(facts).to_contain_text("Đã lưu bản đã ký, đóng dấu")
        assert exemplar.situation not in visitor.locator("body").inner_text()

        code = document.verification_code
        altered = code[:-1] + ("A" if code[-1] != "A" else "B")
        response = visitor.goto(f"/xac-thuc/{altered}/")
        assert response.status == 404
        expect(visitor.get_by_text("Không tìm thấy văn bản có mã này.")).to_be_visible()

        # The form on that page takes a code typed from paper, in lower case with a space.
        visitor.get_by_label("Mã xác thực").fill(f"{code[:5].lower()} {code[5:].lower()}")
        visitor.get_by_role("button", name="Kiểm tra").click()
        expect(visitor.get_by_role("heading", level=1)).to_contain_text("Văn bản hợp lệ")
    finally:
        phone.close()
