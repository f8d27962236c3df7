"""Public pages (no login): document verification and the showcase of exemplars; and the two staff actions that
feed them: uploading a document's signed scan (which locks it) and publishing an exemplar.

Public views read only through ``registry.verification`` and ``registry.showcase``, which hand templates the public
fields and nothing else. An unknown code or an entry that is not public gets a Vietnamese page with status 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from registry import permissions, showcase, verification
from registry.models import Document, Registration, Unit
from registry.public_forms import (
    PublishForm,
    ScanUploadForm,
    ShowcaseFilterForm,
    SignedPdfUploadForm,
    VerifyFileForm,
    VerifyLookupForm,
)
from registry.services.attachments import TOO_LARGE, human_size
from registry.views.attachments import MULTIPART_OVERHEAD

NOT_FOUND_ENTRY = "Không tìm thấy điển hình này, hoặc điển hình chưa được công khai."


def _noindex(response):
    # Verification answers concern one paper each: nothing for search engines to collect.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- Verification ------------------------------------------------------------------------------------------------


@require_GET
def verify_lookup(request):
    """A form to type the code printed on a document (``?code=``); a well-formed code goes on to its page."""
    form = VerifyLookupForm(request.GET if "code" in request.GET else None)
    if form.is_valid():
        return redirect("registry:document-verify", code=form.cleaned_data["code"])
    return _noindex(render(request, "public/verify.html", {"form": form}))


@require_GET
def document_verify(request, code: str):
    """Confirm a document by its code: issuer, form, number, date, subject, signed or not; 404 when unknown."""
    found = verification.document_lookup(code)
    response = render(
        request,
        "public/verify_result.html",
        {"document": found, "form": VerifyLookupForm()},
        status=200 if found else 404,
    )
    return _noindex(response)


def _too_large(request) -> str | None:
    """The refusal of a request whose body alone shows the file is over the limit (checked before parsing it)."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    length = int(length) if length.isdigit() else 0
    if length > settings.UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD:
        return TOO_LARGE.format(size=human_size(length), limit=human_size(settings.UPLOAD_MAX_BYTES))
    return None


@require_http_methods(["GET", "POST"])
def verify_file(request):
    """Anyone uploads a PDF to check it against the registry (the document it is, its signatures); nothing stored."""
    result, error, status = None, None, 200
    form = VerifyFileForm()
    if request.method == "POST":
        error = _too_large(request)
        if error is None:
            form = VerifyFileForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = verification.pdf_check(form.cleaned_data["pdf"])
                except ValidationError as refusal:
                    error = refusal.messages[0]
                form = VerifyFileForm()
            else:
                error = form.errors["pdf"][0]
                form = VerifyFileForm()
        if error:
            status = 400
    response = render(
        request, "public/verify_file.html", {"form": form, "result": result, "error": error}, status=status
    )
    return _noindex(response)


# --- Showcase ----------------------------------------------------------------------------------------------------


@require_GET
def showcase_list(request):
    """The gallery of public exemplars: search without diacritics, filters, twelve cards a page."""
    form = ShowcaseFilterForm(request.GET or None, choices=showcase.filter_choices())
    paginator = Paginator(showcase.showcase_search(form.valid_values()), showcase.PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page_obj,
        "page_range": paginator.get_elided_page_range(page_obj.number),
        "cards": showcase.showcase_cards(page_obj.object_list),
    }
    return render(request, "public/showcase_list.html", context)


@require_GET
def showcase_detail(request, pk: int):
    """One exemplar's public page; an unknown or unpublished entry is a 404 page in Vietnamese."""
    entry = showcase.showcase_entry(pk)
    if entry is None:
        return render(request, "public/not_found.html", {"message": NOT_FOUND_ENTRY}, status=404)
    return render(request, "public/showcase_detail.html", {"entry": entry})


@require_GET
def showcase_photo(request, pk: int, attachment_pk: int):
    """An image of a public entry, shown inline; anything else (a document, a private entry's photo) is a 404."""
    photo = showcase.showcase_photo(pk, attachment_pk)
    if photo is None:
        raise Http404("Không tìm thấy ảnh.")
    try:
        handle = photo.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Không tìm thấy ảnh.") from None
    ext = "png" if photo.content_type == "image/png" else "jpg"
    # The uploader's file name stays private: the public sees a neutral one.
    response = FileResponse(handle, filename=f"anh-{photo.pk}.{ext}", content_type=photo.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-cache"  # an entry taken off the showcase must not live on in caches
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- Staff actions ------------------------------------------------------------------------------------------------


def _documents_in_scope(user):
    """Documents the user may reach: issued by a unit in scope, or about a registration the user sees."""
    visible = Registration.objects.visible_to(user)
    return Document.objects.filter(
        Q(issuing_unit__in=Unit.objects.scope_of(user))
        | Q(registration__in=visible)
        | Q(meeting__entries__registration__in=visible)
        | Q(proposal__entries__registration__in=visible)
    ).distinct()


def _back_from(request, document: Document):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    if document.registration_id:
        return redirect(reverse("registry:registration-detail", args=[document.registration_id]) + "#van-ban")
    if document.meeting_id:
        return redirect("registry:meeting-detail", pk=document.meeting_id)
    if document.proposal_id:
        return redirect("registry:proposal-detail", pk=document.proposal_id)
    return redirect("registry:home")


def _attach_and_lock(request, pk: int, *, form_class, field: str, attach, success, refused: str = ""):
    """The shape of both uploads that lock a document: the document in scope, who may, the size before parsing, the
    form, then ``attach`` (a ``verification`` service); every refusal comes back as a message, nothing stored."""
    document = get_object_or_404(_documents_in_scope(request.user).select_related("issuing_unit"), pk=pk)
    if not permissions.can_upload_scan(request.user, document):
        raise PermissionDenied(verification.NOT_ALLOWED)
    too_large = _too_large(request)
    if too_large:
        messages.error(request, too_large)
        return _back_from(request, document)
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, form.errors[field][0])
        return _back_from(request, document)
    try:
        document = attach(document=document, user=request.user, upload=form.cleaned_data[field])
    except ValidationError as error:
        messages.error(request, refused + error.messages[0])
    else:
        messages.success(request, success(document))
    return _back_from(request, document)


@login_required
@require_POST
def document_scan_upload(request, pk: int):
    """Attach the signed and stamped scan to a document and lock it; refusals come back as messages."""
    return _attach_and_lock(
        request,
        pk,
        form_class=ScanUploadForm,
        field="scan",
        attach=verification.document_scan_attach,
        success=lambda document: f"Đã lưu bản đã ký của {document}; văn bản đã được khóa.",
    )


@login_required
@require_POST
def document_signed_upload(request, pk: int):
    """Accept the issued PDF signed by a person (USB token) after checking it, and lock the document; each refusal
    comes back as a message with its reason, and nothing is stored."""
    return _attach_and_lock(
        request,
        pk,
        form_class=SignedPdfUploadForm,
        field="signed_pdf",
        attach=verification.document_signed_pdf_attach,
        success=lambda document: (
            f"Đã nhận bản ký số của {document} (người ký: {document.signed_by}); văn bản đã được khóa."
        ),
        refused="Không nhận bản ký số: ",
    )


@login_required
@require_POST
def registration_publish(request, pk: int):
    """Show a confirmed exemplar on the public showcase, or take it off (editors and approvers of its unit)."""
    reg = get_object_or_404(Registration.objects.visible_to(request.user), pk=pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["is_public"][0])
        return redirect(reg)
    try:
        reg = showcase.registration_publish(registration=reg, user=request.user, public=form.cleaned_data["is_public"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if reg.is_public:
            messages.success(request, "Đã công khai điển hình trên trang giới thiệu.")
        else:
            messages.success(request, "Đã thôi công khai điển hình; trang giới thiệu không còn hiển thị.")
    return redirect(reg)
