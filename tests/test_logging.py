"""Structured logs: JSON lines in production, text in development, one line per request with a request id
(registry/request_log.py, the LOGGING section of danvan/settings.py)."""

import io
import json
import logging
import os
import re
import runpy
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError
from django.test import Client
from django.urls import path, reverse

from danvan.urls import urlpatterns as portal_urlpatterns
from registry import request_log
from registry.views import health
from tests.factories import UserFactory


def _boom(request):
    raise RuntimeError("boom")


# The portal has no page that fails on purpose: tests marked `pytest.mark.urls(__name__)` get one.
urlpatterns = [path("loi-thu/", _boom), *portal_urlpatterns]

GENERATED_ID = re.compile(r"[0-9a-f]{32}")
STATIC_FILE = "/static/vendor/bootstrap/css/bootstrap.min.css"


@pytest.fixture
def log_lines():
    """The lines the production handler would write, each parsed back from JSON: same formatter and filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(request_log.json_formatter())
    handler.addFilter(request_log.RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def _request_lines(lines, url_path):
    return [line for line in lines if line["logger"] == "registry.request_log" and line["path"] == url_path]


# --- The request line -----------------------------------------------------------------------------------------------


def test_request_line_is_one_json_object_with_the_request_fields(client, db, log_lines):
    client.get(reverse("login"), REMOTE_ADDR="10.1.2.3")
    [line] = _request_lines(log_lines(), "/dang-nhap/")
    assert line["level"] == "INFO"
    assert line["message"].startswith("GET /dang-nhap/ 200 ")
    assert (line["method"], line["status"], line["remote_addr"], line["user_id"]) == ("GET", 200, "10.1.2.3", None)
    assert isinstance(line["duration_ms"], float)
    assert {"timestamp", "request_id"} <= line.keys()


def test_request_line_leaves_out_the_query_string(client, db, log_lines):
    client.get(reverse("login"), {"next": "/mo-hinh/?q=Nguyễn Văn A"})
    [line] = _request_lines(log_lines(), "/dang-nhap/")
    assert "Nguyễn" not in json.dumps(line, ensure_ascii=False)


def test_request_line_names_the_user_by_id_only(client, db, log_lines):
    user = UserFactory(username="nguoidung.log", email="nguoidung.log@example.vn")
    client.force_login(user)
    client.get(reverse("login"))  # an authenticated user is sent on: the page reads request.user
    [line] = _request_lines(log_lines(), "/dang-nhap/")
    assert line["user_id"] == user.pk
    assert "nguoidung.log" not in json.dumps(line)


# --- The request id -------------------------------------------------------------------------------------------------


def test_request_id_is_generated_and_sent_back_when_the_balancer_gives_none(client, db, log_lines):
    response = client.get(reverse("login"))
    request_id = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    [line] = _request_lines(log_lines(), "/dang-nhap/")
    assert line["request_id"] == request_id


def test_request_id_from_the_load_balancer_is_kept(client, db, log_lines):
    response = client.get(reverse("login"), headers={"X-Request-ID": "3f2c9a1e-7b4d-4e0a-9c1b-2d5e6f7a8b9c"})
    assert response["X-Request-ID"] == "3f2c9a1e-7b4d-4e0a-9c1b-2d5e6f7a8b9c"
    [line] = _request_lines(log_lines(), "/dang-nhap/")
    assert line["request_id"] == "3f2c9a1e-7b4d-4e0a-9c1b-2d5e6f7a8b9c"


@pytest.mark.parametrize(
    "supplied",
    ["a" * 65, "id có dấu", 'x"} {"level": "ERROR"', "abc def", "<script>"],
    ids=["too-long", "not-ascii", "json-injection", "space", "markup"],
)
def test_unsafe_request_id_from_outside_is_replaced(client, db, log_lines, supplied):
    response = client.get(reverse("login"), headers={"X-Request-ID": supplied})
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    [line] = _request_lines(log_lines(), "/dang-nhap/")
    assert line["request_id"] == response["X-Request-ID"]


# --- What is kept out of INFO ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_path", ["/healthz", STATIC_FILE], ids=["health-probe", "static-file"])
def test_routine_request_is_not_logged_at_info(client, db, log_lines, url_path):
    assert client.get(url_path).status_code == 200
    assert _request_lines(log_lines(), url_path) == []


@pytest.mark.parametrize("url_path", ["/healthz", STATIC_FILE], ids=["health-probe", "static-file"])
def test_routine_request_is_logged_at_debug(client, db, log_lines, caplog, url_path):
    with caplog.at_level(logging.DEBUG, logger="registry.request_log"):
        client.get(url_path)
    [line] = _request_lines(log_lines(), url_path)
    assert line["level"] == "DEBUG"


class _DownConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_failing_health_probe_is_logged_at_info(client, db, log_lines, monkeypatch):
    monkeypatch.setattr(health, "connection", _DownConnection())
    assert client.get("/healthz").status_code == 503
    [line] = _request_lines(log_lines(), "/healthz")
    assert (line["level"], line["status"]) == ("INFO", 503)


# --- Server errors --------------------------------------------------------------------------------------------------


@pytest.mark.urls(__name__)
def test_server_error_is_logged_with_its_traceback_and_the_request_id(db, log_lines):
    response = Client(raise_request_exception=False).get("/loi-thu/?ho_ten=Nguyễn")
    assert response.status_code == 500
    [error] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert (error["level"], error["message"], error["status_code"]) == (
        "ERROR",
        "Internal Server Error: /loi-thu/",
        500,
    )
    assert 'raise RuntimeError("boom")' in error["exc_info"]
    assert error["request_id"] == response["X-Request-ID"]
    # Django attaches the request object, whose text carries the query string.
    assert "request" not in error
    assert "Nguyễn" not in json.dumps(error, ensure_ascii=False)


@pytest.mark.urls(__name__)
def test_server_error_also_gets_its_request_line(db, log_lines):
    Client(raise_request_exception=False).get("/loi-thu/")
    [line] = _request_lines(log_lines(), "/loi-thu/")
    assert (line["level"], line["status"]) == ("INFO", 500)


# --- Refused requests -------------------------------------------------------------------------------------------


def test_a_403_is_one_line_with_its_reason_and_no_traceback(client, secretary, log_lines):
    from registry.appraisals import NOT_ALLOWED

    client.force_login(secretary)
    response = client.get(reverse("registry:appraisal-list"))
    assert response.status_code == 403
    [line] = [line for line in log_lines() if line["logger"] == "django.request"]
    assert (line["level"], line["message"], line["status_code"]) == (
        "WARNING",
        "Forbidden (Permission denied): " + reverse("registry:appraisal-list"),
        403,
    )
    assert line["reason"] == NOT_ALLOWED
    assert "exc_info" not in line
    assert line["request_id"] == response["X-Request-ID"]


# --- Settings -------------------------------------------------------------------------------------------------------

SETTINGS_FILE = os.path.join(django_settings.BASE_DIR, "danvan", "settings.py")


def _load_settings(monkeypatch, **env) -> dict:
    for name in ("DJANGO_DEBUG", "DJANGO_LOG_FORMAT", "DJANGO_LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(SETTINGS_FILE)


@pytest.mark.parametrize(
    ("env", "formatter"),
    [
        ({}, "json"),
        ({"DJANGO_DEBUG": "True"}, "text"),
        ({"DJANGO_DEBUG": "True", "DJANGO_LOG_FORMAT": "json"}, "json"),
        ({"DJANGO_LOG_FORMAT": "text"}, "text"),
    ],
    ids=["production", "debug", "debug-asks-json", "production-asks-text"],
)
def test_log_format_is_json_outside_debug_unless_chosen(monkeypatch, env, formatter):
    logging_config = _load_settings(monkeypatch, **env)["LOGGING"]
    assert logging_config["handlers"]["console"]["formatter"] == formatter


def test_log_level_is_read_from_the_environment(monkeypatch):
    logging_config = _load_settings(monkeypatch, DJANGO_LOG_LEVEL="warning")["LOGGING"]
    assert logging_config["root"]["level"] == "WARNING"


def test_malformed_log_format_is_refused_with_a_clear_message(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="^DJANGO_LOG_FORMAT must be json or text, got 'xml'$"):
        _load_settings(monkeypatch, DJANGO_LOG_FORMAT="xml")


def test_malformed_log_level_is_refused_with_a_clear_message(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="^DJANGO_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL"):
        _load_settings(monkeypatch, DJANGO_LOG_LEVEL="LOUD")


LOGGING_SCRIPT = """
import django, logging
django.setup()
logging.getLogger("registry.workflow").info("Chuyển trạng thái", extra={"registration_id": 7})
try:
    1 / 0
except ZeroDivisionError:
    logging.getLogger("django.request").error("Internal Server Error: /x", exc_info=True)
"""


def _stderr_of_logging_script(**env) -> str:
    """What a process configured by danvan/settings.py writes on stderr for one record of the portal and one 500."""
    base = {key: value for key, value in os.environ.items() if key not in ("DJANGO_DEBUG", "DJANGO_LOG_FORMAT")}
    result = subprocess.run(
        [sys.executable, "-c", LOGGING_SCRIPT],
        cwd=django_settings.BASE_DIR,
        env={**base, "DJANGO_SETTINGS_MODULE": "danvan.settings", "DJANGO_LOG_LEVEL": "INFO", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr


def test_production_writes_each_record_once_as_a_json_line_on_stderr():
    lines = [json.loads(line) for line in _stderr_of_logging_script().splitlines()]
    assert [line["message"] for line in lines if line["logger"] == "registry.workflow"] == ["Chuyển trạng thái"]
    [error] = [line for line in lines if line["logger"] == "django.request"]
    assert "ZeroDivisionError" in error["exc_info"]


def test_development_writes_django_errors_once_as_text():
    # Django's own console handler for DEBUG would repeat every django.* record next to the root's.
    stderr = _stderr_of_logging_script(DJANGO_DEBUG="True")
    assert stderr.count("ERROR django.request: Internal Server Error: /x") == 1
    assert "INFO registry.workflow: Chuyển trạng thái" in stderr
