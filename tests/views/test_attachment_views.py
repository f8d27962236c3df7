"""Evidence in the browser: upload on the detail page, download only through the access-checked view, delete."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry import workflow
from registry.models import Attachment, Status
from registry.services.attachments import WRONG_TYPE
from tests.factories import RegistrationFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 300


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year)


@pytest.fixture
def pdf_attachment(draft, secretary, client):
    client.force_login(secretary)
    upload(client, draft, "Biên bản họp chi bộ.pdf", PDF)
    client.logout()
    return Attachment.objects.get()


@pytest.fixture
def png_attachment(draft, secretary, client):
    client.force_login(secretary)
    upload(client, draft, "anh-hoat-dong.png", PNG)
    client.logout()
    return Attachment.objects.get()


def upload(client, reg, name, content, content_type="application/octet-stream"):
    url = reverse("registry:attachment-upload", args=[reg.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type=content_type)})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_secretary_uploads_a_pdf_to_a_draft(client, secretary, draft):
    client.force_login(secretary)
    response = upload(client, draft, "Biên bản họp chi bộ.pdf", PDF)
    assert response.status_code == 302
    assert response.url == f"{draft.get_absolute_url()}#minh-chung"
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (
        "Biên bản họp chi bộ.pdf",
        "application/pdf",
        len(PDF),
    )
    assert messages_of(response) == ["Đã tải lên “Biên bản họp chi bộ.pdf”."]


def test_file_is_stored_under_media_root_with_a_generated_name(client, secretary, draft):
    client.force_login(secretary)
    upload(client, draft, "../../etc/passwd.pdf", PDF)
    attachment = Attachment.objects.get()
    path = settings.MEDIA_ROOT / attachment.file.name
    assert path.read_bytes() == PDF
    assert attachment.file.name.startswith(f"evidence/{draft.pk}/")
    assert ".." not in attachment.file.name


def test_several_files_are_listed_on_the_detail_page(client, secretary, draft):
    client.force_login(secretary)
    upload(client, draft, "bao-cao.pdf", PDF)
    upload(client, draft, "anh.png", PNG)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "bao-cao.pdf" in html and "anh.png" in html
    assert "Minh chứng (2)" in html


def test_exe_renamed_pdf_is_refused_and_nothing_saved(client, secretary, draft):
    client.force_login(secretary)
    response = upload(client, draft, "bao-cao.pdf", EXE, content_type="application/pdf")
    assert messages_of(response) == [WRONG_TYPE]
    assert WRONG_TYPE == "Tệp không đúng định dạng cho phép (PDF, Word, Excel, JPEG, PNG)."
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_11_mb_file_is_refused_with_a_clear_message(client, secretary, draft):
    client.force_login(secretary)
    response = upload(client, draft, "lon.pdf", PDF + b"0" * (11 * 1024 * 1024))
    assert response.status_code == 302
    assert messages_of(response) == ["Tệp quá lớn (11 MB): mỗi tệp tối đa 10 MB."]
    assert not Attachment.objects.exists()


def test_50_mb_upload_is_refused_without_an_error_page(client, secretary, draft):
    client.force_login(secretary)
    response = upload(client, draft, "video.pdf", PDF + b"0" * (50 * 1024 * 1024))
    assert response.status_code == 302
    assert messages_of(response) == ["Tệp quá lớn (50 MB): mỗi tệp tối đa 10 MB."]
    assert not Attachment.objects.exists()


def test_post_without_a_file_asks_for_one(client, secretary, draft):
    client.force_login(secretary)
    response = client.post(reverse("registry:attachment-upload", args=[draft.pk]), {})
    assert messages_of(response) == ["Vui lòng chọn một tệp để tải lên."]


@pytest.mark.parametrize("length", ["abc", "1e9", " "])
def test_malformed_content_length_is_treated_as_empty_not_a_server_error(client, secretary, draft, length):
    client.force_login(secretary)
    url = reverse("registry:attachment-upload", args=[draft.pk])

    response = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, CONTENT_LENGTH=length)

    assert response.status_code == 302
    assert messages_of(response) == ["Vui lòng chọn một tệp để tải lên."]
    assert not Attachment.objects.exists()


def test_negative_content_length_is_refused_with_a_message_not_a_server_error(client, secretary, draft):
    client.force_login(secretary)
    url = reverse("registry:attachment-upload", args=[draft.pk])

    response = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, CONTENT_LENGTH="-5")

    assert response.status_code == 302
    assert messages_of(response) == ["Không đọc được tệp tải lên; vui lòng chọn lại tệp."]
    assert not Attachment.objects.exists()


def test_upload_form_is_offered_to_the_editor_of_a_draft_only(client, secretary, viewer, draft):
    upload_url = reverse("registry:attachment-upload", args=[draft.pk])
    client.force_login(secretary)
    assert upload_url in client.get(draft.get_absolute_url()).content.decode()
    client.force_login(viewer)
    assert upload_url not in client.get(draft.get_absolute_url()).content.decode()


def test_viewer_cannot_upload(client, viewer, draft):
    client.force_login(viewer)
    response = upload(client, draft, "bao-cao.pdf", PDF)
    assert messages_of(response) == [
        "Chỉ người cập nhật hồ sơ được thêm, xóa minh chứng, và chỉ khi hồ sơ còn là bản nháp hoặc bị trả lại."
    ]
    assert not Attachment.objects.exists()


def test_outsider_gets_404_on_upload(client, outsider, draft):
    client.force_login(outsider)
    assert upload(client, draft, "bao-cao.pdf", PDF).status_code == 404
    assert not Attachment.objects.exists()


def test_upload_to_a_submitted_registration_is_refused(client, secretary, draft):
    workflow.apply(draft, "submit", actor=secretary)
    client.force_login(secretary)
    upload(client, draft, "bao-cao.pdf", PDF)
    assert not Attachment.objects.exists()


# --- download -------------------------------------------------------------------------------------------------


def test_viewer_downloads_a_pdf_as_an_attachment(client, viewer, pdf_attachment):
    client.force_login(viewer)
    response = client.get(reverse("registry:attachment-download", args=[pdf_attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_pdf_asked_inline_is_still_sent_as_an_attachment(client, secretary, pdf_attachment):
    client.force_login(secretary)
    response = client.get(reverse("registry:attachment-download", args=[pdf_attachment.pk]) + "?inline=1")
    assert response["Content-Disposition"].startswith("attachment;")


def test_image_is_shown_inline_as_a_thumbnail(client, secretary, png_attachment):
    client.force_login(secretary)
    url = reverse("registry:attachment-download", args=[png_attachment.pk])
    response = client.get(f"{url}?inline=1")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    html = client.get(png_attachment.registration.get_absolute_url()).content.decode()
    assert f'<img src="{url}?inline=1"' in html


def test_outsider_gets_404_on_download(client, outsider, pdf_attachment):
    client.force_login(outsider)
    assert client.get(reverse("registry:attachment-download", args=[pdf_attachment.pk])).status_code == 404


def test_anonymous_download_redirects_to_login(client, pdf_attachment):
    response = client.get(reverse("registry:attachment-download", args=[pdf_attachment.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_missing_file_on_disk_is_404_not_an_error(client, secretary, pdf_attachment):
    (settings.MEDIA_ROOT / pdf_attachment.file.name).unlink()
    client.force_login(secretary)
    assert client.get(reverse("registry:attachment-download", args=[pdf_attachment.pk])).status_code == 404


# --- delete ---------------------------------------------------------------------------------------------------


def test_secretary_deletes_evidence_of_a_draft(client, secretary, pdf_attachment, django_capture_on_commit_callbacks):
    path = settings.MEDIA_ROOT / pdf_attachment.file.name
    client.force_login(secretary)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:attachment-delete", args=[pdf_attachment.pk]))
    assert messages_of(response) == ["Đã xóa “Biên bản họp chi bộ.pdf”."]
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_outsider_gets_404_on_delete(client, outsider, pdf_attachment):
    client.force_login(outsider)
    assert client.post(reverse("registry:attachment-delete", args=[pdf_attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=pdf_attachment.pk).exists()


def test_viewer_cannot_delete(client, viewer, pdf_attachment):
    client.force_login(viewer)
    client.post(reverse("registry:attachment-delete", args=[pdf_attachment.pk]))
    assert Attachment.objects.filter(pk=pdf_attachment.pk).exists()


def test_evidence_of_a_submitted_registration_cannot_be_deleted(client, secretary, pdf_attachment):
    workflow.apply(pdf_attachment.registration, "submit", actor=secretary)
    client.force_login(secretary)
    response = client.post(reverse("registry:attachment-delete", args=[pdf_attachment.pk]))
    assert response.status_code == 302
    assert Attachment.objects.filter(pk=pdf_attachment.pk).exists()
    assert pdf_attachment.registration.status_changes.get().to_status == Status.SUBMITTED


def test_delete_by_get_is_not_allowed(client, secretary, pdf_attachment):
    client.force_login(secretary)
    assert client.get(reverse("registry:attachment-delete", args=[pdf_attachment.pk])).status_code == 405
    assert Attachment.objects.exists()
