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
from django.urls import reverse
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from registry import certificates, documents, verification
from registry.models import Document, Status
from registry.signing import checks, keys, pades
from tests import pki
from tests.factories import RegistrationFactory
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


def person_signs(
    pdf: bytes, person: pki.Issued | None = None, *, field="ChuKyNguoiKy", reason="Dong y ban hanh", signed_at=None
):
    """``pdf`` signed by a person, as a PDF tool with a USB token would: an incremental update, PAdES. ``signed_at``:
    the signing time the signature claims (now by default), as the signer's own clock writes it."""
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
    out = pades._TimedPdfSigner(meta, signer=signer, new_field_spec=fields.SigFieldSpec(field), signed_at=signed_at)
    return out.sign_pdf(writer).getvalue()


def page_changed(pdf: bytes) -> bytes:
    """An incremental update that draws a red box on the first page (content changed after signing)."""
    from pyhanko.pdf_utils import generic

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    box = writer.add_object(generic.StreamObject(stream_data=b"q 1 0 0 rg 100 100 200 50 re f Q"))
    writer.add_stream_to_page(0, box)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(data: bytes, name="ban-ky-so.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# --- the organisation's signature at issue ------------------------------------------------------------------------


def test_issued_decision_is_pdfa_3b_in_its_xmp_metadata_with_an_srgb_output_intent(signed_decision):
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision)))
    xmp = reader.root["/Metadata"].data.decode()
    assert re.search(r"<pdfaid:part>3</pdfaid:part>|pdfaid:part=\"3\"", xmp)
    assert re.search(r"<pdfaid:conformance>B</pdfaid:conformance>|pdfaid:conformance=\"B\"", xmp)
    intent = reader.root["/OutputIntents"][0]
    assert intent["/S"] == "/GTS_PDFA1"
    assert "/DestOutputProfile" in intent


def test_signing_keeps_the_pdfa_metadata_consistent_with_the_info_dictionary(signed_decision):
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision)))
    xmp = reader.root["/Metadata"].data.decode()
    producer = reader.trailer["/Info"]["/Producer"]
    assert f'pdf:Producer="{producer}"' in xmp or f"<pdf:Producer>{producer}</pdf:Producer>" in xmp
    assert reader.xrefs.total_revisions == 2  # WeasyPrint's, and the signature's


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


def test_the_seal_and_signature_images_stay_above_the_stamps_text_lines(signed_decision, tmp_path):
    from PIL import Image

    pdf = tmp_path / "5b.pdf"
    pdf.write_bytes(documents.pdf_bytes(signed_decision))
    reader = PdfFileReader(io.BytesIO(pdf.read_bytes()))
    x1, y1, x2, y2 = (float(v) for v in reader.root["/AcroForm"]["/Fields"][0]["/Rect"])
    page_height = float(reader.root["/Pages"]["/Kids"][0]["/MediaBox"][3])
    scale = 4  # 288 dpi: a point is 4 pixels
    crop = ["-x", str(round(x1 * scale)), "-y", str(round((page_height - y2) * scale))]
    crop += ["-W", str(round((x2 - x1) * scale)), "-H", str(round((y2 - y1) * scale))]
    subprocess.run(["pdftoppm", "-r", "288", "-f", "1", "-l", "1", "-png", "-singlefile", *crop, str(pdf),
                    str(tmp_path / "stamp")], check=True)  # fmt: skip
    stamp = Image.open(tmp_path / "stamp.png").convert("RGB")
    width, height = stamp.size
    pixels = stamp.load()

    def rows(test):
        return {y for y in range(height) for x in range(width) if test(*pixels[x, y])}

    text_rows = rows(lambda r, g, b: r < 90 and g < 90 and b < 90)  # black text (the images are red and blue)
    image_rows = rows(lambda r, g, b: (r > 150 and g < 90 and b < 90) or (b > 120 and r < 60 and g < 60))
    assert text_rows and image_rows
    assert max(image_rows) < min(text_rows)


def test_the_stamp_of_a_test_certificate_says_so(signed_decision):
    reader = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision)))
    stream = reader.root["/AcroForm"]["/Fields"][0]["/AP"]["/N"].data
    assert "THỬ NGHIỆM".encode("utf-16-be") in _actual_text(stream)


def _actual_text(stream: bytes) -> bytes:
    """The /ActualText strings of a content stream, unescaped (octal escapes as pyHanko writes them)."""
    found = b"".join(re.findall(rb"/ActualText \((.*?)\)\n", stream, re.S))
    return re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), found)


def test_a_reprint_returns_the_same_signed_bytes(signed_decision):
    first = documents.pdf_bytes(signed_decision)
    again = documents.pdf_bytes(Document.objects.get(pk=signed_decision.pk))
    assert again == first
    assert hashlib.sha256(again).hexdigest() == signed_decision.sha256


def test_a_paper_without_a_main_signature_block_has_no_signature_space(signed_decision):
    from registry.pdf import render

    context = documents.render_context(signed_decision)
    context["signatures"] = [dict(block, main=False) for block in context["signatures"]]
    archival = render.render_archival(
        documents.template_of(signed_decision), context, attachment="{}", attachment_name="x.json",
        description="x", created=signed_decision.created_at, anchor=documents.SIGNATURE_SPACE,
    )  # fmt: skip
    assert archival.signature_space is None


def test_without_a_signature_space_the_signature_is_invisible(signed_decision):
    identity = keys.unseal(signed_decision.issuing_unit.signing_certificate.sealed, _secret())
    issued = documents.pdf_bytes(signed_decision)
    unsigned = issued[: checks.prefix_ends(issued)[0]]
    signed = pades.sign(unsigned, identity, field_name="PhuLuc", reason="Ban hành phụ lục", appearance=None)
    field = PdfFileReader(io.BytesIO(signed)).root["/AcroForm"]["/Fields"][0]
    assert [float(v) for v in field["/Rect"]] == [0, 0, 0, 0]
    assert signed.startswith(unsigned)


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


def _secret():
    from django.conf import settings

    return settings.SECRET_KEY


# --- the person's signature, uploaded -----------------------------------------------------------------------------


def attach(document, data: bytes, user):
    return verification.document_signed_pdf_attach(document=document, user=user, upload=upload(data))


def assert_refused(document, data: bytes, user, message: str, code: str):
    with pytest.raises(ValidationError) as caught:
        attach(document, data, user)
    assert caught.value.messages == [message]
    assert caught.value.code == code
    stored = Document.objects.get(pk=document.pk)
    assert (stored.signed_pdf.name, stored.signed_by, stored.locked_at) == ("", "", None)


def test_a_copy_signed_by_a_trusted_person_locks_the_record(signed_decision, approver):
    data = person_signs(documents.pdf_bytes(signed_decision))
    document = attach(signed_decision, data, approver)
    assert document.is_locked
    assert document.signed_pdf.read() == data
    assert (document.signed_by, document.signed_by_issuer) == ("Nguyễn Văn An", "CA trung gian thử nghiệm")
    assert abs(document.signed_at - document.locked_at) < datetime.timedelta(minutes=1)


def test_the_signed_copy_of_an_unsealed_document_is_accepted_too(decision, approver):
    trust_test_root()
    document = issue_decision(decision, approver)
    assert attach(document, person_signs(documents.pdf_bytes(document)), approver).is_locked


def test_the_issued_bytes_themselves_are_refused_as_not_signed(signed_decision, approver):
    assert_refused(signed_decision, documents.pdf_bytes(signed_decision), approver, checks.NOT_SIGNED, "not_signed")


def test_the_signed_copy_of_another_document_is_refused(signed_decision, approver, dang_bo, chi_bo, year):
    other = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình khác")
    meeting = make_meeting(approver, dang_bo, year, entries=[(other, 6, 0)], held_on=datetime.date(2025, 10, 11))
    record(meeting, approver)
    another = issue_decision(meeting, approver, number="13-QĐ/ĐU")
    data = person_signs(documents.pdf_bytes(another))
    assert_refused(signed_decision, data, approver, checks.OTHER_DOCUMENT, "other_document")


def test_a_page_changed_after_the_persons_signature_is_refused(signed_decision, approver):
    data = page_changed(person_signs(documents.pdf_bytes(signed_decision)))
    assert_refused(signed_decision, data, approver, checks.ALTERED, "altered")


def test_a_page_changed_before_the_persons_signature_is_refused(signed_decision, approver):
    data = person_signs(page_changed(documents.pdf_bytes(signed_decision)))
    assert_refused(signed_decision, data, approver, checks.ALTERED, "altered")


def test_a_copy_signed_twice_with_the_second_signature_broken_is_refused(signed_decision, approver):
    once = person_signs(documents.pdf_bytes(signed_decision))
    second = pki.signer(pki.test_pki().intermediate, "Trần Thị Bích")
    twice = person_signs(once, second, field="ChuKyThuHai", reason="Dong y ban hanh lan hai")
    # One byte of the second signature's own revision changed (its reason), inside what it signed.
    broken = twice.replace(b"Dong y ban hanh lan hai", b"Dong y ban hanh lan ba!")
    assert len(broken) == len(twice) and broken != twice
    message = checks.BROKEN.format(field="ChuKyThuHai")
    assert_refused(signed_decision, broken, approver, message, "broken")


def test_a_signer_outside_the_trusted_roots_is_refused(signed_decision, approver):
    stranger_root = pki.root_ca("CA lạ")
    stranger = pki.signer(stranger_root, "Người lạ")
    data = person_signs(documents.pdf_bytes(signed_decision), stranger)
    assert_refused(signed_decision, data, approver, checks.UNTRUSTED.format(signer="Người lạ"), "untrusted")


def test_an_expired_signer_certificate_is_refused(signed_decision, approver):
    expired = pki.signer(
        pki.test_pki().intermediate, "Lê Văn Cũ",
        not_before=pki.NOW - 400 * pki.DAY, not_after=pki.NOW - 10 * pki.DAY,
    )  # fmt: skip
    data = person_signs(documents.pdf_bytes(signed_decision), expired)
    with pytest.raises(ValidationError) as caught:
        attach(signed_decision, data, approver)
    assert caught.value.code == "expired"
    assert caught.value.messages[0].startswith("Chứng thư số của người ký “Lê Văn Cũ” không còn hiệu lực")
    assert not Document.objects.get(pk=signed_decision.pk).is_locked


def test_a_file_that_is_not_a_pdf_is_refused(signed_decision, approver):
    assert_refused(signed_decision, b"\x89PNG\r\n\x1a\n" + b"0" * 100, approver, verification.SIGNED_PDF_WRONG_TYPE,
                   "wrong_type")  # fmt: skip


def test_a_50_mb_upload_is_refused_before_reading_it(signed_decision, approver):
    big = b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024)
    with pytest.raises(ValidationError) as caught:
        attach(signed_decision, big, approver)
    assert caught.value.code == "too_large"
    assert not Document.objects.get(pk=signed_decision.pk).is_locked


def test_a_locked_document_refuses_a_second_signed_copy(signed_decision, approver):
    data = person_signs(documents.pdf_bytes(signed_decision))
    attach(signed_decision, data, approver)
    with pytest.raises(ValidationError) as caught:
        attach(signed_decision, data, approver)
    assert caught.value.messages == [verification.LOCKED]


# --- the public verification ---------------------------------------------------------------------------------------


def test_lookup_says_who_sealed_and_who_signed(signed_decision, approver):
    attach(signed_decision, person_signs(documents.pdf_bytes(signed_decision)), approver)
    found = verification.document_lookup(signed_decision.verification_code)
    assert (found.sealed_by, found.seal_is_test, found.signed_by) == ("Đảng ủy Sở Y tế", True, "Nguyễn Văn An")
    assert found.signed_at_iso.endswith("+07:00")


def test_pdf_check_finds_the_exact_issued_bytes(signed_decision):
    result = verification.pdf_check(upload(documents.pdf_bytes(signed_decision)))
    assert (result.document.code, result.exact) == (signed_decision.verification_code, True)
    (seal,) = result.signatures
    assert (seal.signer, seal.trusted, seal.problem) == ("Đảng ủy Sở Y tế", True, "")


def test_pdf_check_finds_a_signed_copy_with_only_signatures_added(signed_decision):
    result = verification.pdf_check(upload(person_signs(documents.pdf_bytes(signed_decision))))
    assert (result.document.code, result.exact, result.only_signatures_added) == (
        signed_decision.verification_code, False, True,
    )  # fmt: skip
    assert [s.signer for s in result.signatures] == ["Đảng ủy Sở Y tế", "Nguyễn Văn An"]
    assert all(s.trusted for s in result.signatures)


def test_pdf_check_flags_a_copy_changed_after_signing(signed_decision):
    result = verification.pdf_check(upload(page_changed(person_signs(documents.pdf_bytes(signed_decision)))))
    assert result.document.code == signed_decision.verification_code
    assert result.only_signatures_added is False


def test_pdf_check_of_an_unknown_pdf_finds_no_document(db):
    import weasyprint

    result = verification.pdf_check(upload(weasyprint.HTML(string="<p>Không phải văn bản của cổng</p>").write_pdf()))
    assert (result.document, result.signatures) == (None, [])


# --- putting a certificate into the portal --------------------------------------------------------------------------


def test_the_certificate_is_stored_sealed_never_in_clear(dang_bo):
    certificate = install(dang_bo)
    sealed = bytes(certificate.sealed)
    key_der = pki.test_pki().organisation.asn1_key.dump()
    assert key_der not in sealed and key_der[-64:] not in sealed
    assert keys.unseal(sealed, _secret()).facts.subject == "Đảng ủy Sở Y tế"
    assert (certificate.subject, certificate.issuer, certificate.is_test) == (
        "Đảng ủy Sở Y tế",
        "CA trung gian thử nghiệm",
        True,
    )


def test_a_wrong_pkcs12_password_is_refused(dang_bo):
    with pytest.raises(ValidationError) as caught:
        install(dang_bo, password="sai-mat-khau")
    assert caught.value.messages == [keys.BAD_FILE_OR_PASSWORD]
    from registry.models import SigningCertificate

    assert not SigningCertificate.objects.exists()


def test_an_expired_certificate_cannot_be_installed(dang_bo):
    expired = pki.signer(pki.test_pki().intermediate, "Hết hạn", not_before=pki.NOW - 90 * pki.DAY,
                         not_after=pki.NOW - pki.DAY)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        install(dang_bo, p12=pki.pkcs12_of(expired))
    assert caught.value.code == "expired"
    assert caught.value.messages[0].startswith("Chứng thư số đã hết hạn từ ngày")


def test_a_not_yet_valid_certificate_cannot_be_installed(dang_bo):
    future = pki.signer(pki.test_pki().intermediate, "Tương lai", not_before=pki.NOW + 10 * pki.DAY,
                        not_after=pki.NOW + 400 * pki.DAY)  # fmt: skip
    with pytest.raises(ValidationError) as caught:
        install(dang_bo, p12=pki.pkcs12_of(future))
    assert caught.value.code == "not_yet_valid"


def test_a_certificate_without_a_signing_key_usage_cannot_be_installed(dang_bo):
    encrypting = pki.signer(pki.test_pki().intermediate, "Chỉ mã hóa", signing=False)
    with pytest.raises(ValidationError) as caught:
        install(dang_bo, p12=pki.pkcs12_of(encrypting))
    assert caught.value.messages == [keys.NO_SIGNING_USAGE]


def test_a_file_that_is_not_pkcs12_is_refused(dang_bo):
    with pytest.raises(ValidationError) as caught:
        install(dang_bo, p12=b"%PDF-1.7 not a certificate")
    assert caught.value.messages == [keys.BAD_FILE_OR_PASSWORD]


def test_only_a_superuser_installs_a_certificate(dang_bo, approver):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        install(dang_bo, admin=approver)


def test_a_page_changed_before_signing_an_unsealed_document_is_refused(decision, approver):
    trust_test_root()
    document = issue_decision(decision, approver)
    data = person_signs(page_changed(documents.pdf_bytes(document)))
    assert_refused(document, data, approver, checks.ALTERED, "altered")


# --- the pages ------------------------------------------------------------------------------------------------------


def verify_page(client, document) -> str:
    return client.get(reverse("registry:document-verify", args=[document.verification_code])).content.decode()


def test_the_verification_page_reports_both_signatures_with_iso_times(client, signed_decision, approver):
    attach(signed_decision, person_signs(documents.pdf_bytes(signed_decision)), approver)
    page = verify_page(client, signed_decision)
    assert 'data-sealed="1"' in page and 'data-signed="1"' in page
    assert "Đã ký số bởi <strong>Đảng ủy Sở Y tế</strong>" in page
    assert "Chứng thư thử nghiệm: không có giá trị pháp lý" in page
    assert "bởi <strong>Nguyễn Văn An</strong>" in page
    assert re.search(r"lúc \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00, chứng thư do CA trung gian thử nghiệm cấp", page)


def test_the_verification_page_says_both_signatures_are_valid_and_trusted(client, signed_decision, approver):
    attach(signed_decision, person_signs(documents.pdf_bytes(signed_decision)), approver)
    page = verify_page(client, signed_decision)
    assert 'data-seal-ok="1"' in page and 'data-signed-ok="1"' in page


def test_the_verification_page_says_a_signature_is_untrusted_once_its_root_is_removed(client, signed_decision):
    from registry.models import TrustedRoot

    TrustedRoot.objects.all().delete()
    page = verify_page(client, signed_decision)
    assert 'data-seal-ok="0"' in page
    assert checks.UNTRUSTED.format(signer="Đảng ủy Sở Y tế") in page


def test_the_verification_page_of_an_unsigned_document_says_so(client, decision, approver):
    page = verify_page(client, issue_decision(decision, approver))
    assert "Văn bản không có chữ ký số của đơn vị ban hành." in page
    assert "Chưa có bản ký số của người ký trên hệ thống." in page


def check_file(client, data: bytes, **extra):
    return client.post(reverse("registry:verify-file"), {"pdf": upload(data)}, **extra)


def test_anyone_checks_a_signed_copy_without_an_account(client, signed_decision):
    response = check_file(client, person_signs(documents.pdf_bytes(signed_decision)))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-match="signed"' in page
    assert page.count('data-signature-ok="1"') == 2
    assert signed_decision.verification_code in page


def test_the_public_check_reports_an_altered_copy(client, signed_decision):
    response = check_file(client, page_changed(person_signs(documents.pdf_bytes(signed_decision))))
    assert 'data-match="altered"' in response.content.decode()


def test_the_public_check_reports_an_untrusted_signer_with_the_reason(client, signed_decision):
    stranger = pki.signer(pki.root_ca("CA lạ"), "Người lạ")
    page = check_file(client, person_signs(documents.pdf_bytes(signed_decision), stranger)).content.decode()
    assert 'data-signature-ok="0"' in page
    assert checks.UNTRUSTED.format(signer="Người lạ") in page


def test_the_public_check_refuses_a_file_that_is_not_a_pdf(client, db):
    response = check_file(client, b"Xin chao, day khong phai PDF")
    assert response.status_code == 400
    assert verification.SIGNED_PDF_WRONG_TYPE in response.content.decode()


def test_the_public_check_refuses_50_mb_before_reading_the_body(client, db):
    response = check_file(client, b"%PDF-1.7\n", CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 400
    from registry.services.attachments import TOO_LARGE, human_size

    expected = TOO_LARGE.format(size=human_size(50 * 1024 * 1024), limit=human_size(10 * 1024 * 1024))
    assert expected in response.content.decode()


def test_the_office_uploads_a_signed_copy_and_the_record_shows_it_locked(client, signed_decision, approver):
    client.force_login(approver)
    url = reverse("registry:document-signed-upload", args=[signed_decision.pk])
    data = person_signs(documents.pdf_bytes(signed_decision))
    response = client.post(url, {"signed_pdf": upload(data)}, follow=True)
    assert "Đã nhận bản ký số" in response.content.decode()
    stored = Document.objects.get(pk=signed_decision.pk)
    assert stored.is_locked and stored.signed_by == "Nguyễn Văn An"


def test_an_altered_upload_is_refused_with_its_reason_and_nothing_stored(client, signed_decision, approver):
    client.force_login(approver)
    url = reverse("registry:document-signed-upload", args=[signed_decision.pk])
    data = page_changed(person_signs(documents.pdf_bytes(signed_decision)))
    response = client.post(url, {"signed_pdf": upload(data)}, follow=True)
    assert f"Không nhận bản ký số: {checks.ALTERED}" in response.content.decode()
    assert not Document.objects.get(pk=signed_decision.pk).is_locked


# --- the admin ------------------------------------------------------------------------------------------------------


def admin_add(client, model: str, data: dict):
    return client.post(reverse(f"admin:registry_{model}_add"), data)


def test_the_superuser_installs_a_units_certificate_in_the_admin(client, admin_user, dang_bo):
    client.force_login(admin_user)
    response = admin_add(client, "signingcertificate", {
        "unit": dang_bo.pk, "is_test": "on", "password": PASSWORD,
        "pkcs12": SimpleUploadedFile("don-vi.p12", pki.test_pki().organisation_p12()),
        "seal": SimpleUploadedFile("dau.png", png()), "signature": SimpleUploadedFile("ky.png", png()),
    })  # fmt: skip
    assert response.status_code == 302
    certificate = dang_bo.__class__.objects.get(pk=dang_bo.pk).signing_certificate
    assert (certificate.subject, certificate.is_test, bytes(certificate.seal_image)) == ("Đảng ủy Sở Y tế", True, png())
    assert PASSWORD.encode() not in bytes(certificate.sealed)


def test_a_wrong_password_in_the_admin_is_a_form_error_and_nothing_is_stored(client, admin_user, dang_bo):
    from registry.models import SigningCertificate

    client.force_login(admin_user)
    response = admin_add(client, "signingcertificate", {
        "unit": dang_bo.pk, "password": "sai",
        "pkcs12": SimpleUploadedFile("don-vi.p12", pki.test_pki().organisation_p12()),
    })  # fmt: skip
    assert response.status_code == 200
    assert keys.BAD_FILE_OR_PASSWORD in response.content.decode()
    assert not SigningCertificate.objects.exists()


def test_a_seal_image_that_is_not_png_is_a_form_error(client, admin_user, dang_bo):
    client.force_login(admin_user)
    response = admin_add(client, "signingcertificate", {
        "unit": dang_bo.pk, "password": PASSWORD, "seal": SimpleUploadedFile("dau.png", b"GIF89a..."),
        "pkcs12": SimpleUploadedFile("don-vi.p12", pki.test_pki().organisation_p12()),
    })  # fmt: skip
    assert certificates.NOT_PNG in response.content.decode()


def test_the_superuser_adds_a_trusted_root_in_the_admin(client, admin_user):
    from registry.models import TrustedRoot

    client.force_login(admin_user)
    response = admin_add(client, "trustedroot", {
        "name": "Gốc thử nghiệm", "certificate_file": SimpleUploadedFile("goc.pem", pki.test_pki().root.pem),
    })  # fmt: skip
    assert response.status_code == 302
    assert bytes(TrustedRoot.objects.get().certificate) == pki.test_pki().root.der


def test_a_file_that_is_not_a_certificate_is_refused_as_a_trusted_root(client, admin_user):
    client.force_login(admin_user)
    response = admin_add(client, "trustedroot", {
        "name": "Hỏng", "certificate_file": SimpleUploadedFile("goc.pem", b"khong phai chung thu"),
    })  # fmt: skip
    assert response.status_code == 200
    assert "Tệp không phải chứng thư số" in response.content.decode()


@pytest.mark.parametrize("model", ["signingcertificate", "trustedroot"])
def test_staff_who_are_not_superusers_cannot_reach_the_certificates(client, scoped_staff, model):
    client.force_login(scoped_staff)
    assert client.get(reverse(f"admin:registry_{model}_changelist")).status_code == 403
    assert client.get(reverse(f"admin:registry_{model}_add")).status_code == 403


def test_a_sealed_document_cannot_be_changed_in_the_admin(client, admin_user, signed_decision):
    client.force_login(admin_user)
    url = reverse("admin:registry_document_change", args=[signed_decision.pk])
    response = client.post(url, {"number": "99-QĐ/ĐU"})
    assert response.status_code in (200, 403)
    assert Document.objects.get(pk=signed_decision.pk).number == signed_decision.number


# --- the demo -------------------------------------------------------------------------------------------------------


def test_the_demo_certificate_signs_with_a_test_stamp_trusted_as_a_test_root(decision, dang_bo, approver):
    from registry.models import TrustedRoot

    certificate = certificates.demo_certificate_install(dang_bo, "Đảng ủy Sở Y tế")
    assert certificate.is_test and "THỬ NGHIỆM" in certificate.subject
    assert TrustedRoot.objects.get().is_test
    document = issue_decision(decision, approver)
    result = verification.pdf_check(upload(documents.pdf_bytes(document)))
    (seal,) = result.signatures
    assert (seal.signer, seal.trusted) == ("Đảng ủy Sở Y tế (THỬ NGHIỆM)", True)
    assert document.seal_is_test


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n%%EOF\n", b"%PDF-1.7\n" + bytes(range(256)) * 40, b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer"],
    ids=["empty", "garbage", "no-xref"],
)
def test_a_broken_pdf_is_refused_as_no_pdf_by_both_checks(signed_decision, approver, data):
    assert_refused(signed_decision, data, approver, checks.NOT_PDF, "not_pdf")
    with pytest.raises(ValidationError) as caught:
        verification.pdf_check(upload(data))
    assert caught.value.messages == [checks.NOT_PDF]


def test_a_truncated_signed_copy_is_refused(signed_decision, approver):
    data = person_signs(documents.pdf_bytes(signed_decision))
    with pytest.raises(ValidationError) as caught:
        attach(signed_decision, data[: len(data) - 300], approver)
    assert caught.value.code in ("not_pdf", "broken", "altered")
    assert not Document.objects.get(pk=signed_decision.pk).is_locked


def test_the_issue_page_shows_why_an_expired_certificate_cannot_sign(client, secretary, chi_bo, year):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12 as p12

    from registry.models import SigningCertificate
    from tests.papers import submitted

    install(chi_bo)
    expired = pki.signer(pki.test_pki().intermediate, "Đã hết hạn", not_before=pki.NOW - 90 * pki.DAY,
                         not_after=pki.NOW - pki.DAY)  # fmt: skip
    clear = p12.serialize_key_and_certificates(
        b"x", expired.key, expired.certificate, None, serialization.NoEncryption()
    )
    SigningCertificate.objects.filter(unit=chi_bo).update(sealed=keys.seal(clear, _secret()))  # expired since install
    reg = submitted(RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Cần ký"))
    client.force_login(secretary)
    url = f"{reverse('registry:document-issue', args=['mau_1'])}?mo_hinh={reg.pk}"
    response = client.post(url, {
        "number": "", "issued_on": "02/03/2025", "signer_authority": "T/M CHI ỦY", "signer_title": "BÍ THƯ",
        "signer_name": "Lê Thị Thu",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Không ký số được văn bản: Chứng thư số đã hết hạn từ ngày" in response.content.decode()
    assert not Document.objects.exists()
