"""Evidence files: upload, download and delete, each starting from the registrations visible to the user.

Files live under MEDIA_ROOT, outside the web root, and are served only here after the access check. Images may be
shown inline (thumbnails); everything else is sent as a download, and the browser is told not to guess the type.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from registry import services
from registry.forms import AttachmentForm
from registry.models import Attachment, Registration
from registry.services.attachments import TOO_LARGE, human_size

# Room for the multipart envelope and the other fields around one file of the largest allowed size.
MULTIPART_OVERHEAD = 64 * 1024
UNREADABLE = "Không đọc được tệp tải lên; vui lòng chọn lại tệp."


def _attachments(user):
    return Attachment.objects.filter(registration__in=Registration.objects.visible_to(user)).select_related(
        "registration__unit"
    )


def _declared_length(request) -> int:
    """The body length the client declared; a missing or malformed header counts as 0 (Django then reads no body),
    so the size is checked again on the file itself."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def _back(reg: Registration):
    return redirect(f"{reg.get_absolute_url()}#minh-chung")


@login_required
@require_POST
def attachment_upload(request, pk: int):
    """Add one evidence file to a registration; every refusal comes back as a message on the detail page."""
    reg = get_object_or_404(Registration.objects.visible_to(request.user).select_related("unit"), pk=pk)
    length = _declared_length(request)
    if length > settings.UPLOAD_MAX_BYTES + MULTIPART_OVERHEAD:
        # Refuse before parsing the body when the request alone shows the file is too large.
        limit = human_size(settings.UPLOAD_MAX_BYTES)
        messages.error(request, TOO_LARGE.format(size=human_size(length), limit=limit))
        return _back(reg)
    try:
        form = AttachmentForm(request.POST, request.FILES)
    except MultiPartParserError:
        # A body Django cannot parse (e.g. a negative length): the user's answer is to choose the file again.
        messages.error(request, UNREADABLE)
        return _back(reg)
    if not form.is_valid():
        messages.error(request, form.errors["file"][0])
        return _back(reg)
    try:
        attachment = services.attachment_add(registration=reg, user=request.user, upload=form.cleaned_data["file"])
    except PermissionDenied as error:
        messages.error(request, str(error) or "Bạn không có quyền thêm minh chứng cho hồ sơ này.")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Đã tải lên “{attachment.original_name}”.")
    return _back(reg)


@login_required
@require_GET
def attachment_download(request, pk: int):
    """Send the file to a user who may see its registration; ``?inline=1`` shows an image in the page."""
    attachment = get_object_or_404(_attachments(request.user), pk=pk)
    inline = request.GET.get("inline") == "1" and attachment.is_image
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404("Không tìm thấy tệp.") from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=attachment.original_name, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=0, no-cache"
    # Even a file that slipped through as HTML or SVG could not run scripts when opened directly.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    return response


@login_required
@require_POST
def attachment_delete(request, pk: int):
    """Remove an evidence file while its registration is editable; editors only."""
    attachment = get_object_or_404(_attachments(request.user), pk=pk)
    reg = attachment.registration
    try:
        services.attachment_delete(attachment=attachment, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error) or "Bạn không có quyền xóa minh chứng của hồ sơ này.")
    else:
        messages.success(request, f"Đã xóa “{attachment.original_name}”.")
    return _back(reg)
