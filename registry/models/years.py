"""Years (đợt) of the movement with their deadlines, editable per year (guidance §III.2.2)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.guidance import Guidance, default_deadlines
from registry.terms import lazy_text

NO_GUIDANCE = "Năm này chưa gắn với hướng dẫn nào: chọn hướng dẫn mà năm này thực hiện theo (mục “hướng dẫn áp dụng”)."


class Year(TimeStampedModel):
    year = models.PositiveSmallIntegerField(
        "năm", unique=True, error_messages={"unique": "Năm này đã có trong danh mục."}
    )
    registration_deadline_base = models.DateField("hạn đăng ký cấp cơ sở")
    # The guidance whose names the year's papers print (issue #14). Nullable only for rows made before it existed;
    # the admin requires it and a paper of a year without one is refused (``NO_GUIDANCE``).
    guidance = models.ForeignKey(
        Guidance,
        models.PROTECT,
        null=True,
        related_name="years",
        verbose_name="hướng dẫn áp dụng",
        error_messages={"null": NO_GUIDANCE, "blank": NO_GUIDANCE, "required": NO_GUIDANCE},
    )
    registration_deadline_khoi = models.DateField(lazy_text("hạn đăng ký cấp {top_body}"))
    review_deadline_base = models.DateField("hạn rà soát, xác nhận cấp cơ sở")
    review_deadline_khoi = models.DateField(lazy_text("hạn rà soát, xác nhận cấp {top_body}"))
    report_half_year_deadline = models.DateField("hạn báo cáo 6 tháng")
    report_annual_deadline = models.DateField("hạn báo cáo năm")
    is_open = models.BooleanField("đang mở đăng ký", default=True)

    class Meta:
        verbose_name = "năm"
        verbose_name_plural = "năm"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="registry_year_in_range",
                violation_error_message="Năm phải từ 2000 đến 2100.",
            ),
            models.CheckConstraint(
                condition=models.Q(registration_deadline_base__lte=models.F("review_deadline_base"))
                & models.Q(registration_deadline_khoi__lte=models.F("review_deadline_khoi")),
                name="registry_year_review_after_registration",
                violation_error_message="Hạn rà soát phải sau hạn đăng ký.",
            ),
        ]

    def __str__(self):
        return str(self.year)

    @classmethod
    def defaults_for(cls, year: int, guidance: Guidance | None = None) -> dict:
        """The usual deadlines of ``year`` under ``guidance`` (set on the guidance, ``Guidance.deadlines_for``);
        without one, those of Hướng dẫn 29-HD/ĐUK (``guidance.DEADLINES``)."""
        return guidance.deadlines_for(year) if guidance is not None else default_deadlines(year)

    def clean(self):
        super().clean()
        errors = {}
        if (
            self.registration_deadline_base
            and self.review_deadline_base
            and (self.review_deadline_base < self.registration_deadline_base)
        ):
            errors["review_deadline_base"] = "Hạn rà soát cấp cơ sở phải sau hạn đăng ký cấp cơ sở."
        if (
            self.registration_deadline_khoi
            and self.review_deadline_khoi
            and (self.review_deadline_khoi < self.registration_deadline_khoi)
        ):
            errors["review_deadline_khoi"] = lazy_text(
                "Hạn rà soát cấp {top_body} phải sau hạn đăng ký cấp {top_body}."
            )
        if self.guidance_id is None:
            errors["guidance"] = NO_GUIDANCE
        if self.year:
            for name in ("registration_deadline_base", "registration_deadline_khoi"):
                value = getattr(self, name)
                if value and value.year != self.year:
                    errors[name] = f"Hạn đăng ký phải nằm trong năm {self.year}."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        # The portal's names are those of the latest year's guidance: tying a year to another one renames them.
        from registry.terms import clear_cache

        clear_cache()

    def registration_deadline(self, level: str) -> datetime.date:
        return self.registration_deadline_khoi if level == "khoi" else self.registration_deadline_base

    def review_deadline(self, level: str) -> datetime.date:
        return self.review_deadline_khoi if level == "khoi" else self.review_deadline_base
