"""Appraisal of proposals to the Khối by Ban Tuyên giáo staff (Mẫu 7a): per-criterion scores, blind until submitted."""

from django.conf import settings
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.catalog import Criterion
from registry.models.registrations import Registration
from registry.terms import lazy_text


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
        indexes = [
            # What an appraiser has submitted, read from the index alone: the ranking's blind rows (an appraiser who
            # scored 10,000 entries over the years built that set from 1,500 table pages on every ranking view).
            models.Index(
                fields=["appraiser", "registration"],
                condition=models.Q(submitted_at__isnull=False),
                name="registry_appraisal_own_sub_idx",
            ),
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


class RankingRow(models.Model):
    """The ranking's narrow row of one registration with at least one submitted appraisal: its Khối, the year and
    time of its latest proposal to the Khối, and the sums of its submitted appraisals.

    Without it the ranking read every registration of the Khối in the ranked statuses and worked out each one's
    latest proposal on every view (580 ms at national scale, docs/benchmarks.md); with it the ranking reads the rows
    of one (Khối, year) off one index. Rows are written only by ``registry.appraisals.refresh_ranking`` (an appraisal
    submitted, a proposal created or sent) in the same transaction as the change, and ``Unit.objects.move`` keeps
    ``khoi`` like ``Registration.khoi``.

    What the ranking filters and ranks on is copied from the registration too (``status``, ``registration_year``,
    ``submitted_at``), so that a page ranks one (Khối, year) off this table alone and reads the registrations of the
    50 lines it shows only: joining every row to its registration cost 130 ms of PostgreSQL a view at national scale.
    ``registry.workflow.apply``, the one place a status changes, copies the status (and the submission time) in the
    transaction of the change; the registration's year never changes once it has a row (no transition leads back to
    a draft from a proposal to the Khối).
    """

    registration = models.OneToOneField(
        Registration, models.CASCADE, primary_key=True, related_name="ranking_row", verbose_name="hồ sơ"
    )
    khoi = models.ForeignKey(
        "registry.Unit", models.PROTECT, related_name="+", db_index=False, verbose_name=lazy_text("{top_body}")
    )
    year = models.PositiveSmallIntegerField("năm đề nghị")  # the proposal's year, else the registration's
    proposal_sent_at = models.DateTimeField(null=True, blank=True)
    proposal_unit_name = models.CharField(max_length=255, blank=True, default="")
    appraisal_count = models.PositiveSmallIntegerField(default=0)
    total_sum = models.PositiveIntegerField(default=0)
    criteria_sum = models.PositiveIntegerField(default=0)
    min_total = models.PositiveSmallIntegerField(default=0)
    max_total = models.PositiveSmallIntegerField(default=0)
    complete_count = models.PositiveSmallIntegerField(default=0)
    # Copies of the registration's (see above): the ranking's filter and tie key without a join.
    status = models.CharField("trạng thái", max_length=20, default="")
    registration_year = models.PositiveSmallIntegerField("năm đăng ký", default=0)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    # The rank's key, as ``RankedEntry.tie_key`` orders: the mean total and mean criteria met (``total_sum`` and
    # ``criteria_sum`` over ``appraisal_count``, correctly rounded floats), then the proposal's (else the
    # submission's) time. Stored so that an index holds the ranking in its order and a page reads its rows only.
    mean_score = models.FloatField(default=0)
    criteria_score = models.FloatField(default=0)
    ranked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "dòng xếp hạng"
        verbose_name_plural = "dòng xếp hạng"
        indexes = [
            # A (Khối, year) in rank order, ties in the page's order; status and year to filter from the index alone.
            models.Index(
                fields=[
                    *("khoi", "year", "-mean_score", "-criteria_score", "ranked_at"),
                    *("proposal_sent_at", "submitted_at", "registration"),
                ],
                include=["status", "registration_year"],
                name="registry_ranking_order_idx",
            )
        ]

    def __str__(self):
        return f"{self.registration_id} ({self.year})"
