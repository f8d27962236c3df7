"""Minutes (Mẫu 5a, 6a), decisions with their attached list (5b, 6b, 7b) and the Mẫu 6b list to the Khối: fonts
embedded, Vietnamese text extractable, the wording of forms.md, reprints identical to the issued document, and drafts
that say so."""

import pytest
from django.urls import reverse

from registry import meetings, proposals
from registry.models import Document, Purpose, Status, SubjectKind, Unit
from tests.factories import RegistrationFactory
from tests.papers import issue_paper
from tests.pdf.utils import pdf_fonts, pdf_text, save_pngs
from tests.test_meetings import issue_decision, make_meeting, minutes_of
from tests.test_proposals import list_of, sent


def flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


@pytest.fixture
def recorded(approver, dang_bo, chi_bo, agency, year):
    passed = RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở bộ phận một cửa"
    )
    failed = RegistrationFactory(
        subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.ACTIVE, title="Tổ tự quản"
    )
    meeting = make_meeting(approver, dang_bo, year, [(passed, 5, 1), (failed, 2, 4)])
    meetings.meeting_record(meeting, actor=approver)
    issue_paper(minutes_of(meeting), approver, number="05-BB/ĐU")
    issue_decision(meeting, approver, number="12-QĐ/ĐU", signer_name="Phạm Văn Đức")
    return meeting


def test_minutes_print_facts_votes_and_both_signatures(client, approver, recorded):
    client.force_login(approver)
    response = client.get(reverse("registry:meeting-minutes-pdf", args=[recorded.pk]))
    pdf = response.content
    save_pngs(pdf, "mau_5a")
    text = flat(pdf)
    assert response["Content-Type"] == "application/pdf"
    for phrase in (
        "ĐẢNG ỦY SỞ Y TẾ",
        "Số 05-BB/ĐU",
        "ngày 10 tháng 10 năm 2025",
        "BIÊN BẢN",
        "họp xét, xác nhận mô hình “Dân vận khéo” năm 2025",
        "Thời gian: …… giờ …… phút, ngày 10/10/2025.",
        "Địa điểm: Phòng họp tầng 2, Sở Y tế.",
        "Tổng số thành viên: 07; có mặt: 06; vắng: 01 (đồng chí Lê Văn C đi công tác)",
        "Chủ trì: đồng chí Nguyễn Văn An.",
        "Hình thức biểu quyết: Giơ tay.",
        "5 (71,4%)",
        "Không đạt",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Thị Bích",
    ):
        assert phrase in text, phrase
    assert "Liberation-Serif" in pdf_fonts(pdf)


def test_decision_prints_basis_articles_signature_and_only_passed_entries(client, approver, recorded):
    client.force_login(approver)
    pdf = client.get(reverse("registry:meeting-decision-pdf", args=[recorded.pk])).content
    save_pngs(pdf, "mau_5b")
    text = flat(pdf)
    for phrase in (
        "Số 12-QĐ/ĐU",
        "QUYẾT ĐỊNH",
        "xác nhận mô hình “Dân vận khéo” năm 2025",
        "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;",
        "Căn cứ Hướng dẫn số 29-HD/ĐUK",
        "Căn cứ Biên bản họp xét ngày 10/10/2025 của Ban Thường vụ Đảng ủy Sở Y tế;",
        "BAN THƯỜNG VỤ ĐẢNG ỦY SỞ Y TẾ QUYẾT ĐỊNH",
        "Điều 1. Xác nhận 1 mô hình “Dân vận khéo” năm 2025 (có danh sách kèm theo).",
        "Điều 2.",
        "Điều 3.",
        "Nơi nhận:",
        "T/M BAN THƯỜNG VỤ",
        "Phạm Văn Đức",
        "DANH SÁCH",
        "Kèm theo Quyết định số 12-QĐ/ĐU, ngày 12/10/2025 của Ban Thường vụ Đảng ủy Sở Y tế",
        "Dân vận khéo ở bộ phận một cửa",
    ):
        assert phrase in text, phrase
    assert "Tổ tự quản" not in text


def test_a_reprint_is_byte_identical_to_the_issued_decision_after_the_unit_is_renamed(client, approver, recorded):
    client.force_login(approver)
    url = reverse("registry:meeting-decision-pdf", args=[recorded.pk])
    first = client.get(url).content
    Unit.objects.filter(pk=recorded.unit_id).update(name="Đảng bộ Sở Y tế và Dân số")
    assert client.get(url).content == first


def test_the_draft_of_an_unrecorded_meetings_decision_is_marked_and_has_no_code(
    client, approver, dang_bo, chi_bo, year
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    meeting = make_meeting(approver, dang_bo, year, [(reg, 5, 1)])
    client.force_login(approver)
    text = flat(client.get(f"{reverse('registry:document-draft', args=['mau_5b'])}?hop={meeting.pk}").content)
    assert "BẢN NHÁP" in text
    assert "Mã xác thực" not in text
    assert "ngày …… tháng …… năm ……" in text
    assert not Document.objects.exists()


def test_khoi_decision_is_signed_for_the_standing_committee(client, khoi_approver, khoi, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED, title="Điển hình cấp Khối")
    meeting = make_meeting(
        khoi_approver, khoi, year, [(reg, 9, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI, members_total=11,
        members_present=9,
    )  # fmt: skip
    meetings.meeting_record(meeting, actor=khoi_approver)
    issue_paper(minutes_of(meeting), khoi_approver)
    issue_decision(meeting, khoi_approver, number="45-QĐ/ĐUK")
    client.force_login(khoi_approver)
    decision = client.get(reverse("registry:meeting-decision-pdf", args=[meeting.pk])).content
    minutes = client.get(reverse("registry:meeting-minutes-pdf", args=[meeting.pk])).content
    save_pngs(decision, "mau_7b")
    text = flat(decision)
    assert "xác nhận điển hình “Dân vận khéo” cấp Đảng bộ Khối năm 2025" in text
    assert "BAN THƯỜNG VỤ ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH QUYẾT ĐỊNH" in text
    assert "T/M BAN THƯỜNG VỤ" in text
    assert "Xét đề nghị của Ban Tuyên giáo Đảng ủy Khối," in text
    minutes_text = flat(minutes)
    assert "họp xét, xác nhận điển hình “Dân vận khéo” cấp Đảng bộ Khối năm 2025" in minutes_text
    assert "Mã xác thực" in minutes_text


def test_proposal_list_prints_addressee_table_and_signature(client, approver, dang_bo, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE, title="Ba cùng với dân")
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[reg])
    issue_paper(list_of(sent(proposal, approver)), approver, number="15", signer_name="Phạm Văn Đức")
    client.force_login(approver)
    pdf = client.get(reverse("registry:proposal-pdf", args=[proposal.pk])).content
    save_pngs(pdf, "mau_6b_list")
    text = flat(pdf)
    for phrase in (
        "Số 15-DS/ĐU",
        "DANH SÁCH",
        "đề nghị xác nhận điển hình “Dân vận khéo” cấp Đảng bộ Khối năm 2025",
        "Kính gửi: Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh (qua Ban Tuyên giáo)",
        "Tên điển hình",
        "Ba cùng với dân",
        "Chi bộ Phòng Nghiệp vụ Y",
        "Tổng số: 01 điển hình (01 tập thể).",
        "T/M ĐẢNG ỦY",
        "BÍ THƯ",
        "Phạm Văn Đức",
    ):
        assert phrase in text, phrase
    assert "Mã xác thực" in text


def test_fonts_are_embedded_in_meeting_forms(client, approver, recorded):
    client.force_login(approver)
    pdf = client.get(reverse("registry:meeting-minutes-pdf", args=[recorded.pk])).content
    lines = pdf_fonts(pdf).splitlines()[2:]
    assert lines and all(line.split()[-5] == "yes" for line in lines), lines
