"""Registrations, their status history, evidence and yearly reviews.

Registrations are created in the portal, where the owning and receiving units are derived from the subject
(``registry.receiving``); here staff may correct their wording but never add one, change who registered, or change
the status, which only ``registry.workflow`` writes.
"""

from django.contrib import admin

from registry.admin.base import DiacriticsSearchMixin, PortalRecordAdminMixin, ReadOnlyAdminMixin, ReadOnlyInline
from registry.models import (
    Attachment,
    Registration,
    ReviewAssessment,
    StatusChange,
    UnitReviewReport,
    YearlyReview,
)


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ("at", "action", "from_status", "to_status", "actor", "reason")
    verbose_name_plural = "lịch sử trạng thái"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("original_name", "content_type", "size", "uploaded_by", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")


@admin.register(Registration)
class RegistrationAdmin(PortalRecordAdminMixin, DiacriticsSearchMixin, admin.ModelAdmin):
    list_display = ("title", "subject", "subject_kind", "level", "year", "unit", "receiving_unit", "status")
    list_select_related = ("year", "unit", "receiving_unit", "subject_unit", "subject_person")
    list_filter = ("year", "status", "level", "subject_kind", "field")
    search_fields = ("title",)
    search_text_covers_fields = True
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    inlines = (StatusChangeInline, AttachmentInline)
    # Publishing is the unit's decision on the entry's page, allowed only for exemplars (permissions.can_publish).
    readonly_fields = (
        "status",
        "is_public",
        "submitted_at",
        "year",
        "subject_kind",
        "level",
        "subject_unit",
        "subject_person",
        "unit",
        "receiving_unit",
        "search_text",
        "created_by",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            "Đăng ký",
            {
                "fields": (
                    "status",
                    "submitted_at",
                    "year",
                    "level",
                    "subject_kind",
                    "subject_unit",
                    "subject_person",
                    "unit",
                    "receiving_unit",
                )
            },
        ),
        ("Mô hình", {"fields": ("title", "field", "address", "subject_headcount", "is_public")}),
        (
            "Nội dung",
            {
                "fields": (
                    "situation",
                    "objectives",
                    "indicators",
                    "content",
                    "beneficiaries",
                    "partners",
                    "resources",
                    ("start_date", "end_date"),
                    "milestones",
                    "expected_results",
                    "sustainability",
                )
            },
        ),
        ("Người phụ trách", {"fields": ("lead_name", "lead_position", "lead_phone")}),
        (
            "Thông tin hệ thống",
            {
                "classes": ("collapse",),
                "fields": ("created_by", "created_at", "updated_at", "search_text"),
            },
        ),
    )

    @admin.display(description="tập thể / cá nhân đăng ký")
    def subject(self, obj):
        return obj.subject_name

    def has_add_permission(self, request):
        # Created in the portal, which derives the owning and receiving units from the subject.
        return False


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdminMixin, PortalRecordAdminMixin, admin.ModelAdmin):
    scope_path_lookup = "registration__unit__path"
    """The audit trail: readable, never added to, changed or deleted by hand."""

    list_display = ("at", "registration", "action", "from_status", "to_status", "actor")
    list_select_related = ("registration", "actor")
    list_filter = ("to_status",)
    search_fields = ("registration__title", "actor__username")
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    fields = ("registration", "action", "from_status", "to_status", "actor", "at", "reason")
    readonly_fields = fields


class ReviewAssessmentInline(admin.TabularInline):
    model = ReviewAssessment
    extra = 0
    fields = ("criterion", "met")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")


@admin.register(YearlyReview)
class YearlyReviewAdmin(PortalRecordAdminMixin, admin.ModelAdmin):
    scope_path_lookup = "registration__unit__path"
    list_display = ("registration", "year", "proposal", "reviewed_by")
    list_select_related = ("registration", "year", "reviewed_by")
    list_filter = ("year", "proposal")
    search_fields = ("registration__title",)
    autocomplete_fields = ("registration", "reviewed_by")
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    fields = ("registration", "year", "results", "proposal", "note", "reviewed_by")
    inlines = (ReviewAssessmentInline,)


@admin.register(UnitReviewReport)
class UnitReviewReportAdmin(PortalRecordAdminMixin, admin.ModelAdmin):
    list_display = ("unit", "year", "updated_at")
    list_select_related = ("unit", "year")
    list_filter = ("year",)
    search_fields = ("unit__name", "unit__code")
    autocomplete_fields = ("unit",)
    fields = ("unit", "year", "leadership", "outstanding", "limitations", "directions")
