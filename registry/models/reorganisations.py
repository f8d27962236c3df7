"""The history of the unit tree: every merge, move and rename, who recorded it, when, and from which date it holds.

Written only by ``registry.reorganisation`` (and the admin's ordinary edits of a unit's name or place, through it);
never edited or deleted, like ``StatusChange``. ``Unit.named_on(day)`` reads the renames back: a paper about an act
dated before a rename prints the name the body had that day.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from registry.models.units import Unit
from registry.text import normalize_vi


class ReorganisationKind(models.TextChoices):
    MERGE = "merge", "Sáp nhập vào đơn vị khác"
    MOVE = "move", "Chuyển sang đơn vị cấp trên mới"
    RENAME = "rename", "Đổi tên"


class Reorganisation(models.Model):
    Kind = ReorganisationKind

    kind = models.CharField("việc tổ chức lại", max_length=10, choices=ReorganisationKind)
    # PROTECT: a unit with a history is never deleted (a merged unit stays, inactive, with its issued documents).
    unit = models.ForeignKey(Unit, models.PROTECT, related_name="reorganisations", verbose_name="đơn vị")
    into = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="absorbed", verbose_name="sáp nhập vào đơn vị"
    )
    # The parents may be deleted later: their names are kept beside them so that the history still reads.
    old_parent = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="đơn vị cấp trên cũ"
    )
    old_parent_name = models.CharField("tên đơn vị cấp trên cũ", max_length=255, blank=True)
    new_parent = models.ForeignKey(
        Unit, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="đơn vị cấp trên mới"
    )
    new_parent_name = models.CharField("tên đơn vị cấp trên mới", max_length=255, blank=True)
    old_name = models.CharField("tên cũ", max_length=255)
    new_name = models.CharField("tên mới", max_length=255)
    old_print_name = models.CharField("tên in ở tiêu đề (cũ)", max_length=255, blank=True)
    new_print_name = models.CharField("tên in ở tiêu đề (mới)", max_length=255, blank=True)
    effective_on = models.DateField("ngày hiệu lực")
    basis = models.CharField("căn cứ", max_length=300, blank=True, help_text="Ví dụ: Quyết định số 123-QĐ/TU.")
    # What followed the unit, as shown on the confirmation page: label → count.
    summary = models.JSONField("những gì đã chuyển theo", default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="người thực hiện"
    )
    at = models.DateTimeField("ghi lúc", default=timezone.now, editable=False, db_index=True)

    class Meta:
        verbose_name = "lịch sử tổ chức lại đơn vị"
        verbose_name_plural = "lịch sử tổ chức lại đơn vị"
        ordering = ["effective_on", "pk"]
        indexes = [models.Index(fields=["unit", "kind", "effective_on"], name="registry_reorg_unit_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ReorganisationKind.values), name="registry_reorg_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ReorganisationKind.MERGE) | models.Q(into__isnull=False),
                name="registry_reorg_merge_has_target",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=ReorganisationKind.RENAME) | ~models.Q(new_name=""),
                name="registry_reorg_rename_has_name",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} – {self.old_name} ({self.effective_on:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        # Every saved text is NFC (architecture.md), the typed basis as much as the copied names.
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField) and not field.choices:
                setattr(self, field.attname, normalize_vi(getattr(self, field.attname) or "").strip())
        super().save(*args, **kwargs)

    @property
    def description(self) -> str:
        """One Vietnamese sentence: what happened to the unit."""
        if self.kind == ReorganisationKind.MERGE:
            return f"“{self.old_name}” sáp nhập vào “{self.new_name}”."
        if self.kind == ReorganisationKind.MOVE:
            return (
                f"“{self.old_name}” chuyển từ “{self.old_parent_name or 'gốc'}” sang “{self.new_parent_name or 'gốc'}”."
            )
        return f"“{self.old_name}” đổi tên thành “{self.new_name}”."
