"""Documents: issued with a frozen snapshot, reprinted identically, refreshed while unlocked, never once locked."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry import documents
from registry.models import Document, Registration, SubjectKind, Unit
from registry.papers import registrations as pdf_context
from tests.factories import RegistrationFactory
from tests.pdf.utils import pdf_text


def _fresh(reg):
    return Registration.objects.select_related(*pdf_context.REGISTRATION_RELATED).get(pk=reg.pk)


@pytest.fixture
def reg(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo ở bộ phận một cửa")


def test_printing_a_registration_issues_a_document(reg, chi_bo, secretary):
    document = documents.registration_document(_fresh(reg), user=secretary)
    assert (document.form_code, document.issuing_unit, document.year) == ("mau_1", chi_bo, 2025)
    assert document.registration == reg and document.created_by == secretary
    assert document.issued_on == timezone.localdate()
    assert document.subject == "Dân vận khéo ở bộ phận một cửa"
    assert (document.signer_authority, document.signer_title, document.signer_name) == ("T/M CHI ỦY", "BÍ THƯ", "")
    assert len(document.verification_code) == 10


def test_member_form_is_issued_by_the_owning_chi_bo(member, chi_bo, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    document = documents.registration_document(_fresh(reg))
    assert document.form_code == "mau_2" and document.issuing_unit == chi_bo
    assert document.signer_title == "NGƯỜI ĐĂNG KÝ" and document.signer_name == "Nguyễn Thị Hoa"


def test_snapshot_is_plain_json_with_formatted_dates(reg):
    document = documents.registration_document(_fresh(reg))
    stored = Document.objects.get(pk=document.pk).snapshot
    assert json.loads(json.dumps(stored)) == stored
    section_9 = stored["sections"][8]
    assert section_9["items"][0]["lines"] == ["Từ ngày 01/03/2025 đến ngày 31/12/2025"]
    assert stored["header"]["issuer"] == "CHI BỘ PHÒNG NGHIỆP VỤ Y"


def test_reprint_from_the_snapshot_has_identical_text(reg):
    document = documents.registration_document(_fresh(reg))
    first = pdf_text(documents.document_render(document))
    second = pdf_text(documents.document_render(Document.objects.get(pk=document.pk)))
    assert first == second and "Dân vận khéo ở bộ phận một cửa" in first


def test_reprint_keeps_the_names_of_the_day_it_was_issued(reg, chi_bo):
    document = documents.registration_document(_fresh(reg))
    Registration.objects.filter(pk=reg.pk).update(title="Tên đã đổi sau khi in")
    Unit.objects.filter(pk=chi_bo.pk).update(name="Chi bộ Phòng Nghiệp vụ Dược")
    text = pdf_text(documents.document_render(Document.objects.get(pk=document.pk)))
    assert "Dân vận khéo ở bộ phận một cửa" in text and "CHI BỘ PHÒNG NGHIỆP VỤ Y" in text
    assert "Tên đã đổi" not in text and "DƯỢC" not in text


def test_printing_again_reuses_the_unlocked_document_with_new_content(reg):
    first = documents.registration_document(_fresh(reg))
    Registration.objects.filter(pk=reg.pk).update(title="Tên mới của mô hình")
    second = documents.registration_document(_fresh(reg))
    assert second.pk == first.pk and second.verification_code == first.verification_code
    assert Document.objects.count() == 1
    assert "Tên mới của mô hình" in pdf_text(documents.document_render(second))


def test_a_locked_document_is_never_regenerated(reg):
    locked = documents.registration_document(_fresh(reg))
    locked.locked_at = timezone.now()
    locked.save()
    before = pdf_text(documents.document_render(locked))
    Registration.objects.filter(pk=reg.pk).update(title="Tên sửa sau khi đã ký")
    newer = documents.registration_document(_fresh(reg))
    assert newer.pk != locked.pk
    locked.refresh_from_db()
    assert locked.snapshot["document_subject"] == "Dân vận khéo ở bộ phận một cửa"
    assert pdf_text(documents.document_render(locked)) == before
    assert "Tên sửa sau khi đã ký" in pdf_text(documents.document_render(newer))


def test_refreshing_a_locked_document_is_refused(reg):
    document = documents.registration_document(_fresh(reg))
    document.locked_at = timezone.now()
    document.save()
    with pytest.raises(ValidationError) as excinfo:
        documents.document_refresh(document, context={"document_subject": "khác"}, issuing_unit=document.issuing_unit)
    assert excinfo.value.messages == ["Văn bản đã khóa (đã có bản ký, đóng dấu), không thể thay đổi nội dung."]


def test_a_numbered_document_keeps_its_date_when_printed_again(reg):
    document = documents.registration_document(_fresh(reg))
    Document.objects.filter(pk=document.pk).update(number="12-ĐK/CB", issued_on=datetime.date(2025, 3, 2))
    again = documents.registration_document(_fresh(reg))
    assert (again.number, again.issued_on) == ("12-ĐK/CB", datetime.date(2025, 3, 2))
    assert "Thái Nguyên, ngày 02 tháng 3 năm 2025" in pdf_text(documents.document_render(again))


def test_issue_refuses_a_malformed_number(reg, chi_bo):
    context = pdf_context.registration_context(_fresh(reg))
    with pytest.raises(ValidationError) as excinfo:
        documents.document_issue(form_code="mau_1", issuing_unit=chi_bo, year=2025, context=context, number="12 BB")
    assert excinfo.value.message_dict["number"] == [
        "Số văn bản phải có dạng 12-BB/ĐU (văn bản Đảng) hoặc 05/ĐK-SYT (văn bản hành chính)."
    ]


def test_issue_refuses_a_number_already_used_by_the_unit_that_year(reg, chi_bo):
    context = pdf_context.registration_context(_fresh(reg))
    documents.document_issue(form_code="mau_1", issuing_unit=chi_bo, year=2025, context=context, number="12-ĐK/CB")
    with pytest.raises(ValidationError) as excinfo:
        documents.document_issue(form_code="mau_1", issuing_unit=chi_bo, year=2025, context=context, number="12-ĐK/CB")
    assert "Số văn bản này đơn vị đã dùng trong năm." in excinfo.value.messages


def test_filename_is_ascii_from_the_title(member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, title="Đảng viên “gần dân” ở khu dân cư"
    )
    document = documents.registration_document(_fresh(reg))
    assert documents.document_filename(document) == "mau-2-dang-vien-gan-dan-o-khu-dan-cu.pdf"


def test_dateline_without_a_place_starts_with_a_capital(reg, chi_bo, khoi, dang_bo):
    Unit.objects.filter(pk__in=[chi_bo.pk, dang_bo.pk, khoi.pk]).update(place_name="")
    document = documents.registration_document(_fresh(reg))
    document.issued_on = datetime.date(2025, 1, 9)
    assert documents.document_render_context(document)["document"]["dateline"] == "Ngày 09 tháng 1 năm 2025"


def test_reprint_follows_a_renamed_registrant_but_keeps_a_typed_signer(member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    document = documents.registration_document(_fresh(reg))
    Document.objects.filter(pk=document.pk).update(signer_title="NGƯỜI ĐĂNG KÝ MÔ HÌNH")
    type(member).objects.filter(pk=member.pk).update(full_name="Nguyễn Thị Hoà Bình")
    again = documents.registration_document(_fresh(reg))
    assert (again.signer_title, again.signer_name) == ("NGƯỜI ĐĂNG KÝ MÔ HÌNH", "Nguyễn Thị Hoà Bình")
