"""The Mẫu 3 picker: a party unit of the user's scope and a year, from the GET parameters ``don_vi`` and ``nam``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.http import Http404

from registry.models import Unit, Year
from registry.models.units import PARTY_KINDS

# A Khối may have thousands of units: the select shows a bounded list, validation accepts any unit of the scope.
UNIT_OPTION_LIMIT = 500


class PartyUnitChoiceField(forms.ModelChoiceField):
    top_depth = 1

    def label_from_instance(self, obj: Unit) -> str:
        return "— " * max(obj.depth - self.top_depth, 0) + obj.name


class Mau3Form(forms.Form):
    """Which list to print: the party unit (``don_vi``, its pk) and the year (``nam``, e.g. 2025)."""

    don_vi = PartyUnitChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        help_text="Danh sách gồm các mô hình đăng ký với đơn vị này và các đơn vị trực thuộc.",
        error_messages={
            "required": "Vui lòng chọn đơn vị.",
            "invalid_choice": "Đơn vị không hợp lệ: hãy chọn một chi bộ, đảng bộ trong danh sách.",
        },
    )
    nam = forms.ModelChoiceField(
        label="Năm",
        queryset=Year.objects.order_by("-year"),
        to_field_name="year",
        empty_label=None,
        error_messages={
            "required": "Vui lòng chọn năm.",
            "invalid_choice": "Năm không hợp lệ hoặc chưa có trong danh mục.",
        },
    )

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        units = Unit.objects.scope_of(user).filter(kind__in=PARTY_KINDS)
        field = self.fields["don_vi"]
        field.queryset = units
        options = list(units.only("pk", "name", "depth", "path")[:UNIT_OPTION_LIMIT])
        field.top_depth = min((u.depth for u in options), default=1)
        field.widget.choices = [("", "— Chọn đơn vị —")] + [(u.pk, field.label_from_instance(u)) for u in options]
        if data is None:
            self.initial.setdefault("don_vi", options[0].pk if options else None)
            latest = Year.objects.order_by("-year").first()
            self.initial.setdefault("nam", latest.year if latest else None)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_id = "chon-danh-sach"
        self.helper.layout = Layout(
            Row(Column("don_vi", css_class="col-md-8"), Column("nam", css_class="col-md-2")),
            HTML('<button type="submit" class="btn btn-primary">Xem danh sách</button>'),
        )


def check_unit_in_scope(raw_unit: str | None, user) -> None:
    """A unit id that is a number but outside the user's scope is a 404, as any forbidden object (no existence
    leak: an id that does not exist answers the same). Anything else is left to the form's validation."""
    value = (raw_unit or "").strip()
    if not (value.isascii() and value.isdigit()):
        return
    pk = int(value)
    # Larger than any primary key: nothing to look up (and no integer overflow in the database driver).
    if pk > 2**63 - 1 or not Unit.objects.scope_of(user).filter(pk=pk).exists():
        raise Http404("Đơn vị không tồn tại hoặc nằm ngoài phạm vi của bạn.")
