"""One log line per request, and a request id on every line logged while serving it.

``RequestLogMiddleware`` (first in ``MIDDLEWARE``) logs method, path (never the query string: search terms can name
people), status, duration, the user's id (never the username or e-mail) and the client address, at INFO; a
successful health probe or static file only at DEBUG, so that the load balancer's probes do not flood the logs.
It takes the load balancer's ``X-Request-ID`` when that is short and plain, makes one otherwise, and sends it back
in the response's ``X-Request-ID``. ``RequestIdFilter`` (on the log handler) copies the id onto every other record
of the same request, e.g. Django's "Internal Server Error" with its traceback, so the two lines can be joined
across several app servers.

``json_formatter`` is the production format (``DJANGO_LOG_FORMAT=json``): one JSON object per line.

This module is imported while logging is configured, before the apps are ready: it must not import models.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.conf import settings
from django.utils.functional import SimpleLazyObject, empty
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

logger = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-ID"
# A load balancer's id (nginx's $request_id, a UUID, HAProxy's unique-id) fits; anything longer or with other
# characters could forge log lines or bloat every record, so it is replaced.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")

_current_request_id: ContextVar[str | None] = ContextVar("request_id", default=None)


def json_formatter() -> JsonFormatter:
    """One JSON object per line: timestamp (UTC), level, logger, message, then the record's extra fields."""
    return JsonFormatter(
        ["levelname", "name", "message"],
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp=True,
        # Vietnamese messages stay readable in journald and Kibana.
        json_ensure_ascii=False,
        # Django hands the request object to django.request and django.security records; its text carries the
        # query string, and the message already names the path.
        reserved_attrs=[*RESERVED_ATTRS, "request"],
    )


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` to every record logged while a request is being served."""

    def filter(self, record: logging.LogRecord) -> bool:
        request_id = _current_request_id.get()
        if request_id is not None and not hasattr(record, "request_id"):
            record.request_id = request_id
        return True


class NoTracebackBelow500(logging.Filter):
    """A refused request (403 and other 4xx) is logged by Django with the exception's traceback: one line is enough.
    Keeps the exception's message (``reason``, e.g. why a transition was refused) and drops the traceback; a 500
    keeps its traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and getattr(record, "status_code", 500) < 500:
            exception = record.exc_info[1]
            if exception is not None and str(exception):
                record.reason = str(exception)
            record.exc_info = None
            record.exc_text = None
        return True


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = incoming_request_id(request) or uuid.uuid4().hex
        token = _current_request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response[REQUEST_ID_HEADER] = request_id
            _log_request(request, response, request_id, duration_ms)
        finally:
            _current_request_id.reset(token)
        return response


def incoming_request_id(request) -> str | None:
    """The load balancer's request id, or None when missing or not short and plain."""
    value = request.headers.get(REQUEST_ID_HEADER, "")
    return value if _SAFE_REQUEST_ID.fullmatch(value) else None


def _log_request(request, response, request_id: str, duration_ms: float) -> None:
    level = logging.DEBUG if _is_routine(request, response) else logging.INFO
    logger.log(
        level,
        "%s %s %s %sms",
        request.method,
        request.path,
        response.status_code,
        duration_ms,
        extra={
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": duration_ms,
            "user_id": _user_id(request),
            "request_id": request_id,
            # Behind the load balancer this is the balancer's address: X-Forwarded-For can be forged by anyone.
            "remote_addr": request.META.get("REMOTE_ADDR"),
        },
    )


def _is_routine(request, response) -> bool:
    """A successful health probe or static file: logged at DEBUG. A failing one still shows at INFO."""
    if response.status_code >= 400:
        return False
    match = getattr(request, "resolver_match", None)
    if match is not None and match.url_name == "healthz":
        return True
    return request.path.startswith(settings.STATIC_URL)


def _user_id(request) -> int | None:
    # request.user is lazy: reading it only for the log would cost a session and a user query on requests that
    # never needed them (health probe, static files, public pages), so it is logged once the request loaded it.
    user = getattr(request, "user", None)
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None
