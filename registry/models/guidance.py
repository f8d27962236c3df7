"""The guidance a year runs under, with the names it gives to the bodies of the movement (issue #14).

Each field but ``code`` and ``title`` is one name of ``registry.terms.Terms``; ``registry.terms`` is the only reader.
A year is tied to one guidance (``Year.guidance``), so papers of a year keep the names of their guidance when a later
guidance renames the bodies.
"""

from django.db import models

from registry.models.base import TimeStampedModel
from registry.terms import DEFAULTS

NAME_HELP = "Tên in trên biểu mẫu và hiển thị trên cổng; mặc định: {}."


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

    class Meta:
        verbose_name = "hướng dẫn, tên các cơ quan"
        verbose_name_plural = "hướng dẫn, tên các cơ quan"
        ordering = ["-guidance_date", "-pk"]

    objects = GuidanceManager()

    def natural_key(self):
        return (self.code,)

    def __str__(self):
        return f"Hướng dẫn số {self.guidance_reference} ({self.guidance_date:%d/%m/%Y})"


def clear_terms_cache(**kwargs):
    from registry.terms import clear_cache

    clear_cache()


models.signals.post_save.connect(clear_terms_cache, sender=Guidance, dispatch_uid="registry_guidance_saved")
models.signals.post_delete.connect(clear_terms_cache, sender=Guidance, dispatch_uid="registry_guidance_deleted")
