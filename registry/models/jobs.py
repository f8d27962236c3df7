"""Long work done in the background, with its progress: printing every form of a unit and year, or issuing (or
drafting) one paper too long to lay out while a web worker waits (a long Mẫu 3, issue #17)."""

from django.conf import settings
from django.db import models

from registry.models.units import Unit
from registry.models.years import Year


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Lỗi"


class JobKind(models.TextChoices):
    BULK = "bulk", "In hàng loạt"
    ISSUE = "issue", "Ban hành văn bản"
    DRAFT = "draft", "Bản nháp"


class JobFormat(models.TextChoices):
    PDF = "pdf", "Một tệp PDF"
    ZIP = "zip", "Tệp ZIP gồm các PDF"
    DOCX = "docx", "Tệp ZIP gồm các tệp Word (.docx) để chỉnh sửa"


class PrintJob(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="print_jobs", verbose_name="người yêu cầu"
    )
    unit = models.ForeignKey(Unit, models.CASCADE, related_name="print_jobs", verbose_name="đơn vị")
    year = models.ForeignKey(Year, models.PROTECT, related_name="print_jobs", verbose_name="năm")
    kind = models.CharField("loại việc", max_length=5, choices=JobKind, default=JobKind.BULK)
    # One paper's job (ISSUE, DRAFT): its form, the query that finds its subject again (``catalogue.subject_from``)
    # and, for an issue, the number, date and signer the user confirmed (``catalogue.Issue``'s fields).
    form_code = models.CharField("biểu mẫu", max_length=20, blank=True)
    request = models.JSONField("yêu cầu", default=dict, blank=True)
    document = models.ForeignKey(
        "registry.Document", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="văn bản"
    )
    output_format = models.CharField("định dạng", max_length=4, choices=JobFormat, default=JobFormat.PDF)
    status = models.CharField("trạng thái", max_length=10, choices=JobStatus, default=JobStatus.QUEUED)
    done = models.PositiveIntegerField("đã in", default=0)
    total = models.PositiveIntegerField("tổng số", default=0)
    file = models.FileField("tệp kết quả", upload_to="jobs/%Y/", blank=True)
    error = models.TextField("lỗi", blank=True)
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "yêu cầu in hàng loạt"
        verbose_name_plural = "yêu cầu in hàng loạt"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=JobStatus.values), name="registry_printjob_status_valid"
            ),
            models.CheckConstraint(condition=models.Q(kind__in=JobKind.values), name="registry_printjob_kind_valid"),
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="registry_printjob_done_within_total"
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.year} ({self.get_status_display()})"

    @property
    def is_paper(self) -> bool:
        """One paper issued or drafted in the background, not a bulk print."""
        return self.kind != JobKind.BULK

    @property
    def what(self) -> str:
        """ "Ban hành Mẫu 3", "Bản nháp Mẫu 3", or a bulk print's format."""
        if not self.is_paper:
            return self.get_output_format_display()
        from registry.models.documents import FormCode  # the form's name: "Mẫu 3 – Danh sách …"

        form = FormCode(self.form_code).label.split(" – ", 1)[0] if self.form_code in FormCode.values else ""
        return f"{self.get_kind_display()} {form} (PDF)".replace("  ", " ")

    @property
    def percent(self) -> int:
        return 100 if self.status == JobStatus.DONE else (self.done * 100 // self.total if self.total else 0)
