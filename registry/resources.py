"""Import of units and people from .xlsx or .csv files (django-import-export), with Vietnamese messages.

Columns are named by code (``code``, ``parent_code`` …) or by their Vietnamese heading ("Mã đơn vị", "Mã đơn vị
cấp trên" …), with or without diacritics. A bad row is reported by row and column in Vietnamese, and nothing is
saved when any row is bad: the import runs in one transaction that is rolled back on any error.
"""

import datetime
from collections import Counter

from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, MultipleObjectsReturned, ValidationError
from import_export import resources, widgets
from import_export.fields import Field

from registry.models import Gender, Person, Unit, UnitKind
from registry.models.units import PARTY_KINDS
from registry.terms import lazy_text
from registry.text import normalize_vi, search_key
from registry.unit_tree import (
    INTO_OWN_SUBTREE,
    add_unit,
    kind_change_error,
    move_error,
    move_unit,
    parent_error,
    parent_path,
)

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def _text(value) -> str:
    """A cell as NFC text; whole numbers typed in Excel (1234.0) come back without the decimal part."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_vi(str(value)).strip()


class TextWidget(widgets.Widget):
    """Text in NFC, trimmed, inner runs of spaces collapsed."""

    def clean(self, value, row=None, **kwargs):
        return " ".join(_text(value).split())

    def render(self, value, obj=None, **kwargs):
        return value or ""


class PhoneWidget(TextWidget):
    """A phone number; Excel drops the leading 0 of a number typed as a number (912345678 → 0912345678)."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value)
        if isinstance(value, int | float) and len(text) == 9:
            text = "0" + text
        return text


class IntegerWidget(widgets.Widget):
    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(".", "").replace(" ", "")
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(f"{self.label} phải là số nguyên không âm, không phải “{_text(value)}”.")
        return int(text)


class YesNoWidget(widgets.Widget):
    """Có / không, x / trống, 1 / 0, true / false; an empty cell is "không"."""

    YES = {"x", "co", "1", "true", "dung", "yes", "dang vien", "la dang vien"}
    NO = {"", "khong", "0", "false", "sai", "no"}

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        key = search_key(_text(value))
        if key in self.YES:
            return True
        if key in self.NO:
            return False
        raise ValueError(f"{self.label}: ghi “có” hoặc “không” (hoặc x / để trống), không phải “{_text(value)}”.")


class DateWidget(widgets.Widget):
    """A date typed dd/mm/yyyy, or a date cell of the spreadsheet."""

    def __init__(self, label: str):
        super().__init__()
        self.label = label

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        for fmt in DATE_FORMATS:
            try:
                return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 - a calendar date, no time zone
            except ValueError:
                continue
        raise ValueError(
            f"{self.label} “{text}” không phải là ngày hợp lệ; hãy ghi theo dạng dd/mm/yyyy, ví dụ 05/03/2025."
        )

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""


class ChoiceWidget(widgets.Widget):
    """One of a TextChoices, written as its code ("chi_bo") or its label ("Chi bộ trực thuộc"), diacritics optional."""

    def __init__(self, choices, label: str, *, required: bool = True):
        super().__init__()
        self.label = label
        self.required = required
        self.choices = choices
        self.codes = ", ".join(choices.values)

    @property
    def lookup(self) -> dict:
        # Built on use, not at import: a label may be a guidance's name (registry.terms), read from the database.
        lookup = {}
        for value, text in self.choices.choices:
            lookup[search_key(value)] = value
            lookup[search_key(str(text))] = value
        return lookup

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            if self.required:
                raise ValueError(f"Chưa ghi {self.label.lower()}.")
            return ""
        key = search_key(text)
        value = self.lookup.get(key) or self.lookup.get(key.replace(" ", "_"))
        if value is None:
            raise ValueError(f"{self.label} “{text}” không hợp lệ; hãy dùng một trong: {self.codes}.")
        return value


class UnitCodeWidget(widgets.Widget):
    """A unit named by its code; ``party_only`` accepts only party organisations (a chi bộ sinh hoạt)."""

    def __init__(self, label: str, *, party_only: bool = False):
        super().__init__()
        self.label = label
        self.party_only = party_only

    def clean(self, value, row=None, **kwargs):
        code = _text(value)
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise ValueError(f"Không tìm thấy đơn vị có mã “{code}” ({self.label.lower()}).")
        if self.party_only and unit.kind not in PARTY_KINDS:
            raise ValueError(
                f"Đơn vị “{unit.name}” ({code}) không phải là tổ chức đảng, không thể là {self.label.lower()}."
            )
        return unit

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class VietnameseResource(resources.ModelResource):
    """Shared behaviour: Vietnamese column headings, required columns, all-or-nothing import, labelled errors."""

    #: column code → Vietnamese heading, in file order
    columns: dict[str, str] = {}
    #: columns a file must have (cells may still be empty where the model allows it)
    required_columns: tuple[str, ...] = ()
    #: column code → what to write in it, shown on the import page
    notes: dict[str, str] = {}
    #: model fields that the import does not set and full_clean must not check
    unchecked_fields: tuple[str, ...] = ()

    @classmethod
    def column_help(cls) -> list[tuple[str, str, str]]:
        return [(code, heading, cls.notes.get(code, "")) for code, heading in cls.columns.items()]

    @classmethod
    def canonical_header(cls, header) -> str:
        """Map "Mã đơn vị", "ma don vi", "MA_DON_VI" or "code" to the column code."""
        key = search_key(_text(header)).replace("_", " ")
        for code, heading in cls.columns.items():
            if key in (code.replace("_", " "), search_key(heading)):
                return code
        return _text(header)

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        # A half-imported tree is worse than none: roll back when any row is invalid, not only on exceptions.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, dry_run, raise_errors, use_transactions, **kwargs)

    def before_import(self, dataset, **kwargs):
        dataset.headers = [self.canonical_header(h) for h in dataset.headers or []]
        # Spreadsheets often end with formatted but empty rows; they are not data.
        while len(dataset) and all(_text(value) == "" for value in dataset[-1]):
            del dataset[-1]
        missing = [f"{code} ({self.columns[code]})" for code in self.required_columns if code not in dataset.headers]
        if missing:
            # Without these columns every row would fail the same way; report once, import nothing.
            while len(dataset):
                del dataset[0]
            raise ValueError("Tệp thiếu cột bắt buộc: " + "; ".join(missing) + ".")
        self.check_file(dataset)

    def check_file(self, dataset) -> None:
        """Checks across rows, before any row is imported; raise ValueError with a Vietnamese message."""

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        if result.validation_error is not None and hasattr(result.validation_error, "error_dict"):
            result.validation_error = ValidationError(
                {self.error_label(key): errors for key, errors in result.validation_error.error_dict.items()}
            )
        return result

    def error_label(self, key: str) -> str:
        """'birth_date' → 'Ngày sinh (cột birth_date)': errors name the column the user typed in."""
        if key == NON_FIELD_ERRORS:
            return key
        column = next((f.column_name for f in self.fields.values() if key in (f.attribute, f.column_name)), key)
        heading = self.columns.get(column)
        if heading is None:
            try:
                heading = str(self._meta.model._meta.get_field(key).verbose_name).capitalize()
            except FieldDoesNotExist:
                return key
        return f"{heading} (cột {column})" if column in self.columns else heading

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        try:
            instance.full_clean(exclude=[*errors, *self.unchecked_fields], validate_unique=validate_unique)
        except ValidationError as e:
            # A column that could not be read already has its message; the model's follow-up complaint about
            # the same field (e.g. "a member needs a chi bộ" after an unknown chi bộ code) would only confuse.
            for key, messages in e.update_error_dict({}).items():
                errors.setdefault(key, messages)
        if errors:
            raise ValidationError(errors)


class UnitResource(VietnameseResource):
    """Units by code: a new code creates the unit under ``parent_code`` (empty only for a Đảng bộ Khối), a known
    code updates it and moves it when its parent changed. A parent may be created by an earlier row of the file."""

    columns = {
        "code": "Mã đơn vị",
        "name": "Tên đơn vị",
        "kind": "Loại đơn vị",
        "parent_code": "Mã đơn vị cấp trên",
        "leading_body": "Cơ quan lãnh đạo",
        "abbreviation": "Ký hiệu viết tắt",
        "place_name": "Địa danh",
        "header_line": "Dòng trên tên đơn vị",
        "member_count": "Số đảng viên",
        "has_standing_committee": "Có Ban Thường vụ",
        "is_active": "Đang hoạt động",
    }
    required_columns = ("code", "name", "kind", "parent_code")
    notes = {
        "code": "Không trùng; đơn vị đã có mã này sẽ được cập nhật.",
        "kind": "khoi, dang_bo_co_so, chi_bo_co_so, chi_bo, ban, co_quan, doan_the (hoặc tên loại).",
        "parent_code": lazy_text("Để trống chỉ với {top_body}; đơn vị cấp trên phải có sẵn hoặc ở dòng phía trên."),
        "member_count": "Số nguyên, có thể để trống.",
        "has_standing_committee": "có / không.",
        "is_active": "có / không; để trống là không.",
    }
    unchecked_fields = ("path", "depth", "numchild")

    code = Field(attribute="code", column_name="code", widget=TextWidget())
    name = Field(attribute="name", column_name="name", widget=TextWidget())
    kind = Field(attribute="kind", column_name="kind", widget=ChoiceWidget(UnitKind, "Loại đơn vị"))
    # Kept on the instance for the preview; the parent itself is resolved in import_instance().
    parent_code = Field(attribute="_import_parent_code", column_name="parent_code", widget=TextWidget())
    leading_body = Field(attribute="leading_body", column_name="leading_body", widget=TextWidget())
    abbreviation = Field(attribute="abbreviation", column_name="abbreviation", widget=TextWidget())
    place_name = Field(attribute="place_name", column_name="place_name", widget=TextWidget())
    header_line = Field(attribute="header_line", column_name="header_line", widget=TextWidget())
    member_count = Field(attribute="member_count", column_name="member_count", widget=IntegerWidget("Số đảng viên"))
    has_standing_committee = Field(
        attribute="has_standing_committee", column_name="has_standing_committee", widget=YesNoWidget("Có Ban Thường vụ")
    )
    is_active = Field(attribute="is_active", column_name="is_active", widget=YesNoWidget("Đang hoạt động"))

    class Meta:
        model = Unit
        fields = (
            "code",
            "name",
            "kind",
            "parent_code",
            "leading_body",
            "abbreviation",
            "place_name",
            "header_line",
            "member_count",
            "has_standing_committee",
            "is_active",
        )
        import_id_fields = ("code",)
        clean_model_instances = True
        skip_diff = False

    @classmethod
    def get_display_name(cls):
        return "Đơn vị"

    def check_file(self, dataset):
        codes = [_text(row.get("code")) for row in dataset.dict]
        twice = sorted(code for code, n in Counter(codes).items() if code and n > 1)
        if twice:
            raise ValueError("Mã đơn vị xuất hiện nhiều lần trong tệp: " + ", ".join(twice) + ".")

    def import_instance(self, instance, row, **kwargs):
        original_kind = instance.kind if instance.pk else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if not instance.code and "code" not in errors:
            errors["code"] = ["Chưa ghi mã đơn vị."]
        parent, not_found = self._parent(instance, row)
        moves = instance.pk and parent is not None and parent_path(instance.path) != parent.path
        if not_found:
            errors["parent_code"] = [not_found]
        elif "kind" not in errors:
            if original_kind and (problem := kind_change_error(original_kind, instance.kind)):
                errors["kind"] = [problem]
            elif problem := parent_error(instance.kind, parent) or (moves and move_error(instance, parent)):
                errors["parent_code"] = [problem]
        instance._import_parent = parent
        if errors:
            raise ValidationError(errors)

    def _parent(self, instance, row) -> tuple[Unit | None, str | None]:
        code = _text(row.get("parent_code"))
        if not code:
            return None, None
        parent = Unit.objects.filter(code=code).first()
        if parent is None:
            return None, (
                f"Không tìm thấy đơn vị cấp trên có mã “{code}”; "
                "đơn vị cấp trên phải có sẵn hoặc nằm ở một dòng phía trên trong tệp."
            )
        if instance.pk and parent.is_within(instance):
            return None, INTO_OWN_SUBTREE
        return parent, None

    def do_instance_save(self, instance, is_create):
        # Treebeard computes path and depth: a new unit is added under its parent, a known one is saved, then
        # moved when its parent changed (its kind cannot cross the Khối boundary, so saving first is safe).
        parent = getattr(instance, "_import_parent", None)
        if is_create:
            add_unit(instance, parent)
            return
        instance.save()
        if parent is not None and parent_path(instance.path) != parent.path:
            move_unit(instance, parent, "sorted-child")


class PersonResource(VietnameseResource):
    """People keyed by họ tên + ngày sinh + đơn vị công tác: the same person imported again is updated."""

    columns = {
        "full_name": "Họ và tên",
        "birth_date": "Ngày sinh",
        "gender": "Giới tính",
        "position": "Chức vụ",
        "work_unit_code": "Mã đơn vị công tác",
        "is_party_member": "Là đảng viên",
        "party_cell_code": "Mã chi bộ sinh hoạt",
        "party_join_date": "Ngày vào Đảng",
        "party_card_number": "Số thẻ đảng viên",
        "phone": "Điện thoại",
    }
    required_columns = ("full_name", "birth_date", "work_unit_code", "is_party_member")
    notes = {
        "birth_date": "dd/mm/yyyy, ví dụ 05/03/1985; có thể để trống.",
        "gender": "Nam / Nữ.",
        "work_unit_code": "Mã của cơ quan, đơn vị nơi công tác (đã có trong danh mục đơn vị).",
        "is_party_member": "có / không.",
        "party_cell_code": "Chỉ với đảng viên: mã chi bộ nơi sinh hoạt.",
        "party_join_date": "Chỉ với đảng viên: dd/mm/yyyy.",
    }

    full_name = Field(attribute="full_name", column_name="full_name", widget=TextWidget())
    birth_date = Field(attribute="birth_date", column_name="birth_date", widget=DateWidget("Ngày sinh"))
    gender = Field(attribute="gender", column_name="gender", widget=ChoiceWidget(Gender, "Giới tính", required=False))
    position = Field(attribute="position", column_name="position", widget=TextWidget())
    work_unit_code = Field(
        attribute="work_unit", column_name="work_unit_code", widget=UnitCodeWidget("Đơn vị công tác")
    )
    is_party_member = Field(
        attribute="is_party_member", column_name="is_party_member", widget=YesNoWidget("Là đảng viên")
    )
    party_cell_code = Field(
        attribute="party_cell",
        column_name="party_cell_code",
        widget=UnitCodeWidget("Chi bộ sinh hoạt", party_only=True),
    )
    party_join_date = Field(
        attribute="party_join_date", column_name="party_join_date", widget=DateWidget("Ngày vào Đảng")
    )
    party_card_number = Field(attribute="party_card_number", column_name="party_card_number", widget=TextWidget())
    phone = Field(attribute="phone", column_name="phone", widget=PhoneWidget())

    class Meta:
        model = Person
        fields = (
            "full_name",
            "birth_date",
            "gender",
            "position",
            "work_unit_code",
            "is_party_member",
            "party_cell_code",
            "party_join_date",
            "party_card_number",
            "phone",
        )
        import_id_fields = ("full_name", "birth_date", "work_unit_code")
        clean_model_instances = True

    @classmethod
    def get_display_name(cls):
        return "Cá nhân"

    def get_instance(self, instance_loader, row):
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            # A bad name, date or unit code: the row's own cleaning reports it, column by column.
            return None
        except MultipleObjectsReturned:
            raise ValidationError(
                "Có nhiều người cùng họ tên, ngày sinh và đơn vị công tác trong danh mục; hãy sửa trực tiếp trong "
                "trang quản trị."
            ) from None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as e:
            errors = e.update_error_dict(errors)
        if not instance.full_name and "full_name" not in errors:
            errors["full_name"] = ["Chưa ghi họ và tên."]
        if not instance.work_unit_id and "work_unit" not in errors:
            errors["work_unit"] = ["Chưa ghi mã đơn vị công tác."]
        if errors:
            raise ValidationError(errors)
