"""Reference data that a province words in its own way: lĩnh vực, criteria and the fixed wording of the forms."""

from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.guidance import Guidance


class FieldManager(models.Manager):
    def get_by_natural_key(self, code):
        return self.get(code=code)


class CriterionManager(models.Manager):
    def get_by_natural_key(self, group, number, guidance_code=None):
        if guidance_code is None:
            return self.get(group=group, number=number, guidance__isnull=True)
        return self.get(group=group, number=number, guidance__code=guidance_code)


class Field(TimeStampedModel):
    """One of the four lĩnh vực of guidance §II.1, with its hints shown beside the registration form; loaded from
    ``fixtures/`` by its code."""

    code = models.SlugField("mã", max_length=30, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=200)
    hint = models.TextField("gợi ý, định hướng", blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    objects = FieldManager()

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)


class SubjectGroup(models.TextChoices):
    COLLECTIVE = "collective", "Tập thể"
    INDIVIDUAL = "individual", "Cá nhân"


class Criterion(TimeStampedModel):
    """A criterion of guidance §II.2.1 (5 for a collective, 3 for an individual) with its maximum score.

    A row without a guidance holds for every guidance; a row of one guidance replaces the shared row of the same
    group and number for that guidance's years (``for_year``), as ``FormText`` does: a later guidance rewords a
    criterion without changing the wording of earlier years. Assessments and scores point at the row they used."""

    group = models.CharField("áp dụng cho", max_length=12, choices=SubjectGroup)
    number = models.PositiveSmallIntegerField("số thứ tự")
    guidance = models.ForeignKey(
        Guidance,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="criteria",
        verbose_name="chỉ áp dụng cho hướng dẫn",
        help_text="Để trống: áp dụng cho mọi hướng dẫn. Chọn một hướng dẫn: thay tiêu chí cùng số thứ tự cho các năm "
        "theo hướng dẫn đó.",
    )
    text = models.TextField("nội dung tiêu chí")
    max_score = models.PositiveSmallIntegerField("điểm tối đa")

    objects = CriterionManager()

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ["group", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "number"],
                condition=models.Q(guidance__isnull=True),
                name="registry_criterion_unique_number",
                violation_error_message="Số thứ tự tiêu chí này đã có.",
            ),
            models.UniqueConstraint(
                fields=["group", "number", "guidance"],
                name="registry_criterion_unique_number_guidance",
                violation_error_message="Số thứ tự tiêu chí này đã có cho hướng dẫn này.",
            ),
            models.CheckConstraint(
                condition=models.Q(max_score__gte=1, max_score__lte=100),
                name="registry_criterion_max_score_range",
                violation_error_message="Điểm tối đa phải từ 1 đến 100.",
            ),
            models.CheckConstraint(
                condition=models.Q(group__in=SubjectGroup.values), name="registry_criterion_group_valid"
            ),
        ]

    def __str__(self):
        return f"({self.number}) {self.text[:80]}"

    def natural_key(self):
        # Fixtures name a row by its group, number and guidance (None: the criterion of every guidance).
        return (self.group, self.number, self.guidance.code if self.guidance_id else None)

    natural_key.dependencies = ["registry.guidance"]

    @classmethod
    def _resolved(cls, rows, group: str | None) -> list["Criterion"]:
        if group is not None:
            rows = rows.filter(group=group)
        chosen = {}
        for row in sorted(rows, key=lambda row: row.guidance_id is not None):  # a guidance's own row wins
            chosen[(row.group, row.number)] = row
        return [chosen[key] for key in sorted(chosen)]

    @classmethod
    def for_year(cls, year, group: str | None = None) -> list["Criterion"]:
        """The criteria of ``year`` (a ``Year`` or its pk), of ``group`` or of both, in (group, number) order: the
        shared rows, each replaced by the row of the year's guidance with the same group and number. One query."""
        year_id = getattr(year, "pk", year)
        rows = cls.objects.filter(models.Q(guidance__isnull=True) | models.Q(guidance__years=year_id))
        return cls._resolved(rows, group)

    @classmethod
    def for_guidance(cls, guidance_id: int | None, group: str | None = None) -> list["Criterion"]:
        """As ``for_year``, for the years of the guidance ``guidance_id`` (None: the shared rows only)."""
        rows = cls.objects.filter(models.Q(guidance__isnull=True) | models.Q(guidance_id=guidance_id))
        return cls._resolved(rows, group)


class FormTextManager(models.Manager):
    def get_by_natural_key(self, form_code, key, guidance_code=None):
        if guidance_code is None:
            return self.get(form_code=form_code, key=key, guidance__isnull=True)
        return self.get(form_code=form_code, key=key, guidance__code=guidance_code)


class FormText(TimeStampedModel):
    """Fixed wording of a printed form (title, subject line, commitment sentence…), editable in the admin."""

    form_code = models.CharField("mẫu", max_length=10)
    # Empty: the wording of every guidance; set: the wording of that guidance only, which wins over the shared one
    # (a 2024 paper keeps its sentence when the 2026 guidance words it otherwise).
    guidance = models.ForeignKey(
        Guidance,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="form_texts",
        verbose_name="chỉ áp dụng cho hướng dẫn",
        help_text="Để trống: áp dụng cho mọi hướng dẫn.",
    )
    key = models.SlugField("khóa", max_length=60)
    text = models.TextField("nội dung")
    note = models.CharField("ghi chú", max_length=255, blank=True)

    objects = FormTextManager()

    class Meta:
        verbose_name = "lời văn biểu mẫu"
        verbose_name_plural = "lời văn biểu mẫu"
        ordering = ["form_code", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["form_code", "key"],
                condition=models.Q(guidance__isnull=True),
                name="registry_formtext_unique_key",
                violation_error_message="Mẫu này đã có lời văn với khóa này.",
            ),
            models.UniqueConstraint(
                fields=["form_code", "key", "guidance"],
                name="registry_formtext_unique_key_guidance",
                violation_error_message="Mẫu này đã có lời văn với khóa này cho hướng dẫn này.",
            ),
        ]

    def __str__(self):
        return f"{self.form_code} · {self.key}"

    def natural_key(self):
        # Fixtures name a row by its form, key and guidance (None: the wording of every guidance).
        return (self.form_code, self.key, self.guidance.code if self.guidance_id else None)

    natural_key.dependencies = ["registry.guidance"]

    @classmethod
    def for_form(cls, form_code: str, guidance_id: int | None = None) -> dict[str, str]:
        """Every wording of a form (and the shared '*' wording), as a dict keyed by ``key``: the rows of every
        guidance, then those of ``guidance_id`` over them."""
        rows = cls.objects.filter(form_code__in=["*", form_code]).filter(
            models.Q(guidance__isnull=True) | models.Q(guidance_id=guidance_id)
        )
        rows = sorted(rows, key=lambda row: (row.guidance_id is not None, row.form_code != "*"))
        return {row.key: row.text for row in rows}
