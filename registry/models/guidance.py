"""The guidance a year runs under, with the names it gives to the bodies of the movement (issue #14).

Each name field is one name of ``registry.terms.Terms``; ``registry.terms`` is the only reader. The guidance also holds
the usual deadlines a new year starts with (``deadlines_for``), as a month and a day each. A year is tied to one
guidance (``Year.guidance``), so papers of a year keep the names of their guidance when a later guidance renames the
bodies; criteria and form wording may be given for one guidance only (``Criterion``, ``FormText``).
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from registry.models.base import TimeStampedModel
from registry.terms import DEFAULTS, lazy_text

NAME_HELP = "Tên in trên biểu mẫu và hiển thị trên cổng; mặc định: {}."

# The usual deadlines of a year (Hướng dẫn 29-HD/ĐUK §III.2.2) as (month, day), by the ``Year`` field they fill:
# registration by the end of February (cơ sở) and 20/3 (the top body), review in October and November, reports
# before 10/6 and 10/12. A day past the end of its month in a given year is that month's last day, so 29/2 is the
# end of February in every year (28/2 when it is not a leap year).
DEADLINES = {
    "registration_deadline_base": (2, 29),
    "registration_deadline_khoi": (3, 20),
    "review_deadline_base": (10, 31),
    "review_deadline_khoi": (11, 30),
    "report_half_year_deadline": (6, 10),
    "report_annual_deadline": (12, 10),
}
DEADLINE_LABELS = {
    "registration_deadline_base": "hạn đăng ký cấp cơ sở",
    "registration_deadline_khoi": "hạn đăng ký cấp {top_body}",
    "review_deadline_base": "hạn rà soát, xác nhận cấp cơ sở",
    "review_deadline_khoi": "hạn rà soát, xác nhận cấp {top_body}",
    "report_half_year_deadline": "hạn báo cáo 6 tháng",
    "report_annual_deadline": "hạn báo cáo năm",
}
# February counts 29 days: a day/month is possible when some year has it.
MONTH_DAYS = {month: calendar.monthrange(2024, month)[1] for month in range(1, 13)}


def _month(name: str):
    return models.PositiveSmallIntegerField(
        lazy_text(f"tháng của {DEADLINE_LABELS[name]}"),
        default=DEADLINES[name][0],
        validators=[
            MinValueValidator(1, "Tháng phải từ 1 đến 12."),
            MaxValueValidator(12, "Tháng phải từ 1 đến 12."),
        ],
    )


def _day(name: str):
    month, day = DEADLINES[name]
    return models.PositiveSmallIntegerField(
        lazy_text(f"ngày của {DEADLINE_LABELS[name]}"),
        default=day,
        validators=[MinValueValidator(1, "Ngày phải từ 1 đến 31."), MaxValueValidator(31, "Ngày phải từ 1 đến 31.")],
        help_text=f"Mặc định: {day}/{month}.",
    )


def deadline_date(year: int, month: int, day: int) -> datetime.date:
    """``day``/``month`` in ``year``; a day past the month's end (29/2 in a common year) is its last day."""
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def default_deadlines(year: int) -> dict[str, datetime.date]:
    """The usual deadlines of ``year`` when no guidance is at hand (a guidance's own start as these)."""
    return {name: deadline_date(year, month, day) for name, (month, day) in DEADLINES.items()}


def _name(label: str, key: str, max_length: int = 200):
    return models.CharField(
        label, max_length=max_length, default=DEFAULTS[key], help_text=NAME_HELP.format(DEFAULTS[key])
    )


class GuidanceManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class Guidance(TimeStampedModel):
    """A guidance and its names; loaded from ``fixtures/`` by its code (``manage.py loaddata``)."""

    code = models.SlugField("mã", max_length=40, unique=True, error_messages={"unique": "Đã có hướng dẫn với mã này."})
    guidance_reference = _name("số, ký hiệu hướng dẫn", "guidance_reference", 60)
    guidance_date = models.DateField("ngày ban hành", default=DEFAULTS["guidance_date"])
    guidance_issuer = _name("cơ quan ban hành", "guidance_issuer")
    place = _name("địa danh", "place", 80)
    top_body = _name("tên đảng bộ cấp trên cùng (cấp xác nhận điển hình)", "top_body")
    top_short = _name("tên ngắn của cấp trên cùng (trên thanh điều hướng)", "top_short", 60)
    top_committee = _name("tên đảng ủy cấp trên cùng", "top_committee")
    standing_committee = _name("Ban Thường vụ xác nhận điển hình cấp trên cùng", "standing_committee")
    appraising_body = _name("cơ quan thẩm định", "appraising_body")
    appraising_body_full = _name("cơ quan thẩm định (tên đầy đủ)", "appraising_body_full")
    # The usual deadlines a new year of this guidance starts with (``deadlines_for``); each year may change its own.
    registration_deadline_base_month = _month("registration_deadline_base")
    registration_deadline_base_day = _day("registration_deadline_base")
    registration_deadline_khoi_month = _month("registration_deadline_khoi")
    registration_deadline_khoi_day = _day("registration_deadline_khoi")
    review_deadline_base_month = _month("review_deadline_base")
    review_deadline_base_day = _day("review_deadline_base")
    review_deadline_khoi_month = _month("review_deadline_khoi")
    review_deadline_khoi_day = _day("review_deadline_khoi")
    report_half_year_deadline_month = _month("report_half_year_deadline")
    report_half_year_deadline_day = _day("report_half_year_deadline")
    report_annual_deadline_month = _month("report_annual_deadline")
    report_annual_deadline_day = _day("report_annual_deadline")

    class Meta:
        verbose_name = "hướng dẫn, tên các cơ quan"
        verbose_name_plural = "hướng dẫn, tên các cơ quan"
        ordering = ["-guidance_date", "-pk"]
        constraints = [
            # A day/month a date can be built from (loaddata skips ``clean``); 31/2 is refused by ``clean`` and
            # would in any case be read as the month's last day.
            models.CheckConstraint(
                condition=models.Q(
                    *(models.Q(**{f"{name}_month__gte": 1, f"{name}_month__lte": 12}) for name in DEADLINES),
                    *(models.Q(**{f"{name}_day__gte": 1, f"{name}_day__lte": 31}) for name in DEADLINES),
                ),
                name="registry_guidance_deadlines_valid",
                violation_error_message="Hạn thường lệ phải có tháng từ 1 đến 12 và ngày từ 1 đến 31.",
            ),
        ]

    objects = GuidanceManager()

    def natural_key(self):
        return (self.code,)

    def __str__(self):
        return f"Hướng dẫn số {self.guidance_reference} ({self.guidance_date:%d/%m/%Y})"

    @classmethod
    def latest(cls) -> "Guidance | None":
        """The guidance of the latest year tied to one, else the latest issued: the one a new year runs under unless
        told otherwise (and whose names the portal shows, ``registry.terms``)."""
        from registry.models.years import Year  # years.py imports this module

        year = Year.objects.filter(guidance__isnull=False).select_related("guidance").order_by("-year").first()
        return year.guidance if year else cls.objects.order_by("-guidance_date", "-pk").first()

    def deadline(self, name: str) -> tuple[int, int]:
        """(month, day) of the usual deadline ``name`` (a key of ``DEADLINES``)."""
        return getattr(self, f"{name}_month"), getattr(self, f"{name}_day")

    def deadlines_for(self, year: int) -> dict[str, datetime.date]:
        """The usual deadlines of this guidance in ``year``, by the ``Year`` field they fill."""
        return {name: deadline_date(year, *self.deadline(name)) for name in DEADLINES}

    def clean(self):
        super().clean()
        errors = {}
        given = {name: self.deadline(name) for name in DEADLINES if None not in self.deadline(name)}
        for name, (month, day) in given.items():
            if month in MONTH_DAYS and 1 <= day <= 31 and day > MONTH_DAYS[month]:
                length = "28 hoặc 29" if month == 2 else MONTH_DAYS[month]
                errors[f"{name}_day"] = f"Không có ngày {day}/{month}: tháng {month} chỉ có {length} ngày."
        if not errors and len(given) == len(DEADLINES):
            for level in ("base", "khoi"):
                if given[f"review_deadline_{level}"] < given[f"registration_deadline_{level}"]:
                    errors[f"review_deadline_{level}_month"] = lazy_text(
                        f"Hạn rà soát phải sau hạn đăng ký cấp {'cơ sở' if level == 'base' else '{top_body}'}."
                    )
        if errors:
            raise ValidationError(errors)


def clear_terms_cache(**kwargs):
    from registry.terms import clear_cache

    clear_cache()


models.signals.post_save.connect(clear_terms_cache, sender=Guidance, dispatch_uid="registry_guidance_saved")
models.signals.post_delete.connect(clear_terms_cache, sender=Guidance, dispatch_uid="registry_guidance_deleted")
