"""Sessions end after 30 idle minutes and a working day after login (settings), and no page shown to a signed-in
user may be stored by a browser or proxy (Cache-Control: no-store)."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from registry.models import Status
from registry.sessions import EXPIRED, SEEN, STARTED
from tests.factories import RegistrationFactory
from tests.papers import issue_registration_form

ROOT = Path(__file__).resolve().parent.parent


def age_session(client, *, started_ago: float, seen_ago: float) -> None:
    session = client.session
    session[STARTED] = time.time() - started_ago
    session[SEEN] = time.time() - seen_ago
    session.save()


def test_defaults_are_thirty_idle_minutes_and_an_eight_hour_day(settings):
    assert settings.SESSION_IDLE_TIMEOUT.total_seconds() == 30 * 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT.total_seconds() == 8 * 3600
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_timeouts_are_read_from_the_environment(tmp_path):
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SESSION_IDLE_TIMEOUT.total_seconds(), s.SESSION_ABSOLUTE_TIMEOUT.total_seconds(), "
        "s.SESSION_COOKIE_AGE)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.settings", "DJANGO_DEBUG": "True",
           "DJANGO_SESSION_IDLE_MINUTES": "15", "DJANGO_SESSION_MAX_HOURS": "4"}  # fmt: skip
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["900.0", "14400.0", "14400"]


def test_a_zero_timeout_stops_start_up_with_a_clear_message():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.settings", "DJANGO_SESSION_IDLE_MINUTES": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "DJANGO_SESSION_IDLE_MINUTES and DJANGO_SESSION_MAX_HOURS must be greater than 0" in result.stderr


def test_a_login_starts_the_session_clock(client, secretary):
    client.post(reverse("login"), {"username": "bithu", "password": "MatKhau@2024"})
    assert abs(client.session[STARTED] - time.time()) < 5
    assert abs(client.session[SEEN] - time.time()) < 5


def test_a_session_idle_for_less_than_the_timeout_goes_on(client, secretary):
    client.force_login(secretary)
    age_session(client, started_ago=3600, seen_ago=29 * 60)
    response = client.get(reverse("registry:home"))
    assert response.status_code == 200
    assert time.time() - client.session[SEEN] < 5


def test_a_session_idle_for_more_than_the_timeout_is_sent_to_login(client, secretary):
    client.force_login(secretary)
    age_session(client, started_ago=3600, seen_ago=31 * 60)
    response = client.get(reverse("registry:registration-list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=" + reverse("registry:registration-list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [EXPIRED]
    assert "_auth_user_id" not in client.session


def test_an_active_session_ends_a_working_day_after_login(client, secretary):
    client.force_login(secretary)
    age_session(client, started_ago=8 * 3600 + 60, seen_ago=10)
    response = client.get(reverse("registry:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_idle_timeout_is_a_setting(client, secretary, settings):
    settings.SESSION_IDLE_TIMEOUT = timedelta(minutes=5)
    client.force_login(secretary)
    age_session(client, started_ago=600, seen_ago=6 * 60)
    assert client.get(reverse("registry:home")).status_code == 302


# --- Cache-Control -------------------------------------------------------------------------------------------------


@pytest.fixture
def private_urls(chi_bo, year, secretary):
    reg = RegistrationFactory(subject_unit=chi_bo, year=year, status=Status.ACTIVE)
    document = issue_registration_form(reg, secretary)
    return [
        reverse("registry:home"),
        reverse("registry:registration-list"),
        reverse("registry:registration-detail", args=[reg.pk]),
        reverse("registry:registration-export"),
        reverse("registry:document-pdf", args=[document.pk]),
    ]


def test_every_private_page_is_sent_no_store(client, secretary, private_urls):
    client.force_login(secretary)
    for url in private_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_the_admin_is_sent_no_store(admin_client):
    assert "no-store" in admin_client.get(reverse("admin:index"))["Cache-Control"]


def test_a_public_page_for_a_visitor_is_not_marked_private(client, db):
    assert "no-store" not in client.get(reverse("registry:showcase-list")).get("Cache-Control", "")
