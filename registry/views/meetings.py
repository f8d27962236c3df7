"""Confirmation meetings (Mẫu 5a/5b, 6a/6b, 7b): list, prepare, record the results, print minutes and decision.

A meeting is visible to whoever has its unit in scope or sees one of its entries (a forbidden meeting is a 404);
preparing and recording one needs an approver over its unit. Rules live in ``registry.meetings``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from registry import meetings
from registry.meeting_forms import MeetingChoiceForm, MeetingForm
from registry.models import Meeting, Purpose
from registry.papers import catalogue
from registry.views.documents import paper_rows, serve_or_issue
from registry.years import current_year

FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
RECORDED = (
    "Đã ghi kết quả cuộc họp và cập nhật trạng thái các mô hình. Tiếp theo: ban hành biên bản và quyết định "
    "(mỗi văn bản có số, ngày và người ký riêng)."
)


def _meetings(user):
    return meetings.meetings_visible_to(user).select_related("unit", "year", "recorded_by")


@login_required
def meeting_list(request):
    """Meetings the user may see, newest first, with their purpose and whether the results were recorded."""
    page = Paginator(_meetings(request.user).order_by("-held_on", "-pk"), 25).get_page(request.GET.get("page"))
    can_create = meetings.deciding_units(request.user).exists()
    return render(
        request,
        "registry/meeting_list.html",
        {"page_obj": page, "page_range": page.paginator.get_elided_page_range(page.number), "can_create": can_create},
    )


@login_required
def meeting_create(request):
    """Prepare a meeting: start from what waits for a decision (each deciding unit and purpose, one link each) or
    choose unit, purpose and year (GET), then record members and votes per entry (POST). Choosing a unit whose
    meeting cannot decide entries waiting under it says which unit's meeting can, beside the unit field."""
    if not meetings.deciding_units(request.user).exists():
        raise PermissionDenied
    chosen = bool({"unit", "purpose", "year"} & set(request.GET))
    choice = MeetingChoiceForm(request.GET if chosen else None, user=request.user, initial=request.GET.dict())
    context = {"choice": choice, "form": None, "groups": [], "groups_year": None}
    if not chosen or not choice.is_valid():
        year = current_year()
        if year is not None:
            context.update(groups=meetings.waiting_groups(request.user, year), groups_year=year)
        return render(request, "registry/meeting_form.html", context)
    unit, purpose, year = (choice.cleaned_data[name] for name in ("unit", "purpose", "year"))
    eligible = list(meetings.eligible_registrations(unit=unit, purpose=purpose, year=year, user=request.user))
    count, found = meetings.decided_elsewhere(request.user, unit=unit, purpose=purpose, year=year)
    if count:
        message = meetings.elsewhere_message(unit, count, found)
        if not eligible:
            # Nothing this meeting could decide: the choice itself is what needs changing.
            choice.add_error("unit", message)
            context.update(groups=meetings.waiting_groups(request.user, year), groups_year=year)
            return render(request, "registry/meeting_form.html", context)
        # crispy prints help text unescaped: format_html escapes the titles typed by users. The bound field copied
        # the field's help text when validation created it, so both are set.
        hint = format_html('<span class="text-warning-emphasis" id="goi-y-don-vi">{}</span>', message)
        choice.fields["unit"].help_text = choice["unit"].help_text = hint
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        user=request.user,
        unit=unit,
        purpose=purpose,
        year=year,
        eligible=eligible,
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.meeting_create(actor=request.user, data=form.meeting_data(), entries=form.votes)
        except PermissionDenied:
            raise
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã lưu cuộc họp. Kiểm tra kết quả rồi bấm “Ghi kết quả”.")
            return redirect("registry:meeting-detail", pk=meeting.pk)
    context.update(form=form, unit=unit, purpose=Purpose(purpose), year=year, eligible=eligible)
    return render(request, "registry/meeting_form.html", context)


def _detail_context(request, meeting: Meeting) -> dict:
    base = meetings.vote_base(meeting)
    entries = []
    for entry in meeting.entries.select_related("registration__subject_unit", "registration__subject_person"):
        passed = entry.passed if entry.passed is not None else meeting.passes(entry.votes_for)
        entries.append({"entry": entry, "passed": passed})
    return {
        "meeting": meeting,
        "entries": entries,
        "base": base,
        "needed": base // 2 + 1,
        "can_record": meeting.recorded_at is None and meetings.can_hold_meeting(request.user, meeting.unit),
        # The meeting's two papers: the minutes, then the decision.
        "papers": paper_rows(catalogue.meeting_subjects(meeting, request.user)),
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(_meetings(request.user), pk=pk)
    return render(request, "registry/meeting_detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def meeting_record(request, pk: int):
    """Record the results: every entry's transition, all at once or not at all. The papers are issued next."""
    meeting = get_object_or_404(_meetings(request.user), pk=pk)
    if not meetings.can_hold_meeting(request.user, meeting.unit):
        raise PermissionDenied
    try:
        meetings.meeting_record(meeting, actor=request.user)
    except PermissionDenied:
        messages.error(request, FORBIDDEN)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, RECORDED)
    return redirect("registry:meeting-detail", pk=meeting.pk)


def _paper(request, pk: int, index: int):
    meeting = get_object_or_404(_meetings(request.user).select_related("unit"), pk=pk)
    return serve_or_issue(catalogue.meeting_subjects(meeting, request.user)[index])


@login_required
def meeting_minutes_pdf(request, pk: int):
    """The minutes in force; before they are issued, their issue page (with the draft)."""
    return _paper(request, pk, 0)


@login_required
def meeting_decision_pdf(request, pk: int):
    """The decision with its attached list in force; before it is issued, its issue page."""
    return _paper(request, pk, 1)
