"""Every change of ``Registration.status`` goes through ``apply()``; nothing else writes the status.

``apply()`` runs in one transaction: it locks the row (``select_for_update``; on SQLite the IMMEDIATE transaction
mode serialises writers instead), re-checks actor and state under the lock, writes the new status and one
``StatusChange`` audit row. Two people acting on the same entry at once: the second sees the new state and gets
a clear message instead of a second transition.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from registry import permissions
from registry.models import Registration, Status, StatusChange

S = Status


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable[..., bool]
    needs_reason: bool = False
    style: str = "primary"  # Bootstrap button colour, for the page that offers it


TRANSITIONS: dict[str, Transition] = {
    "submit": Transition("Gửi đăng ký", frozenset({S.DRAFT, S.RETURNED}), S.SUBMITTED, permissions.can_submit),
    "withdraw": Transition(
        "Rút lại để sửa", frozenset({S.SUBMITTED}), S.DRAFT, permissions.can_withdraw, style="outline-secondary"
    ),
    "receive": Transition("Tiếp nhận", frozenset({S.SUBMITTED}), S.ACTIVE, permissions.can_receive, style="success"),
    "return": Transition(
        "Trả lại", frozenset({S.SUBMITTED}), S.RETURNED, permissions.can_receive, needs_reason=True, style="warning"
    ),
    "stop": Transition(
        "Dừng thực hiện", frozenset({S.ACTIVE}), S.STOPPED, permissions.can_stop, needs_reason=True, style="danger"
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


def available_actions(user, reg: Registration) -> list[tuple[str, Transition]]:
    """(action, transition) pairs this user may apply now, for the page to offer."""
    return [(name, t) for name, t in TRANSITIONS.items() if reg.status in t.sources and t.allowed(user, reg)]


def apply(registration: Registration, action: str, *, actor, reason: str = "") -> Registration:
    """Apply ``action`` to the registration as ``actor``; return the updated registration."""
    try:
        t = TRANSITIONS[action]
    except KeyError:
        raise TransitionError("Thao tác không hợp lệ.", code="unknown_action") from None
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
        if t.needs_reason and not reason:
            raise TransitionError("Vui lòng ghi rõ lý do.", code="reason_required")
        if action == "submit":
            missing = missing_for_submission(reg)
            if missing:
                raise TransitionError("Chưa thể gửi: còn thiếu " + "; ".join(missing) + ".", code="incomplete")
            reg.submitted_at = timezone.now()
        StatusChange.objects.create(
            registration=reg, action=action, from_status=reg.status, to_status=t.target, actor=actor, reason=reason
        )
        reg.status = t.target
        reg.save(update_fields=["status", "submitted_at"])
    return reg
