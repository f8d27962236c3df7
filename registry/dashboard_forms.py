"""Forms of the dashboard and the periodic reports. They validate input only; the figures come from
``registry.dashboard`` and ``registry.periodic_reports``.

The unit and year pickers are GET forms: ``don_vi`` (a unit id of the user's scope), ``nam`` (a year number, e.g.
2025) and, for reports, ``ky`` (``half_year`` or ``annual``). An empty value means the default; a value that does not
validate is a form error with a Vietnamese message. A unit id outside the scope is answered with a 404 by the view
before the form sees it.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from registry.choices import Options, filter_choices
from registry.forms import MSG_MAX_LENGTH, TEXT_MAX_LENGTH, NFCCharField
from registry.models import PeriodicReport, ReportPeriod, Unit
from registry.unit_fields import UnitChoiceField
from registry.years import YearField

MSG_YEAR = "Năm không hợp lệ hoặc chưa có trong danh mục."
MSG_UNIT = "Đơn vị không hợp lệ hoặc nằm ngoài phạm vi của bạn."
MSG_PERIOD = "Kỳ báo cáo không hợp lệ: chọn 6 tháng hoặc năm."


class _ScopeForm(forms.Form):
    """Unit (in the user's scope) and year; both optional, the view fills the defaults.

    The controls are written by ``rows()`` rather than by crispy-forms and Django's widget templates: 500 unit
    options, each through its template, were two thirds of the dashboard's CPU (issue 17). The options come from
    ``registry.choices`` (kept in memory under the catalogue's stamp); the markup is the one crispy-forms wrote.
    Validation still asks the database (the field's queryset is the user's scope)."""

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
    # (field, column class) of the one row of controls.
    columns = (("don_vi", "col-md-8"), ("nam", "col-md-2"))

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.user = user
        self.fields["don_vi"].queryset = Unit.objects.scope_of(user)
        self.shown_unit = None

    def show_unit(self, unit: Unit) -> None:
        """Keep a chosen unit beyond the bounded option list visible in the select."""
        self.shown_unit = unit

    def options(self) -> dict[str, Options]:
        found = filter_choices(self.user)
        return {"don_vi": found.scope_units, "nam": found.year_values}

    def rows(self) -> list[dict]:
        """The controls of the template's one row: each field's column, label, select, errors and help."""
        options = self.options()
        errors = self.errors if self.is_bound else {}
        return [self._cell(name, css, options[name], errors.get(name, [])) for name, css in self.columns]

    def _cell(self, name: str, css: str, options: Options, errors) -> dict:
        field = self.fields[name]
        html_id = f"id_{name}"
        described = [f"{html_id}_helptext"] if field.help_text else []
        described += [f"{html_id}_error"] if errors else []
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        extra = ""
        unit = self.shown_unit
        if name == "don_vi" and unit is not None and str(unit.pk) not in options.values:
            extra = format_html('<option value="{}"{}>{}</option>', unit.pk, _selected(unit.pk, value), unit.name)
        control = format_html(
            '<select name="{}" class="select form-select{}"{}{} id="{}">{}{}</select>',
            name,
            " is-invalid" if errors else "",
            mark_safe(' aria-invalid="true"') if errors else "",
            format_html(' aria-describedby="{}"', " ".join(described)) if described else "",
            html_id,
            mark_safe(options.render(value)),
            extra,
        )
        return {"css": css, "id": html_id, "label": field.label, "control": control, "errors": errors,
                "help": field.help_text}  # fmt: skip


def _selected(pk, value) -> str:
    return " selected" if value is not None and str(value) == str(pk) else ""


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
    columns = (("don_vi", "col-md-6"), ("nam", "col-md-2"), ("ky", "col-md-4"))

    def options(self) -> dict[str, Options]:
        return {**super().options(), "ky": Options.of(ReportPeriod.choices)}


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
