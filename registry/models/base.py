"""Abstract bases shared by every model: timestamps and NFC normalisation of typed text."""

from django.db import models

from registry.text import normalize_vi


class TimeStampedModel(models.Model):
    """Adds creation and update times, and saves every text field in NFC without control characters."""

    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.normalize_text_fields()
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Validate what will be stored: a text that only looks long in NFD is measured in NFC.
        self.normalize_text_fields()
        super().clean_fields(exclude=exclude)

    def normalize_text_fields(self) -> None:
        for field in self._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                value = getattr(self, field.attname)
                if isinstance(value, str):
                    setattr(self, field.attname, normalize_vi(value).strip())
