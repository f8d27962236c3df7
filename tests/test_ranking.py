"""The ranking of a year's entries: mean score, tie rules, shared ranks, the disagreement flag, blind rows, sorting."""

import datetime
from decimal import Decimal

import pytest

from registry import appraisals
from registry.models import Status
from tests.appraisal_utils import collective, new_appraiser, propose, submit


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2025, 9, day, 1, 0, tzinfo=datetime.UTC)


@pytest.fixture
def second(khoi):
    return new_appraiser(khoi, "btg2")


@pytest.fixture
def make(dang_bo, chi_bo, year):
    def make(title, *, sent_at=None, submitted_at=None, status=Status.PROPOSED_KHOI):
        return propose(
            unit=dang_bo, year=year, subject_unit=chi_bo, title=title, sent_at=sent_at or at(1),
            submitted_at=submitted_at, status=status,
        )  # fmt: skip

    return make


def _order(user, year=2025):
    return [(e.registration.title, e.rank) for e in appraisals.ranking(user, year)]


def test_entries_are_ranked_by_mean_total(make, appraiser, second):
    low, high = make("Thấp"), make("Cao")
    submit(low, appraiser, collective([10, 10, 10, 10, 10]))
    submit(high, appraiser, collective([20, 20, 20, 10, 10]))

    assert _order(appraiser) == [("Cao", 1), ("Thấp", 2)]


def test_mean_is_over_submitted_appraisals_with_two_decimals(make, appraiser, second, khoi):
    reg = make("Ba phiếu")
    third = new_appraiser(khoi, "btg3")
    submit(reg, appraiser, collective([17, 17, 17, 17, 17]))  # 85
    submit(reg, second, collective([18, 17, 17, 17, 17]))  # 86
    submit(reg, third, collective([18, 17, 17, 17, 17]))  # 86

    (entry,) = appraisals.ranking(appraiser, 2025)
    assert entry.mean == Decimal("85.67")
    assert len(entry.appraisals) == 3


def test_draft_appraisals_do_not_count_and_an_entry_without_submission_is_not_ranked(make, appraiser, second):
    scored, unscored = make("Có phiếu"), make("Chỉ có nháp")
    submit(scored, appraiser, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_save(registration=scored, appraiser=second, file_complete=True, scores={})
    appraisals.appraisal_save(registration=unscored, appraiser=appraiser, file_complete=True, scores={})

    (entry,) = appraisals.ranking(appraiser, 2025)
    assert entry.registration == scored
    assert entry.mean == Decimal("100.00")


def test_equal_means_are_ordered_by_more_criteria_met(make, appraiser):
    fewer, more = make("Ít tiêu chí"), make("Nhiều tiêu chí")
    submit(fewer, appraiser, collective([20, 20, 20, 10, 10], [True, True, True, False, False]))
    submit(more, appraiser, collective([20, 20, 20, 10, 10], [True, True, True, True, False]))

    assert _order(appraiser) == [("Nhiều tiêu chí", 1), ("Ít tiêu chí", 2)]


def test_equal_means_and_criteria_are_ordered_by_earlier_proposal(make, appraiser):
    later, earlier = make("Gửi sau", sent_at=at(10)), make("Gửi trước", sent_at=at(3))
    for reg in (later, earlier):
        submit(reg, appraiser, collective([15, 15, 15, 15, 15]))

    assert _order(appraiser) == [("Gửi trước", 1), ("Gửi sau", 2)]


def test_without_a_sent_proposal_the_registration_submission_time_breaks_the_tie(
    dang_bo, chi_bo, year, appraiser, make
):
    later = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Đăng ký sau", sent_at=None,
                    submitted_at=at(20))  # fmt: skip
    earlier = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Đăng ký trước", sent_at=None,
                      submitted_at=at(2))  # fmt: skip
    for reg in (later, earlier):
        submit(reg, appraiser, collective([15, 15, 15, 15, 15]))

    assert _order(appraiser) == [("Đăng ký trước", 1), ("Đăng ký sau", 2)]


def test_entries_equal_on_every_rule_share_a_rank_and_the_next_rank_skips(make, appraiser):
    a, b, c = make("Bằng nhau A"), make("Bằng nhau B"), make("Đứng sau")
    submit(a, appraiser, collective([15, 15, 15, 15, 15]))
    submit(b, appraiser, collective([15, 15, 15, 15, 15]))
    submit(c, appraiser, collective([10, 10, 10, 10, 10]))

    ranks = dict(_order(appraiser))
    assert ranks == {"Bằng nhau A": 1, "Bằng nhau B": 1, "Đứng sau": 3}


def test_a_spread_above_twenty_points_is_flagged(make, appraiser, second):
    reg = make("Chênh lệch")
    submit(reg, appraiser, collective([20, 20, 20, 20, 20]))  # 100
    submit(reg, second, collective([16, 16, 16, 16, 15]))  # 79

    (entry,) = appraisals.ranking(appraiser, 2025)
    assert entry.spread == 21
    assert entry.disagreement is True


def test_a_spread_of_exactly_twenty_points_is_not_flagged(make, appraiser, second):
    reg = make("Vừa đủ")
    submit(reg, appraiser, collective([20, 20, 20, 20, 20]))
    submit(reg, second, collective([16, 16, 16, 16, 16]))

    (entry,) = appraisals.ranking(appraiser, 2025)
    assert (entry.spread, entry.disagreement) == (20, False)


def test_running_entry_is_hidden_from_an_appraiser_who_has_not_submitted(make, appraiser, second, viewer):
    reg = make("Đang chấm")
    submit(reg, second, collective([20, 20, 20, 20, 20]))

    assert appraisals.ranking(appraiser, 2025)[0].hidden is True
    assert appraisals.ranking(second, 2025)[0].hidden is False
    assert appraisals.ranking(viewer, 2025)[0].hidden is False


def test_finished_entry_is_shown_to_every_appraiser(make, appraiser, second):
    reg = make("Đã xong")
    submit(reg, second, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_finish(reg, actor=second)

    assert appraisals.ranking(appraiser, 2025)[0].hidden is False


def test_ranking_of_another_year_is_empty(make, appraiser):
    submit(make("Năm 2025"), appraiser, collective([20, 20, 20, 20, 20]))

    assert appraisals.ranking(appraiser, 2024) == []


def test_outsider_sees_no_ranking(make, appraiser, outsider):
    submit(make("Năm 2025"), appraiser, collective([20, 20, 20, 20, 20]))

    assert appraisals.ranking(outsider, 2025) == []


def test_sorting_by_a_whitelisted_column_and_reversed(make, appraiser):
    submit(make("B mô hình"), appraiser, collective([10, 10, 10, 10, 10]))
    submit(make("A mô hình"), appraiser, collective([20, 20, 20, 20, 20]))
    entries = appraisals.ranking(appraiser, 2025)

    by_name, used = appraisals.sort_ranking(entries, "ten")
    assert ([e.registration.title for e in by_name], used) == (["A mô hình", "B mô hình"], "ten")
    by_score, used = appraisals.sort_ranking(entries, "diem")
    assert [e.registration.title for e in by_score] == ["B mô hình", "A mô hình"]
    by_score_desc, used = appraisals.sort_ranking(entries, "-diem")
    assert [e.registration.title for e in by_score_desc] == ["A mô hình", "B mô hình"]


@pytest.mark.parametrize("sort", ["status; DROP TABLE", "registration__title", "", None, "-"])
def test_an_unknown_sort_key_falls_back_to_the_rank(make, appraiser, sort):
    submit(make("B"), appraiser, collective([10, 10, 10, 10, 10]))
    submit(make("A"), appraiser, collective([20, 20, 20, 20, 20]))

    entries, used = appraisals.sort_ranking(appraisals.ranking(appraiser, 2025), sort)

    assert used == "hang"
    assert [e.rank for e in entries] == [1, 2]


@pytest.fixture
def blind_year(make, appraiser, second):
    """The best entry scored only by ``second``; three others scored by ``appraiser`` (80, 70, 60)."""
    best = make("Đứng đầu, chưa chấm")
    submit(best, second, collective([20, 20, 20, 20, 20]))
    for title, points in (("Tám mươi", 16), ("Bảy mươi", 14), ("Sáu mươi", 12)):
        submit(make(title), appraiser, collective([points] * 5))
    return best


def test_an_appraiser_who_has_not_submitted_sees_ranks_one_to_n_over_the_visible_entries_only(blind_year, appraiser):
    assert _order(appraiser) == [("Tám mươi", 1), ("Bảy mươi", 2), ("Sáu mươi", 3), ("Đứng đầu, chưa chấm", None)]


def test_a_hidden_entry_carries_no_score_and_no_rank(blind_year, appraiser):
    hidden = appraisals.ranking(appraiser, 2025)[-1]

    assert hidden.registration == blind_year
    assert hidden.hidden is True
    assert (hidden.rank, hidden.mean, hidden.criteria_mean, hidden.spread) == (None, None, None, None)
    assert hidden.appraisals == []
    assert hidden.disagreement is False
    assert hidden.submitted_count == 1


def test_a_viewer_sees_the_full_ranking_and_the_other_appraiser_only_what_they_scored(blind_year, second, viewer):
    assert _order(viewer) == [("Đứng đầu, chưa chấm", 1), ("Tám mươi", 2), ("Bảy mươi", 3), ("Sáu mươi", 4)]
    assert _order(second) == [("Đứng đầu, chưa chấm", 1), ("Tám mươi", None), ("Bảy mươi", None), ("Sáu mươi", None)]


@pytest.mark.parametrize("sort", ["hang", "-hang", "diem", "-diem", "tieu_chi", "-chenh_lech"])
def test_hidden_entries_stay_last_whatever_the_score_sort(blind_year, appraiser, sort):
    entries, _used = appraisals.sort_ranking(appraisals.ranking(appraiser, 2025), sort)

    assert entries[-1].registration == blind_year
    assert sorted(e.rank for e in entries[:-1]) == [1, 2, 3]


@pytest.mark.parametrize("sort", ["hang", "-diem", "tieu_chi", "chenh_lech"])
def test_several_hidden_entries_sort_without_error_in_their_given_order(blind_year, second, sort):
    given = appraisals.ranking(second, 2025)

    entries, _used = appraisals.sort_ranking(given, sort)

    assert entries == given
