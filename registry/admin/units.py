"""The unit tree in the admin: a treebeard tree with Vietnamese placement choices, moves that keep the tree valid
(a Khối is always a root, nothing else is, each kind under the kinds it may sit under, nothing moves into its own
subtree, registrations keep a receiving unit above them) and import from .xlsx. Staff who are not superusers add,
edit and move units only so that the resulting parent lies inside their own subtree."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from treebeard.admin import TreeAdmin
from treebeard.exceptions import InvalidMoveToDescendant, InvalidPosition, PathOverflow
from treebeard.forms import MoveNodeForm, movenodeform_factory

from registry import reorganisation
from registry.admin.base import (
    DiacriticsSearchMixin,
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    UnitScopedAdminMixin,
    VietnameseImportMixin,
)
from registry.models import Reorganisation, Unit, UnitKind
from registry.permissions import memberships_of
from registry.reorganisation_forms import OPERATIONS
from registry.resources import UnitResource
from registry.terms import lazy_text
from registry.unit_tree import (
    INTO_OWN_SUBTREE,
    KHOI_MUST_BE_ROOT,
    follow_move,
    kind_change_error,
    move_error,
    move_unit,
    parent_error,
    resulting_parent,
    scope_error,
)

CHILD, SIBLING = "sorted-child", "sorted-sibling"


class UnitMoveForm(MoveNodeForm):
    """Treebeard's node form in Vietnamese, refusing placements that break the tree before anything is saved.

    Treebeard writes to the database while saving (it adds, then moves), so every check is made in ``clean()``
    from the chosen reference unit and position. Its reference choices already leave out the unit itself and its
    descendants, so a posted descendant is an invalid choice.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.original_kind = self.instance.kind if self.instance.pk else None
        position = self.fields["treebeard_position"]
        position.label = "Vị trí"
        position.choices = [(CHILD, "Là đơn vị con của"), (SIBLING, "Ngang cấp với")]
        position.error_messages["invalid_choice"] = "Vui lòng chọn vị trí: “Là đơn vị con của” hoặc “Ngang cấp với”."
        ref = self.fields["treebeard_ref_node"]
        ref.label = "Đơn vị tham chiếu"
        ref.empty_label = "-- gốc --"
        ref.help_text = lazy_text("Chỉ {top_body} là đơn vị gốc; các đơn vị khác là đơn vị con của đơn vị cấp trên.")
        ref.error_messages["invalid_choice"] = INTO_OWN_SUBTREE + " Vui lòng chọn đơn vị khác trong danh sách."

    # Staff who are not superusers: the roots of their subtree (set by UnitAdmin.get_form); None for superusers.
    scope_roots: list[Unit] | None = None

    def clean(self):
        cleaned = super().clean()
        kind, position = cleaned.get("kind"), cleaned.get("treebeard_position")
        if not kind or not position or "treebeard_ref_node" in self.errors:
            return cleaned
        ref = cleaned.get("treebeard_ref_node")
        if self.original_kind and (problem := kind_change_error(self.original_kind, kind)):
            self.add_error("kind", problem)
        elif kind == UnitKind.KHOI and ref is not None:
            # Even "sibling of a root": treebeard first adds a new node as a child of the reference.
            self.add_error("treebeard_ref_node", KHOI_MUST_BE_ROOT)
        elif problem := self.placement_problem(kind, resulting_parent(ref, position)):
            self.add_error("treebeard_ref_node", problem)
        return cleaned

    def save(self, commit=True):
        moved = self.instance.pk is not None and {"treebeard_ref_node", "treebeard_position"} & set(self.changed_data)
        unit = super().save(commit=commit)
        if moved:
            follow_move(unit)
        return unit

    def placement_problem(self, kind: str, parent: Unit | None) -> str | None:
        """Checks the parent the unit would have after saving, not the reference unit the form names."""
        current = Unit.objects.get_parent(self.instance) if self.instance.pk else None
        moves = self.instance.pk is None or parent != current
        if moves and self.scope_roots is not None and (problem := scope_error(parent, self.scope_roots)):
            return problem
        if problem := parent_error(kind, parent):
            # A unit edited where it already is keeps its place even if an older tree put it under another kind.
            return problem if moves or kind != self.original_kind else None
        if self.instance.pk and moves and parent is not None:
            return move_error(self.instance, parent)
        return None


UnitForm = movenodeform_factory(
    Unit,
    form=UnitMoveForm,
    fields=[
        "name",
        "code",
        "kind",
        "leading_body",
        "has_standing_committee",
        "place_name",
        "abbreviation",
        "header_line",
        "print_name",
        "signer_name",
        "member_count",
        "is_active",
    ],
)


class _DragMoveForm(forms.Form):
    node = forms.ModelChoiceField(queryset=Unit.objects.all())
    target = forms.ModelChoiceField(queryset=Unit.objects.all())
    relation = forms.ChoiceField(choices=[("child", "child"), ("sibling", "sibling")])


class HistoryInline(ReadOnlyInline):
    """The unit's reorganisations (merged into another, moved, renamed), oldest first: read only."""

    model = Reorganisation
    fk_name = "unit"
    fields = ("effective_on", "kind", "description", "basis", "actor", "at")
    verbose_name = "lần tổ chức lại"
    verbose_name_plural = "Lịch sử tổ chức lại (sáp nhập, chuyển, đổi tên)"

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description="nội dung")
    def description(self, event):
        return event.description


class AbsorbedInline(HistoryInline):
    """The units merged into this one."""

    fk_name = "into"
    verbose_name = "đơn vị đã sáp nhập vào đơn vị này"
    verbose_name_plural = "Đơn vị đã sáp nhập vào đơn vị này"


@admin.register(Unit)
class UnitAdmin(UnitScopedAdminMixin, VietnameseImportMixin, DiacriticsSearchMixin, TreeAdmin):
    scope_path_lookup = "path"
    form = UnitForm
    change_list_template = "admin/registry/unit/tree_change_list.html"
    change_form_template = "admin/registry/unit/change_form.html"
    inlines = [HistoryInline, AbsorbedInline]
    resource_classes = [UnitResource]
    list_display = ("name", "code", "kind", "abbreviation", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code")
    show_facets = admin.ShowFacets.NEVER  # no per-filter COUNT over big tables
    list_per_page = 100
    fieldsets = (
        (None, {"fields": ("name", "code", "kind", "is_active")}),
        ("Vị trí trong cây đơn vị", {"fields": ("treebeard_position", "treebeard_ref_node")}),
        (
            "Thông tin in trên văn bản",
            {
                "fields": (
                    "leading_body",
                    "has_standing_committee",
                    "header_line",
                    "print_name",
                    "signer_name",
                    "abbreviation",
                    "place_name",
                    "member_count",
                )
            },
        ),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        at_top_level = (
            getattr(request, "_treebeard_parent_id", "") is None
            and not getattr(request, "_ignore_treebeard_filters", False)
            and not self.is_filtered(request)
        )
        if at_top_level and not request.user.is_superuser:
            # Treebeard's top level is the Khối root; a scoped tree starts at the staff's own units instead.
            return Unit.objects.filter(pk__in=[m.unit_id for m in memberships_of(request.user)])
        return qs

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if request.user.is_superuser:
            return form
        scope_roots = [m.unit for m in memberships_of(request.user)]
        scope = Unit.objects.subtree_of(*scope_roots)
        current_parent = Unit.objects.get_parent(obj) if obj is not None and obj.depth > 1 else None

        class ScopedUnitForm(form):
            """Staff who are not superusers place units only inside their own part of the tree, never at a root;
            a unit they edit where it is keeps its current parent among the choices."""

            def __init__(self, *args, **form_kwargs):
                super().__init__(*args, **form_kwargs)
                self.scope_roots = scope_roots
                ref = self.fields["treebeard_ref_node"]
                allowed = Q(pk__in=scope.values("pk"))
                if current_parent is not None:
                    allowed |= Q(pk=current_parent.pk)
                ref.queryset = ref.queryset.filter(allowed)
                ref.required = True
                ref.error_messages["required"] = "Vui lòng chọn đơn vị tham chiếu trong phạm vi đơn vị của bạn."

        return ScopedUnitForm

    def get_inline_instances(self, request, obj=None):
        # The history is shown only where there is some: a new unit, or one never reorganised, has none.
        if obj is None:
            return []
        present = {
            "unit": Reorganisation.objects.filter(unit=obj).exists(),
            "into": Reorganisation.objects.filter(into=obj).exists(),
        }
        return [inline for inline in super().get_inline_instances(request, obj) if present[inline.fk_name]]

    def get_urls(self):
        reorganise = path(
            "<int:object_id>/to-chuc-lai/<slug:operation>/",
            self.admin_site.admin_view(self.reorganise_view),
            name="registry_unit_reorganise",
        )
        return [reorganise, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "reorganise_links": []}
        # The admin's own lookup: None for an id that is no number ("²" passes str.isdigit() but not int()).
        unit = self.get_object(request, unquote(object_id)) if request.user.is_superuser else None
        # A merged (inactive) unit keeps its history but is not reorganised again.
        if unit is not None and unit.is_active:
            extra_context["reorganise_links"] = [
                (reverse("admin:registry_unit_reorganise", args=[object_id, slug]), form.title)
                for slug, form in OPERATIONS.items()
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def reorganise_view(self, request, object_id, operation):
        """Merge, move or rename (superusers only; others get 403 before any unit is looked up): a form, then a
        confirmation page that lists what will follow, then the operation in one transaction."""
        if not request.user.is_superuser:
            raise PermissionDenied
        form_class = OPERATIONS.get(operation)
        if form_class is None:
            raise Http404
        unit = get_object_or_404(Unit, pk=object_id)
        form = form_class(unit, data=request.POST if request.method == "POST" else None)
        effect = sentence = None
        # "Quay lại sửa" posts the same data back to the form, without the preview.
        if request.method == "POST" and form.is_valid() and not request.POST.get("sua"):
            if request.POST.get("xac_nhan") == "1":
                try:
                    event = form.apply(request.user)
                except ValidationError as error:
                    form.add_domain_errors(error)  # the state changed since the preview; nothing was saved
                else:
                    messages.success(request, f"Đã ghi: {event.description} Xem lịch sử tổ chức lại bên dưới.")
                    return redirect("admin:registry_unit_change", unit.pk)
            else:
                effect, sentence = form.effect(), form.sentence()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": unit,
            "title": f"{form.title}: {unit}",
            "form": form,
            "effect": effect,
            "sentence": sentence,
            "operation": operation,
        }
        return TemplateResponse(request, "admin/registry/unit/reorganise.html", context)

    def save_form(self, request, form, change):
        # Treebeard's form writes the unit (and its move) while saving: read what it was before that.
        before = Unit.objects.filter(pk=form.instance.pk).first() if change else None
        request._unit_before = before and (
            before.name,
            before.print_name,
            Unit.objects.get_parent(before) if before.depth > 1 else None,
        )
        return super().save_form(request, form, change)

    def save_model(self, request, obj, form, change):
        """An ordinary edit that renames or moves a unit is recorded in its history too, effective today."""
        super().save_model(request, obj, form, change)
        if before := getattr(request, "_unit_before", None):
            old_name, old_print_name, old_parent = before
            reorganisation.record_edit(
                obj, old_name=old_name, old_print_name=old_print_name, old_parent=old_parent, actor=request.user
            )

    def get_deleted_objects(self, objs, request):
        # Treebeard deletes a unit's whole subtree; list (and protect) what hangs on every unit in it, so that a
        # registration or a person below refuses the deletion on the confirmation page instead of a 500 later.
        return super().get_deleted_objects(list(Unit.objects.subtree_of(*objs)), request)

    def move_node(self, request):
        """Drag-and-drop in the tree: the same rules as the form, Vietnamese messages, never a 500."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = _DragMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Dữ liệu chuyển đơn vị không hợp lệ.")
            return HttpResponseBadRequest("invalid move")
        node, target, relation = (form.cleaned_data[k] for k in ("node", "target", "relation"))
        pos = CHILD if relation == "child" else SIBLING
        if target.is_within(node):
            problem = INTO_OWN_SUBTREE
        else:
            parent = resulting_parent(target, pos)
            problem = None
            if not request.user.is_superuser:
                scope_roots = [m.unit for m in memberships_of(request.user)]
                if not any(node.is_within(root) for root in scope_roots):
                    problem = "Chỉ chuyển được đơn vị trong phạm vi đơn vị của bạn."
                else:
                    problem = scope_error(parent, scope_roots)
            problem = problem or parent_error(node.kind, parent) or (parent is not None and move_error(node, parent))
        if problem:
            messages.error(request, f"Không chuyển được “{node}”: {problem}")
            return HttpResponseBadRequest("invalid move")
        old_parent = Unit.objects.get_parent(node) if node.depth > 1 else None
        try:
            with transaction.atomic():
                move_unit(node, target, pos)
                reorganisation.record_edit(
                    node, old_name=node.name, old_print_name=node.print_name, old_parent=old_parent, actor=request.user
                )
        except (InvalidMoveToDescendant, InvalidPosition, PathOverflow, IntegrityError, ValidationError):
            messages.error(request, f"Không chuyển được “{node}” tới vị trí đã chọn.")
            return HttpResponseBadRequest("invalid move")
        where = "làm đơn vị con của" if relation == "child" else "ngang cấp với"
        messages.success(request, f"Đã chuyển “{node}” {where} “{target}”.")
        return HttpResponse("OK")


@admin.register(Reorganisation)
class ReorganisationAdmin(ReadOnlyAdminMixin, UnitScopedAdminMixin, admin.ModelAdmin):
    """The history of the tree, read only: written by ``registry.reorganisation`` and nowhere else."""

    scope_path_lookup = "unit__path"
    list_display = ("effective_on", "kind", "description", "actor", "at")
    list_filter = ("kind",)
    list_select_related = ("actor",)
    search_fields = ("old_name", "new_name", "old_parent_name", "new_parent_name", "basis")
    date_hierarchy = None
    show_facets = admin.ShowFacets.NEVER

    @admin.display(description="nội dung")
    def description(self, event):
        return event.description

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
