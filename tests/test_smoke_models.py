from registry import workflow
from registry.models import Status, SubjectKind
from tests.factories import RegistrationFactory


def test_member_registration_is_received_by_the_members_chi_bo(member, chi_bo, year):
    reg = RegistrationFactory(subject_kind=SubjectKind.MEMBER, subject_person=member, year=year)
    assert reg.unit == chi_bo
    assert reg.receiving_unit == chi_bo


def test_submit_then_receive_records_two_audit_rows(chi_bo, year, secretary, approver):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year)
    workflow.apply(reg, "submit", actor=secretary)
    reg = workflow.apply(reg, "receive", actor=approver)
    assert reg.status == Status.ACTIVE
    assert [c.action for c in reg.status_changes.all()] == ["submit", "receive"]
