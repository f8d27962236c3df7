"""attachment_add / attachment_delete: content checked by its bytes, size limited, editors of editable entries only."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from registry import workflow
from registry.models import Attachment
from registry.services import attachment_add, attachment_delete
from registry.services.attachments import MAX_ATTACHMENTS, WRONG_TYPE, detect_content_type, human_size
from tests.factories import RegistrationFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 300


def office_zip(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr(f"{folder}/main.xml", "<x/>")
    return buffer.getvalue()


def file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def draft(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("bien-ban.pdf", PDF, "application/pdf"),
        ("anh.PNG", PNG, "image/png"),
        ("anh.jpg", JPEG, "image/jpeg"),
        ("anh.jpeg", JPEG, "image/jpeg"),
        ("bao-cao.docx", office_zip("word"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("so-lieu.xlsx", office_zip("xl"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("bao-cao.doc", OLE2, "application/msword"),
        ("so-lieu.xls", OLE2, "application/vnd.ms-excel"),
    ],
)
def test_allowed_kinds_are_recognised_by_content(secretary, draft, name, content, content_type):
    attachment = attachment_add(registration=draft, user=secretary, upload=file(name, content))
    assert (attachment.content_type, attachment.size, attachment.uploaded_by) == (content_type, len(content), secretary)
    assert attachment.file.read() == content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", EXE),  # an executable renamed .pdf
        ("anh.png", PDF),  # a real PDF under an image's name
        ("bao-cao.docx", office_zip("xl")),  # a workbook named as a document
        ("tai-lieu.docx", office_zip("other")),  # a zip that is no Office file
        ("bao-cao.pdf", OLE2),  # an OLE2 file that claims to be a PDF
        ("trang.html", b"<html><script>alert(1)</script></html>"),
        ("anh.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
        ("bao-cao.docx", b"PK\x03\x04 not really a zip"),
        ("khong-duoi", PDF),
    ],
)
def test_other_content_is_refused_and_nothing_is_stored(secretary, draft, name, content, settings):
    with pytest.raises(ValidationError) as exc:
        attachment_add(registration=draft, user=secretary, upload=file(name, content))
    assert exc.value.messages == [WRONG_TYPE]
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_file_over_10_mb_is_refused(secretary, draft):
    big = file("lon.pdf", PDF + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as exc:
        attachment_add(registration=draft, user=secretary, upload=big)
    assert exc.value.messages == ["Tệp quá lớn (10 MB): mỗi tệp tối đa 10 MB."]
    assert not Attachment.objects.exists()


def test_file_of_exactly_10_mb_is_accepted(secretary, draft):
    exact = file("vua.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    assert attachment_add(registration=draft, user=secretary, upload=exact).size == 10 * 1024 * 1024


def test_empty_file_is_refused(secretary, draft):
    with pytest.raises(ValidationError) as exc:
        attachment_add(registration=draft, user=secretary, upload=file("rong.pdf", b""))
    assert exc.value.messages == ["Tệp “rong.pdf” rỗng, vui lòng chọn tệp khác."]


def test_original_name_is_kept_in_nfc(secretary, draft):
    decomposed = "Bie\u0302n ba\u0309n.pdf"
    attachment = attachment_add(registration=draft, user=secretary, upload=file(decomposed, PDF))
    assert attachment.original_name == "Biên bản.pdf"


@pytest.mark.parametrize("persona", ["approver", "viewer", "outsider"])
def test_non_editors_cannot_add(request, persona, draft):
    with pytest.raises(PermissionDenied):
        attachment_add(registration=draft, user=request.getfixturevalue(persona), upload=file("a.pdf", PDF))
    assert not Attachment.objects.exists()


def test_nothing_is_added_once_the_registration_is_submitted(secretary, draft):
    workflow.apply(draft, "submit", actor=secretary)
    with pytest.raises(PermissionDenied):
        attachment_add(registration=draft, user=secretary, upload=file("a.pdf", PDF))


def test_evidence_may_be_added_again_after_a_return(secretary, approver, draft):
    workflow.apply(draft, "submit", actor=secretary)
    draft = workflow.apply(draft, "return", actor=approver, reason="Thiếu ảnh")
    assert attachment_add(registration=draft, user=secretary, upload=file("anh.png", PNG)).content_type == "image/png"


def test_number_of_files_is_capped(secretary, draft):
    for i in range(MAX_ATTACHMENTS):
        Attachment.objects.create(
            registration=draft,
            file=f"evidence/{i}.pdf",
            original_name=f"{i}.pdf",
            content_type="application/pdf",
            size=1,
        )
    with pytest.raises(ValidationError) as exc:
        attachment_add(registration=draft, user=secretary, upload=file("a.pdf", PDF))
    assert exc.value.code == "too_many"


def test_delete_removes_the_row_and_then_the_file(secretary, draft, settings, django_capture_on_commit_callbacks):
    attachment = attachment_add(registration=draft, user=secretary, upload=file("a.pdf", PDF))
    path = settings.MEDIA_ROOT / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        attachment_delete(attachment=attachment, user=secretary)
    assert not Attachment.objects.exists()
    assert not path.exists()


def test_delete_after_submission_is_refused(secretary, draft):
    attachment = attachment_add(registration=draft, user=secretary, upload=file("a.pdf", PDF))
    workflow.apply(draft, "submit", actor=secretary)
    with pytest.raises(PermissionDenied):
        attachment_delete(attachment=attachment, user=secretary)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_detect_content_type_leaves_the_file_at_its_start(db):
    upload = file("a.pdf", PDF)
    assert detect_content_type(upload) == "application/pdf"
    assert upload.read(4) == b"%PDF"


@pytest.mark.parametrize(
    ("size", "text"), [(0, "0 byte"), (900, "900 byte"), (1536, "1,5 KB"), (10 * 1024 * 1024, "10 MB")]
)
def test_human_size_uses_a_decimal_comma(size, text):
    assert human_size(size) == text
