"""Issuing papers in tests as an office would: the catalogue's subject, the form's default signer, the act's date.

``issue_paper`` calls ``documents.issue`` exactly as the issue page does; a test that is not about who may issue
passes no user, and an editor of the issuing unit (or the meeting's approver, or the Khối's appraiser) issues it.
"""

import datetime

from django.utils import timezone

from registry import documents
from registry.models import Registration, Role, Status
from registry.papers import catalogue
from registry.papers import registrations as registration_papers
from tests.factories import MembershipFactory, UserFactory

ISSUER_ROLES = {
    catalogue.About.MEETING: Role.APPROVER,
    catalogue.About.PROPOSAL: Role.APPROVER,
    catalogue.About.KHOI_YEAR: Role.APPRAISER,
}


def office_user(subject: catalogue.Subject):
    """A user of the issuing unit who may issue the paper (created for the test)."""
    unit = subject.options.get("khoi") or (subject.meeting.unit if subject.meeting else subject.issuer)
    user = UserFactory()
    MembershipFactory(user=user, unit=unit, role=ISSUER_ROLES.get(subject.form.about, Role.EDITOR))
    return user


def issue_paper(subject: catalogue.Subject, user=None, **fields):
    """Issue ``subject``'s paper with the default number (none), date (the act's) and signer, overridden by
    ``fields`` (``number``, ``issued_on``, ``signer_authority``, ``signer_title``, ``signer_name``,
    ``in_force_seen``)."""
    signer = documents.default_signer(subject)
    data = catalogue.Issue(
        number=fields.get("number", ""),
        issued_on=fields.get("issued_on", catalogue.default_issue_date(subject)),
        signer_authority=fields.get("signer_authority", signer["authority"]),
        signer_title=fields.get("signer_title", signer["title"]),
        signer_name=fields.get("signer_name", signer["name"] or "Trần Văn Bình"),
        in_force_seen=fields.get("in_force_seen"),
    )
    return documents.issue(subject, data, user=user or office_user(subject))


def submitted(reg: Registration, *, on: datetime.date | None = None) -> Registration:
    """``reg`` as sent by its unit (a registration form is issued once sent), fetched with what its form reads."""
    day = on or datetime.date(reg.year.year, 3, 2)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    unsent = Registration.objects.filter(pk=reg.pk)
    if on is None:
        unsent = unsent.filter(submitted_at__isnull=True)
    unsent.filter(status=Status.DRAFT).update(status=Status.SUBMITTED)
    unsent.update(submitted_at=moment)
    return Registration.objects.select_related(*registration_papers.REGISTRATION_RELATED).get(pk=reg.pk)


def issue_registration_form(reg: Registration, user=None, **fields):
    """Issue the registration's own form (Mẫu 1, 1a, 2 or 2a), sending it first if it is a draft."""
    reg = submitted(reg)
    actor = user or _viewer_of(reg)
    return issue_paper(catalogue.registration_subject(reg, actor), actor, **fields)


def registration_pdf(reg: Registration, user=None, **fields) -> bytes:
    """The PDF of the registration's issued form."""
    return documents.pdf_bytes(issue_registration_form(reg, user, **fields))


def _viewer_of(reg: Registration):
    user = UserFactory()
    MembershipFactory(user=user, unit=registration_papers.issuing_unit_of(reg), role=Role.EDITOR)
    return user


def issue_unit_paper(code: str, unit, year, user=None, **fields):
    """Issue a unit's paper of a year (Mẫu 3, Mẫu 4, the periodic reports) as one of its editors."""
    actor = user or UserFactory()
    if user is None:
        MembershipFactory(user=actor, unit=unit, role=Role.EDITOR)
    subject = catalogue.subject_from(code, {"don_vi": unit.pk, "nam": year.year}, actor)
    return issue_paper(subject, actor, **fields)
