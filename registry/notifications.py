"""E-mails about registrations and reminders to units that have not registered.

``status_changed`` is called by ``workflow.apply`` through ``transaction.on_commit``: a rolled-back transition never
mails anyone. Mail goes only to active accounts with an address whose ``UserPreference.email_enabled`` is not off
(no row means on), one message per recipient, never to the person who took the action. A failing mail server is
logged and never breaks the request that triggered the mail.
"""

import datetime
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from registry import permissions
from registry.inbox import unregistered_units
from registry.models import Membership, Registration, Reminder, Role, StatusChange, Unit, Year
from registry.models.units import ancestor_paths
from registry.permissions import memberships_of
from registry.terms import lazy_text, terms

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Dân vận khéo]"

# A second reminder to the same unit for the same year is refused within this delay (a double click, an impatient
# leader): the unit's editors get one mail, not two.
REMINDER_INTERVAL = datetime.timedelta(seconds=60)


@dataclass(frozen=True)
class Event:
    """What a status change means to the people told about it."""

    template: str  # templates/email/<template>.txt
    subject: str  # formatted with {title}
    role: str  # who is told: approvers over the receiving unit, or editors over the owning unit
    over: str  # "receiving_unit" or "unit"


_TO_EDITORS = {"role": Role.EDITOR, "over": "unit"}

# workflow action → event; actions not listed here (withdraw, propose_khoi, finish_appraisal) mail nobody.
EVENTS: dict[str, Event] = {
    "submit": Event(
        "email/submitted.txt", "Hồ sơ “{title}” đã được gửi, chờ tiếp nhận", Role.APPROVER, "receiving_unit"
    ),
    "return": Event("email/returned.txt", "Hồ sơ “{title}” bị trả lại để bổ sung", **_TO_EDITORS),
    "receive": Event("email/received.txt", "Hồ sơ “{title}” đã được tiếp nhận", **_TO_EDITORS),
    "confirm": Event("email/decided.txt", "Mô hình “{title}” đã được xác nhận", **_TO_EDITORS),
    "confirm_exemplar_base": Event(
        "email/decided.txt", "Mô hình “{title}” được xác nhận là điển hình cấp cơ sở", **_TO_EDITORS
    ),
    "confirm_exemplar_khoi": Event(
        "email/decided.txt", lazy_text("Mô hình “{title}” được xác nhận là điển hình cấp {top_body}"), **_TO_EDITORS
    ),
    "not_chosen": Event(
        "email/decided.txt", lazy_text("Mô hình “{title}” không được chọn là điển hình cấp {top_body}"), **_TO_EDITORS
    ),
    "stop": Event("email/decided.txt", "Mô hình “{title}” đã dừng thực hiện", **_TO_EDITORS),
}


def absolute_url(path: str) -> str:
    """An address on the portal as it is reached from outside (``settings.PORTAL_BASE_URL``)."""
    return f"{settings.PORTAL_BASE_URL}{path}"


def _subject(text: str) -> str:
    # A header never spans lines (Django refuses one that does); a very long title is cut.
    line = " ".join(f"{SUBJECT_PREFIX} {text}".split())
    return line if len(line) <= 200 else line[:199] + "…"


def recipients_query(role: str, unit: Unit, *, exclude_user_id: int | None = None) -> models.QuerySet:
    """Accounts holding ``role`` over ``unit`` (a membership of it or of a unit above it) who accept e-mail."""
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__role=role,
            memberships__unit__path__in=ancestor_paths(unit.path),
        )
        .exclude(email="")
        # No preference row means e-mails are on (the model's default).
        .exclude(registry_preference__email_enabled=False)
        .distinct()
        .order_by("pk")
    )
    if exclude_user_id is not None:
        users = users.exclude(pk=exclude_user_id)
    return users


def _send(messages: list[EmailMessage]) -> int:
    """Send the messages over one connection; return how many went out. Failures are logged, never raised."""
    if not messages:
        return 0
    try:
        with get_connection() as connection:
            return connection.send_messages(messages) or 0
    except Exception:  # any SMTP, socket or backend error: the user's action already succeeded
        logger.exception("Sending %d notification e-mail(s) failed", len(messages))
        return 0


def _message(subject: str, template: str, context: dict, user) -> EmailMessage:
    # A mail has no request: the names of the year's guidance are handed to the template here.
    names = terms(context.get("year") or getattr(context.get("registration"), "year", None))
    body = render_to_string(
        template, {**context, "names": names, "recipient": user, "portal_url": settings.PORTAL_BASE_URL}
    )
    # Template tags leave blank lines behind; a mail reads better with at most one empty line in a row.
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in body.strip().splitlines())) + "\n"
    return EmailMessage(subject=_subject(subject), body=body, to=[user.email])


def status_changed(change_id: int) -> None:
    """Mail the people concerned by StatusChange ``change_id`` (called after the transaction that wrote it
    commits). Never raises: a notification problem is logged, the status change stands."""
    try:
        _status_changed(change_id)
    except Exception:
        logger.exception("Notification of status change %s failed", change_id)


def _status_changed(change_id: int) -> int:
    change = (
        StatusChange.objects.select_related(
            "actor",
            "registration__unit",
            "registration__receiving_unit",
            "registration__year",
            "registration__subject_unit",
            "registration__subject_person",
        )
        .filter(pk=change_id)
        .first()
    )
    if change is None or change.action not in EVENTS:
        return 0
    event = EVENTS[change.action]
    reg: Registration = change.registration
    target = getattr(reg, event.over)
    context = {
        "registration": reg,
        "change": change,
        "status_label": reg.Status(change.to_status).label,
        "action_label": _action_label(change.action),
        "link": absolute_url(reg.get_absolute_url()),
    }
    subject = event.subject.format(title=reg.title)
    users = recipients_query(event.role, target, exclude_user_id=change.actor_id)
    return _send([_message(subject, event.template, context, user) for user in users])


def _action_label(action: str) -> str:
    # Imported here: workflow imports this module at load time.
    from registry.workflow import TRANSITIONS

    return TRANSITIONS[action].label


# --- reminders to units that have not registered -------------------------------------------------------------------


class ReminderRefused(ValidationError):
    """A reminder that is not sent; its message is shown to the user as is."""


@dataclass(frozen=True)
class ReminderResult:
    reminder: Reminder
    recipients: int


def reminder_recipients(unit: Unit) -> list:
    """The editors closest to the unit who accept e-mail: those of the unit itself, else of the nearest unit above
    it that has some (an agency's registrations are often entered by its party unit's office)."""
    rows = (
        Membership.objects.filter(role=Role.EDITOR, unit__path__in=ancestor_paths(unit.path), user__is_active=True)
        .exclude(user__email="")
        .exclude(user__registry_preference__email_enabled=False)
        .select_related("user")
        .order_by("-unit__depth", "user_id")
    )
    chosen, depth = {}, None
    for membership in rows:
        if depth is None:
            depth = membership.unit.depth
        if membership.unit.depth != depth:
            break
        chosen.setdefault(membership.user_id, membership.user)
    return list(chosen.values())


def send_reminder(*, unit: Unit, year: Year, actor) -> ReminderResult:
    """Remind the editors of ``unit`` that it has not registered for ``year``; record a ``Reminder``.

    Refused (``ReminderRefused`` with a Vietnamese message) when the unit has already registered or was reminded
    for the same year less than a minute ago; ``PermissionDenied`` when the actor may not remind it. The unit row is
    locked while checking, so two clicks at once send one reminder. Mail leaves after the commit.
    """
    if not permissions.can_remind(actor, unit):
        raise PermissionDenied("Bạn không có quyền nhắc việc đơn vị này.")
    with transaction.atomic():
        unit = Unit.objects.select_for_update().get(pk=unit.pk)
        if not unregistered_units(actor, year).filter(pk=unit.pk).exists():
            raise ReminderRefused(
                f"{unit.name} đã đăng ký mô hình năm {year.year}; không cần nhắc.", code="already_registered"
            )
        now = timezone.now()
        last = (
            Reminder.objects.filter(unit=unit, year=year, sent_at__gt=now - REMINDER_INTERVAL)
            .order_by("-sent_at")
            .first()
        )
        if last is not None:
            at = timezone.localtime(last.sent_at).strftime("%H:%M")
            raise ReminderRefused(
                f"Đã nhắc đơn vị này lúc {at}; vui lòng đợi ít nhất một phút trước khi nhắc lại.", code="too_soon"
            )
        users = reminder_recipients(unit)
        reminder = Reminder.objects.create(unit=unit, year=year, sent_by=actor, recipients=len(users))
        context = {
            "unit": unit,
            "year": year,
            "sender": actor,
            "sender_units": sorted({m.unit.name for m in _approver_memberships(actor, unit)}),
            "link": absolute_url(reverse("registry:registration-create-choose")),
        }
        subject = f"Nhắc việc: đơn vị chưa đăng ký mô hình “Dân vận khéo” năm {year.year}"
        messages = [_message(subject, "email/reminder.txt", context, user) for user in users]
        transaction.on_commit(lambda: _send(messages))
    return ReminderResult(reminder, len(users))


def _approver_memberships(user, unit: Unit) -> list[Membership]:
    return [m for m in memberships_of(user) if m.role == Role.APPROVER and unit.path.startswith(m.unit.path)]
