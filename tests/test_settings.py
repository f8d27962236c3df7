"""danvan/settings.py reads the environment and stops start-up with a clear message on a malformed value."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from danvan.settings import _database, env_bool, env_int, env_list


@pytest.mark.parametrize(("raw", "expected"), [("True", True), ("1", True), ("False", False), ("0", False)])
def test_env_bool_reads_true_and_false(monkeypatch, raw, expected):
    monkeypatch.setenv("DANVAN_TEST_FLAG", raw)
    assert env_bool("DANVAN_TEST_FLAG", not expected) is expected


def test_env_bool_falls_back_to_default_when_unset_or_empty(monkeypatch):
    monkeypatch.delenv("DANVAN_TEST_FLAG", raising=False)
    assert env_bool("DANVAN_TEST_FLAG", True) is True
    monkeypatch.setenv("DANVAN_TEST_FLAG", "")
    assert env_bool("DANVAN_TEST_FLAG", False) is False


def test_env_bool_refuses_other_values_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DANVAN_TEST_FLAG", "yes")
    with pytest.raises(ImproperlyConfigured) as exc:
        env_bool("DANVAN_TEST_FLAG", False)
    assert str(exc.value) == "DANVAN_TEST_FLAG must be True or False, got 'yes'"


def test_env_list_splits_on_commas_and_strips_spaces(monkeypatch):
    monkeypatch.setenv("DANVAN_TEST_HOSTS", "dvk.example.vn, www.dvk.example.vn")
    assert env_list("DANVAN_TEST_HOSTS", []) == ["dvk.example.vn", "www.dvk.example.vn"]


def test_env_list_refuses_empty_items_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DANVAN_TEST_HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured) as exc:
        env_list("DANVAN_TEST_HOSTS", [])
    assert str(exc.value) == (
        "DANVAN_TEST_HOSTS must be a comma-separated list without empty items, got 'a.example,,b.example'"
    )


def test_env_int_reads_whole_numbers(monkeypatch):
    monkeypatch.setenv("DANVAN_TEST_NUMBER", "120")
    assert env_int("DANVAN_TEST_NUMBER", 60) == 120


def test_env_int_refuses_other_values_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("DANVAN_TEST_NUMBER", "sixty")
    with pytest.raises(ImproperlyConfigured) as exc:
        env_int("DANVAN_TEST_NUMBER", 60)
    assert str(exc.value) == "DANVAN_TEST_NUMBER must be a whole number, got 'sixty'"


def test_database_parses_a_postgres_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://dvk:secret@db.example:5433/danvan")
    monkeypatch.delenv("DJANGO_CONN_MAX_AGE", raising=False)
    config = _database()
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("danvan", "dvk", "secret")
    assert (config["HOST"], config["PORT"]) == ("db.example", 5433)
    assert config["CONN_MAX_AGE"] == 60


def test_database_refuses_mysql(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://dvk:secret@db.example/danvan")
    with pytest.raises(ImproperlyConfigured, match="^DATABASE_URL must point to PostgreSQL or SQLite$"):
        _database()


def test_database_refuses_a_malformed_url(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "not-a-url")
    with pytest.raises(ImproperlyConfigured, match="^DATABASE_URL is not a valid database URL"):
        _database()


def test_database_refuses_a_malformed_connection_age(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://dvk@db.example/danvan")
    monkeypatch.setenv("DJANGO_CONN_MAX_AGE", "forever")
    with pytest.raises(ImproperlyConfigured, match="^DJANGO_CONN_MAX_AGE must be a whole number"):
        _database()


def test_database_sets_sqlite_immediate_transactions(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dvk.sqlite3'}")
    config = _database()
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] == 20
    assert config["CONN_MAX_AGE"] == 0


def test_language_and_time_zone_are_vietnamese():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True


def test_without_a_secret_key_outside_debug_commands_run_but_signing_is_refused(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    manage = [sys.executable, "manage.py"]
    check = subprocess.run([*manage, "makemigrations", "--check", "--dry-run"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    sign = subprocess.run(
        [*manage, "shell", "-c", "from django.core import signing; signing.dumps(1)"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert sign.returncode != 0
    assert "The SECRET_KEY setting must not be empty." in sign.stderr


def test_sqlite_file_database_lets_a_writer_in_while_a_long_read_is_open(monkeypatch, tmp_path):
    import sqlite3

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'dvk.sqlite3'}")
    options = _database()["OPTIONS"]

    def connect():
        conn = sqlite3.connect(tmp_path / "dvk.sqlite3", timeout=0.5, isolation_level=None)
        conn.execute(options["init_command"])
        return conn

    setup = connect()
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(500)])
    reader = connect()
    rows = reader.execute("SELECT x FROM t")
    rows.fetchone()  # an export half-way through its rows: the read transaction stays open

    connect().execute("INSERT INTO t VALUES (-1)")  # "database is locked" without WAL

    assert len(rows.fetchall()) == 499
