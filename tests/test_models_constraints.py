"""Named database constraints hold even when code bypasses forms (direct save, bulk_create, queryset.update), and
``full_clean()`` reports them with their Vietnamese message (Django 5.2 validates constraints in full_clean)."""

import datetime
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, transaction

from registry.models import (
    Appraisal,
    AppraisalScore,
    Attachment,
    Criterion,
    Document,
    Field,
    FormCode,
    FormText,
    Guidance,
    Meeting,
    MeetingEntry,
    Membership,
    Person,
    Purpose,
    Registration,
    Role,
    Status,
    StatusChange,
    SubjectGroup,
    SubjectKind,
    Unit,
    UnitKind,
    VotingMethod,
    Year,
    YearlyReview,
)
from tests.factories import MembershipFactory, PersonFactory, RegistrationFactory, UnitFactory, UserFactory, YearFactory

TEN_MB = 10 * 1024 * 1024


@contextmanager
def violates(constraint: str, *, sqlite_unique: str = ""):
    """Expect an IntegrityError from ``constraint``; SQLite names UNIQUE failures by their columns instead."""
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        yield
    expected = sqlite_unique if connection.vendor == "sqlite" and sqlite_unique else constraint
    assert expected in str(exc.value)


def constraint_messages(instance) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        instance.full_clean()
    return exc.value.message_dict.get(NON_FIELD_ERRORS, [])


@pytest.fixture
def registration(chi_bo, year):
    return RegistrationFactory(subject_kind=SubjectKind.PARTY_ORG, subject_unit=chi_bo, year=year)


@pytest.fixture
def member_registration(member, year):
    return RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)


@pytest.fixture
def meeting(dang_bo, year):
    return Meeting.objects.create(
        unit=dang_bo,
        body="Ban Thường vụ Đảng ủy Sở Y tế",
        year=year,
        purpose=Purpose.CONFIRM_MODEL,
        held_on=datetime.date(2025, 10, 15),
        place="Hội trường Sở Y tế",
        members_total=7,
        members_present=6,
        chair_name="Trần Văn Bình",
        secretary_name="Lê Thị Mai",
        voting_method=VotingMethod.SHOW_OF_HANDS,
    )


def make_document(unit: Unit, *, number: str, year: int = 2025) -> Document:
    return Document.objects.create(
        form_code=FormCode.MAU_5B,
        issuing_unit=unit,
        year=year,
        number=number,
        issued_on=datetime.date(year, 10, 20),
        subject="Quyết định xác nhận mô hình “Dân vận khéo”",
    )


# Units


def test_unit_kind_must_be_a_known_kind(khoi):
    with violates("registry_unit_kind_valid"):
        UnitFactory(parent=khoi, code="LA", name="Đơn vị lạ", kind="bogus")
    assert Unit.objects.filter(code="LA").count() == 0


def test_unit_khoi_cannot_hang_under_a_parent(khoi):
    with violates("registry_unit_khoi_is_root"):
        UnitFactory(parent=khoi, code="DUK-CON", name="Đảng bộ Khối con", kind=UnitKind.KHOI)


def test_unit_chi_bo_cannot_be_a_root(db):
    with violates("registry_unit_khoi_is_root"):
        UnitFactory(code="CB-GOC", name="Chi bộ không có cấp trên", kind=UnitKind.CHI_BO)
    assert not Unit.objects.exists()


def test_unit_code_is_unique(dang_bo, khoi):
    with violates("registry_unit_code", sqlite_unique="registry_unit.code"):
        UnitFactory(parent=khoi, code=dang_bo.code, name="Đảng bộ trùng mã", kind=UnitKind.DANG_BO_CO_SO)


# People and memberships


def test_party_member_without_chi_bo_is_refused(agency):
    with violates("registry_person_party_details_match_membership"):
        PersonFactory(work_unit=agency, is_party_member=True, party_cell=None)


def test_non_member_with_chi_bo_is_refused(agency, chi_bo):
    with violates("registry_person_party_details_match_membership"):
        PersonFactory(work_unit=agency, is_party_member=False, party_cell=chi_bo)


def test_non_member_with_party_join_date_is_refused_on_update(non_member):
    with violates("registry_person_party_details_match_membership"):
        Person.objects.filter(pk=non_member.pk).update(party_join_date=datetime.date(2010, 3, 3))


def test_person_full_clean_reports_missing_chi_bo_on_the_field_in_vietnamese(agency):
    # Person.clean() names the field, so full_clean() skips the constraint on it and shows the field message.
    person = Person(full_name="Phạm Văn Đức", work_unit=agency, is_party_member=True)
    with pytest.raises(ValidationError) as exc:
        person.full_clean()
    assert exc.value.message_dict == {"party_cell": ["Đảng viên phải có chi bộ sinh hoạt."]}


def test_membership_role_is_unique_per_user_and_unit(secretary, chi_bo):
    with violates(
        "registry_membership_unique_role_per_unit",
        sqlite_unique="registry_membership.user_id, registry_membership.unit_id, registry_membership.role",
    ):
        Membership.objects.bulk_create([Membership(user=secretary, unit=chi_bo, role=Role.EDITOR)])
    assert Membership.objects.filter(user=secretary).count() == 1


def test_membership_same_user_and_unit_may_hold_another_role(secretary, chi_bo):
    MembershipFactory(user=secretary, unit=chi_bo, role=Role.APPROVER)
    assert Membership.objects.filter(user=secretary, unit=chi_bo).count() == 2


def test_membership_full_clean_reports_duplicate_role_in_vietnamese(secretary, chi_bo):
    duplicate = Membership(user=secretary, unit=chi_bo, role=Role.EDITOR)
    assert constraint_messages(duplicate) == ["Tài khoản này đã có vai trò này tại đơn vị này."]


# Years


@pytest.mark.parametrize("value", [1999, 2101])
def test_year_outside_2000_to_2100_is_refused(db, value):
    with violates("registry_year_in_range"):
        YearFactory(year=value)


def test_year_review_deadline_before_registration_deadline_is_refused(db):
    with violates("registry_year_review_after_registration"):
        YearFactory(year=2026, review_deadline_khoi=datetime.date(2026, 3, 1))


def test_year_full_clean_reports_range_in_vietnamese(db):
    year = Year(year=1999, **Year.defaults_for(1999))
    assert constraint_messages(year) == ["Năm phải từ 2000 đến 2100."]


def test_year_full_clean_reports_deadline_order_on_the_field_in_vietnamese(db):
    year = Year(year=2026, **(Year.defaults_for(2026) | {"review_deadline_base": datetime.date(2026, 2, 1)}))
    year.guidance = Guidance.objects.get(code="29-hd-duk-2024")
    with pytest.raises(ValidationError) as exc:
        year.full_clean()
    assert exc.value.message_dict == {"review_deadline_base": ["Hạn rà soát cấp cơ sở phải sau hạn đăng ký cấp cơ sở."]}


# Criteria (seeded by migration 0002)


def test_criterion_number_is_unique_within_its_group(db):
    with violates(
        "registry_criterion_unique_number", sqlite_unique="registry_criterion.group, registry_criterion.number"
    ):
        Criterion.objects.create(group=SubjectGroup.COLLECTIVE, number=1, text="Tiêu chí trùng số", max_score=10)


@pytest.mark.parametrize("max_score", [0, 101])
def test_criterion_max_score_outside_1_to_100_is_refused(db, max_score):
    with violates("registry_criterion_max_score_range"):
        Criterion.objects.create(group=SubjectGroup.COLLECTIVE, number=9, text="Tiêu chí thử", max_score=max_score)


def test_criterion_full_clean_reports_duplicate_number_in_vietnamese(db):
    duplicate = Criterion(group=SubjectGroup.INDIVIDUAL, number=2, text="Tiêu chí trùng số", max_score=10)
    assert constraint_messages(duplicate) == ["Số thứ tự tiêu chí này đã có."]


def test_criterion_full_clean_reports_max_score_range_in_vietnamese(db):
    criterion = Criterion(group=SubjectGroup.INDIVIDUAL, number=9, text="Tiêu chí thử", max_score=0)
    assert constraint_messages(criterion) == ["Điểm tối đa phải từ 1 đến 100."]


# Registrations and evidence


def test_registration_status_cannot_be_set_to_an_unknown_value(registration):
    with violates("registry_registration_status_valid"):
        Registration.objects.filter(pk=registration.pk).update(status="bogus")
    registration.refresh_from_db()
    assert registration.status == Status.DRAFT


def test_collective_registration_without_subject_unit_is_refused(registration):
    with violates("registry_registration_subject_matches_kind"):
        Registration.objects.filter(pk=registration.pk).update(subject_unit=None)


def test_individual_registration_with_a_subject_unit_is_refused(member_registration, chi_bo):
    with violates("registry_registration_subject_matches_kind"):
        Registration.objects.filter(pk=member_registration.pk).update(subject_unit=chi_bo)


def test_registration_ending_before_it_starts_is_refused(chi_bo, year):
    with violates("registry_registration_dates_ordered"):
        RegistrationFactory(
            subject_unit=chi_bo,
            year=year,
            start_date=datetime.date(2025, 12, 31),
            end_date=datetime.date(2025, 3, 1),
        )
    assert not Registration.objects.exists()


def test_registration_full_clean_reports_date_order_in_vietnamese(registration):
    registration.end_date = datetime.date(2025, 1, 1)
    assert constraint_messages(registration) == ["Ngày kết thúc phải sau ngày bắt đầu."]


def test_registration_full_clean_reports_subject_mismatch_in_vietnamese(registration, member):
    registration.subject_person = member
    assert constraint_messages(registration) == [
        "Mô hình tập thể phải có tập thể đăng ký; mô hình cá nhân phải có cá nhân."
    ]


def test_attachment_over_10_mb_is_refused(registration):
    with violates("registry_attachment_max_10mb"):
        Attachment.objects.create(
            registration=registration,
            file="evidence/x.pdf",
            original_name="Biên bản.pdf",
            content_type="application/pdf",
            size=TEN_MB + 1,
        )


def test_attachment_of_exactly_10_mb_is_accepted(registration):
    Attachment.objects.create(
        registration=registration,
        file="evidence/x.pdf",
        original_name="Biên bản.pdf",
        content_type="application/pdf",
        size=TEN_MB,
    )
    assert registration.attachments.count() == 1


def test_attachment_full_clean_reports_size_in_vietnamese(registration):
    attachment = Attachment(
        registration=registration,
        file="evidence/x.pdf",
        original_name="Ảnh hoạt động.png",
        content_type="image/png",
        size=TEN_MB + 1,
    )
    assert constraint_messages(attachment) == ["Tệp không được lớn hơn 10 MB."]


def test_status_change_with_an_unknown_status_is_refused(registration, secretary):
    with violates("registry_statuschange_statuses_valid"):
        StatusChange.objects.bulk_create(
            [
                StatusChange(
                    registration=registration,
                    action="submit",
                    from_status=Status.DRAFT,
                    to_status="sent",
                    actor=secretary,
                )
            ]
        )
    assert not StatusChange.objects.exists()


# Meetings


def test_meeting_with_more_present_than_members_is_refused(meeting):
    with violates("registry_meeting_present_within_total"):
        Meeting.objects.filter(pk=meeting.pk).update(members_present=8)


def test_meeting_without_members_is_refused(meeting):
    with violates("registry_meeting_present_within_total"):
        Meeting.objects.filter(pk=meeting.pk).update(members_total=0, members_present=0)


def test_meeting_full_clean_reports_attendance_on_the_field_in_vietnamese(meeting):
    meeting.members_present = 8
    with pytest.raises(ValidationError) as exc:
        meeting.full_clean()
    assert exc.value.message_dict == {
        "members_present": ["Số thành viên có mặt không được lớn hơn tổng số thành viên."]
    }


def test_meeting_entry_is_recorded_once_per_registration(meeting, registration):
    MeetingEntry.objects.create(meeting=meeting, registration=registration, votes_for=6)
    with violates(
        "registry_meeting_entry_once",
        sqlite_unique="registry_meetingentry.meeting_id, registry_meetingentry.registration_id",
    ):
        MeetingEntry.objects.create(meeting=meeting, registration=registration, votes_for=5)
    assert MeetingEntry.objects.get().votes_for == 6


# Appraisal


def test_appraiser_scores_a_registration_once(registration, appraiser):
    Appraisal.objects.create(registration=registration, appraiser=appraiser)
    with violates(
        "registry_appraisal_once_per_appraiser",
        sqlite_unique="registry_appraisal.registration_id, registry_appraisal.appraiser_id",
    ):
        Appraisal.objects.create(registration=registration, appraiser=appraiser)


def test_two_appraisers_may_score_the_same_registration(registration, appraiser):
    Appraisal.objects.create(registration=registration, appraiser=appraiser)
    Appraisal.objects.create(registration=registration, appraiser=UserFactory(username="bantuyengiao2"))
    assert registration.appraisals.count() == 2


def test_appraisal_score_above_100_is_refused(registration, appraiser):
    appraisal = Appraisal.objects.create(registration=registration, appraiser=appraiser)
    criterion = Criterion.objects.get(group=SubjectGroup.COLLECTIVE, number=1)
    with violates("registry_score_max_100"):
        AppraisalScore.objects.create(appraisal=appraisal, criterion=criterion, met=True, score=101)


# Documents


def test_document_number_is_unique_per_unit_and_year(dang_bo):
    make_document(dang_bo, number="12-QĐ/ĐU")
    with violates(
        "registry_document_number_unique_per_unit_year",
        sqlite_unique="registry_document.issuing_unit_id, registry_document.year, registry_document.number",
    ):
        make_document(dang_bo, number="12-QĐ/ĐU")


def test_document_number_may_repeat_in_another_year(dang_bo):
    make_document(dang_bo, number="12-QĐ/ĐU", year=2024)
    make_document(dang_bo, number="12-QĐ/ĐU", year=2025)
    assert Document.objects.filter(number="12-QĐ/ĐU").count() == 2


def test_documents_without_number_do_not_clash(dang_bo):
    make_document(dang_bo, number="")
    make_document(dang_bo, number="")
    assert Document.objects.filter(issuing_unit=dang_bo, number="").count() == 2


def test_document_full_clean_reports_duplicate_number_in_vietnamese(dang_bo):
    make_document(dang_bo, number="12-QĐ/ĐU")
    duplicate = Document(
        form_code=FormCode.MAU_5B,
        issuing_unit=dang_bo,
        year=2025,
        number="12-QĐ/ĐU",
        issued_on=datetime.date(2025, 11, 2),
        subject="Quyết định xác nhận mô hình “Dân vận khéo”",
    )
    assert constraint_messages(duplicate) == ["Số văn bản này đơn vị đã dùng trong năm."]


# Yearly reviews


def test_registration_is_reviewed_once_per_year(registration, year):
    YearlyReview.objects.create(registration=registration, year=year, results="Giảm 30% hồ sơ trễ hạn.")
    with violates(
        "registry_review_once_per_year",
        sqlite_unique="registry_yearlyreview.registration_id, registry_yearlyreview.year_id",
    ):
        YearlyReview.objects.create(registration=registration, year=year, results="Lần hai.")


def test_yearly_review_full_clean_reports_duplicate_in_vietnamese(registration, year):
    YearlyReview.objects.create(registration=registration, year=year, results="Giảm 30% hồ sơ trễ hạn.")
    duplicate = YearlyReview(registration=registration, year=year, results="Lần hai.")
    assert constraint_messages(duplicate) == ["Mô hình này đã được rà soát trong năm này."]


# Reference data seeded by migration 0002 (guidance 29-HD/ĐUK)

GUIDANCE = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "huong-dan-29-HD-DUK-thai-nguyen-2024.txt"


def one_line(text: str) -> str:
    # The guidance text wraps lines mid-sentence; compare words, not line breaks.
    return " ".join(text.split())


def test_seed_has_the_four_fields_of_the_guidance_in_order(db):
    assert list(Field.objects.values_list("name", flat=True)) == [
        "Xây dựng Đảng và hệ thống chính trị",
        "Phát triển kinh tế",
        "Văn hóa - xã hội",
        "Quốc phòng - an ninh",
    ]


def test_seed_has_five_collective_and_three_individual_criteria_numbered_from_one(db):
    assert list(Criterion.objects.filter(group=SubjectGroup.COLLECTIVE).values_list("number", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert list(Criterion.objects.filter(group=SubjectGroup.INDIVIDUAL).values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.parametrize("group", [SubjectGroup.COLLECTIVE, SubjectGroup.INDIVIDUAL])
def test_seed_max_scores_of_each_group_total_100(db, group):
    assert sum(Criterion.objects.filter(group=group).values_list("max_score", flat=True)) == 100


@pytest.mark.skipif(not GUIDANCE.exists(), reason="the guidance text lives outside the repository")
def test_seed_criteria_are_verbatim_from_the_guidance(db):
    guidance = one_line(GUIDANCE.read_text(encoding="utf-8"))
    for criterion in Criterion.objects.all():
        assert unicodedata.is_normalized("NFC", criterion.text)
        assert f"({criterion.number}) {criterion.text}" in guidance, criterion


def test_seed_collective_criterion_5_reads_as_in_the_guidance(db):
    criterion = Criterion.objects.get(group=SubjectGroup.COLLECTIVE, number=5)
    assert criterion.text == "Được tổ chức, cơ quan có thẩm quyền (Đảng ủy Khối; đảng ủy cơ sở, chi bộ) xác nhận."


def test_seed_individual_criterion_2_reads_as_in_the_guidance(db):
    criterion = Criterion.objects.get(group=SubjectGroup.INDIVIDUAL, number=2)
    assert criterion.text == (
        "Có ý tưởng hay, cách làm sáng tạo, tham mưu được những giải pháp đúng đắn cho cấp ủy đảng, chính quyền để "
        "giải quyết những vấn đề bức xúc trong Nhân dân kịp thời, hiệu quả;"
    )


def test_form_text_for_mau_2_has_its_title_subject_and_own_commitment(db):
    texts = FormText.for_form("mau_2")
    assert texts["title"] == "BẢN ĐĂNG KÝ"
    assert texts["subject"].format(year=2025) == "xây dựng mô hình “Dân vận khéo” năm 2025"
    assert texts["commitment"] == (
        "Tôi cam kết thực hiện nghiêm túc nội dung đã đăng ký, định kỳ báo cáo kết quả xây dựng mô hình "
        "“Dân vận khéo” với chi bộ."
    )
    assert texts["party_national"] == "ĐẢNG CỘNG SẢN VIỆT NAM"


def test_form_text_for_mau_1_falls_back_to_the_shared_commitment(db):
    assert FormText.for_form("mau_1")["commitment"].startswith("Chúng tôi cam kết thực hiện nghiêm túc")
