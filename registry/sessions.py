"""Session lifetime and caching of private pages (ASVS V3.3, V8.2).

A signed-in session ends after ``SESSION_IDLE_TIMEOUT`` without a request (30 minutes by default) and, whatever the
activity, ``SESSION_ABSOLUTE_TIMEOUT`` after the login (a working day); the next request is sent to the login page
with a message. Every response to a signed-in user carries ``Cache-Control: no-store`` (and Django's other
never-cache headers), so that no browser or proxy keeps a copy of a private page after logout.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.cache import add_never_cache_headers

STARTED = "_danvan_session_started"
SEEN = "_danvan_session_seen"
# The last-seen time is written at most once a minute: a page full of requests does not rewrite the session each time.
TOUCH_EVERY = 60
EXPIRED = "Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."


def expired(session, now: float) -> bool:
    """True when the session outlived its idle or its absolute timeout (times in seconds since the epoch)."""
    started, seen = session.get(STARTED), session.get(SEEN)
    if started is None or seen is None:
        return False
    return (
        now - seen > settings.SESSION_IDLE_TIMEOUT.total_seconds()
        or now - started > settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds()
    )


def start_session_clock(sender, request, user, **kwargs) -> None:
    """On login (``user_logged_in``): the absolute and the idle timeouts count from now."""
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionPolicyMiddleware:
    """Ends idle and too-old sessions; marks every response to a signed-in user ``no-store``. Placed after the
    authentication and message middlewares."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        now = time.time()
        if request.user.is_authenticated:
            if expired(request.session, now):
                logout(request)
                messages.info(request, EXPIRED)
                response = redirect_to_login(request.get_full_path())
                add_never_cache_headers(response)
                return response
            if STARTED not in request.session:
                # A session from before this policy: its clock starts now.
                request.session[STARTED] = now
            if now - request.session.get(SEEN, 0) > TOUCH_EVERY:
                request.session[SEEN] = now
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response
