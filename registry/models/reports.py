"""What a model's owner writes: Mẫu 5 (results, asking for confirmation) and Mẫu 6 (achievements of an exemplar),
with a self-assessment per criterion; and a grassroots unit's proposal of exemplars to the Khối (Mẫu 6b list)."""

from django.conf import settings
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.catalog import Criterion
from registry.models.registrations import Registration
from registry.models.units import Unit
from registry.models.years import Year
from registry.terms import lazy_text


class OwnerReportKind(models.TextChoices):
    RESULTS = "mau_5", "Mẫu 5 – Báo cáo kết quả thực hiện mô hình"
    ACHIEVEMENTS = "mau_6", "Mẫu 6 – Báo cáo thành tích điển hình"


class OwnerReport(TimeStampedModel):
    registration = models.ForeignKey(Registration, models.CASCADE, related_name="owner_reports", verbose_name="mô hình")
    year = models.ForeignKey(Year, models.PROTECT, related_name="owner_reports", verbose_name="năm")
    kind = models.CharField("loại báo cáo", max_length=6, choices=OwnerReportKind)
    summary = models.TextField("sơ lược tình hình, đặc điểm", blank=True)
    results = models.TextField("kết quả thực hiện, thành tích đạt được")
    lessons = models.TextField("bài học kinh nghiệm", blank=True)
    proposal = models.TextField("đề nghị", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người lập"
    )

    class Meta:
        verbose_name = "báo cáo của chủ thể mô hình"
        verbose_name_plural = "báo cáo của chủ thể mô hình"
        ordering = ["-year__year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "year", "kind"],
                name="registry_owner_report_once_per_year",
                violation_error_message="Mô hình này đã có báo cáo loại này trong năm.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OwnerReportKind.values), name="registry_owner_report_kind_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.registration}"


class OwnerReportAssessment(models.Model):
    """The owner's self-assessment of one criterion: met or not yet, with a short note."""

    report = models.ForeignKey(OwnerReport, models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+", verbose_name="tiêu chí")
    met = models.BooleanField("đạt")
    note = models.CharField("minh chứng, ghi chú", max_length=500, blank=True)

    class Meta:
        verbose_name = "tự đánh giá tiêu chí"
        verbose_name_plural = "tự đánh giá tiêu chí"
        constraints = [models.UniqueConstraint(fields=["report", "criterion"], name="registry_owner_assessment_once")]

    def __str__(self):
        return f"{self.criterion_id}: {'đạt' if self.met else 'chưa đạt'}"


class KhoiProposal(TimeStampedModel):
    """A grassroots unit's list of confirmed grassroots exemplars sent to the Khối (guidance §II.4.2.1)."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="khoi_proposals", verbose_name="đơn vị đề nghị")
    year = models.ForeignKey(Year, models.PROTECT, related_name="khoi_proposals", verbose_name="năm")
    note = models.TextField("ghi chú", blank=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người lập"
    )
    registrations = models.ManyToManyField(
        Registration, through="KhoiProposalEntry", related_name="khoi_proposals", verbose_name="điển hình đề nghị"
    )

    class Meta:
        verbose_name = lazy_text("đề nghị xác nhận điển hình cấp {top_body}")
        verbose_name_plural = lazy_text("đề nghị xác nhận điển hình cấp {top_body}")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.unit} – {self.year}"


class KhoiProposalEntry(models.Model):
    proposal = models.ForeignKey(KhoiProposal, models.CASCADE, related_name="entries")
    registration = models.ForeignKey(Registration, models.PROTECT, related_name="khoi_proposal_entries")

    class Meta:
        verbose_name = "điển hình trong đề nghị"
        verbose_name_plural = "điển hình trong đề nghị"
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "registration"],
                name="registry_khoi_proposal_entry_once",
                violation_error_message="Điển hình này đã có trong đề nghị.",
            )
        ]

    def __str__(self):
        return f"{self.proposal_id}: {self.registration_id}"


class ReportPeriod(models.TextChoices):
    HALF_YEAR = "half_year", "Báo cáo 6 tháng"
    ANNUAL = "annual", "Báo cáo năm"


class PeriodicReport(TimeStampedModel):
    """A unit's 6-month or annual report (guidance §III.2.3): figures are computed, the narrative is typed."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="periodic_reports", verbose_name="đơn vị")
    year = models.ForeignKey(Year, models.PROTECT, related_name="periodic_reports", verbose_name="năm")
    period = models.CharField("kỳ báo cáo", max_length=10, choices=ReportPeriod)
    leadership = models.TextField("công tác lãnh đạo, chỉ đạo", blank=True)
    highlights = models.TextField("kết quả nổi bật", blank=True)
    limitations = models.TextField("hạn chế, nguyên nhân", blank=True)
    directions = models.TextField("phương hướng, nhiệm vụ thời gian tới", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="người lập"
    )

    class Meta:
        verbose_name = "báo cáo định kỳ"
        verbose_name_plural = "báo cáo định kỳ"
        ordering = ["-year__year", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "period"],
                name="registry_periodic_report_once",
                violation_error_message="Đơn vị đã có báo cáo kỳ này.",
            ),
            models.CheckConstraint(
                condition=models.Q(period__in=ReportPeriod.values), name="registry_periodic_report_period_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_period_display()} {self.year} – {self.unit}"
