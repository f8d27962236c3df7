"""The yearly review of each model (Mẫu 4): results, self-assessment per criterion, and the unit's proposal."""

from django.conf import settings
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.catalog import Criterion
from registry.models.registrations import Registration
from registry.models.units import Unit
from registry.models.years import Year


class Proposal(models.TextChoices):
    CONTINUE = "continue", "Duy trì"
    STOP = "stop", "Dừng"
    CONFIRM = "confirm", "Đề nghị xác nhận mô hình"
    EXEMPLAR = "exemplar", "Đề nghị điển hình"


class YearlyReview(TimeStampedModel):
    registration = models.ForeignKey(Registration, models.CASCADE, related_name="reviews", verbose_name="mô hình")
    year = models.ForeignKey(Year, models.PROTECT, related_name="reviews", verbose_name="năm rà soát")
    results = models.TextField("kết quả, sản phẩm đạt được")
    proposal = models.CharField("đề xuất", max_length=10, choices=Proposal, default=Proposal.CONTINUE)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="người rà soát"
    )

    class Meta:
        verbose_name = "rà soát năm"
        verbose_name_plural = "rà soát năm"
        ordering = ["-year__year", "registration"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "year"],
                name="registry_review_once_per_year",
                violation_error_message="Mô hình này đã được rà soát trong năm này.",
            ),
            models.CheckConstraint(
                condition=models.Q(proposal__in=Proposal.values), name="registry_review_proposal_valid"
            ),
        ]

    def __str__(self):
        return f"{self.registration} ({self.year})"


class ReviewAssessment(models.Model):
    """Met or not yet, for one criterion, in one yearly review."""

    review = models.ForeignKey(YearlyReview, models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+", verbose_name="tiêu chí")
    met = models.BooleanField("đạt")

    class Meta:
        verbose_name = "tự đánh giá tiêu chí"
        verbose_name_plural = "tự đánh giá tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="registry_assessment_once_per_criterion")
        ]

    def __str__(self):
        return f"{self.criterion_id}: {'đạt' if self.met else 'chưa đạt'}"


class UnitReviewReport(TimeStampedModel):
    """The narrative sections of a unit's Mẫu 4 for a year; the counts are computed, never typed."""

    unit = models.ForeignKey(Unit, models.PROTECT, related_name="review_reports", verbose_name="đơn vị")
    year = models.ForeignKey(Year, models.PROTECT, related_name="review_reports", verbose_name="năm")
    leadership = models.TextField("công tác lãnh đạo, chỉ đạo, triển khai", blank=True)
    outstanding = models.TextField("mô hình tiêu biểu", blank=True)
    limitations = models.TextField("hạn chế, nguyên nhân", blank=True)
    directions = models.TextField("phương hướng, đề xuất", blank=True)

    class Meta:
        verbose_name = "báo cáo rà soát (Mẫu 4)"
        verbose_name_plural = "báo cáo rà soát (Mẫu 4)"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="registry_review_report_once_per_unit_year",
                violation_error_message="Đơn vị đã có báo cáo rà soát cho năm này.",
            )
        ]

    def __str__(self):
        return f"{self.unit} – {self.year}"
