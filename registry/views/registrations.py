"""Registering a model (Mẫu 1, 1a, 2, 2a), its detail page and the workflow steps taken from it.

Every view that touches an existing registration starts from ``Registration.objects.visible_to(user)``: a
registration outside the user's branch of the unit tree is a 404. Writes go through ``registry.services`` and
status changes through ``registry.workflow.apply``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from registry import choices, permissions, workflow
from registry.context_processors import inbox_count_expression, read_inbox_count
from registry.forms import (
    FORM_NUMBERS,
    KIND_SLUGS,
    SECTIONS,
    SLUG_OF_KIND,
    AttachmentForm,
    ReasonForm,
    RegistrationForm,
    apply_errors,
)
from registry.models import (
    Attachment,
    Criterion,
    Document,
    FormText,
    KhoiProposalEntry,
    MeetingEntry,
    OwnerReport,
    Registration,
    Role,
    SubjectKind,
    Unit,
    YearlyReview,
)
from registry.papers import catalogue
from registry.services import registration_create as create_service
from registry.services import registration_update as update_service
from registry.templatetags.meeting_tags import khoi_entries, meeting_entries
from registry.templatetags.registry_tags import vn_date
from registry.views.documents import paper_rows
from registry.years import current_year

# One-shot session key: the form URL whose locally kept draft the next detail page clears (draft-keeper.js).
DRAFT_SAVED_KEY = "registry_draft_saved_from"

KIND_DESCRIPTIONS = {
    SubjectKind.PARTY_ORG: "Chi bộ, đảng bộ đăng ký mô hình của tập thể tổ chức đảng.",
    SubjectKind.AGENCY: "Cơ quan, đơn vị, doanh nghiệp, đoàn thể đăng ký mô hình của tập thể.",
    SubjectKind.MEMBER: "Đảng viên đăng ký mô hình cá nhân (chi bộ nhập thay).",
    SubjectKind.NON_MEMBER: "Cán bộ, công chức, viên chức, người lao động không là đảng viên đăng ký mô hình cá nhân.",
}

SUCCESS_MESSAGES = {
    "submit": "Đã gửi đăng ký đến {receiving}.",
    "withdraw": "Đã rút lại hồ sơ; bạn có thể sửa rồi gửi lại.",
    "receive": "Đã tiếp nhận hồ sơ.",
    "return": "Đã trả lại hồ sơ kèm lý do cho đơn vị đăng ký.",
    "stop": "Đã ghi nhận dừng thực hiện mô hình.",
}
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."


def _registrations(user):
    related = ("year", "field", "unit", "khoi", "receiving_unit", "subject_unit", "subject_person__work_unit")
    return Registration.objects.visible_to(user).select_related(*related, "subject_person__party_cell")


def _criteria(group: str, registration=None) -> list[Criterion]:
    """The criteria shown beside the form, as the guidance of the registration's year (a new one: the current
    year) words them."""
    year = registration.year_id if registration is not None else current_year()
    return Criterion.for_year(year, group) if year else Criterion.for_guidance(None, group)


def _form_context(form: RegistrationForm, subject_kind: str, registration=None) -> dict:
    group = "collective" if subject_kind in (SubjectKind.PARTY_ORG, SubjectKind.AGENCY) else "individual"
    return {
        "form": form,
        "registration": registration,
        "subject_kind": subject_kind,
        "form_number": FORM_NUMBERS[subject_kind],
        "kind_label": SubjectKind(subject_kind).label,
        "criteria": _criteria(group, registration),
        "no_subjects": not form.fields["subject_unit" if form.is_collective else "subject_person"].queryset.exists(),
        "no_years": not form.fields["year"].queryset.exists(),
    }


@login_required
def registration_create_choose(request):
    """The four Mẫu to choose from; only editors may go on."""
    kinds = [
        {"slug": SLUG_OF_KIND[kind], "number": FORM_NUMBERS[kind], "label": kind.label, "text": KIND_DESCRIPTIONS[kind]}
        for kind in SubjectKind
    ]
    can_register = bool(permissions.editor_units(request.user))
    return render(request, "registry/registration_create_choose.html", {"kinds": kinds, "can_register": can_register})


@login_required
def registration_create(request, kind: str):
    """A new draft of the Mẫu named in the URL (mau-1, mau-1a, mau-2, mau-2a)."""
    subject_kind = KIND_SLUGS.get(kind)
    if subject_kind is None:
        raise Http404
    if not permissions.editor_units(request.user):
        raise PermissionDenied
    form = RegistrationForm(
        request.POST if request.method == "POST" else None, user=request.user, subject_kind=subject_kind
    )
    if request.method == "POST" and form.is_valid():
        try:
            reg = create_service(author=request.user, subject_kind=subject_kind, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[DRAFT_SAVED_KEY] = request.path
            messages.success(request, "Đã lưu bản nháp. Kiểm tra lại nội dung, thêm minh chứng rồi bấm “Gửi đăng ký”.")
            return redirect(reg)
    return render(request, "registry/registration_form.html", _form_context(form, subject_kind))


@login_required
def registration_update(request, pk: int):
    """Edit a draft or returned registration; editors of the owning unit only."""
    reg = get_object_or_404(_registrations(request.user), pk=pk)
    if not permissions.has_role_over(request.user, reg.unit, Role.EDITOR):
        raise PermissionDenied
    if not permissions.can_edit(request.user, reg):
        messages.error(request, f"Hồ sơ đang ở trạng thái “{reg.get_status_display()}”, không thể sửa.")
        return redirect(reg)
    form = RegistrationForm(
        request.POST if request.method == "POST" else None,
        instance=reg,
        user=request.user,
        subject_kind=reg.subject_kind,
    )
    if request.method == "POST" and form.is_valid():
        try:
            reg = update_service(registration=reg, editor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            request.session[DRAFT_SAVED_KEY] = request.path
            messages.success(request, "Đã lưu thay đổi.")
            return redirect(reg)
    return render(request, "registry/registration_form.html", _form_context(form, reg.subject_kind, reg))


def registration_sections(reg: Registration) -> list[dict]:
    """Sections 2–12 in print order as (label, text) rows, for the detail page."""
    sections = []
    for number, title, names in SECTIONS:
        rows = []
        for name in names:
            model_field = Registration._meta.get_field(name)
            value = getattr(reg, name)
            if model_field.choices:
                value = getattr(reg, f"get_{name}_display")()
            elif name in ("start_date", "end_date"):
                value = vn_date(value)
            rows.append({"label": model_field.verbose_name[:1].upper() + model_field.verbose_name[1:], "value": value})
        sections.append({"number": number, "title": title, "rows": rows})
    return sections


def _subject_unit_name(reg: Registration, name: str) -> str | None:
    """The subject person's ``work_unit`` or ``party_cell`` by name: as the registration page read it
    (``_detail_annotations``), else from the person's unit."""
    read = f"subject_{name}_name"
    if hasattr(reg, read):
        return getattr(reg, read)
    unit = getattr(reg.subject_person, name)
    return unit.name if unit is not None else None


def subject_rows(reg: Registration) -> list[dict]:
    """Section 1: the collective (name, headcount) or the person (details printed on Mẫu 2 / 2a)."""
    if reg.is_collective:
        return [
            {"label": "Tên tập thể", "value": reg.subject_unit.name},
            {"label": "Số đảng viên / CBCCVC, NLĐ", "value": reg.subject_headcount},
        ]
    person = reg.subject_person
    rows = [
        {"label": "Họ và tên", "value": person.full_name},
        {"label": "Ngày sinh", "value": vn_date(person.birth_date)},
        {"label": "Chức vụ", "value": person.position},
        {"label": "Đơn vị công tác", "value": _subject_unit_name(reg, "work_unit")},
    ]
    if reg.subject_kind == SubjectKind.MEMBER:
        rows += [
            {"label": "Chi bộ", "value": _subject_unit_name(reg, "party_cell") or ""},
            {"label": "Ngày vào Đảng", "value": vn_date(person.party_join_date)},
        ]
    rows.append({"label": "Điện thoại", "value": person.phone})
    return rows


# What the registration page joins to the entry: the units it names and checks roles over, the subject and the
# creator. The year, the lĩnh vực and the Khối come from memory (``registry.choices``), and the subject person's
# two units as names (``_detail_annotations``): each join more made PostgreSQL plan the query longer than it ran
# (11 relations: 10 ms of planning for 0.6 ms of execution on 1,000,000 registrations, issue 17).
DETAIL_RELATED = ("unit", "receiving_unit", "subject_unit", "subject_person", "created_by")


def _detail_annotations() -> dict:
    """Whether each panel has anything to read (a panel with nothing reads nothing), and the subject person's work
    unit and chi bộ by name: scalar subqueries, each planned apart from the entry's joins (``subject_rows`` reads
    them)."""
    panels = {
        "reviews": YearlyReview,
        "owner_reports": OwnerReport,
        "meetings": MeetingEntry,
        "proposals": KhoiProposalEntry,
        "own_documents": Document,
        "attachments": Attachment,
    }
    return {
        **{f"has_{name}": Exists(model.objects.filter(registration=OuterRef("pk"))) for name, model in panels.items()},
        **{
            f"subject_{name}_name": Subquery(Unit.objects.filter(pk=OuterRef(f"subject_person__{name}")).values("name"))
            for name in ("work_unit", "party_cell")
        },
    }


# Built once, not per request (a tenth of the entry's query in Python): each query resolves its own copy.
DETAIL_ANNOTATIONS = _detail_annotations()


def _detail_registration(request, pk: int) -> Registration:
    """The entry of the registration page, in one query with the navigation bar's count, the catalogue's stamp and
    whether each panel has anything to read (a panel with nothing reads nothing); a 404 outside the user's scope."""
    registrations = (
        Registration.objects.visible_to(request.user)
        .select_related(*DETAIL_RELATED)
        .filter(pk=pk)
        .annotate(
            catalogue_stamp=choices.stamp_subquery(),
            inbox_count=inbox_count_expression(request),
            **DETAIL_ANNOTATIONS,
        )
    )
    # Not ``get()``: the primary key picks at most one row, and the LIMIT that ``get()`` adds made PostgreSQL plan
    # fast-start paths for every join (three times the planning).
    found = list(registrations)
    if not found:
        raise Http404
    reg = found[0]
    read_inbox_count(request, reg.inbox_count)
    stamp = reg.catalogue_stamp or ""
    years, fields = choices.years_and_fields(stamp)
    khois = choices.khoi_roots(stamp)
    # One missing from memory (no stamp) is read by the entry itself.
    if reg.year_id in years:
        reg.year = years[reg.year_id]
    if reg.field_id in fields:
        reg.field = fields[reg.field_id]
    if reg.khoi_id in khois:
        reg.khoi = khois[reg.khoi_id]
    return reg


@login_required
def registration_detail(request, pk: int):
    """Every section in print order, the actions this user may take now, the evidence and the timeline."""
    reg = _detail_registration(request, pk)
    changes = list(reg.status_changes.select_related("actor"))
    sent_by_user = permissions.submitted_among(request.user, changes)
    # Read once here, shared by the panels and the documents (issue 17: at most 12 queries for the page).
    open_year, commitment = choices.kept(
        ("current_year", current_year),
        (f"commitment:{reg.form_code}", lambda: FormText.for_form(reg.form_code).get("commitment", "")),
        stamp=reg.catalogue_stamp or "",
    )
    entries = meeting_entries(reg) if reg.has_meetings else []
    sent = khoi_entries(reg) if reg.has_proposals else []
    docs = []
    if entries or sent or reg.has_own_documents:
        docs = list(
            Document.objects.about(
                reg, meetings=[e.meeting_id for e in entries], proposals=[e.proposal_id for e in sent]
            )
            .select_related("issuing_unit")
            .defer("snapshot")  # the frozen content of a paper, which the page does not print
        )
    last_return = next((c for c in reversed(changes) if c.action == "return"), None)
    can_manage = permissions.can_manage_attachments(request.user, reg)
    context = {
        "registration": reg,
        "form_number": FORM_NUMBERS[reg.subject_kind],
        "subject_rows": subject_rows(reg),
        "sections": registration_sections(reg),
        "commitment": commitment,
        # Whether the user ever sent the entry, from the timeline just read rather than a query per action.
        "actions": workflow.available_actions(request.user, reg, sent_by_user),
        "sent_by_user": sent_by_user,
        "reason_form": ReasonForm(),
        "can_edit": permissions.can_edit(request.user, reg),
        "can_manage_attachments": can_manage,
        "attachment_form": AttachmentForm() if can_manage else None,
        "attachments": list(reg.attachments.select_related("uploaded_by")) if reg.has_attachments else [],
        "changes": changes,
        "documents": docs,
        # The entry's own form (Mẫu 1, 1a, 2 or 2a): issued or not, and its issue page.
        "papers": paper_rows([catalogue.registration_subject(reg, request.user)], among=docs),
        "open_year": open_year,
        "meeting_entries": entries,
        "khoi_entries": sent,
        "last_return": last_return if reg.status == Registration.Status.RETURNED else None,
        "show_late": reg.is_late and reg.status != Registration.Status.DRAFT,
        "draft_saved_from": request.session.pop(DRAFT_SAVED_KEY, ""),
    }
    return render(request, "registry/registration_detail.html", context)


@login_required
@require_POST
def registration_transition(request, pk: int, action: str):
    """Apply one workflow step; a refusal is shown as a message on the detail page, never as an error page."""
    if action not in workflow.TRANSITIONS:
        raise Http404
    reg = get_object_or_404(Registration.objects.visible_to(request.user), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["reason"][0])
        return redirect(reg)
    try:
        reg = workflow.apply(reg, action, actor=request.user, reason=form.cleaned_data["reason"])
    except PermissionDenied:
        messages.error(request, FORBIDDEN)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, SUCCESS_MESSAGES[action].format(receiving=reg.receiving_unit.name))
    return redirect(reg)
