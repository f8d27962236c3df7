"""Public verification of printed documents, and the signed scan or digitally signed PDF that locks a document.

``document_lookup`` answers the public page behind the QR code: it returns only the facts printed on the document's
face (issuer, form, number, date, subject) and whether a signed scan is on file, never the snapshot's content.
``document_scan_attach`` stores the signed and stamped scan and locks the document in one transaction; a locked
document is never regenerated with other content (``registry.documents``) and refuses a second scan.

``document_signed_pdf_attach`` accepts a PDF signed outside the portal (a person's USB token) only after
``registry.signing.checks`` found it to be the issued bytes plus intact, trusted signatures and nothing else; it then
stores it and locks the document like a scan. ``pdf_check`` answers anyone who uploads a PDF on the public page:
which document of the registry it is (by the SHA-256 of the file or of its first revisions) and what each of its
signatures is worth. Nothing uploaded there is stored.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from registry import documents, permissions
from registry.models import Document, TrustedRoot
from registry.services.attachments import validate_upload
from registry.signing import SigningError, checks

# The alphabet of ``registry.models.documents.new_verification_code``: no 0/O, 1/I/L look-alikes.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
_CODE_RE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
# Longer input is not worth normalising: it cannot be a code.
_MAX_INPUT = 64

SCAN_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
SCAN_WRONG_TYPE = "Bản đã ký chỉ nhận tệp PDF, JPEG hoặc PNG (tối đa 10 MB)."
LOCKED = "Văn bản đã khóa (đã có bản ký, đóng dấu); không thể tải lên bản khác."
SIGNED_PDF_WRONG_TYPE = "Bản ký số phải là tệp PDF (tối đa 10 MB)."
NOT_ALLOWED = "Chỉ người cập nhật hoặc lãnh đạo của đơn vị ban hành được tải lên bản đã ký của văn bản này."


def signing_time(moment) -> str:
    """A signing time as Phụ lục I of NĐ 30/2020 writes it: ISO 8601 in Vietnam's time ("…T09:30:00+07:00")."""
    return checks.iso_time(moment) if moment else ""


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
    # The organisation's signature made at issue, and the person's uploaded one (empty: none).
    sealed_by: str = ""
    sealed_by_issuer: str = ""
    sealed_at: object = None
    seal_is_test: bool = False
    signed_by: str = ""
    signed_by_issuer: str = ""
    signed_at: object = None
    # Each signature checked again on the stored bytes against today's trusted roots: "" when intact and trusted,
    # else the reason (Vietnamese).
    seal_problem: str = ""
    signed_problem: str = ""

    @property
    def sealed_at_iso(self) -> str:
        return signing_time(self.sealed_at)

    @property
    def signed_at_iso(self) -> str:
        return signing_time(self.signed_at)


def document_lookup(raw_code: str | None) -> VerifiedDocument | None:
    """The public facts of the document with this code, or ``None`` for a malformed or unknown code."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    document = Document.objects.select_related("issuing_unit").filter(verification_code=code).first()
    if document is None:
        return None
    return _public_facts(document)


def _public_facts(document: Document) -> VerifiedDocument:
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
        sealed_by=document.sealed_by,
        sealed_by_issuer=document.sealed_by_issuer,
        sealed_at=document.sealed_at,
        seal_is_test=document.seal_is_test,
        signed_by=document.signed_by,
        signed_by_issuer=document.signed_by_issuer,
        signed_at=document.signed_at,
        **stored_signature_problems(document),
    )


UNREADABLE_STORED = "Không đọc được tệp đã lưu để kiểm tra chữ ký."
# A signature check costs tens of milliseconds: each answer is kept an hour, keyed by the bytes and the roots.
_CHECK_SECONDS = 3600


def stored_signature_problems(document: Document) -> dict:
    """``seal_problem`` and ``signed_problem`` of a document's stored signatures, checked again against the trusted
    roots of today (a root removed by the superuser makes them untrusted); cached per bytes and roots."""
    if not document.sealed_by and not document.signed_pdf:
        return {}
    roots = trust_roots()
    roots_key = hashlib.sha256(b"".join(sorted(hashlib.sha256(r).digest() for r in roots))).hexdigest()[:16]
    key = f"verification:signatures:{document.pk}:{document.sha256}:{document.signed_pdf.name}:{roots_key}"
    found = cache.get(key)
    if found is None:
        found = {}
        if document.sealed_by:
            found["seal_problem"] = _problem_of(lambda: documents.pdf_bytes(document), roots, documents.SIGNATURE_FIELD)
        if document.signed_pdf:
            found["signed_problem"] = _problem_of(lambda: _read(document.signed_pdf), roots, None)
        cache.set(key, found, _CHECK_SECONDS)
    return found


def _read(field) -> bytes:
    with field.open("rb") as stored:
        return stored.read()


def _problem_of(read, roots: list[bytes], field: str | None) -> str:
    """The first problem of the signatures in a stored file (only ``field``'s when given); "" when none."""
    try:
        reports = checks.inspect(read(), roots, fetch_revocation=settings.SIGNING_REVOCATION_FETCH)
    except (SigningError, OSError, ValueError):
        return UNREADABLE_STORED
    if field is not None:
        reports = [report for report in reports if report.field == field]
    if not reports:
        return UNREADABLE_STORED
    return next((report.problem for report in reports if report.problem), "")


def issuer_as_printed(document: Document) -> str:
    """The issuing body's name on the paper's header ("ĐẢNG ỦY SỞ Y TẾ"), else the unit's current name."""
    header = (document.snapshot or {}).get("header") or {}
    return (header.get("issuer") or "").replace("|", " ").strip() or document.issuing_unit.name


def _narrowed_upload(upload: UploadedFile, allowed, message: str) -> str:
    """Size and content checks of evidence files, narrowed to the ``allowed`` content types (``message`` says which);
    returns the content type."""
    try:
        content_type = validate_upload(upload)
    except ValidationError as error:
        if error.code == "wrong_type":
            raise ValidationError(message, code="wrong_type") from None
        raise
    if content_type not in allowed:
        raise ValidationError(message, code="wrong_type")
    return content_type


def validate_scan(upload: UploadedFile) -> str:
    """A signed and stamped scan: PDF, JPEG or PNG; returns the content type."""
    return _narrowed_upload(upload, SCAN_TYPES, SCAN_WRONG_TYPE)


def _locked_for_attach(document: Document, user) -> Document:
    """The document's row, locked; checked again under the lock: not yet locked, and the user still may."""
    locked = Document.objects.select_for_update(of=("self",)).select_related("issuing_unit").get(pk=document.pk)
    if locked.is_locked:
        raise ValidationError(LOCKED, code="locked")
    if not permissions.can_upload_scan(user, locked):
        raise PermissionDenied(NOT_ALLOWED)
    return locked


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
        locked = _locked_for_attach(document, user)
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


# --- Digitally signed PDFs ------------------------------------------------------------------------------------------


def trust_roots() -> list[bytes]:
    """The DER certificates of the roots the superuser trusts (admin, "Chứng thư gốc tin cậy")."""
    return [bytes(der) for der in TrustedRoot.objects.values_list("certificate", flat=True)]


def validate_signed_pdf(upload: UploadedFile) -> bytes:
    """Size and type checks of an uploaded signed PDF; returns its bytes."""
    _narrowed_upload(upload, {"application/pdf"}, SIGNED_PDF_WRONG_TYPE)
    upload.seek(0)
    return upload.read()


def document_signed_pdf_attach(*, document: Document, user, upload: UploadedFile) -> Document:
    """Store ``upload``, the issued PDF signed by a person, and lock the document; returns the locked document.

    Raises ``PermissionDenied`` for a user who may not, ``ValidationError`` (Vietnamese, with the checks' ``code``)
    for a file that is not the issued document with only intact, trusted signatures added; then nothing is stored.
    """
    if not permissions.can_upload_scan(user, document):
        raise PermissionDenied(NOT_ALLOWED)
    data = validate_signed_pdf(upload)
    original = documents.pdf_bytes(document)
    try:
        report = checks.check_signed_copy(
            data, original, trust_roots(), fetch_revocation=settings.SIGNING_REVOCATION_FETCH
        )
    except SigningError as error:
        raise ValidationError(error.message, code=error.code) from None
    with transaction.atomic():
        locked = _locked_for_attach(document, user)
        locked.signed_pdf.save(f"ky-so-{locked.verification_code.lower()}.pdf", ContentFile(data), save=False)
        locked.signed_by = report.signer[:200]
        locked.signed_by_issuer = report.issuer[:200]
        locked.signed_at = report.signed_at
        locked.locked_at = timezone.now()
        try:
            locked.save(
                update_fields=["signed_pdf", "signed_by", "signed_by_issuer", "signed_at", "locked_at", "updated_at"]
            )
        except Exception:
            locked.signed_pdf.delete(save=False)
            raise
    return locked


@dataclass(frozen=True)
class PdfCheck:
    """The public answer about an uploaded PDF."""

    document: VerifiedDocument | None  # the registry's document it is, or was signed from
    exact: bool  # the very bytes the portal issued
    signed_copy: bool  # the portal's bytes with a later revision added
    only_signatures_added: bool
    signatures: list  # checks.SignatureReport, oldest first


def pdf_check(upload: UploadedFile) -> PdfCheck:
    """What the registry knows of an uploaded PDF; ``ValidationError`` for a file that is not a readable PDF."""
    data = validate_signed_pdf(upload)
    try:
        reports = checks.inspect(data, trust_roots(), fetch_revocation=settings.SIGNING_REVOCATION_FETCH)
    except SigningError as error:
        raise ValidationError(error.message, code=error.code) from None
    digests = {hashlib.sha256(data[:end]).hexdigest(): end for end in checks.prefix_ends(data)}
    found = Document.objects.select_related("issuing_unit").filter(sha256__in=list(digests)).order_by("-pk").first()
    if found is None:
        return PdfCheck(None, False, False, False, reports)
    end = digests[found.sha256]
    exact = found.sha256 == hashlib.sha256(data).hexdigest()
    only_signatures = exact
    if not exact:
        try:
            base_revision = checks.revisions_of(data[:end]) - 1
            only_signatures = checks.only_signatures_added(checks.read_pdf(data), base_revision)
        except Exception:  # the difference analysis cannot follow the file: not proven to be signatures only
            only_signatures = False
    return PdfCheck(_public_facts(found), exact, not exact, only_signatures, reports)
