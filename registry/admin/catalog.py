"""Years and their deadlines, lĩnh vực, criteria and the fixed wording of the printed forms: changed by superusers
only, read by other staff who hold the view permission (``CatalogueAdminMixin``)."""

from django import forms
from django.contrib import admin
from django.utils.text import Truncator

from registry.admin.base import CatalogueAdminMixin
from registry.models import Criterion, Field, FormText, Guidance, Year
from registry.models.guidance import DEADLINES
from registry.papers import wording

DEADLINE_FIELDS = tuple(DEADLINES)
FROM_GUIDANCE = "Để trống: lấy hạn thường lệ của hướng dẫn áp dụng."


class YearForm(forms.ModelForm):
    """A deadline left empty is the usual one of the year's guidance (``Guidance.deadlines_for``), so a new year
    needs only its number and its guidance."""

    class Meta:
        model = Year
        fields = ("year", "guidance", "is_open", *DEADLINES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DEADLINE_FIELDS:
            if name in self.fields:
                self.fields[name].required = False
                self.fields[name].help_text = FROM_GUIDANCE
        if self.instance.pk is None and "guidance" in self.fields and not self.initial.get("guidance"):
            latest = Guidance.latest()
            self.initial["guidance"] = latest.pk if latest else None

    def clean(self):
        data = super().clean()
        guidance, number = data.get("guidance"), data.get("year")
        if guidance is not None and number:
            usual = guidance.deadlines_for(number)
            for name in DEADLINE_FIELDS:
                if name in self.fields and data.get(name) is None and name not in self.errors:
                    data[name] = usual[name]
        return data


@admin.register(Year)
class YearAdmin(CatalogueAdminMixin, admin.ModelAdmin):
    form = YearForm
    list_display = (
        "year",
        "guidance",
        "registration_deadline_base",
        "registration_deadline_khoi",
        "review_deadline_base",
        "review_deadline_khoi",
        "is_open",
    )
    list_filter = ("is_open",)
    fieldsets = (
        (None, {"fields": ("year", "guidance", "is_open")}),
        ("Hạn đăng ký", {"fields": ("registration_deadline_base", "registration_deadline_khoi")}),
        ("Hạn rà soát, xác nhận", {"fields": ("review_deadline_base", "review_deadline_khoi")}),
        ("Hạn báo cáo", {"fields": ("report_half_year_deadline", "report_annual_deadline")}),
    )


@admin.register(Guidance)
class GuidanceAdmin(CatalogueAdminMixin, admin.ModelAdmin):
    """The guidance a year runs under and the names it gives to the bodies (registry.terms): renaming a body after
    a reorganisation is a new guidance here, tied to the years it applies to; papers already issued keep theirs."""

    list_display = ("__str__", "code", "guidance_issuer", "top_body", "appraising_body")
    search_fields = ("code", "guidance_reference", "guidance_issuer", "top_body", "appraising_body")
    fieldsets = (
        (None, {"fields": ("code", "guidance_reference", "guidance_date", "guidance_issuer", "place")}),
        (
            "Tên các cơ quan",
            {
                "fields": (
                    "top_body",
                    "top_short",
                    "top_committee",
                    "standing_committee",
                    "appraising_body",
                    "appraising_body_full",
                )
            },
        ),
        (
            "Hạn thường lệ hằng năm",
            {
                "description": "Năm mới theo hướng dẫn này lấy các hạn này (ngày/tháng). Ngày 29/2 là ngày cuối "
                "tháng 2 (28/2 trong năm không nhuận); mỗi năm vẫn sửa được hạn của mình.",
                "fields": tuple((f"{name}_day", f"{name}_month") for name in DEADLINE_FIELDS),
            },
        ),
    )


@admin.register(Field)
class FieldAdmin(CatalogueAdminMixin, admin.ModelAdmin):
    list_display = ("name", "code", "order")
    list_editable = ("order",)
    search_fields = ("name", "code")
    fields = ("name", "code", "order", "hint")


@admin.register(Criterion)
class CriterionAdmin(CatalogueAdminMixin, admin.ModelAdmin):
    list_display = ("number", "short_text", "group", "guidance", "max_score")
    list_display_links = ("number", "short_text")
    list_filter = ("group", "guidance")
    search_fields = ("text",)
    fields = ("group", "number", "guidance", "text", "max_score")

    @admin.display(description="nội dung tiêu chí")
    def short_text(self, obj):
        return Truncator(obj.text).chars(120)


def _form_choices():
    return [(code, "Mọi biểu mẫu (*)" if code == wording.SHARED else code) for code in wording.forms()]


def _key_choices():
    shared = wording.declared(wording.SHARED)
    return [(key, f"{key} – {Truncator(shared[key].default).chars(70)}") for key in wording.all_keys()]


class FormTextForm(forms.ModelForm):
    """Only declared wording (registry.papers.wording): a form and one of its keys chosen from lists, a sentence
    whose placeholders its builder fills; anything else is refused beside the field, in Vietnamese."""

    form_code = forms.ChoiceField(label="mẫu", choices=_form_choices)
    key = forms.ChoiceField(label="khóa", choices=_key_choices)

    class Meta:
        model = FormText
        fields = ("form_code", "key", "guidance", "text", "note")

    def clean(self):
        data = super().clean()
        if {"form_code", "key", "text"} <= data.keys():
            for field, message in wording.problems(data["form_code"], data["key"], data["text"]).items():
                self.add_error(field, message)
        return data


@admin.register(FormText)
class FormTextAdmin(CatalogueAdminMixin, admin.ModelAdmin):
    form = FormTextForm
    list_display = ("form_code", "key", "short_text", "note")
    list_display_links = ("form_code", "key")
    list_filter = ("form_code", "guidance")
    search_fields = ("form_code", "key", "text", "note")
    fields = ("form_code", "key", "guidance", "text", "note")

    @admin.display(description="nội dung")
    def short_text(self, obj):
        return Truncator(obj.text).chars(120)
