"""registry.inbox work queues: each role's home lists what waits for it, only within its scope, each task with the
link to where it is done, and an empty queue says so and what comes next."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry import appraisals, periodic_reports, reviews, workflow
from registry.inbox import inbox_for
from registry.models import (
    Meeting,
    OwnerReport,
    OwnerReportKind,
    Purpose,
    ReportPeriod,
    Role,
    Status,
    SubjectKind,
    UnitKind,
    VotingMethod,
)
from registry.terms import terms
from tests.appraisal_utils import collective, new_appraiser, propose, submit
from tests.factories import MembershipFactory, RegistrationFactory, UnitFactory, UserFactory, YearFactory

TODAY = datetime.date(2025, 2, 20)  # 2025: cơ sở registration by 28/02, review by 31/10, reports 10/6 and 10/12


def _queue(user, key, today=TODAY):
    user = type(user).objects.get(pk=user.pk)  # fresh: no memberships cached from an earlier call
    return {queue.key: queue for queue in inbox_for(user, today=today).queues}[key]


def _tasks(queue) -> dict:
    """The waiting tasks of a queue by key."""
    return {task.key: task for task in queue.waiting}


# --- the registrant (bí thư chi bộ, văn phòng) ---------------------------------------------------------------------


def test_secretary_sees_a_returned_entry_with_its_reason_and_a_link_to_it(secretary, approver, chi_bo, year):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, title="Chi bộ gần dân")
    workflow.apply(reg, "submit", actor=secretary)
    workflow.apply(reg, "return", actor=approver, reason="Thiếu kế hoạch chi tiết.")

    task = _tasks(_queue(secretary, "dang-ky"))["tra-lai"]

    assert task.count == 1
    assert [(row.title, row.url, row.note) for row in task.rows] == [
        ("Chi bộ gần dân", reverse("registry:registration-detail", args=[reg.pk]), "Thiếu kế hoạch chi tiết.")
    ]


def test_secretary_does_not_see_another_branchs_returned_entries(secretary, other_chi_bo, year):
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.RETURNED)

    assert "tra-lai" not in _tasks(_queue(secretary, "dang-ky"))


def test_secretary_is_asked_for_the_results_report_of_a_running_model(secretary, chi_bo, member, year):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE, title="Một cửa"
    )

    task = _tasks(_queue(secretary, "dang-ky"))["bao-cao-ket-qua"]

    assert task.count == 1
    assert task.rows[0].url == reverse("registry:owner-report-edit", args=[reg.pk, "mau-5"])


def test_a_written_results_report_leaves_the_secretarys_queue(secretary, chi_bo, member, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    OwnerReport.objects.create(registration=reg, year=year, kind=OwnerReportKind.RESULTS, results="Đã làm.")

    assert "bao-cao-ket-qua" not in _tasks(_queue(secretary, "dang-ky"))


def test_secretarys_empty_queue_says_so_and_names_the_next_deadline(secretary, chi_bo, year):
    queue = _queue(secretary, "dang-ky")

    assert queue.waiting == []
    assert queue.empty == (
        "Không có hồ sơ bị trả lại, bản nháp hay báo cáo nào chờ bạn. Tiếp theo: hạn đăng ký cấp cơ sở 28/02/2025."
    )
    assert queue.next_url == reverse("registry:registration-create-choose")


# --- the receiving committee (đảng ủy cơ sở, chi ủy) ---------------------------------------------------------------


def test_approver_sees_entries_ready_for_a_meeting_exemplars_and_proposals_in_its_branch(
    approver, chi_bo, agency, other_chi_bo, member, year
):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)  # received by the đảng ủy
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.CONFIRMED)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE)
    for status in (Status.ACTIVE, Status.CONFIRMED, Status.EXEMPLAR_BASE):
        RegistrationFactory(subject_unit=other_chi_bo, year=year, status=status)

    tasks = _tasks(_queue(approver, "tiep-nhan-xac-nhan"))

    assert (tasks["hop-xac-nhan"].count, tasks["hop-dien-hinh"].count, tasks["de-nghi"].count) == (2, 1, 1)
    assert tasks["hop-xac-nhan"].url == reverse("registry:meeting-create") + "#cho-quyet-dinh"
    assert tasks["de-nghi"].url == reverse("registry:proposal-create")


def test_chi_bo_committee_neither_confirms_nor_proposes_grassroots_exemplars(chi_bo_approver, chi_bo, member, year):
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.CONFIRMED)
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.EXEMPLAR_BASE)

    assert _tasks(_queue(chi_bo_approver, "tiep-nhan-xac-nhan")) == {}


def test_approver_does_not_wait_on_an_entry_they_registered(approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE, created_by=approver)

    assert "hop-xac-nhan" not in _tasks(_queue(approver, "tiep-nhan-xac-nhan"))


def test_approver_is_reminded_of_a_meeting_saved_but_not_recorded(approver, dang_bo, year):
    meeting = Meeting.objects.create(
        unit=dang_bo, body="Ban Thường vụ Đảng ủy", year=year, purpose=Purpose.CONFIRM_MODEL,
        held_on=datetime.date(2025, 10, 15), place="Hội trường", members_total=7, members_present=6,
        chair_name="Trần Văn Bình", secretary_name="Lê Thị Mai", voting_method=VotingMethod.SHOW_OF_HANDS,
    )  # fmt: skip

    task = _tasks(_queue(approver, "tiep-nhan-xac-nhan"))["ghi-ket-qua"]

    assert task.count == 1
    assert task.rows[0].url == reverse("registry:meeting-detail", args=[meeting.pk])
    assert task.rows[0].title == "Đảng bộ Sở Y tế, họp ngày 15/10/2025"


def test_approvers_empty_queue_says_what_comes_next(approver, year):
    queue = _queue(approver, "tiep-nhan-xac-nhan")

    assert queue.waiting == []
    assert queue.empty.startswith("Không có hồ sơ nào chờ bạn tiếp nhận, họp xét hay đề nghị. Tiếp theo: ")
    assert "28/02/2025" in queue.empty


# --- the Khối standing committee ------------------------------------------------------------------------------------


def test_khoi_committee_sees_appraised_entries_with_a_link_to_its_meeting(khoi_approver, khoi, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.PROPOSED_KHOI)  # still with the appraisers

    (task,) = _queue(khoi_approver, "thuong-vu-khoi").waiting

    assert task.count == 1
    assert task.url == f"{reverse('registry:meeting-create')}?unit={khoi.pk}&purpose=confirm_exemplar_khoi&year=2025"


def test_khoi_committee_with_nothing_appraised_is_told_who_acts_first(khoi_approver, year):
    queue = _queue(khoi_approver, "thuong-vu-khoi")

    assert queue.waiting == []
    assert queue.empty.startswith("Chưa có hồ sơ nào đã thẩm định chờ Ban Thường vụ họp xét. Tiếp theo: ")


def test_grassroots_committee_has_no_khoi_committee_queue(approver, year):
    user = type(approver).objects.get(pk=approver.pk)
    assert "thuong-vu-khoi" not in {queue.key for queue in inbox_for(user, today=TODAY).queues}


# --- the Ban Tuyên giáo appraiser ----------------------------------------------------------------------------------


@pytest.fixture
def proposed(dang_bo, chi_bo, year):
    return propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Đồng hành cùng người bệnh nghèo")


def test_appraiser_sees_a_proposal_waiting_for_their_score_with_a_link_to_the_sheet(appraiser, proposed):
    tasks = _tasks(_queue(appraiser, "tham-dinh"))

    assert tasks["cho-cham"].count == 1
    assert tasks["cho-cham"].rows[0].url == reverse("registry:appraisal-score", args=[proposed.pk])
    assert tasks["cho-cham"].url == f"{reverse('registry:appraisal-list')}?nam=2025"


def test_appraisers_lists_open_on_the_oldest_year_with_a_pending_proposal(appraiser, dang_bo, chi_bo, year):
    YearFactory(year=2026)  # the current year, where nothing is proposed yet
    propose(unit=dang_bo, year=year, subject_unit=chi_bo, title="Đồng hành cùng người bệnh nghèo")

    queue = _queue(appraiser, "tham-dinh", today=datetime.date(2026, 1, 15))

    assert _tasks(queue)["cho-cham"].url == f"{reverse('registry:appraisal-list')}?nam=2025"
    assert queue.next_url == f"{reverse('registry:ranking')}?nam=2025"


def test_a_sheet_left_in_draft_is_listed_as_a_draft_not_as_waiting(appraiser, proposed):
    appraisals.appraisal_save(registration=proposed, appraiser=appraiser, file_complete=True, scores={})

    tasks = _tasks(_queue(appraiser, "tham-dinh"))

    assert set(tasks) == {"phieu-nhap"}
    assert tasks["phieu-nhap"].rows[0].title == "Đồng hành cùng người bệnh nghèo"


def test_a_submitted_sheet_makes_the_appraisal_ready_to_close(appraiser, khoi, proposed):
    submit(proposed, new_appraiser(khoi, "btg2"), collective([20, 18, 15, 10, 5]))

    tasks = _tasks(_queue(appraiser, "tham-dinh"))

    assert tasks["hoan-thanh"].count == 1
    assert tasks["cho-cham"].count == 1  # the other appraiser's sheet does not score for this one


def test_appraiser_does_not_see_another_khois_proposals(appraiser, db, year):
    other = UnitFactory(name="Đảng bộ Khối doanh nghiệp", kind=UnitKind.KHOI)
    cell = UnitFactory(parent=other, name="Chi bộ Công ty A", kind=UnitKind.CHI_BO_CO_SO)
    RegistrationFactory(subject_unit=cell, year=year, status=Status.PROPOSED_KHOI)

    assert _queue(appraiser, "tham-dinh").waiting == []


def test_appraiser_does_not_see_their_own_units_proposal(appraiser, dang_bo, proposed):
    MembershipFactory(user=appraiser, unit=dang_bo, role=Role.EDITOR)

    assert _queue(appraiser, "tham-dinh").waiting == []


def test_appraisers_empty_queue_points_to_the_reports_once_entries_are_appraised(appraiser, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)

    queue = _queue(appraiser, "tham-dinh")

    assert queue.waiting == []
    assert "Báo cáo thẩm định (Mẫu 7a) và Tờ trình (Mẫu 7) cho 1 hồ sơ đã thẩm định" in queue.empty
    assert queue.next_url == f"{reverse('registry:ranking')}?nam=2025"


# --- the unit's reports --------------------------------------------------------------------------------------------


def test_a_report_is_due_near_its_deadline_and_links_to_its_page(secretary, chi_bo, year):
    tasks = _tasks(_queue(secretary, "bao-cao", today=datetime.date(2025, 5, 20)))

    task = tasks[f"bao-cao-6-thang-{chi_bo.pk}"]
    assert task.label == "Báo cáo 6 tháng đầu năm 2025 của Chi bộ Phòng Nghiệp vụ Y"
    assert task.note == "hạn 10/06/2025, còn 21 ngày"
    assert task.url == f"{reverse('registry:periodic-report')}?don_vi={chi_bo.pk}&nam=2025&ky=half_year"
    assert f"bao-cao-nam-{chi_bo.pk}" not in tasks  # 10/12 is far away


def test_a_written_report_is_no_longer_due(secretary, chi_bo, year):
    periodic_reports.periodic_report_save(
        unit=chi_bo, year=year, period=ReportPeriod.HALF_YEAR, data={"highlights": "Tốt."}, user=secretary
    )
    reviews.unit_report_save(unit=chi_bo, year=year, data={"leadership": "Đã chỉ đạo."})

    tasks = _tasks(_queue(secretary, "bao-cao", today=datetime.date(2025, 11, 20)))

    assert set(tasks) == {f"bao-cao-nam-{chi_bo.pk}"}


def test_reports_queue_with_nothing_due_names_the_next_report(secretary, chi_bo, year):
    queue = _queue(secretary, "bao-cao")

    assert queue.waiting == []
    assert queue.empty == "Chưa có báo cáo nào đến hạn. Tiếp theo: Báo cáo 6 tháng đầu năm 2025 của Chi bộ Phòng " \
        "Nghiệp vụ Y, hạn 10/06/2025."  # fmt: skip


# --- cost ----------------------------------------------------------------------------------------------------------


def _queries(user) -> int:
    user = type(user).objects.get(pk=user.pk)
    with CaptureQueriesContext(connection) as ctx:
        inbox_for(user, today=TODAY)
    return len(ctx.captured_queries)


def test_queues_cost_the_same_queries_whatever_the_data(khoi, dang_bo, chi_bo, member, year):
    user = UserFactory(username="moivaitro")
    for unit, role in ((dang_bo, Role.EDITOR), (dang_bo, Role.APPROVER), (khoi, Role.APPRAISER), (khoi, Role.VIEWER)):
        MembershipFactory(user=user, unit=unit, role=role)
    MembershipFactory(user=user, unit=khoi, role=Role.APPROVER)
    terms()  # the guidance's names are read once per process, as by any earlier page
    few = _queries(user)
    for status in (Status.ACTIVE, Status.CONFIRMED, Status.EXEMPLAR_BASE, Status.PROPOSED_KHOI, Status.APPRAISED):
        for _ in range(4):
            RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
            RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=status)

    assert _queries(user) == few
