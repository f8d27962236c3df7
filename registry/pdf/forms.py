"""The Mẫu 3 picker: a party unit of the user's scope and a year, from the GET parameters ``don_vi`` and ``nam``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.http import Http404

from registry.models import Unit
from registry.models.units import PARTY_KINDS
from registry.unit_fields import UnitChoiceField, is_key, limit_unit_options
from registry.years import YearField, current_year


class Mau3Form(forms.Form):
    """Which list to print: the party unit (``don_vi``, its pk) and the year (``nam``, e.g. 2025)."""

    don_vi = UnitChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.none(),
        help_text="Danh sách gồm các mô hình đăng ký với đơn vị này và các đơn vị trực thuộc.",
        error_messages={
            "required": "Vui lòng chọn đơn vị.",
            "invalid_choice": "Đơn vị không hợp lệ: hãy chọn một chi bộ, đảng bộ trong danh sách.",
        },
    )
    nam = YearField()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["don_vi"].queryset = Unit.objects.scope_of(user).filter(kind__in=PARTY_KINDS)
        options = limit_unit_options(self.fields["don_vi"], empty_label="— Chọn đơn vị —")
        if data is None:
            self.initial.setdefault("don_vi", options[0].pk if options else None)
            year = current_year()
            self.initial.setdefault("nam", year.year if year else None)
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
    # Larger than any primary key: nothing to look up (and no integer overflow in the database driver).
    if not is_key(value) or not Unit.objects.scope_of(user).filter(pk=int(value)).exists():
        raise Http404("Đơn vị không tồn tại hoặc nằm ngoài phạm vi của bạn.")
