"""The bulk print request: a unit of the user's scope (``don_vi``), a year (``nam``) and the output format."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms

from registry.models import Unit
from registry.models.jobs import JobFormat
from registry.unit_fields import UnitChoiceField, limit_unit_options
from registry.years import YearField, current_year


class PrintJobForm(forms.Form):
    """Which forms to print in the background. A unit id outside the scope is the view's 404, not a form error."""

    don_vi = UnitChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        help_text="In biểu mẫu đăng ký của đơn vị này và các đơn vị trực thuộc (không gồm hồ sơ nháp), "
        "kèm danh sách Mẫu 3 của đơn vị.",
        error_messages={
            "required": "Vui lòng chọn đơn vị.",
            "invalid_choice": "Đơn vị không hợp lệ: hãy chọn một đơn vị trong danh sách.",
        },
    )
    nam = YearField()
    dinh_dang = forms.ChoiceField(
        label="Định dạng",
        choices=JobFormat.choices,
        initial=JobFormat.PDF,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Vui lòng chọn định dạng tệp.",
            "invalid_choice": "Định dạng không hợp lệ: hãy chọn một tệp PDF, tệp ZIP gồm các PDF hoặc các tệp Word.",
        },
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["don_vi"].queryset = Unit.objects.scope_of(user)
        options = limit_unit_options(self.fields["don_vi"], empty_label="— Chọn đơn vị —")
        if data is None:
            self.initial.setdefault("don_vi", options[0].pk if options else None)
            year = current_year()
            self.initial.setdefault("nam", year.year if year else None)
        self.helper = FormHelper()
        self.helper.form_id = "in-hang-loat"
        self.helper.layout = Layout(
            Row(Column("don_vi", css_class="col-md-8"), Column("nam", css_class="col-md-2")),
            "dinh_dang",
        )
        self.helper.add_input(Submit("in", "Bắt đầu in"))
