"""The public showcase of exemplars: what anonymous visitors may see, and publishing an entry to it.

An entry is public only while ``Registration.is_public`` is set AND its status is one of
``permissions.PUBLISHABLE_STATUSES`` (a confirmed exemplar). Pages never receive a Registration: they get the
``ShowcaseCard`` and ``ShowcaseEntry`` values built here, which carry the public fields only (no phone, birth date,
party details, return reasons, audit, or file that is not an image).
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from registry import permissions
from registry.models import Attachment, Field, Registration, Role, Status, Unit, YearlyReview

PHOTO_TYPES = ("image/jpeg", "image/png")
PAGE_SIZE = 12
ORDERING = ("-year__year", "title", "pk")

NOT_PUBLISHABLE = "Chỉ điển hình “Dân vận khéo” đã được xác nhận mới được công khai trên trang giới thiệu."
NOT_ALLOWED = "Bạn không có quyền công khai mô hình này."


def public_registrations() -> models.QuerySet:
    """Every entry the public may see: marked public by its unit and still a confirmed exemplar."""
    return Registration.objects.filter(is_public=True, status__in=permissions.PUBLISHABLE_STATUSES)


def _photos() -> models.QuerySet:
    return (
        Attachment.objects.filter(content_type__in=PHOTO_TYPES)
        .only("pk", "registration_id")
        .order_by("created_at", "pk")
    )


def public_label(status: str) -> str:
    """The rank a visitor reads: entries still on their way to the Khối show the rank they already hold."""
    return Status.EXEMPLAR_KHOI.label if status == Status.EXEMPLAR_KHOI else Status.EXEMPLAR_BASE.label


# --- The gallery -----------------------------------------------------------------------------------------------


def filter_choices() -> dict:
    """The lĩnh vực, years and units that have public entries: the only values the gallery's filters offer."""
    public = public_registrations()
    return {
        "fields": Field.objects.filter(pk__in=public.values("field")).order_by("order", "name"),
        "years": sorted(set(public.values_list("year__year", flat=True)), reverse=True),
        "units": Unit.objects.filter(pk__in=public.values("unit")).order_by("name"),
    }


def showcase_search(values: dict) -> models.QuerySet:
    """Public entries narrowed by validated filter ``values`` (q, linh_vuc, nam, don_vi), newest year first.

    ``q`` ignores diacritics and case ("dan van kheo" finds "Dân vận khéo") through ``RegistrationQuerySet.search``.
    """
    qs = public_registrations()
    if values.get("linh_vuc"):
        qs = qs.filter(field=values["linh_vuc"])
    if values.get("nam"):
        qs = qs.filter(year__year=values["nam"])
    if values.get("don_vi"):
        qs = qs.filter(unit=values["don_vi"])
    if values.get("q"):
        qs = qs.search(values["q"])
    return qs.order_by(*ORDERING)


@dataclass(frozen=True)
class ShowcaseCard:
    pk: int
    title: str
    unit_name: str
    field_name: str
    year: int
    rank: str
    photo_pk: int | None


def showcase_cards(registrations) -> list[ShowcaseCard]:
    """Cards for one page of ``showcase_search`` results, with the first photo of each: three queries in all."""
    regs = list(
        registrations.select_related("year", "field", "unit")
        .only("pk", "title", "status", "year__year", "field__name", "unit__name")
        .prefetch_related(models.Prefetch("attachments", queryset=_photos(), to_attr="photos"))
    )
    return [
        ShowcaseCard(
            pk=reg.pk,
            title=reg.title,
            unit_name=reg.unit.name,
            field_name=reg.field.name,
            year=reg.year.year,
            rank=public_label(reg.status),
            photo_pk=reg.photos[0].pk if reg.photos else None,
        )
        for reg in regs
    ]


# --- One entry -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShowcaseEntry:
    pk: int
    title: str
    is_collective: bool
    subject_name: str
    subject_position: str  # individuals only: their position; never birth date, phone or party details
    unit_name: str
    field_name: str
    year: int
    rank: str
    situation: str
    objectives: str
    content: str
    expected_results: str
    latest_results: str
    latest_results_year: int | None
    photo_pks: list[int] = field(default_factory=list)


def showcase_entry(pk: int) -> ShowcaseEntry | None:
    """The public page of entry ``pk``, or ``None`` when it does not exist or is not public."""
    reg = (
        public_registrations()
        .select_related("year", "field", "unit", "subject_unit", "subject_person")
        .filter(pk=pk)
        .first()
    )
    if reg is None:
        return None
    review = YearlyReview.objects.filter(registration=reg).select_related("year").order_by("-year__year").first()
    return ShowcaseEntry(
        pk=reg.pk,
        title=reg.title,
        is_collective=reg.is_collective,
        subject_name=reg.subject_name,
        subject_position="" if reg.is_collective else reg.subject_person.position,
        unit_name=reg.unit.name,
        field_name=reg.field.name,
        year=reg.year.year,
        rank=public_label(reg.status),
        situation=reg.situation,
        objectives=reg.objectives,
        content=reg.content,
        expected_results=reg.expected_results,
        latest_results=review.results if review else "",
        latest_results_year=review.year.year if review else None,
        photo_pks=list(_photos().filter(registration=reg).values_list("pk", flat=True)),
    )


def showcase_photo(pk: int, attachment_pk: int) -> Attachment | None:
    """An image attachment of public entry ``pk``; ``None`` for anything else (a document, a private entry…)."""
    return _photos().filter(pk=attachment_pk, registration__in=public_registrations().filter(pk=pk)).first()


# --- Publishing ------------------------------------------------------------------------------------------------


def _may_edit(user, reg: Registration) -> bool:
    return bool(permissions.roles_over(user, reg.unit) & {Role.EDITOR, Role.APPROVER})


def registration_publish(*, registration: Registration, user, public: bool) -> Registration:
    """Mark a confirmed exemplar public (or private again) for the showcase; returns the updated registration.

    Raises ``ValidationError`` when the entry is not a confirmed exemplar, ``PermissionDenied`` when the user is not
    an editor or approver of its unit (``permissions.can_publish``). The row is locked and its status re-read.
    """
    with transaction.atomic():
        reg = Registration.objects.select_for_update(of=("self",)).select_related("unit").get(pk=registration.pk)
        if not permissions.can_publish(user, reg):
            # Someone who could publish it once it is an exemplar is told why not; anyone else is just refused.
            if reg.status not in permissions.PUBLISHABLE_STATUSES and _may_edit(user, reg):
                raise ValidationError(NOT_PUBLISHABLE, code="not_publishable")
            raise PermissionDenied(NOT_ALLOWED)
        if reg.is_public != public:
            reg.is_public = public
            reg.save(update_fields=["is_public"])
    return reg
