"""A unit's signing identity: a PKCS#12 file opened and checked once, then kept sealed at rest.

``open_pkcs12`` is what the admin calls when the superuser uploads a unit's certificate: it refuses a wrong password,
a file without a key, a certificate that is expired or not yet valid, or one whose key usage does not allow signing.
The identity is then re-serialised without its password and encrypted (Fernet: AES-128-CBC + HMAC-SHA256) with a key
derived from ``settings.SECRET_KEY`` by HKDF (``seal``); only that sealed blob is stored. The clear key exists in the
server's memory only, while signing (``unseal``, cached per blob).

Changing ``SECRET_KEY`` makes every sealed identity unreadable: the units' certificates must be uploaded again.
"""

import base64
import datetime
import functools
import hashlib
from dataclasses import dataclass

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from registry.signing import SigningError

BAD_FILE_OR_PASSWORD = "Không mở được tệp chứng thư số: sai mật khẩu, hoặc tệp không phải PKCS#12 (.p12, .pfx)."
NO_KEY = "Tệp PKCS#12 không chứa khóa bí mật và chứng thư số của người ký."
EXPIRED = "Chứng thư số đã hết hạn từ ngày {date}."
NOT_YET_VALID = "Chứng thư số chưa có hiệu lực (có hiệu lực từ ngày {date})."
NO_SIGNING_USAGE = "Chứng thư số không được phép dùng để ký (thiếu mục đích sử dụng “chữ ký số” trong Key Usage)."
UNREADABLE = "Không giải mã được chứng thư số đã lưu (khóa bí mật của máy chủ đã thay đổi?): cần tải lên lại."

_HKDF_INFO = b"danvan registry.signing: sealed PKCS#12 v1"


@dataclass(frozen=True)
class CertificateFacts:
    """What the admin, the stamp and the verification page say of a certificate."""

    subject: str  # the common name, else the organisation
    organisation: str
    issuer: str
    serial: str  # hexadecimal
    not_before: datetime.datetime
    not_after: datetime.datetime
    sha256: str  # fingerprint of the DER certificate


@dataclass(frozen=True)
class Identity:
    """A signing key with its certificate and the rest of its chain (asn1crypto objects, as pyHanko wants them)."""

    certificate: asn1_x509.Certificate
    key: asn1_keys.PrivateKeyInfo
    chain: tuple[asn1_x509.Certificate, ...]
    facts: CertificateFacts
    # The same key loaded once by ``cryptography``: loading it again for every signature costs ~50 ms (RSA checks).
    private_key: object = None


def _name_part(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def facts_of(certificate: x509.Certificate) -> CertificateFacts:
    subject = certificate.subject
    issuer = certificate.issuer
    return CertificateFacts(
        subject=_name_part(subject, NameOID.COMMON_NAME) or _name_part(subject, NameOID.ORGANIZATION_NAME),
        organisation=_name_part(subject, NameOID.ORGANIZATION_NAME),
        issuer=_name_part(issuer, NameOID.COMMON_NAME) or _name_part(issuer, NameOID.ORGANIZATION_NAME),
        serial=format(certificate.serial_number, "x"),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        sha256=certificate.fingerprint(hashes.SHA256()).hex(),
    )


def check_usable(certificate: x509.Certificate, now: datetime.datetime) -> None:
    """Refuse a certificate outside its validity period or whose key usage does not allow signing."""
    if now > certificate.not_valid_after_utc:
        raise SigningError(EXPIRED.format(date=f"{certificate.not_valid_after_utc:%d/%m/%Y}"), "expired")
    if now < certificate.not_valid_before_utc:
        raise SigningError(NOT_YET_VALID.format(date=f"{certificate.not_valid_before_utc:%d/%m/%Y}"), "not_yet_valid")
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        raise SigningError(NO_SIGNING_USAGE, "key_usage") from None
    if not (usage.digital_signature or usage.content_commitment):
        raise SigningError(NO_SIGNING_USAGE, "key_usage")


def _load(data: bytes, password: bytes | None):
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, password)
    except (ValueError, TypeError, InvalidSignature):
        raise SigningError(BAD_FILE_OR_PASSWORD, "bad_pkcs12") from None
    if key is None or certificate is None:
        raise SigningError(NO_KEY, "no_key")
    return key, certificate, list(others or [])


def open_pkcs12(data: bytes, password: str, *, now: datetime.datetime) -> tuple[bytes, CertificateFacts]:
    """Open an uploaded PKCS#12 file and check it can sign now; returns the file re-serialised without a password
    (to be sealed at once, never stored as such) and the certificate's facts."""
    key, certificate, others = _load(data, password.encode() if password else None)
    check_usable(certificate, now)
    clear = pkcs12.serialize_key_and_certificates(
        b"danvan", key, certificate, others or None, serialization.NoEncryption()
    )
    return clear, facts_of(certificate)


def _fernet(secret: str) -> Fernet:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"danvan-signing", info=_HKDF_INFO)
    return Fernet(base64.urlsafe_b64encode(hkdf.derive(secret.encode())))


def seal(clear_pkcs12: bytes, secret: str) -> bytes:
    """The PKCS#12 bytes encrypted with a key derived from ``secret`` (``settings.SECRET_KEY``)."""
    return _fernet(secret).encrypt(clear_pkcs12)


def unseal(sealed: bytes, secret: str) -> Identity:
    """The identity inside a sealed blob; cached per blob and secret (the clear key stays in this process)."""
    return _unseal(bytes(sealed), hashlib.sha256(secret.encode()).hexdigest(), secret)


@functools.lru_cache(maxsize=64)
def _unseal(sealed: bytes, _secret_hash: str, secret: str) -> Identity:
    try:
        clear = _fernet(secret).decrypt(sealed)
    except InvalidToken:
        raise SigningError(UNREADABLE, "unreadable") from None
    key, certificate, others = _load(clear, None)
    der = serialization.Encoding.DER
    return Identity(
        certificate=asn1_x509.Certificate.load(certificate.public_bytes(der)),
        key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        ),
        chain=tuple(asn1_x509.Certificate.load(other.public_bytes(der)) for other in others),
        facts=facts_of(certificate),
        private_key=key,
    )


def certificate_of(sealed: bytes, secret: str) -> x509.Certificate:
    """The (cryptography) certificate of a sealed identity, to check it again before each signature."""
    return x509.load_der_x509_certificate(unseal(sealed, secret).certificate.dump())


def load_certificate(data: bytes) -> x509.Certificate:
    """A certificate uploaded as PEM or DER (a trusted root); ``SigningError`` when it is neither."""
    for loader in (x509.load_pem_x509_certificate, x509.load_der_x509_certificate):
        try:
            return loader(data)
        except ValueError:
            continue
    raise SigningError("Tệp không phải chứng thư số (định dạng PEM hoặc DER: .pem, .crt, .cer).", "bad_certificate")


def der_of(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.DER)
