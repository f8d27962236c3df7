"""The filter form of the registration list and the one function that applies it, shared by the page and its export.

Every filter narrows a queryset that already starts from ``Registration.objects.visible_to(user)``; a value that does
not validate (a year that is not a number, a unit outside the user's scope…) is left out, and the form shows why.
The sort order comes from a whitelist: an unknown ``sap_xep`` falls back to the default, never an error.
``YearChoiceForm`` picks the year of the "chưa đăng ký" view the same way (``?nam=2025``).
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.db import models
from django.urls import reverse

from registry.models import Field, Level, Registration, Status, SubjectKind, Unit
from registry.unit_fields import UnitChoiceField, limit_unit_options, show_unit_option
from registry.years import YearField

# Status in workflow order, so that sorting by status reads like the lifecycle rather than alphabetically.
_STATUS_ORDER = models.Case(
    *(models.When(status=value, then=models.Value(i)) for i, value in enumerate(Status.values)),
    default=models.Value(len(Status.values)),
    output_field=models.IntegerField(),
)

# sap_xep value → (label, ordering). "-pk" last keeps pages stable when the other keys tie.
SORTS: dict[str, tuple[str, tuple]] = {
    "moi_nhat": ("Mới tạo trước", ("-created_at", "-pk")),
    "ten": ("Tên mô hình (A → Z)", ("title", "-pk")),
    "nam": ("Năm (mới nhất trước)", ("-year__year", "title", "-pk")),
    "trang_thai": ("Trạng thái", (_STATUS_ORDER, "title", "-pk")),
    "don_vi": ("Đơn vị quản lý (A → Z)", ("unit__name", "title", "-pk")),
}
DEFAULT_SORT = "moi_nhat"

# Related rows every list row prints: one JOIN instead of one query per row (is_late reads ``year``).
LIST_RELATED = ("year", "field", "unit", "receiving_unit", "subject_unit", "subject_person")


def _choices_with_all(choices) -> list[tuple[str, str]]:
    return [("", "Tất cả"), *choices]


class RegistrationFilterForm(forms.Form):
    """GET form of the registration list: each field is optional and narrows the list."""

    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        help_text="Tên mô hình, chủ thể hoặc địa chỉ; gõ có dấu hay không dấu đều được.",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Ví dụ: dan van kheo"}),
    )
    nam = YearField(required=False, empty_label="Tất cả")
    don_vi = UnitChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="Tất cả",
        help_text="Gồm cả các đơn vị trực thuộc.",
        error_messages={"invalid_choice": "Đơn vị không hợp lệ hoặc nằm ngoài phạm vi của bạn."},
    )
    linh_vuc = forms.ModelChoiceField(
        label="Lĩnh vực",
        queryset=Field.objects.order_by("order", "name"),
        to_field_name="code",
        required=False,
        empty_label="Tất cả",
        error_messages={"invalid_choice": "Lĩnh vực không hợp lệ."},
    )
    cap = forms.ChoiceField(
        label="Cấp đăng ký",
        choices=_choices_with_all(Level.choices),
        required=False,
        error_messages={"invalid_choice": "Cấp đăng ký không hợp lệ."},
    )
    trang_thai = forms.ChoiceField(
        label="Trạng thái",
        choices=_choices_with_all(Status.choices),
        required=False,
        error_messages={"invalid_choice": "Trạng thái không hợp lệ."},
    )
    doi_tuong = forms.ChoiceField(
        label="Đối tượng",
        choices=_choices_with_all(SubjectKind.choices),
        required=False,
        error_messages={"invalid_choice": "Đối tượng đăng ký không hợp lệ."},
    )
    sap_xep = forms.CharField(
        label="Sắp xếp",
        required=False,
        widget=forms.Select(choices=[(key, label) for key, (label, _) in SORTS.items()]),
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["don_vi"].queryset = Unit.objects.scope_of(user)
        limit_unit_options(self.fields["don_vi"], empty_label="Tất cả")
        self.helper = self._build_helper()

    def _build_helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "get"
        helper.disable_csrf = True
        helper.form_id = "bo-loc"
        helper.attrs = {"role": "search", "aria-label": "Lọc danh sách mô hình"}
        helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-6"),
                Column("sap_xep", css_class="col-md-3"),
                Column("nam", css_class="col-md-3"),
            ),
            Row(
                Column("don_vi", css_class="col-md-4"),
                Column("linh_vuc", css_class="col-md-4"),
                Column("cap", css_class="col-md-4"),
            ),
            Row(Column("trang_thai", css_class="col-md-6"), Column("doi_tuong", css_class="col-md-6")),
            # A nameless button: the query string keeps only the filters, which the pagination links repeat.
            HTML('<button type="submit" class="btn btn-primary">Lọc</button>'),
            HTML(f'<a class="btn btn-link" href="{reverse("registry:registration-list")}">Xóa bộ lọc</a>'),
        )
        return helper

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()

    def clean_sap_xep(self) -> str:
        value = self.cleaned_data["sap_xep"]
        return value if value in SORTS else DEFAULT_SORT

    def valid_values(self) -> dict:
        """The values that validated; a field with an error is simply absent (the list ignores it)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        chosen = self.cleaned_data.get("don_vi")
        if chosen:
            show_unit_option(self.fields["don_vi"], chosen)
        return self.cleaned_data


def filter_registrations(queryset: models.QuerySet, values: dict) -> models.QuerySet:
    """Narrow ``queryset`` (already scoped by ``visible_to``) by the validated filter ``values`` and sort it."""
    qs = queryset
    if values.get("nam"):
        qs = qs.filter(year=values["nam"])
    if values.get("don_vi"):
        qs = qs.within(values["don_vi"])
    if values.get("linh_vuc"):
        qs = qs.filter(field=values["linh_vuc"])
    if values.get("cap"):
        qs = qs.filter(level=values["cap"])
    if values.get("trang_thai"):
        qs = qs.filter(status=values["trang_thai"])
    if values.get("doi_tuong"):
        qs = qs.filter(subject_kind=values["doi_tuong"])
    if values.get("q"):
        qs = qs.search(values["q"])
    sort = values.get("sap_xep") or DEFAULT_SORT
    return qs.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT])[1])


def filtered_registrations(user, data) -> tuple[RegistrationFilterForm, models.QuerySet]:
    """The bound filter form for ``data`` (request.GET) and the user's registrations it selects, rows ready to print."""
    form = RegistrationFilterForm(data, user=user)
    base = Registration.objects.visible_to(user).select_related(*LIST_RELATED)
    return form, filter_registrations(base, form.valid_values())


class YearChoiceForm(forms.Form):
    """The year of the "chưa đăng ký" view, by its number (?nam=2025)."""

    nam = YearField(required=False)
