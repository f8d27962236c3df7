"""Public verification of printed documents, and the signed scan that locks a document.

``document_lookup`` answers the public page behind the QR code: it returns only the facts printed on the document's
face (issuer, form, number, date, subject) and whether a signed scan is on file, never the snapshot's content.
``document_scan_attach`` stores the signed and stamped scan and locks the document in one transaction; a locked
document is never regenerated with other content (``registry.documents``) and refuses a second scan.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from registry import permissions
from registry.models import Document
from registry.services.attachments import validate_upload

# The alphabet of ``registry.models.documents.new_verification_code``: no 0/O, 1/I/L look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
_CODE_RE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
# Longer input is not worth normalising: it cannot be a code.
_MAX_INPUT = 64

SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
SCAN_WRONG_TYPE = "Bản đã ký chỉ nhận tệp PDF, JPEG hoặc PNG (tối đa 10 MB)."
LOCKED = "Văn bản đã khóa (đã có bản ký, đóng dấu); không thể tải lên bản khác."
NOT_ALLOWED = "Chỉ người cập nhật hoặc lãnh đạo của đơn vị ban hành được tải lên bản đã ký của văn bản này."


def normalize_code(raw: str | None) -> str | None:
    """The code as stored ("ab cd-ef gh jk" → "ABCDEFGHJK"), or ``None`` if it cannot be a verification code.

    Spaces and hyphens (as people copy a code from paper) are dropped and letters upper-cased; anything else outside
    the code alphabet, or a wrong length, makes it no code at all.
    """
    if not raw or len(raw) > _MAX_INPUT:
        return None
    text = unicodedata.normalize("NFC", raw)
    text = "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()
    return text if _CODE_RE.fullmatch(text) else None


@dataclass(frozen=True)
class VerifiedDocument:
    """What the public may know about a document: exactly what its printed face shows, and whether it is signed."""

    code: str
    issuer: str
    form_label: str
    number: str
    issued_on: date
    subject: str
    is_locked: bool
    locked_at: object  # datetime | None
    # A paper issued again (another signer or number) replaces this version: its code and date.
    replaced_by_code: str = ""
    replaced_at: object = None  # datetime | None


def document_lookup(raw_code: str | None) -> VerifiedDocument | None:
    """The public facts of the document with this code, or ``None`` for a malformed or unknown code."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    document = Document.objects.select_related("issuing_unit").filter(verification_code=code).first()
    if document is None:
        return None
    replacement = Document.objects.filter(replaces=document).values_list("verification_code", flat=True).first()
    return VerifiedDocument(
        code=document.verification_code,
        # The issuer as printed on the paper's face (the unit may have been renamed since); the rest of the
        # snapshot stays private.
        issuer=issuer_as_printed(document),
        form_label=document.get_form_code_display(),
        number=document.number,
        issued_on=document.issued_on,
        subject=document.subject,
        is_locked=document.is_locked,
        locked_at=document.locked_at,
        replaced_by_code=replacement or "",
        replaced_at=document.replaced_at,
    )


def issuer_as_printed(document: Document) -> str:
    """The issuing body's name on the paper's header ("ĐẢNG ỦY SỞ Y TẾ"), else the unit's current name."""
    header = (document.snapshot or {}).get("header") or {}
    return (header.get("issuer") or "").replace("|", " ").strip() or document.issuing_unit.name


def validate_scan(upload: UploadedFile) -> str:
    """Size and content checks of evidence files, narrowed to PDF, JPEG and PNG; returns the content type."""
    try:
        content_type = validate_upload(upload)
    except ValidationError as error:
        if error.code == "wrong_type":
            raise ValidationError(SCAN_WRONG_TYPE, code="wrong_type") from None
        raise
    if content_type not in SCAN_TYPES:
        raise ValidationError(SCAN_WRONG_TYPE, code="wrong_type")
    return content_type


def document_scan_attach(*, document: Document, user, upload: UploadedFile) -> Document:
    """Store ``upload`` as the document's signed scan and lock the document; returns the locked document.

    Raises ``PermissionDenied`` for a user who may not, ``ValidationError`` (Vietnamese) for a bad file or a document
    already locked. The row is locked while checking, so two uploads at once give one scan and one refusal; the file
    is removed again if the row cannot be saved.
    """
    if not permissions.can_upload_scan(user, document):
        raise PermissionDenied(NOT_ALLOWED)
    content_type = validate_scan(upload)
    with transaction.atomic():
        locked = Document.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=document.pk)
        if locked.is_locked:
            raise ValidationError(LOCKED, code="locked")
        if not permissions.can_upload_scan(user, locked):
            raise PermissionDenied(NOT_ALLOWED)
        # The stored name is ours: the uploader's file name says nothing the public or the next reader needs.
        name = f"ban-ky-{locked.verification_code.lower()}.{SCAN_TYPES[content_type]}"
        locked.scan.save(name, upload, save=False)
        locked.locked_at = timezone.now()
        try:
            locked.save(update_fields=["scan", "locked_at", "updated_at"])
        except Exception:
            locked.scan.delete(save=False)
            raise
    return locked
