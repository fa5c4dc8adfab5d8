"""Celery round trip through a real worker, /healthz, and settings read from the environment.

The worker and the settings probes run in subprocesses with their own
environment: settings are read once, at import, so the test process cannot
switch them.
"""

import json
import os
import secrets
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError
from django.urls import reverse

from portal.views import health

BASE_DIR = Path(settings.BASE_DIR)
# What the subprocesses take from this process's environment; everything else they get explicitly.
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
SERVICES = ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"
# One task at a time in the worker's own process; no waiting for other workers at start.
WORKER_OPTIONS = ("--pool=solo", "--concurrency=1", "-l", "WARNING")
WORKER_OPTIONS += ("--without-gossip", "--without-mingle", "--without-heartbeat")


def environment(var_dir: Path, **variables: str) -> dict[str, str]:
    """A clean environment for a portal subprocess: no service URLs unless given, files under ``var_dir``."""
    passed_on = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    return {
        **passed_on,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
        **variables,
    }


def run_python(env: dict[str, str], *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=timeout
    )


# --- (a) a task sent through the broker comes back from a real worker ---

PRODUCER = """
import sys

import django

django.setup()
from portal.celery import app
from portal.tasks import record_heartbeat

app.conf.task_default_queue = sys.argv[1]
print(record_heartbeat.delay().get(timeout=60))
"""


@pytest.mark.broker
def test_a_worker_runs_the_heartbeat_task_and_returns_its_result(tmp_path):
    # The broker and result backend of this run: Redis when the environment names it (CI),
    # otherwise the filesystem broker in a folder of this test alone.
    services = {name: os.environ[name] for name in SERVICES if os.environ.get(name)}
    env = environment(tmp_path / "var", PORTAL_ENV="test", **services)
    # A queue of this test alone, so that no other worker on the same broker takes the task.
    queue = f"test-heartbeat-{uuid.uuid4().hex}"
    worker_log = tmp_path / "worker.log"
    started = datetime.now(UTC)
    with worker_log.open("w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "portal", "worker", *WORKER_OPTIONS, "-Q", queue],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        producer = subprocess.Popen(
            [sys.executable, "-c", PRODUCER, queue],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 90
        while producer.poll() is None and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        if producer.poll() is None:
            producer.kill()
        output, errors = producer.communicate()
        assert worker.poll() is None, f"the worker stopped early:\n{worker_log.read_text()}"
        assert producer.returncode == 0, f"{errors}\nworker:\n{worker_log.read_text()}"
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
    finished = datetime.now(UTC)

    returned = output.strip()
    stamp = datetime.fromisoformat(returned)
    assert stamp.isoformat() == returned
    assert stamp.tzinfo is not None
    assert started <= stamp <= finished


# --- (b) /healthz ---


@pytest.mark.django_db
def test_healthz_is_ok_when_the_database_and_the_broker_answer(client):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": [], "worker_last_seen": None}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_names_the_broker_when_it_does_not_answer(client, monkeypatch):
    # Celery prefers CELERY_BROKER_URL from the environment to its configuration, on every connection.
    monkeypatch.setenv("CELERY_BROKER_URL", UNREACHABLE_BROKER)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "failing", "failing": ["broker"], "worker_last_seen": None}


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server")


@pytest.mark.django_db
def test_healthz_names_the_database_when_it_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _BrokenConnection())

    response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert response.json() == {"status": "failing", "failing": ["database"], "worker_last_seen": None}


# --- (c) settings from the environment ---

SETTINGS_PROBE = """
import json

import django
from django.conf import settings

django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": str(settings.DATABASES["default"]["NAME"]),
    "CONN_MAX_AGE": settings.DATABASES["default"]["CONN_MAX_AGE"],
    "OPTIONS": settings.DATABASES["default"].get("OPTIONS", {}),
    "BROKER": settings.CELERY_BROKER_URL,
    "RESULTS": settings.CELERY_RESULT_BACKEND,
    "CACHE": settings.CACHES["default"]["BACKEND"],
}))
"""


def probe_settings(env: dict[str, str]) -> dict:
    result = run_python(env, "-c", SETTINGS_PROBE)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def a_secret_key() -> str:
    return secrets.token_urlsafe(50)


@pytest.mark.parametrize("portal_env", [None, "production"])
def test_production_without_a_secret_key_stops_with_a_clear_message(tmp_path, portal_env):
    env = environment(tmp_path, **({"PORTAL_ENV": portal_env} if portal_env else {}))

    result = run_python(env, "-c", "import django; django.setup()")

    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith(
            "django.core.exceptions.ImproperlyConfigured: SECRET_KEY is not set. "
            "Set the SECRET_KEY environment variable to a long random string"
        )
    )


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = environment(
        tmp_path, PORTAL_ENV="production", SECRET_KEY=a_secret_key(), ALLOWED_HOSTS="example.vn"
    )

    result = run_python(env, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("variables", "is_debug"),
    [
        ({"PORTAL_ENV": "production", "SECRET_KEY": "k" * 60}, False),
        ({"PORTAL_ENV": "demo"}, False),
        ({"PORTAL_ENV": "test"}, False),
        ({"PORTAL_ENV": "demo", "DEBUG": "true"}, True),
    ],
)
def test_debug_is_off_unless_asked_for(tmp_path, variables, is_debug):
    assert probe_settings(environment(tmp_path, **variables))["DEBUG"] is is_debug


def test_without_services_the_portal_uses_sqlite_and_the_filesystem_broker(tmp_path):
    probed = probe_settings(environment(tmp_path, PORTAL_ENV="demo"))

    assert probed["ENGINE"] == "django.db.backends.sqlite3"
    assert probed["NAME"] == str(tmp_path / "portal.sqlite3")
    # Web, worker and beat share the file: each waits for the others' locks, and keeps its connection.
    assert probed["OPTIONS"] == {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    assert probed["CONN_MAX_AGE"] == 60
    assert probed["BROKER"] == "filesystem://"
    assert probed["RESULTS"] == f"file://{tmp_path / 'celery' / 'results'}"
    assert probed["CACHE"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_database_url_and_redis_url_switch_to_postgresql_and_redis(tmp_path):
    env = environment(
        tmp_path,
        PORTAL_ENV="production",
        SECRET_KEY=a_secret_key(),
        DATABASE_URL="postgres://portal@db.example.vn:5432/portal",
        REDIS_URL="redis://redis.example.vn:6379/0",
    )

    probed = probe_settings(env)

    assert probed["ENGINE"] == "django.db.backends.postgresql"
    assert probed["NAME"] == "portal"
    assert probed["OPTIONS"] == {"options": "-c jit=off"}
    assert probed["CONN_MAX_AGE"] == 60
    assert probed["BROKER"] == "redis://redis.example.vn:6379/0"
    assert probed["RESULTS"] == "redis://redis.example.vn:6379/0"
    assert probed["CACHE"] == "django.core.cache.backends.redis.RedisCache"


def test_options_in_the_database_url_are_kept_beside_jit_off(tmp_path):
    url = "postgres://portal@db.example.vn:5432/portal?options=-c%20statement_timeout%3D5000"
    env = environment(tmp_path, PORTAL_ENV="production", SECRET_KEY=a_secret_key(), DATABASE_URL=url)

    assert probe_settings(env)["OPTIONS"] == {"options": "-c statement_timeout=5000 -c jit=off"}


def test_celery_broker_url_takes_precedence_over_redis_url(tmp_path):
    env = environment(
        tmp_path,
        PORTAL_ENV="demo",
        REDIS_URL="redis://redis.example.vn:6379/0",
        CELERY_BROKER_URL="redis://redis.example.vn:6379/1",
    )

    probed = probe_settings(env)

    assert probed["BROKER"] == "redis://redis.example.vn:6379/1"
    assert probed["RESULTS"] == "redis://redis.example.vn:6379/0"


@pytest.mark.django_db
def test_healthz_says_when_a_worker_last_ran_the_heartbeat(client):
    from django.core.cache import cache

    from portal.tasks import record_heartbeat

    cache.clear()
    seen = record_heartbeat()  # run in this process, as a worker would
    assert client.get(reverse("healthz")).json()["worker_last_seen"] == seen


HTTPS_REDIRECT_PROBE = """
import django
from django.test import Client

django.setup()
client = Client(HTTP_HOST="example.vn")
print(client.get("/healthz").status_code, client.get("/accounts/login/").status_code)
"""


def test_production_redirects_to_https_except_the_health_check(tmp_path):
    env = environment(
        tmp_path, PORTAL_ENV="production", SECRET_KEY=a_secret_key(), ALLOWED_HOSTS="example.vn"
    )

    result = run_python(env, "-c", HTTPS_REDIRECT_PROBE)

    assert result.returncode == 0, result.stderr
    healthz_status, login_status = result.stdout.split()
    assert login_status == "301"
    assert healthz_status in {"200", "503"}  # answered, not redirected; the broker may be absent here
