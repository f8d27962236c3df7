"""Long work done in the background (printing every form of a unit and year), with its progress."""

from django.conf import settings
from django.db import models

from registry.models.units import Unit
from registry.models.years import Year


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang thực hiện"
    DONE = "done", "Hoàn thành"
    FAILED = "failed", "Lỗi"


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
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="registry_printjob_done_within_total"
            ),
        ]

    def __str__(self):
        return f"{self.unit} – {self.year} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return 100 if self.status == JobStatus.DONE else (self.done * 100 // self.total if self.total else 0)
