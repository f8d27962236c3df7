"""Proposals of grassroots exemplars to the Khối (the Mẫu 6b list): list, create, send, print.

A proposal is visible to whoever has its unit in scope or sees one of its entries (otherwise 404); creating and
sending one needs an approver over the grassroots organisation. Rules live in ``registry.proposals``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from registry import proposals
from registry.meeting_forms import ProposalChoiceForm, ProposalForm
from registry.models import KhoiProposal, Meeting
from registry.papers import catalogue
from registry.terms import lazy_text
from registry.views.documents import paper_rows, serve_or_issue

SAVED = lazy_text("Đã lưu danh sách đề nghị (chưa gửi). Kiểm tra rồi bấm “Gửi {top_committee}”.")
FORBIDDEN = "Bạn không có quyền thực hiện thao tác này."
SENT = lazy_text(
    "Đã gửi đề nghị đến {top_committee}; các điển hình chuyển sang “Đề nghị điển hình cấp {top_body}”. "
    "Tiếp theo: ban hành danh sách đề nghị (số, ngày gửi, người ký)."
)


def _proposals(user):
    return proposals.proposals_visible_to(user).select_related("unit", "year", "created_by")


@login_required
def proposal_list(request):
    page = Paginator(_proposals(request.user).order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    can_create = proposals.proposing_units(request.user).exists()
    return render(
        request,
        "registry/proposal_list.html",
        {"page_obj": page, "page_range": page.paginator.get_elided_page_range(page.number), "can_create": can_create},
    )


@login_required
def proposal_create(request):
    """Choose the grassroots organisation and year (GET), then tick its grassroots exemplars (POST)."""
    if not proposals.proposing_units(request.user).exists():
        raise PermissionDenied
    chosen = bool({"unit", "year"} & set(request.GET))
    choice = ProposalChoiceForm(request.GET if chosen else None, user=request.user, initial=request.GET.dict())
    context = {"choice": choice, "form": None}
    if not chosen or not choice.is_valid():
        return render(request, "registry/proposal_form.html", context)
    unit, year = choice.cleaned_data["unit"], choice.cleaned_data["year"]
    eligible = list(proposals.eligible_exemplars(unit=unit, year=year, user=request.user))
    form = ProposalForm(request.POST if request.method == "POST" else None, user=request.user, eligible=eligible)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposals.proposal_create(
                actor=request.user,
                unit=unit,
                year=year,
                registrations=form.cleaned_data["entries"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, lazy_text("Đã lưu danh sách đề nghị (chưa gửi). Kiểm tra rồi bấm “Gửi {top_committee}”.")
            )
            return redirect("registry:proposal-detail", pk=proposal.pk)
    context.update(form=form, unit=unit, year=year, eligible=eligible)
    return render(request, "registry/proposal_form.html", context)


def _entry_files(proposal: KhoiProposal) -> list[dict]:
    """Each entry with what travels with it: its evidence, its own form and the decisions that confirmed it."""
    rows = []
    entries = proposal.entries.select_related("registration__subject_unit", "registration__subject_person").order_by(
        "pk"
    )
    for entry in entries:
        reg = entry.registration
        decided = Meeting.objects.filter(entries__registration=reg, entries__passed=True).order_by("held_on", "pk")
        rows.append({"registration": reg, "attachments": list(reg.attachments.all()), "meetings": list(decided)})
    return rows


def _subject(request, proposal: KhoiProposal) -> catalogue.Subject:
    return catalogue.Subject(
        form=catalogue.FORMS["mau_6b_ds"],
        issuer=proposal.unit,
        year=proposal.year.year,
        user=request.user,
        proposal=proposal,
    )


def _detail_context(request, proposal: KhoiProposal) -> dict:
    return {
        "proposal": proposal,
        "rows": _entry_files(proposal),
        "can_send": proposal.sent_at is None and proposals.can_propose_for(request.user, proposal.unit),
        "papers": paper_rows([_subject(request, proposal)]),
    }


@login_required
def proposal_detail(request, pk: int):
    proposal = get_object_or_404(_proposals(request.user), pk=pk)
    return render(request, "registry/proposal_detail.html", _detail_context(request, proposal))


@login_required
@require_POST
def proposal_send(request, pk: int):
    """“Gửi Đảng ủy Khối”: every entry becomes proposed to the Khối, or nothing happens. The list is issued next."""
    proposal = get_object_or_404(_proposals(request.user), pk=pk)
    if not proposals.can_propose_for(request.user, proposal.unit):
        raise PermissionDenied
    try:
        proposals.proposal_send(proposal, actor=request.user)
    except PermissionDenied:
        messages.error(request, FORBIDDEN)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, SENT)
    return redirect("registry:proposal-detail", pk=proposal.pk)


@login_required
def proposal_pdf(request, pk: int):
    """The list in force; before it is issued, its issue page (with the draft)."""
    proposal = get_object_or_404(_proposals(request.user), pk=pk)
    return serve_or_issue(_subject(request, proposal))
