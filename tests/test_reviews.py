"""The yearly review (Mẫu 4) and owner's report (Mẫu 5, 6) service: what is due, upserts, criteria, counts."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError

from registry import reviews
from registry.models import (
    Criterion,
    Field,
    OwnerReport,
    OwnerReportKind,
    Proposal,
    Registration,
    ReviewAssessment,
    Status,
    SubjectKind,
    UnitReviewReport,
    YearlyReview,
)
from registry.papers import reviews as context_reviews
from tests.factories import RegistrationFactory, YearFactory


def _all_met(reg, met=True):
    return {c.pk: met for c in reviews.criteria_for(reg)}


def _save(reg, year, user, **kwargs):
    kwargs.setdefault("results", "Giải quyết 100% hồ sơ đúng hạn.")
    kwargs.setdefault("proposal", Proposal.CONTINUE)
    kwargs.setdefault("assessments", _all_met(reg))
    return reviews.review_save(registration=reg, year=year, reviewer=user, **kwargs)


@pytest.fixture
def year_2024(db):
    return YearFactory(year=2024, is_open=False)


@pytest.fixture
def active(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Mô hình đang làm")


# --- What is due ---------------------------------------------------------------------------------------------------


def test_due_for_review_lists_running_models_of_the_subtree_registered_that_year_or_earlier(
    dang_bo, chi_bo, agency, other_chi_bo, member, year, year_2024
):
    due = {
        RegistrationFactory(subject_unit=chi_bo, year=year, status=status).pk
        for status in sorted(reviews.REVIEWABLE_STATUSES)
    }
    due.add(
        RegistrationFactory(
            subject_unit=agency, subject_kind=SubjectKind.AGENCY, year=year_2024, status=Status.ACTIVE
        ).pk
    )
    due.add(
        RegistrationFactory(
            subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.CONFIRMED
        ).pk
    )
    for status in (Status.DRAFT, Status.SUBMITTED, Status.RETURNED, Status.STOPPED):
        RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
    RegistrationFactory(subject_unit=chi_bo, year=YearFactory(year=2026), status=Status.ACTIVE)
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE)

    listed = reviews.due_for_review(Registration.objects.all(), unit=dang_bo, year=year)

    assert {r.pk for r in listed} == due


def test_a_model_registered_in_2025_is_not_due_in_2024(active, year_2024):
    assert not reviews.is_due(active, year_2024)
    assert reviews.review_refusal(active, year_2024) == "Mô hình đăng ký năm 2025, không thể rà soát cho năm 2024."


# --- Saving a review -----------------------------------------------------------------------------------------------


def test_review_save_writes_one_assessment_per_criterion_of_the_collective_group(active, year, secretary):
    criteria = reviews.criteria_for(active)
    assessments = {c.pk: c.number != 5 for c in criteria}

    review = _save(active, year, secretary, proposal=Proposal.CONFIRM, note="Tiêu biểu", assessments=assessments)

    assert len(criteria) == 5
    assert {(a.criterion.number, a.met) for a in review.assessments.all()} == {(n, n != 5) for n in range(1, 6)}
    assert review.proposal == Proposal.CONFIRM
    assert review.reviewed_by == secretary
    assert review.note == "Tiêu biểu"


def test_individual_model_is_assessed_on_the_three_individual_criteria(member, year, secretary):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    review = _save(reg, year, secretary)
    assert review.assessments.count() == 3
    assert set(review.assessments.values_list("criterion__group", flat=True)) == {"individual"}


def test_saving_again_replaces_the_review_of_the_same_year(active, year, secretary):
    _save(active, year, secretary, results="Lần đầu")
    _save(active, year, secretary, results="Lần sau", assessments=_all_met(active, met=False))

    review = YearlyReview.objects.get()
    assert review.results == "Lần sau"
    assert ReviewAssessment.objects.count() == 5
    assert not ReviewAssessment.objects.filter(met=True).exists()


def test_reviews_of_two_years_are_kept_apart(chi_bo, year, year_2024, secretary):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year_2024, status=Status.ACTIVE)
    _save(reg, year_2024, secretary)
    _save(reg, year, secretary)
    assert sorted(YearlyReview.objects.values_list("year__year", flat=True)) == [2024, 2025]


def test_review_of_a_draft_is_refused_with_a_message(chi_bo, year, secretary):
    draft = RegistrationFactory(subject_unit=chi_bo, year=year)
    with pytest.raises(ValidationError) as error:
        _save(draft, year, secretary)
    assert error.value.messages == [
        "Mô hình đang ở trạng thái “Nháp”, chưa (hoặc không còn) thuộc diện rà soát: chỉ rà soát mô hình đã được "
        "tiếp nhận và đang thực hiện."
    ]
    assert not YearlyReview.objects.exists()


def test_review_with_a_criterion_of_the_other_group_is_refused(active, year, secretary):
    assessments = _all_met(active)
    individual = Criterion.objects.filter(group="individual").first()
    assessments[individual.pk] = True
    with pytest.raises(ValidationError) as error:
        _save(active, year, secretary, assessments=assessments)
    assert error.value.messages == ["Tiêu chí không hợp lệ: chỉ đánh giá các tiêu chí áp dụng cho mô hình này."]
    assert not YearlyReview.objects.exists()


def test_review_missing_a_criterion_is_refused(active, year, secretary):
    assessments = _all_met(active)
    assessments.popitem()
    with pytest.raises(ValidationError) as error:
        _save(active, year, secretary, assessments=assessments)
    assert error.value.messages == ["Vui lòng tự đánh giá đủ từng tiêu chí (đạt / chưa đạt)."]


def test_review_text_is_stored_in_nfc(active, year, secretary):
    typed = unicodedata.normalize("NFD", "Kết quả tốt, người dân hài lòng")
    review = _save(active, year, secretary, results=typed)
    review.refresh_from_db()
    assert review.results == unicodedata.normalize("NFC", typed)


# --- Counts --------------------------------------------------------------------------------------------------------


def test_review_counts_equal_independently_computed_numbers(
    dang_bo, chi_bo, agency, member, non_member, year, year_2024
):
    fields = list(Field.objects.order_by("order"))
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, field=fields[0])
    RegistrationFactory(subject_unit=chi_bo, year=year_2024, status=Status.CONFIRMED, field=fields[1])
    RegistrationFactory(
        subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.EXEMPLAR_BASE, field=fields[1]
    )
    RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year_2024, status=Status.ACTIVE, field=fields[2]
    )
    RegistrationFactory(
        subject_kind=SubjectKind.NON_MEMBER, subject_person=non_member, year=year, status=Status.ACTIVE, field=fields[1]
    )
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.DRAFT, field=fields[3])  # not due
    due = list(reviews.due_for_review(Registration.objects.all(), unit=dang_bo, year=year))

    counts = reviews.review_counts(due, year=year)

    in_scope = Registration.objects.filter(status__in=reviews.REVIEWABLE_STATUSES, unit__path__startswith=dang_bo.path)
    assert counts["total"] == in_scope.count() == 5
    assert counts["collective"] == in_scope.filter(subject_kind__in=["party_org", "agency"]).count() == 2 + 0 + 1
    assert counts["individual"] == 2
    assert counts["new"] == in_scope.filter(year=year).count() == 3
    assert counts["continued"] == 2
    assert (
        [f["count"] for f in counts["by_field"]] == [in_scope.filter(field=f).count() for f in fields] == [1, 3, 1, 0]
    )
    assert [f["name"] for f in counts["by_field"]] == [f.name for f in fields]


def test_review_rows_show_criteria_met_and_missing_reviews(active, chi_bo, year, secretary):
    other = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    assessments = {c.pk: c.number <= 3 for c in reviews.criteria_for(active)}
    _save(active, year, secretary, assessments=assessments)

    rows = {r["registration"].pk: r for r in reviews.review_rows([active, other], year=year)}

    assert (rows[active.pk]["met"], rows[active.pk]["criteria_total"]) == (3, 5)
    assert rows[other.pk]["review"] is None and rows[other.pk]["met"] is None
    assert context_reviews.assessment_line(3, 5) == "Đạt 3/5 tiêu chí"


def test_mau_4_context_computes_numbers_and_proposals_and_signs_for_the_unit(active, chi_bo, year, secretary):
    _save(active, year, secretary, proposal=Proposal.EXEMPLAR)
    reviews.unit_report_save(unit=chi_bo, year=year, data={"leadership": "Dòng một\nDòng hai"})

    context = context_reviews.mau_4(unit=chi_bo, year=year, registrations=Registration.objects.all())

    assert context["leadership"] == ["Dòng một", "Dòng hai"]
    assert context["count_lines"][0] == "Tổng số mô hình thuộc diện rà soát: 1 mô hình (1 tập thể, không có cá nhân)."
    assert context["count_lines"][1] == "Mô hình mới đăng ký trong năm: 1; mô hình duy trì từ các năm trước: không có."
    assert ": 0" not in context["count_lines"][2]
    assert context["proposal_lines"] == [
        "Đề nghị xác nhận mô hình: không có.",
        "Đề nghị xác nhận điển hình: 1 (“Mô hình đang làm”).",
    ]
    assert context["rows"][0]["proposal"] == "Đề nghị điển hình"
    assert context["recipients"] == ["- Ban Tuyên giáo Đảng ủy Khối,", "- Lưu chi bộ."]
    assert context["signatures"] == [
        {"heading": "", "authority": "T/M CHI ỦY", "title": "BÍ THƯ", "note": "", "name": "", "main": True}
    ]


def test_unit_report_save_updates_the_one_report_of_the_unit_and_year(chi_bo, year):
    reviews.unit_report_save(unit=chi_bo, year=year, data={"limitations": "Ít kinh phí"})
    reviews.unit_report_save(unit=chi_bo, year=year, data={"limitations": "Thiếu thời gian", "directions": "Nhân rộng"})
    report = UnitReviewReport.objects.get()
    assert (report.limitations, report.directions, report.leadership) == ("Thiếu thời gian", "Nhân rộng", "")


# --- Owner's reports -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "allowed"),
    [
        (OwnerReportKind.RESULTS, Status.ACTIVE, True),
        (OwnerReportKind.RESULTS, Status.CONFIRMED, False),
        (OwnerReportKind.RESULTS, Status.DRAFT, False),
        (OwnerReportKind.ACHIEVEMENTS, Status.ACTIVE, False),
        (OwnerReportKind.ACHIEVEMENTS, Status.CONFIRMED, True),
        (OwnerReportKind.ACHIEVEMENTS, Status.EXEMPLAR_KHOI, True),
        (OwnerReportKind.ACHIEVEMENTS, Status.STOPPED, False),
    ],
)
def test_owner_report_kind_is_allowed_only_in_its_statuses(chi_bo, year, kind, status, allowed):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
    assert (reviews.owner_report_refusal(reg, kind) == "") is allowed


def test_mau_6_refusal_message_names_the_status(active):
    assert reviews.owner_report_refusal(active, OwnerReportKind.ACHIEVEMENTS) == (
        "Chỉ lập Báo cáo thành tích điển hình (Mẫu 6) cho mô hình đã được xác nhận; "
        "mô hình này đang ở trạng thái “Đang thực hiện”."
    )


def test_owner_report_save_upserts_per_registration_year_and_kind(active, year, secretary):
    assessments = {
        c.pk: (c.number == 1, "Có minh chứng" if c.number == 1 else "") for c in reviews.criteria_for(active)
    }
    data = {"summary": "Chi bộ có 25 đảng viên.", "results": "Đạt kết quả tốt."}
    reviews.owner_report_save(
        registration=active,
        kind=OwnerReportKind.RESULTS,
        year=year,
        author=secretary,
        data=data,
        assessments=assessments,
    )
    report = reviews.owner_report_save(
        registration=active, kind=OwnerReportKind.RESULTS, year=year, author=secretary,
        data={**data, "results": "Kết quả mới."}, assessments=assessments,
    )  # fmt: skip

    assert OwnerReport.objects.get().pk == report.pk
    assert report.results == "Kết quả mới."
    assert report.created_by == secretary
    assert [(a.met, a.note) for a in report.assessments.order_by("criterion__number")][:2] == [
        (True, "Có minh chứng"),
        (False, ""),
    ]


def test_owner_report_save_refuses_a_mau_6_for_a_running_model(active, year, secretary):
    with pytest.raises(ValidationError):
        reviews.owner_report_save(
            registration=active, kind=OwnerReportKind.ACHIEVEMENTS, year=year, author=secretary,
            data={"results": "x"}, assessments={},
        )  # fmt: skip
    assert not OwnerReport.objects.exists()


# --- Status re-checked under the lock -------------------------------------------------------------------------------


@pytest.mark.parametrize("status, label", [(Status.DRAFT, "Nháp"), (Status.STOPPED, "Dừng thực hiện")])
def test_review_save_refuses_a_model_whose_status_changed_after_the_form_was_shown(
    active, year, secretary, status, label
):
    shown = Registration.objects.get(pk=active.pk)  # what the form was built from: still "Đang thực hiện"
    Registration.objects.filter(pk=active.pk).update(status=status)  # meanwhile: returned to draft, or stopped

    with pytest.raises(ValidationError) as error:
        _save(shown, year, secretary)

    assert error.value.messages == [
        f"Mô hình đang ở trạng thái “{label}”, chưa (hoặc không còn) thuộc diện rà soát: chỉ rà soát mô hình đã được "
        "tiếp nhận và đang thực hiện."
    ]
    assert not YearlyReview.objects.exists()
    assert not ReviewAssessment.objects.exists()


@pytest.mark.parametrize("status, label", [(Status.DRAFT, "Nháp"), (Status.STOPPED, "Dừng thực hiện")])
def test_owner_report_save_refuses_a_model_whose_status_changed_after_the_form_was_shown(
    active, year, secretary, status, label
):
    shown = Registration.objects.get(pk=active.pk)
    Registration.objects.filter(pk=active.pk).update(status=status)

    with pytest.raises(ValidationError) as error:
        reviews.owner_report_save(
            registration=shown, kind=OwnerReportKind.RESULTS, year=year, author=secretary,
            data={"results": "Đạt kết quả tốt."}, assessments={c.pk: (True, "") for c in reviews.criteria_for(shown)},
        )  # fmt: skip

    assert error.value.messages == [
        "Chỉ lập Báo cáo kết quả thực hiện (Mẫu 5) cho mô hình đang thực hiện; "
        f"mô hình này đang ở trạng thái “{label}”."
    ]
    assert not OwnerReport.objects.exists()


def test_review_save_of_a_registration_deleted_meanwhile_is_refused(active, year, secretary):
    shown = Registration.objects.get(pk=active.pk)
    Registration.objects.filter(pk=active.pk).delete()

    with pytest.raises(ValidationError) as error:
        _save(shown, year, secretary)

    assert error.value.messages == ["Mô hình không còn tồn tại."]
