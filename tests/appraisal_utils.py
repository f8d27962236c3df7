"""Set-up helpers of the appraisal tests: entries proposed to the Khối, extra appraisers and submitted scores."""

import datetime

from registry import appraisals
from registry.models import KhoiProposal, KhoiProposalEntry, Role, Status, SubjectKind
from tests.factories import MembershipFactory, RegistrationFactory, UserFactory

SENT = datetime.datetime(2025, 9, 1, 1, 0, tzinfo=datetime.UTC)


def propose(
    *,
    unit,
    year,
    subject_unit=None,
    subject_person=None,
    sent_at=SENT,
    status=Status.PROPOSED_KHOI,
    registered=None,
    **kw,
):
    """A registration (of year ``registered``, default ``year``) proposed to the Khối by ``unit`` in a proposal of
    ``year`` sent at ``sent_at``."""
    kind = SubjectKind.PARTY_ORG if subject_unit is not None else SubjectKind.MEMBER
    reg = RegistrationFactory(
        subject_kind=kind,
        subject_unit=subject_unit,
        subject_person=subject_person,
        status=status,
        year=registered or year,
        **kw,
    )
    proposal = KhoiProposal.objects.create(unit=unit, year=year, sent_at=sent_at)
    KhoiProposalEntry.objects.create(proposal=proposal, registration=reg)
    return reg


def new_appraiser(khoi, username: str, first_name: str = "Văn B"):
    user = UserFactory(username=username, first_name=first_name, last_name="Trần")
    MembershipFactory(user=user, unit=khoi, role=Role.APPRAISER)
    return user


def scores_for(reg, values) -> dict:
    """Criterion pk → (met, score), given (met, score) pairs in criterion order."""
    return {c.pk: value for c, value in zip(appraisals.criteria_of(reg), values, strict=True)}


def collective(points: list[int], met: list[bool] | None = None) -> list[tuple[bool, int]]:
    met = met or [True] * len(points)
    return list(zip(met, points, strict=True))


def submit(reg, user, values, *, file_complete=True, comment=""):
    return appraisals.appraisal_submit(
        registration=reg, appraiser=user, file_complete=file_complete, comment=comment, scores=scores_for(reg, values)
    )
