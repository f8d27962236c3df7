"""Forms of the registry. They validate input only (business rules live in services, permissions and workflow) and
carry Vietnamese messages. Sections group the forms by subject; add new forms under their own heading.
"""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from registry import permissions
from registry.models import Field, Person, Registration, SubjectKind, Unit, UnitKind, Year
from registry.models.units import COLLECTIVE_AGENCY_KINDS, PARTY_KINDS
from registry.services.registrations import EDITABLE_FIELDS
from registry.terms import lazy_text
from registry.text import normalize_vi
from registry.years import current_year

# ---------------------------------------------------------------------------------------------------------------
# Shared fields and messages
# ---------------------------------------------------------------------------------------------------------------

DATE_INPUT_FORMAT = "%d/%m/%Y"
TEXT_MAX_LENGTH = 8000  # per free-text section: a registration prints on a few pages, not a book

MSG_REQUIRED = "Vui lòng điền mục này."
MSG_CHOOSE = "Vui lòng chọn một mục."
MSG_INVALID_CHOICE = "Lựa chọn không hợp lệ: mục này không có trong danh sách bạn được phép chọn."
MSG_MAX_LENGTH = "Nội dung quá dài: tối đa %(limit_value)d ký tự (hiện có %(show_value)d ký tự)."
MSG_INVALID_DATE = "Ngày không hợp lệ. Vui lòng nhập ngày có thật theo dạng dd/mm/yyyy, ví dụ 05/03/2025."
MSG_END_BEFORE_START = "Ngày kết thúc không được trước ngày bắt đầu."
MSG_PHONE = "Số điện thoại chỉ gồm chữ số, dấu cách, dấu chấm, gạch ngang hoặc dấu + ở đầu."
MSG_NUMBER = "Vui lòng nhập một số nguyên."
MSG_NUMBER_RANGE = "Vui lòng nhập số từ 0 đến 1.000.000."

_PHONE = re.compile(r"^\+?[0-9][0-9 .\-]{5,18}$")


class NFCCharField(forms.CharField):
    """A text field that validates the NFC form of what was typed (as it will be stored), without control
    characters, so that a text typed with a decomposing keyboard is not measured too long."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_vi(value).strip() if value else value


class VNDateField(forms.DateField):
    """dd/mm/yyyy only, shown and parsed the same way whatever the browser's locale."""

    widget = forms.DateInput(format=DATE_INPUT_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def __init__(self, **kwargs):
        kwargs["input_formats"] = [DATE_INPUT_FORMAT]
        super().__init__(**kwargs)
        self.error_messages["invalid"] = MSG_INVALID_DATE


def _is_radio(widget) -> bool:
    return isinstance(widget, forms.RadioSelect) or (isinstance(widget, type) and issubclass(widget, forms.RadioSelect))


def _formfield(db_field: models.Field, **kwargs):
    """ModelForm field factory: NFC text fields, dd/mm/yyyy dates, and radio buttons of a required choice without
    Django's blank "---------" button (a select needs its blank line to show nothing is chosen yet; radios don't)."""
    if db_field.choices and not db_field.blank and _is_radio(kwargs.get("widget")):
        kwargs["choices"] = db_field.get_choices(include_blank=False)
    elif isinstance(db_field, models.CharField | models.TextField) and not db_field.choices:
        kwargs["form_class"] = NFCCharField
        if isinstance(db_field, models.TextField):
            kwargs["max_length"] = TEXT_MAX_LENGTH
    elif isinstance(db_field, models.DateField):
        kwargs["form_class"] = VNDateField
        kwargs.pop("widget", None)
    return db_field.formfield(**kwargs)


def _set_messages(form: forms.Form) -> None:
    """Vietnamese messages for every field, independent of the translation catalogue."""
    for field in form.fields.values():
        choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
        field.error_messages["required"] = MSG_CHOOSE if choice else MSG_REQUIRED
        field.error_messages["invalid_choice"] = MSG_INVALID_CHOICE
        field.error_messages["max_length"] = MSG_MAX_LENGTH


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach a service's errors to ``form``: to their field when the form has it, otherwise to the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# ---------------------------------------------------------------------------------------------------------------
# Registration (Mẫu 1, 1a, 2, 2a)
# ---------------------------------------------------------------------------------------------------------------

# URL slug → subject kind: /mo-hinh/dang-ky/mau-1a/ registers an agency.
KIND_SLUGS = {
    "mau-1": SubjectKind.PARTY_ORG,
    "mau-1a": SubjectKind.AGENCY,
    "mau-2": SubjectKind.MEMBER,
    "mau-2a": SubjectKind.NON_MEMBER,
}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}
FORM_NUMBERS = {
    SubjectKind.PARTY_ORG: "Mẫu 1",
    SubjectKind.AGENCY: "Mẫu 1a",
    SubjectKind.MEMBER: "Mẫu 2",
    SubjectKind.NON_MEMBER: "Mẫu 2a",
}

# Sections 2–12 of the registration in print order (forms.md §3); section 1 is the subject, 13 the commitment.
SECTIONS = [
    ("2", "Tên mô hình, lĩnh vực, cấp đăng ký, địa chỉ thực hiện", ["title", "field", "level", "year", "address"]),
    ("3", "Thực trạng, lý do, sự cần thiết", ["situation"]),
    ("4", "Mục tiêu, chỉ tiêu đánh giá", ["objectives", "indicators"]),
    ("5", "Nội dung, giải pháp, cách thức thực hiện", ["content"]),
    ("6", "Địa bàn, đối tượng tác động hoặc thụ hưởng", ["beneficiaries"]),
    ("7", "Lực lượng thực hiện và phối hợp", ["partners"]),
    ("8", "Nguồn lực", ["resources"]),
    ("9", "Thời gian thực hiện", ["start_date", "end_date", "milestones"]),
    ("10", "Kết quả, sản phẩm dự kiến", ["expected_results"]),
    ("11", "Khả năng duy trì, nhân rộng", ["sustainability"]),
    ("12", "Người phụ trách", ["lead_name", "lead_position", "lead_phone"]),
]

HELP_TEXTS = {
    "subject_headcount": "Số đảng viên (tổ chức đảng) hoặc số cán bộ, công chức, viên chức, người lao động.",
    "title": "Ngắn gọn, nêu rõ việc làm, ví dụ: “Dân vận khéo trong giải quyết thủ tục hành chính”.",
    "level": lazy_text("Cấp cơ sở: đăng ký với cấp ủy cơ sở, chi bộ; cấp {top_body}: đăng ký với {top_committee}."),
    "address": "Nơi mô hình được thực hiện: cơ quan, thôn, tổ dân phố, xã, phường…",
    "situation": "Tình hình ở cơ quan, địa bàn; vấn đề bức xúc, việc khó cần giải quyết; vì sao chọn mô hình này.",
    "indicators": "Chỉ tiêu đo được, dùng khi rà soát, đánh giá hằng năm.",
    "content": "Việc cụ thể sẽ làm, giải pháp, cách thức tổ chức thực hiện.",
    "partners": "Tổ chức, cá nhân tham gia và phối hợp; vai trò của từng lực lượng.",
    "resources": "Kinh phí, cơ sở vật chất, ngày công, nguồn xã hội hóa.",
    "milestones": "Các mốc sơ kết, đánh giá (6 tháng, 1 năm…).",
    "sustainability": "Điều kiện để duy trì lâu dài; khả năng áp dụng ở đơn vị, địa bàn khác.",
}

TEXTAREA_ROWS = {"situation": 4, "content": 5}
DATE_FIELDS = ("start_date", "end_date")


class SubjectUnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return obj.name


class SubjectPersonChoiceField(forms.ModelChoiceField):
    """Shows enough to tell two people of the same name apart: position and work unit."""

    def label_from_instance(self, obj: Person) -> str:
        details = ", ".join(part for part in (obj.position, obj.work_unit.name) if part)
        return f"{obj.full_name} – {details}" if details else obj.full_name


def subject_units_for(user, subject_kind: str, *, include=None):
    """Units the user may register as a collective of this kind: in their editor scope, active, of the right kind."""
    roots = permissions.editor_units(user)
    kinds = PARTY_KINDS - {UnitKind.KHOI} if subject_kind == SubjectKind.PARTY_ORG else COLLECTIVE_AGENCY_KINDS
    active = Q(is_active=True) | Q(pk=include) if include else Q(is_active=True)
    return Unit.objects.subtree_of(*roots).filter(active, kind__in=sorted(kinds))


def subject_people_for(user, subject_kind: str):
    """People the user may register: members whose chi bộ (Mẫu 2), or non-members whose agency (Mẫu 2a), is in
    their editor scope."""
    scope = Unit.objects.subtree_of(*permissions.editor_units(user))
    people = Person.objects.select_related("work_unit")
    if subject_kind == SubjectKind.MEMBER:
        return people.filter(is_party_member=True, party_cell__in=scope)
    return people.filter(is_party_member=False, work_unit__in=scope)


class RegistrationForm(forms.ModelForm):
    """Every section of a registration of one subject kind; the choices are limited to what ``user`` may pick.

    The owning and receiving units are not fields: ``registry.services.registrations`` derives them.
    """

    class Meta:
        model = Registration
        fields = list(EDITABLE_FIELDS)
        field_classes = {"subject_unit": SubjectUnitChoiceField, "subject_person": SubjectPersonChoiceField}
        formfield_callback = _formfield
        widgets = {"level": forms.RadioSelect}
        help_texts = HELP_TEXTS

    def __init__(self, *args, user, subject_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.subject_kind = subject_kind
        self.is_collective = subject_kind in (SubjectKind.PARTY_ORG, SubjectKind.AGENCY)
        current = self.instance if self.instance.pk else None

        if self.is_collective:
            del self.fields["subject_person"]
            subject = self.fields["subject_unit"]
            subject.queryset = subject_units_for(user, subject_kind, include=current and current.subject_unit_id)
            subject.label = "Tổ chức đảng đăng ký" if subject_kind == SubjectKind.PARTY_ORG else "Tập thể đăng ký"
            self.fields["subject_headcount"] = forms.IntegerField(
                label=self.fields["subject_headcount"].label,
                help_text=HELP_TEXTS["subject_headcount"],
                required=False,
                min_value=0,
                max_value=1_000_000,
                error_messages={"invalid": MSG_NUMBER, "min_value": MSG_NUMBER_RANGE, "max_value": MSG_NUMBER_RANGE},
            )
        else:
            del self.fields["subject_unit"]
            del self.fields["subject_headcount"]
            subject = self.fields["subject_person"]
            subject.queryset = subject_people_for(user, subject_kind)
            subject.label = "Đảng viên đăng ký" if subject_kind == SubjectKind.MEMBER else "Cá nhân đăng ký"
            subject.help_text = (
                "Ngày sinh, chức vụ, đơn vị công tác, chi bộ, điện thoại lấy từ danh mục cá nhân; "
                "nếu chưa có người cần đăng ký, đề nghị quản trị viên bổ sung."
            )
        subject.required = True
        subject.empty_label = "— Chọn —"

        # A registration keeps its year when edited after the year closed; new ones pick an open year.
        open_years = Q(is_open=True) | Q(pk=current.year_id) if current else Q(is_open=True)
        years = Year.objects.filter(open_years)
        self.fields["year"].queryset = years
        self.fields["year"].empty_label = None
        self.fields["field"].queryset = Field.objects.all()
        self.fields["field"].empty_label = "— Chọn lĩnh vực —"
        if not current:
            # The current year when it is open: a closed one is not among the choices of a new registration.
            default_year = current_year()
            self.fields["year"].initial = default_year.pk if default_year and default_year.is_open else None

        for name, rows in TEXTAREA_ROWS.items():
            self.fields[name].widget.attrs["rows"] = rows
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea) and name not in TEXTAREA_ROWS:
                field.widget.attrs["rows"] = 3
        _set_messages(self)
        self.helper = self._helper()

    def _helper(self) -> FormHelper:
        helper = FormHelper()
        helper.form_method = "post"
        # data-once: app.js sends the form once; data-draft-keeper: draft-keeper.js keeps what is typed locally.
        helper.attrs = {"data-once": "", "data-draft-keeper": "", "novalidate": ""}
        subject_title = "Tổ chức đảng" if self.subject_kind == SubjectKind.PARTY_ORG else "Tập thể"
        if not self.is_collective:
            subject_title = "Cá nhân"
        subject_fields = ["subject_unit", "subject_headcount"] if self.is_collective else ["subject_person"]
        parts = [Fieldset(f"1. {subject_title} đăng ký", *subject_fields)]
        for number, title, names in SECTIONS:
            items = list(names)
            if "field" in items:
                # The hints of every lĩnh vực sit right under the choice; field-hints.js shows the chosen one.
                position = items.index("field") + 1
                items.insert(position, HTML('{% include "registry/partials/_field_hints.html" %}'))
            if names == ["start_date", "end_date", "milestones"]:
                items = [
                    Row(Column("start_date", css_class="col-sm-6"), Column("end_date", css_class="col-sm-6")),
                    "milestones",
                ]
            parts.append(Fieldset(f"{number}. {title}", *items))
        helper.layout = Layout(*parts)
        helper.add_input(Submit("save", "Lưu nháp", css_class="btn-danger"))
        return helper

    def clean_lead_phone(self):
        phone = self.cleaned_data.get("lead_phone", "")
        if phone and not _PHONE.match(phone):
            raise ValidationError(MSG_PHONE, code="invalid_phone")
        return phone

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", ValidationError(MSG_END_BEFORE_START, code="end_before_start"))
        return cleaned


# ---------------------------------------------------------------------------------------------------------------
# Evidence and workflow steps
# ---------------------------------------------------------------------------------------------------------------


# Messages of a file field, shared by every upload form (evidence, signed scans).
UPLOAD_ERRORS = {
    "required": "Vui lòng chọn một tệp để tải lên.",
    "empty": "Tệp đã chọn rỗng, vui lòng chọn tệp khác.",
    "invalid": "Không đọc được tệp tải lên, vui lòng thử lại.",
    "missing": "Không nhận được tệp, vui lòng thử lại.",
}


class AttachmentForm(forms.Form):
    """One evidence file per upload; its size and content are checked by ``registry.services.attachments``."""

    file = forms.FileField(
        label="Tệp minh chứng",
        help_text="PDF, Word, Excel, ảnh JPEG hoặc PNG; mỗi tệp tối đa 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"}),
        error_messages=UPLOAD_ERRORS,
    )


class ReasonForm(forms.Form):
    """The reason typed when returning or stopping a registration; the workflow decides whether it is required."""

    reason = NFCCharField(
        label="Lý do",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": MSG_MAX_LENGTH},
    )
