"""Issue every form of the catalogue from the data in the database (the demo's) into a folder, as PDFs and PNG pages,
so that anyone can look at all of them in a minute: ``manage.py print_gallery OUTDIR``.

For each form it finds a record the form is about, and a user who may issue it (through their memberships); a paper
already issued is printed as issued, one not issued yet is issued now with the default signer and the act's date
(``documents.issue``, as a person would on the issue page). A form for which the data has no record ready says why
and is skipped. PNG pages need ``pdftoppm`` (poppler-utils); without it only the PDFs are written.
"""

import shutil
import subprocess
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand
from django.db.models import Count
from django.http import Http404, QueryDict
from django.utils.http import urlencode

from registry import documents
from registry.models import (
    Document,
    KhoiProposal,
    Meeting,
    Membership,
    OwnerReport,
    Registration,
    Role,
    Status,
    UnitReviewReport,
    Year,
)
from registry.papers import catalogue
from registry.papers.catalogue import About, Issue

ROLES = (Role.EDITOR, Role.APPROVER, Role.APPRAISER)


def _candidates(form: catalogue.PaperForm) -> list[dict]:
    """URL parameters of records a form may be about, most promising first."""
    code = form.code
    if form.about == About.REGISTRATION:
        regs = Registration.objects.filter(subject_kind=_subject_kind(code)).exclude(status=Status.DRAFT)
        return [{"mo_hinh": pk} for pk in regs.order_by("-year__year", "pk").values_list("pk", flat=True)[:5]]
    if form.about == About.OWNER_REPORT:
        reports = OwnerReport.objects.filter(kind=code).order_by("-year__year", "pk")
        return [{"mo_hinh": r.registration_id, "nam": r.year.year} for r in reports.select_related("year")[:5]]
    if form.about == About.UNIT_YEAR:
        if code == "mau_4":
            reports = UnitReviewReport.objects.select_related("year").order_by("-year__year", "pk")
            return [{"don_vi": r.unit_id, "nam": r.year.year} for r in reports[:5]]
        busiest = (
            Registration.objects.exclude(status=Status.DRAFT)
            .values("receiving_unit", "year__year")
            .annotate(n=Count("pk"))
            .order_by("-n")[:5]
        )
        return [{"don_vi": row["receiving_unit"], "nam": row["year__year"]} for row in busiest]
    if form.about == About.MEETING:
        pairs = (*catalogue.MINUTES_FORM.items(), *catalogue.DECISION_FORM.items())
        purposes = [purpose for purpose, form_code in pairs if form_code == code]
        meetings = Meeting.objects.filter(purpose__in=purposes, recorded_at__isnull=False)
        return [{"hop": pk} for pk in meetings.order_by("-held_on").values_list("pk", flat=True)[:5]]
    if form.about == About.PROPOSAL:
        proposals = KhoiProposal.objects.filter(sent_at__isnull=False).order_by("-sent_at")
        return [{"de_nghi": pk} for pk in proposals.values_list("pk", flat=True)[:5]]
    if form.about == About.KHOI_YEAR:
        return [{"nam": year} for year in Year.objects.order_by("-year").values_list("year", flat=True)]
    return []


def _subject_kind(code: str) -> str:
    return {"mau_1": "party_org", "mau_1a": "agency", "mau_2": "member", "mau_2a": "non_member"}[code]


def _users():
    """Users holding a role that issues papers, each once."""
    seen, users = set(), []
    for membership in Membership.objects.filter(role__in=ROLES).select_related("user", "unit").order_by("unit__depth"):
        if membership.user_id not in seen:
            seen.add(membership.user_id)
            users.append(membership.user)
    return users


def _free_number(subject: catalogue.Subject) -> str:
    """The first number the issuer has not used in the year ("3-BC/ĐU"), or "" where the form has none."""
    if not subject.numbered or not subject.issuer.abbreviation.strip():
        return ""
    used = set(Document.objects.filter(issuing_unit=subject.issuer, year=subject.year).values_list("number", flat=True))
    n = 1
    while documents.compose_number(subject, str(n)) in used:
        n += 1
    return str(n)


def _params(values: dict) -> QueryDict:
    return QueryDict(urlencode(values, doseq=True))


class Command(BaseCommand):
    help = "Ban hành mọi biểu mẫu từ dữ liệu hiện có (dữ liệu mẫu) vào một thư mục: tệp PDF và ảnh PNG từng trang."

    def add_arguments(self, parser):
        parser.add_argument("outdir", help="Thư mục ghi tệp (tạo mới nếu chưa có).")
        parser.add_argument("--dpi", type=int, default=60, help="Độ phân giải ảnh PNG (mặc định 60).")

    def handle(self, *args, outdir, dpi, **options):
        out = Path(outdir)
        out.mkdir(parents=True, exist_ok=True)
        pdftoppm = shutil.which("pdftoppm")
        users = _users()
        issued = 0
        for code, form in catalogue.FORMS.items():
            found = self.paper(form, users)
            if isinstance(found, str):
                self.stdout.write(f"- {form.label} ({code}): bỏ qua – {found}")
                continue
            document = found
            path = out / f"{code}.pdf"
            path.write_bytes(documents.pdf_bytes(document))
            if pdftoppm:
                subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(path), str(out / code)], check=True)
            issued += 1
            number = document.number or "không số"
            self.stdout.write(
                f"- {form.label} ({code}): {path.name}, số {number}, ngày {document.issued_on:%d/%m/%Y}, "
                f"mã {document.verification_code}"
            )
        self.stdout.write(f"Đã ghi {issued}/{len(catalogue.FORMS)} biểu mẫu vào {out}.")

    def paper(self, form: catalogue.PaperForm, users):
        """The form's document in force for the first record that has one or can issue one; else why not."""
        reason = "dữ liệu chưa có hồ sơ phù hợp"
        for values in _candidates(form):
            for user in users:
                try:
                    subject = catalogue.subject_from(form.code, _params(values), user)
                except Http404:
                    continue
                if form.about == About.KHOI_YEAR:
                    printable = subject.options["printable"]
                    chosen = [e.registration.pk for e in printable if not e.hidden][:3]
                    subject = catalogue.subject_from(form.code, _params({**values, "chon": chosen}), user)
                document = documents.current(subject)
                if document is not None:
                    return document
                if not form.may_issue(user, subject):
                    continue
                reason = subject.not_ready() or reason
                if subject.not_ready():
                    break
                signer = documents.default_signer(subject)
                data = Issue(
                    number=_free_number(subject),
                    issued_on=catalogue.default_issue_date(subject),
                    signer_authority=signer["authority"],
                    signer_title=signer["title"],
                    signer_name=signer["name"] or "Nguyễn Văn Bình",
                )
                try:
                    return documents.issue(subject, data, user=user)
                except ValidationError as error:
                    reason = "; ".join(error.messages)
                    break
        return reason
