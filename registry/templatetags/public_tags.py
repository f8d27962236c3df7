"""The "Công khai" toggle and the signed-scan uploads of the registration page: ``{% load public_tags %}`` then
``{% public_controls registration documents %}`` renders ``registry/partials/_public_controls.html`` for the
current user."""

from django import template
from django.template.loader import render_to_string

from registry import permissions
from registry.models import Document
from registry.public_forms import ScanUploadForm, SignedPdfUploadForm
from registry.verification import signing_time

register = template.Library()


def controls_context(user, registration, documents=None) -> dict:
    """What the panel shows: the publish toggle if the user may publish, and each document of the entry with
    whether this user may upload its signed scan. ``documents``: the entry's documents when the page already has
    them (``Document.objects.about``), so that they are read once."""
    if documents is None:
        documents = Document.objects.about(registration).select_related("issuing_unit")
    documents = list(documents)
    for document in documents:
        document.can_upload = not document.is_locked and permissions.can_upload_scan(user, document)
        document.signed_at_iso = signing_time(document.signed_at)
    can_publish = permissions.can_publish(user, registration)
    return {
        "registration": registration,
        "can_publish": can_publish,
        "documents": documents,
        "scan_form": ScanUploadForm(),
        "signed_form": SignedPdfUploadForm(),
        "shows": can_publish or registration.is_public or any(d.can_upload or d.is_locked for d in documents),
    }


@register.simple_tag(takes_context=True)
def public_controls(context, registration, documents=None):
    request = context.get("request")
    if request is None:
        return ""
    return render_to_string(
        "registry/partials/_public_controls.html",
        controls_context(request.user, registration, documents),
        request=request,
    )
