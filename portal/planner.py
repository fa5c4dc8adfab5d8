"""The statistics the database's query planner chooses its indexes by.

SQLite keeps none until ``ANALYZE`` runs: without them it guessed that a list filtered on a province's
400 units was best read through the index on the unit, row by row, and sorted afterwards (57 ms for
the council's queue at province scale), where the index in the list's order finds the first 50 rows in
under a millisecond. PostgreSQL's autovacuum analyses tables as they grow; analysing them again costs a
few seconds a night. So the statistics are refreshed each night (``portal.tasks``) and after a command
loads data wholesale (the demo, the synthetic province).
"""

from django.db import connection


def refresh_planner_statistics() -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
