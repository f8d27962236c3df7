"""Placeholder: the meeting panel of the registration page (replaced by the real tag)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_panel(context, registration):
    return ""
