"""Digital signatures: a unit's signing certificate (kept sealed) and the root certificates the portal trusts."""

from django.conf import settings
from django.db import models

from registry.models.base import TimeStampedModel
from registry.models.units import Unit


class SigningCertificate(TimeStampedModel):
    """The certificate a unit signs its issued documents with, set by a superuser in the admin.

    ``sealed`` is the PKCS#12 file re-serialised without its password and encrypted with a key derived from
    ``SECRET_KEY`` (``registry.signing.keys.seal``): the key is never stored in clear. The other fields are the
    certificate's public facts, copied when it is uploaded.
    """

    unit = models.OneToOneField(Unit, models.CASCADE, related_name="signing_certificate", verbose_name="đơn vị")
    sealed = models.BinaryField("chứng thư số (đã mã hóa)", editable=False)
    subject = models.CharField("chủ thể", max_length=200, editable=False)
    issuer = models.CharField("tổ chức cấp", max_length=200, editable=False)
    serial = models.CharField("số hiệu", max_length=80, editable=False)
    not_before = models.DateTimeField("hiệu lực từ", editable=False)
    not_after = models.DateTimeField("hiệu lực đến", editable=False)
    sha256 = models.CharField("vân tay SHA-256", max_length=64, editable=False)
    is_test = models.BooleanField(
        "chứng thư thử nghiệm",
        default=False,
        help_text="Chứng thư không do tổ chức cung cấp dịch vụ chứng thực cấp (máy thử, bản trình diễn): "
        "con dấu và trang xác thực ghi rõ “THỬ NGHIỆM”.",
    )
    seal_image = models.BinaryField("hình con dấu (PNG)", blank=True, default=b"", editable=False)
    signature_image = models.BinaryField("hình chữ ký (PNG)", blank=True, default=b"", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "chứng thư số của đơn vị"
        verbose_name_plural = "chứng thư số của đơn vị"

    def __str__(self):
        return f"{self.subject} ({self.unit})"


class TrustedRoot(TimeStampedModel):
    """A root certificate (a CA's) that signatures on uploaded PDFs must chain to; uploaded by a superuser."""

    name = models.CharField("tên", max_length=200)
    certificate = models.BinaryField("chứng thư gốc (DER)", editable=False)
    subject = models.CharField("chủ thể", max_length=300, editable=False)
    not_after = models.DateTimeField("hiệu lực đến", editable=False)
    sha256 = models.CharField("vân tay SHA-256", max_length=64, unique=True, editable=False)
    is_test = models.BooleanField("gốc thử nghiệm", default=False)

    class Meta:
        verbose_name = "chứng thư gốc tin cậy"
        verbose_name_plural = "chứng thư gốc tin cậy"
        ordering = ["name"]

    def __str__(self):
        return self.name
