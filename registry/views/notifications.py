"""Reminding a unit that has not registered, and the user's e-mail setting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from registry import notifications
from registry.models import Unit, UserPreference
from registry.notification_forms import NotificationSettingsForm, ReminderForm


def _back(request, form: ReminderForm):
    """Where the button was (the "chưa đăng ký" page with its year and page), never another site."""
    target = form.cleaned_data.get("next") if form.is_valid() else request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    url = reverse("registry:unregistered-units")
    year = form.cleaned_data.get("nam") if form.is_valid() else None
    return redirect(f"{url}?nam={year.year}" if year else url)


@login_required
@require_POST
def reminder_send(request):
    """Remind the editors of a unit in the user's scope that it has not registered for the year.

    A unit outside the scope is a 404, as if it did not exist; every refusal is a message on the page it came from.
    """
    form = ReminderForm(request.POST)
    if not form.is_valid():
        error = next(iter(form.errors.values()))[0]
        messages.error(request, error)
        return _back(request, form)
    unit = get_object_or_404(Unit.objects.scope_of(request.user), pk=form.cleaned_data["don_vi"])
    year = form.cleaned_data["nam"]
    try:
        result = notifications.send_reminder(unit=unit, year=year, actor=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error) or "Bạn không có quyền nhắc việc đơn vị này.")
    except notifications.ReminderRefused as error:
        messages.warning(request, error.messages[0])
    else:
        if result.recipients:
            messages.success(
                request, f"Đã gửi lời nhắc đến {unit.name} ({result.recipients} người nhận qua thư điện tử)."
            )
        else:
            messages.warning(
                request,
                f"Đã ghi nhận lời nhắc {unit.name}, nhưng đơn vị chưa có người cập nhật nào có địa chỉ thư điện tử "
                "nhận thông báo.",
            )
    return _back(request, form)


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    """The user's own e-mail setting; the row is created on first save (no row means e-mails are on)."""
    preference = UserPreference.objects.filter(user=request.user).first() or UserPreference(user=request.user)
    form = NotificationSettingsForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        preference, _created = UserPreference.objects.update_or_create(
            user=request.user, defaults={"email_enabled": form.cleaned_data["email_enabled"]}
        )
        if preference.email_enabled:
            messages.success(request, "Đã lưu: bạn sẽ nhận thư điện tử thông báo.")
        else:
            messages.success(request, "Đã lưu: bạn sẽ không nhận thư điện tử thông báo.")
        return redirect("registry:notification-settings")
    return render(request, "registry/notification_settings.html", {"form": form, "preference": preference})
