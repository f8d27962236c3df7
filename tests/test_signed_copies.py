"""Attachments and copies of a digitally signed document (NĐ 30/2020 Phụ lục I): the list attached to a signed
decision shows its number and signing time at the top right, and a bulk print gives the clerk the signed files
(ZIP) or says on the page that the merged print is an unsigned copy (PDF)."""

import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from registry import bulk_print, documents
from registry.models import Document, Status
from registry.models.jobs import JobFormat, PrintJob
from registry.signing import checks, pades
from tests import pdfa, pki
from tests.factories import RegistrationFactory
from tests.papers import issue_unit_paper
from tests.pdf.utils import pdf_pages, pdf_text
from tests.test_meetings import issue_decision
from tests.test_signing import attach, install, person_signs, trust_test_root

ISO = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00"


def words_with_boxes(pdf: bytes, page: int) -> list[tuple[str, float, float, float]]:
    """(word, xMin, yMin, page width) of every word on ``page`` (1-based), y from the top (pdftotext -bbox)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(pdf)
        html = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True, check=True, text=True, timeout=60,
        ).stdout  # fmt: skip
    width = float(re.search(r'<page width="([\d.]+)"', html).group(1))
    return [
        (word, float(x), float(y), width)
        for x, y, word in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    ]


# --- the attached list of a signed decision ------------------------------------------------------------------------


def test_the_attached_list_of_a_signed_decision_shows_its_number_and_signing_time(signed_decision):
    pdf = documents.pdf_bytes(signed_decision)
    annex = pdf_text(pdf, pdf_pages(pdf))
    expected = f"12-QĐ/ĐU\u00a0\u00a0{pades.iso_time(signed_decision.sealed_at)}"
    assert documents.sealed_line(signed_decision) == expected
    assert re.search(rf"12-QĐ/ĐU\s+{ISO}", annex)
    assert pades.iso_time(signed_decision.sealed_at) in annex


def test_the_attached_lists_line_sits_top_right_of_its_first_page(signed_decision):
    pdf = documents.pdf_bytes(signed_decision)
    words = words_with_boxes(pdf, pdf_pages(pdf))
    time_word = next(w for w in words if re.fullmatch(ISO, w[0]))
    _, x, y, width = time_word
    assert x > width / 2  # right half
    # The first line of the text area: below the page number (top margin, 20 mm), the footer being at the bottom.
    assert y == min(w[2] for w in words if 20 * 72 / 25.4 < w[2] < 400)


def test_the_line_prints_the_time_the_signature_claims(signed_decision):
    (signature,) = PdfFileReader(io.BytesIO(documents.pdf_bytes(signed_decision))).embedded_signatures
    assert pades.iso_time(signature.self_reported_timestamp) == pades.iso_time(signed_decision.sealed_at)
    pdf = documents.pdf_bytes(signed_decision)
    assert pades.iso_time(signature.self_reported_timestamp) in pdf_text(pdf, pdf_pages(pdf))


def test_the_line_is_in_the_signed_revision(signed_decision):
    """Printed by the portal before signing: the signature covers it, it is no annotation added afterwards."""
    pdf = documents.pdf_bytes(signed_decision)
    issued = pdf[: checks.prefix_ends(pdf)[0]]
    assert pades.iso_time(signed_decision.sealed_at) in pdf_text(issued, pdf_pages(issued))


def test_the_attached_list_of_an_unsigned_decision_has_no_such_line(decision, approver):
    document = issue_decision(decision, approver)
    pdf = documents.pdf_bytes(document)
    assert documents.sealed_line(document) == ""
    assert not re.search(ISO, pdf_text(pdf))


def test_the_main_pages_of_a_signed_decision_have_no_attachment_line(signed_decision):
    """Only the stamp (the signature's appearance, added when signing) prints a time on the decision's own page."""
    pdf = documents.pdf_bytes(signed_decision)
    issued = pdf[: checks.prefix_ends(pdf)[0]]
    assert not re.search(ISO, pdf_text(issued, 1))


# --- bulk printing of signed papers ---------------------------------------------------------------------------------


@pytest.fixture
def sealed_list(dang_bo, chi_bo, year):
    """The Đảng ủy Sở Y tế holds a certificate and issued its Mẫu 3 list, signed; a chi bộ's form stays a draft."""
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở một cửa")
    install(dang_bo)
    trust_test_root()
    document = issue_unit_paper("mau_3", dang_bo, year, number="3-DS/ĐU")
    assert document.sealed_at is not None
    return document


def _run(user, unit, year, output_format) -> bytes:
    job = PrintJob.objects.create(user=user, unit=unit, year=year, output_format=output_format)
    bulk_print.print_job_run(job.pk)
    job.refresh_from_db()
    return job.file.read()


def test_the_zip_holds_the_signed_file_byte_for_byte(approver, dang_bo, year, sealed_list):
    with zipfile.ZipFile(io.BytesIO(_run(approver, dang_bo, year, JobFormat.ZIP))) as archive:
        content = archive.read(documents.filename(sealed_list))
    assert content == documents.pdf_bytes(sealed_list)
    (signature,) = PdfFileReader(io.BytesIO(content)).embedded_signatures
    report = checks.inspect(content, [pki.test_pki().root.der])[0]
    assert (signature.field_name, report.intact, report.trusted) == (documents.SIGNATURE_FIELD, True, True)


def test_the_merged_pdf_says_a_signed_paper_is_an_unsigned_copy_on_its_first_page(approver, dang_bo, year, sealed_list):
    merged = _run(approver, dang_bo, year, JobFormat.PDF)
    first_page = " ".join(pdf_text(merged, 1).split())
    assert "Bản in lại, không có chữ ký số, của văn bản đã ký số 3-DS/ĐU" in first_page
    assert pades.iso_time(sealed_list.sealed_at) in first_page
    assert f"(mã {sealed_list.verification_code})" in first_page
    assert PdfFileReader(io.BytesIO(merged)).embedded_signatures == []


def test_the_copy_line_sits_top_right_above_the_header(approver, dang_bo, year, sealed_list):
    merged = _run(approver, dang_bo, year, JobFormat.PDF)
    words = words_with_boxes(merged, 1)
    copy_word = next(w for w in words if w[0] == "Bản")
    header_word = next(w for w in words if w[0] == "ĐẢNG")
    assert copy_word[1] > copy_word[3] * 0.4  # in the right part of the page (Mẫu 3 is landscape)
    assert copy_word[2] < header_word[2]


def test_only_signed_papers_carry_the_copy_line(approver, dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở một cửa")
    issue_unit_paper("mau_3", dang_bo, year, number="3-DS/ĐU")  # the unit holds no certificate
    merged = _run(approver, dang_bo, year, JobFormat.PDF)
    assert "không có chữ ký số" not in pdf_text(merged)


def test_the_copy_line_is_not_in_the_stored_signed_file(sealed_list):
    assert "Bản in lại" not in pdf_text(documents.pdf_bytes(sealed_list))
    assert Document.objects.get(pk=sealed_list.pk).sha256 == sealed_list.sha256


def test_a_signed_decision_with_its_attachment_line_passes_the_pdfa_checks(signed_decision):
    assert pdfa.problems(documents.pdf_bytes(signed_decision)) == []


@pytest.fixture
def person_signed_list(approver, dang_bo, chi_bo, year):
    """The Đảng ủy Sở Y tế holds no certificate: its Mẫu 3 list is issued unsigned, then signed by a person with a
    token and uploaded. Returns the document and the accepted signed file."""
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở một cửa")
    trust_test_root()
    document = issue_unit_paper("mau_3", dang_bo, year, number="3-DS/ĐU")
    data = person_signs(documents.pdf_bytes(document))
    return attach(document, data, approver), data


def test_the_zip_holds_the_file_a_person_signed_byte_for_byte(approver, dang_bo, year, person_signed_list):
    document, data = person_signed_list
    with zipfile.ZipFile(io.BytesIO(_run(approver, dang_bo, year, JobFormat.ZIP))) as archive:
        assert archive.read(documents.filename(document)) == data


def test_the_merged_pdf_says_a_paper_a_person_signed_is_an_unsigned_copy(approver, dang_bo, year, person_signed_list):
    document, _data = person_signed_list
    first_page = " ".join(pdf_text(_run(approver, dang_bo, year, JobFormat.PDF), 1).split())
    assert "Bản in lại, không có chữ ký số, của văn bản đã ký số 3-DS/ĐU" in first_page
    assert pades.iso_time(document.signed_at) in first_page


def test_the_bulk_print_page_tells_which_format_carries_the_signed_files(client, approver, year):
    client.force_login(approver)
    page = client.get(reverse("registry:print-job-create")).content.decode()
    assert "tệp ZIP chứa đúng tệp đã ký số" in " ".join(page.split())
    assert "bản in lại, không có chữ ký số" in " ".join(page.split())
