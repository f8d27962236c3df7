"""Forms of the dashboard and the periodic reports. They validate input only; the figures come from
``registry.dashboard`` and ``registry.periodic_reports``.

The unit and year pickers are GET forms: ``don_vi`` (a unit id of the user's scope), ``nam`` (a year number, e.g.
2025) and, for reports, ``ky`` (``half_year`` or ``annual``). An empty value means the default; a value that does not
validate is a form error with a Vietnamese message. A unit id outside the scope is answered with a 404 by the view
before the form sees it.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms

from registry.forms import MSG_MAX_LENGTH, TEXT_MAX_LENGTH, NFCCharField
from registry.models import PeriodicReport, ReportPeriod, Unit
from registry.unit_fields import UnitChoiceField, limit_unit_options, show_unit_option
from registry.years import YearField

MSG_YEAR = "Năm không hợp lệ hoặc chưa có trong danh mục."
MSG_UNIT = "Đơn vị không hợp lệ hoặc nằm ngoài phạm vi của bạn."
MSG_PERIOD = "Kỳ báo cáo không hợp lệ: chọn 6 tháng hoặc năm."


class _ScopeForm(forms.Form):
    """Unit (in the user's scope) and year; both optional, the view fills the defaults."""

    don_vi = UnitChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label=None,
        help_text="Gồm cả các đơn vị trực thuộc.",
        error_messages={"invalid_choice": MSG_UNIT},
    )
    nam = YearField(required=False, error_messages={"invalid_choice": MSG_YEAR})
    form_id = ""
    button = "Xem"

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["don_vi"].queryset = Unit.objects.scope_of(user)
        limit_unit_options(self.fields["don_vi"], empty_label=None)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_id = self.form_id
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Row(Column("don_vi", css_class="col-md-8"), Column("nam", css_class="col-md-2")),
            HTML(f'<button type="submit" class="btn btn-primary">{self.button}</button>'),
        )

    def show_unit(self, unit: Unit) -> None:
        """Keep a chosen unit beyond the bounded option list visible in the select."""
        show_unit_option(self.fields["don_vi"], unit)


class DashboardForm(_ScopeForm):
    form_id = "chon-tong-quan"
    button = "Xem tổng quan"


class PeriodicChoiceForm(_ScopeForm):
    """Which report: unit, year and period (``ky``)."""

    ky = forms.ChoiceField(
        label="Kỳ báo cáo",
        choices=ReportPeriod.choices,
        required=False,
        error_messages={"invalid_choice": MSG_PERIOD},
    )
    form_id = "chon-bao-cao"
    button = "Xem báo cáo"

    def layout(self) -> Layout:
        return Layout(
            Row(
                Column("don_vi", css_class="col-md-6"),
                Column("nam", css_class="col-md-2"),
                Column("ky", css_class="col-md-4"),
            ),
            HTML(f'<button type="submit" class="btn btn-primary">{self.button}</button>'),
        )


def _narrative(label: str, help_text: str = "") -> NFCCharField:
    field = NFCCharField(
        label=label,
        required=False,
        max_length=TEXT_MAX_LENGTH,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    field.error_messages["max_length"] = MSG_MAX_LENGTH
    return field


class PeriodicReportForm(forms.ModelForm):
    """The typed narrative of a periodic report; each line prints as its own paragraph."""

    leadership = _narrative("I. Công tác lãnh đạo, chỉ đạo", "Việc quán triệt, ban hành văn bản, hướng dẫn, kiểm tra.")
    highlights = _narrative("II. Kết quả nổi bật", "Số liệu ở bảng trên được tính tự động; ở đây ghi kết quả nổi bật.")
    limitations = _narrative("III. Hạn chế, nguyên nhân")
    directions = _narrative("IV. Phương hướng, nhiệm vụ thời gian tới")

    class Meta:
        model = PeriodicReport
        fields = ["leadership", "highlights", "limitations", "directions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "noi-dung-bao-cao"
        self.helper.attrs = {"data-once": ""}
        self.helper.add_input(Submit("save", "Lưu nội dung báo cáo"))
