"""How many queries the list and the registration page cost (issue 17): a bound per page, whatever the rows show.

Each page is opened once first: the filter options and catalogue values are then kept in memory (registry/choices.py),
as they are on a server after its first request.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from registry import appraisals, workflow
from registry.models import (
    Attachment,
    Meeting,
    MeetingEntry,
    OwnerReport,
    OwnerReportKind,
    Purpose,
    Status,
    VotingMethod,
    YearlyReview,
)
from tests.appraisal_utils import collective, propose, submit
from tests.factories import RegistrationFactory, UnitFactory
from tests.papers import issue_registration_form

LIST = reverse("registry:registration-list")

# session, user, memberships, the first page's rows (with the catalogue stamp and the inbox badge's count), the bounded
# count (a later page: its ids, then its rows)
LIST_QUERIES = 5
DETAIL_QUERIES = 12


@pytest.fixture
def rows(chi_bo, agency, member, year):
    """Thirty entries of every kind of subject, some late: a row that read a related row or a deferred column
    would show as thirty more queries."""
    kinds = [
        {"subject_unit": chi_bo},
        {"subject_unit": agency, "subject_kind": "agency"},
        {"subject_person": member, "subject_kind": "member"},
    ]
    return [
        RegistrationFactory(year=year, title=f"Mô hình {i:02d}", status=Status.SUBMITTED if i % 2 else Status.DRAFT,
                            **kinds[i % 3])
        for i in range(30)
    ]  # fmt: skip


@pytest.mark.parametrize("persona", ["secretary", "approver", "viewer"])
@pytest.mark.parametrize(
    ("query", "lookups"),
    [("", 0), ("?sap_xep=don_vi", 0), ("?trang_thai=submitted&q=mo+hinh&page=2", 0), ("?nam=2025&cap=co_so", 1)],
)
def test_list_page_queries_are_bounded(client, request, rows, django_assert_max_num_queries, persona, query, lookups):
    # ``lookups``: a chosen year, unit or lĩnh vực is checked against the database, one query each. A search on
    # PostgreSQL also asks the planner how common its rarest word is (``filters.is_common_search``): one EXPLAIN.
    estimate = 1 if "q=" in query and connection.vendor == "postgresql" else 0
    client.force_login(request.getfixturevalue(persona))
    assert client.get(LIST + query).status_code == 200
    with django_assert_max_num_queries(LIST_QUERIES + lookups + estimate):
        assert client.get(LIST + query).status_code == 200


def test_list_page_queries_do_not_grow_with_the_unit_options(
    client, viewer, rows, django_assert_max_num_queries, dang_bo
):
    for i in range(20):
        UnitFactory(parent=dang_bo, name=f"Chi bộ số {i:02d}", kind="chi_bo")
    client.force_login(viewer)
    client.get(LIST)
    with django_assert_max_num_queries(LIST_QUERIES):
        html = client.get(LIST).content.decode()
    assert "Chi bộ số 19" in html


def test_list_page_reads_the_badge_and_the_options_apart_when_it_has_no_row(client, secretary, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)  # a draft: the secretary's badge counts it
    client.force_login(secretary)

    response = client.get(LIST + "?trang_thai=confirmed")

    assert response.context["inbox_badge"].count == 1
    assert "Không có mô hình nào phù hợp với điều kiện lọc." in response.content.decode()
    assert f'<option value="{chi_bo.pk}">' in response.content.decode()


def test_list_page_badge_counts_what_the_inbox_counts(client, secretary, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.RETURNED)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.SUBMITTED)
    client.force_login(secretary)

    response = client.get(LIST)

    assert response.context["inbox_badge"].count == 2
    assert ">2 hồ sơ<span" in response.content.decode()


@pytest.fixture
def full_history(chi_bo, secretary, approver, year):
    """An entry with a history, evidence and its issued form: every panel of the page has something to show."""
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    workflow.apply(reg, "return", actor=approver, reason="Bổ sung số liệu.")
    workflow.apply(reg, "submit", actor=secretary)
    for name in ("anh-hoat-dong.pdf", "bao-cao.pdf"):
        Attachment.objects.create(
            registration=reg, file=ContentFile(b"%PDF-1.4\n", name=name), original_name=name,
            content_type="application/pdf", size=9, uploaded_by=secretary,
        )  # fmt: skip
    issue_registration_form(reg)
    return reg


@pytest.mark.parametrize("persona", ["secretary", "approver", "viewer"])
def test_detail_page_queries_are_at_most_twelve(client, request, full_history, django_assert_max_num_queries, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(full_history.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(DETAIL_QUERIES):
        assert client.get(full_history.get_absolute_url()).status_code == 200


# The appraisal panel reads the submitted appraisals with the viewer's own in one query (their totals, not their
# scores) and, once appraised, the entry's line of the ranking in one more (its year asked inside that query); the
# navigation bar's count comes with the entry, and so does whether it has yearly reviews, owner's reports, meetings,
# proposals, documents or evidence (a panel with nothing to show reads nothing).
APPRAISAL_STAGE_QUERIES = 8


@pytest.mark.parametrize("finished", [False, True], ids=["being-appraised", "appraised"])
def test_detail_page_queries_at_the_khoi_appraisal_are_bounded(
    client, appraiser, dang_bo, chi_bo, year, django_assert_max_num_queries, finished
):
    entry = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Dân vận khéo trong tiếp dân")
    submit(entry, appraiser, collective([20, 20, 20, 20, 15]))
    if finished:
        appraisals.appraisal_finish(entry, actor=appraiser)
    client.force_login(appraiser)
    assert client.get(entry.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(APPRAISAL_STAGE_QUERIES):
        assert client.get(entry.get_absolute_url()).status_code == 200


@pytest.fixture
def appraised_in_full(dang_bo, chi_bo, year, appraiser, approver):
    """An appraised entry with every panel filled: its meeting, its proposal, an issued form, evidence, a yearly
    review, an owner's report and a submitted appraisal."""
    entry = propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Dân vận khéo trong tiếp dân")
    meeting = Meeting.objects.create(
        unit=dang_bo, body="Ban Thường vụ Đảng ủy", year=year, purpose=Purpose.CONFIRM_MODEL,
        held_on=datetime.date(2025, 10, 15), place="Hội trường", members_total=7, members_present=6,
        chair_name="Trần Văn Bình", secretary_name="Lê Thị Mai", voting_method=VotingMethod.SHOW_OF_HANDS,
    )  # fmt: skip
    MeetingEntry.objects.create(meeting=meeting, registration=entry, votes_for=6, passed=True)
    Attachment.objects.create(
        registration=entry, file=ContentFile(b"%PDF-1.4\n", name="bao-cao.pdf"), original_name="bao-cao.pdf",
        content_type="application/pdf", size=9, uploaded_by=approver,
    )  # fmt: skip
    YearlyReview.objects.create(registration=entry, year=year, results="Giảm 30% hồ sơ trễ hạn.")
    OwnerReport.objects.create(registration=entry, year=year, kind=OwnerReportKind.ACHIEVEMENTS, results="Tốt.")
    issue_registration_form(entry, approver)
    submit(entry, appraiser, collective([20, 20, 20, 20, 15]))
    appraisals.appraisal_finish(entry, actor=appraiser)
    return entry


@pytest.mark.parametrize("persona", ["appraiser", "viewer", "approver"])
def test_detail_page_queries_of_an_appraised_entry_with_every_panel_are_bounded(
    client, request, appraised_in_full, django_assert_max_num_queries, persona
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(appraised_in_full.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(DETAIL_QUERIES):
        html = client.get(appraised_in_full.get_absolute_url()).content.decode()
    assert "data-appraisal-result" in html or persona == "approver"


def test_detail_page_of_an_entry_with_nothing_in_its_panels_reads_none_of_them(
    client, secretary, chi_bo, year, django_assert_max_num_queries
):
    # session, user, memberships, the entry (with the badge, the stamp and whether each panel has anything), its
    # timeline: no meetings, proposals, documents, evidence, reviews or reports to read.
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    client.force_login(secretary)
    assert client.get(reg.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(reg.get_absolute_url()).status_code == 200
