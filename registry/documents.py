"""Issued documents: the one place a printed form becomes a paper of its issuing body (forms.md §5).

A paper is issued once, by a person (a POST), from a catalogue ``Subject`` (``registry.papers.catalogue``): its date
is the date of the act it records, its number (where the Party gives one) is unique for the issuer and year, its
signer defaults from the form and the unit and is confirmed by the user, and it gets its own verification code. The
content is frozen into ``Document.snapshot`` and the PDF bytes are stored with their SHA-256: a reprint serves the
stored bytes, byte-identical forever, whatever is renamed later.

Issuing the same paper again (another signer or number) makes a new version with a new code; the old one is marked
replaced and its verification page says so. A paper with a signed scan on file (locked) is never issued again.

Issued bytes are PDF/A-3b with the frozen snapshot embedded as a JSON file (its SHA-256 kept in
``Document.snapshot_sha256``). When the issuing unit holds a signing certificate (``SigningCertificate``), the bytes
are signed once, here, before they are stored (``registry.signing``, PAdES-B-B, or B-T with ``SIGNING_TSA_URL``):
a visible stamp in the signature space of forms that have one, invisible otherwise. A certificate that cannot sign
(expired, unreadable) refuses the issue with its reason; nothing is stored.

Drafts (``draft_pdf``) are rendered from live data, say "BẢN NHÁP" on every page, carry no code and are never
stored. This module is the only caller of ``registry.pdf`` and the only one that signs with ``registry.signing``.

Every paper also comes as an editable Word file (``docx_bytes``, ``draft_docx``), written by ``registry.docx`` from
the same template and context as its PDF (so from the snapshot, for an issued paper): nothing is typed twice. The
Word file is never stored and says, in its properties and at its foot, that it has no verification code's guarantee:
the issued PDF stays the record.
"""

import hashlib
import json

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise

from registry.docx import writer as docx_writer
from registry.models import Document, KhoiProposal, Meeting, Registration, SigningCertificate, Unit
from registry.papers.catalogue import FORMS, Issue, PaperForm, Subject, check_issue_date
from registry.papers.naming import state_style
from registry.pdf import render
from registry.pdf.qr import qr_data_uri
from registry.signing import SigningError, keys, pades
from registry.text import document_date, vi_slug

NOT_ALLOWED = "Bạn không có quyền ban hành văn bản này."
LOCKED = "Văn bản đã có bản ký, đóng dấu (đã khóa): không thể ban hành lại."
NUMBER_USED = "Số văn bản này đơn vị đã dùng trong năm."
NO_SIGNER = "Vui lòng nhập họ tên người ký."
CHANGED_MEANWHILE = (
    "Văn bản này vừa được ban hành (mã {code}) trong lúc bạn điền: xem văn bản đang có hiệu lực ở trên, "
    "rồi bấm “Ban hành lại” nếu vẫn cần một phiên bản mới."
)
DRAFT_DATELINE = "ngày …… tháng …… năm ……"
# The Word copy's properties and the line at its foot: an editable copy, never the record (issue #16).
EDITABLE_COPY = "Bản Word để chỉnh sửa, không có giá trị xác thực như văn bản PDF đã ban hành (mã {code})."
EDITABLE_DRAFT = "Bản Word của bản nháp để chỉnh sửa: chưa ban hành, không có số, ngày và mã xác thực."
# The id of the main signature block's blank space in templates/pdf/partials/_signature_block.html.
SIGNATURE_SPACE = "chu-ky-so"
SIGNATURE_FIELD = "ChuKySoDonVi"
SNAPSHOT_NAME = "noi-dung-van-ban.json"
TEST_MARK = "CHỨNG THƯ THỬ NGHIỆM"
# The top right of a bulk-printed copy of a signed document (``copy_line``).
UNSEALED_COPY = (
    "Bản in lại, không có chữ ký số, của văn bản đã ký số {line}; bản có giá trị là tệp đã ký số (mã {code})."
)
# Where the office writes the number by hand: "Số      -BC/ĐU" (six no-break spaces).
BLANK_NUMBER = "\u00a0" * 6


def verification_url(code: str) -> str:
    """Absolute URL of the public page that confirms a document: ``<PORTAL_BASE_URL>/xac-thuc/<code>/``."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}/xac-thuc/{code}/"


def form_of(document: Document) -> PaperForm | None:
    return FORMS.get(document.form_code)


# --- Finding a paper's versions ------------------------------------------------------------------------------------


def versions(subject: Subject):
    """Every document ever issued for this paper, newest first."""
    links = subject.links()
    queryset = Document.objects.filter(form_code=subject.form.code, year=subject.year, **links)
    if not any(links.values()):
        queryset = queryset.filter(issuing_unit=subject.issuer)
    return queryset.order_by("-pk")


def current(subject: Subject, among: list[Document] | None = None) -> Document | None:
    """The paper's issued version in force (not replaced), or ``None`` before it is issued.

    ``among``: documents already read that include every version of the paper (the registration page's
    ``Document.objects.about``); the same choice as ``versions`` makes, without a query."""
    if among is None:
        return versions(subject).filter(replaced_at__isnull=True).first()
    links = {name: (value.pk if value is not None else None) for name, value in subject.links().items()}
    found = [
        doc
        for doc in among
        if doc.form_code == subject.form.code
        and doc.year == subject.year
        and doc.replaced_at is None
        and all(getattr(doc, f"{name}_id") == pk for name, pk in links.items())
        and (any(links.values()) or doc.issuing_unit_id == subject.issuer.pk)
    ]
    return max(found, key=lambda doc: doc.pk, default=None)


def default_signer(subject: Subject, context: dict | None = None) -> dict:
    """The signer printed by default: the form's main signature block, its name from the issuing unit's office
    holder when the form names nobody."""
    context = context if context is not None else subject.build()
    main = _main_signature(context)
    return {
        "authority": main.get("authority", ""),
        "title": main.get("title", ""),
        "name": main.get("name", "") or subject.issuer.signer_name,
    }


def _main_signature(context: dict) -> dict:
    return next((s for s in context.get("signatures", []) if s.get("main")), {})


def compose_number(subject: Subject, raw: str) -> str:
    """The full number from what was typed: "12" → "12-BB/ĐU" (Party) or "12/ĐK-SYT" (State) with the form's kind
    and the issuer's abbreviation; a full number is kept as typed."""
    raw = (raw or "").strip()
    abbreviation = subject.issuer.abbreviation.strip()
    if raw.isdigit() and subject.numbered and abbreviation:
        kind = subject.form.number_kind
        return f"{raw}/{kind}-{abbreviation}" if subject.form.layout == "state" else f"{raw}-{kind}/{abbreviation}"
    return raw


# --- Issuing --------------------------------------------------------------------------------------------------------


def _lock_record(subject: Subject) -> None:
    """Lock the row the paper belongs to: two issues at once are taken one after the other, the second making a
    new version of the first (never two versions both in force)."""
    if subject.registration is not None:
        Registration.objects.select_for_update(of=("self",)).filter(pk=subject.registration.pk).first()
    elif subject.meeting is not None:
        Meeting.objects.select_for_update(of=("self",)).filter(pk=subject.meeting.pk).first()
    elif subject.proposal is not None:
        KhoiProposal.objects.select_for_update(of=("self",)).filter(pk=subject.proposal.pk).first()
    else:
        Unit.objects.select_for_update(of=("self",)).filter(pk=subject.issuer.pk).first()


def _as_text(value):
    # A label named by the guidance (registry.terms.lazy_text) is frozen as the words it has today.
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} không lưu được vào nội dung văn bản.")


def _frozen(context: dict) -> dict:
    """A JSON round trip: fails now on anything a JSON column cannot hold, and renders exactly like a reprint."""
    return json.loads(json.dumps(context, ensure_ascii=False, default=_as_text))


def check_issue(subject: Subject, data: Issue, *, user) -> Issue:
    """What ``issue`` checks before it locks anything, and whether the number is already used: the request that
    sends a long paper to the background worker (``registry.paper_jobs``) says so beside the field at once. Returns
    ``data`` trimmed and its number composed; raises as ``issue`` does. ``issue`` checks all again, under its lock."""
    data = _preconditions(subject, data, user)
    previous = current(subject)
    _check_in_force(previous, data)
    if data.number:
        used = Document.objects.filter(
            issuing_unit=subject.issuer, year=subject.year, number=data.number, replaced_at__isnull=True
        )
        if previous is not None:
            used = used.exclude(pk=previous.pk)  # a new version may keep the number of the one it replaces
        if used.exists():
            raise ValidationError({"number": ValidationError(NUMBER_USED, code="number_used")})
    return data


def _no_progress(_step: str) -> None:
    pass


def issue(subject: Subject, data: Issue, *, user, progress=_no_progress) -> Document:
    """Issue the paper of ``subject`` with the number, date and signer in ``data``; returns the new document.

    All or nothing. Raises ``PermissionDenied`` for a user who may not issue it, ``ValidationError`` (Vietnamese,
    with a ``code``) for a paper not ready, a date outside the act's, a number already used, an empty signer name or
    a paper already signed; then nothing was issued. ``progress`` is told each step as it starts ("content",
    "render", "store"): a background job shows them on its bar.
    """
    data = _preconditions(subject, data, user)
    try:
        with transaction.atomic():
            _lock_record(subject)
            previous = current(subject)
            _check_in_force(previous, data)
            progress("content")
            context = _paper_context(subject, data)
            document = Document(
                form_code=subject.form.code,
                issuing_unit=subject.issuer,
                year=subject.year,
                number=data.number,
                issued_on=data.issued_on,
                signer_authority=data.signer_authority[:80],
                signer_title=data.signer_title[:80],
                signer_name=data.signer_name[:120],
                subject=context.get("document_subject", "")[:300],
                snapshot=context,
                created_by=user,
                replaces=previous,
                **subject.links(),
            )
            if previous is not None:
                previous.replaced_at = timezone.now()
                previous.save(update_fields=["replaced_at", "updated_at"])
            # created_by is optional (null) but not blank=True on the model.
            try:
                document.full_clean(exclude=["created_by", "replaces"])
            except ValidationError as error:
                raise _number_error(error) from None
            document.save()
            _store_pdf(document, sign=True, progress=progress)
    except IntegrityError as error:
        # Two people typing the same number at once: the unique constraint decides.
        raise ValidationError({"number": ValidationError(NUMBER_USED, code="number_used")}) from error
    return document


def _check_in_force(previous: Document | None, data: Issue) -> None:
    """The version in force may be replaced: not when it is locked (signed), nor when it is not the one the user
    saw (another issue landed meanwhile)."""
    if previous is not None and previous.is_locked:
        raise ValidationError(LOCKED, code="locked")
    if data.in_force_seen is not None and data.in_force_seen != (previous.pk if previous else 0):
        raise ValidationError(CHANGED_MEANWHILE.format(code=previous.verification_code if previous else "—"),
                              code="changed")  # fmt: skip


def _preconditions(subject: Subject, data: Issue, user) -> Issue:
    """Who may issue, whether the paper is ready, and ``data`` checked (``_checked``): asked by ``check_issue`` at
    once and by ``issue`` again."""
    if not subject.form.may_issue(user, subject):
        raise PermissionDenied(NOT_ALLOWED)
    reason = subject.not_ready()
    if reason:
        raise ValidationError(reason, code="not_ready")
    return _checked(subject, data)


def _checked(subject: Subject, data: Issue) -> Issue:
    """``data`` trimmed, its number composed; raises ``ValidationError`` keyed by ``Issue`` field names."""
    errors = {}
    if data.issued_on is None:
        errors["issued_on"] = ValidationError("Vui lòng nhập ngày văn bản.", code="no_date")
    else:
        try:
            check_issue_date(subject, data.issued_on)
        except ValidationError as error:
            errors["issued_on"] = error
    if not data.signer_name.strip():
        errors["signer_name"] = ValidationError(NO_SIGNER, code="no_signer")
    if errors:
        raise ValidationError(errors)
    return Issue(
        number=compose_number(subject, data.number) if subject.numbered else "",
        issued_on=data.issued_on,
        signer_authority=data.signer_authority.strip(),
        signer_title=data.signer_title.strip(),
        signer_name=data.signer_name.strip(),
        in_force_seen=data.in_force_seen,
    )


def _number_error(error: ValidationError) -> ValidationError:
    """The model's checks of a new document, said of the number the user typed (the only field they reach)."""
    messages = error.message_dict
    if "number" in messages:
        return ValidationError({"number": ValidationError(messages["number"][0], code="bad_number")})
    if any(NUMBER_USED in m for m in messages.get("__all__", [])):
        return ValidationError({"number": ValidationError(NUMBER_USED, code="number_used")})
    return error


def snapshot_json(document: Document) -> str:
    """The frozen snapshot as embedded in the PDF/A file (sorted keys: the same snapshot, the same bytes)."""
    return json.dumps(document.snapshot or {}, ensure_ascii=False, sort_keys=True, indent=1)


def _store_pdf(document: Document, *, sign: bool = False, progress=_no_progress) -> bytes:
    """Render the document once as PDF/A-3b with its snapshot attached, sign it when ``sign`` and the unit holds a
    certificate, and store the bytes with their SHA-256.

    The signing time is chosen before rendering: an attachment's line (Phụ lục I) prints it, and the signature then
    claims that same time."""
    progress("render")
    attached = snapshot_json(document)
    certificate = None
    if sign:
        certificate = SigningCertificate.objects.filter(unit_id=document.issuing_unit_id).first()
        if certificate is not None:
            document.sealed_at = timezone.now()
    archival = render.render_archival(
        template_of(document),
        render_context(document),
        attachment=attached,
        attachment_name=SNAPSHOT_NAME,
        description="Nội dung đã chốt của văn bản (JSON)",
        created=document.created_at or timezone.now(),
        anchor=SIGNATURE_SPACE,
    )
    content = archival.pdf
    progress("store")
    fields = ["pdf", "sha256", "snapshot_sha256", "updated_at"]
    if certificate is not None:
        content = _seal(document, content, certificate, archival.signature_space)
        fields += ["sealed_by", "sealed_by_issuer", "sealed_at", "seal_is_test"]
    document.snapshot_sha256 = hashlib.sha256(attached.encode()).hexdigest()
    document.sha256 = hashlib.sha256(content).hexdigest()
    document.pdf.save(f"{document.verification_code.lower()}.pdf", ContentFile(content), save=False)
    document.save(update_fields=fields)
    return content


def _seal(document: Document, content: bytes, certificate: SigningCertificate, space) -> bytes:
    """``content`` signed with the unit's certificate at ``document.sealed_at``; ``ValidationError`` (Vietnamese)
    when it cannot sign."""
    now = document.sealed_at
    try:
        identity = keys.unseal(certificate.sealed, settings.SECRET_KEY)
        keys.check_usable(keys.certificate_of(certificate.sealed, settings.SECRET_KEY), now)
    except SigningError as error:
        raise ValidationError(f"Không ký số được văn bản: {error.message}", code=error.code) from None
    appearance = None
    if space is not None:
        page, box = pades.stamp_box(*space)
        lines = [f"Ký bởi: {certificate.subject}", f"Thời gian ký: {pades.iso_time(now)}"]
        if certificate.is_test:
            lines.append(TEST_MARK)
        appearance = pades.Appearance(
            page=page,
            box=box,
            lines=tuple(lines),
            seal_png=bytes(certificate.seal_image or b""),
            signature_png=bytes(certificate.signature_image or b""),
        )
    try:
        signed = pades.sign(
            content,
            identity,
            field_name=SIGNATURE_FIELD,
            reason=f"Ban hành văn bản, mã xác thực {document.verification_code}",
            location=((document.snapshot or {}).get("header") or {}).get("place", ""),
            appearance=appearance,
            timestamper=pades.timestamper_for(settings.SIGNING_TSA_URL),
            signed_at=now,
        )
    except Exception as error:  # pyHanko, the timestamp authority: the issue is refused, never a 500
        raise ValidationError(
            f"Không ký số được văn bản ({type(error).__name__}); vui lòng thử lại hoặc báo quản trị hệ thống.",
            code="signing_failed",
        ) from error
    document.sealed_by = certificate.subject
    document.sealed_by_issuer = certificate.issuer
    document.seal_is_test = certificate.is_test
    return signed


# --- Rendering ------------------------------------------------------------------------------------------------------


def template_of(document: Document) -> str:
    # Documents issued before the catalogue may name their own template in the snapshot.
    form = form_of(document)
    template = (document.snapshot or {}).get("template") or (form.template if form else None)
    if template is None:
        raise ValueError(f"No template for form {document.form_code!r}")
    return template


def _layout_of(snapshot: dict, form: PaperForm | None) -> str:
    return (snapshot.get("header") or {}).get("style") or (form.layout if form else "party")


def number_line(number: str, *, form: PaperForm | None, numbered: bool, style: str, abbreviation: str) -> str:
    """ "Số 12-BB/ĐU" (Party), "Số: 05/ĐK-SYT" (State); with no number, the line the văn thư fills by hand
    ("Số      -BB/ĐU"), or nothing on a personal form."""
    if number:
        return f"Số: {number}" if style == "state" else f"Số {number}"
    if form is None or not numbered or not abbreviation:
        return ""
    if style == "state":
        return f"Số: {BLANK_NUMBER}/{form.number_kind}-{abbreviation}"
    return f"Số {BLANK_NUMBER}-{form.number_kind}/{abbreviation}"


def _dateline(date_text: str, place: str) -> str:
    return f"{place}, {date_text}" if place else date_text[:1].upper() + date_text[1:]


def _signatures(snapshot: dict, signer: dict | None, style: str) -> list[dict]:
    """The snapshot's signature blocks, the main one carrying the document's signer."""
    blocks = []
    for block in snapshot.get("signatures", []):
        block = dict(block)
        if block.get("main"):
            if signer is not None:
                block.update(signer)
            if style == "state":
                # Only the issuer's own signature follows State style; a committee's confirmation stays Party style.
                block["authority"] = state_style(block["authority"])
        blocks.append(block)
    return blocks


def sealed_line(document: Document) -> str:
    """The line NĐ 30/2020 Phụ lục I puts at the top right of an attachment of a digitally signed document (here the
    list attached to a decision, in the same file): its number and the signing time in ISO 8601 with +07:00, e.g.
    "12-QĐ/ĐU  2026-12-06T10:15:00+07:00"; empty for a document the unit did not sign."""
    return _number_and_time(document, document.sealed_at)


def _number_and_time(document: Document, signed_at) -> str:
    if signed_at is None:
        return ""
    return "\u00a0\u00a0".join(filter(None, [document.number, pades.iso_time(signed_at)]))


def copy_line(document: Document) -> str:
    """What a bulk-printed copy of a signed document says at the top right of its first page (where Phụ lục I puts
    a copy's line): the pages are laid out again from the snapshot, so they carry no signature; the signed file is
    the one with legal value. Signed by a person (an uploaded signed copy) or by the unit (sealed at issue)."""
    if document.signed_pdf:
        line = _number_and_time(document, document.signed_at) or document.number
    elif document.sealed_at is not None:
        line = sealed_line(document)
    else:
        return ""
    return UNSEALED_COPY.format(line=line, code=document.verification_code)


def signed_file_bytes(document: Document) -> bytes:
    """The file with legal value: the copy a person signed and the portal accepted (its first bytes are the issued
    file), else the issued bytes, sealed by the unit or not (``pdf_bytes``)."""
    if document.signed_pdf:
        with document.signed_pdf.open("rb") as stored:
            return stored.read()
    return pdf_bytes(document)


def render_context(document: Document, *, copy: bool = False) -> dict:
    """The template context of an issued document: its snapshot plus its number, dateline, signer and code; with
    ``copy``, the context of a copy laid out again (bulk printing), marked as such when the document is signed."""
    snapshot = document.snapshot or {}
    header = snapshot.get("header", {})
    form = form_of(document)
    style = _layout_of(snapshot, form)
    url = verification_url(document.verification_code)
    signer = {"authority": document.signer_authority, "title": document.signer_title, "name": document.signer_name}
    return {
        **snapshot,
        "signatures": _signatures(snapshot, signer, style),
        "document": {
            "number_line": number_line(
                document.number,
                form=form,
                numbered=snapshot.get("numbered", bool(form and form.numbered)),
                style=style,
                abbreviation=header.get("abbreviation", ""),
            ),
            "dateline": _dateline(
                document_date(document.issued_on, state_style=style == "state"), header.get("place", "")
            ),
            "verification_code": document.verification_code,
            "verification_url": url,
            "qr": qr_data_uri(url),
            "sealed_line": sealed_line(document),
            "copy_line": copy_line(document) if copy else "",
        },
    }


def _paper_context(subject: Subject, data: Issue | None = None) -> dict:
    """What the paper shows, frozen, with whether it carries a number line (a person's own paper does not)."""
    return {**_frozen(subject.build(data)), "numbered": subject.numbered}


def draft_context(subject: Subject) -> dict:
    """The context of a draft: live data, no number, no date, no code; marked as a draft on every page."""
    context = _paper_context(subject)
    header = context.get("header", {})
    style = _layout_of(context, subject.form)
    return {
        **context,
        "signatures": _signatures(context, None, style),
        "document": {
            "draft": True,
            "number_line": number_line(
                "",
                form=subject.form,
                numbered=subject.numbered,
                style=style,
                abbreviation=header.get("abbreviation", ""),
            ),
            "dateline": _dateline(DRAFT_DATELINE, header.get("place", "")),
        },
    }


def pdf_bytes(document: Document) -> bytes:
    """The document's PDF: the bytes stored at issue. A document issued before bytes were stored is rendered from
    its snapshot once and its bytes are kept from then on."""
    if document.pdf:
        with document.pdf.open("rb") as stored:
            return stored.read()
    with transaction.atomic():
        locked = Document.objects.select_for_update(of=("self",)).get(pk=document.pk)
        if locked.pdf:
            with locked.pdf.open("rb") as stored:
                return stored.read()
        content = _store_pdf(locked)
    document.pdf, document.sha256 = locked.pdf, locked.sha256
    return content


def draft_pdf(subject: Subject) -> bytes:
    return render.render_template(subject.form.template, draft_context(subject))


def layout(document: Document):
    """The laid-out pages of an issued document, unwritten, so that several documents merge into one PDF: a copy,
    which says so at the top of its first page when the document is signed (the signature is in the stored bytes
    only)."""
    return render.layout_template(template_of(document), render_context(document, copy=True))


def draft_layout(subject: Subject):
    return render.layout_template(subject.form.template, draft_context(subject))


def merge(layouts) -> bytes:
    """One PDF of several laid-out documents (bulk printing)."""
    return render.merge_layouts(layouts)


def filename(document: Document, extension: str = "pdf") -> str:
    """An ASCII file name: "mau-2-<slug of the title>.pdf" (".docx" for the Word copy)."""
    stem = (document.snapshot or {}).get("filename_stem") or (
        f"{document.form_code.replace('_', '-')}-{vi_slug(document.subject, 60)}"
    )
    return f"{vi_slug(stem, 100)}.{extension}"


def draft_filename(subject: Subject, extension: str = "pdf") -> str:
    """ "ban-nhap-mau-1-<slug of the title>.pdf": never the name of an issued paper."""
    stem = subject.build().get("filename_stem") or f"{subject.form.code}-{subject.issuer.name}"
    return f"ban-nhap-{vi_slug(stem, 90)}.{extension}"


# --- The Word copy --------------------------------------------------------------------------------------------------


def _docx_properties(context: dict, comments: str) -> docx_writer.Properties:
    title = context.get("document_subject") or " ".join(filter(None, [context.get("title"), context.get("subject")]))
    return docx_writer.Properties(
        title=title,
        subject=" ".join(filter(None, [context.get("title"), context.get("subject")])),
        comments=comments,
        footer_note=comments,
    )


def docx_bytes(document: Document) -> bytes:
    """An editable Word copy of an issued document, from its snapshot (``render_context``) and its PDF template."""
    context = render_context(document)
    comments = EDITABLE_COPY.format(code=document.verification_code)
    properties = _docx_properties({**context, "document_subject": document.subject}, comments)
    return docx_writer.render_template(template_of(document), context, properties)


def draft_docx(subject: Subject) -> bytes:
    """An editable Word copy of the draft: live data, no number, date or code, "BẢN NHÁP" at the foot of each page."""
    context = draft_context(subject)
    return docx_writer.render_template(subject.form.template, context, _docx_properties(context, EDITABLE_DRAFT))
