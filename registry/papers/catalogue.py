"""The catalogue of forms: one declaration per paper an office issues (forms.md §3, §5).

Each ``PaperForm`` says, in one place, what a Mẫu is: its code (``Document.form_code``), its layout (Party or
State), its template, the record it is about, how its number is written ("Số 12-BB/ĐU": the kind abbreviation),
the function that builds its content from the record, the date of the act it records (the default and the earliest
date of the paper), and what must be true before it can be issued. Views, bulk printing, the verification page,
the gallery and the tests read it; adding a form is one entry here and one template.

A ``Subject`` is one paper's record: a registration, an owner's report, a unit and year, a meeting, a proposal or
the Khối's appraisal of a year. ``subject_from`` finds it from a request's parameters, inside the user's scope (a
record outside it is a 404, as everywhere).

Nothing here renders or issues: ``registry.documents`` issues a ``Document`` from a subject, and ``registry.pdf``
turns its frozen snapshot into bytes.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from registry import appraisals, meetings, periodic_reports, permissions
from registry.models import (
    FormCode,
    KhoiProposal,
    Meeting,
    OwnerReport,
    Registration,
    ReportPeriod,
    Role,
    Status,
    StatusChange,
    Unit,
    UnitReviewReport,
    Year,
)
from registry.models.units import PARTY_KINDS
from registry.models.years import NO_GUIDANCE
from registry.papers import appraisals as appraisal_papers
from registry.papers import meetings as meeting_papers
from registry.papers import registrations as registration_papers
from registry.papers import reports as report_papers
from registry.papers import reviews as review_papers
from registry.papers.meetings import DECISION_FORM, MINUTES_FORM
from registry.proposals import can_propose_for, proposals_visible_to
from registry.terms import lazy_text
from registry.unit_fields import is_key


class About:
    """The kinds of record a paper is about; each has its own URL parameters (``subject_from``)."""

    REGISTRATION = "registration"  # ?mo_hinh=<pk>
    OWNER_REPORT = "owner_report"  # ?mo_hinh=<pk>&nam=<year>
    UNIT_YEAR = "unit_year"  # ?don_vi=<pk>&nam=<year>
    MEETING = "meeting"  # ?hop=<pk>
    PROPOSAL = "proposal"  # ?de_nghi=<pk>
    KHOI_YEAR = "khoi_year"  # ?nam=<year>&chon=<pk>&chon=<pk>…


@dataclass
class Issue:
    """What the office types when it issues a paper: number, date and signer. Empty for a draft."""

    number: str = ""
    issued_on: datetime.date | None = None
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    # The version in force the user saw when they filled the form (0: none), so that two people issuing the same
    # paper at once do not make two versions unknowingly; None: not asked (commands, the demo).
    in_force_seen: int | None = None


@dataclass
class Subject:
    """One paper's record: its form, issuing unit and year, the record itself, and who asks (their scope decides
    what a list shows)."""

    form: "PaperForm"
    issuer: Unit
    year: int
    user: object
    registration: Registration | None = None
    meeting: Meeting | None = None
    proposal: KhoiProposal | None = None
    record: object = None  # OwnerReport, Year, PeriodicFigures or the Khối's ranked entries
    options: dict = field(default_factory=dict)

    def links(self) -> dict:
        """The ``Document`` fields that tie a paper to its record (and find its earlier versions)."""
        return {"registration": self.registration, "meeting": self.meeting, "proposal": self.proposal}

    def query(self) -> dict:
        """The URL parameters that find this subject again (``subject_from``)."""
        return self.form.query(self)

    def build(self, issue: Issue | None = None) -> dict:
        return self.form.build(self, issue or Issue())

    def act_date(self) -> datetime.date | None:
        return self.form.act_date(self)

    def not_ready(self) -> str:
        """Why this paper cannot be issued yet ("" when it can)."""
        # The paper prints the names of its year's guidance: a year tied to none has no names to print.
        year = Year.objects.filter(year=self.year).only("guidance").first()
        if year is not None and year.guidance_id is None:
            return NO_GUIDANCE
        return self.form.not_ready(self)

    @property
    def numbered(self) -> bool:
        """Whether the paper carries a number: a body's papers do; a person's own report (Mẫu 5, 6 of an
        individual), like a personal registration form, does not."""
        if self.form.about == About.OWNER_REPORT and not self.registration.is_collective:
            return False
        return self.form.numbered


@dataclass(frozen=True)
class PaperForm:
    code: str  # a ``FormCode``: its label is the form's name ("Mẫu 5a – Biên bản họp xét, xác nhận mô hình")
    layout: str  # "party" or "state" (forms.md §1, §2)
    template: str
    about: str  # an ``About`` value
    number_kind: str  # HD 36's abbreviation ("BB", "QĐ", "BC", "TTr", "DS"); "" for personal forms without a number
    build: Callable[[Subject, Issue], dict]
    # The date of the act the paper records: the default of its date, and the earliest date it may carry
    # (None: the office enters it, not after today and in the paper's year or early the next).
    act_date: Callable[[Subject], datetime.date | None]
    not_ready: Callable[[Subject], str]
    may_issue: Callable[[object, Subject], bool]
    query: Callable[[Subject], dict]
    date_label: str = "Ngày văn bản"
    act_label: str = "ngày của việc được ghi nhận"  # how the earliest date is named in a refusal
    # The date offered when the record has no act date of its own (None: today, within the paper's year).
    usual_date: Callable[[Subject], datetime.date] | None = None

    @property
    def numbered(self) -> bool:
        return bool(self.number_kind)

    @property
    def label(self) -> str:
        """ "Mẫu 5a"."""
        return FormCode(self.code).label.split(" – ", 1)[0]

    @property
    def name(self) -> str:
        """ "Biên bản họp xét, xác nhận mô hình"."""
        return FormCode(self.code).label.split(" – ", 1)[1]


# --- Dates, readiness and permissions shared by several forms ------------------------------------------------------


def _local(moment) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _ready(_subject) -> str:
    return ""


def _no_act_date(_subject) -> None:
    return None


def _issuer_staff(user, subject: Subject) -> bool:
    """Editors and approvers over the issuing unit issue its papers (they upload the signed scan too)."""
    return bool(permissions.roles_over(user, subject.issuer) & {Role.EDITOR, Role.APPROVER})


def _meeting_approver(user, subject: Subject) -> bool:
    return meetings.can_hold_meeting(user, subject.meeting.unit)


def _khoi_appraiser(user, subject: Subject) -> bool:
    return permissions.has_role_over(user, subject.options["khoi"], Role.APPRAISER)


# --- Registration forms (Mẫu 1, 1a, 2, 2a) -------------------------------------------------------------------------


def _registration_subject(form, params, user) -> Subject:
    reg = _visible_registration(params.get("mo_hinh"), user)
    if reg.form_code != form.code:
        raise Http404("Biểu mẫu này không phải của mô hình đã chọn.")
    return Subject(
        form=form,
        issuer=registration_papers.issuing_unit_of(reg),
        year=reg.year.year,
        user=user,
        registration=reg,
    )


def _registration_not_ready(subject: Subject) -> str:
    """A registration form is the paper the unit sends: issued once sent, not while it is a draft or returned for
    corrections (its content is still changing)."""
    status = subject.registration.status
    if status == Status.DRAFT:
        return "Bản đăng ký chưa được gửi: hãy gửi đăng ký trước khi ban hành bản in có mã xác thực."
    if status == Status.RETURNED:
        return "Bản đăng ký đang bị trả lại để sửa: hãy sửa và gửi lại trước khi ban hành."
    return ""


def _registration_form(code, layout, number_kind) -> PaperForm:
    return PaperForm(
        code=code,
        layout=layout,
        template=f"pdf/{code}.html",
        about=About.REGISTRATION,
        number_kind=number_kind,
        build=lambda s, issue: registration_papers.registration_context(s.registration),
        act_date=lambda s: _local(s.registration.submitted_at),
        not_ready=_registration_not_ready,
        may_issue=_issuer_staff,
        query=lambda s: {"mo_hinh": s.registration.pk},
        date_label="Ngày đăng ký (ngày gửi bản đăng ký)",
        act_label="ngày gửi bản đăng ký",
    )


# --- Owner's reports (Mẫu 5, 6) -------------------------------------------------------------------------------------


def _owner_report_subject(form, params, user) -> Subject:
    reg = _visible_registration(params.get("mo_hinh"), user)
    year = _year(params.get("nam"))
    report = (
        OwnerReport.objects.filter(registration=reg, kind=form.code, year=year).select_related("registration").first()
    )
    if report is None:
        raise Http404("Mô hình chưa có báo cáo này trong năm đã chọn.")
    return Subject(
        form=form,
        issuer=registration_papers.issuing_unit_of(reg),
        year=year.year,
        user=user,
        registration=reg,
        record=report,
    )


def _owner_report_form(code) -> PaperForm:
    return PaperForm(
        code=code,
        layout="party",
        template=f"pdf/{code}.html",
        about=About.OWNER_REPORT,
        number_kind="BC",
        build=lambda s, issue: review_papers.owner_report_context(s.record),
        act_date=_no_act_date,
        not_ready=_ready,
        may_issue=_issuer_staff,
        query=lambda s: {"mo_hinh": s.registration.pk, "nam": s.year},
        date_label="Ngày báo cáo",
        # The day the owner wrote the report (it has no date of its own to enter), within the report's year.
        usual_date=lambda s: min(timezone.localdate(s.record.created_at), datetime.date(s.year, 12, 31)),
    )


# --- A unit's papers of a year (Mẫu 3, Mẫu 4, the 6-month and annual reports) --------------------------------------

PERIOD_CODES = {ReportPeriod.HALF_YEAR: "bc_6t", ReportPeriod.ANNUAL: "bc_nam"}


def _unit_year_subject(form, params, user) -> Subject:
    unit = _scoped_unit(params.get("don_vi"), user)
    year = _year(params.get("nam"))
    if form.code in ("mau_3", "mau_4") and unit.kind not in PARTY_KINDS:
        raise Http404("Danh sách, báo cáo này do tổ chức đảng lập.")
    return unit_year_subject(form.code, unit, year, user)


def unit_year_subject(code: str, unit: Unit, year: Year, user) -> Subject:
    """A unit's paper of a year (Mẫu 3, 4, the periodic reports) for a unit already checked against the scope; a
    list shows what ``user`` may see."""
    record = year
    if code in PERIOD_CODES.values():
        period = next(p for p, c in PERIOD_CODES.items() if c == code)
        record = periodic_reports.periodic_figures_build(user, unit=unit, year=year, period=period)
    return Subject(form=FORMS[code], issuer=unit, year=year.year, user=user, record=record)


def _visible(subject: Subject):
    return Registration.objects.visible_to(subject.user)


# A list longer than this is too slow to lay out while the user waits (~12.5 ms per row, docs/performance.md).
MAU_3_MAX_ROWS = 1000


# A longer list is laid out by the background worker, with a progress bar, for its issue and its draft: WeasyPrint
# takes ~8 ms of CPU per row (docs/benchmarks.md), so ~100 rows is what a web worker lays out in about a second.
MAU_3_INLINE_ROWS = 100


def _mau_3_rows(subject: Subject) -> int:
    """The rows of the subject's Mẫu 3, counted up to ``MAU_3_MAX_ROWS + 1`` once per subject (a request asks
    whether it is ready and whether it is long; the worker finds a new subject and counts again)."""
    if "mau_3_rows" not in subject.options:
        queryset = registration_papers.mau_3_queryset(_visible(subject), unit=subject.issuer, year=subject.record)
        subject.options["mau_3_rows"] = queryset[: MAU_3_MAX_ROWS + 1].count()
    return subject.options["mau_3_rows"]


def in_background(subject: Subject) -> bool:
    """Whether the paper is too long to lay out while a web worker waits: then its issue and its draft run in the
    task worker (``registry.paper_jobs``) and the user follows a progress bar."""
    return subject.form.code == "mau_3" and _mau_3_rows(subject) > MAU_3_INLINE_ROWS


def _mau_3_not_ready(subject: Subject) -> str:
    year = subject.record
    count = _mau_3_rows(subject)
    if not count:
        return f"Chưa có mô hình nào đăng ký với đơn vị trong năm {year.year}: danh sách trống, chưa thể ban hành."
    if count > MAU_3_MAX_ROWS:
        return (
            f"Danh sách có hơn {MAU_3_MAX_ROWS} mô hình, quá dài để ban hành trực tuyến. "
            "Vui lòng tải bản Excel hoặc chọn đơn vị nhỏ hơn."
        )
    return ""


def _mau_4_not_ready(subject: Subject) -> str:
    """Mẫu 4 is the unit's own report: it is not issued with empty narrative sections (issue #11, defect 5)."""
    report = UnitReviewReport.objects.filter(unit=subject.issuer, year=subject.record).first()
    if report is None or not (report.leadership.strip() and report.limitations.strip() and report.directions.strip()):
        return (
            "Báo cáo rà soát chưa đủ nội dung: hãy nhập “Công tác lãnh đạo, chỉ đạo”, “Hạn chế, nguyên nhân” và "
            "“Phương hướng, đề xuất” ở trang Rà soát trước khi ban hành."
        )
    return ""


def _periodic_not_ready(subject: Subject) -> str:
    """A periodic report is the unit's own words around the figures: not issued with empty sections."""
    report = subject.record.report
    if report is None or not (report.leadership.strip() and report.limitations.strip() and report.directions.strip()):
        return (
            "Báo cáo chưa đủ nội dung: hãy nhập “Công tác lãnh đạo, chỉ đạo”, “Hạn chế, nguyên nhân” và “Phương "
            "hướng, nhiệm vụ” ở trang Báo cáo định kỳ trước khi ban hành."
        )
    return ""


def _periodic_build(subject: Subject, issue: Issue | None) -> dict:
    """The periodic report as of its own date (typed, else the default one): a report dated before its period's end
    counts and states what was sent up to that date, not up to 30/6 or 31/12."""
    on = (issue.issued_on if issue is not None else None) or default_issue_date(subject)
    record = subject.record
    if periodic_reports.report_cutoff(record.year, record.period, on) != record.cutoff:
        record = periodic_reports.periodic_figures_build(
            subject.user, unit=record.unit, year=record.year, period=record.period, today=record.today, on=on
        )
    return report_papers.periodic_report(record)


def _unit_year_form(code, *, number_kind, build, not_ready, date_label, usual_date, template=None):
    return PaperForm(
        code=code,
        layout="party",
        template=template or f"pdf/{code}.html",
        about=About.UNIT_YEAR,
        number_kind=number_kind,
        build=build,
        act_date=_no_act_date,
        not_ready=not_ready,
        may_issue=_issuer_staff,
        query=lambda s: {"don_vi": s.issuer.pk, "nam": s.year},
        date_label=date_label,
        usual_date=usual_date,
    )


# --- Meetings (Mẫu 5a/5b, 6a/6b, the Khối's minutes and 7b) --------------------------------------------------------


def _meeting_subject(form, params, user) -> Subject:
    value = str(params.get("hop") or "").strip()
    if not is_key(value):
        raise Http404("Cuộc họp không tồn tại hoặc nằm ngoài phạm vi của bạn.")
    meeting = meetings.meetings_visible_to(user).select_related("unit", "year").filter(pk=int(value)).first()
    if meeting is None or form.code not in (MINUTES_FORM[meeting.purpose], DECISION_FORM[meeting.purpose]):
        raise Http404("Cuộc họp không tồn tại hoặc nằm ngoài phạm vi của bạn.")
    return Subject(form=form, issuer=meeting.unit, year=meeting.year.year, user=user, meeting=meeting)


def _meeting_not_ready(subject: Subject) -> str:
    if subject.meeting.recorded_at is None:
        return "Cuộc họp chưa ghi kết quả: hãy ghi kết quả biểu quyết trước khi ban hành biên bản, quyết định."
    return ""


def _decision_build(s: Subject, issue: Issue) -> dict:
    reference = ""
    if issue.number and issue.issued_on:
        reference = meeting_papers.decision_reference(s.meeting, number=issue.number, date=issue.issued_on)
    return meeting_papers.decision_context(s.meeting, decision_ref=reference)


def _meeting_form(code, number_kind, build) -> PaperForm:
    return PaperForm(
        code=code,
        layout="party",
        template=meeting_papers.MINUTES_TEMPLATE if number_kind == "BB" else meeting_papers.DECISION_TEMPLATE,
        about=About.MEETING,
        number_kind=number_kind,
        build=build,
        act_date=lambda s: s.meeting.held_on,
        not_ready=_meeting_not_ready,
        may_issue=_meeting_approver,
        query=lambda s: {"hop": s.meeting.pk},
        date_label="Ngày văn bản (không trước ngày họp)",
        act_label="ngày họp",
    )


def _minutes_build(s: Subject, issue: Issue) -> dict:
    return meeting_papers.minutes_context(s.meeting)


# --- The list of grassroots exemplars proposed to the Khối (Mẫu 6b list) -------------------------------------------


def _proposal_subject(form, params, user) -> Subject:
    value = str(params.get("de_nghi") or "").strip()
    proposal = None
    if is_key(value):
        proposal = proposals_visible_to(user).select_related("unit", "year").filter(pk=int(value)).first()
    if proposal is None:
        raise Http404("Đề nghị không tồn tại hoặc nằm ngoài phạm vi của bạn.")
    return Subject(form=form, issuer=proposal.unit, year=proposal.year.year, user=user, proposal=proposal)


def _proposal_not_ready(subject: Subject) -> str:
    if subject.proposal.sent_at is None:
        return lazy_text("Đề nghị chưa được gửi lên {top_short}: hãy bấm “Gửi đề nghị” trước khi ban hành danh sách.")
    return ""


def _proposal_may_issue(user, subject: Subject) -> bool:
    return can_propose_for(user, subject.proposal.unit)


# --- The Khối's appraisal of a year (Mẫu 7a, Mẫu 7) ----------------------------------------------------------------


def _khoi_year_subject(form, params, user) -> Subject:
    khois = appraisals.appraiser_khois(user)
    if not khois:
        raise Http404(lazy_text("Chỉ {appraising_body_full} ban hành văn bản này."))
    khoi = khois[0]
    year = _year(params.get("nam"))
    entries = appraisals.ranking(user, year.year, khois=[khoi])
    printable = appraisal_papers.printable(entries)
    ids = {e.registration.pk for e in printable}
    chosen = {int(v) for v in params.getlist("chon") if is_key(v)} & ids
    return Subject(
        form=form,
        issuer=appraisal_papers.issuing_unit_for(khoi),
        year=year.year,
        user=user,
        record=entries,
        options={"khoi": khoi, "chosen": chosen, "printable": printable},
    )


def _khoi_year_not_ready(subject: Subject) -> str:
    if not subject.options["printable"]:
        return f"Năm {subject.year} chưa có hồ sơ nào hoàn thành thẩm định."
    if subject.form.code == "mau_7" and not subject.options["chosen"]:
        return "Hãy chọn ít nhất một hồ sơ đề xuất ở trang Xếp hạng trước khi ban hành Tờ trình."
    return ""


def _appraisal_closed_on(subject: Subject) -> datetime.date | None:
    """The day the year's last finished appraisal was closed (the "appraise" status change of its entries)."""
    ids = [e.registration.pk for e in subject.options["printable"]]
    moment = (
        StatusChange.objects.filter(registration_id__in=ids, to_status=Status.APPRAISED)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return _local(moment)


def _khoi_year_build(s: Subject, issue: Issue) -> dict:
    builder = appraisal_papers.mau_7 if s.form.code == "mau_7" else appraisal_papers.mau_7a
    signer = {"authority": issue.signer_authority, "title": issue.signer_title, "name": issue.signer_name}
    if not any(signer.values()):
        signer = {"authority": "", "title": "TRƯỞNG BAN", "name": s.issuer.signer_name}
    return builder(
        issuer=s.issuer,
        khoi=s.options["khoi"],
        year=s.year,
        entries=s.record,
        chosen=s.options["chosen"],
        signer=signer,
    )


def _khoi_year_form(code, number_kind) -> PaperForm:
    return PaperForm(
        code=code,
        layout="party",
        template=f"pdf/{code}.html",
        about=About.KHOI_YEAR,
        number_kind=number_kind,
        build=_khoi_year_build,
        act_date=_appraisal_closed_on,
        not_ready=_khoi_year_not_ready,
        may_issue=_khoi_appraiser,
        query=lambda s: {"nam": s.year, "chon": sorted(s.options["chosen"])},
        date_label="Ngày văn bản (không trước ngày kết thúc thẩm định)",
        act_label="ngày kết thúc thẩm định",
    )


# --- The catalogue --------------------------------------------------------------------------------------------------

FORMS: dict[str, PaperForm] = {
    form.code: form
    for form in [
        _registration_form("mau_1", "party", "ĐK"),
        _registration_form("mau_1a", "state", "ĐK"),
        _registration_form("mau_2", "party", ""),
        _registration_form("mau_2a", "state", ""),
        _unit_year_form(
            "mau_3",
            number_kind="DS",
            build=lambda s, issue: registration_papers.mau_3(unit=s.issuer, year=s.record, registrations=_visible(s)),
            not_ready=_mau_3_not_ready,
            date_label="Ngày lập danh sách",
            # The list is compiled when registration at the grassroots closes.
            usual_date=lambda s: s.record.registration_deadline_base,
        ),
        _unit_year_form(
            "mau_4",
            number_kind="BC",
            build=lambda s, issue: review_papers.mau_4(unit=s.issuer, year=s.record, registrations=_visible(s)),
            not_ready=_mau_4_not_ready,
            date_label="Ngày thông qua báo cáo",
            # The review is adopted when the grassroots review closes.
            usual_date=lambda s: s.record.review_deadline_base,
        ),
        _owner_report_form("mau_5"),
        _owner_report_form("mau_6"),
        _meeting_form("mau_5a", "BB", _minutes_build),
        _meeting_form("mau_5b", "QĐ", _decision_build),
        _meeting_form("mau_6a", "BB", _minutes_build),
        _meeting_form("mau_6b", "QĐ", _decision_build),
        PaperForm(
            code="mau_6b_ds",
            layout="party",
            template=meeting_papers.PROPOSAL_TEMPLATE,
            about=About.PROPOSAL,
            number_kind="DS",
            build=lambda s, issue: meeting_papers.proposal_context(s.proposal),
            act_date=lambda s: _local(s.proposal.sent_at),
            not_ready=_proposal_not_ready,
            may_issue=_proposal_may_issue,
            query=lambda s: {"de_nghi": s.proposal.pk},
            date_label="Ngày gửi đề nghị",
            act_label="ngày gửi đề nghị",
        ),
        _khoi_year_form("mau_7a", "BC"),
        _khoi_year_form("mau_7", "TTr"),
        _meeting_form("mau_7b_bb", "BB", _minutes_build),
        _meeting_form("mau_7b", "QĐ", _decision_build),
        *[
            _unit_year_form(
                code,
                number_kind="BC",
                template=report_papers.TEMPLATE,
                build=_periodic_build,
                not_ready=_periodic_not_ready,
                date_label="Ngày báo cáo",
                # A periodic report is dated by its deadline (10/6, 10/12) unless it is written earlier.
                usual_date=lambda s: s.record.deadline,
            )
            for code in PERIOD_CODES.values()
        ],
    ]
}

LOCATORS = {
    About.REGISTRATION: _registration_subject,
    About.OWNER_REPORT: _owner_report_subject,
    About.UNIT_YEAR: _unit_year_subject,
    About.MEETING: _meeting_subject,
    About.PROPOSAL: _proposal_subject,
    About.KHOI_YEAR: _khoi_year_subject,
}


def form_of(code: str) -> PaperForm:
    """The catalogue entry of ``code``; an unknown code is a 404 (it comes from a URL)."""
    form = FORMS.get(code)
    if form is None:
        raise Http404("Không có biểu mẫu này.")
    return form


def subject_from(code: str, params, user) -> Subject:
    """The paper ``code`` about the record named by ``params`` (a QueryDict), inside ``user``'s scope.

    Raises ``Http404`` for an unknown form or a record the user cannot see (or that does not exist).
    """
    form = form_of(code)
    return LOCATORS[form.about](form, params, user)


def registration_subject(reg: Registration, user) -> Subject:
    """The subject of a registration's own form (Mẫu 1, 1a, 2 or 2a), for a registration already fetched."""
    return Subject(
        form=FORMS[reg.form_code],
        issuer=registration_papers.issuing_unit_of(reg),
        year=reg.year.year,
        user=user,
        registration=reg,
    )


def meeting_subjects(meeting: Meeting, user) -> list[Subject]:
    """The meeting's two papers: the minutes, then the decision."""
    return [
        Subject(form=FORMS[code], issuer=meeting.unit, year=meeting.year.year, user=user, meeting=meeting)
        for code in (MINUTES_FORM[meeting.purpose], DECISION_FORM[meeting.purpose])
    ]


# --- Parameters -----------------------------------------------------------------------------------------------------


def _visible_registration(value, user) -> Registration:
    value = str(value or "").strip()
    reg = None
    if is_key(value):
        reg = (
            Registration.objects.visible_to(user)
            .select_related(*registration_papers.REGISTRATION_RELATED)
            .filter(pk=int(value))
            .first()
        )
    if reg is None:
        raise Http404("Mô hình không tồn tại hoặc nằm ngoài phạm vi của bạn.")
    return reg


def _scoped_unit(value, user) -> Unit:
    value = str(value or "").strip()
    unit = Unit.objects.scope_of(user).filter(pk=int(value)).first() if is_key(value) else None
    if unit is None:
        raise Http404("Đơn vị không tồn tại hoặc nằm ngoài phạm vi của bạn.")
    return unit


def _year(value) -> Year:
    value = str(value or "").strip()
    is_year = value.isascii() and value.isdigit() and len(value) == 4
    year = Year.objects.filter(year=int(value)).first() if is_year else None
    if year is None:
        raise Http404("Năm không hợp lệ.")
    return year


def check_issue_date(subject: Subject, issued_on: datetime.date, *, today: datetime.date | None = None) -> None:
    """A paper's date is the date of its act (forms.md §5): never after today, never before the act, and in the
    paper's year (or early the next, for a report on the year). Raises ``ValidationError`` in Vietnamese."""
    today = today or timezone.localdate()
    if issued_on > today:
        raise ValidationError("Ngày văn bản không được sau ngày hôm nay.", code="future")
    earliest = subject.act_date()
    if earliest is not None and issued_on < earliest:
        raise ValidationError(
            f"Ngày văn bản không được trước {subject.form.act_label} ({earliest:%d/%m/%Y}).", code="before_act"
        )
    # A report on a year may be dated early the next year; an act that came later still dates its paper.
    if issued_on.year not in {subject.year, subject.year + 1, earliest.year if earliest else subject.year}:
        raise ValidationError(
            f"Văn bản của năm {subject.year} phải ghi ngày trong năm {subject.year} (hoặc năm {subject.year + 1} "
            "đối với báo cáo tổng kết năm).",
            code="wrong_year",
        )


def default_issue_date(subject: Subject, *, today: datetime.date | None = None) -> datetime.date:
    """The act's date when the record has one; else today, or the paper's usual date (the last day of its year, a
    report's deadline) if that is past."""
    today = today or timezone.localdate()
    act = subject.act_date()
    if act is not None:
        return act
    usual = subject.form.usual_date(subject) if subject.form.usual_date else datetime.date(subject.year, 12, 31)
    return min(today, usual)
