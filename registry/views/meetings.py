"""Confirmation meetings (Mẫu 5a/5b, 6a/6b, 7b): list, prepare, record the results, print minutes and decision.

A meeting is visible to whoever has its unit in scope or sees one of its entries (a forbidden meeting is a 404);
preparing and recording one needs an approver over its unit. Rules live in ``registry.meetings``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from registry import documents, meetings
from registry.meeting_forms import MeetingChoiceForm, MeetingForm, MeetingRecordForm
from registry.models import Meeting, Purpose
from registry.pdf import context_meetings
from registry.views.responses import pdf_response

FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
RECORDED = "Đã ghi kết quả cuộc họp, cập nhật trạng thái các mô hình và ban hành biên bản, quyết định."


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
    """Prepare a meeting: choose unit, purpose and year (GET), then record members and votes per entry (POST)."""
    if not meetings.deciding_units(request.user).exists():
        raise PermissionDenied
    chosen = bool({"unit", "purpose", "year"} & set(request.GET))
    choice = MeetingChoiceForm(request.GET if chosen else None, user=request.user, initial=request.GET.dict())
    context = {"choice": choice, "form": None}
    if not chosen or not choice.is_valid():
        return render(request, "registry/meeting_form.html", context)
    unit, purpose, year = (choice.cleaned_data[name] for name in ("unit", "purpose", "year"))
    eligible = list(meetings.eligible_registrations(unit=unit, purpose=purpose, year=year, user=request.user))
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
            messages.success(request, "Đã lưu cuộc họp. Kiểm tra kết quả rồi bấm “Ghi kết quả và ban hành”.")
            return redirect("registry:meeting-detail", pk=meeting.pk)
    context.update(form=form, unit=unit, purpose=Purpose(purpose), year=year, eligible=eligible)
    return render(request, "registry/meeting_form.html", context)


def _detail_context(request, meeting: Meeting, record_form=None) -> dict:
    base = meetings.vote_base(meeting)
    entries = []
    for entry in meeting.entries.select_related("registration__subject_unit", "registration__subject_person"):
        passed = entry.passed if entry.passed is not None else meeting.passes(entry.votes_for)
        entries.append({"entry": entry, "passed": passed})
    can_record = meeting.recorded_at is None and meetings.can_hold_meeting(request.user, meeting.unit)
    if can_record and record_form is None:
        record_form = MeetingRecordForm(meeting=meeting)
    return {
        "meeting": meeting,
        "entries": entries,
        "base": base,
        "needed": base // 2 + 1,
        "can_record": can_record,
        "record_form": record_form if can_record else None,
        "docs": context_meetings.meeting_documents(meeting),
    }


@login_required
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(_meetings(request.user), pk=pk)
    return render(request, "registry/meeting_detail.html", _detail_context(request, meeting))


@login_required
@require_POST
def meeting_record(request, pk: int):
    """Record the results: every entry's transition, then the minutes and decision, all at once or not at all."""
    meeting = get_object_or_404(_meetings(request.user), pk=pk)
    if not meetings.can_hold_meeting(request.user, meeting.unit):
        raise PermissionDenied
    if meeting.recorded_at is not None:
        messages.error(request, meetings.MSG_ALREADY_RECORDED)
        return redirect("registry:meeting-detail", pk=meeting.pk)
    form = MeetingRecordForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meetings.meeting_record(
                meeting,
                actor=request.user,
                decision_number=data["decision_number"],
                decision_date=data["decision_date"],
                signer_name=data["signer_name"],
                signer_title=data["signer_title"],
                minutes_number=data.get("minutes_number", ""),
            )
        except PermissionDenied:
            messages.error(request, FORBIDDEN)
        except ValidationError as error:
            if getattr(error, "code", None) == "number_used":
                form.add_error("decision_number", error)
                return render(request, "registry/meeting_detail.html", _detail_context(request, meeting, form))
            messages.error(request, error.messages[0])
        else:
            messages.success(request, RECORDED)
        return redirect("registry:meeting-detail", pk=meeting.pk)
    return render(request, "registry/meeting_detail.html", _detail_context(request, meeting, form))


@login_required
def meeting_minutes_pdf(request, pk: int):
    """The minutes: the issued document once recorded, a draft before."""
    meeting = get_object_or_404(_meetings(request.user).select_related("unit"), pk=pk)
    docs = context_meetings.meeting_documents(meeting)
    if docs["minutes"] is not None:
        document = docs["minutes"]
        return pdf_response(documents.document_render(document), context_meetings.pdf_filename(document.snapshot))
    context = context_meetings.minutes_context(meeting)
    if docs["decision"] is not None:
        pdf = context_meetings.render_khoi_minutes(meeting, docs["decision"])
    else:
        pdf = context_meetings.render_preview(context)
    return pdf_response(pdf, context_meetings.pdf_filename(context))


@login_required
def meeting_decision_pdf(request, pk: int):
    """The decision with its attached list: the issued document once recorded, a draft before."""
    meeting = get_object_or_404(_meetings(request.user).select_related("unit"), pk=pk)
    document = context_meetings.meeting_documents(meeting)["decision"]
    if document is not None:
        return pdf_response(documents.document_render(document), context_meetings.pdf_filename(document.snapshot))
    context = context_meetings.decision_context(meeting)
    return pdf_response(context_meetings.render_preview(context), context_meetings.pdf_filename(context))
