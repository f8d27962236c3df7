"""The Django admin for staff data entry of the registry's master data, in Vietnamese.

Units, people, accounts and their roles, years, lĩnh vực, criteria and form wording are edited here; units and
people can be imported from .xlsx. Registrations and what follows them are created in the portal itself: here
they are shown with their history, and their status is never editable.
"""

from registry.admin import catalog, meetings, people, registrations, units  # noqa: F401 - registers the admins
