"""reset_outdated_demo: a demo database built by an older portal is started afresh before migrate.

Settings are read once, at import, so the databases of other versions are handed to
``manage.py`` in subprocesses through ``DATABASE_URL``, as ``make run`` would.
"""

import io
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from portal.models import User
from tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)
PASSED_ON = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
# What the portal once recorded: its own first migration and one of those regenerated away.
OLDER_PORTAL = [("portal", "0001_initial"), ("portal", "0003_unit_code_format")]
RESET = "came from an older version of the portal; it is removed and the demo is built again."
REFUSED = (
    "Only the demo database is ever reset; this one is {env}. Set PORTAL_ENV=demo to reset an outdated demo."
)


def environment(
    tmp_path: Path, database_url: str, portal_env: str = "demo", **variables: str
) -> dict[str, str]:
    """The environment ``make run`` gives manage.py, on ``database_url``, with files under ``tmp_path``."""
    passed_on = {name: os.environ[name] for name in PASSED_ON if name in os.environ}
    return {
        **passed_on,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": portal_env,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": database_url,
        **variables,
    }


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def older_sqlite_demo(path: Path, applied: list[tuple[str, str]]) -> sqlite3.Connection:
    """A SQLite database as an older portal left it, in WAL mode; the open connection keeps -wal and -shm."""
    database = sqlite3.connect(path)
    database.execute("PRAGMA journal_mode=WAL")
    database.execute(
        "CREATE TABLE django_migrations (id integer PRIMARY KEY AUTOINCREMENT, "
        "app varchar(255) NOT NULL, name varchar(255) NOT NULL, applied datetime NOT NULL)"
    )
    database.executemany(
        "INSERT INTO django_migrations (app, name, applied) VALUES (?, ?, '2026-01-05 08:00:00')", applied
    )
    database.execute("CREATE TABLE portal_dossier (id integer PRIMARY KEY, code varchar(20) NOT NULL)")
    database.execute("INSERT INTO portal_dossier (code) VALUES ('HS-2026-000001')")
    database.commit()
    return database


def sqlite_rows(path: Path, query: str) -> list[tuple]:
    with sqlite3.connect(path) as database:
        return database.execute(query).fetchall()


@pytest.mark.parametrize("portal_env", ["test", "production"])
def test_outside_the_demo_it_refuses_and_deletes_nothing(tmp_path, portal_env):
    path = tmp_path / "portal.sqlite3"
    older_sqlite_demo(path, OLDER_PORTAL).close()
    before = path.read_bytes()
    env = environment(tmp_path, f"sqlite:///{path}", portal_env, SECRET_KEY="s" * 50)

    result = manage(env, "reset_outdated_demo")

    assert result.returncode == 1
    # "CommandError: <Vietnamese> / <English>" once the catalogue has it.
    assert result.stderr.startswith("CommandError: ")
    assert REFUSED.format(env=portal_env) in result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == before
    assert sqlite_rows(path, "SELECT app, name FROM django_migrations ORDER BY id") == OLDER_PORTAL


def test_in_the_test_process_outside_the_demo_it_refuses(db):
    with pytest.raises(CommandError) as refusal:
        call_command("reset_outdated_demo")

    assert REFUSED.format(env="test") in str(refusal.value)


def test_an_up_to_date_database_is_left_as_it_is(db, settings):
    settings.PORTAL_ENV = "demo"
    user = UserFactory()
    tables = connection.introspection.table_names()
    out = io.StringIO()

    call_command("reset_outdated_demo", stdout=out)

    assert out.getvalue() == ""
    assert connection.introspection.table_names() == tables
    assert list(User.objects.values_list("pk", flat=True)) == [user.pk]


def test_an_empty_database_is_left_as_it_is(tmp_path):
    path = tmp_path / "portal.sqlite3"

    result = manage(environment(tmp_path, f"sqlite:///{path}"), "reset_outdated_demo")

    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert sqlite_rows(path, "SELECT name FROM sqlite_master") == []


def test_an_outdated_sqlite_demo_is_removed_and_migrate_builds_it_again(tmp_path):
    path = tmp_path / "portal.sqlite3"
    companions = [tmp_path / "portal.sqlite3-wal", tmp_path / "portal.sqlite3-shm"]
    # An older demo still holds the database open, as a forgotten run_demo would.
    older = older_sqlite_demo(path, OLDER_PORTAL)
    assert [file.exists() for file in companions] == [True, True]
    env = environment(tmp_path, f"sqlite:///{path}")

    result = manage(env, "reset_outdated_demo")
    older.close()

    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert f"The demo database {path} {RESET}" in lines[0]
    assert lines[1:] == ["  portal.0003_unit_code_format"]
    assert [file.exists() for file in (path, *companions)] == [False, False, False]

    migrated = manage(env, "migrate", "--noinput")

    assert migrated.returncode == 0, migrated.stderr
    portal_migrations = "SELECT name FROM django_migrations WHERE app = 'portal' ORDER BY name"
    on_disk = sorted((migration.stem,) for migration in (BASE_DIR / "portal" / "migrations").glob("0*.py"))
    assert sqlite_rows(path, portal_migrations) == on_disk
    assert sqlite_rows(path, "SELECT name FROM sqlite_master WHERE name = 'portal_dossier'") == []
    # Up to date now: a second make run leaves it alone.
    assert manage(env, "reset_outdated_demo").stdout == ""


def test_a_demo_with_an_inconsistent_history_is_removed(tmp_path):
    path = tmp_path / "portal.sqlite3"
    # The one-stop shop recorded without the portal migration it depends on.
    older_sqlite_demo(path, [("dossiers", "0001_initial")]).close()

    result = manage(environment(tmp_path, f"sqlite:///{path}"), "reset_outdated_demo")

    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert f"The demo database {path} {RESET}" in lines[0]
    assert lines[1:] == [
        "  Migration dossiers.0001_initial is applied before its dependency portal.0001_initial "
        "on database 'default'."
    ]
    assert not path.exists()


@pytest.fixture
def scratch_postgresql_database():
    """A database of this test beside the suite's: ``(connection to it, its DATABASE_URL)``, dropped after."""
    if connection.vendor != "postgresql":
        pytest.skip("the suite runs on SQLite; DATABASE_URL=postgres://… runs this test")
    suite = settings.DATABASES["default"]
    # test_<name>…: the CI run's clean-up drops it too should this test be interrupted.
    name = f"test_{suite['NAME']}_outdated_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"
    server = {key.lower(): suite[key] for key in ("USER", "PASSWORD", "HOST", "PORT")}
    admin = psycopg2.connect(dbname="postgres", **server)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    scratch = psycopg2.connect(dbname=name, **server)
    scratch.autocommit = True
    credentials = quote(suite["USER"]) + (f":{quote(suite['PASSWORD'])}" if suite["PASSWORD"] else "")
    try:
        yield scratch, f"postgres://{credentials}@{suite['HOST']}:{suite['PORT']}/{name}"
    finally:
        scratch.close()
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def public_relations(database) -> list[tuple[str, str]]:
    """The tables, views, sequences and indexes of the public schema, as ``(name, kind)``."""
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' ORDER BY c.relname"
        )
        return cursor.fetchall()


def test_an_outdated_postgresql_demo_loses_every_table_and_migrate_builds_it_again(
    tmp_path, scratch_postgresql_database
):
    scratch, database_url = scratch_postgresql_database
    with scratch.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE django_migrations (id serial PRIMARY KEY, app varchar(255) NOT NULL, "
            "name varchar(255) NOT NULL, applied timestamptz NOT NULL)"
        )
        cursor.executemany(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, now())", OLDER_PORTAL
        )
        # Tables that reference each other and a view on them: dropped only together.
        cursor.execute("CREATE TABLE portal_unit (id serial PRIMARY KEY, name text NOT NULL)")
        cursor.execute(
            "CREATE TABLE portal_dossier "
            "(id serial PRIMARY KEY, unit_id integer NOT NULL REFERENCES portal_unit)"
        )
        cursor.execute("CREATE VIEW portal_dossier_count AS SELECT count(*) FROM portal_dossier")
    env = environment(tmp_path, database_url)

    result = manage(env, "reset_outdated_demo")

    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert f"The demo database {database_url.rsplit('/', 1)[1]} {RESET}" in lines[0]
    assert lines[1:] == ["  portal.0003_unit_code_format"]
    assert public_relations(scratch) == []

    migrated = manage(env, "migrate", "--noinput")

    assert migrated.returncode == 0, migrated.stderr
    with scratch.cursor() as cursor:
        cursor.execute("SELECT name FROM django_migrations WHERE app = 'portal' ORDER BY name")
        assert cursor.fetchall() == sorted(
            (migration.stem,) for migration in (BASE_DIR / "portal" / "migrations").glob("0*.py")
        )
    assert ("portal_dossier", "r") not in public_relations(scratch)
    assert manage(env, "reset_outdated_demo").stdout == ""
