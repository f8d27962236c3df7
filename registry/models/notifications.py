"""What a user wants to be told, and the reminders sent to late units."""

from django.conf import settings
from django.db import models

from registry.models.units import Unit
from registry.models.years import Year


class UserPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="registry_preference", verbose_name="tài khoản"
    )
    email_enabled = models.BooleanField("nhận thư điện tử thông báo", default=True)

    class Meta:
        verbose_name = "tùy chọn thông báo"
        verbose_name_plural = "tùy chọn thông báo"

    def __str__(self):
        return f"{self.user}: {'nhận' if self.email_enabled else 'không nhận'} thư"


class Reminder(models.Model):
    """A reminder sent to a unit that is late for a year's deadline; kept to refuse repeats within a minute."""

    unit = models.ForeignKey(Unit, models.CASCADE, related_name="reminders", verbose_name="đơn vị được nhắc")
    year = models.ForeignKey(Year, models.PROTECT, related_name="reminders", verbose_name="năm")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name="người nhắc"
    )
    sent_at = models.DateTimeField("gửi lúc", auto_now_add=True, db_index=True)
    recipients = models.PositiveIntegerField("số người nhận", default=0)

    class Meta:
        verbose_name = "lời nhắc"
        verbose_name_plural = "lời nhắc"
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.unit} – {self.sent_at:%d/%m/%Y %H:%M}"
