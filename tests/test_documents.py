"""Documents: issued once by a person with the act's date, a number and a signer; frozen bytes; new versions with new
codes; drafts that cannot be mistaken for a paper (forms.md §5)."""

import datetime
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry import documents
from registry.models import Document, Registration, SubjectKind, Unit
from registry.papers import catalogue
from tests.factories import RegistrationFactory
from tests.papers import issue_paper, issue_registration_form, submitted
from tests.pdf.utils import pdf_text

SUBMITTED_ON = datetime.date(2025, 3, 2)


@pytest.fixture
def reg(chi_bo, year):
    return submitted(RegistrationFactory(subject_unit=chi_bo, year=year, title="Dân vận khéo ở bộ phận một cửa"))


@pytest.fixture
def subject(reg, secretary):
    return catalogue.registration_subject(reg, secretary)


def test_issuing_a_registration_form_records_who_what_and_the_submission_date(subject, reg, chi_bo, secretary):
    document = issue_paper(subject, secretary, signer_name="Lê Thị Thu")
    assert (document.form_code, document.issuing_unit, document.year) == ("mau_1", chi_bo, 2025)
    assert document.registration == reg and document.created_by == secretary
    assert document.issued_on == SUBMITTED_ON
    assert document.subject == "Dân vận khéo ở bộ phận một cửa"
    assert (document.signer_authority, document.signer_title, document.signer_name) == (
        "T/M CHI ỦY",
        "BÍ THƯ",
        "Lê Thị Thu",
    )
    assert len(document.verification_code) == 10


def test_a_2025_registration_prints_its_submission_date_whenever_it_is_issued(subject):
    document = issue_paper(subject)
    assert "Thái Nguyên, ngày 02 tháng 3 năm 2025" in pdf_text(documents.pdf_bytes(document))


def test_signer_name_defaults_from_the_issuing_units_office_holder(subject, chi_bo):
    Unit.objects.filter(pk=chi_bo.pk).update(signer_name="Phạm Văn Đức")
    subject.issuer.refresh_from_db()
    assert documents.default_signer(subject)["name"] == "Phạm Văn Đức"


def test_member_form_is_issued_by_the_owning_chi_bo_and_signed_by_the_member(member, chi_bo, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    document = issue_registration_form(reg)
    assert document.form_code == "mau_2" and document.issuing_unit == chi_bo
    assert document.signer_title == "NGƯỜI ĐĂNG KÝ" and document.signer_name == "Nguyễn Thị Hoa"


def test_snapshot_is_plain_json_with_formatted_dates(subject):
    stored = Document.objects.get(pk=issue_paper(subject).pk).snapshot
    assert json.loads(json.dumps(stored)) == stored
    assert stored["sections"][8]["items"][0]["lines"] == ["Từ ngày 01/03/2025 đến ngày 31/12/2025"]
    assert stored["header"]["issuer"] == "CHI BỘ PHÒNG NGHIỆP VỤ Y"


def test_the_issued_pdf_is_stored_with_its_sha256(subject):
    document = issue_paper(subject)
    content = documents.pdf_bytes(Document.objects.get(pk=document.pk))
    assert content.startswith(b"%PDF") and hashlib.sha256(content).hexdigest() == document.sha256


def test_a_reprint_is_byte_identical_after_the_unit_and_the_model_are_renamed(subject, reg, chi_bo):
    document = issue_paper(subject)
    first = documents.pdf_bytes(document)
    Registration.objects.filter(pk=reg.pk).update(title="Tên đã đổi sau khi in")
    Unit.objects.filter(pk=chi_bo.pk).update(name="Chi bộ Phòng Nghiệp vụ Dược")
    assert documents.pdf_bytes(Document.objects.get(pk=document.pk)) == first


def test_issuing_again_makes_a_new_version_with_a_new_code_and_marks_the_old_one_replaced(subject):
    first = issue_paper(subject, signer_name="Lê Thị Thu")
    second = issue_paper(subject, signer_name="Phạm Văn Đức")
    first.refresh_from_db()
    assert second.verification_code != first.verification_code
    assert second.replaces == first and first.is_replaced and not second.is_replaced
    assert documents.current(subject) == second
    assert "Phạm Văn Đức" in pdf_text(documents.pdf_bytes(second))
    assert "Lê Thị Thu" in pdf_text(documents.pdf_bytes(first))


def test_a_new_version_may_keep_the_number_of_the_one_it_replaces(subject):
    issue_paper(subject, number="12-ĐK/CB")
    again = issue_paper(subject, number="12-ĐK/CB", signer_name="Phạm Văn Đức")
    assert again.number == "12-ĐK/CB"


def test_a_signed_document_is_never_issued_again(subject):
    document = issue_paper(subject)
    Document.objects.filter(pk=document.pk).update(locked_at=timezone.now())
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(subject, signer_name="Người khác")
    assert excinfo.value.messages == [documents.LOCKED]
    assert Document.objects.count() == 1


def test_a_second_issue_from_the_same_unissued_page_is_refused_and_names_the_first(subject):
    first = issue_paper(subject, in_force_seen=0)
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(subject, signer_name="Người khác", in_force_seen=0)
    assert excinfo.value.code == "changed" and first.verification_code in excinfo.value.messages[0]
    assert list(Document.objects.all()) == [first]


def test_an_issue_from_a_page_showing_the_version_in_force_replaces_it(subject):
    first = issue_paper(subject)
    second = issue_paper(subject, signer_name="Người khác", in_force_seen=first.pk)
    assert second.replaces == first


def test_a_date_after_today_is_refused_and_nothing_is_issued(subject):
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(subject, issued_on=timezone.localdate() + datetime.timedelta(days=1))
    assert excinfo.value.message_dict["issued_on"] == ["Ngày văn bản không được sau ngày hôm nay."]
    assert not Document.objects.exists()


def test_a_date_before_the_act_is_refused(subject):
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(subject, issued_on=SUBMITTED_ON - datetime.timedelta(days=1))
    assert "không được trước ngày gửi bản đăng ký (02/03/2025)" in excinfo.value.message_dict["issued_on"][0]


def test_a_date_outside_the_papers_year_is_refused(dang_bo, year, approver):
    listing = catalogue.subject_from("mau_3", {"don_vi": dang_bo.pk, "nam": 2025}, approver)
    with pytest.raises(ValidationError) as excinfo:
        catalogue.check_issue_date(listing, datetime.date(2024, 12, 30))
    assert "phải ghi ngày trong năm 2025" in excinfo.value.messages[0]


def test_an_empty_signer_name_is_refused(subject):
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(subject, signer_name="  ")
    assert excinfo.value.message_dict["signer_name"] == ["Vui lòng nhập họ tên người ký."]
    assert not Document.objects.exists()


def test_a_number_typed_as_digits_is_written_with_the_forms_kind_and_the_issuer(subject):
    assert issue_paper(subject, number="7").number == "7-ĐK/CB"


def test_a_malformed_number_is_refused(subject):
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(subject, number="12 BB")
    assert excinfo.value.message_dict["number"] == [
        "Số văn bản phải có dạng 12-BB/ĐU (văn bản Đảng) hoặc 05/ĐK-SYT (văn bản hành chính)."
    ]
    assert not Document.objects.exists()


def test_a_number_already_used_by_the_unit_that_year_is_refused(subject, chi_bo, year):
    issue_paper(subject, number="12-ĐK/CB")
    other = submitted(RegistrationFactory(subject_unit=chi_bo, year=year))
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(catalogue.registration_subject(other, subject.user), number="12-ĐK/CB")
    assert excinfo.value.message_dict["number"] == ["Số văn bản này đơn vị đã dùng trong năm."]
    assert Document.objects.count() == 1


def test_a_draft_registration_cannot_be_issued(chi_bo, year, secretary):
    draft = RegistrationFactory(subject_unit=chi_bo, year=year)
    with pytest.raises(ValidationError) as excinfo:
        issue_paper(catalogue.registration_subject(draft, secretary), secretary)
    assert "chưa được gửi" in excinfo.value.messages[0]


def test_a_user_without_a_role_over_the_issuer_may_not_issue(subject, viewer):
    with pytest.raises(PermissionDenied):
        issue_paper(subject, viewer)
    assert not Document.objects.exists()


def test_a_draft_says_so_and_carries_no_code(subject):
    text = pdf_text(documents.draft_pdf(subject))
    assert "BẢN NHÁP" in text and "Mã xác thực" not in text
    assert "ngày …… tháng …… năm ……" in text
    assert not Document.objects.exists()


def test_without_a_number_the_clerk_gets_the_blank_line_to_fill(subject):
    text = pdf_text(documents.pdf_bytes(issue_paper(subject)))
    assert "Số" in text and "-ĐK/CB" in text


def test_a_personal_form_prints_no_number_line(member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    document = issue_registration_form(reg)
    assert documents.render_context(document)["document"]["number_line"] == ""


def test_filename_is_ascii_from_the_title(member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, title="Đảng viên “gần dân” ở khu dân cư"
    )
    assert documents.filename(issue_registration_form(reg)) == "mau-2-dang-vien-gan-dan-o-khu-dan-cu.pdf"


def test_dateline_without_a_place_starts_with_a_capital(subject, chi_bo, khoi, dang_bo):
    Unit.objects.filter(pk__in=[chi_bo.pk, dang_bo.pk, khoi.pk]).update(place_name="")
    subject.issuer.refresh_from_db()
    document = issue_paper(subject)
    assert documents.render_context(document)["document"]["dateline"] == "Ngày 02 tháng 3 năm 2025"


def test_a_document_issued_before_bytes_were_stored_is_rendered_once_and_kept(subject):
    document = issue_paper(subject)
    Document.objects.filter(pk=document.pk).update(pdf="", sha256="")
    legacy = Document.objects.get(pk=document.pk)
    first = documents.pdf_bytes(legacy)
    stored = Document.objects.get(pk=document.pk)
    assert stored.pdf and stored.sha256 == hashlib.sha256(first).hexdigest()
    assert documents.pdf_bytes(stored) == first
