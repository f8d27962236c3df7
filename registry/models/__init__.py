"""Every model of the registry, re-exported so callers write ``from registry.models import Registration``.

Dependency direction inside this package: base, stamps → units → people, years, catalog → registrations → audit,
reviews, reports, meetings → appraisal, documents. A module imports only from modules to its left.
"""

from registry.models.appraisal import Appraisal, AppraisalScore, RankingRow
from registry.models.audit import StatusChange
from registry.models.catalog import Criterion, Field, FormText, SubjectGroup
from registry.models.documents import Document, FormCode
from registry.models.guidance import Guidance
from registry.models.jobs import JobFormat, JobKind, JobStatus, PrintJob
from registry.models.meetings import Meeting, MeetingEntry, PassRule, Purpose, VotingMethod
from registry.models.notifications import Reminder, UserPreference
from registry.models.people import Gender, Membership, Person, Role
from registry.models.registrations import (
    COLLECTIVE_SUBJECTS,
    Attachment,
    Level,
    Registration,
    Status,
    SubjectKind,
)
from registry.models.reorganisations import Reorganisation, ReorganisationKind
from registry.models.reports import (
    KhoiProposal,
    KhoiProposalEntry,
    OwnerReport,
    OwnerReportAssessment,
    OwnerReportKind,
    PeriodicReport,
    ReportPeriod,
)
from registry.models.reviews import Proposal, ReviewAssessment, UnitReviewReport, YearlyReview
from registry.models.signing import SigningCertificate, TrustedRoot
from registry.models.stamps import ChoiceStamp
from registry.models.units import Unit, UnitKind
from registry.models.years import Year

__all__ = [
    "COLLECTIVE_SUBJECTS",
    "Appraisal",
    "AppraisalScore",
    "RankingRow",
    "Attachment",
    "ChoiceStamp",
    "Criterion",
    "Document",
    "Field",
    "FormCode",
    "FormText",
    "Gender",
    "Guidance",
    "JobFormat",
    "JobKind",
    "JobStatus",
    "KhoiProposal",
    "KhoiProposalEntry",
    "Level",
    "Meeting",
    "MeetingEntry",
    "Membership",
    "OwnerReport",
    "OwnerReportAssessment",
    "OwnerReportKind",
    "PassRule",
    "PeriodicReport",
    "Person",
    "SigningCertificate",
    "TrustedRoot",
    "PrintJob",
    "Proposal",
    "Purpose",
    "Registration",
    "Reorganisation",
    "ReorganisationKind",
    "Reminder",
    "ReportPeriod",
    "ReviewAssessment",
    "Role",
    "Status",
    "StatusChange",
    "SubjectGroup",
    "SubjectKind",
    "Unit",
    "UnitKind",
    "UnitReviewReport",
    "UserPreference",
    "VotingMethod",
    "Year",
    "YearlyReview",
]
