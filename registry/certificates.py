"""Putting certificates into the portal (superusers only, from the admin; and ``seed_demo``): a unit's signing
certificate, sealed at rest, with its seal and signature images; the root certificates the portal trusts.

Both refuse bad input with a Vietnamese ``ValidationError`` and store nothing then.
"""

import io

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from registry.models import SigningCertificate, TrustedRoot, Unit
from registry.signing import SigningError, keys

NOT_ALLOWED = "Chỉ quản trị hệ thống (superuser) được cài chứng thư số."
NOT_PNG = "Hình con dấu và hình chữ ký phải là tệp PNG (nền trong suốt), tối đa 1 MB."
IMAGE_MAX_BYTES = 1024 * 1024


def check_png(data: bytes) -> bytes:
    if not data:
        return b""
    if len(data) > IMAGE_MAX_BYTES or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValidationError(NOT_PNG, code="not_png")
    try:
        Image.open(io.BytesIO(data)).verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(NOT_PNG, code="not_png") from None
    return data


def certificate_values(*, pkcs12: bytes, password: str, seal_png: bytes = b"", signature_png: bytes = b"") -> dict:
    """The fields of a ``SigningCertificate`` from an uploaded PKCS#12 file, checked (password, key, validity now,
    key usage) and sealed; ``ValidationError`` (Vietnamese) otherwise."""
    seal_png, signature_png = check_png(seal_png), check_png(signature_png)
    try:
        clear, facts = keys.open_pkcs12(pkcs12, password, now=timezone.now())
    except SigningError as error:
        raise ValidationError(error.message, code=error.code) from None
    return {
        "sealed": keys.seal(clear, settings.SECRET_KEY),
        "subject": facts.subject[:200],
        "issuer": facts.issuer[:200],
        "serial": facts.serial[:80],
        "not_before": facts.not_before,
        "not_after": facts.not_after,
        "sha256": facts.sha256,
        "seal_image": seal_png,
        "signature_image": signature_png,
    }


def certificate_install(
    *,
    unit: Unit,
    pkcs12: bytes,
    password: str,
    user,
    is_test: bool = False,
    seal_png: bytes = b"",
    signature_png: bytes = b"",
) -> SigningCertificate:
    """Check the PKCS#12 file and store it sealed as ``unit``'s signing certificate (replacing any earlier one)."""
    if user is not None and not user.is_superuser:
        raise PermissionDenied(NOT_ALLOWED)
    values = certificate_values(pkcs12=pkcs12, password=password, seal_png=seal_png, signature_png=signature_png)
    certificate, _ = SigningCertificate.objects.update_or_create(
        unit=unit, defaults={**values, "is_test": is_test, "created_by": user}
    )
    return certificate


def trusted_root_values(data: bytes) -> dict:
    """The fields of a ``TrustedRoot`` from an uploaded certificate (PEM or DER); ``ValidationError`` otherwise."""
    try:
        certificate = keys.load_certificate(data)
    except SigningError as error:
        raise ValidationError(error.message, code=error.code) from None
    facts = keys.facts_of(certificate)
    return {
        "certificate": keys.der_of(certificate),
        "subject": facts.subject[:300],
        "not_after": facts.not_after,
        "sha256": facts.sha256,
    }


def trusted_root_add(*, name: str, data: bytes, user, is_test: bool = False) -> TrustedRoot:
    """Trust the root certificate in ``data`` (PEM or DER) for signatures on uploaded PDFs."""
    if user is not None and not user.is_superuser:
        raise PermissionDenied(NOT_ALLOWED)
    values = trusted_root_values(data)
    root, _ = TrustedRoot.objects.update_or_create(
        sha256=values["sha256"], defaults={**values, "name": (name or values["subject"])[:200], "is_test": is_test}
    )
    return root


def demo_certificate_install(unit: Unit, organisation: str) -> SigningCertificate:
    """A test certificate of a new demo CA for ``unit`` (``seed_demo``), its root trusted as a test root; marked
    "THỬ NGHIỆM" in its names, on the stamp and on the verification page."""
    from registry.signing.demo import demo_identity

    identity = demo_identity(organisation)
    trusted_root_add(name="CA gốc trình diễn (thử nghiệm)", data=identity.root_pem, user=None, is_test=True)
    return certificate_install(
        unit=unit, pkcs12=identity.pkcs12, password=identity.password, user=None, is_test=True,
        seal_png=identity.seal_png, signature_png=identity.signature_png,
    )  # fmt: skip
