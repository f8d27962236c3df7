"""The admin's forms for reorganising the tree (superusers): merge, move, rename. Input validation only: every rule is
``registry.reorganisation``'s, asked here so that its message stands beside the field before anything is changed,
and asked again under the lock when the superuser confirms."""

from django import forms
from django.core.exceptions import ValidationError

from registry import reorganisation
from registry.forms import MSG_INVALID_DATE, NFCCharField, VNDateField
from registry.models import Unit
from registry.text import format_date

# The portal's own date and text fields (``registry.forms``): dd/mm/yyyy only, and text measured as it is saved (NFC,
# without control characters, so that a NUL byte never reaches Django's untranslated "Null characters" message).
DATE_INVALID = MSG_INVALID_DATE
UNIT_INVALID = "Đơn vị đã chọn không có trong danh sách; hãy chọn lại."


class UnitChoiceField(forms.ModelChoiceField):
    """Active units in tree order, indented by depth, with their code and kind."""

    def label_from_instance(self, unit):
        return f"{'— ' * (unit.depth - 1)}{unit.name} ({unit.code}, {unit.get_kind_display().lower()})"


class ReorganiseForm(forms.Form):
    effective_on = VNDateField(
        label="Ngày hiệu lực",
        help_text="Ngày việc tổ chức lại có hiệu lực theo quyết định (ngày/tháng/năm), không sau hôm nay.",
        error_messages={"required": reorganisation.DATE_REQUIRED},
    )
    basis = NFCCharField(
        label="Căn cứ",
        required=False,
        max_length=300,
        help_text="Không bắt buộc, ví dụ: Quyết định số 123-QĐ/TU ngày 20/6/2025.",
        error_messages={"max_length": "Căn cứ dài quá 300 ký tự."},
    )

    title = ""
    field_order = ()

    def __init__(self, unit: Unit, *args, **kwargs):
        self.unit = unit
        super().__init__(*args, **kwargs)
        self.order_fields([*self.field_order, "effective_on", "basis"])

    def clean(self):
        cleaned = super().clean()
        # Every message at once: the rule's own beside each field the user filled in well enough to be checked.
        already = set(self.errors)
        self.add_domain_errors({f: m for f, m in self.domain_errors(cleaned).items() if f not in already})
        if "effective_on" in cleaned and (problem := reorganisation.date_error(cleaned["effective_on"], self.units())):
            self.add_error("effective_on", problem)
        return cleaned

    def add_domain_errors(self, errors) -> None:
        """Put each message beside its field (one the form does not have goes above the form)."""
        if isinstance(errors, ValidationError):
            errors = errors.message_dict if hasattr(errors, "error_dict") else {None: errors.messages}
        for field, messages in errors.items():
            for message in [messages] if isinstance(messages, str) else messages:
                self.add_error(field if field in self.fields else None, message)

    def domain_errors(self, cleaned) -> dict:
        raise NotImplementedError

    def units(self) -> list[Unit]:
        return [self.unit]


class MergeForm(ReorganiseForm):
    title = "Sáp nhập vào đơn vị khác"
    field_order = ("target",)
    target = UnitChoiceField(
        label="Sáp nhập vào đơn vị",
        queryset=Unit.objects.filter(is_active=True),
        help_text=(
            "Đơn vị nhận sáp nhập: cùng loại (chi bộ cơ sở có thể sáp nhập vào đảng bộ cơ sở). Đơn vị cấp dưới, hồ "
            "sơ, vai trò tài khoản, cá nhân và việc đang làm chuyển sang đơn vị này; văn bản đã ban hành giữ nguyên."
        ),
        error_messages={"required": "Vui lòng chọn đơn vị nhận sáp nhập.", "invalid_choice": UNIT_INVALID},
    )

    def domain_errors(self, cleaned):
        return reorganisation.merge_errors(self.unit, cleaned.get("target"))

    def units(self):
        return [unit for unit in (self.unit, self.cleaned_data.get("target")) if unit is not None]

    def sentence(self):
        data = self.cleaned_data
        return (
            f"“{self.unit}” sẽ sáp nhập vào “{data['target']}” từ ngày {format_date(data['effective_on'])} và "
            "ngừng hoạt động."
        )

    def effect(self):
        return reorganisation.merge_effect(self.unit, self.cleaned_data["target"])

    def apply(self, actor):
        data = self.cleaned_data
        return reorganisation.merge(
            self.unit, data["target"], effective_on=data["effective_on"], actor=actor, basis=data["basis"]
        )


class MoveForm(ReorganiseForm):
    title = "Chuyển sang đơn vị cấp trên mới"
    field_order = ("new_parent",)
    new_parent = UnitChoiceField(
        label="Đơn vị cấp trên mới",
        queryset=Unit.objects.filter(is_active=True),
        help_text="Đơn vị cùng toàn bộ đơn vị cấp dưới, hồ sơ và vai trò tài khoản chuyển theo.",
        error_messages={"required": "Vui lòng chọn đơn vị cấp trên mới.", "invalid_choice": UNIT_INVALID},
    )

    def domain_errors(self, cleaned):
        return reorganisation.move_errors(self.unit, cleaned.get("new_parent"))

    def effect(self):
        return reorganisation.move_effect(self.unit)

    def sentence(self):
        data = self.cleaned_data
        return (
            f"“{self.unit}” sẽ chuyển sang làm đơn vị con của “{data['new_parent']}” từ ngày "
            f"{format_date(data['effective_on'])}."
        )

    def apply(self, actor):
        data = self.cleaned_data
        return reorganisation.move(
            self.unit, data["new_parent"], effective_on=data["effective_on"], actor=actor, basis=data["basis"]
        )


class RenameForm(ReorganiseForm):
    title = "Đổi tên"
    field_order = ("name", "print_name")
    name = NFCCharField(
        label="Tên mới",
        max_length=255,
        required=False,  # an empty name gets the domain's message
        help_text="Tên đầy đủ như khi in, ví dụ Đảng bộ các cơ quan Đảng tỉnh.",
        error_messages={"max_length": "Tên dài quá 255 ký tự."},
    )
    print_name = NFCCharField(
        label="Tên in ở tiêu đề (mới)",
        max_length=255,
        required=False,
        help_text="Để trống thì in theo tên đơn vị. Gõ dấu | ở chỗ muốn xuống dòng.",
        error_messages={"max_length": "Tên in dài quá 255 ký tự."},
    )

    def __init__(self, unit, *args, **kwargs):
        kwargs.setdefault("initial", {"name": unit.name, "print_name": unit.print_name})
        super().__init__(unit, *args, **kwargs)

    def domain_errors(self, cleaned):
        cleaned["name"] = reorganisation.clean_name(cleaned.get("name"))
        cleaned["print_name"] = (cleaned.get("print_name") or "").strip()
        return reorganisation.rename_errors(self.unit, cleaned["name"], cleaned["print_name"])

    def effect(self):
        return reorganisation.Effect(
            moves=[],
            stays=[("văn bản đã ban hành (giữ nguyên tên như khi ban hành)", self.unit.documents.count())],
        )

    def sentence(self):
        data = self.cleaned_data
        return (
            f"“{self.unit}” sẽ đổi tên thành “{data['name']}” từ ngày {format_date(data['effective_on'])}; văn bản "
            "về việc trước ngày đó vẫn in tên cũ."
        )

    def apply(self, actor):
        data = self.cleaned_data
        return reorganisation.rename(
            self.unit,
            name=data["name"],
            print_name=data["print_name"],
            effective_on=data["effective_on"],
            actor=actor,
            basis=data["basis"],
        )


# URL slug → form
OPERATIONS = {"sap-nhap": MergeForm, "chuyen": MoveForm, "doi-ten": RenameForm}
