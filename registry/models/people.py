"""People who run individual models, and accounts' memberships of units with a role."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.units import PARTY_KINDS, Unit
from registry.terms import lazy_text
from registry.text import search_key


class Gender(models.TextChoices):
    MALE = "nam", "Nam"
    FEMALE = "nu", "Nữ"


class Person(TimeStampedModel):
    """Someone who runs an individual model; most have no account and are registered by their secretary."""

    full_name = models.CharField("họ và tên", max_length=120)
    birth_date = models.DateField("ngày sinh", null=True, blank=True)
    gender = models.CharField("giới tính", max_length=3, choices=Gender, blank=True)
    position = models.CharField("chức vụ", max_length=200, blank=True)
    work_unit = models.ForeignKey(
        Unit,
        models.PROTECT,
        related_name="staff",
        verbose_name="đơn vị công tác",
        help_text="Cơ quan, đơn vị nơi người này làm việc.",
    )
    is_party_member = models.BooleanField("là đảng viên", default=False)
    party_cell = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="party_members",
        verbose_name="chi bộ sinh hoạt",
        limit_choices_to={"kind__in": sorted(PARTY_KINDS)},
    )
    party_join_date = models.DateField("ngày vào Đảng", null=True, blank=True)
    party_card_number = models.CharField("số thẻ đảng viên", max_length=20, blank=True)
    phone = models.CharField("điện thoại", max_length=20, blank=True)
    search_text = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = "cá nhân"
        verbose_name_plural = "cá nhân"
        ordering = ["full_name", "pk"]
        indexes = [models.Index(fields=["full_name", "id"], name="registry_person_name_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(is_party_member=True, party_cell__isnull=False)
                | models.Q(is_party_member=False, party_cell__isnull=True, party_join_date__isnull=True),
                name="registry_person_party_details_match_membership",
                violation_error_message="Đảng viên phải có chi bộ sinh hoạt; người không là đảng viên thì không.",
            ),
            models.CheckConstraint(
                condition=models.Q(gender__in=[*Gender.values, ""]), name="registry_person_gender_valid"
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_text = search_key(self.full_name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        errors = {}
        if self.is_party_member and not self.party_cell_id:
            errors["party_cell"] = "Đảng viên phải có chi bộ sinh hoạt."
        if not self.is_party_member:
            if self.party_cell_id:
                errors["party_cell"] = "Người không là đảng viên không có chi bộ sinh hoạt."
            if self.party_join_date:
                errors["party_join_date"] = "Người không là đảng viên không có ngày vào Đảng."
        if self.party_cell_id and self.party_cell.kind not in PARTY_KINDS:
            errors["party_cell"] = "Chi bộ sinh hoạt phải là một tổ chức đảng."
        if self.birth_date and self.party_join_date and self.party_join_date <= self.birth_date:
            errors["party_join_date"] = "Ngày vào Đảng phải sau ngày sinh."
        if errors:
            raise ValidationError(errors)


class Role(models.TextChoices):
    EDITOR = "editor", "Cập nhật (bí thư chi bộ, văn phòng)"
    APPROVER = "approver", "Tiếp nhận, xác nhận (cấp ủy, lãnh đạo)"
    APPRAISER = "appraiser", lazy_text("{appraiser_role}")
    VIEWER = "viewer", "Xem (lãnh đạo, kiểm tra)"


class Membership(models.Model):
    """An account's role in a unit; it reaches the unit and every unit below it."""

    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name="tài khoản"
    )
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="memberships", verbose_name="đơn vị")
    role = models.CharField("vai trò", max_length=20, choices=Role)
    title = models.CharField("chức danh", max_length=120, blank=True, help_text="In ở khối chữ ký, ví dụ BÍ THƯ.")

    class Meta:
        verbose_name = "vai trò tại đơn vị"
        verbose_name_plural = "vai trò tại đơn vị"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="registry_membership_unique_role_per_unit",
                violation_error_message="Tài khoản này đã có vai trò này tại đơn vị này.",
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="registry_membership_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


def memberships_of(user) -> list[Membership]:
    """The user's memberships with their units, fetched once per request (cached on the user object): scope checks,
    permissions and lists of one page all read them, one query in all."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_registry_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("unit"))
        user._registry_memberships = cached
    return cached
