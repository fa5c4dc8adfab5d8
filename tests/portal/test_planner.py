"""The query planner's statistics: refreshed each night, and after the demo's commands load data."""

import pytest
from django.conf import settings
from django.db import connection

from portal.models import AdminUnit
from portal.tasks import refresh_planner_statistics_tonight


def rows_the_planner_counts(table: str) -> int | None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # One row per index; each begins with the number of rows of the table.
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            row = cursor.fetchone()
            return None if row is None else int(row[0].split()[0])
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        reltuples = cursor.fetchone()[0]
        return None if reltuples < 0 else int(reltuples)


def test_the_nightly_job_gives_the_planner_the_count_of_rows_of_each_table(cast):
    refresh_planner_statistics_tonight()
    assert rows_the_planner_counts(AdminUnit._meta.db_table) == AdminUnit.objects.count() == 5


def test_the_job_is_in_the_nightly_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["planner-statistics"]
    assert entry["task"] == refresh_planner_statistics_tonight.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {0})


def test_postgresql_compiles_no_query(db):
    """JIT compilation cost 0.9 s on a page's query that runs in 16 ms (portal/settings.py)."""
    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
