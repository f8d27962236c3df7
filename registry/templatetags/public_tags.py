"""The "Công khai" toggle and the signed-scan uploads of the registration page: ``{% load public_tags %}`` then
``{% public_controls registration %}`` renders ``registry/partials/_public_controls.html`` for the current user."""

from django import template
from django.template.loader import render_to_string

from registry import permissions
from registry.models import Document
from registry.public_forms import ScanUploadForm

register = template.Library()


def controls_context(user, registration) -> dict:
    """What the panel shows: the publish toggle if the user may publish, and each document of the entry with
    whether this user may upload its signed scan."""
    documents = list(Document.objects.about(registration).select_related("issuing_unit"))
    for document in documents:
        document.can_upload = not document.is_locked and permissions.can_upload_scan(user, document)
    can_publish = permissions.can_publish(user, registration)
    return {
        "registration": registration,
        "can_publish": can_publish,
        "documents": documents,
        "scan_form": ScanUploadForm(),
        "shows": can_publish or registration.is_public or any(d.can_upload or d.is_locked for d in documents),
    }


@register.simple_tag(takes_context=True)
def public_controls(context, registration):
    request = context.get("request")
    if request is None:
        return ""
    return render_to_string(
        "registry/partials/_public_controls.html", controls_context(request.user, registration), request=request
    )
