"""Production serving: the health probe, static files through WhiteNoise (and gunicorn), the security headers and
settings that `check --deploy` asks for, the Content Security Policy and login throttling by django-axes."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.urls import reverse

from registry.views import health

ROOT = Path(django_settings.BASE_DIR)
# The switches pyproject.toml's pytest env turns off for the rest of the suite.
# DJANGO_ALLOW_ASYNC_UNSAFE comes from the Playwright tests when they share the worker.
TEST_ONLY_SWITCHES = (
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_STATIC_MANIFEST",
    "DJANGO_AXES_ENABLED",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
LOCKOUT_MESSAGE = "Tài khoản này đã nhập sai mật khẩu 5 lần liên tiếp từ máy của bạn"


def production_env(tmp_path, **extra) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in TEST_ONLY_SWITCHES}
    env.update(
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        DJANGO_STATIC_ROOT=str(tmp_path / "staticfiles"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    env.update(extra)
    return env


def run_manage(env, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


# --- Health check ---------------------------------------------------------------------------------------------------


def test_healthz_answers_ok_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


class _DownConnection:
    def cursor(self):
        raise OperationalError("connection refused")


def test_healthz_answers_503_when_the_database_is_down(client, db, monkeypatch):
    monkeypatch.setattr(health, "connection", _DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}


def test_healthz_is_exempt_from_the_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    login = client.get(reverse("login"))
    assert login.status_code == 301
    assert login["Location"] == "https://testserver/dang-nhap/"


def test_healthz_refuses_post(client, db):
    assert client.post("/healthz").status_code == 405


# --- Static files -------------------------------------------------------------------------------------------------


def test_whitenoise_serves_static_files_in_tests_without_collectstatic(client):
    response = client.get("/static/vendor/bootstrap/css/bootstrap.min.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")


@pytest.mark.parametrize(
    ("switches", "backend"),
    [
        ({}, "whitenoise.storage.CompressedManifestStaticFilesStorage"),
        ({"DJANGO_DEBUG": "True"}, "django.contrib.staticfiles.storage.StaticFilesStorage"),
        ({"DJANGO_STATIC_MANIFEST": "False"}, "django.contrib.staticfiles.storage.StaticFilesStorage"),
    ],
)
def test_manifest_storage_is_used_exactly_when_debug_is_off(tmp_path, switches, backend):
    env = production_env(tmp_path, **switches)
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['staticfiles'])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "danvan.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert backend in result.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str):
    request = urllib.request.Request(url, headers={"Host": "example.vn", "X-Forwarded-Proto": "https"})
    return urllib.request.urlopen(request, timeout=10)  # noqa: S310 - a local URL built by the test


def test_gunicorn_serves_collected_static_files_and_the_health_check(tmp_path):
    env = production_env(tmp_path, DJANGO_BEHIND_TLS_PROXY="True")
    collected = run_manage(env, "collectstatic", "--noinput")
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "staticfiles" / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["vendor/bootstrap/css/bootstrap.min.css"]
    port = _free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "danvan.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):  # wait for the server to accept connections
            try:
                health_response = _get(f"{base}/healthz")
                break
            except OSError:
                assert server.poll() is None, server.stderr.read().decode()
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not start")
        assert json.loads(health_response.read()) == {"status": "ok", "database": "ok"}
        css = _get(f"{base}/static/{hashed_css}")
        assert css.status == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert "max-age=315360000" in css.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- Security settings --------------------------------------------------------------------------------------------


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run_manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults_turn_on_hsts_and_the_https_redirect(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**production_env(tmp_path), "DJANGO_SETTINGS_MODULE": "danvan.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == ["31536000", "True", "True", "True"]


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "img-src 'self' data:" in policy
    assert "style-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["Referrer-Policy"] == "same-origin"


PAGE_TEMPLATES = [
    path
    for path in (ROOT / "templates").rglob("*.html")
    if not {"pdf", "admin"} & set(path.relative_to(ROOT / "templates").parts)
]
INLINE = re.compile(r"""<style|\sstyle=|<script(?![^>]*\ssrc=)[^>]*>|\son[a-z]+=|["']javascript:""", re.IGNORECASE)


@pytest.mark.parametrize("template", PAGE_TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "templates")))
def test_page_templates_have_no_inline_style_or_script(template):
    # The policy forbids them: the browser would silently ignore them.
    assert INLINE.findall(template.read_text(encoding="utf-8")) == []


# --- Login throttling ---------------------------------------------------------------------------------------------


def _log_in(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def test_login_form_works_with_axes_on(client, secretary, axes_on):
    response = _log_in(client, "bithu", "MatKhau@2024")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretary.pk)


def test_five_wrong_passwords_lock_the_username_out_for_that_address(client, secretary, axes_on):
    for _ in range(4):
        assert _log_in(client, "bithu", "sai-mat-khau").status_code == 200
    fifth = _log_in(client, "bithu", "sai-mat-khau")
    assert fifth.status_code == 429
    assert LOCKOUT_MESSAGE in fifth.content.decode()
    right_password = _log_in(client, "bithu", "MatKhau@2024")
    assert right_password.status_code == 429
    assert LOCKOUT_MESSAGE in right_password.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_does_not_block_the_same_user_from_an_address_they_signed_in_from(client, secretary, axes_on):
    assert _log_in(client, "bithu", "MatKhau@2024", address="10.0.0.2").status_code == 302
    client.logout()
    for _ in range(5):
        _log_in(client, "bithu", "sai-mat-khau")
    response = _log_in(client, "bithu", "MatKhau@2024", address="10.0.0.2")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretary.pk)


def test_a_successful_login_clears_earlier_failures(client, secretary, axes_on):
    for _ in range(4):
        _log_in(client, "bithu", "sai-mat-khau")
    assert _log_in(client, "bithu", "MatKhau@2024").status_code == 302
    client.logout()
    for _ in range(4):
        assert _log_in(client, "bithu", "sai-mat-khau").status_code == 200
    assert get_user_model().objects.get(username="bithu").is_active
