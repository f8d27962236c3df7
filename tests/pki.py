"""A test PKI made with ``cryptography``: a root CA, an intermediate CA, signer certificates (an organisation's and
a person's), PKCS#12 files, a timestamp authority double (pyHanko's ``DummyTimeStamper``), and certificate
revocation lists of the intermediate CA served by a fetcher double (``CrlServer``) instead of HTTP.

Keys are generated once per test session (RSA 2048 costs ~50 ms each); certificates are cheap and made per call.
"""

import datetime
import functools
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko_certvalidator.errors import CRLFetchError, OCSPFetchError
from pyhanko_certvalidator.fetchers import api as fetchers

PASSWORD = "MatKhau@123"
NOW = datetime.datetime.now(datetime.UTC)
DAY = datetime.timedelta(days=1)


@functools.cache
def _key(name: str) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str, organisation: str = "Cổng Dân vận khéo (thử nghiệm)") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


@dataclass(frozen=True)
class Issued:
    certificate: x509.Certificate
    key: rsa.RSAPrivateKey

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.der)

    @property
    def asn1_key(self) -> asn1_keys.PrivateKeyInfo:
        return asn1_keys.PrivateKeyInfo.load(
            self.key.private_bytes(
                serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )


def _certificate(subject, key, issuer: Issued | None, *, ca, not_before, not_after, usage, eku=None, crl_url=None):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False
        )
    if usage is not None:
        builder = builder.add_extension(usage, critical=True)
    if eku is not None:
        builder = builder.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if crl_url is not None:
        point = x509.DistributionPoint([x509.UniformResourceIdentifier(crl_url)], None, None, None)
        builder = builder.add_extension(x509.CRLDistributionPoints([point]), critical=False)
    return Issued(builder.sign((issuer or Issued(None, key)).key, hashes.SHA256()), key)


def _usage(*, signing: bool = True, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=signing, key_encipherment=not signing and not ca,
        data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip


def root_ca(name: str = "CA gốc thử nghiệm") -> Issued:
    return _certificate(
        _name(name), _key(f"root:{name}"), None, ca=True, not_before=NOW - 400 * DAY, not_after=NOW + 3650 * DAY,
        usage=_usage(signing=False, ca=True),
    )  # fmt: skip


def intermediate_ca(root: Issued, name: str = "CA trung gian thử nghiệm") -> Issued:
    return _certificate(
        _name(name), _key(f"intermediate:{name}"), root, ca=True, not_before=NOW - 300 * DAY,
        not_after=NOW + 1800 * DAY, usage=_usage(signing=False, ca=True),
    )  # fmt: skip


def signer(
    issuer: Issued,
    name: str = "Đảng ủy Sở Y tế",
    *,
    not_before: datetime.datetime | None = None,
    not_after: datetime.datetime | None = None,
    signing: bool = True,
    crl_url: str | None = None,
) -> Issued:
    return _certificate(
        _name(name, "Đảng bộ Khối (thử nghiệm)"), _key(f"signer:{name}"), issuer, ca=False,
        not_before=not_before or NOW - 30 * DAY, not_after=not_after or NOW + 365 * DAY, usage=_usage(signing=signing),
        crl_url=crl_url,
    )  # fmt: skip


CRL_URL = "http://crl.thu-nghiem.invalid/ca-trung-gian.crl"


def crl(issuer: Issued, revoked: list[Issued], *, revoked_at: datetime.datetime | None = None) -> bytes:
    """A DER certificate revocation list signed by ``issuer``, revoking ``revoked`` since ``revoked_at``."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(NOW - DAY)
        .next_update(NOW + 7 * DAY)
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    )
    for leaf in revoked:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder()
            .serial_number(leaf.certificate.serial_number)
            .revocation_date(revoked_at or NOW - 2 * DAY)
            .build()
        )
    return builder.sign(issuer.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def tsa(root: Issued) -> Issued:
    return _certificate(
        _name("TSA thử nghiệm"), _key("tsa"), root, ca=False, not_before=NOW - 300 * DAY,
        not_after=NOW + 1800 * DAY, usage=_usage(), eku=[ExtendedKeyUsageOID.TIME_STAMPING],
    )  # fmt: skip


def pkcs12_of(leaf: Issued, *chain: Issued, password: str = PASSWORD) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        b"signer", leaf.key, leaf.certificate, [c.certificate for c in chain] or None,
        serialization.BestAvailableEncryption(password.encode()),
    )  # fmt: skip


@dataclass(frozen=True)
class Pki:
    root: Issued
    intermediate: Issued
    organisation: Issued  # the unit's certificate
    person: Issued  # a person's token

    def organisation_p12(self, password: str = PASSWORD) -> bytes:
        return pkcs12_of(self.organisation, self.intermediate, password=password)


@functools.cache
def test_pki() -> Pki:
    root = root_ca()
    intermediate = intermediate_ca(root)
    return Pki(
        root=root,
        intermediate=intermediate,
        organisation=signer(intermediate, "Đảng ủy Sở Y tế"),
        person=signer(intermediate, "Nguyễn Văn An"),
    )


def dummy_timestamper():
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    pki = test_pki()
    authority = tsa(pki.root)
    return DummyTimeStamper(
        tsa_cert=authority.asn1, tsa_key=authority.asn1_key,
        certs_to_embed=SimpleCertificateStore.from_certs([authority.asn1, pki.root.asn1]),
    )  # fmt: skip


class _Crls(fetchers.CRLFetcher):
    def __init__(self, crls: dict[str, bytes]):
        self.crls = crls
        self.fetched: dict = {}

    async def fetch(self, cert, *, use_deltas=None):
        urls = [point.url for point in cert.crl_distribution_points if point.url]
        found = [asn1_crl.CertificateList.load(self.crls[url]) for url in urls if url in self.crls]
        if not found:
            raise CRLFetchError(f"unreachable: {urls}")
        self.fetched[cert.issuer_serial] = found
        return found

    def fetched_crls(self):
        return [c for found in self.fetched.values() for c in found]

    def fetched_crls_for_cert(self, cert):
        return self.fetched[cert.issuer_serial]


class _NoOcsp(fetchers.OCSPFetcher):
    async def fetch(self, cert, authority):
        raise OCSPFetchError("no OCSP in the tests")

    def fetched_responses(self):
        return []

    def fetched_responses_for_cert(self, cert):
        raise KeyError(cert.issuer_serial)


class _NoCertificates(fetchers.CertificateFetcher):
    async def fetch_cert_issuers(self, cert):
        return
        yield

    async def fetch_crl_issuers(self, certificate_list):
        return
        yield

    def fetched_certs(self):
        return []


class CrlServer(fetchers.FetcherBackend):
    """A pyHanko fetcher backend that answers CRL requests from ``crls`` (URL → DER) instead of the network: a URL it
    does not hold fails as an unreachable server would. No OCSP, no certificate fetching."""

    def __init__(self, crls: dict[str, bytes]):
        self.crls = crls

    def get_fetchers(self) -> fetchers.Fetchers:
        return fetchers.Fetchers(ocsp_fetcher=_NoOcsp(), crl_fetcher=_Crls(self.crls), cert_fetcher=_NoCertificates())
