"""Forms about papers: the Mẫu 3 picker (a party unit of the user's scope and a year, from the GET parameters
``don_vi`` and ``nam``) and the issue form (number, date and signer of a paper)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row
from django import forms
from django.http import Http404

from registry.forms import NFCCharField, VNDateField, _set_messages
from registry.models import Unit
from registry.models.documents import NUMBER_MAX_LENGTH
from registry.models.units import PARTY_KINDS
from registry.papers.catalogue import Issue, default_issue_date
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


class IssueForm(forms.Form):
    """What the office confirms when it issues a paper: number, date and signer (forms.md §5).

    Field names are those of ``catalogue.Issue``, so that ``documents.issue``'s errors land beside their field.
    """

    number = NFCCharField(
        label="Số văn bản",
        max_length=NUMBER_MAX_LENGTH,
        required=False,
        help_text=(
            "Gõ số thứ tự (ví dụ 12: cổng ghi thành {example}) hoặc số đầy đủ. Để trống nếu văn thư ghi số bằng tay."
        ),
    )
    issued_on = VNDateField(label="Ngày văn bản")
    signer_authority = NFCCharField(
        label="Thẩm quyền ký",
        max_length=80,
        required=False,
        help_text="Ví dụ: T/M CHI BỘ, T/M BAN THƯỜNG VỤ, K/T TRƯỞNG BAN.",
    )
    signer_title = NFCCharField(label="Chức danh người ký", max_length=80, required=False, help_text="Ví dụ: BÍ THƯ.")
    signer_name = NFCCharField(label="Họ tên người ký", max_length=120)
    # The version in force when the page was shown (0: none): ``documents.issue`` refuses if another landed since.
    in_force_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, subject, initial_signer: dict, example_number: str, in_force=None, **kwargs):
        super().__init__(data, **kwargs)
        self.subject = subject
        self.fields["in_force_seen"].initial = in_force.pk if in_force else 0
        form = subject.form
        if subject.numbered:
            self.fields["number"].help_text = self.fields["number"].help_text.format(example=example_number)
        else:
            del self.fields["number"]
        self.fields["issued_on"].label = form.date_label
        self.fields["issued_on"].initial = default_issue_date(subject)
        self.fields["signer_authority"].initial = initial_signer.get("authority", "")
        self.fields["signer_title"].initial = initial_signer.get("title", "")
        self.fields["signer_name"].initial = initial_signer.get("name", "")
        _set_messages(self)
        self.fields["signer_name"].error_messages["required"] = "Vui lòng nhập họ tên người ký."
        self.fields["issued_on"].error_messages["required"] = "Vui lòng nhập ngày văn bản."
        self.helper = FormHelper()
        self.helper.form_tag = False
        first = [Column(name, css_class="col-md-6") for name in ("number", "issued_on") if name in self.fields]
        self.helper.layout = Layout(
            Row(*first),
            Row(Column("signer_authority", css_class="col-md-6"), Column("signer_title", css_class="col-md-6")),
            Row(Column("signer_name", css_class="col-12")),
            "in_force_seen",
        )

    def show_in_force(self, document) -> None:
        """After a refusal because another version landed: the form now carries that version, so that sending it
        again issues a new one on purpose."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("in_force_seen")] = str(document.pk if document else 0)

    def issue(self) -> Issue:
        data = self.cleaned_data
        return Issue(
            number=data.get("number", ""),
            issued_on=data["issued_on"],
            signer_authority=data["signer_authority"],
            signer_title=data["signer_title"],
            signer_name=data["signer_name"],
            # Anything but a number (a hand-made request) is not a version: the check is left out, as for commands.
            in_force_seen=int(seen) if (seen := data.get("in_force_seen", "")) == "0" or is_key(seen) else None,
        )
