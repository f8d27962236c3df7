"""The ranking of a year's entries: mean score, tie rules, shared ranks, the disagreement flag, blind rows, sorting."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import appraisals, proposals, reorganisation, terms, workflow
from registry.models import RankingRow, Registration, Status, SubjectKind, Unit, UnitKind
from registry.views import appraisals as views_appraisals
from tests.appraisal_utils import collective, new_appraiser, propose, submit
from tests.factories import PersonFactory, RegistrationFactory, UnitFactory, UserFactory, YearFactory


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


# --- the ranking page's queries do not grow with its entries ------------------------------------------------------

MAX_RANKING_QUERIES = 12


@pytest.fixture
def add_entries(dang_bo, chi_bo, other_dang_bo, other_chi_bo, year, appraiser, second, member):
    """``add_entries(n, proposed=…)``: n entries spread over two grassroots units, collective and individual, some
    finished; the appraiser scored two in three, ``second`` the rest (hidden from the appraiser while running)."""
    branches = [(dang_bo, chi_bo), (other_dang_bo, other_chi_bo)]
    person = PersonFactory(full_name="Trần Văn Quý", work_unit=other_chi_bo, party_cell=other_chi_bo)

    def add_entries(n, *, proposed):
        for i in range(n):
            grassroots, cell = branches[i % 2]
            subject = {"subject_unit": cell} if i % 4 else {"subject_person": person if i % 2 else member}
            status = Status.APPRAISED if i % 5 == 0 else Status.PROPOSED_KHOI
            if proposed:
                reg = propose(unit=grassroots, year=year, title=f"Mô hình {i}", **subject)
            else:
                kind = SubjectKind.PARTY_ORG if "subject_unit" in subject else SubjectKind.MEMBER
                reg = RegistrationFactory(subject_kind=kind, year=year, title=f"Mô hình {i}", **subject)
            Registration.objects.filter(pk=reg.pk).update(status=Status.PROPOSED_KHOI)
            reg.refresh_from_db()
            scorer = second if i % 3 == 0 else appraiser
            values = [(True, 15)] * (5 if reg.is_collective else 3)
            submit(reg, scorer, values)
            Registration.objects.filter(pk=reg.pk).update(status=status)

    return add_entries


def _ranking_queries(client, user, page="registry:ranking") -> int:
    client.force_login(user)
    terms.terms()  # the guidance's names are read once per process (registry.terms), as by any earlier page
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(page), {"nam": 2025})
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("proposed", [True, False], ids=["with-proposals", "without-proposals"])
def test_ranking_page_runs_as_many_queries_for_thirty_entries_as_for_three(client, appraiser, add_entries, proposed):
    add_entries(3, proposed=proposed)
    few = _ranking_queries(client, appraiser)
    add_entries(27, proposed=proposed)

    many = _ranking_queries(client, appraiser)

    assert len(appraisals.ranking(appraiser, 2025)) == 30
    assert many == few
    assert many <= MAX_RANKING_QUERIES


def test_ranking_export_runs_as_many_queries_for_thirty_entries_as_for_three(client, appraiser, add_entries):
    add_entries(3, proposed=False)
    few = _ranking_queries(client, appraiser, "registry:ranking-xlsx")
    add_entries(27, proposed=False)

    assert _ranking_queries(client, appraiser, "registry:ranking-xlsx") == few


def test_ranking_lines_rank_and_hide_as_the_loaded_ranking_does(blind_year, appraiser, second, viewer):
    for user in (appraiser, second, viewer):
        lines = appraisals.ranking_lines(user, 2025)
        loaded = appraisals.ranking(user, 2025)

        assert [(e.registration.pk, e.rank, e.hidden, e.mean) for e in lines] == [
            (e.registration.pk, e.rank, e.hidden, e.mean) for e in loaded
        ]


def test_an_entry_never_proposed_is_shown_under_its_grassroots_unit(
    make, appraiser, dang_bo, chi_bo, other_dang_bo, other_chi_bo, year
):
    proposed = make("Có đề nghị")
    unproposed = RegistrationFactory(subject_unit=other_chi_bo, year=year, title="Không có đề nghị")
    Registration.objects.filter(pk=unproposed.pk).update(status=Status.PROPOSED_KHOI)
    unproposed.refresh_from_db()
    for reg in (proposed, unproposed):
        submit(reg, appraiser, collective([15, 15, 15, 15, 15]))

    units = {e.registration.title: e.proposing_unit for e in appraisals.ranking(appraiser, 2025)}

    assert units == {"Có đề nghị": dang_bo.name, "Không có đề nghị": other_dang_bo.name}


def test_ranking_page_ranks_finished_and_running_entries_together(client, make, appraiser):
    running = make("Đang thẩm định, điểm cao")
    finished = make("Đã thẩm định, điểm thấp")
    submit(running, appraiser, collective([18, 18, 18, 18, 18]))
    submit(finished, appraiser, collective([10, 10, 10, 10, 10]))
    appraisals.appraisal_finish(finished, actor=appraiser)
    client.force_login(appraiser)

    text = client.get(reverse("registry:ranking"), {"nam": 2025}).content.decode()

    ranks = dict(re.findall(r'data-entry="(\d+)".*?data-rank>(\d+)<', text, re.S))
    assert ranks == {str(running.pk): "1", str(finished.pk): "2"}


def test_ranking_page_shows_one_page_of_entries_ranked_over_all_of_them(client, make, appraiser, monkeypatch):
    monkeypatch.setattr(views_appraisals, "RANKING_PAGE_SIZE", 2)
    for title, points in (("Nhất", 18), ("Nhì", 16), ("Ba", 14)):
        submit(make(title), appraiser, collective([points] * 5))
    client.force_login(appraiser)

    text = client.get(reverse("registry:ranking"), {"nam": 2025, "page": 2}).content.decode()

    assert re.findall(r"data-rank>(\d+)<", text) == ["3"]
    assert "Ba" in text and "Nhất" not in text


def test_ranking_page_sorted_by_proposing_unit_places_unproposed_entries_under_their_grassroots_unit(
    client, make, appraiser, other_chi_bo, year
):
    submit(make("Có đề nghị"), appraiser, collective([15] * 5))
    unproposed = RegistrationFactory(subject_unit=other_chi_bo, year=year, title="Không có đề nghị")
    Registration.objects.filter(pk=unproposed.pk).update(status=Status.PROPOSED_KHOI)
    unproposed.refresh_from_db()
    submit(unproposed, appraiser, collective([15] * 5))
    client.force_login(appraiser)

    text = client.get(reverse("registry:ranking"), {"nam": 2025, "sap_xep": "don_vi"}).content.decode()

    # "Đảng bộ Sở Tài chính" sorts before "Đảng bộ Sở Y tế".
    assert text.index("Không có đề nghị") < text.index("Có đề nghị")
    assert "Đảng bộ Sở Tài chính" in text


# --- the ranking table (RankingRow), kept by the services that change what it holds ------------------------------


def test_a_submitted_appraisal_writes_the_ranking_row_in_its_transaction(make, appraiser, second):
    reg = make("Hai phiếu")
    submit(reg, appraiser, collective([20, 20, 20, 20, 10]))  # 90
    submit(reg, second, collective([10, 10, 10, 10, 10]), file_complete=False)  # 50

    row = RankingRow.objects.get(registration=reg)

    assert (row.year, row.khoi_id, row.appraisal_count, row.total_sum, row.min_total, row.max_total) == (
        2025, reg.khoi_id, 2, 140, 50, 90,
    )  # fmt: skip
    (entry,) = appraisals.ranking_lines(appraiser, 2025)
    assert (entry.mean, entry.spread, entry.disagreement, entry.file_complete) == (Decimal("70.00"), 40, True, True)


def test_a_draft_appraisal_writes_no_ranking_row(make, appraiser):
    reg = make("Nháp")
    appraisals.appraisal_save(registration=reg, appraiser=appraiser, file_complete=True, scores={}, submit=False)

    assert not RankingRow.objects.exists()
    assert appraisals.ranking_lines(appraiser, 2025) == []


def test_a_new_score_changes_the_rank_at_once(make, appraiser, second):
    first, other = make("Thứ nhất"), make("Thứ hai")
    submit(first, appraiser, collective([15, 15, 15, 15, 15]))
    submit(other, appraiser, collective([14, 14, 14, 14, 14]))
    assert [e.registration.title for e in appraisals.ranking_lines(appraiser, 2025)] == ["Thứ nhất", "Thứ hai"]

    submit(first, second, collective([5, 5, 5, 5, 5]))

    assert [e.registration.title for e in appraisals.ranking_lines(appraiser, 2025)] == ["Thứ hai", "Thứ nhất"]


def test_closing_the_appraisal_shows_the_new_status_without_a_refresh(make, appraiser):
    reg = make("Đóng")
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))

    appraisals.appraisal_finish(reg, actor=appraiser)

    (entry,) = appraisals.ranking_lines(appraiser, 2025)
    assert entry.registration.status == Status.APPRAISED and entry.rank == 1


def test_finishing_an_appraisal_copies_the_new_status_onto_the_ranking_row(make, appraiser):
    reg = make("Hoàn thành")
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))
    assert RankingRow.objects.get(registration=reg).status == Status.PROPOSED_KHOI

    appraisals.appraisal_finish(reg, actor=appraiser)

    assert RankingRow.objects.get(registration=reg).status == Status.APPRAISED


@pytest.mark.parametrize(
    ("action", "status"), [("confirm_exemplar_khoi", Status.EXEMPLAR_KHOI), ("not_chosen", Status.EXEMPLAR_BASE)]
)
def test_the_khois_decision_copies_the_new_status_onto_the_ranking_row(make, appraiser, khoi_approver, action, status):
    reg = make("Quyết định")
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))
    appraisals.appraisal_finish(reg, actor=appraiser)

    workflow.apply(reg, action, actor=khoi_approver, via="meeting")

    assert RankingRow.objects.get(registration=reg).status == status


def test_any_transition_copies_the_status_and_submission_time_onto_the_ranking_row(chi_bo, year, secretary):
    # A withdrawal never meets a ranked entry; it shows that the copy is kept by ``workflow.apply`` itself, for
    # every transition, not by the services that happen to touch the ranking.
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    RankingRow.objects.create(registration=reg, khoi_id=reg.khoi_id, year=2025, status=Status.DRAFT)

    workflow.apply(reg, "withdraw", actor=secretary)

    reg.refresh_from_db()
    row = RankingRow.objects.get(registration=reg)
    assert (row.status, row.submitted_at) == (Status.DRAFT, reg.submitted_at)


def test_a_refused_transition_leaves_the_ranking_rows_copy_as_it_was(make, appraiser):
    reg = make("Chưa có phiếu")
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))

    with pytest.raises(workflow.TransitionError):
        workflow.apply(reg, "withdraw", actor=appraiser)

    assert RankingRow.objects.get(registration=reg).status == Status.PROPOSED_KHOI


def test_a_ranking_row_copies_the_registrations_year_and_submission_time(dang_bo, chi_bo, year, appraiser):
    reg = propose(unit=dang_bo, year=YearFactory(year=2026), subject_unit=chi_bo, title="Đề nghị năm sau",
                  registered=year, submitted_at=at(4))  # fmt: skip
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))

    row = RankingRow.objects.get(registration=reg)
    assert (row.year, row.registration_year, row.submitted_at, row.status) == (2026, 2025, at(4), Status.PROPOSED_KHOI)


def test_the_ranking_page_ranks_its_rows_without_joining_the_registrations(blind_year, appraiser):
    with CaptureQueriesContext(connection) as queries:
        page = appraisals.ranking_page(appraiser, 2025)

    (ranked,) = [q["sql"] for q in queries.captured_queries if "RANK()" in q["sql"]]
    assert '"registry_registration"' not in ranked
    # Only the page's own registrations are read afterwards, with their titles.
    assert all(e.registration.title for e in page.object_list)


def test_a_blind_entry_is_ranked_on_the_page_once_its_appraisal_is_finished(blind_year, appraiser, second):
    appraisals.appraisal_finish(blind_year, actor=second)

    assert _page_lines(appraiser)[0][:3] == (blind_year.pk, 1, False)
    assert _page_lines(appraiser) == [
        (e.registration.pk, e.rank, e.hidden, e.mean) for e in appraisals.ranking_lines(appraiser, 2025)
    ]


def test_an_entry_whose_status_leaves_the_ranked_ones_leaves_the_ranking(make, appraiser):
    kept, gone = make("Còn"), make("Đi")
    for reg in (kept, gone):
        submit(reg, appraiser, collective([15, 15, 15, 15, 15]))

    # No transition leads out of the ranked statuses today; the ranking reads its row's copy of the status, which
    # ``workflow.apply`` keeps (the tests below), so both are written as a transition would.
    Registration.objects.filter(pk=gone.pk).update(status=Status.CONFIRMED)
    RankingRow.objects.filter(registration=gone).update(status=Status.CONFIRMED)

    assert [e.registration.title for e in appraisals.ranking_lines(appraiser, 2025)] == ["Còn"]
    assert [e.registration.title for e in appraisals.ranking_page(appraiser, 2025).object_list] == ["Còn"]


def test_sending_a_later_proposal_moves_an_appraised_entry_to_that_years_ranking(make, appraiser, approver, dang_bo):
    reg = make("Đề nghị lại")
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))
    Registration.objects.filter(pk=reg.pk).update(status=Status.EXEMPLAR_BASE)  # not chosen by the Khối in 2025
    later = YearFactory(year=2026)

    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=later, registrations=[reg])
    assert RankingRow.objects.get(registration=reg).year == 2025  # a draft proposal does not count yet
    proposals.proposal_send(proposal, actor=approver)

    assert RankingRow.objects.get(registration=reg).year == 2026
    assert appraisals.ranking_lines(appraiser, 2025) == []
    assert [e.registration.pk for e in appraisals.ranking_lines(appraiser, 2026)] == [reg.pk]


def test_a_unit_merged_into_one_of_another_khoi_takes_its_ranking_rows_along(make, appraiser, dang_bo):
    reg = make("Sáp nhập")
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))
    other_khoi = UnitFactory(code="DUK2", name="Đảng bộ cấp trên khác", kind=UnitKind.KHOI)
    target = UnitFactory(code="DUK2-DB", name="Đảng bộ nhận", kind=dang_bo.kind, parent=other_khoi)

    reorganisation.merge(
        Unit.objects.get(pk=dang_bo.pk),
        target,
        effective_on=datetime.date(2025, 7, 1),
        actor=UserFactory(is_superuser=True),
    )

    assert RankingRow.objects.get(registration=reg).khoi_id == other_khoi.pk


def test_a_unit_moved_to_another_khoi_takes_its_ranking_rows_along(make, appraiser, dang_bo):
    reg = make("Chuyển khối")
    submit(reg, appraiser, collective([15, 15, 15, 15, 15]))
    other_khoi = UnitFactory(code="DUK2", name="Đảng bộ Khối doanh nghiệp", kind=UnitKind.KHOI)

    Unit.objects.move(Unit.objects.get(pk=dang_bo.pk), other_khoi, "sorted-child")

    assert RankingRow.objects.get(registration=reg).khoi_id == other_khoi.pk
    assert appraisals.ranking_lines(appraiser, 2025) == []


def test_rebuilding_the_table_writes_the_rows_the_services_wrote(make, appraiser, second):
    for n, title in enumerate(["Một", "Hai", "Ba"]):
        reg = make(title, sent_at=at(n + 1))
        submit(reg, appraiser, collective([10 + n, 15, 15, 15, 15]))
        submit(reg, second, collective([15, 15, 15, 15, 15]), file_complete=n != 1)
    written = list(RankingRow.objects.order_by("pk").values())

    assert appraisals.rebuild_ranking() == 3
    assert list(RankingRow.objects.order_by("pk").values()) == written


def test_the_ranking_reads_no_registration_outside_the_ranking_rows(
    make, appraiser, chi_bo, django_assert_max_num_queries
):
    for n in range(5):
        submit(make(f"Mô hình {n}"), appraiser, collective([15, 15, 15, 15, n]))
    RegistrationFactory.create_batch(
        5, subject_unit=chi_bo, status=Status.EXEMPLAR_BASE
    )  # in the Khối, never appraised

    with django_assert_max_num_queries(3):  # memberships, the rows, the appraiser's own scores
        lines = appraisals.ranking_lines(appraiser, 2025)

    assert [e.rank for e in lines] == [1, 2, 3, 4, 5]


def _page_lines(user, **kw):
    page = appraisals.ranking_page(user, 2025, **kw)
    return [(e.registration.pk, e.rank, e.hidden, e.mean) for e in page.object_list]


def test_the_database_ranks_and_hides_as_the_ranking_lines_do(blind_year, appraiser, second, viewer):
    for user in (appraiser, second, viewer):
        assert _page_lines(user) == [
            (e.registration.pk, e.rank, e.hidden, e.mean) for e in appraisals.ranking_lines(user, 2025)
        ]


def test_the_database_ranks_ties_as_the_ranking_lines_do(make, appraiser, second):
    for n, (title, points, sent) in enumerate(
        [("A", 15, 3), ("B", 15, 1), ("C", 16, 2), ("D", 15, 1), ("E", 14, 1), ("F", 15, 1)]
    ):
        reg = make(title, sent_at=at(sent))
        submit(reg, appraiser if n % 2 else second, collective([points, 15, 15, 15, 15]))
        submit(reg, second if n % 2 else appraiser, collective([15, 15, 15, 15, 15 + n % 2]))

    assert _page_lines(appraiser) == [
        (e.registration.pk, e.rank, e.hidden, e.mean) for e in appraisals.ranking_lines(appraiser, 2025)
    ]
    # B, D and F: 75.5 points, sent on the 1st; C: 75.5, sent later; A: 75; E: 74.5.
    assert [e.rank for e in appraisals.ranking_page(appraiser, 2025).object_list] == [1, 1, 1, 4, 5, 6]


def test_a_page_of_the_database_ranking_holds_its_own_lines_only(blind_year, appraiser):
    first = appraisals.ranking_page(appraiser, 2025, per_page=2, number=1)
    second = appraisals.ranking_page(appraiser, 2025, per_page=2, number=2)

    assert [e.rank for e in first.object_list] == [1, 2]
    assert [(e.rank, e.hidden) for e in second.object_list] == [(3, False), (None, True)]
    assert first.paginator.count == 4


@pytest.mark.parametrize(("number", "expected"), [("abc", 1), ("0", 1), ("-2", 1), ("99", 2), (None, 1)])
def test_a_page_number_out_of_range_gives_the_first_or_last_page(blind_year, appraiser, number, expected):
    page = appraisals.ranking_page(appraiser, 2025, per_page=3, number=number)

    assert page.number == expected and page.paginator.num_pages == 2


def test_a_page_counts_the_finished_entries_as_the_printed_forms_find_them(blind_year, appraiser, second, make):
    finished = make("Đã hoàn thành")
    submit(finished, appraiser, collective([15, 15, 15, 15, 15]))
    appraisals.appraisal_finish(finished, actor=appraiser)

    for number in (1, 2, 3):  # the ranked rows, the blind one, past the last page
        page = appraisals.ranking_page(appraiser, 2025, per_page=4, number=number)
        assert page.finished_count == 1


def test_a_page_of_blind_rows_only_follows_the_ranked_ones(blind_year, appraiser):
    page = appraisals.ranking_page(appraiser, 2025, per_page=3, number=2)

    assert [(e.registration.pk, e.rank, e.hidden) for e in page.object_list] == [(blind_year.pk, None, True)]
    assert page.paginator.count == 4


@pytest.mark.parametrize("number", [1, 2])
def test_a_viewer_past_the_last_page_gets_the_last_one(blind_year, viewer, number):
    page = appraisals.ranking_page(viewer, 2025, per_page=4, number=number)

    assert page.number == 1 and [e.rank for e in page.object_list] == [1, 2, 3, 4]


def test_the_database_ranking_of_a_year_without_entries_is_one_empty_page_for_a_viewer(viewer):
    page = appraisals.ranking_page(viewer, 2025, number=3)

    assert page.number == 1 and list(page.object_list) == [] and page.finished_count == 0


def test_the_database_ranking_of_a_year_without_entries_is_one_empty_page(appraiser):
    page = appraisals.ranking_page(appraiser, 2025, number=3)

    assert page.number == 1 and list(page.object_list) == []


def test_the_registration_pages_line_ranks_as_the_ranking_does(make, appraiser, second, viewer):
    """The panel's mean and rank, read with the entry's appraisals, are those of ``ranking_lines`` for every viewer:
    ties on the mean broken by criteria met, then by proposal time, equal entries sharing a rank, a blind entry
    left out of the others' ranks."""
    blind = make("Đứng đầu, chưa chấm")
    submit(blind, second, collective([20, 20, 20, 20, 20]))
    finished = []
    for title, points, met, day in (
        ("Tám mươi", [16] * 5, None, 3),
        ("Tám mươi, ít tiêu chí", [16] * 5, [True, True, False, False, False], 2),
        ("Bằng nhau A", [14] * 5, None, 4),
        ("Bằng nhau B", [14] * 5, None, 4),
        ("Bằng điểm, gửi sớm", [12] * 5, None, 1),
        ("Bằng điểm, gửi muộn", [12] * 5, None, 5),
    ):
        reg = make(title, sent_at=at(day))
        submit(reg, appraiser, collective(points, met))
        finished.append(reg)
    # Closed at once for the test, as ``workflow.apply`` would: the registration and the ranking row's copy.
    Registration.objects.filter(pk__in=[r.pk for r in finished[1:]]).update(status=Status.APPRAISED)
    RankingRow.objects.filter(registration__in=finished[1:]).update(status=Status.APPRAISED)
    for user in (appraiser, second, viewer):
        expected = {e.registration.pk: (e.rank, e.mean) for e in appraisals.ranking_lines(user, 2025)}
        for reg in finished[1:]:
            reg = Registration.objects.select_related("year", "field", "khoi").get(pk=reg.pk)

            _rows, line = appraisals.panel_appraisals(reg, user, with_line=True)

            assert (line.rank, line.mean) == expected[reg.pk], (user.username, reg.title)
