"""Checks of a PDF signed outside the portal (a person's USB token) against the bytes the portal issued.

``check_signed_copy`` accepts a file only when all of these hold, and otherwise raises ``SigningError`` with the
first reason in this order:

1. it is a PDF that pyHanko can read (``not_pdf``);
2. it starts byte for byte with the issued document (``other_document``): a signature made with a PDF tool adds an
   incremental update after the original bytes, so the SHA-256 of that prefix is the one stored at issue;
3. a signature was added after those bytes (``not_signed``);
4. every signature is intact and its cryptography valid (``broken``);
5. what was added after the issued bytes is only signatures and their validation data, and the last signature
   covers the whole file: pyHanko's difference analysis of every revision since the issued one is at most
   "form filling" (``altered``); a page changed, content added, an annotation: refused;
6. each added signer's certificate was valid at signing time (``expired``), is not revoked (``revoked``) and
   chains to a trusted root (``untrusted``).

Revocation: revocation information the file carries in its document security store (CRLs and OCSP responses a
signing tool embeds, PAdES-B-LT) is always read. With ``fetch_revocation`` (``SIGNING_REVOCATION_FETCH``, off by
default: an intranet often cannot reach the certificate authority) the portal also fetches the CRL or OCSP
response named in each certificate, and then refuses a signer whose status it cannot learn
(``revocation_unknown``). Revocation information newer than the signing time counts (an upload comes after the
signature); a signature without a timestamp proves no signing time, so a certificate revoked by now is refused
whatever time the signature claims; with a timestamp, a revocation after it does not count.

``inspect`` reports on every signature of any PDF for the public verification page, never raising but for a file
that is no PDF.
"""

import datetime
import hashlib
import io
import logging
from dataclasses import dataclass

from asn1crypto import crl as asn1_crl
from asn1crypto import ocsp as asn1_ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.misc import PdfReadError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
from pyhanko.sign.validation import KeyUsageConstraints, validate_pdf_signature
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko.sign.validation.errors import NoDSSFoundError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from registry.signing import SigningError
from registry.signing.pades import iso_time

logger = logging.getLogger(__name__)

NOT_PDF = "Tệp không phải tệp PDF đọc được."
OTHER_DOCUMENT = (
    "Tệp không phải bản ký số của văn bản này: phần đầu tệp khác bản cổng đã ban hành (mã băm SHA-256 không khớp)."
)
NOT_SIGNED = "Tệp chưa được ký số: không có chữ ký nào được thêm vào văn bản cổng đã ban hành."
BROKEN = "Chữ ký số “{field}” không còn nguyên vẹn: tệp đã bị sửa sau khi ký."
ALTERED = (
    "Tệp đã bị sửa sau khi cổng ban hành: phần thêm vào không chỉ là chữ ký số (thay đổi trang, nội dung hoặc "
    "chú thích)."
)
EXPIRED = "Chứng thư số của người ký “{signer}” không còn hiệu lực tại thời điểm ký ({time})."
REVOKED = "Người ký “{signer}”: chứng thư số đã bị thu hồi, chữ ký không còn giá trị."
REVOCATION_UNKNOWN = (
    "Không kiểm tra được chứng thư số của người ký “{signer}” có bị thu hồi hay không (không tải được danh sách thu "
    "hồi hoặc trả lời OCSP); vui lòng thử lại sau hoặc báo quản trị hệ thống."
)
UNTRUSTED = (
    "Người ký “{signer}” dùng chứng thư số không xác thực được tới một tổ chức cung cấp dịch vụ chứng thực mà "
    "cổng tin cậy."
)
# A signature may use either key usage (Vietnamese CAs set both on signing certificates).
_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)


@dataclass(frozen=True)
class SignatureReport:
    """One signature of a PDF, as the verification page and the document record say it."""

    field: str
    signer: str
    issuer: str
    signed_at: datetime.datetime | None
    timestamped: bool
    intact: bool
    trusted: bool
    whole_file: bool
    problem: str  # the first reason it is not accepted, Vietnamese; empty when it is
    code: str = ""  # the problem's code: broken, expired, revoked, revocation_unknown, untrusted

    @property
    def signed_at_iso(self) -> str:
        return iso_time(self.signed_at) if self.signed_at else ""


def read_pdf(data: bytes) -> PdfFileReader:
    """pyHanko's reader of ``data``; ``SigningError`` (``not_pdf``) when it is no readable PDF."""
    if not data.startswith(b"%PDF-"):
        raise SigningError(NOT_PDF, "not_pdf")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        for signature in reader.embedded_signatures:  # parse every signature now, inside the try
            signature.signer_cert  # noqa: B018
    except Exception as error:  # an uploaded file may break the parser in any way: it is then no PDF for us
        logger.info("unreadable PDF: %s: %s", type(error).__name__, error)
        raise SigningError(NOT_PDF, "not_pdf") from None
    return reader


def revisions_of(data: bytes) -> int:
    return read_pdf(data).xrefs.total_revisions


def fetcher_backend():
    """Where CRLs and OCSP responses are fetched from: pyHanko's default HTTP client (``None``); the tests serve
    their own CA's CRL instead."""
    return None


@dataclass(frozen=True)
class _Revinfo:
    """The revocation information a file carries in its document security store (``/DSS``): CRLs, OCSP responses
    and the certificates that go with them, as a signing tool embeds them (PAdES-B-LT)."""

    crls: tuple = ()
    ocsps: tuple = ()
    certs: tuple = ()


def _embedded_revinfo(reader: PdfFileReader) -> _Revinfo:
    """The file's own revocation information; none when its security store cannot be read (then the signatures
    are judged without it, as without fetching)."""
    try:
        return _revinfo_of(reader)
    except Exception as error:  # an uploaded file's store may be malformed in any way
        logger.info("unreadable document security store: %s: %s", type(error).__name__, error)
        return _Revinfo()


def _revinfo_of(reader: PdfFileReader) -> _Revinfo:
    try:
        store = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return _Revinfo()
    crls = tuple(asn1_crl.CertificateList.load(ref.get_object().data) for ref in store.crls)
    ocsps = tuple(asn1_ocsp.OCSPResponse.load(ref.get_object().data) for ref in store.ocsps)
    return _Revinfo(crls=crls, ocsps=ocsps, certs=tuple(store.load_certs()))


def _context(
    trust_roots: list[bytes],
    moment: datetime.datetime | None,
    fetch: bool = False,
    *,
    strict: bool = True,
    revinfo: _Revinfo = _Revinfo(),
) -> ValidationContext:
    """Soft-fail without fetching: revocation information inside the file counts, none is looked for elsewhere.
    Hard-fail with fetching (unless not ``strict``): a certificate that names where its revocation status is
    published must be checked.

    Revocation information published after ``moment`` counts (``retroactive_revinfo``): a signature is uploaded
    hours or days after it was made, and the CRL or OCSP response read then is newer than the signing time; without
    this pyHanko finds it "too recent" and a good signer was refused as untrusted."""
    return ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(der) for der in trust_roots],
        moment=moment,
        retroactive_revinfo=True,
        allow_fetching=fetch,
        revocation_mode="hard-fail" if fetch and strict else "soft-fail",
        fetcher_backend=fetcher_backend() if fetch else None,
        crls=list(revinfo.crls),
        ocsps=list(revinfo.ocsps),
        other_certs=list(revinfo.certs),
    )


def _name(certificate: asn1_x509.Certificate, part: str = "subject") -> str:
    name = getattr(certificate, part).native
    return name.get("common_name") or name.get("organization_name") or ""


def _trust_problem(status, signer: str, lenient=None) -> tuple[str, str]:
    """The reason and code of a signature whose certificate is not trusted at its signing time; ``lenient`` gives
    the same signature's status when a missing revocation status is forgiven (pyHanko reports a CRL it could not
    fetch as a general chain failure: trusted then, the revocation status was what was missing)."""
    if status.revoked:
        return REVOKED.format(signer=signer), "revoked"
    indication = getattr(status.trust_problem_indic, "name", "")
    if indication in ("TRY_LATER", "REVOCATION_OUT_OF_BOUNDS_NO_POE") or (lenient is not None and lenient().trusted):
        return REVOCATION_UNKNOWN.format(signer=signer), "revocation_unknown"
    return UNTRUSTED.format(signer=signer), "untrusted"


def _revoked_now(signature, trust_roots: list[bytes], fetch: bool, revinfo: _Revinfo) -> bool:
    """Whether the signer's certificate is revoked today, whatever the revocation date (soft-fail: only a
    revocation found counts)."""
    context = _context(trust_roots, None, fetch, strict=False, revinfo=revinfo)
    return bool(validate_pdf_signature(signature, context, key_usage_settings=_KEY_USAGE, skip_diff=True).revoked)


def _report(
    signature, trust_roots: list[bytes], fetch: bool = False, revinfo: _Revinfo = _Revinfo()
) -> SignatureReport:
    """Validate one embedded signature at its own signing time (the timestamp's when there is one)."""
    certificate = signature.signer_cert
    claimed = signature.self_reported_timestamp
    # First pass: integrity, and the time the signature claims or a timestamp proves.
    status = validate_pdf_signature(signature, _context(trust_roots, None), key_usage_settings=_KEY_USAGE)
    timestamped = status.timestamp_validity is not None and status.timestamp_validity.intact
    signed_at = status.timestamp_validity.timestamp if timestamped else (status.signer_reported_dt or claimed)
    problem = code = ""
    if not (status.intact and status.valid):
        problem, code = BROKEN.format(field=signature.field_name), "broken"
    else:
        not_before = certificate.not_valid_before
        not_after = certificate.not_valid_after
        at = signed_at or datetime.datetime.now(datetime.UTC)
        if not (not_before <= at <= not_after):
            problem, code = EXPIRED.format(signer=_name(certificate), time=iso_time(at)), "expired"
        else:

            def trust_status(strict=True):
                context = _context(trust_roots, at, fetch, strict=strict, revinfo=revinfo)
                return validate_pdf_signature(signature, context, key_usage_settings=_KEY_USAGE, skip_diff=True)

            trust = trust_status()
            if not trust.trusted:
                lenient = (lambda: trust_status(strict=False)) if fetch else None
                problem, code = _trust_problem(trust, _name(certificate), lenient)
            elif (
                not timestamped
                and (fetch or revinfo.crls or revinfo.ocsps)
                and _revoked_now(signature, trust_roots, fetch, revinfo)
            ):
                # Without a timestamp the signing time is the signer's own clock: a certificate revoked by now is
                # refused whatever time the signature claims (ETSI EN 319 102-1: revoked, no proof of existence).
                problem, code = REVOKED.format(signer=_name(certificate)), "revoked"
    return SignatureReport(
        field=signature.field_name or "",
        signer=_name(certificate),
        issuer=_name(certificate, "issuer"),
        signed_at=signed_at,
        timestamped=timestamped,
        intact=bool(status.intact and status.valid),
        trusted=not problem,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        problem=problem,
        code=code,
    )


def _level_ok(result) -> bool:
    if isinstance(result, SuspiciousModification):
        return False
    return result.modification_level <= ModificationLevel.FORM_FILLING


def _page_contents(resolver) -> list[bytes]:
    """Each page's content streams and media box, in order, as the revision ``resolver`` sees them."""
    pages = []

    def walk(node):
        node = node.get_object()
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            for kid in node["/Kids"]:
                walk(kid)
            return
        contents = node.get("/Contents")
        streams = [] if contents is None else contents.get_object()
        if not isinstance(streams, list):
            streams = [streams]
        data = b"".join(stream.get_object().data for stream in streams)
        pages.append(hashlib.sha256(data + repr(node.get("/MediaBox")).encode()).digest())

    walk(resolver.root["/Pages"])
    return pages


def only_signatures_added(reader: PdfFileReader, base_revision: int) -> bool:
    """Whether every revision after ``base_revision`` (0-based) only adds signatures, form fields' values or
    validation data (pyHanko's difference analysis, at most "form filling").

    pyHanko compares form dictionaries, so it cannot start from a revision without one (an issued document that the
    portal did not sign): then the pages' content must be the same as issued in the first signed revision, and
    the difference analysis starts from that revision."""
    try:
        return _level_ok(DEFAULT_DIFF_POLICY.review_file(reader, base_revision))
    except PdfReadError:
        pass
    added = [s.signed_revision for s in reader.embedded_signatures if s.signed_revision > base_revision]
    if not added:
        return False
    first = min(added)
    issued = _page_contents(reader.get_historical_resolver(base_revision))
    if _page_contents(reader.get_historical_resolver(first)) != issued:
        return False
    return _level_ok(DEFAULT_DIFF_POLICY.review_file(reader, first))


def check_signed_copy(
    data: bytes, original: bytes, trust_roots: list[bytes], *, fetch_revocation: bool = False
) -> SignatureReport:
    """The report of the last signature added to ``original`` in ``data``; ``SigningError`` when the file is not
    accepted (see the module's docstring for the order of the checks)."""
    reader = read_pdf(data)
    if len(data) < len(original) or hashlib.sha256(data[: len(original)]).digest() != hashlib.sha256(original).digest():
        raise SigningError(OTHER_DOCUMENT, "other_document")
    base_revisions = read_pdf(original).xrefs.total_revisions
    added = [s for s in reader.embedded_signatures if s.signed_revision >= base_revisions]
    if not added:
        raise SigningError(NOT_SIGNED, "not_signed")
    revinfo = _embedded_revinfo(reader)
    reports = []
    for signature in added:
        try:
            report = _report(signature, trust_roots, fetch_revocation, revinfo)
        except Exception as error:  # a malformed signature container: broken, never a server error
            logger.info("signature validation failed: %s: %s", type(error).__name__, error)
            raise SigningError(BROKEN.format(field=signature.field_name), "broken") from None
        if not report.intact:
            raise SigningError(report.problem, "broken")
        reports.append(report)
    try:
        last_covers_all = added[-1].evaluate_signature_coverage() >= SignatureCoverageLevel.ENTIRE_REVISION
        unchanged = last_covers_all and only_signatures_added(reader, base_revisions - 1)
    except Exception as error:  # the difference analysis cannot follow the file: not proven unchanged
        logger.info("difference analysis failed: %s: %s", type(error).__name__, error)
        unchanged = False
    if not unchanged:
        raise SigningError(ALTERED, "altered")
    for report in reports:
        if report.problem:
            raise SigningError(report.problem, report.code)
    return reports[-1]


def inspect(data: bytes, trust_roots: list[bytes], *, fetch_revocation: bool = False) -> list[SignatureReport]:
    """A report on every signature of ``data``, oldest first; ``SigningError`` only for a file that is no PDF."""
    reader = read_pdf(data)
    revinfo = _embedded_revinfo(reader)
    reports = []
    for signature in reader.embedded_signatures:
        try:
            reports.append(_report(signature, trust_roots, fetch_revocation, revinfo))
        except Exception:  # a malformed signature container is reported as broken
            reports.append(
                SignatureReport(
                    field=signature.field_name or "", signer="", issuer="", signed_at=None, timestamped=False,
                    intact=False, trusted=False, whole_file=False, problem=BROKEN.format(field=signature.field_name),
                    code="broken",
                )
            )  # fmt: skip
    return reports


def prefix_ends(data: bytes) -> list[int]:
    """The lengths at which a revision of ``data`` ends (after each ``%%EOF`` and its line end): the issued
    document is one of these prefixes of a file signed afterwards."""
    ends = []
    start = 0
    while (found := data.find(b"%%EOF", start)) != -1:
        end = found + 5
        for newline in (b"\r\n", b"\n", b"\r"):
            if data.startswith(newline, end):
                ends.append(end + len(newline))
        ends.append(end)
        start = end
    return ends
