"""registry.reorganisation: merging, moving and renaming units in one transaction, what follows, what stays, and
the history that says who was where when."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from registry import documents, reorganisation
from registry.models import (
    Document,
    JobStatus,
    KhoiProposal,
    Level,
    Meeting,
    Membership,
    PeriodicReport,
    Person,
    PrintJob,
    Registration,
    Reorganisation,
    ReorganisationKind,
    ReportPeriod,
    Role,
    Status,
    Unit,
    UnitKind,
)
from tests.factories import MembershipFactory, PersonFactory, RegistrationFactory, UnitFactory, UserFactory
from tests.papers import issue_registration_form, submitted

JULY_2025 = datetime.date(2025, 7, 1)


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", is_staff=True, is_superuser=True)


def fresh(unit: Unit) -> Unit:
    return Unit.objects.get(pk=unit.pk)


def meeting_of(unit, year, **fields):
    return Meeting.objects.create(
        unit=unit, body="Ban Thường vụ Đảng ủy", year=year, purpose="confirm_model", held_on=datetime.date(2025, 5, 5),
        place="Hội trường", members_total=7, members_present=7, chair_name="Nguyễn Văn A",
        secretary_name="Trần Thị B", voting_method="show_of_hands", **fields,
    )  # fmt: skip


def snapshot(*models):
    """Every row of the given models as tuples: proof that a refused operation changed nothing."""
    return {model.__name__: sorted(model.objects.values_list()) for model in models}


EVERYTHING = (Unit, Registration, Membership, Person, Meeting, Reorganisation)


# --- Merge ---------------------------------------------------------------------------------------------------------


def test_merge_moves_the_sub_units_under_the_receiving_unit(other_dang_bo, other_chi_bo, dang_bo, superuser):
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    assert Unit.objects.get_parent(fresh(other_chi_bo)) == fresh(dang_bo)
    assert Unit.objects.get_children(fresh(other_dang_bo)).count() == 0


def test_merge_keeps_the_merged_unit_inactive_with_its_name(other_dang_bo, dang_bo, superuser):
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    merged = fresh(other_dang_bo)
    assert (merged.is_active, merged.name) == (False, "Đảng bộ Sở Tài chính")


def test_merge_hands_the_units_registrations_and_receipts_to_the_receiving_unit(
    other_dang_bo, other_chi_bo, dang_bo, year, superuser
):
    own = RegistrationFactory(subject_unit=other_dang_bo, year=year, status=Status.SUBMITTED)
    below = RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.SUBMITTED)
    assert below.receiving_unit == other_dang_bo
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    own.refresh_from_db()
    below.refresh_from_db()
    assert (own.unit, own.subject_unit, own.receiving_unit) == (dang_bo, dang_bo, dang_bo)
    assert (below.unit, below.receiving_unit) == (other_chi_bo, dang_bo)
    assert own.status == below.status == Status.SUBMITTED


def test_merge_registers_the_sub_units_drafts_again_with_the_receiving_unit(
    other_dang_bo, other_chi_bo, dang_bo, year, superuser
):
    draft = RegistrationFactory(subject_unit=other_chi_bo, year=year)
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    draft.refresh_from_db()
    assert draft.receiving_unit == dang_bo


def test_merge_moves_roles_people_and_open_work_and_keeps_what_is_done(other_dang_bo, dang_bo, year, superuser):
    account = UserFactory(username="vanphong.stc")
    MembershipFactory(user=account, unit=other_dang_bo, role=Role.APPROVER)
    person = PersonFactory(work_unit=other_dang_bo, party_cell=other_dang_bo)
    open_meeting = meeting_of(other_dang_bo, year)
    held = meeting_of(other_dang_bo, year, recorded_at=timezone.now())
    unsent = KhoiProposal.objects.create(unit=other_dang_bo, year=year)
    sent = KhoiProposal.objects.create(unit=other_dang_bo, year=year, sent_at=timezone.now())
    report = PeriodicReport.objects.create(unit=other_dang_bo, year=year, period=ReportPeriod.ANNUAL)
    job = PrintJob.objects.create(user=account, unit=other_dang_bo, year=year)
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    assert Membership.objects.get(user=account).unit == dang_bo
    person.refresh_from_db()
    assert (person.work_unit, person.party_cell) == (dang_bo, dang_bo)
    assert Meeting.objects.get(pk=open_meeting.pk).unit == dang_bo
    assert Meeting.objects.get(pk=held.pk).unit == other_dang_bo
    assert KhoiProposal.objects.get(pk=unsent.pk).unit == dang_bo
    assert KhoiProposal.objects.get(pk=sent.pk).unit == other_dang_bo
    assert PeriodicReport.objects.get(pk=report.pk).unit == dang_bo
    assert PrintJob.objects.get(pk=job.pk).unit == dang_bo


def test_merge_keeps_a_report_the_receiving_unit_already_has_for_the_period(other_dang_bo, dang_bo, year, superuser):
    theirs = PeriodicReport.objects.create(unit=other_dang_bo, year=year, period=ReportPeriod.ANNUAL)
    PeriodicReport.objects.create(unit=dang_bo, year=year, period=ReportPeriod.ANNUAL)
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    assert PeriodicReport.objects.get(pk=theirs.pk).unit == other_dang_bo


def test_merge_does_not_duplicate_a_role_the_account_already_holds(other_dang_bo, dang_bo, superuser):
    account = UserFactory(username="kiemnhiem2")
    MembershipFactory(user=account, unit=other_dang_bo, role=Role.VIEWER)
    MembershipFactory(user=account, unit=dang_bo, role=Role.VIEWER)
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    assert list(Membership.objects.filter(user=account).values_list("unit", "role")) == [(dang_bo.pk, Role.VIEWER)]


def test_merge_records_who_merged_what_into_what_and_from_when(other_dang_bo, khoi, dang_bo, year, superuser):
    RegistrationFactory(subject_unit=other_dang_bo, year=year)
    event = reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser, basis="QĐ 01")
    assert (event.kind, event.unit, event.into, event.old_parent, event.new_parent) == (
        ReorganisationKind.MERGE, other_dang_bo, dang_bo, khoi, dang_bo,
    )  # fmt: skip
    assert (event.old_name, event.new_name, event.effective_on, event.actor) == (
        "Đảng bộ Sở Tài chính", "Đảng bộ Sở Y tế", JULY_2025, superuser,
    )  # fmt: skip
    assert event.summary["hồ sơ đăng ký của đơn vị hoặc do đơn vị tiếp nhận"] == 1
    assert event.summary["đơn vị cấp dưới (cùng các đơn vị trực thuộc)"] == 1


def test_merging_a_khoi_into_another_moves_every_registration_to_the_new_khoi(khoi, chi_bo, year, superuser):
    new_khoi = UnitFactory(code="DBCQD", name="Đảng bộ các cơ quan Đảng tỉnh", kind=UnitKind.KHOI)
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    khoi_level = RegistrationFactory(subject_unit=chi_bo, year=year, level=Level.KHOI, status=Status.SUBMITTED)
    reorganisation.merge(khoi, new_khoi, effective_on=JULY_2025, actor=superuser)
    assert set(Registration.objects.values_list("khoi", flat=True)) == {new_khoi.pk}
    assert Registration.objects.get(pk=khoi_level.pk).receiving_unit == new_khoi
    assert fresh(chi_bo).khoi() == new_khoi
    assert Registration.objects.within(new_khoi).filter(pk=reg.pk).exists()


@pytest.mark.parametrize(
    ("source_code", "target_code", "message"),
    [
        ("STC-DB", "STC-DB", reorganisation.MERGE_INTO_ITSELF),
        ("STC-DB", "STC-CB-NS", reorganisation.MERGE_INTO_OWN_SUBTREE),
        ("SYT-CB-NVY", "SYT", "hai loại đơn vị không tương ứng"),
        ("SYT-DB", "DUK", "hai loại đơn vị không tương ứng"),
    ],
    ids=["into-itself", "into-its-descendant", "chi-bo-into-agency", "dang-bo-into-khoi"],
)
def test_a_refused_merge_says_why_beside_the_target_and_changes_nothing(
    unit_tree, superuser, source_code, target_code, message
):
    before = snapshot(*EVERYTHING)
    with pytest.raises(ValidationError) as refused:
        reorganisation.merge(unit_tree[source_code], unit_tree[target_code], effective_on=JULY_2025, actor=superuser)
    assert message in " ".join(refused.value.message_dict["target"])
    assert snapshot(*EVERYTHING) == before


def test_a_merge_that_would_strand_a_sent_registration_is_refused(other_dang_bo, year, superuser):
    elsewhere = UnitFactory(code="KHAC", name="Đảng bộ Khối khác", kind=UnitKind.KHOI)
    target = UnitFactory(parent=elsewhere, code="KHAC-DB", name="Đảng bộ khác", kind=UnitKind.DANG_BO_CO_SO)
    RegistrationFactory(subject_unit=other_dang_bo, year=year, level=Level.KHOI, status=Status.SUBMITTED)
    before = snapshot(*EVERYTHING)
    with pytest.raises(ValidationError) as refused:
        reorganisation.merge(other_dang_bo, target, effective_on=JULY_2025, actor=superuser)
    assert "không phải cấp trên" in refused.value.message_dict["target"][0]
    assert snapshot(*EVERYTHING) == before


def test_an_inactive_unit_cannot_be_merged_again(other_dang_bo, dang_bo, superuser):
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    with pytest.raises(ValidationError) as refused:
        reorganisation.merge(fresh(other_dang_bo), fresh(dang_bo), effective_on=JULY_2025, actor=superuser)
    assert refused.value.message_dict["target"] == [reorganisation.ALREADY_MERGED]


# --- Move ----------------------------------------------------------------------------------------------------------


def test_move_puts_the_subtree_under_the_new_parent_and_records_both_parents(
    other_chi_bo, other_dang_bo, dang_bo, superuser
):
    event = reorganisation.move(other_chi_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    assert Unit.objects.get_parent(fresh(other_chi_bo)) == fresh(dang_bo)
    assert (event.kind, event.old_parent, event.new_parent) == (ReorganisationKind.MOVE, other_dang_bo, dang_bo)
    assert (event.old_parent_name, event.new_parent_name) == ("Đảng bộ Sở Tài chính", "Đảng bộ Sở Y tế")


def test_a_moved_units_draft_is_registered_with_its_new_committee(other_chi_bo, dang_bo, year, superuser):
    draft = RegistrationFactory(subject_unit=other_chi_bo, year=year)
    reorganisation.move(other_chi_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    draft.refresh_from_db()
    assert draft.receiving_unit == dang_bo


def test_a_subtree_moved_to_another_khoi_takes_its_registrations_with_it(dang_bo, chi_bo, year, superuser):
    new_khoi = UnitFactory(code="DBCQD", name="Đảng bộ các cơ quan Đảng tỉnh", kind=UnitKind.KHOI)
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    reorganisation.move(dang_bo, new_khoi, effective_on=JULY_2025, actor=superuser)
    assert Registration.objects.get(pk=reg.pk).khoi_id == new_khoi.pk


@pytest.mark.parametrize(
    ("unit_code", "parent_code", "message"),
    [
        ("STC-DB", "STC-CB-NS", "chính nó hoặc vào đơn vị cấp dưới của nó"),
        ("STC-CB-NS", "STC-DB", reorganisation.ALREADY_THERE),
        ("STC-CB-NS", "SYT", "phải là đơn vị con của"),
        ("DUK", "SYT-DB", "chính nó hoặc vào đơn vị cấp dưới của nó"),
    ],
    ids=["under-its-descendant", "where-it-is", "kind-not-allowed", "khoi-under-its-own-unit"],
)
def test_a_refused_move_says_why_beside_the_new_parent_and_changes_nothing(
    unit_tree, superuser, unit_code, parent_code, message
):
    before = snapshot(*EVERYTHING)
    with pytest.raises(ValidationError) as refused:
        reorganisation.move(unit_tree[unit_code], unit_tree[parent_code], effective_on=JULY_2025, actor=superuser)
    assert message in refused.value.message_dict["new_parent"][0]
    assert snapshot(*EVERYTHING) == before


# --- Rename and the name on a date ----------------------------------------------------------------------------------


def test_rename_changes_the_name_and_records_old_and_new(khoi, superuser):
    event = reorganisation.rename(
        khoi, name="Đảng bộ các cơ quan Đảng tỉnh", print_name="", effective_on=JULY_2025, actor=superuser
    )
    assert fresh(khoi).name == "Đảng bộ các cơ quan Đảng tỉnh"
    assert (event.kind, event.old_name, event.new_name, event.actor) == (
        ReorganisationKind.RENAME, "Đảng bộ Khối các cơ quan tỉnh", "Đảng bộ các cơ quan Đảng tỉnh", superuser,
    )  # fmt: skip


def test_name_on_a_date_is_the_name_the_unit_had_that_day(dang_bo, superuser):
    reorganisation.rename(dang_bo, name="Đảng bộ Sở Y tế và Dân số", effective_on=JULY_2025, actor=superuser)
    reorganisation.rename(dang_bo, name="Đảng bộ Sở Y tế tỉnh", effective_on=datetime.date(2026, 1, 1), actor=superuser)
    unit = fresh(dang_bo)
    assert unit.name_on(datetime.date(2025, 6, 30)) == "Đảng bộ Sở Y tế"
    assert unit.name_on(JULY_2025) == "Đảng bộ Sở Y tế và Dân số"
    assert unit.name_on(datetime.date(2025, 12, 31)) == "Đảng bộ Sở Y tế và Dân số"
    assert unit.name_on(datetime.date(2026, 1, 1)) == "Đảng bộ Sở Y tế tỉnh"


def test_a_renamed_units_old_printed_name_is_read_for_a_day_before_the_rename(dang_bo, superuser):
    Unit.objects.filter(pk=dang_bo.pk).update(print_name="ĐẢNG ỦY SỞ Y TẾ")
    reorganisation.rename(fresh(dang_bo), name="Đảng bộ Sở Y tế mới", print_name="", effective_on=JULY_2025,
                          actor=superuser)  # fmt: skip
    assert fresh(dang_bo).named_on(datetime.date(2025, 3, 2)).print_name == "ĐẢNG ỦY SỞ Y TẾ"
    assert fresh(dang_bo).named_on(datetime.date(2025, 8, 1)).print_name == ""


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("   ", reorganisation.NAME_REQUIRED),
        ("Đảng bộ Sở Y tế", reorganisation.NAME_UNCHANGED),
        ("đảng bộ sở tài chính", "Đã có đơn vị cùng cấp tên “Đảng bộ Sở Tài chính”"),
        ("Dang bo So Tai chinh", "Đã có đơn vị cùng cấp tên “Đảng bộ Sở Tài chính”"),
    ],
    ids=["empty", "unchanged", "sibling-other-case", "sibling-without-diacritics"],
)
def test_a_refused_rename_says_why_beside_the_name_and_changes_nothing(dang_bo, superuser, name, message):
    before = snapshot(*EVERYTHING)
    with pytest.raises(ValidationError) as refused:
        reorganisation.rename(dang_bo, name=name, effective_on=JULY_2025, actor=superuser)
    assert message in refused.value.message_dict["name"][0]
    assert snapshot(*EVERYTHING) == before


def test_a_collective_registration_is_found_by_its_units_new_name_after_a_rename(other_dang_bo, year, superuser):
    reg = RegistrationFactory(subject_unit=other_dang_bo, year=year)
    reorganisation.rename(other_dang_bo, name="Đảng bộ Sở Tài chính và Kế hoạch", effective_on=JULY_2025,
                          actor=superuser)  # fmt: skip
    assert list(Registration.objects.search("tai chinh va ke hoach")) == [reg]


def test_a_collective_registration_is_found_by_its_units_new_name_after_an_ordinary_edit(
    other_dang_bo, year, superuser
):
    reg = RegistrationFactory(subject_unit=other_dang_bo, year=year)
    Unit.objects.filter(pk=other_dang_bo.pk).update(name="Đảng bộ Sở Tài chính và Kế hoạch")
    reorganisation.record_edit(
        fresh(other_dang_bo), old_name=other_dang_bo.name, old_print_name="", old_parent=None, actor=superuser
    )
    assert list(Registration.objects.search("tai chinh va ke hoach")) == [reg]


def test_the_same_name_is_allowed_under_another_parent(chi_bo, superuser):
    reorganisation.rename(chi_bo, name="Chi bộ Phòng Ngân sách", effective_on=JULY_2025, actor=superuser)
    assert fresh(chi_bo).name == "Chi bộ Phòng Ngân sách"


@pytest.mark.parametrize(
    ("effective_on", "message"),
    [
        (None, reorganisation.DATE_REQUIRED),
        (timezone.localdate() + datetime.timedelta(days=1), reorganisation.DATE_IN_FUTURE),
        (datetime.date(1929, 12, 31), reorganisation.DATE_TOO_EARLY),
        (datetime.date(2025, 6, 30), "không được trước ngày 01/07/2025"),
    ],
    ids=["missing", "tomorrow", "before-1930", "before-the-last-event"],
)
def test_an_impossible_effective_date_is_refused_and_nothing_changes(dang_bo, superuser, effective_on, message):
    reorganisation.rename(dang_bo, name="Đảng bộ Sở Y tế và Dân số", effective_on=JULY_2025, actor=superuser)
    before = snapshot(*EVERYTHING)
    with pytest.raises(ValidationError) as refused:
        reorganisation.rename(fresh(dang_bo), name="Đảng bộ Sở Y tế tỉnh", effective_on=effective_on,
                              actor=superuser)  # fmt: skip
    assert message in refused.value.message_dict["effective_on"][0]
    assert snapshot(*EVERYTHING) == before


# --- Documents already issued ---------------------------------------------------------------------------------------


@pytest.fixture
def issued(other_dang_bo, year):
    """Mẫu 1 of Đảng bộ Sở Tài chính, issued before any reorganisation."""
    reg = submitted(RegistrationFactory(subject_unit=other_dang_bo, year=year, title="Một cửa thân thiện"))
    document = issue_registration_form(reg)
    return document, documents.pdf_bytes(document)


def test_a_reprint_after_a_rename_is_byte_identical(issued, other_dang_bo, superuser):
    document, first = issued
    reorganisation.rename(other_dang_bo, name="Đảng bộ Sở Tài chính tỉnh", effective_on=JULY_2025, actor=superuser)
    assert documents.pdf_bytes(Document.objects.get(pk=document.pk)) == first


def test_a_reprint_after_a_merge_is_byte_identical_and_keeps_its_issuer(issued, other_dang_bo, dang_bo, superuser):
    document, first = issued
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    again = Document.objects.get(pk=document.pk)
    assert documents.pdf_bytes(again) == first
    assert again.issuing_unit == other_dang_bo


@pytest.mark.parametrize("operation", ["rename", "merge"])
def test_the_verification_page_shows_the_name_as_issued(client, issued, other_dang_bo, dang_bo, superuser, operation):
    from django.urls import reverse

    document, _ = issued
    if operation == "rename":
        reorganisation.rename(other_dang_bo, name="Đảng bộ Sở Tài chính tỉnh", effective_on=JULY_2025,
                              actor=superuser)  # fmt: skip
    else:
        reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    page = client.get(reverse("registry:document-verify", args=[document.verification_code])).content.decode()
    assert "ĐẢNG ỦY SỞ TÀI CHÍNH" in page.upper()
    assert "TÀI CHÍNH TỈNH" not in page.upper()
    assert "SỞ Y TẾ" not in page.upper()


def test_a_registration_paper_about_an_act_before_a_rename_prints_the_old_name(other_dang_bo, year, superuser):
    reg = submitted(RegistrationFactory(subject_unit=other_dang_bo, year=year), on=datetime.date(2025, 3, 2))
    reorganisation.rename(other_dang_bo, name="Đảng bộ Sở Tài chính tỉnh", effective_on=JULY_2025, actor=superuser)
    reg = Registration.objects.get(pk=reg.pk)
    document = issue_registration_form(reg)
    assert "TÀI CHÍNH TỈNH" not in document.snapshot["header"]["issuer"]
    assert "SỞ TÀI CHÍNH" in document.snapshot["header"]["issuer"]
    names = [item["lines"] for section in document.snapshot["sections"] for item in section["items"]]
    assert ["Đảng bộ Sở Tài chính"] in names


def test_a_registration_paper_about_an_act_after_a_rename_prints_the_new_name(other_dang_bo, year, superuser):
    reorganisation.rename(other_dang_bo, name="Đảng bộ Sở Tài chính tỉnh", effective_on=JULY_2025, actor=superuser)
    reg = submitted(RegistrationFactory(subject_unit=fresh(other_dang_bo), year=year), on=datetime.date(2025, 8, 2))
    document = issue_registration_form(reg)
    assert "ĐẢNG ỦY SỞ TÀI CHÍNH TỈNH" in document.snapshot["header"]["issuer"]


def test_a_merged_units_print_job_already_running_stays_with_it(other_dang_bo, dang_bo, year, superuser):
    job = PrintJob.objects.create(user=superuser, unit=other_dang_bo, year=year, status=JobStatus.RUNNING)
    reorganisation.merge(other_dang_bo, dang_bo, effective_on=JULY_2025, actor=superuser)
    assert PrintJob.objects.get(pk=job.pk).unit == other_dang_bo


def test_the_typed_basis_is_saved_in_nfc(dang_bo, superuser):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Quyết định số 12-QĐ/TU")
    event = reorganisation.rename(
        dang_bo, name="Đảng bộ Sở Y tế tỉnh", effective_on=JULY_2025, actor=superuser, basis=decomposed
    )
    assert Reorganisation.objects.get(pk=event.pk).basis == unicodedata.normalize("NFC", decomposed)


@pytest.mark.parametrize("build", ["minutes", "decision"])
def test_the_papers_of_a_meeting_held_before_a_rename_name_the_body_as_it_was(other_dang_bo, year, superuser, build):
    import json

    from registry.papers import meetings as meeting_papers

    meeting = meeting_of(other_dang_bo, year)
    reorganisation.rename(other_dang_bo, name="Đảng bộ Sở Tài chính tỉnh", effective_on=JULY_2025, actor=superuser)
    meeting = Meeting.objects.select_related("unit", "year").get(pk=meeting.pk)
    builder = meeting_papers.minutes_context if build == "minutes" else meeting_papers.decision_context
    printed = json.dumps(builder(meeting), ensure_ascii=False)
    assert "Sở Tài chính tỉnh" not in printed and "SỞ TÀI CHÍNH TỈNH" not in printed
    assert "SỞ TÀI CHÍNH" in printed
    assert Meeting.objects.get(pk=meeting.pk).unit.name == "Đảng bộ Sở Tài chính tỉnh"


# --- The superior line the sub-units print ---------------------------------------------------------------------------
# A unit's ``header_line`` is its superior's name in capitals, typed ("ĐẢNG BỘ SỞ Y TẾ" above the chi bộ): after a
# move, a merge or a rename of that superior it printed a body the unit no longer belongs to, or a name that is gone.


def test_a_moved_unit_prints_its_new_superior_above_its_name(chi_bo, other_dang_bo, superuser):
    assert chi_bo.header_line == "ĐẢNG BỘ SỞ Y TẾ"
    reorganisation.move(chi_bo, other_dang_bo, effective_on=JULY_2025, actor=superuser)
    assert fresh(chi_bo).header_line == "ĐẢNG BỘ SỞ TÀI CHÍNH"


def test_the_sub_units_of_a_merged_unit_print_the_receiving_unit_above_their_names(
    chi_bo, dang_bo, other_dang_bo, superuser
):
    reorganisation.merge(dang_bo, other_dang_bo, effective_on=JULY_2025, actor=superuser)
    assert fresh(chi_bo).header_line == "ĐẢNG BỘ SỞ TÀI CHÍNH"


def test_the_sub_units_of_a_renamed_unit_print_its_new_name_above_theirs(chi_bo, dang_bo, superuser):
    reorganisation.rename(dang_bo, name="Đảng bộ Sở Y tế và Dân số", effective_on=JULY_2025, actor=superuser)
    assert fresh(chi_bo).header_line == "ĐẢNG BỘ SỞ Y TẾ VÀ DÂN SỐ"


def test_a_superior_line_typed_otherwise_is_left_as_typed(agency, other_dang_bo, superuser):
    Unit.objects.filter(pk=agency.pk).update(header_line="UBND TỈNH THÁI NGUYÊN")  # a State superior, not the party's
    reorganisation.move(fresh(agency), other_dang_bo, effective_on=JULY_2025, actor=superuser)
    assert fresh(agency).header_line == "UBND TỈNH THÁI NGUYÊN"
