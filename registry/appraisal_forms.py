"""Forms of the appraisal pages: the scoring sheet of one entry, the year picker of the ranking and the print form of
Mẫu 7 / 7a. They validate input only; the rules live in ``registry.appraisals``."""

import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Fieldset, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError

from registry.appraisals import MISSING_SCORE, NEGATIVE_SCORE, WRONG_GROUP, max_score_message
from registry.models import Appraisal, Criterion, Year
from registry.years import YearField, current_year

YES_NO = [("1", "Đạt"), ("0", "Không đạt")]
COMPLETE = [("1", "Đầy đủ"), ("0", "Thiếu")]
_CRITERION_KEY = re.compile(r"^(met|score)_(\d+)$")
SUBMIT_NAME = "nop"
SAVE_NAME = "luu"


class OutlineSubmit(Submit):
    """A secondary submit button: crispy's Submit always adds ``btn-primary``, whose blue background under
    ``btn-outline-primary``'s blue text leaves the label unreadable."""

    field_classes = "btn"


def _to_bool(value: str) -> bool:
    return value == "1"


class AppraisalForm(forms.Form):
    """One appraiser's sheet: hồ sơ đầy đủ / thiếu, then per criterion đạt / không đạt and a score 0..max, comment.

    ``submitting`` (the "Nộp phiếu" button) makes every criterion required; a draft may leave some blank.
    """

    file_complete = forms.TypedChoiceField(
        label="Hồ sơ",
        choices=COMPLETE,
        coerce=_to_bool,
        widget=forms.RadioSelect,
        error_messages={"required": "Vui lòng cho biết hồ sơ đầy đủ hay còn thiếu."},
    )
    comment = forms.CharField(
        label="Nhận xét", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, data=None, *, criteria: list[Criterion], instance: Appraisal | None = None, **kwargs):
        super().__init__(data, **kwargs)
        self.criteria = criteria
        self.submitting = bool(data) and SUBMIT_NAME in data
        if instance is not None:
            self.initial["file_complete"] = "1" if instance.file_complete else "0"
            self.initial["comment"] = instance.comment
            for score in instance.scores.all():
                self.initial[f"met_{score.criterion_id}"] = "1" if score.met else "0"
                self.initial[f"score_{score.criterion_id}"] = score.score
        fieldsets = []
        for c in criteria:
            self.fields[f"met_{c.pk}"] = forms.TypedChoiceField(
                label=f"Tiêu chí {c.number}: {c.text}",
                choices=YES_NO,
                coerce=_to_bool,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"Điểm tiêu chí {c.number} (0–{c.max_score})",
                min_value=0,
                max_value=c.max_score,
                required=False,
                error_messages={
                    "max_value": max_score_message(c.max_score),
                    "min_value": NEGATIVE_SCORE,
                    "invalid": "Vui lòng nhập điểm là một số nguyên.",
                },
            )
            fieldsets.append(
                Fieldset(
                    f"Tiêu chí {c.number} – tối đa {c.max_score} điểm",
                    Row(Column(f"met_{c.pk}", css_class="col-md-8"), Column(f"score_{c.pk}", css_class="col-md-4")),
                    css_class="border rounded p-2 mb-3",
                )
            )
        self.helper = FormHelper()
        self.helper.form_id = "phieu-tham-dinh"
        self.helper.layout = Layout("file_complete", *fieldsets, "comment")
        self.helper.add_input(OutlineSubmit(SAVE_NAME, "Lưu nháp", css_class="btn-outline-primary"))
        self.helper.add_input(Submit(SUBMIT_NAME, "Nộp phiếu thẩm định", css_class="btn-danger"))

    def clean_comment(self):
        return unicodedata.normalize("NFC", self.cleaned_data["comment"]).strip()

    def clean(self):
        cleaned = super().clean()
        own = {c.pk for c in self.criteria}
        # A criterion of the other group (or none at all) posted by hand is refused, not silently ignored.
        for key in self.data:
            match = _CRITERION_KEY.match(key)
            if match and int(match.group(2)) not in own:
                raise ValidationError(WRONG_GROUP, code="wrong_group")
        if self.submitting:
            for c in self.criteria:
                for name in (f"met_{c.pk}", f"score_{c.pk}"):
                    if name not in self.errors and cleaned.get(name) is None:
                        self.add_error(name, MISSING_SCORE)
        return cleaned

    @property
    def scores(self) -> dict[int, tuple[bool | None, int | None]]:
        """Criterion pk → (met, score) as entered (None where left blank)."""
        return {
            c.pk: (self.cleaned_data.get(f"met_{c.pk}"), self.cleaned_data.get(f"score_{c.pk}")) for c in self.criteria
        }


class YearForm(forms.Form):
    """The year of the appraisal list and the ranking (GET ``nam``); the current year when none is given."""

    nam = YearField()

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        year = current_year()
        self.initial.setdefault("nam", year.year if year else None)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_id = "chon-nam"
        # One flex line, no grid row: a row's negative gutter indented "Năm" from the heading, and the field's own
        # bottom margin left "Xem" higher than the page's buttons beside the form (ranking, appraisal list).
        self.helper.form_class = "d-flex flex-wrap gap-2 align-items-end"
        self.helper.layout = Layout(
            Field("nam", wrapper_class="filter-field"), Submit("xem", "Xem", css_class="btn-primary")
        )

    def year(self) -> Year | None:
        """The chosen year; the default one when the GET has none; None when invalid or no year exists."""
        if not self.is_bound:
            value = self.initial.get("nam")
            return Year.objects.filter(year=value).first() if value else None
        return self.cleaned_data["nam"] if self.is_valid() else None


class PrintForm(forms.Form):
    """Which entries Mẫu 7 / 7a propose: those ticked in the ranking, or every entry whose mean reaches a threshold.
    Number, date and signer are confirmed on the paper's issue page."""

    nam = YearField()
    de_xuat = forms.TypedMultipleChoiceField(label="Đề xuất", coerce=int, required=False, choices=[])
    diem_toi_thieu = forms.DecimalField(
        label="Hoặc đề xuất mọi hồ sơ có điểm bình quân từ",
        required=False,
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        error_messages={
            "invalid": "Điểm tối thiểu phải là một số.",
            "min_value": "Điểm tối thiểu phải từ 0 đến 100.",
            "max_value": "Điểm tối thiểu phải từ 0 đến 100.",
            "max_digits": "Điểm tối thiểu phải từ 0 đến 100.",
            "max_decimal_places": "Điểm tối thiểu có nhiều nhất 2 chữ số thập phân.",
        },
    )

    def __init__(self, data=None, *, entry_ids: list[int], **kwargs):
        super().__init__(data, **kwargs)
        self.fields["de_xuat"].choices = [(pk, str(pk)) for pk in entry_ids]
        self.fields["de_xuat"].error_messages["invalid_choice"] = "Hồ sơ được chọn không có trong bảng xếp hạng."

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("de_xuat") and cleaned.get("diem_toi_thieu") is None and "diem_toi_thieu" not in self.errors:
            raise ValidationError(
                "Vui lòng đánh dấu ít nhất một hồ sơ ở cột “Đề xuất” hoặc nhập điểm bình quân tối thiểu.",
                code="nothing_chosen",
            )
        return cleaned

    def chosen(self, entries) -> set[int]:
        """The pks of the entries proposed: those ticked, plus those whose mean reaches the threshold."""
        ticked = set(self.cleaned_data.get("de_xuat") or [])
        threshold = self.cleaned_data.get("diem_toi_thieu")
        if threshold is not None:
            ticked |= {e.registration.pk for e in entries if not e.hidden and e.mean >= threshold}
        return ticked
