"""Forms of the yearly review (Mẫu 4) and the owner's reports (Mẫu 5, 6). They validate input only; the rules live
in ``registry.reviews`` and ``registry.permissions``.

Each criterion of the subject's group is one radio field named ``tieu_chi_<pk>`` (đạt / chưa đạt); a posted
``tieu_chi_<pk>`` of another group or of no criterion at all is a form error, never silently ignored.
"""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms

from registry.document_forms import Mau3Form
from registry.forms import MSG_CHOOSE, MSG_MAX_LENGTH, MSG_REQUIRED, TEXT_MAX_LENGTH, NFCCharField
from registry.models import Criterion, OwnerReport, Proposal, UnitReviewReport, YearlyReview

CRITERION_PREFIX = "tieu_chi_"
NOTE_PREFIX = "ghi_chu_"
MET_CHOICES = [("dat", "Đạt"), ("chua_dat", "Chưa đạt")]
MSG_FOREIGN_CRITERION = "Tiêu chí không hợp lệ: chỉ đánh giá các tiêu chí áp dụng cho mô hình này."
MSG_MET_REQUIRED = "Vui lòng chọn Đạt hoặc Chưa đạt."
MSG_MET_INVALID = "Vui lòng chọn Đạt hoặc Chưa đạt."


def _text(label: str, *, required: bool = False, rows: int = 4, max_length: int = TEXT_MAX_LENGTH, help_text=""):
    field = NFCCharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
    )
    field.error_messages.update({"required": MSG_REQUIRED, "max_length": MSG_MAX_LENGTH})
    return field


class CriteriaMixin:
    """Adds one đạt / chưa đạt radio per criterion (and, with ``with_notes``, a note) and rejects foreign ones."""

    with_notes = False

    def add_criteria(self, criteria: list[Criterion], initial: dict[int, tuple[bool, str]]) -> None:
        self.criteria = criteria
        for c in criteria:
            met, note = initial.get(c.pk, (None, ""))
            field = forms.ChoiceField(
                label=f"Tiêu chí {c.number}: {c.text}",
                choices=MET_CHOICES,
                widget=forms.RadioSelect,
                initial=None if met is None else ("dat" if met else "chua_dat"),
            )
            field.error_messages.update({"required": MSG_MET_REQUIRED, "invalid_choice": MSG_MET_INVALID})
            self.fields[f"{CRITERION_PREFIX}{c.pk}"] = field
            if self.with_notes:
                self.fields[f"{NOTE_PREFIX}{c.pk}"] = _text(
                    f"Minh chứng, ghi chú (tiêu chí {c.number})", rows=0, max_length=500
                )
                self.fields[f"{NOTE_PREFIX}{c.pk}"].initial = note

    def criterion_names(self) -> list[str]:
        names = []
        for c in self.criteria:
            names.append(f"{CRITERION_PREFIX}{c.pk}")
            if self.with_notes:
                names.append(f"{NOTE_PREFIX}{c.pk}")
        return names

    def check_foreign_criteria(self) -> None:
        known = {f"{CRITERION_PREFIX}{c.pk}" for c in self.criteria}
        known |= {f"{NOTE_PREFIX}{c.pk}" for c in self.criteria}
        posted = [key for key in self.data if key.startswith((CRITERION_PREFIX, NOTE_PREFIX))]
        if any(key not in known for key in posted):
            self.add_error(None, forms.ValidationError(MSG_FOREIGN_CRITERION, code="foreign_criterion"))

    def assessments(self) -> dict[int, tuple[bool, str]]:
        """criterion pk → (met, note) from the cleaned data."""
        return {
            c.pk: (
                self.cleaned_data[f"{CRITERION_PREFIX}{c.pk}"] == "dat",
                self.cleaned_data.get(f"{NOTE_PREFIX}{c.pk}", "") if self.with_notes else "",
            )
            for c in self.criteria
        }


class ReviewUnitForm(Mau3Form):
    """Which review to show: a party unit of the user's scope (``don_vi``) and the year (``nam``)."""

    def __init__(self, data=None, *, user, **kwargs):
        super().__init__(data, user=user, **kwargs)
        self.fields["don_vi"].help_text = "Gồm các mô hình của đơn vị này và các đơn vị trực thuộc."
        self.helper.form_id = "chon-ra-soat"
        self.helper.layout = Layout(
            Row(Column("don_vi", css_class="col-md-8"), Column("nam", css_class="col-md-2")),
            HTML('<button type="submit" class="btn btn-primary" id="xem-ra-soat">Xem rà soát</button>'),
        )


class YearlyReviewForm(CriteriaMixin, forms.ModelForm):
    """One model's review for a year: results, self-assessment per criterion, proposal and note."""

    class Meta:
        model = YearlyReview
        fields = ["results", "proposal", "note"]

    def __init__(self, *args, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["results"] = _text("Kết quả, sản phẩm đạt được", required=True, rows=5)
        self.fields["note"] = _text("Ghi chú", rows=0, max_length=255)
        proposal = self.fields["proposal"]
        proposal.label = "Đề xuất"
        proposal.widget = forms.RadioSelect(choices=Proposal.choices)
        proposal.error_messages.update({"required": MSG_CHOOSE, "invalid_choice": "Đề xuất không hợp lệ."})
        initial = {}
        if self.instance.pk:
            initial = {a.criterion_id: (a.met, "") for a in self.instance.assessments.all()}
        self.add_criteria(criteria, initial)
        self.helper = FormHelper()
        self.helper.form_id = "form-ra-soat"
        self.helper.layout = Layout(
            "results",
            Fieldset("Tự đánh giá theo tiêu chí", *self.criterion_names()),
            "proposal",
            "note",
        )
        self.helper.add_input(Submit("save", "Lưu rà soát"))

    def clean(self):
        cleaned = super().clean()
        self.check_foreign_criteria()
        return cleaned


class UnitReviewReportForm(forms.ModelForm):
    """The narrative sections of the unit's Mẫu 4 (the numbers are computed)."""

    class Meta:
        model = UnitReviewReport
        fields = ["leadership", "outstanding", "limitations", "directions"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leadership"] = _text("I. Công tác lãnh đạo, chỉ đạo, triển khai")
        self.fields["outstanding"] = _text("II.3. Mô hình tiêu biểu")
        self.fields["limitations"] = _text("III. Hạn chế, nguyên nhân")
        self.fields["directions"] = _text("IV. Phương hướng, đề xuất")
        self.helper = FormHelper()
        self.helper.form_id = "form-bao-cao-ra-soat"
        self.helper.add_input(Submit("save_report", "Lưu nội dung báo cáo"))


class OwnerReportForm(CriteriaMixin, forms.ModelForm):
    """Mẫu 5 / Mẫu 6 of the model's owner: texts and a self-assessment (with a note) per criterion."""

    with_notes = True

    class Meta:
        model = OwnerReport
        fields = ["summary", "results", "lessons", "proposal"]

    LABELS = {
        "mau_5": {
            "summary": "Đặc điểm, tình hình",
            "results": "Kết quả thực hiện mô hình",
            "lessons": "Bài học kinh nghiệm",
            "proposal": "Đề nghị",
        },
        "mau_6": {
            "summary": "I. Sơ lược đặc điểm, tình hình",
            "results": "II. Thành tích đạt được",
            "lessons": "Bài học kinh nghiệm",
            "proposal": "III. Đề nghị",
        },
    }

    def __init__(self, *args, kind: str, criteria: list[Criterion], **kwargs):
        super().__init__(*args, **kwargs)
        labels = self.LABELS[kind]
        for name in self.Meta.fields:
            self.fields[name] = _text(labels[name], required=name == "results", rows=6 if name == "results" else 4)
        initial = {}
        if self.instance.pk:
            initial = {a.criterion_id: (a.met, a.note) for a in self.instance.assessments.all()}
        self.add_criteria(criteria, initial)
        self.helper = FormHelper()
        self.helper.form_id = "form-bao-cao-chu-the"
        self.helper.layout = Layout(
            "summary",
            "results",
            Fieldset("Tự đánh giá theo tiêu chí", *self.criterion_names()),
            "lessons",
            "proposal",
        )
        self.helper.add_input(Submit("save", "Lưu báo cáo"))

    def clean(self):
        cleaned = super().clean()
        self.check_foreign_criteria()
        return cleaned
