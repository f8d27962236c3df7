"""Revocation when checking a person's signed PDF (registry.signing.checks, SIGNING_REVOCATION_FETCH): off by default
(an intranet), on it fetches the CRL named in the signer's certificate and refuses a revoked signer, or one whose
status it cannot learn. The CRLs are the test CA's own (tests/pki.py), served without a network (``CrlServer``)."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError

from registry import documents, verification
from registry.models import Status
from registry.signing import SigningError, checks
from tests import pki
from tests.factories import RegistrationFactory
from tests.test_meetings import issue_decision, make_meeting, record
from tests.test_signing import check_file, install, person_signs, trust_test_root, upload

REVOKED_NAME = "Phạm Thị Thu Hồi"
GOOD_NAME = "Lê Văn Còn Hạn"


@pytest.fixture
def issued(approver, dang_bo, chi_bo, year):
    """A signed decision of the Đảng ủy Sở Y tế and the test root trusted."""
    active = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo một cửa")
    meeting = make_meeting(approver, dang_bo, year, entries=[(active, 6, 0)])
    record(meeting, approver)
    install(dang_bo)
    trust_test_root()
    return issue_decision(meeting, approver)


def _person(name: str) -> pki.Issued:
    return pki.signer(pki.test_pki().intermediate, name, crl_url=pki.CRL_URL)


@pytest.fixture
def revoked():
    return _person(REVOKED_NAME)


@pytest.fixture
def crl_served(monkeypatch, settings, revoked):
    """Fetching on; the intermediate CA's CRL, revoking ``revoked``, served at the URL its certificates name."""
    settings.SIGNING_REVOCATION_FETCH = True
    served = {pki.CRL_URL: pki.crl(pki.test_pki().intermediate, [revoked])}
    monkeypatch.setattr(checks, "fetcher_backend", lambda: pki.CrlServer(served))
    return served


def _check(document, person):
    original = documents.pdf_bytes(document)
    return checks.check_signed_copy(
        person_signs(original, person), original, [pki.test_pki().root.der], fetch_revocation=True
    )


def test_a_revoked_signer_is_refused_with_the_reason(issued, revoked, crl_served):
    with pytest.raises(SigningError) as refused:
        _check(issued, revoked)
    assert refused.value.code == "revoked"
    assert refused.value.message == f"Người ký “{REVOKED_NAME}”: chứng thư số đã bị thu hồi, chữ ký không còn giá trị."


def test_a_signer_not_on_the_crl_is_accepted(issued, crl_served):
    report = _check(issued, _person(GOOD_NAME))
    assert (report.signer, report.trusted, report.problem) == (GOOD_NAME, True, "")


def _check_signed_days_ago(document, person, days: int):
    original = documents.pdf_bytes(document)
    claimed = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=days)
    return checks.check_signed_copy(
        person_signs(original, person, signed_at=claimed), original, [pki.test_pki().root.der], fetch_revocation=True
    )


def test_a_signer_who_signed_before_the_current_crl_was_published_is_accepted(issued, crl_served):
    # Signed three days ago, uploaded today: the CRL fetched now was published after the signature (the test CA's
    # was yesterday), which is what a CA publishing every day gives any upload made a day after signing.
    report = _check_signed_days_ago(issued, _person(GOOD_NAME), 3)
    assert (report.signer, report.trusted, report.problem) == (GOOD_NAME, True, "")


def test_a_revoked_signer_claiming_a_time_before_the_revocation_is_refused_as_revoked(issued, revoked, crl_served):
    # The certificate was revoked two days ago; without a timestamp the signing time is the signer's own word, so
    # a signature that claims three days ago proves nothing about when it was made.
    with pytest.raises(SigningError) as refused:
        _check_signed_days_ago(issued, revoked, 3)
    assert refused.value.code == "revoked"


def test_a_signer_whose_crl_cannot_be_fetched_is_refused(issued, monkeypatch, settings):
    monkeypatch.setattr(checks, "fetcher_backend", lambda: pki.CrlServer({}))
    with pytest.raises(SigningError) as refused:
        _check(issued, _person(GOOD_NAME))
    assert refused.value.code == "revocation_unknown"
    assert "Không kiểm tra được chứng thư số của người ký" in refused.value.message


def test_fetching_is_off_by_default(settings):
    assert settings.SIGNING_REVOCATION_FETCH is False


def test_without_fetching_a_signer_is_not_looked_up(issued, revoked, approver, monkeypatch):
    """On an intranet the portal cannot reach the CA: with fetching off no CRL is asked for, and the signature is
    judged on the file and the trusted roots alone."""

    def no_network():
        raise AssertionError("fetched although fetching is off")

    monkeypatch.setattr(checks, "fetcher_backend", no_network)
    locked = verification.document_signed_pdf_attach(
        document=issued, user=approver, upload=upload(person_signs(documents.pdf_bytes(issued), revoked))
    )
    assert locked.signed_by == REVOKED_NAME


def test_the_upload_of_a_revoked_signers_copy_is_refused_and_nothing_stored(issued, revoked, approver, crl_served):
    with pytest.raises(ValidationError) as refused:
        verification.document_signed_pdf_attach(
            document=issued, user=approver, upload=upload(person_signs(documents.pdf_bytes(issued), revoked))
        )
    assert "chứng thư số đã bị thu hồi" in refused.value.messages[0]
    issued.refresh_from_db()
    assert not issued.signed_pdf
    assert issued.locked_at is None


def test_the_public_check_says_the_signer_is_revoked(client, issued, revoked, crl_served):
    page = check_file(client, person_signs(documents.pdf_bytes(issued), revoked)).content.decode()
    assert 'data-signature-ok="0"' in page
    assert checks.REVOKED.format(signer=REVOKED_NAME) in page


def with_crl_embedded(pdf: bytes, der: bytes) -> bytes:
    """``pdf`` with ``der`` added to its document security store in an incremental update, as a signing tool that
    embeds validation data (PAdES-B-LT) does."""
    from asn1crypto import crl as asn1_crl
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    out = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(out, None, crls=[asn1_crl.CertificateList.load(der)])
    return out.getvalue()


def test_a_crl_embedded_in_the_file_refuses_a_revoked_signer_without_fetching(issued, revoked, approver, settings):
    settings.SIGNING_REVOCATION_FETCH = False
    original = documents.pdf_bytes(issued)
    signed = with_crl_embedded(person_signs(original, revoked), pki.crl(pki.test_pki().intermediate, [revoked]))
    with pytest.raises(ValidationError) as refused:
        verification.document_signed_pdf_attach(document=issued, user=approver, upload=upload(signed))
    assert refused.value.messages == [checks.REVOKED.format(signer=REVOKED_NAME)]


def test_a_crl_embedded_in_the_file_lets_a_signer_not_on_it_through(issued, approver, settings):
    settings.SIGNING_REVOCATION_FETCH = False
    good = _person(GOOD_NAME)
    original = documents.pdf_bytes(issued)
    revoked_other = _person(REVOKED_NAME)
    signed = with_crl_embedded(person_signs(original, good), pki.crl(pki.test_pki().intermediate, [revoked_other]))
    locked = verification.document_signed_pdf_attach(document=issued, user=approver, upload=upload(signed))
    assert locked.signed_by == GOOD_NAME
