"""Appraisal of proposals to the Khối by Ban Tuyên giáo staff (Mẫu 7a): per-criterion scores, blind until submitted."""

from django.conf import settings
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.catalog import Criterion
from registry.models.registrations import Registration


class Appraisal(TimeStampedModel):
    registration = models.ForeignKey(Registration, models.PROTECT, related_name="appraisals", verbose_name="hồ sơ")
    appraiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="appraisals", verbose_name="người thẩm định"
    )
    file_complete = models.BooleanField("hồ sơ đầy đủ", default=True)
    comment = models.TextField("nhận xét", blank=True)
    total_score = models.PositiveSmallIntegerField("tổng điểm", default=0, editable=False)
    criteria_met = models.PositiveSmallIntegerField("số tiêu chí đạt", default=0, editable=False)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "phiếu thẩm định"
        verbose_name_plural = "phiếu thẩm định"
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "appraiser"],
                name="registry_appraisal_once_per_appraiser",
                violation_error_message="Mỗi người chỉ chấm một phiếu cho một hồ sơ.",
            ),
            models.CheckConstraint(condition=models.Q(total_score__lte=100), name="registry_appraisal_total_max_100"),
        ]

    def __str__(self):
        return f"{self.registration} – {self.appraiser}"


class AppraisalScore(models.Model):
    appraisal = models.ForeignKey(Appraisal, models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, models.PROTECT, related_name="+", verbose_name="tiêu chí")
    met = models.BooleanField("đạt")
    score = models.PositiveSmallIntegerField("điểm")

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "criterion"], name="registry_score_once_per_criterion"),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="registry_score_max_100"),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.score}"
