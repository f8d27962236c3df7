"""Printing views: who may download which PDF / .xlsx, and how bad parameters are answered (never a 500)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registry import documents
from registry.models import Document, Status, SubjectKind
from registry.papers import catalogue
from tests.factories import RegistrationFactory, YearFactory
from tests.papers import issue_paper, issue_registration_form
from tests.pdf.utils import pdf_text


@pytest.fixture
def reg(chi_bo, year):
    return RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình “Dân vận khéo” số một"
    )


@pytest.fixture
def other_reg(other_chi_bo, year):
    return RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE, title="Mô hình Sở Tài chính")


def _mau3(name, **params):
    return reverse(f"registry:{name}"), params


# --- registration-pdf -----------------------------------------------------------------------------------------


def test_secretary_downloads_the_issued_registration_form_as_an_attachment(client, secretary, reg):
    document = issue_registration_form(reg, secretary)
    client.force_login(secretary)
    response = client.get(reverse("registry:registration-pdf", args=[reg.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="mau-1-mo-hinh-dan-van-kheo-so-mot.pdf"'
    assert response.content == documents.pdf_bytes(document)
    assert "Mô hình “Dân vận khéo” số một" in pdf_text(response.content)


def test_printing_a_registration_not_yet_issued_leads_to_its_issue_page_and_issues_nothing(client, secretary, reg):
    client.force_login(secretary)
    response = client.get(reverse("registry:registration-pdf", args=[reg.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('registry:document-issue', args=['mau_1'])}?mo_hinh={reg.pk}"
    assert not Document.objects.exists()


def test_outsider_gets_404_for_another_branchs_registration_pdf(client, outsider, reg):
    client.force_login(outsider)
    response = client.get(reverse("registry:registration-pdf", args=[reg.pk]))
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_anonymous_user_is_sent_to_login_for_a_pdf(client, reg):
    response = client.get(reverse("registry:registration-pdf", args=[reg.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_registration_pdf_is_404(client, secretary):
    client.force_login(secretary)
    assert client.get(reverse("registry:registration-pdf", args=[999999])).status_code == 404


# --- document-pdf ---------------------------------------------------------------------------------------------


def test_viewer_reprints_an_issued_document(client, viewer, reg):
    document = issue_registration_form(reg)
    client.force_login(viewer)
    response = client.get(reverse("registry:document-pdf", args=[document.pk]))
    assert response.status_code == 200
    assert f"Mã xác thực: {document.verification_code}" in pdf_text(response.content)


def test_outsider_gets_404_for_another_branchs_document(client, outsider, reg):
    document = issue_registration_form(reg)
    client.force_login(outsider)
    assert client.get(reverse("registry:document-pdf", args=[document.pk])).status_code == 404


def test_outsider_gets_404_for_another_branchs_mau_3_document(client, outsider, approver, dang_bo, reg):
    document = issue_paper(catalogue.subject_from("mau_3", {"don_vi": dang_bo.pk, "nam": 2025}, approver), approver)
    client.force_login(outsider)
    assert client.get(reverse("registry:document-pdf", args=[document.pk])).status_code == 404
    client.force_login(approver)
    assert client.get(reverse("registry:document-pdf", args=[document.pk])).status_code == 200


# --- mau3 page ------------------------------------------------------------------------------------------------


def test_mau3_page_offers_the_users_units_and_years(client, approver, dang_bo, chi_bo, other_dang_bo, year):
    client.force_login(approver)
    response = client.get(reverse("registry:mau3"))
    assert response.status_code == 200
    choices = dict(response.context["form"].fields["don_vi"].widget.choices)
    assert dang_bo.pk in choices and chi_bo.pk in choices and other_dang_bo.pk not in choices
    assert response.context["form"].initial == {"don_vi": dang_bo.pk, "nam": 2025}


def test_mau3_page_previews_the_list_with_download_links(client, approver, dang_bo, reg):
    client.force_login(approver)
    response = client.get(reverse("registry:mau3"), {"don_vi": dang_bo.pk, "nam": 2025})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Mô hình “Dân vận khéo” số một" in content
    assert "Tổng số: 01 mô hình (01 tập thể)." in content
    assert f"{reverse('registry:mau3-pdf')}?don_vi={dang_bo.pk}&amp;nam=2025" in content
    assert f"{reverse('registry:mau3-xlsx')}?don_vi={dang_bo.pk}&amp;nam=2025" in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"don_vi": "abc", "nam": "2025"}, "Đơn vị không hợp lệ: hãy chọn một chi bộ, đảng bộ trong danh sách."),
        ({"don_vi": "", "nam": "2025"}, "Vui lòng chọn đơn vị."),
        ({"nam": "hai-nghìn"}, "Vui lòng chọn đơn vị."),
        ({"don_vi": "UNIT", "nam": "hai-nghìn"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ({"don_vi": "UNIT", "nam": "1999"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ({"don_vi": "UNIT", "nam": "99999999999999999999999"}, "Năm không hợp lệ hoặc chưa có trong danh mục."),
        ({"don_vi": "²", "nam": "2025"}, "Đơn vị không hợp lệ: hãy chọn một chi bộ, đảng bộ trong danh sách."),
    ],
)
def test_mau3_page_shows_a_vietnamese_error_for_garbage(client, approver, dang_bo, year, params, message):
    params = {k: (str(dang_bo.pk) if v == "UNIT" else v) for k, v in params.items()}
    client.force_login(approver)
    response = client.get(reverse("registry:mau3"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["listing"] is None


def test_mau3_page_refuses_a_non_party_unit_with_a_form_error(client, approver, agency, year):
    client.force_login(approver)
    response = client.get(reverse("registry:mau3"), {"don_vi": agency.pk, "nam": 2025})
    assert "Đơn vị không hợp lệ: hãy chọn một chi bộ, đảng bộ trong danh sách." in response.content.decode()


@pytest.mark.parametrize("name", ["mau3", "mau3-pdf", "mau3-xlsx"])
def test_mau3_of_an_out_of_scope_unit_is_404(client, approver, other_dang_bo, other_reg, name):
    client.force_login(approver)
    response = client.get(reverse(f"registry:{name}"), {"don_vi": other_dang_bo.pk, "nam": 2025})
    assert response.status_code == 404
    assert not Document.objects.exists()


@pytest.mark.parametrize("unit", ["999999", "99999999999999999999999999"])
def test_mau3_of_an_unknown_unit_is_404(client, approver, year, unit):
    client.force_login(approver)
    assert client.get(reverse("registry:mau3"), {"don_vi": unit, "nam": 2025}).status_code == 404


# --- mau3-pdf / mau3-xlsx -------------------------------------------------------------------------------------


def test_mau3_pdf_downloads_the_issued_list(client, approver, dang_bo, reg):
    issue_paper(catalogue.subject_from("mau_3", {"don_vi": dang_bo.pk, "nam": 2025}, approver), approver)
    client.force_login(approver)
    response = client.get(reverse("registry:mau3-pdf"), {"don_vi": dang_bo.pk, "nam": 2025})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-3-dang-bo-so-y-te-2025.pdf"'
    text = " ".join(pdf_text(response.content).split())
    assert "DANH SÁCH" in text and "Mô hình “Dân vận" in text and "khéo” số một" in text


def test_mau3_pdf_before_it_is_issued_leads_to_its_issue_page(client, approver, dang_bo, reg):
    client.force_login(approver)
    response = client.get(reverse("registry:mau3-pdf"), {"don_vi": dang_bo.pk, "nam": 2025})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("registry:document-issue", args=["mau_3"]))
    assert not Document.objects.exists()


def test_mau3_pdf_with_garbage_shows_the_page_with_errors(client, approver, dang_bo, year):
    client.force_login(approver)
    response = client.get(reverse("registry:mau3-pdf"), {"don_vi": dang_bo.pk, "nam": "x"})
    assert response.status_code == 400
    assert "Năm không hợp lệ hoặc chưa có trong danh mục." in response.content.decode()


def test_mau3_too_long_to_issue_online_points_to_excel(client, approver, dang_bo, reg, chi_bo, monkeypatch):
    RegistrationFactory(subject_unit=chi_bo, year=reg.year, status=Status.ACTIVE)
    monkeypatch.setattr(catalogue, "MAU_3_MAX_ROWS", 1)
    client.force_login(approver)
    url = f"{reverse('registry:document-issue', args=['mau_3'])}?don_vi={dang_bo.pk}&nam=2025"
    response = client.post(url, {"issued_on": "10/03/2025", "signer_name": "Trần Văn Bình"}, follow=True)
    assert "Danh sách có hơn 1 mô hình, quá dài để ban hành trực tuyến." in response.content.decode()
    assert not Document.objects.exists()


def test_mau3_xlsx_has_vietnamese_headers_and_the_rows(client, approver, dang_bo, reg, member):
    RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=reg.year, status=Status.SUBMITTED,
        title="Nghe dân nói",
    )  # fmt: skip
    client.force_login(approver)
    response = client.get(reverse("registry:mau3-xlsx"), {"don_vi": dang_bo.pk, "nam": 2025})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-3-dang-bo-so-y-te-2025.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "STT", "Nhóm", "Tên mô hình", "Tập thể / cá nhân đăng ký", "Lĩnh vực", "Cấp đăng ký", "Nội dung chủ yếu",
        "Thời gian thực hiện", "Kết quả dự kiến", "Ghi chú",
    )  # fmt: skip
    assert [(r[0], r[1], r[2], r[9]) for r in rows[1:]] == [
        (1, "I.1. Tổ chức đảng", "Mô hình “Dân vận khéo” số một", None),
        (2, "II.1. Đảng viên", "Nghe dân nói", None),
    ]
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b


def test_mau3_xlsx_of_another_year_is_empty_but_valid(client, approver, dang_bo, reg):
    YearFactory(year=2026)
    client.force_login(approver)
    response = client.get(reverse("registry:mau3-xlsx"), {"don_vi": dang_bo.pk, "nam": 2026})
    assert len(list(load_workbook(io.BytesIO(response.content)).active.iter_rows())) == 1
