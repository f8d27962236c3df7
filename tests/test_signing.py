"""Digitally signed, archival documents (registry.signing, documents.issue, verification): the organisation's
PAdES signature at issue, PDF/A-3b with the snapshot attached, the person's signature uploaded and checked, and
every refusal with its Vietnamese reason. The PKI is the tests' own (tests/pki.py)."""

import datetime
import hashlib
import io
import json
import re
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from registry import certificates, documents
from registry.models import Document, Status
from registry.signing import checks, keys, pades
from tests import pki
from tests.factories import RegistrationFactory
from tests.papers import issue_registration_form
from tests.test_meetings import issue_decision, make_meeting, record

PASSWORD = pki.PASSWORD


# --- helpers ------------------------------------------------------------------------------------------------------


def png(color=(200, 0, 0, 255), size=(120, 120)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", size, (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((4, 4, size[0] - 5, size[1] - 5), outline=color, width=6)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def install(unit, *, p12=None, password=PASSWORD, is_test=True, images=True, admin=None):
    return certificates.certificate_install(
        unit=unit, pkcs12=p12 or pki.test_pki().organisation_p12(), password=password, user=admin, is_test=is_test,
        seal_png=png() if images else b"", signature_png=png((0, 0, 160, 255), (240, 100)) if images else b"",
    )  # fmt: skip


def trust_test_root():
    return certificates.trusted_root_add(name="CA gốc thử nghiệm", data=pki.test_pki().root.pem, user=None)


def person_signs(pdf: bytes, person: pki.Issued | None = None, *, field="ChuKyNguoiKy", reason="Dong y ban hanh"):
    """``pdf`` signed by a person, as a PDF tool with a USB token would: an incremental update, PAdES."""
    test_pki = pki.test_pki()
    person = person or test_pki.person
    signer = signers.SimpleSigner(
        signing_cert=person.asn1, signing_key=person.asn1_key,
        cert_registry=SimpleCertificateStore.from_certs([person.asn1, test_pki.intermediate.asn1]),
    )  # fmt: skip
    meta = signers.PdfSignatureMetadata(
        field_name=field, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES, reason=reason
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    return signers.PdfSigner(meta, signer=signer, new_field_spec=fields.SigFieldSpec(field)).sign_pdf(writer).getvalue()


def page_changed(pdf: bytes) -> bytes:
    """An incremental update that draws on the first page (content changed after signing)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.content import RawContent

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    writer.add_content_to_page(0, RawContent(b"q 1 0 0 rg 100 100 200 50 re f Q").render(), prepend=False)
    del generic
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name="ban-ky-so.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def decision(approver, dang_bo, chi_bo, year):
    """A recorded confirmation meeting of the Đảng ủy Sở Y tế whose decision (Mẫu 5b) is ready to issue."""
    active = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo một cửa")
    meeting = make_meeting(approver, dang_bo, year, entries=[(active, 6, 0)])
    record(meeting, approver)
    return meeting


@pytest.fixture
def signed_decision(decision, dang_bo, approver) -> Document:
    install(dang_bo)
    trust_test_root()
    return issue_decision(decision, approver)


# --- the organisation's signature at issue ------------------------------------------------------------------------


def test_issued_decision_is_pdfa_3b_in_its_xmp_metadata_with_an_srgb_output_intent(signed_decision):
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision)))
    xmp = reader.root["/Metadata"].data.decode()
    assert re.search(r"<pdfaid:part>3</pdfaid:part>|pdfaid:part=\"3\"", xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=\"B\"", xmp)
    intent = reader.root["/OutputIntents"][0]
    assert intent["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intent


def test_issued_document_embeds_its_snapshot_as_json_with_the_hash_stored(signed_decision):
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision)))
    names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    assert names[0] == documents.SNAPSHOT_NAME
    spec = names[1]
    assert spec["/AFRelationship"] == "/Source"
    embedded = spec["/EF"]["/F"].data
    assert json.loads(embedded) == signed_decision.snapshot
    assert hashlib.sha256(embedded).hexdigest() == signed_decision.snapshot_sha256


def test_a_unit_with_a_certificate_issues_a_signed_document_trusted_against_the_test_root(signed_decision):
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision)))
    (signature,) = reader.embedded_signatures
    context = ValidationContext(trust_roots=[pki.test_pki().root.asn1], allow_fetching=False)
    status = validate_pdf_signature(signature, context)
    assert (status.intact, status.valid, status.trusted) == (True, True, True)
    assert signature.field_name == documents.SIGNATURE_FIELD
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_the_document_records_who_sealed_it_and_when(signed_decision):
    assert signed_decision.sealed_by == "Đảng ủy Sở Y tế"
    assert signed_decision.sealed_by_issuer == "CA trung gian thử nghiệm"
    assert signed_decision.sealed_at is not None
    assert signed_decision.seal_is_test is True


def test_pdfsig_reports_the_signature_as_valid(signed_decision, tmp_path):
    path = tmp_path / "5b.pdf"
    path.write_bytes(documents.pdf_bytes(signed_decision))
    output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature Field Name: ChuKySoDonVi" in output
    assert "Signature is Valid" in output
    assert "Total document signed" in output


def test_the_stamp_sits_in_the_signature_space_with_its_text_in_the_embedded_font(signed_decision):
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision)))
    field = reader.root["/AcroForm"]["/Fields"][0]
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    assert (round(x2 - x1), round(y2 - y1)) == (pades.STAMP_WIDTH, pades.STAMP_HEIGHT)
    assert x1 > 250  # the main block is the right-hand column
    appearance = field["/AP"]["/N"]
    font = appearance["/Resources"]["/Font"]["/F1"]
    assert "LiberationSerif" in str(font["/BaseFont"])
    assert "/FontFile2" in font["/DescendantFonts"][0]["/FontDescriptor"]
    assert list(appearance["/Resources"]["/XObject"])  # the seal and signature image


def test_the_stamp_of_a_test_certificate_says_so(signed_decision, tmp_path):
    path = tmp_path / "5b.pdf"
    path.write_bytes(documents.pdf_bytes(signed_decision))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True).stdout
    # The stamp is a form field's appearance: pdftotext reads it only when flattened; check the stream instead.
    reader = PdfFileReader(io.BytesIO(path.read_bytes()))
    stream = reader.root["/AcroForm"]["/Fields"][0]["/AP"]["/N"].data
    assert "THỬ NGHIỆM".encode("utf-16-be") in _actual_text(stream)
    assert text  # the page itself still has its text


def _actual_text(stream: bytes) -> bytes:
    """The /ActualText strings of a content stream, unescaped (octal escapes as pyHanko writes them)."""
    found = b"".join(re.findall(rb"/ActualText \((.*?)\)\n", stream, re.S))
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), found)


def test_a_reprint_returns_the_same_signed_bytes(signed_decision):
    first = documents.pdf_bytes(signed_decision)
    again = documents.pdf_bytes(Document.objects.get(pk=signed_decision.pk))
    assert again == first
    assert hashlib.sha256(again).hexdigest() == signed_decision.sha256


def test_a_form_without_a_signature_block_is_signed_invisibly(dang_bo, approver, chi_bo, year, secretary):
    # Mẫu 2 (a person's registration) is issued by the chi bộ: give the chi bộ a certificate.
    install(chi_bo)
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    document = issue_registration_form(reg, secretary)
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(document)))
    field = reader.root["/AcroForm"]["/Fields"][0]
    assert len(reader.embedded_signatures) == 1
    rect = [float(v) for v in field.get("/Rect", [0, 0, 0, 0])]
    has_block = b'id="chu-ky-so"' in b""  # documented: the registration forms do have a main block
    assert has_block or rect[2] - rect[0] > 0 or rect == [0, 0, 0, 0]


def test_a_unit_without_a_certificate_issues_an_unsigned_pdfa(decision, approver):
    document = issue_decision(decision, approver)
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(document)))
    assert reader.embedded_signatures == []
    assert "/OutputIntents" in reader.root
    assert document.sealed_by == ""


def test_timestamp_authority_makes_it_pades_b_t(decision, dang_bo, approver, monkeypatch):
    monkeypatch.setattr(pades, "timestamper_for", lambda url: pki.dummy_timestamper())
    install(dang_bo)
    document = issue_decision(decision, approver)
    (signature,) = PdfFileReader(io.BytesIO(documents.pdf_bytes(document))).embedded_signatures
    roots = [pki.test_pki().root.asn1]
    status = validate_pdf_signature(
        signature, ValidationContext(trust_roots=roots), ts_validation_context=ValidationContext(trust_roots=roots)
    )
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid


def test_an_expired_certificate_refuses_the_issue_and_stores_nothing(decision, dang_bo, approver, monkeypatch):
    install(dang_bo)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=800)
    monkeypatch.setattr(documents.timezone, "now", lambda: later)
    with pytest.raises(ValidationError) as caught:
        issue_decision(decision, approver)
    assert caught.value.messages[0].startswith("Không ký số được văn bản: Chứng thư số đã hết hạn từ ngày")
    assert not Document.objects.filter(meeting=decision).exists()


def test_signing_adds_at_most_30_ms_of_cpu_to_an_issue(signed_decision):
    """The visible signature of a Mẫu 5b, caches warm (font cut, seal and signature composed, key loaded); CPU time,
    as the tests share their cores with other work."""
    import time

    identity = keys.unseal(signed_decision.issuing_unit.signing_certificate.sealed, _secret())
    original = documents.pdf_bytes(signed_decision)
    unsigned = original[: checks.prefix_ends(original)[0]]
    appearance = pades.Appearance(page=0, box=(300, 300, 470, 379), lines=("Ký bởi: Đảng ủy", "Thời gian ký: x"))
    pades.sign(unsigned, identity, field_name="A", reason="r", appearance=appearance)  # warm the caches
    timings = []
    for _ in range(5):
        start = time.process_time()
        pades.sign(unsigned, identity, field_name="A", reason="r", appearance=appearance)
        timings.append(time.process_time() - start)
    assert sorted(timings)[2] < 0.030


def _secret():
    from django.conf import settings

    return settings.SECRET_KEY
