"""Proposals of grassroots exemplars to the Khối (registry.proposals): only a grassroots organisation's approver,
only its own grassroots exemplars, sent all at once; the Mẫu 6b list is issued afterwards, with its own code."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from registry import proposals, workflow
from registry.models import Document, KhoiProposal, Status, StatusChange
from registry.papers import catalogue
from registry.workflow import TransitionError
from tests.factories import RegistrationFactory
from tests.papers import issue_paper

SENT_ON = datetime.date(2025, 10, 20)


def list_of(proposal: KhoiProposal, user=None) -> catalogue.Subject:
    """The subject of the proposal's Mẫu 6b list, read again (whether it was sent decides if it may be issued)."""
    fresh = KhoiProposal.objects.select_related("unit", "year").get(pk=proposal.pk)
    return catalogue.Subject(
        form=catalogue.FORMS["mau_6b_ds"], issuer=fresh.unit, year=fresh.year.year, user=user, proposal=fresh
    )


def sent(proposal: KhoiProposal, actor, on: datetime.date = SENT_ON) -> KhoiProposal:
    """Send the proposal, then date the sending ``on`` (the list's date is the day it was sent, in its year)."""
    proposals.proposal_send(proposal, actor=actor)
    moment = timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    KhoiProposal.objects.filter(pk=proposal.pk).update(sent_at=moment)
    return KhoiProposal.objects.select_related("unit", "year").get(pk=proposal.pk)


@pytest.fixture
def exemplar(chi_bo, year):
    return RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.EXEMPLAR_BASE, title="Ba cùng với dân")


@pytest.fixture
def exemplar_2(agency, year):
    from registry.models import SubjectKind

    return RegistrationFactory(
        subject_kind=SubjectKind.AGENCY, subject_unit=agency, year=year, status=Status.EXEMPLAR_BASE
    )


def test_eligible_exemplars_are_the_units_own_grassroots_exemplars(dang_bo, chi_bo, other_chi_bo, year, exemplar):
    RegistrationFactory(subject_unit=other_chi_bo, year=year, status=Status.EXEMPLAR_BASE)
    RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED)
    assert list(proposals.eligible_exemplars(unit=dang_bo, year=year)) == [exemplar]


def test_only_a_grassroots_organisation_proposes(chi_bo_approver, chi_bo, year, exemplar):
    with pytest.raises(ValidationError) as exc:
        proposals.proposal_create(actor=chi_bo_approver, unit=chi_bo, year=year, registrations=[exemplar])
    assert exc.value.message_dict == {
        "unit": ["Chỉ đảng bộ cơ sở, chi bộ cơ sở đề nghị xác nhận điển hình cấp Đảng bộ Khối."]
    }


@pytest.mark.parametrize("persona", ["secretary", "outsider", "viewer", "appraiser"])
def test_who_is_not_an_approver_of_the_unit_cannot_propose(persona, request, dang_bo, year, exemplar):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        proposals.proposal_create(actor=user, unit=dang_bo, year=year, registrations=[exemplar])
    assert not KhoiProposal.objects.exists()


def test_an_entry_that_is_not_a_grassroots_exemplar_cannot_be_proposed(approver, dang_bo, chi_bo, year):
    confirmed = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.CONFIRMED, title="Mô hình chưa đủ")
    with pytest.raises(ValidationError) as exc:
        proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[confirmed])
    assert exc.value.messages == ["“Mô hình chưa đủ” không phải điển hình cấp cơ sở của đơn vị này, không thể đề nghị."]


def test_creating_a_proposal_changes_no_status(approver, dang_bo, year, exemplar):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    exemplar.refresh_from_db()
    assert exemplar.status == Status.EXEMPLAR_BASE
    assert proposal.sent_at is None and list(proposal.registrations.all()) == [exemplar]


def test_sending_proposes_every_entry(approver, dang_bo, year, exemplar, exemplar_2):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar, exemplar_2])
    returned = proposals.proposal_send(proposal, actor=approver)

    for reg in (exemplar, exemplar_2):
        reg.refresh_from_db()
        assert reg.status == Status.PROPOSED_KHOI
        assert StatusChange.objects.get(registration=reg).action == "propose_khoi"
    proposal.refresh_from_db()
    assert proposal.sent_at is not None and returned.sent_at == proposal.sent_at


def test_sending_issues_no_paper(approver, dang_bo, year, exemplar):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    proposals.proposal_send(proposal, actor=approver)
    assert not Document.objects.exists()


def test_the_list_is_issued_after_sending_under_its_own_code_dated_the_day_it_was_sent(
    approver, dang_bo, year, exemplar, exemplar_2
):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar, exemplar_2])
    proposal = sent(proposal, approver)

    document = issue_paper(list_of(proposal), approver, number="15")

    assert (document.form_code, document.number, document.issuing_unit, document.proposal) == (
        "mau_6b_ds",
        "15-DS/ĐU",
        dang_bo,
        proposal,
    )
    assert document.issued_on == SENT_ON
    assert [row["title"] for row in document.snapshot["rows"]] == [exemplar.title, exemplar_2.title]


def test_the_list_of_a_proposal_not_sent_cannot_be_issued(approver, dang_bo, year, exemplar):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    with pytest.raises(ValidationError) as exc:
        issue_paper(list_of(proposal), approver)
    assert exc.value.code == "not_ready"
    assert not Document.objects.exists()


def test_a_list_dated_before_it_was_sent_is_refused(approver, dang_bo, year, exemplar):
    proposal = sent(
        proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar]), approver
    )
    with pytest.raises(ValidationError) as exc:
        issue_paper(list_of(proposal), approver, issued_on=SENT_ON - datetime.timedelta(days=1))
    assert exc.value.message_dict["issued_on"][0].startswith(
        "Ngày văn bản không được trước ngày gửi đề nghị (20/10/2025)"
    )
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", ["secretary", "chi_bo_approver", "appraiser", "outsider"])
def test_only_an_approver_of_the_grassroots_organisation_may_issue_its_list(
    request, persona, approver, dang_bo, year, exemplar
):
    proposal = sent(
        proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar]), approver
    )
    with pytest.raises(PermissionDenied):
        issue_paper(list_of(proposal), request.getfixturevalue(persona))
    assert not Document.objects.exists()


def test_a_proposal_is_sent_only_once(approver, dang_bo, year, exemplar):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    proposals.proposal_send(proposal, actor=approver)
    with pytest.raises(ValidationError) as exc:
        proposals.proposal_send(proposal, actor=approver)
    assert exc.value.messages == ["Đề nghị này đã được gửi Đảng ủy Khối."]
    assert StatusChange.objects.filter(registration=exemplar).count() == 1


def test_an_entry_changed_meanwhile_rolls_the_sending_back(
    approver, khoi_approver, dang_bo, year, exemplar, exemplar_2
):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar, exemplar_2])
    other = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar_2])
    proposals.proposal_send(other, actor=approver)

    with pytest.raises(TransitionError):
        proposals.proposal_send(proposal, actor=approver)

    exemplar.refresh_from_db()
    proposal.refresh_from_db()
    assert exemplar.status == Status.EXEMPLAR_BASE
    assert proposal.sent_at is None
    assert not Document.objects.filter(proposal=proposal).exists()


def test_an_outsider_cannot_send(approver, outsider, dang_bo, year, exemplar):
    proposal = proposals.proposal_create(actor=approver, unit=dang_bo, year=year, registrations=[exemplar])
    with pytest.raises(PermissionDenied):
        proposals.proposal_send(proposal, actor=outsider)
    exemplar.refresh_from_db()
    assert exemplar.status == Status.EXEMPLAR_BASE


def test_propose_khoi_is_refused_outside_a_proposal(approver, exemplar):
    with pytest.raises(TransitionError):
        workflow.apply(exemplar, "propose_khoi", actor=approver)
    with pytest.raises(TransitionError):
        workflow.apply(exemplar, "propose_khoi", actor=approver, via="meeting")
    exemplar.refresh_from_db()
    assert exemplar.status == Status.EXEMPLAR_BASE
