"""Confirmation meetings (registry.meetings): who may hold one, which entries it may decide, recording the results
all at once or not at all, and its two papers (minutes, decision), issued afterwards each with its own code."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry import documents, meetings, workflow
from registry.models import (
    Document,
    Meeting,
    MeetingEntry,
    Purpose,
    Registration,
    Status,
    StatusChange,
    SubjectKind,
    UnitKind,
)
from registry.papers import catalogue
from registry.workflow import TransitionError
from tests.factories import RegistrationFactory, UnitFactory, YearFactory
from tests.papers import issue_paper

HELD_ON = datetime.date(2025, 10, 10)
DECIDED_ON = datetime.date(2025, 10, 12)


def meeting_data(unit, year, purpose=Purpose.CONFIRM_MODEL, **overrides) -> dict:
    data = {
        "unit": unit,
        "year": year,
        "purpose": purpose,
        "body": meetings.default_body(unit),
        "held_on": HELD_ON,
        "place": "Phòng họp tầng 2, Sở Y tế",
        "members_total": 7,
        "members_present": 6,
        "absence_note": "Đồng chí Lê Văn C đi công tác.",
        "chair_name": "Nguyễn Văn An",
        "secretary_name": "Trần Thị Bích",
        "voting_method": "show_of_hands",
        "pass_rule": "members",
        "conclusion": "Thống nhất xác nhận các mô hình đạt.",
    }
    data.update(overrides)
    return data


def make_meeting(actor, unit, year, entries, purpose=Purpose.CONFIRM_MODEL, **overrides) -> Meeting:
    return meetings.meeting_create(actor=actor, data=meeting_data(unit, year, purpose, **overrides), entries=entries)


def record(meeting, actor):
    return meetings.meeting_record(meeting, actor=actor)


def minutes_of(meeting, user=None) -> catalogue.Subject:
    """The subject of the meeting's minutes, read again (whether it was recorded decides if it may be issued)."""
    return catalogue.meeting_subjects(Meeting.objects.get(pk=meeting.pk), user)[0]


def decision_of(meeting, user=None) -> catalogue.Subject:
    return catalogue.meeting_subjects(Meeting.objects.get(pk=meeting.pk), user)[1]


def issue_decision(meeting, user=None, *, number="12-QĐ/ĐU", **fields):
    """Issue the meeting's decision as its approver would on the issue page, dated ``DECIDED_ON`` by default."""
    return issue_paper(decision_of(meeting), user, number=number, **{"issued_on": DECIDED_ON, **fields})


@pytest.fixture
def active(chi_bo, year):
    """A chi bộ's model, received by the Đảng ủy Sở Y tế and running."""
    return RegistrationFactory(
        subject_unit=chi_bo, year=year, status=Status.ACTIVE, title="Dân vận khéo ở bộ phận một cửa"
    )


@pytest.fixture
def active_2(agency, year):
    return RegistrationFactory(
        subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.ACTIVE, title="Hỏi dân, hiểu dân"
    )


# --- bodies and eligibility -------------------------------------------------------------------------------------


def test_default_body_follows_the_unit_kind(khoi, dang_bo, chi_bo, agency, other_dang_bo):
    assert meetings.default_body(khoi) == "Ban Thường vụ Đảng ủy Khối"
    assert meetings.default_body(dang_bo) == "Ban Thường vụ Đảng ủy"
    assert meetings.default_body(other_dang_bo) == "Ban Chấp hành Đảng bộ"
    assert meetings.default_body(chi_bo) == "Tập thể cấp ủy chi bộ"
    assert meetings.default_body(agency) == "Tập thể lãnh đạo cơ quan"


def test_confirm_model_lists_only_active_entries_registered_with_the_unit(active, dang_bo, chi_bo, other_chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE)
    eligible = meetings.eligible_registrations(unit=dang_bo, purpose=Purpose.CONFIRM_MODEL, year=year)
    assert list(eligible) == [active]
    assert not meetings.eligible_registrations(unit=chi_bo, purpose=Purpose.CONFIRM_MODEL, year=year).exists()


def test_confirm_exemplar_base_lists_confirmed_entries_of_the_grassroots_unit(dang_bo, chi_bo, other_chi_bo, year):
    mine = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.CONFIRMED)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    eligible = meetings.eligible_registrations(unit=dang_bo, purpose=Purpose.CONFIRM_EXEMPLAR_BASE, year=year)
    assert list(eligible) == [mine]


def test_confirm_exemplar_khoi_lists_appraised_entries_only_at_the_khoi(khoi, dang_bo, chi_bo, year):
    appraised = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.PROPOSED_KHOI)
    purpose = Purpose.CONFIRM_EXEMPLAR_KHOI
    assert list(meetings.eligible_registrations(unit=khoi, purpose=purpose, year=year)) == [appraised]
    assert not meetings.eligible_registrations(unit=dang_bo, purpose=purpose, year=year).exists()


# --- creating a meeting -----------------------------------------------------------------------------------------


def test_secretary_cannot_create_a_meeting(secretary, dang_bo, year, active):
    with pytest.raises(PermissionDenied):
        make_meeting(secretary, dang_bo, year, [(active, 5, 1)])
    assert not Meeting.objects.exists()


def test_outsider_cannot_create_a_meeting_of_another_branch(outsider, dang_bo, year, active):
    with pytest.raises(PermissionDenied):
        make_meeting(outsider, dang_bo, year, [(active, 5, 1)])


def test_chi_bo_approver_cannot_confirm_a_model_registered_with_the_dang_bo(chi_bo_approver, chi_bo, year, active):
    with pytest.raises(ValidationError) as exc:
        make_meeting(chi_bo_approver, chi_bo, year, [(active, 5, 1)])
    assert exc.value.messages == [f"Mô hình “{active.title}” không thuộc diện xét tại cuộc họp này."]
    assert not Meeting.objects.exists()


def test_khoi_purpose_needs_the_khoi_root(approver, dang_bo, year, chi_bo):
    appraised = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    with pytest.raises(ValidationError) as exc:
        make_meeting(approver, dang_bo, year, [(appraised, 5, 1)], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI)
    assert exc.value.message_dict == {
        "unit": ["Chỉ Ban Thường vụ Đảng ủy Khối xét, xác nhận điển hình cấp Đảng bộ Khối."]
    }


def test_votes_beyond_members_present_are_refused(approver, dang_bo, year, active):
    with pytest.raises(ValidationError) as exc:
        make_meeting(approver, dang_bo, year, [(active, 5, 2)])
    assert exc.value.messages == [
        "Tổng số phiếu đồng ý và không đồng ý (7) không được lớn hơn số thành viên có mặt (6)."
    ]
    assert not Meeting.objects.exists()


def test_meeting_in_the_future_is_refused(approver, dang_bo, year, active):
    with pytest.raises(ValidationError) as exc:
        make_meeting(approver, dang_bo, year, [(active, 5, 1)], held_on=timezone.localdate() + datetime.timedelta(1))
    assert exc.value.message_dict["held_on"] == ["Ngày họp không được ở tương lai."]


def test_more_present_than_total_is_refused(approver, dang_bo, year, active):
    with pytest.raises(ValidationError) as exc:
        make_meeting(approver, dang_bo, year, [(active, 5, 1)], members_present=8)
    assert "Số thành viên có mặt không được lớn hơn tổng số thành viên." in exc.value.message_dict["members_present"]


# --- recording ------------------------------------------------------------------------------------------------


def test_recording_confirms_entries_that_pass_and_leaves_the_others(approver, dang_bo, year, active, active_2):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1), (active_2, 3, 3)])
    record(meeting, approver)

    active.refresh_from_db()
    active_2.refresh_from_db()
    assert active.status == Status.CONFIRMED
    assert active_2.status == Status.ACTIVE
    assert list(meeting.entries.order_by("pk").values_list("passed", flat=True)) == [True, False]
    change = StatusChange.objects.get(registration=active)
    assert (change.action, change.actor, change.reason) == (
        "confirm",
        approver,
        "Biên bản họp ngày 10/10/2025: 5/7 đồng ý",
    )
    assert not StatusChange.objects.filter(registration=active_2).exists()
    meeting.refresh_from_db()
    assert meeting.recorded_by == approver and meeting.recorded_at is not None


def test_recording_issues_no_paper(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)

    assert not Document.objects.filter(meeting=meeting).exists()
    assert all(documents.current(subject) is None for subject in catalogue.meeting_subjects(meeting, approver))


def test_recording_returns_the_meeting_as_recorded(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])

    recorded = record(meeting, approver)

    assert recorded.pk == meeting.pk
    assert recorded.recorded_by == approver and recorded.recorded_at is not None


def test_the_minutes_are_issued_with_their_own_number_on_the_meeting_day_signed_by_the_chair(
    approver, dang_bo, year, active
):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)

    minutes = issue_paper(minutes_of(meeting), number="05-BB/ĐU")

    assert (minutes.form_code, minutes.meeting, minutes.issuing_unit) == ("mau_5a", meeting, dang_bo)
    assert (minutes.number, minutes.issued_on, minutes.signer_title, minutes.signer_name) == (
        "05-BB/ĐU",
        HELD_ON,
        "CHỦ TRÌ",
        "Nguyễn Văn An",
    )


def test_the_decision_is_issued_with_its_number_date_and_signer_and_lists_the_passed_entries(
    approver, dang_bo, year, active
):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)

    decision = issue_decision(meeting, approver, signer_name="Phạm Văn Đức")

    assert (decision.form_code, decision.number, decision.issued_on, decision.issuing_unit, decision.year) == (
        "mau_5b",
        "12-QĐ/ĐU",
        DECIDED_ON,
        dang_bo,
        2025,
    )
    assert (decision.signer_authority, decision.signer_title, decision.signer_name) == (
        "T/M BAN THƯỜNG VỤ",
        "BÍ THƯ",
        "Phạm Văn Đức",
    )
    assert decision.created_by == approver
    assert [row["title"] for row in decision.snapshot["rows"]] == [active.title]


def test_a_decision_number_typed_as_digits_is_written_as_the_units_decision_number(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)

    assert issue_decision(meeting, number="12").number == "12-QĐ/ĐU"


def test_the_papers_of_a_meeting_not_recorded_cannot_be_issued(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])

    for subject in catalogue.meeting_subjects(meeting, approver):
        with pytest.raises(ValidationError) as exc:
            issue_paper(subject, approver)
        assert exc.value.code == "not_ready"
        assert "Cuộc họp chưa ghi kết quả" in exc.value.messages[0]
    assert not Document.objects.exists()


def test_a_decision_dated_before_the_meeting_is_refused(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)

    with pytest.raises(ValidationError) as exc:
        issue_decision(meeting, issued_on=HELD_ON - datetime.timedelta(days=1))

    assert exc.value.message_dict["issued_on"][0].startswith("Ngày văn bản không được trước ngày họp (10/10/2025)")
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "chi_bo_approver", "outsider", "appraiser"])
def test_only_an_approver_of_the_meetings_unit_may_issue_its_papers(request, persona, approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)

    with pytest.raises(PermissionDenied):
        issue_decision(meeting, request.getfixturevalue(persona))
    assert not Document.objects.exists()


def test_a_meeting_is_recorded_only_once(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)
    with pytest.raises(ValidationError) as exc:
        record(meeting, approver)
    assert exc.value.messages == ["Cuộc họp này đã được ghi kết quả."]
    assert StatusChange.objects.filter(registration=active).count() == 1


def test_an_entry_changed_meanwhile_rolls_the_whole_recording_back(approver, dang_bo, year, active, active_2):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1), (active_2, 6, 0)])
    workflow.apply(active_2, "stop", actor=approver, reason="Đơn vị sáp nhập.")

    with pytest.raises(TransitionError) as exc:
        record(meeting, approver)

    assert exc.value.code == "invalid_transition"
    assert "Dừng thực hiện" in exc.value.messages[0]
    active.refresh_from_db()
    meeting.refresh_from_db()
    assert active.status == Status.ACTIVE
    assert meeting.recorded_at is None
    assert set(meeting.entries.values_list("passed", flat=True)) == {None}


def test_an_approver_of_another_unit_cannot_record(approver, outsider, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    with pytest.raises(PermissionDenied):
        record(meeting, outsider)
    active.refresh_from_db()
    assert active.status == Status.ACTIVE


def test_a_decision_number_used_by_the_unit_that_year_is_refused_and_nothing_is_issued(
    approver, dang_bo, year, active, active_2
):
    first = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(first, approver)
    issue_decision(first)
    second = make_meeting(approver, dang_bo, year, [(active_2, 5, 1)])
    record(second, approver)

    with pytest.raises(ValidationError) as exc:
        issue_decision(second)

    assert exc.value.message_dict["number"] == ["Số văn bản này đơn vị đã dùng trong năm."]
    assert not Document.objects.filter(meeting=second).exists()


def test_a_malformed_decision_number_is_refused(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    record(meeting, approver)

    with pytest.raises(ValidationError) as exc:
        issue_decision(meeting, number="QĐ-12")

    assert exc.value.message_dict["number"] == [
        "Số văn bản phải có dạng 12-BB/ĐU (văn bản Đảng) hoặc 05/ĐK-SYT (văn bản hành chính)."
    ]
    assert not Document.objects.exists()


def test_pass_rule_of_present_members_counts_against_those_present(approver, dang_bo, year, active):
    meeting = make_meeting(approver, dang_bo, year, [(active, 4, 0)], members_present=6, pass_rule="present")
    record(meeting, approver)
    active.refresh_from_db()
    assert active.status == Status.CONFIRMED
    assert StatusChange.objects.get(registration=active).reason == "Biên bản họp ngày 10/10/2025: 4/6 đồng ý"


def test_grassroots_exemplar_meeting_confirms_exemplars(approver, dang_bo, chi_bo, year):
    confirmed = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    meeting = make_meeting(approver, dang_bo, year, [(confirmed, 6, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_BASE)
    record(meeting, approver)
    confirmed.refresh_from_db()
    assert confirmed.status == Status.EXEMPLAR_BASE
    assert StatusChange.objects.get(registration=confirmed).action == "confirm_exemplar_base"


def test_grassroots_exemplar_meeting_issues_mau_6a_minutes_and_mau_6b_decision(approver, dang_bo, chi_bo, year):
    confirmed = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    meeting = make_meeting(approver, dang_bo, year, [(confirmed, 6, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_BASE)
    record(meeting, approver)

    issue_paper(minutes_of(meeting))
    issue_decision(meeting)

    assert set(Document.objects.filter(meeting=meeting).values_list("form_code", flat=True)) == {"mau_6a", "mau_6b"}


def test_chi_bo_approver_cannot_confirm_grassroots_exemplars(chi_bo_approver, chi_bo, year):
    confirmed = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    with pytest.raises(ValidationError):
        make_meeting(chi_bo_approver, chi_bo, year, [(confirmed, 6, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_BASE)


def khoi_meeting(khoi_approver, khoi, year, entries) -> Meeting:
    return make_meeting(
        khoi_approver, khoi, year, entries, purpose=Purpose.CONFIRM_EXEMPLAR_KHOI,
        members_total=11, members_present=9,
    )  # fmt: skip


def test_khoi_meeting_confirms_khoi_exemplars_and_returns_the_others(khoi_approver, khoi, chi_bo, year):
    chosen = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    other = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    meeting = khoi_meeting(khoi_approver, khoi, year, [(chosen, 9, 0), (other, 3, 6)])
    record(meeting, khoi_approver)

    chosen.refresh_from_db()
    other.refresh_from_db()
    assert (chosen.status, other.status) == (Status.EXEMPLAR_KHOI, Status.EXEMPLAR_BASE)
    assert StatusChange.objects.get(registration=other).action == "not_chosen"


def test_khoi_meetings_minutes_have_their_own_code_apart_from_the_decision(khoi_approver, khoi, chi_bo, year):
    chosen = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    meeting = khoi_meeting(khoi_approver, khoi, year, [(chosen, 9, 0)])
    record(meeting, khoi_approver)

    minutes = issue_paper(minutes_of(meeting), number="3")
    decision = issue_decision(meeting, number="45")

    assert (minutes.form_code, minutes.number) == ("mau_7b_bb", "3-BB/ĐUK")
    assert (decision.form_code, decision.number) == ("mau_7b", "45-QĐ/ĐUK")
    assert minutes.verification_code != decision.verification_code


def test_approver_of_a_dang_bo_cannot_decide_khoi_exemplars_by_service(approver, khoi, chi_bo, year):
    appraised = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)
    with pytest.raises(PermissionDenied):
        make_meeting(approver, khoi, year, [(appraised, 9, 0)], purpose=Purpose.CONFIRM_EXEMPLAR_KHOI)


@pytest.mark.parametrize("action", ["confirm", "confirm_exemplar_base", "confirm_exemplar_khoi", "not_chosen"])
def test_meeting_actions_are_refused_outside_a_meeting(action, khoi_approver, chi_bo, year):
    status = {"confirm": Status.ACTIVE, "confirm_exemplar_base": Status.CONFIRMED}.get(action, Status.APPRAISED)
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=status)
    with pytest.raises(TransitionError) as exc:
        workflow.apply(reg, action, actor=khoi_approver)
    assert exc.value.messages == ["Thao tác không hợp lệ."]
    assert Registration.objects.get(pk=reg.pk).status == status


def test_a_chi_bo_co_so_decides_its_own_grassroots_exemplars(khoi, year):
    cell = UnitFactory(parent=khoi, code="CB-CS", name="Chi bộ Trường Chính trị", kind=UnitKind.CHI_BO_CO_SO)
    reg = RegistrationFactory(subject_unit=cell, year=year, status=Status.CONFIRMED)
    eligible = meetings.eligible_registrations(unit=cell, purpose=Purpose.CONFIRM_EXEMPLAR_BASE, year=year)
    assert list(eligible) == [reg]


def test_recording_refuses_an_entry_slipped_in_after_the_meeting_was_prepared(
    approver, dang_bo, year, active, other_chi_bo
):
    meeting = make_meeting(approver, dang_bo, year, [(active, 5, 1)])
    foreign = RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE)
    MeetingEntry.objects.create(meeting=meeting, registration=foreign, votes_for=6, votes_against=0)

    with pytest.raises(ValidationError) as exc:
        record(meeting, approver)

    assert exc.value.code == "not_eligible"
    active.refresh_from_db()
    foreign.refresh_from_db()
    assert (active.status, foreign.status) == (Status.ACTIVE, Status.ACTIVE)


# --- what waits for a meeting, and which unit's meeting decides it ----------------------------------------------


def _groups(user, year) -> set[tuple[str, str, int]]:
    return {(g.unit.name, g.purpose, g.count) for g in meetings.waiting_groups(user, year)}


def test_waiting_groups_put_each_entry_under_the_unit_whose_body_decides_it(
    approver, chi_bo, agency, member, other_chi_bo, year
):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)  # registered with the đảng ủy
    RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE)
    RegistrationFactory(subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.CONFIRMED)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.ACTIVE)  # another branch

    assert _groups(approver, year) == {
        ("Đảng bộ Sở Y tế", Purpose.CONFIRM_MODEL, 1),
        ("Chi bộ Phòng Nghiệp vụ Y", Purpose.CONFIRM_MODEL, 1),
        ("Đảng bộ Sở Y tế", Purpose.CONFIRM_EXEMPLAR_BASE, 2),
    }


def test_waiting_groups_give_appraised_entries_to_the_khoi_standing_committee(khoi_approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.APPRAISED)

    assert _groups(khoi_approver, year) == {("Đảng bộ Khối các cơ quan tỉnh", Purpose.CONFIRM_EXEMPLAR_KHOI, 1)}


def test_waiting_groups_leave_out_later_years(approver, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=YearFactory(year=2026), status=Status.ACTIVE)

    assert _groups(approver, year) == set()


def test_decided_elsewhere_names_the_chi_bo_for_a_members_model_when_the_dang_bo_is_chosen(
    approver, dang_bo, chi_bo, member, year
):
    reg = RegistrationFactory(
        subject_kind=SubjectKind.MEMBER, subject_person=member, year=year, status=Status.ACTIVE, title="Một cửa"
    )

    count, found = meetings.decided_elsewhere(approver, unit=dang_bo, purpose=Purpose.CONFIRM_MODEL, year=year)

    assert (count, found) == (1, [(reg, chi_bo)])
    assert meetings.elsewhere_message(dang_bo, count, found) == (
        "Cuộc họp của Đảng bộ Sở Y tế không xét được 1 mô hình đang chờ trong đơn vị này: “Một cửa” do Chi bộ "
        "Phòng Nghiệp vụ Y xét. Hãy chọn đơn vị xét “Chi bộ Phòng Nghiệp vụ Y”."
    )


def test_decided_elsewhere_names_the_grassroots_unit_for_an_exemplar_when_the_chi_bo_is_chosen(
    approver, dang_bo, chi_bo, year
):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)

    found = meetings.decided_elsewhere(approver, unit=chi_bo, purpose=Purpose.CONFIRM_EXEMPLAR_BASE, year=year)

    assert found == (1, [(reg, dang_bo)])


def test_decided_elsewhere_is_empty_when_the_chosen_unit_decides_everything_under_it(approver, dang_bo, chi_bo, year):
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)  # registered with the đảng ủy

    assert meetings.decided_elsewhere(approver, unit=dang_bo, purpose=Purpose.CONFIRM_MODEL, year=year) == (0, [])
