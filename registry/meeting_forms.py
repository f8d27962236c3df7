"""Forms of confirmation meetings and proposals to the Khối. They validate input only, with Vietnamese messages
beside the fields; the services in ``registry.meetings`` and ``registry.proposals`` re-check the rules.

A meeting (or proposal) page is chosen first by GET parameters (``unit``, ``purpose``, ``year``), which fix the
entries it may decide; the POST form then lists those entries with their votes. An entry outside that list,
slipped into a hand-made POST, is a form error.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row
from django import forms
from django.core.exceptions import ValidationError

from registry import meetings, proposals
from registry.forms import MSG_NUMBER, NFCCharField, _formfield, _set_messages
from registry.models import Meeting, Purpose, Registration, Unit, Year
from registry.unit_fields import KeyMultipleChoiceField, UnitChoiceField, limit_unit_options
from registry.years import YearField, current_year

MSG_VOTES_REQUIRED = "Vui lòng nhập số phiếu."
MSG_TIME = "Giờ không hợp lệ: hãy nhập theo dạng HH:MM, ví dụ 08:00."
MSG_ENDS_BEFORE_START = "Giờ kết thúc phải sau giờ bắt đầu."
MSG_VOTES_RANGE = "Số phiếu phải từ 0 đến 1.000."
UNIT_EMPTY_LABEL = "— Chọn đơn vị —"


def _get_helper(form_id: str, button: str) -> FormHelper:
    helper = FormHelper()
    helper.form_method = "get"
    helper.disable_csrf = True
    helper.form_id = form_id
    helper.layout = Layout(
        Row(*[Column(name, css_class=FIELD_COLUMNS.get(name, "col-md")) for name in form_id_fields[form_id]]),
        HTML(f'<button type="submit" class="btn btn-outline-primary">{button}</button>'),
    )
    return helper


# The purposes' labels are long ("Xét, xác nhận điển hình “Dân vận khéo” cấp cơ sở"): their select takes half of the
# row on wide screens, the year only what four digits need, so no label is cut at 1366 px.
FIELD_COLUMNS = {"unit": "col-md-5 col-xl-4", "purpose": "col-md-5 col-xl-6", "year": "col-md-2"}
form_id_fields = {"chon-cuoc-hop": ["unit", "purpose", "year"], "chon-de-nghi": ["unit", "year"]}


def _initial_year() -> int | None:
    year = current_year()
    return year.year if year else None


# ---------------------------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------------------------


class MeetingChoiceForm(forms.Form):
    """Which meeting to prepare: the deciding unit (one the user is an approver over), what it decides, the year."""

    unit = UnitChoiceField(
        label="Đơn vị xét",
        queryset=Unit.objects.none(),
        error_messages={
            "required": "Vui lòng chọn đơn vị xét.",
            "invalid_choice": "Đơn vị không hợp lệ: hãy chọn một đơn vị bạn có quyền xét, xác nhận.",
        },
    )
    purpose = forms.ChoiceField(
        label="Nội dung họp",
        choices=Purpose.choices,
        error_messages={"required": "Vui lòng chọn nội dung họp.", "invalid_choice": "Nội dung họp không hợp lệ."},
    )
    year = YearField()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = meetings.deciding_units(user)
        limit_unit_options(self.fields["unit"], empty_label=UNIT_EMPTY_LABEL)
        self.fields["year"].initial = _initial_year()
        self.helper = _get_helper("chon-cuoc-hop", "Hiển thị danh sách xét")

    def clean(self):
        cleaned = super().clean()
        unit, purpose = cleaned.get("unit"), cleaned.get("purpose")
        if unit is not None and purpose:
            try:
                meetings.check_unit_for_purpose(unit, purpose)
            except ValidationError as error:
                self.add_error("unit", error.error_dict["unit"])
        return cleaned


def _votes_field(label: str) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "style": "width: 6rem"}),
        error_messages={"invalid": MSG_NUMBER, "min_value": MSG_VOTES_RANGE, "max_value": MSG_VOTES_RANGE},
    )


def _time_field(label: str) -> forms.TimeField:
    """An optional time of day typed as HH:MM (the minutes print it: "08 giờ 00 phút"; left empty, "…… giờ")."""
    return forms.TimeField(
        label=label,
        required=False,
        input_formats=["%H:%M", "%H:%M:%S"],
        widget=forms.TimeInput(format="%H:%M", attrs={"type": "time", "placeholder": "HH:MM"}),
        help_text="Không bắt buộc; dạng HH:MM, ví dụ 08:00.",
        error_messages={"invalid": MSG_TIME},
    )


def _count_field(label: str, *, minimum: int) -> forms.IntegerField:
    message = f"Vui lòng nhập số từ {minimum} đến 1.000."
    return forms.IntegerField(
        label=label,
        min_value=minimum,
        max_value=1000,
        error_messages={"invalid": MSG_NUMBER, "min_value": message, "max_value": message},
    )


class EntryChoiceField(KeyMultipleChoiceField):
    """Registrations by id; an id no database key can hold is a form error, not a server error."""

    def label_from_instance(self, obj: Registration) -> str:
        return obj.title


class MeetingForm(forms.ModelForm):
    """The meeting's record and, for each eligible entry, whether it is considered and its votes.

    ``eligible`` is the list of registrations the meeting may decide; ``entries`` accepts any visible registration
    so that one outside the list gets a clear message instead of a generic invalid choice.
    """

    entries = EntryChoiceField(
        label="Mô hình đưa ra xét",
        queryset=Registration.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = [
            "body",
            "held_on",
            "starts_at",
            "ends_at",
            "place",
            "members_total",
            "members_present",
            "absence_note",
            "chair_name",
            "secretary_name",
            "voting_method",
            "pass_rule",
            "conclusion",
        ]
        formfield_callback = _formfield
        widgets = {"voting_method": forms.RadioSelect, "conclusion": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": "Tập thể xét", "chair_name": "Chủ trì", "secretary_name": "Thư ký"}
        help_texts = {
            "absence_note": "Ví dụ: đồng chí Nguyễn Văn A vắng do đi công tác.",
            "pass_rule": "Mô hình đạt khi số phiếu đồng ý trên một nửa theo điều kiện này.",
        }

    def __init__(self, data=None, *, user, unit: Unit, purpose: str, year: Year, eligible: list, **kwargs):
        kwargs.setdefault("instance", Meeting(unit=unit, purpose=purpose, year=year))
        kwargs.setdefault("initial", {"body": meetings.default_body(unit)})
        super().__init__(data, **kwargs)
        self.eligible = eligible
        self.eligible_ids = {reg.pk for reg in eligible}
        self.fields["entries"].queryset = Registration.objects.visible_to(user)
        self.fields["entries"].widget.choices = [(reg.pk, reg.title) for reg in eligible]
        self.fields["members_total"] = _count_field("Tổng số thành viên", minimum=1)
        self.fields["members_present"] = _count_field("Số thành viên có mặt", minimum=0)
        self.fields["starts_at"] = _time_field("Giờ bắt đầu")
        self.fields["ends_at"] = _time_field("Giờ kết thúc")
        self.rows = []
        for reg in eligible:
            self.fields[f"votes_for_{reg.pk}"] = _votes_field("Đồng ý")
            self.fields[f"votes_against_{reg.pk}"] = _votes_field("Không đồng ý")
        _set_messages(self)
        for reg in eligible:
            self.rows.append(
                {
                    "registration": reg,
                    "checked": str(reg.pk) in (self.data.getlist("entries") if self.is_bound else []),
                    "votes_for": self[f"votes_for_{reg.pk}"],
                    "votes_against": self[f"votes_against_{reg.pk}"],
                }
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            # On a wide screen the fields share lines (four lines instead of eight); on a phone, one per line.
            Fieldset(
                "Thông tin cuộc họp",
                Row(Column("body", css_class="col-lg-6"), Column("place", css_class="col-lg-6")),
                Row(
                    Column("held_on", css_class="col-md-4 col-lg-2"),
                    Column("starts_at", css_class="col-md-4 col-lg-2"),
                    Column("ends_at", css_class="col-md-4 col-lg-2"),
                    Column("members_total", css_class="col-md-6 col-lg-3"),
                    Column("members_present", css_class="col-md-6 col-lg-3"),
                ),
                Row(
                    Column("chair_name", css_class="col-md-6 col-lg-3"),
                    Column("secretary_name", css_class="col-md-6 col-lg-3"),
                    Column("absence_note", css_class="col-lg-6"),
                ),
                Row(Column("voting_method", css_class="col-md-6 col-lg-3"), Column("pass_rule", css_class="col-md-6")),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", ValidationError(MSG_ENDS_BEFORE_START, code="ends_before_start"))
        chosen = cleaned.get("entries") or []
        if "entries" in cleaned and not chosen:
            self.add_error("entries", ValidationError(meetings.MSG_NO_ENTRIES, code="no_entries"))
        present = cleaned.get("members_present")
        votes = []
        for reg in chosen:
            if reg.pk not in self.eligible_ids:
                self.add_error(
                    "entries",
                    ValidationError(
                        f"Mô hình “{reg.title}” không thuộc diện xét tại cuộc họp này.", code="not_eligible"
                    ),
                )
                continue
            names = (f"votes_for_{reg.pk}", f"votes_against_{reg.pk}")
            if any(name in self.errors for name in names):
                continue
            values = [cleaned.get(name) for name in names]
            for name, value in zip(names, values, strict=True):
                if value is None:
                    self.add_error(name, ValidationError(MSG_VOTES_REQUIRED, code="required"))
            if None in values:
                continue
            if present is not None:
                error = meetings.check_votes(votes_for=values[0], votes_against=values[1], members_present=present)
                if error:
                    self.add_error(names[0], ValidationError(error, code="too_many_votes"))
                    continue
            votes.append((reg, values[0], values[1]))
        self.votes = votes
        return cleaned

    def meeting_data(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data.update(unit=self.instance.unit, purpose=self.instance.purpose, year=self.instance.year)
        return data


# ---------------------------------------------------------------------------------------------------------------
# Proposals to the Khối (Mẫu 6b list)
# ---------------------------------------------------------------------------------------------------------------


class ProposalChoiceForm(forms.Form):
    """Which grassroots organisation proposes, for which year."""

    unit = UnitChoiceField(
        label="Đơn vị đề nghị",
        queryset=Unit.objects.none(),
        error_messages={
            "required": "Vui lòng chọn đơn vị đề nghị.",
            "invalid_choice": "Đơn vị không hợp lệ: hãy chọn đảng bộ, chi bộ cơ sở bạn có quyền đề nghị.",
        },
    )
    year = YearField()

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["unit"].queryset = proposals.proposing_units(user)
        limit_unit_options(self.fields["unit"], empty_label=UNIT_EMPTY_LABEL)
        self.fields["year"].initial = _initial_year()
        self.helper = _get_helper("chon-de-nghi", "Hiển thị điển hình")


class ProposalForm(forms.Form):
    """The grassroots exemplars put on the list, and a note."""

    entries = EntryChoiceField(
        label="Điển hình đề nghị", queryset=Registration.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    note = NFCCharField(label="Ghi chú", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, data=None, *, user, eligible: list, **kwargs):
        super().__init__(data, **kwargs)
        self.eligible_ids = {reg.pk for reg in eligible}
        self.fields["entries"].queryset = Registration.objects.visible_to(user)
        self.fields["entries"].widget.choices = [(reg.pk, reg.title) for reg in eligible]
        _set_messages(self)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_entries(self):
        chosen = list(self.cleaned_data.get("entries") or [])
        if not chosen:
            raise ValidationError(proposals.MSG_NO_ENTRIES, code="no_entries")
        for reg in chosen:
            if reg.pk not in self.eligible_ids:
                raise ValidationError(
                    f"“{reg.title}” không phải điển hình cấp cơ sở của đơn vị này, không thể đề nghị.",
                    code="not_eligible",
                )
        return chosen
