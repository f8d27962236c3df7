"""Printed forms as documents: number, date, signer, frozen snapshot and a public verification code."""

import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.meetings import Meeting
from registry.models.registrations import Registration
from registry.models.reports import KhoiProposal
from registry.models.units import Unit
from registry.terms import lazy_text


class FormCode(models.TextChoices):
    """Every paper the portal issues, with its name as a clerk says it ("Mẫu 5a – …"): the one home of a form's name.
    What each form is and how it prints is declared in ``registry.papers.catalogue``, one entry per code here."""

    MAU_1 = "mau_1", "Mẫu 1 – Bản đăng ký mô hình của tổ chức đảng"
    MAU_1A = "mau_1a", "Mẫu 1a – Bản đăng ký mô hình của cơ quan, đơn vị"
    MAU_2 = "mau_2", "Mẫu 2 – Bản đăng ký mô hình của đảng viên"
    MAU_2A = "mau_2a", "Mẫu 2a – Bản đăng ký mô hình của người không là đảng viên"
    MAU_3 = "mau_3", "Mẫu 3 – Danh sách tập thể, cá nhân đăng ký mô hình"
    MAU_4 = "mau_4", "Mẫu 4 – Báo cáo kết quả rà soát, đánh giá mô hình"
    MAU_5 = "mau_5", "Mẫu 5 – Báo cáo kết quả thực hiện mô hình (đề nghị xác nhận)"
    MAU_5A = "mau_5a", "Mẫu 5a – Biên bản họp xét, xác nhận mô hình"
    MAU_5B = "mau_5b", "Mẫu 5b – Quyết định xác nhận mô hình"
    MAU_6 = "mau_6", "Mẫu 6 – Báo cáo thành tích điển hình"
    MAU_6A = "mau_6a", "Mẫu 6a – Biên bản họp xét, xác nhận điển hình cấp cơ sở"
    MAU_6B = "mau_6b", "Mẫu 6b – Quyết định xác nhận điển hình cấp cơ sở"
    MAU_6B_DS = "mau_6b_ds", lazy_text("Mẫu 6b – Danh sách đề nghị xác nhận điển hình cấp {top_body}")
    MAU_7 = "mau_7", lazy_text("Mẫu 7 – Tờ trình đề nghị xác nhận điển hình cấp {top_body}")
    MAU_7A = "mau_7a", "Mẫu 7a – Báo cáo thẩm định hồ sơ đề nghị xác nhận điển hình"
    MAU_7B = "mau_7b", lazy_text("Mẫu 7b – Quyết định xác nhận điển hình cấp {top_body}")
    MAU_7B_BB = "mau_7b_bb", lazy_text("Mẫu 7b – Biên bản họp Ban Thường vụ xác nhận điển hình cấp {top_body}")
    BC_6T = "bc_6t", "Báo cáo – Báo cáo kết quả 6 tháng đầu năm"
    BC_NAM = "bc_nam", "Báo cáo – Báo cáo kết quả năm"


# "12-BB/ĐU", "05/ĐK-SYT", "125-TTr/BTGDVĐUK", "1250-QyĐ/ĐUKCCQ-UBKT": a số thứ tự of any length, a kind (capital
# first, "TTr" for a tờ trình, "QyĐ" for a quy định) and the issuer's abbreviation, in capitals (Vietnamese ones
# included), possibly joined by hyphens. No part has a length of its own: only the field's does.
NUMBER_MAX_LENGTH = 60
BAD_NUMBER = "Số văn bản phải có dạng 12-BB/ĐU (văn bản Đảng) hoặc 05/ĐK-SYT (văn bản hành chính)."
_NUMBER_PARTS = re.compile(
    r"\d+(?:-(?P<party_kind>[^\W\d_]+)/(?P<party_issuer>[\w-]+)|/(?P<state_kind>[^\W\d_]+)-(?P<state_issuer>[\w-]+))"
)


def validate_number(value: str) -> None:
    """A document number as the Party's (HD 36) or the State's rules write it; refused with BAD_NUMBER otherwise."""
    match = _NUMBER_PARTS.fullmatch(value)
    if match is None:
        raise ValidationError(BAD_NUMBER, code="bad_number")
    kind = match["party_kind"] or match["state_kind"]
    issuer = match["party_issuer"] or match["state_issuer"]
    if (
        not kind[0].isupper()
        or "_" in issuer
        or issuer.upper() != issuer
        or issuer.startswith("-")
        or issuer.endswith("-")
        or "--" in issuer
    ):
        raise ValidationError(BAD_NUMBER, code="bad_number")


def new_verification_code() -> str:
    # 10 characters without look-alikes (0/O, 1/I/L): short enough to type from paper.
    alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(10))


class DocumentQuerySet(models.QuerySet):
    def about(self, registration: Registration, *, meetings=None, proposals=None) -> "DocumentQuerySet":
        """Every document that concerns one entry across the years: its own forms and reports, and the minutes,
        decisions and lists of the meetings and proposals that included it; oldest first.

        ``meetings`` and ``proposals``: the ids of the meetings and proposals to the Khối that included the entry,
        when the caller has read them already (the registration page, for its panels); then one query."""
        if meetings is not None and proposals is not None:
            # Three indexed columns of this one table: PostgreSQL combines the three index scans (a bitmap OR).
            Q = models.Q  # noqa: N806
            known = Q(registration=registration) | Q(meeting__in=meetings) | Q(proposal__in=proposals)
            return self.filter(known).order_by("issued_on", "pk")
        # The ids first, as a UNION of three indexed look-ups, then the documents by id. One OR across the three
        # joins is planned as a scan of every document (over a second at a million registrations), and so is the
        # UNION used as a subquery, whose size PostgreSQL cannot guess (docs/benchmarks.md).
        own = Document.objects.filter(registration=registration).order_by().values_list("pk", flat=True)
        by_meeting = Document.objects.filter(meeting__entries__registration=registration).order_by().values_list("pk")
        by_proposal = Document.objects.filter(proposal__entries__registration=registration).order_by().values_list("pk")
        ids = list(own.union(by_meeting, by_proposal))
        return self.filter(pk__in=ids).order_by("issued_on", "pk")


class Document(TimeStampedModel):
    form_code = models.CharField("biểu mẫu", max_length=10, choices=FormCode)
    issuing_unit = models.ForeignKey(Unit, models.PROTECT, related_name="documents", verbose_name="đơn vị ban hành")
    year = models.PositiveSmallIntegerField("năm")
    number = models.CharField("số văn bản", max_length=NUMBER_MAX_LENGTH, blank=True, validators=[validate_number])
    issued_on = models.DateField("ngày văn bản")
    signer_authority = models.CharField("thẩm quyền ký", max_length=80, blank=True, help_text="Ví dụ: T/M CHI BỘ.")
    signer_title = models.CharField("chức danh người ký", max_length=80, blank=True)
    signer_name = models.CharField("người ký", max_length=120, blank=True)
    subject = models.CharField("trích yếu", max_length=300)
    snapshot = models.JSONField("nội dung đã chốt", default=dict, editable=False)
    verification_code = models.CharField(
        "mã xác thực", max_length=12, unique=True, default=new_verification_code, editable=False
    )
    registration = models.ForeignKey(
        Registration, models.PROTECT, null=True, blank=True, related_name="documents", verbose_name="mô hình"
    )
    meeting = models.ForeignKey(
        Meeting, models.PROTECT, null=True, blank=True, related_name="documents", verbose_name="cuộc họp"
    )
    proposal = models.ForeignKey(
        KhoiProposal,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=lazy_text("đề nghị lên {top_short}"),
    )
    pdf = models.FileField("tệp PDF đã ban hành", upload_to="documents/%Y/", blank=True, editable=False)
    sha256 = models.CharField("mã băm SHA-256 của tệp PDF", max_length=64, blank=True, editable=False)
    replaces = models.OneToOneField(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        editable=False,
        verbose_name="thay thế văn bản",
    )
    replaced_at = models.DateTimeField("bị thay thế lúc", null=True, blank=True, editable=False)
    scan = models.FileField("bản đã ký, đóng dấu", upload_to="scans/%Y/", blank=True)
    snapshot_sha256 = models.CharField(
        "mã băm SHA-256 của nội dung đã chốt (JSON đính kèm)", max_length=64, blank=True, editable=False
    )
    # The organisation's signature, made on the server at issue (empty: the unit had no certificate).
    sealed_by = models.CharField("ký số bởi (đơn vị)", max_length=200, blank=True, editable=False)
    sealed_by_issuer = models.CharField("tổ chức cấp chứng thư của đơn vị", max_length=200, blank=True, editable=False)
    sealed_at = models.DateTimeField("đơn vị ký số lúc", null=True, blank=True, editable=False)
    seal_is_test = models.BooleanField("ký bằng chứng thư thử nghiệm", default=False, editable=False)
    # The person's signature, made outside the portal (USB token) and uploaded; it locks the document.
    signed_pdf = models.FileField("bản ký số", upload_to="signed/%Y/", blank=True, editable=False)
    signed_by = models.CharField("người ký số", max_length=200, blank=True, editable=False)
    signed_by_issuer = models.CharField("tổ chức cấp chứng thư người ký", max_length=200, blank=True, editable=False)
    signed_at = models.DateTimeField("người ký số lúc", null=True, blank=True, editable=False)
    locked_at = models.DateTimeField("khóa lúc", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "văn bản"
        verbose_name_plural = "văn bản"
        ordering = ["-issued_on", "-pk"]
        # The admin's list reads its pages in this order.
        indexes = [models.Index(fields=["-issued_on", "-id"], name="registry_doc_newest_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "year", "number"],
                # A new version of the same paper (another signer) may keep the number of the one it replaces.
                condition=~models.Q(number="") & models.Q(replaced_at__isnull=True),
                name="registry_document_number_unique_per_unit_year",
                violation_error_message="Số văn bản này đơn vị đã dùng trong năm.",
            ),
            models.CheckConstraint(
                condition=models.Q(form_code__in=FormCode.values), name="registry_document_form_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_form_code_display()} {self.number}".strip()

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def is_sealed(self) -> bool:
        return bool(self.sealed_by)

    @property
    def is_digitally_signed(self) -> bool:
        return bool(self.signed_pdf)

    @property
    def is_replaced(self) -> bool:
        return self.replaced_at is not None
