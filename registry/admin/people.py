"""People, accounts and their roles in units (memberships), with import of people from .xlsx."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group

from registry.admin.base import (
    DiacriticsSearchMixin,
    SuperuserOnlyAdminMixin,
    UnitScopedAdminMixin,
    VietnameseImportMixin,
)
from registry.models import Membership, Person
from registry.permissions import role_conflicts
from registry.resources import PersonResource

User = get_user_model()


def warn_role_conflicts(request, user) -> None:
    """Warn when the account's roles would let it decide on what it registers (the workflow refuses each time)."""
    for warning in role_conflicts(Membership.objects.filter(user=user).select_related("unit")):
        messages.warning(request, f"Tài khoản “{user}”: {warning}")


@admin.register(Person)
class PersonAdmin(UnitScopedAdminMixin, VietnameseImportMixin, DiacriticsSearchMixin, admin.ModelAdmin):
    scope_path_lookup = "work_unit__path"
    resource_classes = [PersonResource]
    list_display = ("full_name", "birth_date", "gender", "position", "work_unit", "is_party_member", "party_cell")
    list_select_related = ("work_unit", "party_cell")
    list_filter = ("is_party_member", "gender")
    search_fields = ("full_name", "phone")
    autocomplete_fields = ("work_unit", "party_cell")
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    fieldsets = (
        (None, {"fields": ("full_name", "birth_date", "gender", "position", "work_unit", "phone")}),
        ("Thông tin đảng viên", {"fields": ("is_party_member", "party_cell", "party_join_date", "party_card_number")}),
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("unit", "role", "title")
    autocomplete_fields = ("unit",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("unit")


@admin.register(Membership)
class MembershipAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "user_full_name", "role", "unit", "title")
    list_select_related = ("user", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "unit__name", "unit__code")
    autocomplete_fields = ("user", "unit")
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    fields = ("user", "unit", "role", "title")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        warn_role_conflicts(request, obj.user)

    @admin.display(description="họ và tên", ordering="user__last_name")
    def user_full_name(self, obj):
        # Vietnamese order: family name first ("Nguyễn" + "Văn An").
        return f"{obj.user.last_name} {obj.user.first_name}".strip()


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyAdminMixin, DjangoGroupAdmin):
    """A group grants model permissions: a staff account that could edit groups could give itself any permission."""


@admin.register(User)
class UserAdmin(SuperuserOnlyAdminMixin, DjangoUserAdmin):
    """Django's account admin, with the account's roles in units edited on the same page."""

    list_display = ("username", "last_name", "first_name", "email", "is_staff", "is_active")

    def get_inlines(self, request, obj):
        # The add page is Django's two-step "username and password first" form; roles come after.
        return [MembershipInline] if obj is not None else []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        warn_role_conflicts(request, form.instance)
