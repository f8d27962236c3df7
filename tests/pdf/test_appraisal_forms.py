"""Mẫu 7a (BÁO CÁO thẩm định) and Mẫu 7 (TỜ TRÌNH): issued by the Ban Tuyên giáo as documents, fonts embedded,
Vietnamese text extractable, the chosen entries and the signer as picked on the print form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from registry import appraisals
from registry.models import Document, Unit, UnitKind
from registry.papers import appraisals as context_appraisals
from tests.appraisal_utils import collective, new_appraiser, propose, submit
from tests.factories import UnitFactory
from tests.pdf.utils import pdf_fonts, pdf_text, save_pngs


@pytest.fixture
def ban(khoi):
    UnitFactory(
        parent=khoi, code="BTG", name="Ban Tuyên giáo Đảng ủy Khối", kind=UnitKind.BAN,
        header_line="ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH", abbreviation="BTGĐUK",
    )  # fmt: skip
    # Adding a sibling renumbers the tree's paths: read the units back.
    return Unit.objects.get(code="BTG")


@pytest.fixture
def finished(khoi, year, appraiser):
    dang_bo, chi_bo = Unit.objects.get(code="SYT-DB"), Unit.objects.get(code="SYT-CB-NVY")
    colleague = new_appraiser(khoi, "btg2")
    first = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Dân vận khéo trong cải cách thủ tục")
    second = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Hỏi dân, hiểu dân, giúp dân")
    submit(first, appraiser, collective([20, 20, 18, 18, 20]))
    submit(first, colleague, collective([19, 19, 19, 19, 20]))
    submit(second, appraiser, collective([10, 10, 10, 10, 10], [True, True, False, False, False]), file_complete=False)
    for reg in (first, second):
        appraisals.appraisal_finish(reg, actor=appraiser)
    return first, second


SIGNERS = {"truong_ban": ("", "TRƯỞNG BAN"), "pho_truong_ban": ("K/T TRƯỞNG BAN", "PHÓ TRƯỞNG BAN")}


def _get(client, url_name, *, follow=False, so_van_ban="", ky="truong_ban", nguoi_ky="Nguyễn Thị Thu Hà", **params):
    """Choose the entries as on the ranking page's print form, then issue the paper on its issue page as the
    appraiser would (number, head or deputy, name); the issued PDF, or the page that refused."""
    response = client.get(reverse(f"registry:{url_name}"), {"nam": 2025, **params})
    if response.status_code != 302 or "/van-ban/ban-hanh/" not in response["Location"]:
        return client.get(response["Location"]) if follow and response.status_code == 302 else response
    authority, title = SIGNERS[ky]
    issued = client.post(
        response["Location"],
        {
            "number": so_van_ban,
            "issued_on": timezone.localdate().strftime("%d/%m/%Y"),
            "signer_authority": authority,
            "signer_title": title,
            "signer_name": nguoi_ky,
        },
    )
    if issued.status_code != 302:
        return issued
    document = Document.objects.filter(replaced_at__isnull=True).latest("pk")
    return client.get(reverse("registry:document-pdf", args=[document.pk]))


def _one_line(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_mau_7a_report_is_a_pdf_with_embedded_fonts_and_the_results_table(client, ban, finished, appraiser):
    client.force_login(appraiser)

    response = _get(client, "appraisal-report-pdf", de_xuat=[finished[0].pk], nguoi_ky="Nguyễn Thị Thu Hà")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="mau-7a-bao-cao-tham-dinh-2025.pdf"' in response["Content-Disposition"]
    pdf = response.content
    save_pngs(pdf, "mau_7a")
    fonts = pdf_fonts(pdf)
    assert "Liberation-Serif" in fonts
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:])  # every font embedded
    text = _one_line(pdf)
    assert "BAN TUYÊN GIÁO ĐẢNG ỦY KHỐI" in text
    assert "BÁO CÁO" in text
    assert "thẩm định hồ sơ đề nghị xác nhận điển hình “Dân vận khéo” năm 2025" in text
    assert "Đơn vị đề nghị" in text and "Tiêu chí đạt" in text and "Xếp hạng" in text
    assert "Dân vận khéo trong cải cách thủ tục" in text
    # pdftotext reads the table column by column: each cell follows its header.
    for cell in ("Tiêu chí đạt 5/5", "Điểm 96,00", "Xếp hạng 1", "Đề xuất Xác nhận"):
        assert cell in text
    for cell in ("Tiêu chí đạt 2/5", "Điểm 50,00", "Xếp hạng 2", "Không", "Thiếu"):
        assert cell in text
    assert "đã tiếp nhận 02 hồ sơ" in text
    assert "TRƯỞNG BAN" in text and "Nguyễn Thị Thu Hà" in text


def test_mau_7a_deputy_signs_for_the_head(client, ban, finished, appraiser):
    client.force_login(appraiser)

    response = _get(client, "appraisal-report-pdf", diem_toi_thieu="90", ky="pho_truong_ban")

    text = _one_line(response.content)
    assert "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN" in text
    assert "đề xuất Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh xem xét, xác nhận 01 điển hình" in text


def test_mau_7a_carries_the_typed_number(client, ban, finished, appraiser):
    client.force_login(appraiser)

    response = _get(client, "appraisal-report-pdf", de_xuat=[finished[0].pk], so_van_ban="05-BC/BTGĐUK")

    assert "Số 05-BC/BTGĐUK" in _one_line(response.content)
    document = Document.objects.get(form_code="mau_7a")
    assert (document.issuing_unit, document.year, document.number) == (ban, 2025, "05-BC/BTGĐUK")


def test_issuing_again_with_another_choice_makes_a_new_version(client, ban, finished, appraiser):
    client.force_login(appraiser)

    _get(client, "appraisal-report-pdf", de_xuat=[finished[0].pk])
    _get(client, "appraisal-report-pdf", de_xuat=[finished[1].pk], ky="pho_truong_ban")

    document = Document.objects.get(form_code="mau_7a", replaced_at__isnull=True)
    assert document.signer_authority == "K/T TRƯỞNG BAN"
    assert [r["proposed"] for r in document.snapshot["rows"]] == ["Không", "Xác nhận"]
    assert Document.objects.filter(form_code="mau_7a").count() == 2


def test_mau_7_submission_lists_only_the_entries_proposed(client, ban, finished, appraiser):
    client.force_login(appraiser)

    response = _get(client, "submission-pdf", de_xuat=[finished[0].pk])

    assert response.status_code == 200
    pdf = response.content
    save_pngs(pdf, "mau_7")
    assert "yes" in pdf_fonts(pdf)
    text = _one_line(pdf)
    assert "TỜ TRÌNH" in text
    assert "đề nghị xác nhận điển hình “Dân vận khéo” cấp Đảng bộ Khối năm 2025" in text
    assert "Kính gửi: Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh" in text
    assert "Căn cứ Hướng dẫn số 29-HD/ĐUK" in text
    assert "Đảng bộ Sở Y tế: 02 hồ sơ." in text
    assert "Dân vận khéo trong cải cách thủ tục" in text
    assert "Hỏi dân, hiểu dân, giúp dân" not in text
    assert "Kính trình Ban Thường vụ Đảng ủy Khối các cơ quan tỉnh xem xét, quyết định./." in text


def test_without_a_ban_unit_the_khoi_issues_the_documents(client, finished, appraiser, khoi):
    client.force_login(appraiser)

    response = _get(client, "submission-pdf", diem_toi_thieu="0")

    assert "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH" in _one_line(response.content)
    assert Document.objects.get(form_code="mau_7").issuing_unit == khoi


def test_printing_with_nothing_proposed_explains_what_to_do(client, finished, appraiser):
    client.force_login(appraiser)

    response = _get(client, "submission-pdf", follow=True)

    assert "Vui lòng đánh dấu ít nhất một hồ sơ ở cột “Đề xuất” hoặc nhập điểm bình quân tối thiểu." in (
        response.content.decode()
    )
    assert not Document.objects.exists()


def test_a_malformed_number_is_refused_and_no_document_kept(client, finished, appraiser):
    client.force_login(appraiser)

    response = _get(client, "appraisal-report-pdf", de_xuat=[finished[0].pk], so_van_ban="số năm", follow=True)

    assert "Số văn bản phải có dạng 12-BB/ĐU" in response.content.decode()
    assert not Document.objects.exists()


def test_a_number_already_used_by_the_unit_this_year_is_refused(client, finished, appraiser):
    client.force_login(appraiser)
    _get(client, "appraisal-report-pdf", de_xuat=[finished[0].pk], so_van_ban="05-BC/ĐUK")

    response = _get(client, "submission-pdf", de_xuat=[finished[0].pk], so_van_ban="05-BC/ĐUK", follow=True)

    assert "Số văn bản này đơn vị đã dùng trong năm." in response.content.decode()
    assert not Document.objects.filter(form_code="mau_7").exists()


def test_an_entry_still_being_appraised_cannot_be_proposed_by_hand(client, finished, appraiser, year):
    running = propose(unit=Unit.objects.get(code="SYT-DB"), year=year, subject_unit=Unit.objects.get(code="SYT-CB-NVY"))
    submit(running, appraiser, collective([20, 20, 20, 20, 20]))
    client.force_login(appraiser)

    response = _get(client, "submission-pdf", de_xuat=[running.pk], follow=True)

    assert "Hồ sơ được chọn không có trong bảng xếp hạng." in response.content.decode()


@pytest.mark.parametrize("persona, code", [("viewer", 403), ("khoi_approver", 403), ("secretary", 403)])
def test_only_appraisers_print_the_khoi_documents(client, request, finished, persona, code):
    client.force_login(request.getfixturevalue(persona))

    assert _get(client, "appraisal-report-pdf", diem_toi_thieu="0").status_code == code
    assert _get(client, "submission-pdf", diem_toi_thieu="0").status_code == code


def test_the_context_is_plain_json(finished, appraiser, khoi):
    entries = appraisals.ranking(appraiser, 2025)
    context = context_appraisals.mau_7a(
        issuer=khoi, khoi=khoi, year=2025, entries=entries, chosen={finished[0].pk}, signer={"title": "TRƯỞNG BAN"}
    )

    import json

    assert json.loads(json.dumps(context, ensure_ascii=False)) == context
    assert [row["rank"] for row in context["rows"]] == [1, 2]
