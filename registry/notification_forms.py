"""Forms of the notification area: the user's e-mail setting and the reminder button's POST."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from registry.models import UserPreference, Year


class NotificationSettingsForm(forms.ModelForm):
    """Whether the account receives notification e-mails."""

    class Meta:
        model = UserPreference
        fields = ["email_enabled"]
        labels = {"email_enabled": "Nhận thư điện tử thông báo"}
        help_texts = {
            "email_enabled": "Thư báo khi hồ sơ được gửi, trả lại, tiếp nhận, xác nhận hoặc dừng, và thư nhắc việc "
            "đăng ký mô hình."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "tuy-chon-thong-bao"
        self.helper.add_input(Submit("save", "Lưu"))


class ReminderForm(forms.Form):
    """The hidden fields of a "Nhắc" button: which unit, for which year."""

    don_vi = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Thiếu đơn vị cần nhắc.",
            "invalid": "Đơn vị không hợp lệ.",
            "min_value": "Đơn vị không hợp lệ.",
        },
    )
    nam = forms.ModelChoiceField(
        queryset=Year.objects.all(),
        to_field_name="year",
        error_messages={
            "required": "Thiếu năm đăng ký.",
            "invalid_choice": "Năm không hợp lệ hoặc chưa có trong danh mục.",
        },
    )
    next = forms.CharField(required=False, max_length=2000)
