"""Evidence files attached to a registration: checked by their content, never by their name alone.

Allowed: PDF, Word (.doc, .docx), Excel (.xls, .xlsx), JPEG and PNG, at most ``settings.UPLOAD_MAX_BYTES`` each.
PDF and images are recognised by their magic numbers (the ``filetype`` package); .docx and .xlsx are zip containers
recognised by their ``word/`` or ``xl/`` entries; legacy .doc and .xls are OLE2 compound files (magic D0CF11E0).
The file's extension must agree with its content, so an .exe renamed .pdf is refused.
"""

import zipfile

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from registry import permissions
from registry.models import Attachment, Registration
from registry.text import normalize_vi

WRONG_TYPE = "Tệp không đúng định dạng cho phép (PDF, Word, Excel, JPEG, PNG)."
TOO_LARGE = "Tệp quá lớn ({size}): mỗi tệp tối đa {limit}."
EMPTY = "Tệp “{name}” rỗng, vui lòng chọn tệp khác."
TOO_MANY = "Mỗi hồ sơ có tối đa {limit} tệp minh chứng; vui lòng xóa bớt tệp cũ trước khi tải thêm."
NOT_ALLOWED = "Chỉ người cập nhật hồ sơ được thêm, xóa minh chứng, và chỉ khi hồ sơ còn là bản nháp hoặc bị trả lại."

MAX_ATTACHMENTS = 30
OLE2_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
ZIP_MAGIC = b"PK\x03\x04"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Content type → the extensions a file of that content may carry.
EXTENSIONS = {
    "application/pdf": {"pdf"},
    "image/jpeg": {"jpg", "jpeg"},
    "image/png": {"png"},
    DOCX: {"docx"},
    XLSX: {"xlsx"},
    "application/msword": {"doc"},
    "application/vnd.ms-excel": {"xls"},
}
# An OLE2 file does not say cheaply whether it is Word or Excel: its extension decides between the two.
OLE2_TYPES = {"doc": "application/msword", "xls": "application/vnd.ms-excel"}


def human_size(size: int) -> str:
    """1536 → "1,5 KB"; 10485760 → "10 MB" (Vietnamese decimal comma)."""
    value = float(size)
    for unit in ("byte", "KB", "MB"):
        if value < 1024 or unit == "MB":
            text = f"{value:.1f}".rstrip("0").rstrip(".") if unit != "byte" else str(int(value))
            return f"{text.replace('.', ',')} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def _zip_content_type(upload: UploadedFile) -> str | None:
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload.file) as archive:
            names = archive.namelist()  # reads the central directory only; nothing is decompressed
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def detect_content_type(upload: UploadedFile) -> str | None:
    """The allowed content type the file's bytes show, whatever its name says; ``None`` if not allowed."""
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    ext = _extension(upload.name or "")
    if head.startswith(OLE2_MAGIC):
        return OLE2_TYPES.get(ext)
    if head.startswith(ZIP_MAGIC):
        return _zip_content_type(upload)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in ("application/pdf", "image/jpeg", "image/png"):
        return kind.mime
    return None


def validate_upload(upload: UploadedFile) -> str:
    """Check size and content; return the content type to store. Raises ``ValidationError`` in Vietnamese."""
    name = normalize_vi(upload.name or "")
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(TOO_LARGE.format(size=human_size(upload.size), limit=human_size(limit)), code="too_large")
    if upload.size == 0:
        raise ValidationError(EMPTY.format(name=name), code="empty")
    content_type = detect_content_type(upload)
    if content_type is None or _extension(name) not in EXTENSIONS[content_type]:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    return content_type


def attachment_add(*, registration: Registration, user, upload: UploadedFile) -> Attachment:
    """Store ``upload`` as evidence of the registration after checking permission, size and content.

    The registration's row is locked and its status re-read, so no file lands on a registration sent meanwhile.
    The file is written under MEDIA_ROOT with a generated name and removed again if the row cannot be saved.
    """
    if not permissions.can_manage_attachments(user, registration):
        raise PermissionDenied(NOT_ALLOWED)
    content_type = validate_upload(upload)
    original_name = normalize_vi(upload.name)[-255:]
    with transaction.atomic():
        reg = _locked(registration)
        if not permissions.can_manage_attachments(user, reg):
            raise PermissionDenied(NOT_ALLOWED)
        if reg.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(TOO_MANY.format(limit=MAX_ATTACHMENTS), code="too_many")
        attachment = Attachment(
            registration=reg, original_name=original_name, content_type=content_type, size=upload.size, uploaded_by=user
        )
        attachment.file.save(original_name, upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def attachment_delete(*, attachment: Attachment, user) -> None:
    """Delete the evidence row, then its file once the transaction has committed."""
    with transaction.atomic():
        reg = _locked(attachment.registration)
        if not permissions.can_manage_attachments(user, reg):
            raise PermissionDenied(NOT_ALLOWED)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


def _locked(registration: Registration) -> Registration:
    return Registration.objects.select_for_update(of=("self",)).select_related("unit").get(pk=registration.pk)
