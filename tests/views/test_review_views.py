"""Review pages (Mẫu 4) and owner's report pages (Mẫu 5, 6): access by persona, by URL and by form field."""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.http import urlencode
from openpyxl import load_workbook

from registry import reviews
from registry.models import Criterion, OwnerReport, Proposal, Status, SubjectKind, UnitReviewReport, YearlyReview
from tests.factories import RegistrationFactory


@pytest.fixture
def reg(chi_bo, year):
    return RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình “Dân vận khéo” số một"
    )


@pytest.fixture
def other_reg(other_chi_bo, year):
    return RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE, title="Mô hình Sở Tài chính")


def _review_url(reg, year=2025):
    return reverse("registry:review-edit", args=[reg.pk, year])


def _review_post(reg, *, met=True, **extra):
    data = {"results": "Giải quyết 100% hồ sơ đúng hạn.", "proposal": Proposal.CONFIRM, "note": ""}
    for c in reviews.criteria_for(reg):
        data[f"tieu_chi_{c.pk}"] = "dat" if met else "chua_dat"
    data.update(extra)
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- review-unit ---------------------------------------------------------------------------------------------------


def test_secretary_sees_the_models_due_with_their_review_state(client, secretary, reg, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, title="Bản nháp chưa gửi")
    client.force_login(secretary)
    response = client.get(reverse("registry:review-unit"), {"don_vi": chi_bo.pk, "nam": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mô hình “Dân vận khéo” số một" in html
    assert "Bản nháp chưa gửi" not in html
    assert "Chưa rà soát" in html
    assert "Tổng số mô hình thuộc diện rà soát: 1 mô hình (1 tập thể, không có cá nhân)." in html
    assert _review_url(reg) in html


def test_outsider_gets_404_for_a_unit_outside_the_scope(client, outsider, chi_bo, year):
    client.force_login(outsider)
    response = client.get(reverse("registry:review-unit"), {"don_vi": chi_bo.pk, "nam": 2025})
    assert response.status_code == 404


def test_a_year_that_does_not_exist_is_404_on_the_unit_page(client, secretary, chi_bo, year):
    client.force_login(secretary)
    assert client.get(reverse("registry:review-unit"), {"don_vi": chi_bo.pk, "nam": 2031}).status_code == 404


def test_a_non_numeric_unit_is_a_form_error_not_a_500(client, secretary, year):
    client.force_login(secretary)
    response = client.get(reverse("registry:review-unit"), {"don_vi": "abc", "nam": 2025})
    assert response.status_code == 400
    assert "Đơn vị không hợp lệ" in response.content.decode()


def test_secretary_saves_the_narrative_sections(client, secretary, chi_bo, year):
    client.force_login(secretary)
    url = reverse("registry:review-unit") + f"?don_vi={chi_bo.pk}&nam=2025"
    response = client.post(url, {"leadership": "Chi ủy ban hành kế hoạch.", "limitations": "Kinh phí hạn chế."})
    assert response.status_code == 302
    report = UnitReviewReport.objects.get(unit=chi_bo, year=year)
    assert (report.leadership, report.limitations) == ("Chi ủy ban hành kế hoạch.", "Kinh phí hạn chế.")


def test_viewer_reads_the_unit_page_but_cannot_post_the_narrative(client, viewer, chi_bo, year):
    client.force_login(viewer)
    url = reverse("registry:review-unit") + f"?don_vi={chi_bo.pk}&nam=2025"
    assert client.get(url).status_code == 200
    assert client.post(url, {"leadership": "Không được ghi"}).status_code == 403
    assert not UnitReviewReport.objects.exists()


def test_review_xlsx_has_the_header_and_one_row_per_model(client, secretary, reg, chi_bo, year):
    reviews.review_save(
        registration=reg, year=year, reviewer=secretary, results="=SUM(A1)", proposal=Proposal.CONTINUE,
        assessments={c.pk: c.number < 5 for c in reviews.criteria_for(reg)},
    )  # fmt: skip
    client.force_login(secretary)
    response = client.get(reverse("registry:review-xlsx"), {"don_vi": chi_bo.pk, "nam": 2025})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("STT", "Tên mô hình", "Chủ thể")
    assert rows[1] == (
        1, "Mô hình “Dân vận khéo” số một", "Chi bộ Phòng Nghiệp vụ Y", reg.field.name, 2025, "=SUM(A1)",
        "Đạt 4/5 tiêu chí", "Duy trì", None,
    )  # fmt: skip
    assert sheet["F2"].data_type == "s"
    assert len(rows) == 2


# --- review-edit ---------------------------------------------------------------------------------------------------


def test_secretary_reviews_a_model_by_the_form(client, secretary, reg, year):
    client.force_login(secretary)
    response = client.post(_review_url(reg), _review_post(reg))
    assert response.status_code == 302
    review = YearlyReview.objects.get(registration=reg, year=year)
    assert review.proposal == Proposal.CONFIRM
    assert review.assessments.filter(met=True).count() == 5
    assert _messages(response) == [f"Đã lưu rà soát năm 2025 của mô hình “{reg.title}”."]


def test_review_form_goes_back_to_a_safe_next_url_only(client, secretary, reg, year):
    client.force_login(secretary)
    back = reverse("registry:review-unit") + "?don_vi=1&nam=2025"
    response = client.post(_review_url(reg) + "?" + urlencode({"next": back}), _review_post(reg))
    assert response["Location"] == back
    response = client.post(_review_url(reg) + "?next=https://evil.example/", _review_post(reg))
    assert response["Location"] == reg.get_absolute_url()


def test_outsider_gets_404_reviewing_another_branchs_model_by_url(client, outsider, reg, year):
    client.force_login(outsider)
    assert client.get(_review_url(reg)).status_code == 404
    assert client.post(_review_url(reg), _review_post(reg)).status_code == 404
    assert not YearlyReview.objects.exists()


def test_review_year_that_does_not_exist_is_404(client, secretary, reg):
    client.force_login(secretary)
    assert client.get(_review_url(reg, 2031)).status_code == 404


def test_review_of_a_draft_is_refused_with_a_message(client, secretary, chi_bo, year):
    draft = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    response = client.post(_review_url(draft), _review_post(draft))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert _messages(response)[0].startswith("Mô hình đang ở trạng thái “Nháp”")
    assert not YearlyReview.objects.exists()


def test_viewer_reads_a_review_but_cannot_post_one(client, viewer, reg, year):
    client.force_login(viewer)
    response = client.get(_review_url(reg))
    assert response.status_code == 200
    assert "Bạn chỉ có quyền xem kết quả rà soát của mô hình này." in response.content.decode()
    assert client.post(_review_url(reg), _review_post(reg)).status_code == 403
    assert not YearlyReview.objects.exists()


def test_approver_who_is_not_an_editor_cannot_post_a_review(client, approver, reg, year):
    client.force_login(approver)
    assert client.post(_review_url(reg), _review_post(reg)).status_code == 403
    assert not YearlyReview.objects.exists()


def test_posting_a_criterion_of_the_other_group_is_a_form_error(client, secretary, reg, year):
    individual = Criterion.objects.filter(group="individual").first()
    client.force_login(secretary)
    response = client.post(_review_url(reg), _review_post(reg, **{f"tieu_chi_{individual.pk}": "dat"}))
    assert response.status_code == 200
    assert "Tiêu chí không hợp lệ: chỉ đánh giá các tiêu chí áp dụng cho mô hình này." in response.content.decode()
    assert not YearlyReview.objects.exists()


def test_posting_an_unknown_criterion_id_is_a_form_error(client, secretary, reg, year):
    client.force_login(secretary)
    response = client.post(_review_url(reg), _review_post(reg, tieu_chi_999999="dat"))
    assert "Tiêu chí không hợp lệ" in response.content.decode()
    assert not YearlyReview.objects.exists()


def test_a_missing_criterion_answer_is_a_field_error(client, secretary, reg, year):
    data = _review_post(reg)
    first = reviews.criteria_for(reg)[0]
    del data[f"tieu_chi_{first.pk}"]
    client.force_login(secretary)
    response = client.post(_review_url(reg), data)
    assert "Vui lòng chọn Đạt hoặc Chưa đạt." in response.content.decode()
    assert not YearlyReview.objects.exists()


def test_an_unknown_proposal_value_is_a_form_error(client, secretary, reg, year):
    client.force_login(secretary)
    response = client.post(_review_url(reg), _review_post(reg, proposal="promote"))
    assert response.status_code == 200
    assert "Đề xuất không hợp lệ." in response.content.decode()
    assert not YearlyReview.objects.exists()


# --- owner reports -------------------------------------------------------------------------------------------------


def _report_url(reg, kind="mau-5"):
    return reverse("registry:owner-report-edit", args=[reg.pk, kind])


def _report_post(reg, **extra):
    data = {"summary": "Chi bộ có 25 đảng viên.", "results": "Hoàn thành 100% chỉ tiêu.", "lessons": "", "proposal": ""}
    for c in reviews.criteria_for(reg):
        data[f"tieu_chi_{c.pk}"] = "dat"
        data[f"ghi_chu_{c.pk}"] = f"Minh chứng {c.number}"
    data.update(extra)
    return data


def test_secretary_writes_a_mau_5_for_an_active_model(client, secretary, reg, year):
    client.force_login(secretary)
    response = client.post(_report_url(reg), _report_post(reg))
    assert response.status_code == 302
    report = OwnerReport.objects.get(registration=reg, year=year, kind="mau_5")
    assert report.assessments.filter(met=True).count() == 5
    assert report.assessments.get(criterion__number=2).note == "Minh chứng 2"
    assert _messages(response) == ["Đã lưu báo cáo Mẫu 5 năm 2025."]


def test_a_wrong_report_kind_is_404(client, secretary, reg):
    client.force_login(secretary)
    assert client.get(_report_url(reg, "mau-7")).status_code == 404
    assert client.get(reverse("registry:owner-report-pdf", args=[reg.pk, "bao-cao"])).status_code == 404


def test_mau_6_for_an_active_model_is_refused_with_a_message(client, secretary, reg, year):
    client.force_login(secretary)
    response = client.post(_report_url(reg, "mau-6"), _report_post(reg))
    assert response.status_code == 302
    assert _messages(response) == [
        "Chỉ lập Báo cáo thành tích điển hình (Mẫu 6) cho mô hình đã được xác nhận; "
        "mô hình này đang ở trạng thái “Đang thực hiện”."
    ]
    assert not OwnerReport.objects.exists()


def test_mau_6_of_a_confirmed_individual_model_is_saved(client, secretary, member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.CONFIRMED
    )
    client.force_login(secretary)
    response = client.post(_report_url(reg, "mau-6"), _report_post(reg))
    assert response.status_code == 302
    assert OwnerReport.objects.get().assessments.count() == 3


def test_outsider_gets_404_for_another_branchs_owner_report(client, outsider, reg, year):
    client.force_login(outsider)
    assert client.post(_report_url(reg), _report_post(reg)).status_code == 404
    assert not OwnerReport.objects.exists()


def test_viewer_cannot_post_an_owner_report(client, viewer, reg, year):
    client.force_login(viewer)
    assert client.get(_report_url(reg)).status_code == 200
    assert client.post(_report_url(reg), _report_post(reg)).status_code == 403
    assert not OwnerReport.objects.exists()


def test_owner_report_with_a_foreign_criterion_note_is_a_form_error(client, secretary, reg, year):
    individual = Criterion.objects.filter(group="individual").first()
    client.force_login(secretary)
    response = client.post(_report_url(reg), _report_post(reg, **{f"ghi_chu_{individual.pk}": "x"}))
    assert "Tiêu chí không hợp lệ" in response.content.decode()
    assert not OwnerReport.objects.exists()


def test_pdf_of_a_report_not_written_yet_is_a_message(client, secretary, reg, year):
    client.force_login(secretary)
    response = client.get(reverse("registry:owner-report-pdf", args=[reg.pk, "mau-5"]))
    assert response.status_code == 302
    assert _messages(response) == ["Chưa có báo cáo Mẫu 5 của mô hình này cho năm đã chọn."]


def test_pdf_of_a_year_that_does_not_exist_is_404(client, secretary, reg, year):
    client.force_login(secretary)
    response = client.get(reverse("registry:owner-report-pdf", args=[reg.pk, "mau-5"]), {"nam": "abc"})
    assert response.status_code == 404


# --- the panel on the registration page ----------------------------------------------------------------------------


def test_panel_offers_the_secretary_the_review_and_mau_5_buttons(client, secretary, reg, year):
    client.force_login(secretary)
    html = client.get(reg.get_absolute_url()).content.decode()
    assert "Rà soát năm 2025" in html
    assert "Báo cáo Mẫu 5" in html
    assert "Báo cáo Mẫu 6" not in html


def test_panel_lists_reviews_and_report_pdfs_but_no_buttons_for_a_viewer(client, viewer, secretary, reg, year):
    reviews.review_save(
        registration=reg, year=year, reviewer=secretary, results="Tốt", proposal=Proposal.CONFIRM,
        assessments={c.pk: c.number != 1 for c in reviews.criteria_for(reg)},
    )  # fmt: skip
    reviews.owner_report_save(
        registration=reg, kind="mau_5", year=year, author=secretary, data={"results": "Tốt"},
        assessments={c.pk: (True, "") for c in reviews.criteria_for(reg)},
    )  # fmt: skip
    client.force_login(viewer)
    html = client.get(reg.get_absolute_url()).content.decode()
    assert "Đề nghị xác nhận mô hình · Đạt 4/5 tiêu chí" in html
    assert reverse("registry:owner-report-pdf", args=[reg.pk, "mau-5"]) + "?nam=2025" in html
    assert "Rà soát năm 2025" not in html
    assert "Báo cáo Mẫu 5" not in html


def test_panel_is_empty_for_a_draft(client, secretary, chi_bo, year):
    draft = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    assert 'id="ra-soat-bao-cao"' not in client.get(draft.get_absolute_url()).content.decode()


def test_unit_page_queries_do_not_grow_with_the_number_of_models(
    client, secretary, chi_bo, year, django_assert_max_num_queries
):
    for _ in range(12):
        reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
        reviews.review_save(
            registration=reg, year=year, reviewer=secretary, results="Tốt", proposal=Proposal.CONTINUE,
            assessments={c.pk: True for c in reviews.criteria_for(reg)},
        )  # fmt: skip
    client.force_login(secretary)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("registry:review-unit"), {"don_vi": chi_bo.pk, "nam": 2025})
    assert response.content.decode().count("Đạt 5/5 tiêu chí") == 12
