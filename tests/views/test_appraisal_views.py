"""Appraisal pages: the list, the scoring sheet (blind), finishing, the ranking with its export, the panel on the
registration page; personas trying each by URL and by form field."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from registry import appraisals
from registry.models import Appraisal, Criterion, Registration, Status, StatusChange, SubjectGroup
from tests.appraisal_utils import collective, new_appraiser, propose, submit


@pytest.fixture
def entry(dang_bo, chi_bo, year):
    return propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Dân vận khéo trong tiếp dân")


@pytest.fixture
def colleague(khoi):
    return new_appraiser(khoi, "btg2", first_name="Thị Cúc")


def _score_url(reg):
    return reverse("registry:appraisal-score", args=[reg.pk])


def _post_data(reg, values, *, button="nop", file_complete="1", comment="Hồ sơ tốt."):
    data = {"file_complete": file_complete, "comment": comment, button: "1"}
    for c, (met, score) in zip(appraisals.criteria_of(reg), values, strict=True):
        data[f"met_{c.pk}"] = "1" if met else "0"
        data[f"score_{c.pk}"] = str(score)
    return data


def _text(response) -> str:
    return response.content.decode()


# --- access -------------------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client, entry):
    response = client.get(_score_url(entry))

    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_appraiser_sees_the_entry_in_the_list(client, appraiser, entry):
    client.force_login(appraiser)

    response = client.get(reverse("registry:appraisal-list"), {"nam": 2025})

    assert response.status_code == 200
    assert "Dân vận khéo trong tiếp dân" in _text(response)
    assert "Chấm điểm" in _text(response)


def test_year_filter_is_one_flex_line_without_the_fields_bottom_margin(client, appraiser, entry):
    """No grid row (its gutter indented "Năm") and no mb-3 left on the field (it lifted it above "Xem")."""
    client.force_login(appraiser)

    html = client.get(reverse("registry:appraisal-list"), {"nam": 2025}).content.decode()

    assert 'class="d-flex flex-wrap gap-2 align-items-end" id="chon-nam"' in html
    assert 'id="div_id_nam" class="mb-3 filter-field"' in html


def _list_button(client, reg) -> str:
    text = _text(client.get(reverse("registry:appraisal-list"), {"nam": 2025}))
    row = text[text.index(f'data-entry="{reg.pk}"') :]
    row = row[: row.index("</tr>")]
    (label,) = [label for label in ("Chấm điểm", "Xem phiếu") if f">{label}</a>" in row]
    return label


def test_list_button_follows_can_score_draft_then_submitted_then_finished(client, appraiser, entry):
    client.force_login(appraiser)
    assert _list_button(client, entry) == "Chấm điểm"

    appraisals.appraisal_save(registration=entry, appraiser=appraiser, file_complete=True, scores={})
    assert _list_button(client, entry) == "Chấm điểm"

    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))
    assert _list_button(client, entry) == "Xem phiếu"


def test_list_button_of_an_entry_finished_without_the_appraiser_is_view_only(client, appraiser, colleague, entry):
    submit(entry, colleague, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_finish(entry, actor=colleague)
    client.force_login(appraiser)

    assert _list_button(client, entry) == "Xem phiếu"


@pytest.mark.parametrize("persona", ["secretary", "approver", "chi_bo_approver"])
def test_non_appraisers_cannot_open_the_list(client, request, entry, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("registry:appraisal-list")).status_code == 403


@pytest.mark.parametrize("persona", ["khoi_approver", "viewer"])
def test_khoi_members_who_do_not_appraise_are_sent_on_to_the_ranking(client, request, entry, persona):
    """The menu's "Thẩm định, xếp hạng" opens the appraisal list; the Khối's leaders and standing committee, who
    read the ranking but score nothing, land on the ranking with the year they asked for."""
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("registry:appraisal-list"), {"nam": 2025})

    assert response.status_code == 302
    assert response.url == f"{reverse('registry:ranking')}?nam=2025"


def test_the_menu_item_for_appraisal_opens_the_list_to_score(client, appraiser, entry):
    client.force_login(appraiser)
    html = client.get(reverse("registry:home")).content.decode()

    assert f'href="{reverse("registry:appraisal-list")}">Thẩm định, xếp hạng</a>' in html
    listing = client.get(reverse("registry:appraisal-list")).content.decode()
    assert "Chấm điểm" in listing


@pytest.mark.parametrize("persona", ["secretary", "approver", "chi_bo_approver"])
def test_grassroots_users_cannot_score_by_url_or_form(client, request, entry, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(_score_url(entry)).status_code == 403
    response = client.post(_score_url(entry), _post_data(entry, collective([20, 20, 20, 20, 20])))

    assert response.status_code == 403
    assert not Appraisal.objects.exists()


def test_outsider_gets_404_on_the_scoring_sheet(client, outsider, entry):
    client.force_login(outsider)

    assert client.get(_score_url(entry)).status_code == 404
    assert client.post(_score_url(entry), _post_data(entry, collective([20, 20, 20, 20, 20]))).status_code == 404
    assert not Appraisal.objects.exists()


def test_entry_not_proposed_to_the_khoi_sends_back_with_a_message(client, appraiser, chi_bo, year):
    from tests.factories import RegistrationFactory

    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    client.force_login(appraiser)

    response = client.get(_score_url(reg), follow=True)

    assert "Hồ sơ này không ở trạng thái đề nghị thẩm định." in _text(response)


# --- scoring by form ----------------------------------------------------------------------------------------------


def test_saving_a_draft_keeps_it_editable(client, appraiser, entry):
    client.force_login(appraiser)

    response = client.post(
        _score_url(entry), _post_data(entry, collective([10, 10, 10, 10, 10]), button="luu"), follow=True
    )

    assert "Đã lưu bản nháp." in _text(response)
    appraisal = Appraisal.objects.get(registration=entry, appraiser=appraiser)
    assert appraisal.submitted_at is None
    assert appraisal.comment == "Hồ sơ tốt."
    assert 'name="nop"' in _text(response)


def test_submitting_by_form_stores_the_totals(client, appraiser, entry):
    client.force_login(appraiser)

    response = client.post(
        _score_url(entry),
        _post_data(entry, collective([20, 15, 15, 10, 5], [True, True, True, False, False])),
        follow=True,
    )

    assert "Đã nộp phiếu thẩm định." in _text(response)
    appraisal = Appraisal.objects.get(registration=entry, appraiser=appraiser)
    assert (appraisal.total_score, appraisal.criteria_met) == (65, 3)
    assert appraisal.submitted_at is not None
    assert 'name="nop"' not in _text(response)


def test_score_above_the_maximum_shows_the_maximum_under_the_field(client, appraiser, entry):
    client.force_login(appraiser)

    response = client.post(_score_url(entry), _post_data(entry, collective([25, 20, 20, 20, 15])))

    assert response.status_code == 200
    assert "Điểm không được vượt quá 20 (điểm tối đa của tiêu chí này)." in _text(response)
    assert not Appraisal.objects.exists()


def test_a_criterion_of_the_other_group_posted_by_hand_is_refused(client, appraiser, entry):
    client.force_login(appraiser)
    data = _post_data(entry, collective([20, 20, 20, 20, 20]))
    foreign = Criterion.objects.filter(group=SubjectGroup.INDIVIDUAL).first()
    data[f"score_{foreign.pk}"] = "30"
    data[f"met_{foreign.pk}"] = "1"

    response = client.post(_score_url(entry), data)

    assert response.status_code == 200
    assert "Tiêu chí không thuộc bộ tiêu chí của hồ sơ này." in _text(response)
    assert not Appraisal.objects.exists()


def test_submitting_with_a_blank_criterion_is_refused(client, appraiser, entry):
    client.force_login(appraiser)
    data = _post_data(entry, collective([20, 20, 20, 20, 20]))
    last = appraisals.criteria_of(entry)[-1]
    data[f"score_{last.pk}"] = ""

    response = client.post(_score_url(entry), data)

    assert appraisals.MISSING_SCORE in _text(response)
    assert not Appraisal.objects.exists()


def test_posting_again_after_submitting_is_refused_with_a_message(client, appraiser, entry):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))
    client.force_login(appraiser)

    response = client.post(_score_url(entry), _post_data(entry, collective([1, 1, 1, 1, 1])), follow=True)

    assert "Bạn đã nộp phiếu thẩm định cho hồ sơ này." in _text(response)
    assert Appraisal.objects.get(appraiser=appraiser).total_score == 100


@pytest.mark.parametrize("bad", ["abc", "-3", "1e9", "99999999999999999999"])
def test_garbage_scores_are_form_errors_not_500(client, appraiser, entry, bad):
    client.force_login(appraiser)
    data = _post_data(entry, collective([20, 20, 20, 20, 20]))
    data[f"score_{appraisals.criteria_of(entry)[0].pk}"] = bad

    response = client.post(_score_url(entry), data)

    assert response.status_code == 200
    assert not Appraisal.objects.exists()


# --- blind --------------------------------------------------------------------------------------------------------


def test_others_scores_are_hidden_until_the_appraiser_submits(client, appraiser, colleague, entry):
    submit(entry, colleague, collective([19, 19, 19, 19, 1]), comment="Nhận xét của đồng chí Cúc")
    client.force_login(appraiser)

    before = _text(client.get(_score_url(entry)))
    assert "Điểm của các thành viên khác chỉ hiển thị sau khi bạn nộp phiếu của mình" in before
    assert "Nhận xét của đồng chí Cúc" not in before
    assert "Tổng điểm: <strong>77</strong>" not in before

    client.post(_score_url(entry), _post_data(entry, collective([10, 10, 10, 10, 10])))
    after = _text(client.get(_score_url(entry)))
    assert "Nhận xét của đồng chí Cúc" in after
    assert "Tổng điểm: <strong>77</strong>" in after


def test_panel_hides_others_scores_until_own_submission(client, appraiser, colleague, entry):
    submit(entry, colleague, collective([19, 19, 19, 19, 1]))
    client.force_login(appraiser)

    before = _text(client.get(entry.get_absolute_url()))
    assert "Chấm điểm thẩm định" in before
    assert "Trần Thị Cúc: 77 điểm" not in before
    assert "điểm của thành viên khác hiển thị sau khi bạn nộp phiếu" in before

    submit(entry, appraiser, collective([10, 10, 10, 10, 10]))
    after = _text(client.get(entry.get_absolute_url()))
    assert "Trần Thị Cúc: 77 điểm" in after
    assert "tổng điểm <strong>50</strong>" in after


# --- finishing ----------------------------------------------------------------------------------------------------


def test_appraiser_finishes_an_entry(client, appraiser, entry):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))
    client.force_login(appraiser)

    response = client.post(reverse("registry:appraisal-finish", args=[entry.pk]), follow=True)

    assert "Đã hoàn thành thẩm định hồ sơ." in _text(response)
    entry.refresh_from_db()
    assert entry.status == Status.APPRAISED
    assert StatusChange.objects.filter(registration=entry, action="finish_appraisal").count() == 1


def test_finish_without_a_submitted_appraisal_shows_why(client, appraiser, entry):
    client.force_login(appraiser)

    response = client.post(reverse("registry:appraisal-finish", args=[entry.pk]), follow=True)

    assert appraisals.NO_SUBMITTED in _text(response)
    entry.refresh_from_db()
    assert entry.status == Status.PROPOSED_KHOI


@pytest.mark.parametrize(
    "persona, code", [("khoi_approver", 403), ("secretary", 403), ("viewer", 403), ("outsider", 404)]
)
def test_others_cannot_finish_by_url(client, request, appraiser, entry, persona, code):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))
    client.force_login(request.getfixturevalue(persona))

    assert client.post(reverse("registry:appraisal-finish", args=[entry.pk])).status_code == code
    entry.refresh_from_db()
    assert entry.status == Status.PROPOSED_KHOI


def test_finish_is_post_only(client, appraiser, entry):
    client.force_login(appraiser)

    assert client.get(reverse("registry:appraisal-finish", args=[entry.pk])).status_code == 405


def test_generic_transition_url_does_not_finish_an_appraisal(client, appraiser, entry):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))
    client.force_login(appraiser)

    client.post(reverse("registry:registration-transition", args=[entry.pk, "finish_appraisal"]))

    entry.refresh_from_db()
    assert entry.status == Status.PROPOSED_KHOI


def test_scoring_a_finished_entry_by_form_is_refused(client, appraiser, colleague, entry):
    submit(entry, colleague, collective([20, 20, 20, 20, 20]))
    appraisals.appraisal_finish(entry, actor=colleague)
    client.force_login(appraiser)

    response = client.post(_score_url(entry), _post_data(entry, collective([10, 10, 10, 10, 10])), follow=True)

    assert "Hồ sơ đã kết thúc thẩm định; không thể nộp thêm phiếu." in _text(response)
    assert not Appraisal.objects.filter(appraiser=appraiser).exists()


# --- ranking and export -------------------------------------------------------------------------------------------


@pytest.fixture
def ranked(dang_bo, chi_bo, year, appraiser, colleague):
    first = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Mô hình hạng nhất")
    second = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Mô hình hạng nhì")
    submit(first, appraiser, collective([20, 20, 20, 20, 20]), comment="Rất tốt")
    submit(first, colleague, collective([16, 16, 16, 16, 15]))
    submit(second, appraiser, collective([10, 10, 10, 10, 10], [True, True, False, False, False]))
    submit(second, colleague, collective([12, 12, 12, 12, 12]))
    for reg in (first, second):
        appraisals.appraisal_finish(reg, actor=appraiser)
    return first, second


def test_ranking_page_shows_rank_mean_and_disagreement(client, appraiser, ranked):
    client.force_login(appraiser)

    response = client.get(reverse("registry:ranking"), {"nam": 2025})

    text = _text(response)
    assert response.status_code == 200
    assert text.index("Mô hình hạng nhất") < text.index("Mô hình hạng nhì")
    assert '<td class="text-end" data-mean>89,50</td>' in text
    assert text.count("data-disagreement") == 1
    assert "Báo cáo thẩm định (Mẫu 7a)</button>" in text


def test_viewer_of_the_khoi_reads_the_ranking_without_print_buttons(client, viewer, ranked):
    client.force_login(viewer)

    response = client.get(reverse("registry:ranking"), {"nam": 2025})

    assert response.status_code == 200
    assert "Mô hình hạng nhất" in _text(response)
    assert "Báo cáo thẩm định (Mẫu 7a)</button>" not in _text(response)


@pytest.mark.parametrize("persona", ["secretary", "approver", "outsider"])
def test_grassroots_users_cannot_read_the_ranking_or_its_export(client, request, ranked, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("registry:ranking"), {"nam": 2025}).status_code == 403
    assert client.get(reverse("registry:ranking-xlsx"), {"nam": 2025}).status_code == 403


@pytest.mark.parametrize(
    "query", [{"nam": "abc"}, {"nam": "1999"}, {"nam": "2025", "sap_xep": "pk; DROP"}, {"sap_xep": "-diem"}]
)
def test_ranking_page_answers_any_query_without_error(client, appraiser, ranked, query):
    client.force_login(appraiser)

    assert client.get(reverse("registry:ranking"), query).status_code == 200


def test_ranking_sorted_by_score_ascending(client, appraiser, ranked):
    client.force_login(appraiser)

    text = _text(client.get(reverse("registry:ranking"), {"nam": 2025, "sap_xep": "diem"}))

    assert text.index("Mô hình hạng nhì") < text.index("Mô hình hạng nhất")


def test_ranking_export_has_every_appraisers_scores_per_criterion(client, appraiser, ranked):
    client.force_login(appraiser)

    response = client.get(reverse("registry:ranking-xlsx"), {"nam": 2025})

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('xep-hang-tham-dinh-2025.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:3] == ("Xếp hạng", "Tên điển hình", "Tập thể / cá nhân")
    assert "Tiêu chí 5 (điểm / đạt)" in header
    body = rows[1:]
    assert len(body) == 4
    first_rows = [r for r in body if r[1] == "Mô hình hạng nhất"]
    assert {r[0] for r in first_rows} == {1}
    totals = sorted(r[header.index("Tổng điểm")] for r in first_rows)
    assert totals == [79, 100]
    assert first_rows[0][header.index("Điểm bình quân")] == 89.5
    assert first_rows[0][header.index("Chênh lệch > 20 điểm")] == "Có"
    by_total = {r[header.index("Tổng điểm")]: r for r in first_rows}
    assert by_total[100][header.index("Tiêu chí 1 (điểm / đạt)")] == "20 / đạt"
    assert by_total[100][header.index("Nhận xét")] == "Rất tốt"


def test_export_hides_scores_of_a_running_entry_the_appraiser_has_not_scored(
    client, dang_bo, chi_bo, year, appraiser, colleague
):
    reg = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Đang chấm dở")
    submit(reg, colleague, collective([20, 20, 20, 20, 20]))
    client.force_login(appraiser)

    response = client.get(reverse("registry:ranking-xlsx"), {"nam": 2025})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert "Chưa hiển thị: bạn chưa nộp phiếu thẩm định hồ sơ này." in rows[1]
    assert 100 not in rows[1]


# --- panel on the registration page -------------------------------------------------------------------------------


def test_viewer_sees_mean_and_rank_once_appraised(client, viewer, ranked):
    client.force_login(viewer)

    text = _text(client.get(ranked[1].get_absolute_url()))

    assert "Thẩm định cấp Đảng bộ Khối" in text
    assert "<strong data-mean>55,00</strong>" in text
    assert "<strong data-rank>2</strong>" in text
    assert "Chấm điểm thẩm định" not in text


def test_panel_counts_the_submitted_appraisals_of_the_ranked_entry(client, viewer, ranked):
    client.force_login(viewer)

    text = _text(client.get(ranked[1].get_absolute_url()))

    assert "(2 phiếu)" in text


def test_viewer_sees_no_scores_while_the_entry_is_being_appraised(client, viewer, appraiser, entry):
    submit(entry, appraiser, collective([20, 20, 20, 20, 20]))
    client.force_login(viewer)

    text = _text(client.get(entry.get_absolute_url()))

    assert "Thẩm định cấp Đảng bộ Khối" not in text


def test_secretary_sees_no_appraisal_panel(client, secretary, ranked):
    client.force_login(secretary)

    text = _text(client.get(ranked[0].get_absolute_url()))

    assert "Thẩm định cấp Đảng bộ Khối" not in text


def test_entry_detail_keeps_a_bounded_number_of_queries(client, appraiser, ranked, django_assert_max_num_queries):
    client.force_login(appraiser)

    with django_assert_max_num_queries(60):
        assert client.get(ranked[0].get_absolute_url()).status_code == 200
    assert Registration.objects.get(pk=ranked[0].pk).status == Status.APPRAISED


# --- blind ranking: no gap in the ranks ---------------------------------------------------------------------------


@pytest.fixture
def blind(dang_bo, chi_bo, year, appraiser, colleague):
    """The best entry scored only by the colleague; three more scored by the appraiser (80, 70, 60)."""
    best = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Mô hình chưa chấm")
    submit(best, colleague, collective([20, 20, 20, 20, 20]), comment="Nhận xét của đồng chí Cúc")
    for title, points in (("Mô hình tám mươi", 16), ("Mô hình bảy mươi", 14), ("Mô hình sáu mươi", 12)):
        submit(propose(unit=dang_bo, year=year, subject_unit=chi_bo, title=title), appraiser, collective([points] * 5))
    return best


def test_ranking_page_ranks_only_what_the_appraiser_may_see_and_shows_nothing_of_the_hidden_entry(
    client, appraiser, blind
):
    client.force_login(appraiser)

    text = _text(client.get(reverse("registry:ranking"), {"nam": 2025}))

    assert [int(r) for r in re.findall(r'<td class="text-center fw-semibold" data-rank>(\d+)</td>', text)] == [1, 2, 3]
    assert text.index("Mô hình sáu mươi") < text.index("Mô hình chưa chấm")
    row = text[text.index(f'data-entry="{blind.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "Chưa hiển thị điểm: bạn chưa nộp phiếu thẩm định hồ sơ này." in row
    assert "data-rank" not in row and "data-mean" not in row and "100" not in row
    assert '<td class="text-center">1</td>' in row  # how many appraisals were submitted, not what they said


def test_ranking_export_ranks_only_what_the_appraiser_may_see_and_hides_the_rest(client, appraiser, blind):
    client.force_login(appraiser)

    response = client.get(reverse("registry:ranking-xlsx"), {"nam": 2025})

    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert [(r[1], r[0]) for r in body] == [
        ("Mô hình tám mươi", 1),
        ("Mô hình bảy mươi", 2),
        ("Mô hình sáu mươi", 3),
        ("Mô hình chưa chấm", None),
    ]
    hidden = body[-1]
    assert "Chưa hiển thị: bạn chưa nộp phiếu thẩm định hồ sơ này." in hidden
    assert hidden[header.index("Tổng điểm")] is None
    assert 100 not in hidden and "Nhận xét của đồng chí Cúc" not in hidden


def test_after_submitting_the_appraiser_sees_the_full_ranking(client, appraiser, blind):
    submit(blind, appraiser, collective([18, 18, 18, 18, 18]))
    client.force_login(appraiser)

    text = _text(client.get(reverse("registry:ranking"), {"nam": 2025}))

    assert [int(r) for r in re.findall(r'<td class="text-center fw-semibold" data-rank>(\d+)</td>', text)] == [
        1,
        2,
        3,
        4,
    ]
    assert "Chưa hiển thị điểm" not in text
