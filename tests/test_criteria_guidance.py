"""Criteria worded per guidance (issue #14): a row of one guidance replaces the shared row of the same group and
number for that guidance's years, so loading the 2025 catalogue leaves 2024 papers as they were while 2026 papers
print the new wording, and appraisal scores keep adding up over the rows each year uses."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from registry import appraisals, documents, reviews, terms
from registry.models import Criterion, Guidance, OwnerReportKind, Status, SubjectGroup, Year
from registry.papers import catalogue
from tests.appraisal_utils import collective, propose, submit
from tests.factories import RegistrationFactory, YearFactory
from tests.papers import issue_paper
from tests.pdf.utils import pdf_text, save_pngs

FIXTURE_2025 = "huong-dan-cac-co-quan-dang-tinh-2025"
OLD_WORDING = "(Đảng ủy Khối; đảng ủy cơ sở, chi bộ) xác nhận"
NEW_WORDING = "(Đảng ủy các cơ quan Đảng tỉnh; đảng ủy cơ sở, chi bộ) xác nhận"


def _load_2025():
    call_command("loaddata", FIXTURE_2025, verbosity=0)
    terms.clear_cache()
    return Guidance.objects.get(code="cac-co-quan-dang-tinh-2025")


def _printed_mau_5(reg, user) -> str:
    """Mẫu 5 of ``reg`` written and issued now, as the text of its PDF."""
    reviews.owner_report_save(
        registration=reg, kind=OwnerReportKind.RESULTS, year=reg.year, author=user,
        data={"results": "Người bệnh hài lòng đạt 95%."},
        assessments={c.pk: (True, "") for c in reviews.criteria_for(reg)},
    )  # fmt: skip
    subject = catalogue.subject_from("mau_5", {"mo_hinh": reg.pk, "nam": reg.year.year}, user)
    pdf = documents.pdf_bytes(issue_paper(subject, user))
    save_pngs(pdf, f"mau_5_tieu_chi_{reg.year.year}")
    return " ".join(pdf_text(pdf).split())


def test_loading_the_2025_fixture_leaves_a_2024_years_printed_criteria_unchanged(secretary, chi_bo):
    year_2024 = YearFactory(year=2024)
    reg = RegistrationFactory(subject_unit=chi_bo, year=year_2024, status=Status.ACTIVE, title="Mô hình 2024")
    before = [c.text for c in reviews.criteria_for(reg)]
    _load_2025()
    assert [c.text for c in reviews.criteria_for(reg)] == before
    text = _printed_mau_5(reg, secretary)
    assert OLD_WORDING in text
    assert NEW_WORDING not in text


def test_a_2026_year_of_the_2025_guidance_prints_the_new_wording(secretary, chi_bo):
    year_2026 = YearFactory(year=2026, guidance=_load_2025())
    reg = RegistrationFactory(subject_unit=chi_bo, year=year_2026, status=Status.ACTIVE, title="Mô hình 2026")
    text = _printed_mau_5(reg, secretary)
    assert NEW_WORDING in text
    assert OLD_WORDING not in text
    assert "Tự đánh giá: đạt 5/5 tiêu chí." in text


def test_a_guidances_own_row_replaces_the_shared_one_of_the_same_number_only(db):
    guidance = _load_2025()
    collective_rows = Criterion.for_guidance(guidance.pk, SubjectGroup.COLLECTIVE)
    assert [c.number for c in collective_rows] == [1, 2, 3, 4, 5]
    assert [c.guidance_id for c in collective_rows] == [None, None, None, None, guidance.pk]
    assert [c.guidance_id for c in Criterion.for_guidance(None, SubjectGroup.COLLECTIVE)] == [None] * 5


def test_appraisal_scores_of_each_year_add_up_over_the_rows_it_uses(dang_bo, chi_bo, appraiser, year):
    year_2026 = YearFactory(year=2026, guidance=_load_2025())
    old = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Mô hình 2025")
    new = propose(unit=dang_bo, year=year_2026, subject_unit=chi_bo, title="Mô hình 2026")
    points = collective([20, 18, 15, 10, 5], [True, True, True, False, False])
    old_sheet, new_sheet = submit(old, appraiser, points), submit(new, appraiser, points)
    assert (old_sheet.total_score, old_sheet.criteria_met) == (new_sheet.total_score, new_sheet.criteria_met) == (68, 3)
    last = {sheet.pk: sheet.scores.get(criterion__number=5).criterion.text for sheet in (old_sheet, new_sheet)}
    assert OLD_WORDING in last[old_sheet.pk] and NEW_WORDING in last[new_sheet.pk]


def test_a_2026_entry_scored_on_the_shared_row_its_guidance_replaced_is_refused(dang_bo, chi_bo, appraiser):
    year_2026 = YearFactory(year=2026, guidance=_load_2025())
    entry = propose(unit=dang_bo, year=year_2026, subject_unit=chi_bo, title="Mô hình 2026")
    scores = {c.pk: (True, 10) for c in appraisals.criteria_of(entry)[:4]}
    shared_fifth = Criterion.objects.get(group=SubjectGroup.COLLECTIVE, number=5, guidance__isnull=True)
    scores[shared_fifth.pk] = (True, 10)
    with pytest.raises(ValidationError) as error:
        appraisals.appraisal_submit(
            registration=entry, appraiser=appraiser, file_complete=True, comment="", scores=scores
        )
    assert error.value.message_dict["__all__"] == [appraisals.WRONG_GROUP]


def test_a_yearly_review_counts_the_criteria_of_its_years_guidance_once(chi_bo):
    year_2026 = YearFactory(year=2026, guidance=_load_2025())
    reg = RegistrationFactory(subject_unit=chi_bo, year=year_2026, status=Status.ACTIVE)
    assert reviews.review_rows([reg], year=year_2026)[0]["criteria_total"] == 5


def test_a_second_row_of_one_guidance_for_the_same_criterion_is_refused_in_vietnamese(db):
    guidance = _load_2025()
    duplicate = Criterion(group=SubjectGroup.COLLECTIVE, number=5, guidance=guidance, text="Trùng", max_score=20)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Số thứ tự tiêu chí này đã có cho hướng dẫn này." in error.value.messages


def test_the_registration_form_lists_the_criteria_of_the_current_years_guidance(client, secretary, year):
    Year.objects.filter(pk=year.pk).update(is_open=False)
    YearFactory(year=2026, guidance=_load_2025(), is_open=True)
    client.force_login(secretary)
    page = client.get(reverse("registry:registration-create", args=["mau-1"])).content.decode()
    assert NEW_WORDING in page
    assert OLD_WORDING not in page
