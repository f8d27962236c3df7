"""Wrong passwords cannot lock others out: behind the proxy axes reads the client's address from X-Forwarded-For only
when DJANGO_PROXY_COUNT says so, locks a username from one address, and failures from other addresses only slow the
next attempts down for a few seconds (registry/login_throttle.py)."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from registry.login_throttle import slowdown_message

ROOT = Path(__file__).resolve().parent.parent
PROXY = "10.0.0.254"
RIGHT, WRONG = "MatKhau@2024", "sai-mat-khau"


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def behind_one_proxy(settings, axes_on):
    """What DJANGO_PROXY_COUNT=1 sets (danvan/settings.py)."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    settings.AXES_IPWARE_PROXY_COUNT = 0
    settings.AXES_IPWARE_PROXY_ORDER = "left-most"


def log_in(client, password, *, client_address, url="login", username="bithu"):
    """A login through the load balancer: REMOTE_ADDR is the proxy, the client is in X-Forwarded-For."""
    return client.post(
        reverse(url), {"username": username, "password": password},
        REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=client_address,
    )  # fmt: skip


def age_failures(seconds: int) -> None:
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - timedelta(seconds=seconds)
        )


def test_behind_the_proxy_a_guesser_elsewhere_does_not_lock_the_owner_out(client, secretary, behind_one_proxy):
    for _ in range(10):
        log_in(client, WRONG, client_address="203.0.113.66")
    age_failures(60)
    response = log_in(client, RIGHT, client_address="198.51.100.7")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(secretary.pk)


def test_behind_the_proxy_the_guessers_own_address_is_locked(client, secretary, behind_one_proxy):
    for _ in range(5):
        log_in(client, WRONG, client_address="203.0.113.66")
    assert log_in(client, RIGHT, client_address="203.0.113.66").status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"


def test_a_forged_forwarded_header_counts_as_the_proxys_own_address(client, secretary, behind_one_proxy):
    for n in range(5):
        log_in(client, WRONG, client_address=f"192.0.2.{n}, 203.0.113.66")
    assert AccessAttempt.objects.get().ip_address == PROXY


def test_without_a_proxy_count_the_forwarded_header_is_ignored(client, secretary, axes_on):
    for n in range(5):
        log_in(client, WRONG, client_address=f"192.0.2.{n}")
    assert log_in(client, RIGHT, client_address="192.0.2.99").status_code == 429
    assert AccessAttempt.objects.get().ip_address == PROXY


def failures_elsewhere(count: int, seconds_ago: int, address: str = "203.0.113.66") -> None:
    """``count`` failures for "bithu" recorded by axes from ``address``, the last ``seconds_ago`` seconds ago."""
    attempt = AccessAttempt.objects.create(
        username="bithu", ip_address=address, user_agent="", http_accept="", path_info="/dang-nhap/", get_data="",
        post_data="", failures_since_start=count,
    )  # fmt: skip
    age_failures(seconds_ago)
    assert AccessAttempt.objects.get(pk=attempt.pk).failures_since_start == count


def test_failures_from_other_addresses_slow_the_next_attempt_with_a_message(client, secretary, behind_one_proxy):
    failures_elsewhere(5, seconds_ago=1)
    response = log_in(client, RIGHT, client_address="198.51.100.7")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [slowdown_message(3)]
    assert "_auth_user_id" not in client.session


def test_guessing_from_many_addresses_is_slowed_after_three_failures(client, secretary, behind_one_proxy):
    for n in range(10):
        log_in(client, WRONG, client_address=f"203.0.113.{n}")
    assert sum(attempt.failures_since_start for attempt in AccessAttempt.objects.all()) == 3


def test_a_slowed_attempt_is_not_counted_as_a_failure(client, secretary, behind_one_proxy):
    failures_elsewhere(5, seconds_ago=0)
    for _ in range(10):
        log_in(client, WRONG, client_address="198.51.100.7")
    assert not AccessAttempt.objects.filter(ip_address="198.51.100.7").exists()


def test_the_owner_gets_in_once_the_short_wait_is_over(client, secretary, behind_one_proxy):
    failures_elsewhere(5, seconds_ago=5)
    assert log_in(client, RIGHT, client_address="198.51.100.7").status_code == 302


def test_the_wait_never_exceeds_a_minute(client, secretary, behind_one_proxy):
    failures_elsewhere(40, seconds_ago=58)
    assert log_in(client, RIGHT, client_address="198.51.100.7").context["form"].non_field_errors() == [
        slowdown_message(2)
    ]
    age_failures(3)
    assert log_in(client, RIGHT, client_address="198.51.100.7").status_code == 302


def test_the_admin_login_is_slowed_down_too(client, secretary, behind_one_proxy):
    failures_elsewhere(5, seconds_ago=1)
    response = log_in(client, RIGHT, client_address="198.51.100.7", url="admin:login")
    assert response.status_code == 200
    assert slowdown_message(3) in response.content.decode()


def test_the_proxy_count_is_read_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_IPWARE_META_PRECEDENCE_ORDER[0], s.AXES_IPWARE_PROXY_COUNT)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "danvan.settings", "DJANGO_DEBUG": "True", "DJANGO_PROXY_COUNT": "2"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["HTTP_X_FORWARDED_FOR", "1"]
