"""Placeholder: the appraisal panel of the registration page (replaced by the real tag)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def appraisal_panel(context, registration):
    return ""
