"""``manage.py generate_scale_data``: a tiny run writes exactly what was asked, a valid tree and consistent history."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from registry import permissions
from registry.models import (
    Appraisal,
    Document,
    KhoiProposalEntry,
    Meeting,
    MeetingEntry,
    Membership,
    Registration,
    Role,
    Status,
    StatusChange,
    Unit,
    UnitKind,
    Year,
)
from registry.scale_data import HISTORY, path_step


def _generate(*extra: str) -> str:
    out = StringIO()
    call_command(
        "generate_scale_data", "--units", "60", "--registrations", "300", "--years", "3", "--seed", "7", *extra,
        stdout=out,
    )  # fmt: skip
    return out.getvalue()


@pytest.fixture
def generated(db):
    _generate()


def test_path_step_uses_treebeards_alphabet():
    assert [path_step(1), path_step(10), path_step(36), path_step(37)] == ["0001", "000A", "0010", "0011"]


def test_generates_the_requested_counts(generated):
    assert Unit.objects.count() == 60
    assert Registration.objects.count() == 300
    assert Year.objects.count() == 3
    assert Registration.objects.values("year").distinct().count() == 3


def test_tree_has_no_problems_for_treebeard(generated):
    evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild = Unit.objects.find_problems()
    assert (evil_chars, bad_steplen, orphans, wrong_depth, wrong_numchild) == ([], [], [], [], [])


def test_siblings_are_numbered_in_name_order(generated):
    units = list(Unit.objects.order_by("path"))
    children = {}
    for unit in units:
        children.setdefault(unit.path[:-4], []).append(unit.name)
    for names in children.values():
        assert names == sorted(names)


def test_only_the_khoi_is_a_root(generated):
    assert set(Unit.objects.filter(depth=1).values_list("kind", flat=True)) == {UnitKind.KHOI}


def test_registrations_cover_draft_to_confirmed(generated):
    statuses = set(Registration.objects.values_list("status", flat=True))
    assert {Status.DRAFT, Status.SUBMITTED, Status.ACTIVE, Status.CONFIRMED} <= statuses


def test_status_history_leads_to_each_status(generated):
    for reg in Registration.objects.prefetch_related("status_changes"):
        steps = [(c.action, c.from_status, c.to_status) for c in reg.status_changes.all()]
        assert steps == [(a, str(f), str(t)) for a, f, t in HISTORY[reg.status]]


def test_confirmed_registrations_passed_a_meeting_of_their_receiving_unit(generated):
    confirmed = Registration.objects.filter(status=Status.CONFIRMED)
    assert confirmed.exists()
    for reg in confirmed:
        entry = MeetingEntry.objects.select_related("meeting").get(registration=reg, meeting__purpose="confirm_model")
        assert entry.passed is True
        assert entry.meeting.unit_id == reg.receiving_unit_id
    assert Meeting.objects.filter(documents__form_code="mau_5a").exists()


def test_search_text_ignores_diacritics(generated):
    reg = Registration.objects.first()
    assert reg.search_text.isascii()
    assert Registration.objects.search(reg.title.upper()).filter(pk=reg.pk).exists()


def test_accounts_include_khoi_viewer_and_cell_secretary(generated):
    assert Membership.objects.filter(role=Role.VIEWER, unit__kind=UnitKind.KHOI).exists()
    assert Membership.objects.filter(role=Role.EDITOR, unit__kind=UnitKind.CHI_BO).exists()


def test_appraisals_only_for_khoi_proposals(generated):
    statuses = set(Appraisal.objects.values_list("registration__status", flat=True))
    assert statuses <= {Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI}


PROPOSED_OR_LATER = (Status.PROPOSED_KHOI, Status.APPRAISED, Status.EXEMPLAR_KHOI)


def test_every_entry_proposed_to_the_khoi_is_in_a_sent_proposal_of_its_grassroots_unit(generated):
    proposed = Registration.objects.filter(status__in=PROPOSED_OR_LATER).select_related("unit", "year")
    assert proposed.exists()
    for reg in proposed:
        (entry,) = KhoiProposalEntry.objects.select_related("proposal__year").filter(registration=reg)
        sent = reg.status_changes.get(action="propose_khoi").at
        assert entry.proposal.unit_id == permissions.grassroots_unit_of(reg).pk
        assert (entry.proposal.year.year, entry.proposal.sent_at) == (reg.year.year, sent)


def test_only_entries_proposed_to_the_khoi_are_in_a_proposal(generated):
    statuses = set(KhoiProposalEntry.objects.values_list("registration__status", flat=True))
    assert statuses == set(PROPOSED_OR_LATER)


def test_each_proposal_has_its_mau_6b_list(generated):
    lists = Document.objects.filter(form_code="mau_6b_ds", proposal__isnull=False).select_related("proposal")
    assert lists.count() == KhoiProposalEntry.objects.values("proposal").distinct().count() > 0
    assert all(doc.issuing_unit_id == doc.proposal.unit_id for doc in lists)


def test_refuses_a_database_with_registrations(generated):
    with pytest.raises(CommandError, match="Cơ sở dữ liệu đã có mô hình đăng ký"):
        _generate()
    assert Registration.objects.count() == 300


def test_force_adds_a_second_tree_after_the_first(generated):
    _generate("--force")
    assert Unit.objects.count() == 120
    assert Registration.objects.count() == 600
    assert Unit.objects.find_problems() == ([], [], [], [], [])
    assert StatusChange.objects.filter(registration__status=Status.DRAFT).count() == 0
