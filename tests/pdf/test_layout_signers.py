"""Who decides and who signs, as a clerk reads it (issue #11): a chi bộ decides as a chi bộ and has no Văn
phòng; a Công đoàn or an Đoàn thanh niên is not a "thủ trưởng cơ quan"; State forms have a Nơi nhận."""

import pytest

from registry import documents
from registry.models import FormText, Registration, Status, SubjectKind, UnitKind
from registry.papers import catalogue
from registry.papers import registrations as papers
from tests.factories import MembershipFactory, RegistrationFactory, UnitFactory, UserFactory
from tests.pdf.utils import pdf_text, save_pngs
from tests.test_meetings import make_meeting


def flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


@pytest.fixture
def chi_bo_decision(chi_bo_approver, chi_bo, member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    meeting = make_meeting(chi_bo_approver, chi_bo, year, [(reg, 5, 0)], members_total=5, members_present=5)
    pdf = documents.draft_pdf(catalogue.meeting_subjects(meeting, chi_bo_approver)[1])
    save_pngs(pdf, "layout-chi-bo-decision")
    return flat(pdf)


def test_a_chi_bo_decides_as_the_chi_bo(chi_bo_decision):
    assert "CHI BỘ PHÒNG NGHIỆP VỤ Y QUYẾT ĐỊNH" in chi_bo_decision
    assert "TẬP THỂ CẤP ỦY" not in chi_bo_decision
    assert "T/M CHI BỘ" in chi_bo_decision


def test_a_chi_bo_decision_gives_no_task_to_a_van_phong(chi_bo_decision):
    article_3 = chi_bo_decision[chi_bo_decision.index("Điều 3.") : chi_bo_decision.index("Nơi nhận")]
    assert "Quyết định có hiệu lực kể từ ngày ký." in article_3
    assert "Văn phòng" not in chi_bo_decision
    assert "- Lưu chi bộ." in chi_bo_decision


def _mass_registration(parent, name, year):
    unit = UnitFactory(parent=parent, code=f"X-{name[:6]}", name=name, kind=UnitKind.DOAN_THE, abbreviation="CĐ")
    return RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=unit, year=year, status=Status.SUBMITTED)


def _print(reg) -> str:
    user = UserFactory()
    MembershipFactory(user=user, unit=reg.receiving_unit, role="approver")
    reg = Registration.objects.select_related(*papers.REGISTRATION_RELATED).get(pk=reg.pk)
    pdf = documents.draft_pdf(catalogue.registration_subject(reg, user))
    save_pngs(pdf, f"layout-signer-{reg.form_code}-{reg.pk}")
    return flat(pdf)


def test_a_cong_doan_signs_for_its_executive_committee_as_chairman(agency, year):
    text = _print(_mass_registration(agency, "Công đoàn Sở Giáo dục và Đào tạo", year))
    assert "TM. BAN CHẤP HÀNH CHỦ TỊCH" in text
    assert "THỦ TRƯỞNG CƠ QUAN" not in text


def test_an_doan_thanh_nien_signs_as_its_secretary(agency, year):
    text = _print(_mass_registration(agency, "Đoàn Thanh niên Sở Y tế", year))
    assert "TM. BAN CHẤP HÀNH BÍ THƯ" in text
    assert "THỦ TRƯỞNG CƠ QUAN" not in text


def test_the_mass_organisations_titles_are_wording_an_admin_may_change(agency, year):
    FormText.objects.create(form_code="*", key="signer_cong_doan_title", text="CHỦ TỊCH CÔNG ĐOÀN")
    text = _print(_mass_registration(agency, "Công đoàn Sở Y tế", year))
    assert "TM. BAN CHẤP HÀNH CHỦ TỊCH CÔNG ĐOÀN" in text


def test_an_agency_is_still_signed_by_its_head(agency, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.SUBMITTED)
    assert "THỦ TRƯỞNG CƠ QUAN" in _print(reg)


def test_mau_1a_has_a_noi_nhan(agency, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.SUBMITTED)
    assert "Nơi nhận: - Như trên, - Lưu: VT." in _print(reg)


def test_mau_2a_has_a_noi_nhan(non_member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.NON_MEMBER, subject_person=non_member, year=year, status=Status.SUBMITTED
    )
    assert "Nơi nhận: - Như trên, - Lưu: VT." in _print(reg)
