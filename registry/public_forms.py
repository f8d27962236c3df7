"""Forms of the public pages (code lookup, showcase filters) and of the staff controls that feed them (publishing,
the signed scan). They validate input only; ``registry.verification`` and ``registry.showcase`` decide."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from registry.forms import UPLOAD_ERRORS
from registry.models import Field, Unit
from registry.verification import normalize_code

BAD_CODE = "Mã xác thực gồm 10 ký tự chữ và số, in ở cuối văn bản (ví dụ: ABCD234EFG)."


class VerifyLookupForm(forms.Form):
    """The code typed from a printed document; spaces and case do not matter."""

    code = forms.CharField(
        label="Mã xác thực",
        max_length=64,
        help_text="In ở chân trang văn bản, cạnh mã QR.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": "Vui lòng nhập mã xác thực.", "max_length": BAD_CODE},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_action = reverse("registry:verify-lookup")
        self.helper.layout = Layout("code", HTML('<button type="submit" class="btn btn-danger">Kiểm tra</button>'))

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise ValidationError(BAD_CODE, code="bad_code")
        return code


class ShowcaseFilterForm(forms.Form):
    """GET filters of the gallery; each offers only values that have public entries. A bad value is ignored."""

    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Ví dụ: dan van kheo"}),
        error_messages={"max_length": "Từ khóa tìm kiếm tối đa 200 ký tự."},
    )
    linh_vuc = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=Field.objects.none(),
        to_field_name="code",
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Lĩnh vực không hợp lệ."},
    )
    nam = forms.TypedChoiceField(
        label="Năm",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Năm không hợp lệ."},
    )
    don_vi = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Đơn vị không hợp lệ."},
    )

    def __init__(self, data=None, *, choices: dict, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["linh_vuc"].queryset = choices["fields"]
        self.fields["nam"].choices = [("", "Tất cả"), *((y, str(y)) for y in choices["years"])]
        self.fields["don_vi"].queryset = choices["units"]
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_id = "bo-loc"
        self.helper.attrs = {"role": "search", "aria-label": "Tìm điển hình"}
        self.helper.layout = Layout(
            Row(Column("q", css_class="col-12 col-md-6"), Column("linh_vuc", css_class="col-12 col-md-6")),
            Row(Column("nam", css_class="col-6 col-md-3"), Column("don_vi", css_class="col-6 col-md-9")),
            HTML('<button type="submit" class="btn btn-danger">Tìm</button>'),
            HTML(f'<a class="btn btn-link" href="{reverse("registry:showcase-list")}">Xóa bộ lọc</a>'),
        )

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def valid_values(self) -> dict:
        """The values that validated; a field with an error is left out (the gallery ignores it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data


class PublishForm(forms.Form):
    """Show the entry on the public showcase ("1") or take it off ("0")."""

    is_public = forms.TypedChoiceField(
        choices=[("1", "Công khai"), ("0", "Không công khai")],
        coerce=lambda v: v == "1",
        error_messages={
            "required": "Thiếu lựa chọn công khai hay không.",
            "invalid_choice": "Lựa chọn công khai không hợp lệ.",
        },
    )


class ScanUploadForm(forms.Form):
    """The signed and stamped scan of a document; its content is checked by ``registry.verification``."""

    scan = forms.FileField(
        label="Bản đã ký, đóng dấu",
        help_text="Tệp PDF, JPEG hoặc PNG, tối đa 10 MB. Sau khi tải lên, văn bản sẽ bị khóa.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        error_messages={**UPLOAD_ERRORS, "required": "Vui lòng chọn tệp bản đã ký để tải lên."},
    )


class SignedPdfUploadForm(forms.Form):
    """The issued PDF signed by a person with a USB token; checked by ``registry.verification``."""

    signed_pdf = forms.FileField(
        label="Bản ký số (PDF)",
        help_text="Tệp PDF của văn bản này đã ký số bằng thiết bị ký số (USB token), tối đa 10 MB. Cổng kiểm tra "
        "chữ ký trước khi nhận; sau khi nhận, văn bản sẽ bị khóa.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={**UPLOAD_ERRORS, "required": "Vui lòng chọn tệp PDF đã ký số để tải lên."},
    )


class VerifyFileForm(forms.Form):
    """A PDF anyone may upload on the public page to check it against the registry; nothing is stored."""

    pdf = forms.FileField(
        label="Tệp PDF cần kiểm tra",
        help_text="Tệp PDF tải từ cổng hoặc nhận được (đã ký số hay chưa), tối đa 10 MB. Tệp không được lưu lại.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        error_messages={**UPLOAD_ERRORS, "required": "Vui lòng chọn tệp PDF cần kiểm tra."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = reverse("registry:verify-file")
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.layout = Layout("pdf", HTML('<button type="submit" class="btn btn-danger">Kiểm tra tệp</button>'))
