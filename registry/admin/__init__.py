"""The Django admin for staff data entry of the registry's master data, in Vietnamese.

Units, people, accounts and their roles, years, lĩnh vực, criteria and form wording are edited here; units and
people can be imported from .xlsx. Registrations and what follows them are created in the portal itself: here
they are shown with their history, and their status is never editable.
"""

from registry.admin import catalog, meetings, people, registrations, signing, units  # noqa: F401 - registers the admins


def _superuser_only(*app_labels: str) -> None:
    """Login records (django-axes) and the task queue are the whole site's, across every unit: only superusers
    see them, whatever model permissions a staff account was given."""
    from django.contrib import admin

    from registry.admin.base import SuperuserOnlyAdminMixin

    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label in app_labels:
            admin.site.unregister(model)
            scoped = type(type(model_admin).__name__, (SuperuserOnlyAdminMixin, type(model_admin)), {})
            admin.site.register(model, scoped)


_superuser_only("axes", "django_tasks_database")
