"""Pieces shared by the registry's admin pages: diacritics-insensitive search, read-only inlines and the Vietnamese
.xlsx / .csv import screens of django-import-export."""

from django.contrib import admin, messages
from django.db.models import Q
from import_export.admin import ImportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.results import RowResult

from registry.models import Person, Unit
from registry.models.units import subtree_q
from registry.pagination import CappedPaginator
from registry.permissions import can_manage_catalogue, memberships_of
from registry.text import search_key


def scope_q(user, path_lookup: str) -> Q | None:
    """``path_lookup`` starting with the path of one of the user's membership units; None when they have none."""
    return subtree_q((m.unit for m in memberships_of(user)), path_lookup)


class SuperuserOnlyAdminMixin:
    """Accounts and roles decide what everyone may see and do: only superusers manage them."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class CatalogueAdminMixin:
    """Catalogue data (years, lĩnh vực, criteria, form wording) holds for the whole Khối: closing a year or changing a
    criterion's maximum score changes every unit's work. Only superusers and the catalogue role at the Khối root
    (``permissions.can_manage_catalogue``, with the model permission) change it; other staff with the model's view
    permission may read it."""

    def has_add_permission(self, request, *args):
        return can_manage_catalogue(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return can_manage_catalogue(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return can_manage_catalogue(request.user) and super().has_delete_permission(request, obj)


class UnitScopedAdminMixin:
    """Superusers see everything; other staff see, and may pick in foreign keys, only what lies within their
    memberships' units and below (the same unit tree rule as the portal's pages).

    ``scope_path_lookup`` names the unit path that places a row in the tree, e.g. ``"unit__path"``.
    """

    scope_path_lookup = "unit__path"
    # These tables reach millions of rows at national scale: count at most 10,000 per page view (pagination.py).
    paginator = CappedPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        q = scope_q(request.user, self.scope_path_lookup)
        return qs.filter(q) if q is not None else qs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not request.user.is_superuser:
            units = Unit.objects.scope_of(request.user)
            if db_field.related_model is Unit:
                kwargs["queryset"] = units
            elif db_field.related_model is Person:
                kwargs["queryset"] = Person.objects.filter(work_unit__in=units)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PortalRecordAdminMixin(UnitScopedAdminMixin):
    """Records that the portal writes through its own checks (registrations, reviews, meetings, appraisals,
    documents): staff who are not superusers only read them, within their scope; superusers may correct typing."""

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)


class DiacriticsSearchMixin:
    """The admin search also matches the model's diacritics-free ``search_text``: "so y te" finds "Sở Y tế".

    Where ``search_text`` already holds every field of ``search_fields``, ``search_text_covers_fields = True`` makes
    it the only condition: an OR with ``title ILIKE`` would keep PostgreSQL from using the trigram index.
    """

    search_text_covers_fields = False

    def get_search_results(self, request, queryset, search_term):
        words = search_key(search_term).split()
        matches = queryset
        for word in words:
            matches = matches.filter(search_text__contains=word)
        if self.search_text_covers_fields:
            return matches, False
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return (results | matches if words else results), may_have_duplicates


class ReadOnlyAdminMixin:
    """Rows the admin shows but never adds, changes or deletes: one domain module writes them (the audit trail,
    the tree's history, a record's related rows)."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    """An inline that lists related rows and never adds, changes or deletes them."""

    extra = 0
    can_delete = False
    show_change_link = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


# Messages that django-import-export adds to the form in English (it ships no Vietnamese catalogue).
_IMPORT_MESSAGES = {
    "No valid data to import. Ensure your file has the correct headers or data for import.": (
        "Tệp không có dữ liệu để nhập: hãy kiểm tra dòng tiêu đề và các dòng dữ liệu."
    ),
}


class VietnameseImportForm(ImportForm):
    """django-import-export's upload form with Vietnamese labels and messages."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.fields["resource"].label = "Loại dữ liệu"
        self.fields["import_file"].label = "Tệp cần nhập"
        self.fields["import_file"].help_text = "Tệp Excel (.xlsx) hoặc .csv (UTF-8); dòng đầu là tiêu đề cột."
        self.fields["format"].label = "Định dạng tệp"
        self.fields["format"].error_messages["required"] = "Vui lòng chọn định dạng tệp."
        self.fields["import_file"].error_messages["required"] = "Vui lòng chọn tệp cần nhập."

    def add_error(self, field, error):
        if isinstance(error, str):
            error = _IMPORT_MESSAGES.get(error, error)
        super().add_error(field, error)


class VietnameseImportMixin(ImportMixin):
    """Import from .xlsx or .csv for staff who may add and change the model; preview first, then confirm.

    Each resource imports all rows or none (``registry.resources``); the page lists bad rows in Vietnamese.
    """

    import_formats = [base_formats.XLSX, base_formats.CSV]
    import_form_class = VietnameseImportForm
    import_template_name = "admin/registry/import.html"
    import_export_change_list_template = "admin/registry/change_list_import.html"
    skip_admin_log = False

    def has_import_permission(self, request):
        # An import matches rows by code across the whole tree, so only superusers run it.
        return request.user.is_superuser and self.has_add_permission(request) and self.has_change_permission(request)

    def get_import_context_data(self, **kwargs):
        resource = self.resource_classes[0]
        return {"column_help": resource.column_help(), "resource_name": resource.get_display_name()}

    def add_data_read_fail_error_to_form(self, form, e):
        form.add_error(
            "import_file",
            "Không đọc được tệp. Hãy kiểm tra tệp đúng định dạng đã chọn (.xlsx hoặc .csv) và không bị hỏng.",
        )

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(
            request,
            f"Đã nhập xong: {totals[RowResult.IMPORT_TYPE_NEW]} mới, {totals[RowResult.IMPORT_TYPE_UPDATE]} cập nhật, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} bỏ qua.",
        )
