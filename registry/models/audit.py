"""The append-only record of every status change: who, when, from, to, why."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from registry.models.registrations import Registration, Status


class StatusChange(models.Model):
    """Written only by ``registry.workflow.apply``; never edited or deleted (like ``admin.LogEntry``)."""

    registration = models.ForeignKey(
        Registration, models.PROTECT, related_name="status_changes", verbose_name="đăng ký"
    )
    action = models.CharField("thao tác", max_length=30)
    from_status = models.CharField("từ trạng thái", max_length=20, choices=Status)
    to_status = models.CharField("sang trạng thái", max_length=20, choices=Status)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="người thực hiện"
    )
    at = models.DateTimeField("lúc", default=timezone.now, editable=False, db_index=True)
    reason = models.TextField("lý do, ghi chú", blank=True)

    class Meta:
        verbose_name = "lịch sử trạng thái"
        verbose_name_plural = "lịch sử trạng thái"
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(from_status__in=Status.values, to_status__in=Status.values),
                name="registry_statuschange_statuses_valid",
            )
        ]

    def __str__(self):
        return f"{self.registration_id}: {self.from_status} → {self.to_status}"
