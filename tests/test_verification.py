"""registry.verification: codes normalised, public facts only, the signed scan locks a document once."""

import dataclasses
import threading

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from registry import documents, permissions, verification
from registry.models import Document, Registration
from registry.papers import registrations as pdf_context
from tests.factories import RegistrationFactory
from tests.papers import issue_registration_form
from tests.pdf.utils import pdf_text

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1") + b"\x00" * 504
TITLE = "Dân vận khéo ở bộ phận một cửa"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _fresh(reg):
    return Registration.objects.select_related(*pdf_context.REGISTRATION_RELATED).get(pk=reg.pk)


@pytest.fixture
def reg(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, title=TITLE)


@pytest.fixture
def document(reg, secretary):
    return issue_registration_form(reg, secretary)


def altered(code: str) -> str:
    """The code with its last character replaced by another of the alphabet."""
    other = "A" if code[-1] != "A" else "B"
    return code[:-1] + other


# --- Codes -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ABCDEFGHJK", "ABCDEFGHJK"),
        ("abcdefghjk", "ABCDEFGHJK"),
        ("  ABCD EFGH JK ", "ABCDEFGHJK"),
        ("ABCDE-FGHJK", "ABCDEFGHJK"),
        ("AB2345\tMNPQ", "AB2345MNPQ"),
    ],
)
def test_code_is_normalised_by_dropping_spaces_and_upper_casing(raw, expected):
    assert verification.normalize_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "ABCDEFGHJ",  # too short
        "ABCDEFGHJKM",  # too long
        "ABCDEFGHJ0",  # 0 is not in the alphabet (look-alike of O)
        "ABCDEFGHJI",  # nor is I
        "ABCDÉFGHJK",  # a letter with a diacritic
        "ABCDE/FGHJ",
        "<script>A1",
        "ABCDEFGHJK'; DROP TABLE",
        "A" * 1000,
        "ＡＢＣＤＥＦＧＨＪＫ",  # full-width letters
    ],
)
def test_anything_not_in_the_code_alphabet_is_no_code(raw):
    assert verification.normalize_code(raw) is None


# --- Lookup ------------------------------------------------------------------------------------------------------


def test_lookup_gives_the_public_facts_of_a_document(document, chi_bo):
    document.number = "12-BB/CB"
    document.save()
    found = verification.document_lookup(document.verification_code.lower())
    assert found.code == document.verification_code
    assert found.issuer == "CHI BỘ PHÒNG NGHIỆP VỤ Y"
    assert found.form_label == "Mẫu 1 – Bản đăng ký mô hình của tổ chức đảng"
    assert found.number == "12-BB/CB"
    assert found.issued_on == document.issued_on
    assert found.subject == TITLE
    assert found.is_locked is False


def test_lookup_result_carries_no_snapshot_or_private_field(document):
    found = verification.document_lookup(document.verification_code)
    names = {f.name for f in dataclasses.fields(found)}
    assert names == {
        "code", "issuer", "form_label", "number", "issued_on", "subject", "is_locked", "locked_at", "replaced_by_code",
        "replaced_at",
        # Who signed digitally and when: public, as a signature on paper is (issue 15).
        "sealed_by", "sealed_by_issuer", "sealed_at", "seal_is_test", "signed_by", "signed_by_issuer", "signed_at",
        "seal_problem", "signed_problem",
    }  # fmt: skip


def test_altered_code_finds_nothing(document):
    assert verification.document_lookup(altered(document.verification_code)) is None


def test_malformed_code_finds_nothing_without_a_query(document, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert verification.document_lookup(document.verification_code + "'--") is None


# --- Who may upload ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("secretary", True),
        ("chi_bo_approver", True),
        ("approver", True),
        ("khoi_approver", True),
        ("viewer", False),
        ("appraiser", False),
        ("outsider", False),
    ],
)
def test_editors_and_approvers_over_the_issuing_unit_may_upload_the_scan(request, document, persona, allowed):
    user = request.getfixturevalue(persona)
    assert permissions.can_upload_scan(user, document) is allowed


# --- Attaching the scan ------------------------------------------------------------------------------------------


def test_scan_upload_stores_the_file_and_locks_the_document(document, secretary):
    locked = verification.document_scan_attach(document=document, user=secretary, upload=upload("scan.pdf", PDF))
    stored = Document.objects.get(pk=document.pk)
    assert stored.locked_at is not None and stored.is_locked
    assert stored.scan.name.startswith("scans/")
    assert stored.scan.name.endswith(f"ban-ky-{document.verification_code.lower()}.pdf")
    assert stored.scan.read() == PDF
    assert locked.locked_at == stored.locked_at


@pytest.mark.parametrize(("name", "content"), [("scan.png", PNG), ("scan.jpg", JPEG)])
def test_scan_may_be_an_image(document, secretary, name, content):
    verification.document_scan_attach(document=document, user=secretary, upload=upload(name, content))
    assert Document.objects.get(pk=document.pk).is_locked


def test_second_scan_is_refused_and_the_first_stays(document, secretary):
    verification.document_scan_attach(document=document, user=secretary, upload=upload("scan.pdf", PDF))
    first = Document.objects.get(pk=document.pk)
    with pytest.raises(ValidationError) as error:
        verification.document_scan_attach(document=document, user=secretary, upload=upload("scan.png", PNG))
    assert error.value.messages == ["Văn bản đã khóa (đã có bản ký, đóng dấu); không thể tải lên bản khác."]
    again = Document.objects.get(pk=document.pk)
    assert (again.scan.name, again.locked_at) == (first.scan.name, first.locked_at)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bien-ban.doc", OLE2),  # allowed as evidence, not as a signed scan
        ("scan.pdf", PNG),  # content and extension disagree
        ("scan.exe", b"MZ\x90\x00" + b"\x00" * 100),
    ],
)
def test_scan_that_is_not_pdf_jpeg_or_png_is_refused(document, secretary, name, content, settings):
    with pytest.raises(ValidationError) as error:
        verification.document_scan_attach(document=document, user=secretary, upload=upload(name, content))
    assert error.value.messages == ["Bản đã ký chỉ nhận tệp PDF, JPEG hoặc PNG (tối đa 10 MB)."]
    stored = Document.objects.get(pk=document.pk)
    assert not stored.is_locked and not stored.scan
    assert not (settings.MEDIA_ROOT / "scans").exists()


def test_scan_over_10_mb_is_refused(document, secretary):
    with pytest.raises(ValidationError) as error:
        verification.document_scan_attach(
            document=document, user=secretary, upload=upload("scan.pdf", PDF + b"0" * (10 * 1024 * 1024))
        )
    assert error.value.code == "too_large"
    assert not Document.objects.get(pk=document.pk).is_locked


@pytest.mark.parametrize("persona", ["viewer", "outsider", "appraiser"])
def test_others_cannot_attach_a_scan(request, document, persona):
    with pytest.raises(PermissionDenied):
        verification.document_scan_attach(
            document=document, user=request.getfixturevalue(persona), upload=upload("scan.pdf", PDF)
        )
    assert not Document.objects.get(pk=document.pk).is_locked


def test_locked_document_reprints_what_was_signed_and_is_not_issued_again(reg, document, secretary):
    verification.document_scan_attach(document=document, user=secretary, upload=upload("scan.pdf", PDF))
    Registration.objects.filter(pk=reg.pk).update(title="Tên mới sau khi ký")
    with pytest.raises(ValidationError):
        issue_registration_form(reg, secretary)
    text = pdf_text(documents.pdf_bytes(Document.objects.get(pk=document.pk)))
    assert TITLE in text and "Tên mới sau khi ký" not in text
    assert Document.objects.get().subject == TITLE


def test_a_replaced_version_says_so_and_names_the_new_code(reg, document, secretary):
    newer = issue_registration_form(reg, secretary, signer_name="Phạm Văn Đức")
    found = verification.document_lookup(document.verification_code)
    assert found.replaced_by_code == newer.verification_code and found.replaced_at is not None
    assert verification.document_lookup(newer.verification_code).replaced_by_code == ""


def test_the_issuer_is_shown_as_printed_after_the_unit_is_renamed(document, chi_bo):
    type(chi_bo).objects.filter(pk=chi_bo.pk).update(name="Chi bộ Phòng Nghiệp vụ Dược")
    assert verification.document_lookup(document.verification_code).issuer == "CHI BỘ PHÒNG NGHIỆP VỤ Y"


def _attach_in_thread(document_id, user_id, name, content, barrier, outcomes):
    """Attach a scan in this thread's own connection once both threads are ready; record what happened."""
    try:
        user = get_user_model().objects.get(pk=user_id)
        document = Document.objects.select_related("issuing_unit").get(pk=document_id)
        barrier.wait(timeout=30)
        verification.document_scan_attach(document=document, user=user, upload=upload(name, content))
        outcomes[name] = "ok"
    except Exception as exc:  # the test asserts which exception it was
        outcomes[name] = exc
    finally:
        connection.close()


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks (SELECT … FOR UPDATE)")
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_on_postgresql_lock_the_document_once(reference_data, chi_bo, year, secretary, approver):
    document = issue_registration_form(RegistrationFactory(subject_unit=chi_bo, year=year), secretary)
    barrier, outcomes = threading.Barrier(2), {}
    threads = [
        threading.Thread(target=_attach_in_thread, args=(document.pk, secretary.pk, "a.pdf", PDF, barrier, outcomes)),
        threading.Thread(target=_attach_in_thread, args=(document.pk, approver.pk, "b.png", PNG, barrier, outcomes)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert list(outcomes.values()).count("ok") == 1, outcomes
    losers = [v for v in outcomes.values() if v != "ok"]
    assert len(losers) == 1 and isinstance(losers[0], ValidationError) and losers[0].code == "locked", outcomes
    winner = next(name for name, v in outcomes.items() if v == "ok")
    stored = Document.objects.get(pk=document.pk)
    assert stored.is_locked and stored.scan.name.endswith(winner.rpartition(".")[2])
