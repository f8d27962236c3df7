"""Template helpers of notifications: ``{% load notification_tags %}`` then ``{% if user|can_remind:unit %}``."""

from django import template

from registry import permissions

register = template.Library()


@register.filter
def can_remind(user, unit) -> bool:
    """Whether the "Nhắc" button is offered for ``unit``; no query (memberships are cached per request)."""
    if user is None or unit is None or not getattr(user, "is_authenticated", False):
        return False
    return permissions.can_remind(user, unit)
