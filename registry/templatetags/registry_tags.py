"""Template helpers of the registry: Vietnamese dates, status badges, people's names and file sizes.

``{% load registry_tags %}`` then ``{{ value|vn_date }}`` (dd/mm/yyyy), ``{{ value|vn_datetime }}`` (dd/mm/yyyy HH:MM
in the site's time zone, Asia/Ho_Chi_Minh), ``{% status_badge status %}``, ``{{ user|person_name }}``,
``{{ size|vn_filesize }}``.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from registry.models import Status
from registry.services.attachments import human_size

register = template.Library()

# Bootstrap colour of each status badge: waiting states blue/yellow, running green, exemplars red (the movement's).
STATUS_STYLES = {
    Status.DRAFT: "secondary",
    Status.SUBMITTED: "primary",
    Status.RETURNED: "warning",
    Status.ACTIVE: "success",
    Status.STOPPED: "dark",
    Status.CONFIRMED: "success",
    Status.EXEMPLAR_BASE: "danger",
    Status.PROPOSED_KHOI: "info",
    Status.APPRAISED: "info",
    Status.EXEMPLAR_KHOI: "danger",
}


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def vn_date(value) -> str:
    """A date or datetime as dd/mm/yyyy (datetimes in local time); '' for nothing."""
    if not value:
        return ""
    return _local(value).strftime("%d/%m/%Y")


@register.filter
def vn_datetime(value) -> str:
    """A datetime as dd/mm/yyyy HH:MM in local time; '' for nothing."""
    if not value:
        return ""
    return _local(value).strftime("%d/%m/%Y %H:%M")


@register.filter
def status_label(value) -> str:
    """The Vietnamese label of a status value ("draft" → "Nháp")."""
    try:
        return Status(value).label
    except ValueError:
        return str(value)


@register.simple_tag
def status_badge(status) -> str:
    """A coloured badge with the status label. Written here rather than by a template: a list prints one a row, and
    a template render each was a tenth of the list page's time (issue 17). The trailing newline is the one the
    template had."""
    return format_html(
        '<span class="badge rounded-pill text-bg-{} status-badge" data-status="{}">{}</span>\n',
        STATUS_STYLES.get(status, "secondary"),
        status,
        status_label(status),
    )


@register.filter
def person_name(user) -> str:
    """An account's full name in Vietnamese order (họ, then tên: "Nguyễn Văn A"), or its user name."""
    if user is None:
        return ""
    full = " ".join(part for part in (user.last_name.strip(), user.first_name.strip()) if part)
    return full or user.get_username()


@register.filter
def vn_filesize(size) -> str:
    """Bytes as "1,5 MB"."""
    if size in (None, ""):
        return ""
    return human_size(int(size))
