"""Writes that touch more than one field or model, kept out of views: registrations and their evidence.

Status changes are not here: they go through ``registry.workflow.apply``.
"""

from registry.services.attachments import attachment_add, attachment_delete
from registry.services.registrations import registration_create, registration_update

__all__ = ["attachment_add", "attachment_delete", "registration_create", "registration_update"]
