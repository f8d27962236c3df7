"""Every change of ``Registration.status`` goes through ``apply()``; nothing else writes the status.

``apply()`` runs in one transaction: it locks the row (``select_for_update``; on SQLite the IMMEDIATE transaction
mode serialises writers instead), re-checks actor and state under the lock, writes the new status and one
``StatusChange`` audit row. Two people acting on the same entry at once: the second sees the new state and gets
a clear message instead of a second transition.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DateTimeField, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from registry import notifications, permissions
from registry.models import RankingRow, Registration, Status, StatusChange
from registry.terms import lazy_text

S = Status
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable[..., bool]
    needs_reason: bool = False
    style: str = "primary"  # Bootstrap button colour, for the page that offers it
    # Transitions that follow a collective decision are applied only by the service that records it ("meeting",
    # "proposal", "appraisal"), never offered as a button nor accepted from a hand-made POST.
    via: str | None = None
    # Separation of duties: why this actor may not take a decision on this entry (permissions.decision_conflict),
    # asked after ``allowed``; None for the editor's own steps (submit, withdraw).
    conflict: Callable[..., str | None] | None = permissions.decision_conflict


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition(
        "Gửi đăng ký", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, permissions.can_submit, conflict=None
    ),
    "withdraw": Transition(
        "Rút lại để sửa",
        frozenset({S.SUBMITTED}),
        S.DRAFT,
        permissions.can_withdraw,
        style="outline-secondary",
        conflict=None,
    ),
    "receive": Transition("Tiếp nhận", frozenset({S.SUBMITTED}), S.ACTIVE, permissions.can_receive, style="success"),
    "return": Transition(
        "Trả lại", frozenset({S.SUBMITTED}), S.RETURNED, permissions.can_receive, needs_reason=True, style="warning"
    ),
    "stop": Transition(
        "Dừng thực hiện",
        frozenset({S.ACTIVE, S.CONFIRMED}),
        S.STOPPED,
        permissions.can_stop,
        needs_reason=True,
        style="danger",
    ),
    # Mẫu 5a/5b: the receiving unit's meeting confirms the model.
    "confirm": Transition(
        "Xác nhận mô hình", frozenset({S.ACTIVE}), S.CONFIRMED, permissions.can_decide_model, via="meeting"
    ),
    # Mẫu 6a/6b: the grassroots committee confirms a grassroots exemplar.
    "confirm_exemplar_base": Transition(
        "Xác nhận điển hình cấp cơ sở",
        frozenset({S.CONFIRMED}),
        S.EXEMPLAR_BASE,
        permissions.can_decide_exemplar_base,
        via="meeting",
    ),
    # Mẫu 6b list: the grassroots unit proposes its exemplars to the Khối.
    "propose_khoi": Transition(
        lazy_text("Đề nghị lên {top_committee}"),
        frozenset({S.EXEMPLAR_BASE}),
        S.PROPOSED_KHOI,
        permissions.can_propose_khoi,
        via="proposal",
    ),
    # Mẫu 7a: the Ban Tuyên giáo closes its appraisal of a proposal.
    "finish_appraisal": Transition(
        "Hoàn thành thẩm định",
        frozenset({S.PROPOSED_KHOI}),
        S.APPRAISED,
        permissions.can_appraise,
        via="appraisal",
        conflict=permissions.appraisal_conflict,
    ),
    # Mẫu 7b: the Ban Thường vụ Đảng ủy Khối confirms Khối exemplars; the others go back to grassroots exemplars.
    "confirm_exemplar_khoi": Transition(
        lazy_text("Xác nhận điển hình cấp {top_body}"),
        frozenset({S.APPRAISED}),
        S.EXEMPLAR_KHOI,
        permissions.can_decide_khoi,
        via="meeting",
    ),
    "not_chosen": Transition(
        lazy_text("Không được chọn là điển hình cấp {top_body}"),
        frozenset({S.APPRAISED}),
        S.EXEMPLAR_BASE,
        permissions.can_decide_khoi,
        via="meeting",
    ),
}

# What a registration must hold before it is sent: (field, label) in print order (forms.md).
REQUIRED_TO_SUBMIT = [
    ("title", "Tên mô hình"),
    ("field", "Lĩnh vực"),
    ("address", "Địa chỉ thực hiện"),
    ("situation", "Thực trạng, lý do, sự cần thiết"),
    ("objectives", "Mục tiêu"),
    ("content", "Nội dung, giải pháp, cách thức thực hiện"),
    ("beneficiaries", "Địa bàn, đối tượng tác động hoặc thụ hưởng"),
    ("partners", "Lực lượng thực hiện và phối hợp"),
    ("start_date", "Thời gian thực hiện: từ ngày"),
    ("end_date", "Thời gian thực hiện: đến ngày"),
    ("expected_results", "Kết quả, sản phẩm dự kiến"),
    ("lead_name", "Người phụ trách"),
]


def missing_for_submission(reg: Registration) -> list[str]:
    """Labels of the sections still empty; an empty list means the registration may be sent."""
    return [label for name, label in REQUIRED_TO_SUBMIT if getattr(reg, name) in (None, "")]


class TransitionError(ValidationError):
    """A transition that is not possible now; its message is shown to the user as is."""


def available_actions(user, reg: Registration, submitted: set[int] | None = None) -> list[tuple[str, Transition]]:
    """(action, transition) pairs this user may apply now from the entry's page (not those of a meeting).
    ``submitted``: what ``permissions.submitted_by`` gives, when the caller knows it (saves a query per action)."""
    return [
        (name, t)
        for name, t in TRANSITIONS.items()
        if t.via is None
        and reg.status in t.sources
        and t.allowed(user, reg)
        and (t.conflict is None or t.conflict(user, reg, submitted) is None)
    ]


def apply(registration: Registration, action: str, *, actor, reason: str = "", via: str | None = None) -> Registration:
    """Apply ``action`` to the registration as ``actor``; return the updated registration.

    ``via`` names the service applying a collective decision ("meeting", "proposal", "appraisal"); an action
    that belongs to one is refused from anywhere else. Inside a caller's transaction this is a savepoint, so a
    meeting applies all its entries or none.
    """
    t = TRANSITIONS.get(action)
    if t is None or t.via != via:
        raise TransitionError("Thao tác không hợp lệ.", code="unknown_action")
    reason = (reason or "").strip()
    with transaction.atomic():
        reg = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("unit", "receiving_unit", "year", "subject_unit", "subject_person")
            .get(pk=registration.pk)
        )
        if reg.status not in t.sources:
            raise TransitionError(
                f"Không thể “{t.label}” vì hồ sơ đang ở trạng thái “{reg.get_status_display()}”. "
                "Có thể người khác vừa xử lý hồ sơ này; vui lòng xem lại.",
                code="invalid_transition",
            )
        if not t.allowed(actor, reg):
            raise PermissionDenied("Bạn không có quyền thực hiện thao tác này.")
        if t.conflict is not None and (problem := t.conflict(actor, reg)):
            raise TransitionError(problem, code="separation_of_duties")
        if t.needs_reason and not reason:
            raise TransitionError("Vui lòng ghi rõ lý do.", code="reason_required")
        if action == "submit":
            missing = missing_for_submission(reg)
            if missing:
                raise TransitionError("Chưa thể gửi: còn thiếu " + "; ".join(missing) + ".", code="incomplete")
            reg.submitted_at = timezone.now()
        change = StatusChange.objects.create(
            registration=reg, action=action, from_status=reg.status, to_status=t.target, actor=actor, reason=reason
        )
        reg.status = t.target
        reg.save(update_fields=["status", "submitted_at"])
        # The ranking filters on its own copy of the status (RankingRow): kept here, in the same transaction, so that
        # no other service has to remember it. An entry never appraised has no row and this updates nothing.
        RankingRow.objects.filter(registration_id=reg.pk).update(
            status=reg.status,
            submitted_at=reg.submitted_at,
            ranked_at=Coalesce("proposal_sent_at", Value(reg.submitted_at, output_field=DateTimeField())),
        )
        # E-mail only what really happened: after the outermost transaction commits, never for a rollback.
        transaction.on_commit(partial(notifications.status_changed, change.pk))
        # Logged once committed, like the e-mail: a collective decision that rolls back never happened.
        transaction.on_commit(partial(_log_transition, change, via))
    return reg


def _log_transition(change: StatusChange, via: str | None) -> None:
    logger.info(
        "Registration %s: %s (%s -> %s)",
        change.registration_id,
        change.action,
        change.from_status,
        change.to_status,
        extra={
            "registration_id": change.registration_id,
            "action": change.action,
            "from_status": change.from_status,
            "to_status": change.to_status,
            "actor_id": change.actor_id,
            "via": via,
        },
    )
