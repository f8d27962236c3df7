"""Confirmation meetings (Mẫu 5a, 6a, 7b): a body votes on entries; results apply through the workflow."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from registry.models.base import TimeStampedModel
from registry.models.registrations import Registration
from registry.models.units import Unit
from registry.models.years import Year
from registry.terms import lazy_text


class Purpose(models.TextChoices):
    CONFIRM_MODEL = "confirm_model", "Xét, xác nhận mô hình “Dân vận khéo”"
    CONFIRM_EXEMPLAR_BASE = "confirm_exemplar_base", "Xét, xác nhận điển hình “Dân vận khéo” cấp cơ sở"
    CONFIRM_EXEMPLAR_KHOI = "confirm_exemplar_khoi", lazy_text("Xét, xác nhận điển hình “Dân vận khéo” cấp {top_body}")


class VotingMethod(models.TextChoices):
    SHOW_OF_HANDS = "show_of_hands", "Giơ tay"
    SECRET_BALLOT = "secret_ballot", "Bỏ phiếu kín"


class PassRule(models.TextChoices):
    MAJORITY_OF_MEMBERS = "members", "Trên một nửa tổng số thành viên"
    MAJORITY_OF_PRESENT = "present", "Trên một nửa số thành viên có mặt"


class Meeting(TimeStampedModel):
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="meetings", verbose_name="đơn vị xét")
    body = models.CharField(
        "tập thể xét", max_length=200, help_text="Ví dụ: Ban Thường vụ Đảng ủy, tập thể cấp ủy chi bộ."
    )
    year = models.ForeignKey(Year, models.PROTECT, related_name="meetings", verbose_name="năm")
    purpose = models.CharField("nội dung họp", max_length=30, choices=Purpose)
    held_on = models.DateField("ngày họp")
    starts_at = models.TimeField("bắt đầu lúc", null=True, blank=True)
    ends_at = models.TimeField("kết thúc lúc", null=True, blank=True)
    place = models.CharField("địa điểm", max_length=255)
    members_total = models.PositiveSmallIntegerField("tổng số thành viên")
    members_present = models.PositiveSmallIntegerField("số thành viên có mặt")
    absence_note = models.CharField("vắng và lý do", max_length=500, blank=True)
    chair_name = models.CharField("chủ trì", max_length=120)
    secretary_name = models.CharField("thư ký", max_length=120)
    voting_method = models.CharField("hình thức biểu quyết", max_length=20, choices=VotingMethod)
    pass_rule = models.CharField("điều kiện đạt", max_length=10, choices=PassRule, default=PassRule.MAJORITY_OF_MEMBERS)
    conclusion = models.TextField("kết luận", blank=True)
    recorded_at = models.DateTimeField("đã ghi kết quả lúc", null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    class Meta:
        verbose_name = "cuộc họp xét, xác nhận"
        verbose_name_plural = "cuộc họp xét, xác nhận"
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["-held_on", "-id"], name="registry_meeting_newest_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(members_total__gte=1, members_present__lte=models.F("members_total")),
                name="registry_meeting_present_within_total",
                violation_error_message="Số thành viên có mặt không được lớn hơn tổng số thành viên.",
            ),
            models.CheckConstraint(
                condition=models.Q(purpose__in=Purpose.values), name="registry_meeting_purpose_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(voting_method__in=VotingMethod.values), name="registry_meeting_voting_method_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(pass_rule__in=PassRule.values), name="registry_meeting_pass_rule_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} – {self.unit} – {self.held_on:%d/%m/%Y}"

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.members_total is not None
            and self.members_present is not None
            and (self.members_present > self.members_total)
        ):
            errors["members_present"] = "Số thành viên có mặt không được lớn hơn tổng số thành viên."
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = "Ngày họp không được ở tương lai."
        if errors:
            raise ValidationError(errors)

    def passes(self, votes_for: int) -> bool:
        """Votes for must be more than half of the members (or of those present, by the meeting's rule)."""
        base = self.members_total if self.pass_rule == PassRule.MAJORITY_OF_MEMBERS else self.members_present
        return votes_for * 2 > base


class MeetingEntry(models.Model):
    """One entry considered at a meeting, with its votes and result."""

    meeting = models.ForeignKey(Meeting, models.CASCADE, related_name="entries", verbose_name="cuộc họp")
    registration = models.ForeignKey(
        Registration, models.PROTECT, related_name="meeting_entries", verbose_name="mô hình"
    )
    votes_for = models.PositiveSmallIntegerField("đồng ý", default=0)
    votes_against = models.PositiveSmallIntegerField("không đồng ý", default=0)
    passed = models.BooleanField("đạt", null=True, editable=False)

    class Meta:
        verbose_name = "kết quả biểu quyết"
        verbose_name_plural = "kết quả biểu quyết"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "registration"],
                name="registry_meeting_entry_once",
                violation_error_message="Mô hình này đã có trong cuộc họp.",
            )
        ]

    def __str__(self):
        return f"{self.registration} – {self.votes_for}/{self.votes_against}"
