"""Printed forms as documents: issue one with a frozen snapshot of what it shows, and render it again identically.

A document's PDF is always rendered from ``Document.snapshot`` plus the document's own fields (number, date,
signer, verification code), never from the live registration: a reprint shows the names and texts of the day it
was issued. An unlocked document may be refreshed with new content when its form is printed again; a locked one
(signed scan uploaded, ``locked_at`` set) never changes.
"""

import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from registry.models import Document, Registration, Unit
from registry.pdf import context as pdf_context
from registry.pdf.naming import state_style
from registry.pdf.qr import qr_data_uri, verification_url
from registry.pdf.render import layout_html, render_html
from registry.text import document_date, vi_slug


def _frozen(context: dict) -> dict:
    """A JSON round trip: fails now on anything a JSON column cannot hold, and renders exactly like a reprint."""
    return json.loads(json.dumps(context, ensure_ascii=False))


def _main_signature(context: dict) -> dict:
    return next((s for s in context.get("signatures", []) if s.get("main")), {})


def document_issue(
    *,
    form_code: str,
    issuing_unit: Unit,
    year: int,
    context: dict,
    subject: str = "",
    registration: Registration | None = None,
    created_by=None,
    number: str = "",
    issued_on=None,
    signer_authority: str | None = None,
    signer_title: str | None = None,
    signer_name: str | None = None,
    meeting=None,
    proposal=None,
) -> Document:
    """Create a document whose snapshot is ``context``; the signer defaults to the form's main signature block.

    Raises ``ValidationError`` (Vietnamese messages) for a malformed or already used number.
    """
    main = _main_signature(context)
    document = Document(
        form_code=form_code,
        issuing_unit=issuing_unit,
        year=year,
        number=number,
        issued_on=issued_on or timezone.localdate(),
        signer_authority=(main.get("authority", "") if signer_authority is None else signer_authority)[:80],
        signer_title=(main.get("title", "") if signer_title is None else signer_title)[:80],
        signer_name=(main.get("name", "") if signer_name is None else signer_name)[:120],
        subject=(subject or context.get("document_subject", ""))[:300],
        snapshot=_frozen(context),
        registration=registration,
        meeting=meeting,
        proposal=proposal,
        created_by=created_by,
    )
    # created_by is optional (null) but not blank=True on the model; printing without a user is allowed.
    document.full_clean(exclude=["created_by"])
    document.save()
    return document


def document_refresh(document: Document, *, context: dict, issuing_unit: Unit) -> Document:
    """Replace an unlocked document's content with ``context``; its number, code and typed signer stay.

    A document without a number takes today's date (it is still a draft on paper). A locked document raises
    ``ValidationError``: its content is what was signed.
    """
    if document.is_locked:
        raise ValidationError("Văn bản đã khóa (đã có bản ký, đóng dấu), không thể thay đổi nội dung.", code="locked")
    # A signer field still equal to the form's default follows the new default (a renamed person); one the office
    # typed in stays.
    old_main, new_main = _main_signature(document.snapshot or {}), _main_signature(context)
    for key, limit in (("authority", 80), ("title", 80), ("name", 120)):
        field = f"signer_{key}"
        if getattr(document, field) == old_main.get(key, ""):
            setattr(document, field, new_main.get(key, "")[:limit])
    document.snapshot = _frozen(context)
    document.subject = context.get("document_subject", document.subject)[:300]
    document.issuing_unit = issuing_unit
    if not document.number:
        document.issued_on = timezone.localdate()
    document.save()
    return document


def document_for_print(
    *, form_code: str, issuing_unit: Unit, year: int, context: dict, registration=None, created_by=None
) -> Document:
    """The document to print now: the latest unlocked one of the same form, year and registration (or unit),
    refreshed with ``context``, or a new one when every earlier one is locked or there is none."""
    with transaction.atomic():
        # Lock the row the document belongs to, so that two clicks at once make one document, not two.
        if registration is not None:
            Registration.objects.select_for_update().filter(pk=registration.pk).first()
            candidates = Document.objects.filter(form_code=form_code, registration=registration, year=year)
        else:
            Unit.objects.select_for_update().filter(pk=issuing_unit.pk).first()
            candidates = Document.objects.filter(
                form_code=form_code, issuing_unit=issuing_unit, year=year, registration__isnull=True
            )
        document = candidates.filter(locked_at__isnull=True).order_by("-pk").first()
        if document is None:
            return document_issue(
                form_code=form_code,
                issuing_unit=issuing_unit,
                year=year,
                context=context,
                registration=registration,
                created_by=created_by,
            )
        return document_refresh(document, context=context, issuing_unit=issuing_unit)


def registration_document(reg: Registration, *, user=None) -> Document:
    """The document of the registration's own form (Mẫu 1, 1a, 2 or 2a), issued or refreshed for printing."""
    return document_for_print(
        form_code=reg.form_code,
        issuing_unit=pdf_context.issuing_unit_of(reg),
        year=reg.year.year,
        context=pdf_context.registration_context(reg),
        registration=reg,
        created_by=user,
    )


def _number_line(document: Document, style: str) -> str:
    if not document.number:
        return ""
    # Party documents: "Số 12-BB/ĐU"; State documents: "Số: 05/ĐK-SYT" (forms.md §1, §2).
    return f"Số: {document.number}" if style == "state" else f"Số {document.number}"


def _dateline(document: Document, place: str, style: str) -> str:
    date = document_date(document.issued_on, state_style=style == "state")
    return f"{place}, {date}" if place else date[:1].upper() + date[1:]


def _signatures(document: Document, snapshot: dict, style: str) -> list[dict]:
    """The snapshot's signature blocks, the main one carrying the document's signer."""
    blocks = []
    for block in snapshot.get("signatures", []):
        block = dict(block)
        if block.get("main"):
            block["authority"] = document.signer_authority
            block["title"] = document.signer_title
            block["name"] = document.signer_name
            if style == "state":
                # Only the issuer's own signature follows State style; a committee's confirmation stays Party style.
                block["authority"] = state_style(block["authority"])
        blocks.append(block)
    return blocks


def document_render_context(document: Document) -> dict:
    """The template context of a document: its snapshot plus its number, dateline, signer and verification."""
    snapshot = document.snapshot or {}
    header = snapshot.get("header", {})
    style = header.get("style", "party")
    url = verification_url(document.verification_code)
    return {
        **snapshot,
        "signatures": _signatures(document, snapshot, style),
        "document": {
            "number_line": _number_line(document, style),
            "dateline": _dateline(document, header.get("place", ""), style),
            "verification_code": document.verification_code,
            "verification_url": url,
            "qr": qr_data_uri(url),
        },
    }


def document_html(document: Document) -> str:
    """The HTML of ``document`` from its snapshot: the same document always prints the same text."""
    # One form code may print from two templates (Mẫu 6b: the decision and the list to the Khối); the snapshot then
    # names its own.
    template = (document.snapshot or {}).get("template") or pdf_context.TEMPLATES.get(document.form_code)
    if template is None:
        raise ValueError(f"No template for form {document.form_code!r}")
    return render_to_string(template, document_render_context(document))


def document_render(document: Document) -> bytes:
    """The PDF of ``document``, rendered from its snapshot."""
    return render_html(document_html(document))


def document_layout(document: Document):
    """The laid-out pages of ``document``, unwritten, so that several documents merge into one PDF."""
    return layout_html(document_html(document))


def document_filename(document: Document) -> str:
    """An ASCII file name: "mau-2-<slug of the title>.pdf"."""
    stem = (document.snapshot or {}).get("filename_stem") or (
        f"{document.form_code.replace('_', '-')}-{vi_slug(document.subject, 60)}"
    )
    return f"{vi_slug(stem, 100)}.pdf"
