"""Mẫu 4, Mẫu 5 and Mẫu 6 as PDFs: fonts embedded, Vietnamese text extractable, signatures and documents."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry import documents, reviews
from registry.models import Document, OwnerReportKind, Proposal, Registration, Status, SubjectKind
from registry.papers import catalogue
from tests.factories import RegistrationFactory, YearFactory
from tests.papers import issue_paper, issue_unit_paper
from tests.pdf.utils import pdf_fonts, pdf_text, save_pngs


def _review(reg, year, user, proposal=Proposal.CONTINUE, results="Giải quyết 100% hồ sơ đúng hạn, không để tồn đọng."):
    return reviews.review_save(
        registration=reg, year=year, reviewer=user, results=results, proposal=proposal,
        assessments={c.pk: c.number != 2 for c in reviews.criteria_for(reg)}, note="Tiếp tục nhân rộng",
    )  # fmt: skip


def _report(reg, kind, year, user):
    return reviews.owner_report_save(
        registration=reg, kind=kind, year=year, author=user,
        data={
            "summary": "Tập thể gồm 25 đảng viên, hoạt động trong lĩnh vực y tế.",
            "results": "Rút ngắn thời gian tiếp nhận hồ sơ; người bệnh hài lòng đạt 95%.",
            "lessons": "Cấp ủy sâu sát, đảng viên gương mẫu.",
            "proposal": "Đề nghị Đảng ủy xem xét, xác nhận.",
        },
        assessments={c.pk: (True, f"Minh chứng số {c.number}") for c in reviews.criteria_for(reg)},
    )  # fmt: skip


def _narrative(unit, year):
    reviews.unit_report_save(
        unit=unit,
        year=year,
        data={
            "leadership": "Chi ủy ban hành Kế hoạch số 05-KH/CB.",
            "limitations": "Một số đảng viên chưa tích cực.",
            "directions": "Tiếp tục nhân rộng mô hình.",
        },
    )


def _issue_report(reg, kind, year, user):
    return issue_paper(catalogue.subject_from(kind, {"mo_hinh": reg.pk, "nam": year.year}, user), user)


@pytest.fixture
def reg(chi_bo, year):
    return RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo trong khám chữa bệnh"
    )


def _assert_fonts_embedded(pdf):
    # pdffonts: name (subset prefix + PostScript name), type…, then emb sub uni and the object id.
    rows = [line.split() for line in pdf_fonts(pdf).splitlines()[2:] if line.strip()]
    assert rows
    assert {row[0].split("+")[-1] for row in rows} <= {
        "Liberation-Serif", "Liberation-Serif-Bold", "Liberation-Serif-Italic", "Liberation-Serif-Bold-Italic"
    }  # fmt: skip
    assert all(row[-5] == "yes" for row in rows)  # emb


def test_mau_4_pdf_prints_sections_numbers_table_and_signature(client, secretary, reg, chi_bo, member, year):
    individual = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=YearFactory(year=2024), status=Status.CONFIRMED,
        title="Đảng viên gương mẫu nơi cư trú",
    )  # fmt: skip
    _review(reg, year, secretary, proposal=Proposal.CONFIRM)
    _review(individual, year, secretary, proposal=Proposal.EXEMPLAR)
    _narrative(chi_bo, year)
    client.force_login(secretary)
    issue_unit_paper("mau_4", chi_bo, year, secretary)

    response = client.get(reverse("registry:review-pdf"), {"don_vi": chi_bo.pk, "nam": 2025})

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = response.content
    save_pngs(pdf, "mau_4")
    _assert_fonts_embedded(pdf)
    text = " ".join(pdf_text(pdf).split())
    for phrase in (
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "CHI BỘ PHÒNG NGHIỆP VỤ Y",
        "BÁO CÁO",
        "kết quả rà soát, đánh giá mô hình “Dân vận khéo” năm 2025",
        "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI",
        "Chi ủy ban hành Kế hoạch số 05-KH/CB.",
        "Tổng số mô hình thuộc diện rà soát: 2 mô hình (1 tập thể, 1 cá nhân).",
        "Mô hình mới đăng ký trong năm: 1; mô hình duy trì từ các năm trước: 1.",
        "Dân vận khéo trong khám chữa bệnh",
        "Đảng viên gương mẫu nơi cư trú",
        "Đạt 2/3 tiêu chí",
        "III. HẠN CHẾ, NGUYÊN NHÂN",
        "Đề nghị xác nhận điển hình: 1 (“Đảng viên gương mẫu nơi cư trú”).",
        "T/M CHI ỦY",
        "BÍ THƯ",
        "- Ban Tuyên giáo Đảng ủy Khối,",
        "- Lưu chi bộ.",
    ):
        assert phrase in text, phrase
    document = Document.objects.get()
    assert (document.form_code, document.issuing_unit, document.year, document.registration) == (
        "mau_4",
        chi_bo,
        2025,
        None,
    )
    assert response["Content-Disposition"] == 'attachment; filename="mau-4-chi-bo-phong-nghiep-vu-y-2025.pdf"'


def test_mau_4_is_not_issued_while_its_narrative_is_missing(secretary, reg, chi_bo, year):
    reviews.unit_report_save(unit=chi_bo, year=year, data={"leadership": "Chi ủy ban hành Kế hoạch số 05-KH/CB."})
    with pytest.raises(ValidationError) as excinfo:
        issue_unit_paper("mau_4", chi_bo, year, secretary)
    assert "Báo cáo rà soát chưa đủ nội dung" in excinfo.value.messages[0]
    assert not Document.objects.exists()


def test_issuing_mau_4_again_takes_the_reviews_written_since(secretary, reg, chi_bo, year):
    _narrative(chi_bo, year)
    issue_unit_paper("mau_4", chi_bo, year, secretary)
    _review(reg, year, secretary)
    document = issue_unit_paper("mau_4", chi_bo, year, secretary, signer_name="Lê Thị Thu")
    assert document.snapshot["rows"][0]["assessment"] == "Đạt 4/5 tiêu chí"
    assert Document.objects.filter(replaced_at__isnull=True).get() == document


def test_mau_4_reprint_keeps_the_old_title(secretary, reg, chi_bo, year):
    _narrative(chi_bo, year)
    document = issue_unit_paper("mau_4", chi_bo, year, secretary)
    Registration.objects.filter(pk=reg.pk).update(title="Tên mới sau khi in")
    text = " ".join(pdf_text(documents.pdf_bytes(Document.objects.get(pk=document.pk))).split())
    assert "Dân vận khéo trong khám chữa bệnh" in text
    assert "Tên mới sau khi in" not in text


def test_mau_5_of_a_party_organisation_is_signed_by_its_committee(client, secretary, reg, year):
    _report(reg, OwnerReportKind.RESULTS, year, secretary)
    _issue_report(reg, "mau_5", year, secretary)
    client.force_login(secretary)

    response = client.get(reverse("registry:owner-report-pdf", args=[reg.pk, "mau-5"]))

    pdf = response.content
    save_pngs(pdf, "mau_5")
    _assert_fonts_embedded(pdf)
    text = " ".join(pdf_text(pdf).split())
    for phrase in (
        "kết quả thực hiện mô hình “Dân vận khéo” năm 2025 (đề nghị xác nhận)",
        "Kính gửi: Đảng ủy Sở Y tế",
        "III. TỰ ĐÁNH GIÁ THEO TIÊU CHÍ",
        "Minh chứng số 3",
        "Tự đánh giá: đạt 5/5 tiêu chí.",
        "Rút ngắn thời gian tiếp nhận hồ sơ; người bệnh hài lòng đạt 95%.",
        "T/M CHI ỦY",
    ):
        assert phrase in text, phrase
    assert "XÁC NHẬN CỦA CẤP ỦY" not in text
    document = Document.objects.get()
    assert (document.form_code, document.registration, document.year) == ("mau_5", reg, 2025)


def test_mau_6_of_an_individual_is_signed_by_the_person_and_confirmed_by_the_committee(client, secretary, member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.EXEMPLAR_BASE,
        title="Nữ đảng viên tận tụy với người bệnh",
    )  # fmt: skip
    _report(reg, OwnerReportKind.ACHIEVEMENTS, year, secretary)
    _issue_report(reg, "mau_6", year, secretary)
    client.force_login(secretary)

    response = client.get(reverse("registry:owner-report-pdf", args=[reg.pk, "mau-6"]), {"nam": 2025})

    pdf = response.content
    save_pngs(pdf, "mau_6")
    _assert_fonts_embedded(pdf)
    text = " ".join(pdf_text(pdf).split())
    for phrase in (
        "BÁO CÁO THÀNH TÍCH",
        "điển hình “Dân vận khéo” năm 2025 (cá nhân)",
        "I. SƠ LƯỢC LÝ LỊCH CÁ NHÂN",
        "Họ và tên: Nguyễn Thị Hoa",
        "II. THÀNH TÍCH ĐẠT ĐƯỢC",
        "III. ĐỀ NGHỊ",
        "XÁC NHẬN CỦA CẤP ỦY",
        "NGƯỜI BÁO CÁO",
        "Nguyễn Thị Hoa",
    ):
        assert phrase in text, phrase


def test_owner_reports_of_two_years_are_two_documents(secretary, reg, year):
    old_year = YearFactory(year=2024, is_open=False)
    _report(reg, "mau_5", old_year, secretary)
    _report(reg, "mau_5", year, secretary)
    first = _issue_report(reg, "mau_5", old_year, secretary)
    second = _issue_report(reg, "mau_5", year, secretary)
    assert first.pk != second.pk
    assert sorted(Document.objects.values_list("year", flat=True)) == [2024, 2025]
