"""A demo certificate authority for ``seed_demo``: its own root, one organisation certificate as a PKCS#12 file, and
drawn seal and signature images. Marked as a test everywhere it shows ("THỬ NGHIỆM" in every name): it proves the
portal's signing path on a developer's machine and has no legal value.
"""

import datetime
import io
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw, ImageFont

FONT = Path(__file__).resolve().parents[2] / "static" / "fonts" / "LiberationSerif-Bold.ttf"
ROOT_NAME = "CA gốc trình diễn Dân vận khéo (THỬ NGHIỆM)"


@dataclass(frozen=True)
class DemoIdentity:
    root_pem: bytes
    pkcs12: bytes
    password: str
    seal_png: bytes
    signature_png: bytes


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Cổng Dân vận khéo (THỬ NGHIỆM)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not ca, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _certificate(subject, key, issuer_name, issuer_key, *, ca: bool, days: int, now) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(issuer_key, hashes.SHA256())
    )


def seal_image(text: str) -> bytes:
    """A round red seal with ``text`` across it, transparent around."""
    size = 300
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (210, 20, 30, 255)
    draw.ellipse((6, 6, size - 7, size - 7), outline=red, width=10)
    draw.ellipse((40, 40, size - 41, size - 41), outline=red, width=4)
    font = ImageFont.truetype(str(FONT), 26)
    for offset, line in ((-36, "THỬ NGHIỆM"), (4, text[:18].upper()), (40, "★")):
        draw.text((size / 2, size / 2 + offset), line, fill=red, font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def signature_image() -> bytes:
    """A blue hand-like stroke, transparent around."""
    image = Image.new("RGBA", (480, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(30, 140), (80, 60), (120, 150), (170, 50), (210, 140), (260, 90), (320, 120), (400, 70), (450, 110)]
    draw.line(points, fill=(20, 40, 170, 255), width=7, joint="curve")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def demo_identity(organisation: str) -> DemoIdentity:
    """A new demo root and a signing certificate for ``organisation`` (two years), as the admin would receive them."""
    now = datetime.datetime.now(datetime.UTC)
    root_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    root_name = _name(ROOT_NAME)
    root = _certificate(root_name, root_key, root_name, root_key, ca=True, days=3650, now=now)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    leaf = _certificate(_name(f"{organisation} (THỬ NGHIỆM)"), key, root_name, root_key, ca=False, days=730, now=now)
    password = secrets.token_urlsafe(12)
    data = pkcs12.serialize_key_and_certificates(
        b"demo", key, leaf, [root], serialization.BestAvailableEncryption(password.encode())
    )
    return DemoIdentity(
        root_pem=root.public_bytes(serialization.Encoding.PEM),
        pkcs12=data,
        password=password,
        seal_png=seal_image(organisation),
        signature_png=signature_image(),
    )
