"""Slowing repeated wrong passwords for one username without locking its owner out (ASVS V2.2.1).

django-axes locks a username *from one address* after five failures (settings.AXES_*). Behind the load balancer the
address is the client's only when ``DJANGO_PROXY_COUNT`` says how many proxies add to ``X-Forwarded-For``; then a
guesser elsewhere cannot lock the owner out. Against guessing from many addresses, a username's failures from the
*other* addresses are counted too (axes' own records): after ``LOGIN_SLOWDOWN_AFTER`` of them within the axes
cool-off, an attempt must wait 1, 2, 4 … up to ``LOGIN_SLOWDOWN_MAX_SECONDS`` seconds after the last of them. Nothing
is locked, and an address the owner signed in from within the last 30 days is not slowed at all.
"""

import math
from datetime import timedelta

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Max, Sum
from django.utils import timezone

TRUSTED_FOR = timedelta(days=30)


def wait_seconds(request, username: str) -> int:
    """Seconds this login attempt for ``username`` must still wait; 0 when it may go ahead."""
    if not settings.AXES_ENABLED or not username:
        return 0
    now = timezone.now()
    address = get_client_ip_address(request)
    # Failures from this very address are axes' business (the lockout); these are the ones from elsewhere.
    elsewhere = AccessAttempt.objects.filter(
        username=username, attempt_time__gte=now - settings.AXES_COOLOFF_TIME
    ).exclude(ip_address=address)
    totals = elsewhere.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
    extra = (totals["failures"] or 0) - settings.LOGIN_SLOWDOWN_AFTER
    if extra < 0:
        return 0
    if AccessLog.objects.filter(username=username, ip_address=address, attempt_time__gte=now - TRUSTED_FOR).exists():
        return 0
    delay = min(2**extra, settings.LOGIN_SLOWDOWN_MAX_SECONDS)
    remaining = delay - (now - totals["last"]).total_seconds()
    return math.ceil(remaining) if remaining > 0 else 0


def slowdown_message(seconds: int) -> str:
    return f"Tên đăng nhập này vừa bị nhập sai mật khẩu nhiều lần. Vui lòng chờ {seconds} giây rồi thử lại."


class SlowdownMixin:
    """Refuses, before any password check, an attempt that comes too soon after repeated failures."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if (seconds := wait_seconds(self.request, username)) > 0:
            raise ValidationError(slowdown_message(seconds), code="slowed_down")
        return super().clean()


class LoginForm(SlowdownMixin, AuthenticationForm):
    """The portal's login form (/dang-nhap/)."""


class AdminLoginForm(SlowdownMixin, AdminAuthenticationForm):
    """The admin's login form (/admin/login/)."""
