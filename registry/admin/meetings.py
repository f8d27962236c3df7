"""Confirmation meetings, appraisals and printed documents.

They are made in the portal; the admin shows them and lets staff correct typing. A meeting whose results were
applied, a submitted appraisal and a locked document are read-only here.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from registry.admin.base import PortalRecordAdminMixin, ReadOnlyInline
from registry.models import Appraisal, AppraisalScore, Document, Meeting, MeetingEntry


class MeetingEntryInline(admin.TabularInline):
    """Votes may be corrected before the results are recorded; which entries a meeting decides is the portal's."""

    model = MeetingEntry
    extra = 0
    fields = ("registration", "votes_for", "votes_against", "passed")
    readonly_fields = ("registration", "passed")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("registration")


@admin.register(Meeting)
class MeetingAdmin(PortalRecordAdminMixin, admin.ModelAdmin):
    list_display = ("held_on", "unit", "purpose", "year", "members_total", "members_present", "recorded_at")
    list_select_related = ("unit", "year")
    list_filter = ("year", "purpose")
    search_fields = ("unit__name", "body", "place")
    autocomplete_fields = ("unit",)
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    readonly_fields = ("recorded_at", "recorded_by")
    inlines = (MeetingEntryInline,)
    fieldsets = (
        (None, {"fields": ("unit", "body", "year", "purpose", "held_on", "place")}),
        (
            "Thành phần",
            {"fields": ("members_total", "members_present", "absence_note", "chair_name", "secretary_name")},
        ),
        ("Biểu quyết", {"fields": ("voting_method", "pass_rule", "conclusion", "recorded_at", "recorded_by")}),
    )

    def has_change_permission(self, request, obj=None):
        # Once the results were applied to the statuses, the record is final.
        if obj is not None and obj.recorded_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.recorded_at is not None:
            return False
        return super().has_delete_permission(request, obj)


class AppraisalScoreInline(ReadOnlyInline):
    model = AppraisalScore
    fields = ("criterion", "met", "score")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(Appraisal)
class AppraisalAdmin(PortalRecordAdminMixin, admin.ModelAdmin):
    scope_path_lookup = "registration__unit__path"
    # Appraisals are scored in the portal by the appraising body's staff; here they are read only.

    list_display = ("registration", "appraiser", "total_score", "criteria_met", "file_complete", "submitted_at")
    list_select_related = ("registration", "appraiser")
    search_fields = ("registration__title", "appraiser__username")
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    fields = (
        "registration",
        "appraiser",
        "file_complete",
        "comment",
        "total_score",
        "criteria_met",
        "submitted_at",
    )
    readonly_fields = fields
    inlines = (AppraisalScoreInline,)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        # The signed scan is uploaded in the portal, which checks its content and locks the document.
        fields = ("number", "issued_on", "signer_authority", "signer_title", "signer_name", "subject")

    def clean_number(self):
        # The unit and year are read-only here, so the database's unique constraint is checked by hand.
        number = self.cleaned_data["number"]
        doc = self.instance
        if (
            number
            and Document.objects.filter(issuing_unit_id=doc.issuing_unit_id, year=doc.year, number=number)
            .exclude(pk=doc.pk)
            .exists()
        ):
            raise ValidationError("Số văn bản này đơn vị đã dùng trong năm.", code="duplicate_number")
        return number


@admin.register(Document)
class DocumentAdmin(PortalRecordAdminMixin, admin.ModelAdmin):
    scope_path_lookup = "issuing_unit__path"
    form = DocumentForm
    list_display = ("__str__", "issuing_unit", "issued_on", "subject", "verification_code", "locked_at")
    list_select_related = ("issuing_unit",)
    list_filter = ("form_code",)
    search_fields = ("number", "subject", "verification_code")
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    readonly_fields = (
        "form_code",
        "issuing_unit",
        "year",
        "registration",
        "meeting",
        "verification_code",
        "scan",
        "snapshot",
        "locked_at",
        "created_by",
        "created_at",
        "sha256",
        "snapshot_sha256",
        "sealed_by",
        "sealed_by_issuer",
        "sealed_at",
        "seal_is_test",
        "signed_pdf",
        "signed_by",
        "signed_by_issuer",
        "signed_at",
    )
    fieldsets = (
        (None, {"fields": ("form_code", "issuing_unit", "year", "registration", "meeting")}),
        ("Số, ngày, người ký", {"fields": ("number", "issued_on", "signer_authority", "signer_title", "signer_name")}),
        ("Nội dung", {"fields": ("subject", "scan", "verification_code", "locked_at", "snapshot")}),
        (
            "Chữ ký số",
            {
                "fields": (
                    ("sealed_by", "sealed_by_issuer", "sealed_at", "seal_is_test"),
                    ("signed_pdf", "signed_by", "signed_by_issuer", "signed_at"),
                    ("sha256", "snapshot_sha256"),
                )
            },
        ),
        ("Thông tin hệ thống", {"classes": ("collapse",), "fields": ("created_by", "created_at")}),
    )

    def has_add_permission(self, request):
        # Documents are issued from the portal, which freezes their content.
        return False

    def has_change_permission(self, request, obj=None):
        # A signed document's number, date and signer are in its signed bytes: they are not changed afterwards.
        if obj is not None and (obj.is_locked or obj.is_sealed):
            return False
        return super().has_change_permission(request, obj)
