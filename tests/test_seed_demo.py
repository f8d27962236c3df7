"""``manage.py seed_demo``: realistic demo data of one Đảng bộ Khối, the same after any number of runs, with
statuses reached through the workflow and its services (meetings, proposals, appraisals) and demo accounts that
log in with their stated roles."""

import datetime
import io
import json
import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from registry import demo_data, permissions, workflow
from registry.models import (
    Appraisal,
    AppraisalScore,
    Document,
    KhoiProposal,
    KhoiProposalEntry,
    Level,
    Meeting,
    MeetingEntry,
    Membership,
    OwnerReport,
    Person,
    Purpose,
    Registration,
    Role,
    Status,
    StatusChange,
    SubjectKind,
    Unit,
    UnitKind,
    Year,
)
from registry.papers import catalogue

PASSWORD = "DanVan@2024"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py sets for each test
# Statuses from "confirmed" on, in lifecycle order.
DECIDED = [Status.CONFIRMED, Status.EXEMPLAR_BASE, Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI]


def at_or_past(status: str) -> list[str]:
    return DECIDED[DECIDED.index(status) :]


def passed_in(reg, purpose: str) -> list[MeetingEntry]:
    return list(
        MeetingEntry.objects.filter(
            registration=reg, passed=True, meeting__purpose=purpose, meeting__recorded_at__isnull=False
        )
    )


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", force=True, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker):
    """Seed once per module, inside a transaction rolled back when the module ends. Each test runs in a savepoint
    within it (pytest-django's ``db``), so what a test changes is undone before the next one."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            output = seed()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield output
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def seeded(_seeded_once, db):
    return _seeded_once


def snapshot() -> dict:
    """Counts and a few values that a second run must leave exactly as they were."""
    return {
        "units": list(Unit.objects.order_by("code").values_list("code", "path", "name", "kind", "updated_at")),
        "people": list(Person.objects.order_by("pk").values_list("full_name", "work_unit__code", "updated_at")),
        "registrations": list(
            Registration.objects.order_by("pk").values_list("title", "status", "unit__path", "updated_at")
        ),
        "changes": list(StatusChange.objects.order_by("pk").values_list("registration_id", "action", "at")),
        "users": list(get_user_model().objects.order_by("username").values_list("username", "password")),
        "memberships": Membership.objects.count(),
        "years": list(Year.objects.order_by("year").values_list("year", "registration_deadline_base", "updated_at")),
        "meetings": list(
            Meeting.objects.order_by("pk").values_list("unit__code", "purpose", "year__year", "held_on", "recorded_at")
        ),
        "meeting_entries": list(
            MeetingEntry.objects.order_by("pk").values_list("meeting_id", "registration_id", "votes_for", "passed")
        ),
        "documents": list(
            Document.objects.order_by("pk").values_list(
                "form_code", "issuing_unit__code", "number", "verification_code"
            )
        ),
        "proposals": list(KhoiProposal.objects.order_by("pk").values_list("unit__code", "year__year", "sent_at")),
        "proposal_entries": list(
            KhoiProposalEntry.objects.order_by("pk").values_list("proposal_id", "registration_id")
        ),
        "appraisals": list(
            Appraisal.objects.order_by("pk").values_list("registration_id", "total_score", "submitted_at")
        ),
        "scores": AppraisalScore.objects.count(),
    }


def test_seed_demo_twice_gives_identical_data(seeded):
    before = snapshot()
    seed()
    assert snapshot() == before


def test_seed_demo_builds_the_khoi_and_its_tree(seeded):
    root = Unit.objects.get(code="DUK")
    assert (root.name, root.kind, root.depth) == ("Đảng bộ Khối các cơ quan tỉnh", UnitKind.KHOI, 1)
    assert (root.leading_body, root.header_line, root.abbreviation, root.place_name) == (
        "Ban Thường vụ Đảng ủy Khối",
        "ĐẢNG BỘ TỈNH THÁI NGUYÊN",
        "ĐUK",
        "Thái Nguyên",
    )
    btg = Unit.objects.get(name="Ban Tuyên giáo Đảng ủy Khối")
    assert btg.kind == UnitKind.BAN and Unit.objects.get_parent(btg) == root
    kinds = Counter(Unit.objects.values_list("kind", flat=True))
    assert kinds[UnitKind.DANG_BO_CO_SO] >= 6
    assert kinds[UnitKind.CHI_BO_CO_SO] >= 1
    assert kinds[UnitKind.CHI_BO] + kinds[UnitKind.CHI_BO_CO_SO] >= 20
    assert kinds[UnitKind.CO_QUAN] >= 6
    mass = list(Unit.objects.filter(kind=UnitKind.DOAN_THE).values_list("name", flat=True))
    for word in ("Công đoàn", "Đoàn Thanh niên", "Phụ nữ", "Cựu chiến binh"):
        assert any(word in name for name in mass), word
    nvy = Unit.objects.get(name="Chi bộ Phòng Nghiệp vụ Y")
    assert Unit.objects.get_parent(nvy).name == "Đảng bộ Sở Y tế"
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_seed_demo_creates_members_and_non_members(seeded):
    assert Person.objects.count() >= 60
    assert Person.objects.filter(is_party_member=True, party_cell__isnull=False).count() >= 40
    assert Person.objects.filter(is_party_member=False, party_cell__isnull=True).count() >= 10
    assert Person.objects.filter(full_name="Nguyễn Thị Hoa").exists()


def test_seed_demo_opens_this_year_and_closes_last_year_with_its_special_deadlines(seeded):
    this_year = timezone.localdate().year
    assert list(Year.objects.order_by("year").values_list("year", "is_open")) == [
        (this_year - 1, False),
        (this_year, True),
    ]
    last = Year.objects.get(year=this_year - 1)
    assert last.registration_deadline_base == datetime.date(this_year - 1, 5, 30)
    assert last.registration_deadline_khoi == datetime.date(this_year - 1, 6, 30)


def test_seed_demo_this_years_registration_deadlines_are_the_ones_demo_data_sets_around_today(seeded):
    (_last, this) = demo_data.years(timezone.localdate())
    year = Year.objects.get(year=this["year"])
    for name, value in this["special"].items():
        assert getattr(year, name) == value
    year.full_clean()  # the review deadlines still follow the registration deadlines


@pytest.mark.parametrize(
    "today",
    [datetime.date(2026, 3, 10), datetime.date(2026, 7, 1), datetime.date(2026, 12, 6)],
    ids=["march", "july", "december"],
)
def test_this_years_grassroots_deadline_has_passed_and_the_khoi_deadline_is_ahead(today):
    (_last, this) = demo_data.years(today)
    assert this["year"] == today.year
    assert this["special"]["registration_deadline_base"] < today < this["special"]["registration_deadline_khoi"]


@pytest.mark.parametrize("today", [datetime.date(2027, 1, 3), datetime.date(2027, 12, 30)], ids=["3/1", "30/12"])
def test_this_years_deadlines_stay_inside_the_year_at_its_edges(today):
    (_last, this) = demo_data.years(today)
    deadlines = this["special"]
    assert datetime.date(2027, 1, 15) <= deadlines["registration_deadline_base"]
    assert deadlines["registration_deadline_base"] <= deadlines["registration_deadline_khoi"]
    assert deadlines["registration_deadline_khoi"] <= datetime.date(2027, 12, 20)
    assert deadlines["review_deadline_base"] >= deadlines["registration_deadline_base"]


def test_seed_demo_registrations_cover_kinds_levels_and_states(seeded):
    regs = Registration.objects.all()
    assert regs.count() >= 40
    this_year = timezone.localdate().year
    assert set(regs.values_list("year__year", flat=True)) == {this_year - 1, this_year}
    assert set(regs.values_list("subject_kind", flat=True)) == set(SubjectKind.values)
    assert set(regs.values_list("level", flat=True)) == set(Level.values)
    assert set(regs.values_list("status", flat=True)) == set(Status.values)
    for reg in regs:
        assert all(getattr(reg, name) not in (None, "") for name in ("situation", "content", "lead_name", "address"))


def test_seed_demo_statuses_follow_the_audit_trail(seeded):
    for reg in Registration.objects.prefetch_related("status_changes"):
        changes = list(reg.status_changes.all())
        current = Status.DRAFT
        for change in changes:
            assert change.from_status == current
            current = change.to_status
        assert current == reg.status
        actions = [c.action for c in changes]
        if reg.status == Status.ACTIVE:
            assert actions == ["submit", "receive"]
        if reg.status == Status.RETURNED:
            assert actions == ["submit", "return"] and changes[-1].reason
        if reg.status == Status.CONFIRMED:
            assert actions == ["submit", "receive", "confirm"]
        if reg.status == Status.EXEMPLAR_KHOI:
            assert actions == [
                "submit",
                "receive",
                "confirm",
                "confirm_exemplar_base",
                "propose_khoi",
                "finish_appraisal",
                "confirm_exemplar_khoi",
            ]
        assert [c.at for c in changes] == sorted(c.at for c in changes)


def test_seed_demo_never_writes_a_status_outside_the_workflow(seeded):
    assert not StatusChange.objects.filter(action="seed").exists()
    assert not StatusChange.objects.exclude(action__in=workflow.TRANSITIONS).exists()


def test_seed_demo_confirmed_entries_passed_a_recorded_meeting_of_their_receiving_unit(seeded):
    confirmed = Registration.objects.filter(status__in=at_or_past(Status.CONFIRMED))
    assert confirmed.exists()
    for reg in confirmed:
        (entry,) = passed_in(reg, Purpose.CONFIRM_MODEL)
        assert entry.meeting.unit == reg.receiving_unit
        assert entry.meeting.passes(entry.votes_for)


def test_seed_demo_grassroots_exemplars_passed_a_meeting_of_their_grassroots_unit(seeded):
    exemplars = Registration.objects.filter(status__in=at_or_past(Status.EXEMPLAR_BASE))
    assert exemplars.count() >= 3
    for reg in exemplars:
        (entry,) = passed_in(reg, Purpose.CONFIRM_EXEMPLAR_BASE)
        assert entry.meeting.unit == permissions.grassroots_unit_of(reg)


def test_seed_demo_proposed_entries_are_listed_in_a_sent_proposal_of_their_grassroots_unit(seeded):
    proposed = Registration.objects.filter(status__in=at_or_past(Status.PROPOSED_KHOI))
    assert proposed.count() >= 3
    for reg in proposed:
        (entry,) = KhoiProposalEntry.objects.filter(registration=reg, proposal__sent_at__isnull=False)
        assert entry.proposal.unit == permissions.grassroots_unit_of(reg)
        assert entry.proposal.documents.get().form_code == "mau_6b_ds"


def test_seed_demo_appraised_entries_were_scored_and_submitted_by_the_ban_tuyen_giao(seeded):
    appraised = Registration.objects.filter(status__in=at_or_past(Status.APPRAISED))
    assert appraised.count() >= 2
    for reg in appraised:
        (appraisal,) = reg.appraisals.all()
        assert appraisal.appraiser.username == "bantuyengiao"
        assert appraisal.submitted_at is not None
        assert appraisal.total_score == sum(appraisal.scores.values_list("score", flat=True))
        assert 0 < appraisal.total_score <= 100
        assert appraisal.scores.count() == (5 if reg.is_collective else 3)
    assert not Appraisal.objects.exclude(registration__in=appraised).exists()


def test_seed_demo_khoi_exemplars_passed_the_khoi_meeting(seeded):
    exemplars = Registration.objects.filter(status=Status.EXEMPLAR_KHOI)
    assert exemplars.exists()
    for reg in exemplars:
        (entry,) = passed_in(reg, Purpose.CONFIRM_EXEMPLAR_KHOI)
        assert entry.meeting.unit.code == "DUK"
        assert entry.meeting.body == "Ban Thường vụ Đảng ủy Khối"


def test_seed_demo_holds_one_meeting_per_unit_purpose_and_year(seeded):
    keys = list(Meeting.objects.values_list("unit_id", "purpose", "year_id"))
    assert len(keys) == len(set(keys))
    assert set(Meeting.objects.values_list("purpose", flat=True)) == set(Purpose.values)


def test_seed_demo_meetings_are_recorded_in_their_year_and_never_in_the_future(seeded):
    today = timezone.localdate()
    for meeting in Meeting.objects.select_related("year"):
        assert meeting.recorded_at is not None and meeting.recorded_by is not None
        assert meeting.held_on.year == meeting.year.year
        assert meeting.held_on <= today
        assert meeting.members_present <= meeting.members_total
        for entry in meeting.entries.all():
            assert entry.votes_for + entry.votes_against <= meeting.members_present


def test_seed_demo_meetings_issue_numbered_minutes_and_decisions_each_with_its_own_code(seeded):
    for meeting in Meeting.objects.all():
        forms = dict(meeting.documents.values_list("form_code", "number"))
        assert "QĐ" in forms.pop(catalogue.DECISION_FORM[meeting.purpose])
        assert "BB" in forms.pop(catalogue.MINUTES_FORM[meeting.purpose])
        assert forms == {}
        codes = list(meeting.documents.values_list("verification_code", flat=True))
        assert len(set(codes)) == 2
    numbers = list(Document.objects.values_list("issuing_unit_id", "year", "number"))
    assert all(number for _unit, _year, number in numbers)
    assert len(numbers) == len(set(numbers))


def test_seed_demo_an_agency_leadership_confirms_its_staff_model_with_administrative_numbers(seeded):
    (entry,) = MeetingEntry.objects.filter(registration__subject_kind=SubjectKind.NON_MEMBER, passed=True)
    meeting = entry.meeting
    assert (meeting.unit.kind, meeting.body) == (UnitKind.CO_QUAN, "Tập thể lãnh đạo cơ quan")
    numbers = sorted(meeting.documents.values_list("number", flat=True))
    assert [re.fullmatch(r"\d+/(BB|QĐ)-SNNMT", number).group(1) for number in numbers] == ["BB", "QĐ"]


def test_seed_demo_a_model_without_enough_votes_stays_active_with_its_result(seeded):
    (entry,) = MeetingEntry.objects.filter(passed=False)
    assert entry.registration.status == Status.ACTIVE
    assert not entry.meeting.passes(entry.votes_for)
    assert entry.meeting.entries.filter(passed=True).exists()


def test_seed_demo_dates_decisions_after_the_steps_before_them(seeded):
    for reg in Registration.objects.filter(status=Status.EXEMPLAR_KHOI):
        changes = {c.action: timezone.localdate(c.at) for c in reg.status_changes.all()}
        (model,) = passed_in(reg, Purpose.CONFIRM_MODEL)
        assert changes["receive"] < model.meeting.held_on < changes["confirm"]
        assert changes["confirm"] < changes["confirm_exemplar_base"] < changes["propose_khoi"]
        assert changes["propose_khoi"] < changes["finish_appraisal"] < changes["confirm_exemplar_khoi"]
        assert changes["confirm_exemplar_khoi"].year == reg.year.year


def test_seed_demo_last_years_registrations_were_sent_before_the_deadline(seeded):
    sent = Registration.objects.filter(year__year=timezone.localdate().year - 1, submitted_at__isnull=False)
    assert sent.exists()
    assert not any(reg.is_late for reg in sent)


def test_seed_demo_this_years_entries_are_on_time_but_the_one_sent_late_on_purpose(seeded):
    sent = Registration.objects.filter(year__year=timezone.localdate().year, submitted_at__isnull=False)
    late = [reg.title for reg in sent if reg.is_late]
    # Only before 15/1 (the earliest deadline) can nothing be late yet.
    deadline_passed = Year.objects.get(year=timezone.localdate().year).registration_deadline_base < timezone.localdate()
    assert late == (
        ["Chi bộ Phòng Kế hoạch - Tài chính công khai, minh bạch mua sắm thuốc, vật tư"] if deadline_passed else []
    )
    assert sent.count() > 10


def test_seed_demo_this_years_unsent_drafts_are_overdue_after_the_grassroots_deadline(seeded):
    drafts = Registration.objects.filter(
        year__year=timezone.localdate().year, status=Status.DRAFT, level=Level.BASE, submitted_at__isnull=True
    )
    assert drafts.exists()
    deadline_passed = Year.objects.get(year=timezone.localdate().year).registration_deadline_base < timezone.localdate()
    assert [reg.is_late for reg in drafts] == [deadline_passed] * drafts.count()


def test_seed_demo_history_never_lies_in_the_future(seeded):
    now = timezone.now()
    assert not StatusChange.objects.filter(at__gt=now).exists()
    assert not Registration.objects.filter(submitted_at__gt=now).exists()
    assert not Registration.objects.filter(created_at__gt=now).exists()
    assert not Meeting.objects.filter(held_on__gt=timezone.localdate()).exists()


@pytest.mark.parametrize(
    ("username", "unit_name", "role"),
    [
        ("bithu.chibo", "Chi bộ Phòng Nghiệp vụ Y", Role.EDITOR),
        ("danguy.soyte", "Đảng bộ Sở Y tế", Role.APPROVER),
        ("bantuyengiao", "Đảng bộ Khối các cơ quan tỉnh", Role.APPRAISER),
        ("lanhdao.khoi", "Đảng bộ Khối các cơ quan tỉnh", Role.VIEWER),
        ("danguy.khoi", "Đảng bộ Khối các cơ quan tỉnh", Role.APPROVER),
    ],
)
def test_demo_account_logs_in_and_has_its_role(seeded, client, username, unit_name, role):
    assert client.login(username=username, password=PASSWORD)
    user = get_user_model().objects.get(username=username)
    assert [(m.unit.name, m.role) for m in user.memberships.select_related("unit")] == [(unit_name, role)]
    assert user.last_name and user.first_name and not user.is_staff


def test_demo_admin_is_a_superuser_who_reaches_the_admin(seeded, client):
    assert client.login(username="admin", password=PASSWORD)
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert client.get("/admin/registry/unit/").status_code == 200


def test_seed_demo_resets_a_changed_demo_password(seeded, client):
    user = get_user_model().objects.get(username="bithu.chibo")
    user.set_password("MatKhauMoi@2025")
    user.save()
    seed()
    assert client.login(username="bithu.chibo", password=PASSWORD)


def test_seed_demo_prints_a_vietnamese_summary(seeded):
    assert seeded.startswith("Đã nạp dữ liệu mẫu “Dân vận khéo”")
    assert "mật khẩu chung: DanVan@2024" in seeded


def test_seed_demo_refuses_to_run_outside_development_without_force(db, settings):
    settings.DEBUG = False
    units, accounts = Unit.objects.count(), get_user_model().objects.count()
    with pytest.raises(CommandError, match="DJANGO_DEBUG=True"):
        call_command("seed_demo")
    assert (Unit.objects.count(), get_user_model().objects.count()) == (units, accounts)


def test_khoi_exemplars_are_public_for_the_showcase(seeded):
    exemplars = Registration.objects.filter(status=Status.EXEMPLAR_KHOI)
    assert exemplars.exists()
    assert set(exemplars.values_list("is_public", flat=True)) == {True}


def test_seed_demo_appraisal_papers_come_before_the_khoi_meeting_and_leave_out_the_late_entry(seeded):
    meetings = Meeting.objects.filter(purpose=Purpose.CONFIRM_EXEMPLAR_KHOI).select_related("year")
    assert meetings.exists()
    late = list(Registration.objects.filter(status=Status.APPRAISED).values_list("title", flat=True))
    assert late
    for meeting in meetings:
        papers = Document.objects.filter(form_code__in=["mau_7a", "mau_7"], year=meeting.year.year)
        assert sorted(papers.values_list("form_code", flat=True)) == ["mau_7", "mau_7a"]
        for paper in papers:
            assert paper.issued_on < meeting.held_on
            printed = json.dumps(paper.snapshot, ensure_ascii=False)
            assert not any(title in printed for title in late)
            decided = meeting.entries.values_list("registration__title", flat=True)
            assert all(title in printed for title in decided)


def test_seed_demo_an_entrys_sending_time_is_the_time_its_history_gives(seeded):
    sent = Registration.objects.filter(submitted_at__isnull=False).prefetch_related("status_changes")
    assert sent.exists()
    for reg in sent:
        submits = [change.at for change in reg.status_changes.all() if change.action == "submit"]
        assert reg.submitted_at == max(submits), reg.title


def test_seed_demo_the_secretary_account_is_the_chi_bos_secretary_in_its_member_list(seeded):
    account = get_user_model().objects.get(username=demo_data.SECRETARY)
    cell = account.memberships.get().unit
    secretaries = Person.objects.filter(party_cell=cell, position="Bí thư chi bộ")
    assert list(secretaries.values_list("full_name", flat=True)) == [f"{account.last_name} {account.first_name}"]


def test_seed_demo_an_owners_report_is_written_after_its_model_was_received(seeded):
    reports = OwnerReport.objects.select_related("registration")
    assert reports.exists()
    for report in reports:
        received = report.registration.status_changes.filter(action="receive").values_list("at", flat=True).first()
        assert received is not None and report.created_at > received, report.registration.title
