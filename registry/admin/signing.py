"""Certificates in the admin, superusers only: a unit's signing certificate (uploaded as PKCS#12 with its password,
checked and sealed by ``registry.certificates``; the file and the password are never stored as such) with its seal
and signature images, and the root certificates signatures on uploaded PDFs must chain to."""

from django import forms
from django.contrib import admin

from registry import certificates
from registry.admin.base import SuperuserOnlyAdminMixin
from registry.models import SigningCertificate, TrustedRoot

PKCS12_MAX_BYTES = 100 * 1024
TOO_LARGE = "Tệp quá lớn: tệp chứng thư số tối đa 100 KB."


def _read(upload, limit: int) -> bytes:
    if upload is None:
        return b""
    if upload.size > limit:
        raise forms.ValidationError(TOO_LARGE, code="too_large")
    return upload.read()


class SigningCertificateForm(forms.ModelForm):
    pkcs12 = forms.FileField(
        label="Tệp chứng thư số (.p12, .pfx)",
        required=False,
        help_text="Chứng thư số của tổ chức kèm khóa bí mật. Cổng kiểm tra mật khẩu, thời hạn và mục đích sử dụng, "
        "rồi lưu ở dạng đã mã hóa; không lưu mật khẩu. Khi sửa: để trống nếu không thay chứng thư.",
    )
    password = forms.CharField(
        label="Mật khẩu tệp", required=False, strip=False, widget=forms.PasswordInput(render_value=False)
    )
    seal = forms.FileField(label="Hình con dấu (PNG, nền trong suốt, màu đỏ)", required=False)
    signature = forms.FileField(label="Hình chữ ký (PNG, nền trong suốt, màu xanh)", required=False)

    class Meta:
        model = SigningCertificate
        fields = ["unit", "is_test"]

    def clean(self):
        cleaned = super().clean()
        try:
            seal = certificates.check_png(_read(cleaned.get("seal"), certificates.IMAGE_MAX_BYTES))
            signature = certificates.check_png(_read(cleaned.get("signature"), certificates.IMAGE_MAX_BYTES))
            pkcs12 = _read(cleaned.get("pkcs12"), PKCS12_MAX_BYTES)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None
        self.values = {}
        if pkcs12:
            self.values = certificates.certificate_values(
                pkcs12=pkcs12, password=cleaned.get("password") or "", seal_png=seal, signature_png=signature
            )
        elif self.instance.pk is None:
            self.add_error("pkcs12", "Vui lòng chọn tệp chứng thư số (.p12, .pfx).")
        else:
            self.values = {k: v for k, v in (("seal_image", seal), ("signature_image", signature)) if v}
        return cleaned


@admin.register(SigningCertificate)
class SigningCertificateAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    form = SigningCertificateForm
    list_display = ("unit", "subject", "issuer", "not_after", "is_test")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    readonly_fields = ("subject", "issuer", "serial", "not_before", "not_after", "sha256", "created_by")

    def save_model(self, request, obj, form, change):
        for name, value in form.values.items():
            setattr(obj, name, value)
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


class TrustedRootForm(forms.ModelForm):
    certificate_file = forms.FileField(
        label="Tệp chứng thư gốc (.cer, .crt, .pem)",
        help_text="Chứng thư gốc của tổ chức cung cấp dịch vụ chứng thực (ví dụ Ban Cơ yếu Chính phủ, VGCA).",
    )

    class Meta:
        model = TrustedRoot
        fields = ["name", "is_test"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("certificate_file")
        self.values = {}
        if upload is not None:
            try:
                data = _read(upload, PKCS12_MAX_BYTES)
            except forms.ValidationError as error:
                raise forms.ValidationError(error.messages[0]) from None
            self.values = certificates.trusted_root_values(data)
            duplicate = TrustedRoot.objects.filter(sha256=self.values["sha256"]).exclude(pk=self.instance.pk)
            if duplicate.exists():
                raise forms.ValidationError("Chứng thư gốc này đã có trong danh sách tin cậy.")
        return cleaned


@admin.register(TrustedRoot)
class TrustedRootAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    form = TrustedRootForm
    list_display = ("name", "subject", "not_after", "is_test")
    readonly_fields = ("subject", "not_after", "sha256")

    def save_model(self, request, obj, form, change):
        for name, value in form.values.items():
            setattr(obj, name, value)
        super().save_model(request, obj, form, change)
