"""manage.py reset_outdated_demo: start the demo database afresh when an older portal built it (demo only).

``make run`` calls it before ``migrate``. The migrations of the portal's apps were once regenerated
from zero, so a demo database built before then records migrations this version no longer has
(``portal.0003_unit_code_format`` …) and holds tables it no longer uses; ``migrate`` would stop on
it or leave it half migrated. Such a database holds nothing but demo data, which ``load_demo``
builds again.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.exceptions import InconsistentMigrationHistory
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from portal.management import bilingual

# The apps whose migrations this repository writes; the migrations of Django's and other
# libraries' apps are not checked against the disk.
PROJECT_APPS = frozenset(
    {"portal", "dossiers", "policies", "teamwork", "projects", "fund", "conversions", "reports"}
)
# The files SQLite keeps beside a database: write-ahead log, its shared memory, rollback journal.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def outdated_migrations(connection: BaseDatabaseWrapper) -> list[str]:
    """Why the database was built by an older portal, one line a reason; empty when it was not.

    A reason is an applied migration of a project app that is no longer on disk, or a migration
    applied before one it depends on. An empty database (no ``django_migrations`` table) is not
    outdated.
    """
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    missing = sorted(
        (app, name)
        for app, name in loader.applied_migrations
        if app in PROJECT_APPS and (app, name) not in loader.disk_migrations
    )
    if missing:
        return [f"{app}.{name}" for app, name in missing]
    try:
        loader.check_consistent_history(connection)
    except InconsistentMigrationHistory as error:
        return [str(error)]
    return []


def remove_sqlite_database(connection: BaseDatabaseWrapper) -> None:
    """Close the connection and delete the database file with its companions; ``migrate`` creates it again."""
    path = Path(connection.settings_dict["NAME"])
    connection.close()
    for file in (path, *(path.with_name(path.name + suffix) for suffix in SQLITE_COMPANIONS)):
        file.unlink(missing_ok=True)


def drop_postgresql_tables(connection: BaseDatabaseWrapper) -> None:
    """Drop every table on the connection's search path in one transaction; ``migrate`` creates them again.

    ``DROP TABLE … CASCADE`` takes the tables' sequences, indexes, constraints and the views built
    on them, and needs only the tables' ownership. ``DROP SCHEMA public CASCADE`` is not used: it
    needs the schema's ownership, loses the schema's grants, and would take whatever else lives in
    the schema, not only the portal's tables.
    """
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if tables:
            cursor.execute(f"DROP TABLE IF EXISTS {', '.join(quote(table) for table in tables)} CASCADE")


class Command(BaseCommand):
    help = (
        "Demo only: when the database was built by an older version of the portal (it records "
        "migrations of the portal's apps that no longer exist, or an inconsistent migration history), "
        "delete the SQLite file or drop every table on PostgreSQL, so that migrate and load_demo build "
        "the demo again. An up-to-date or empty database is left as it is. make run calls it before migrate."
    )

    def handle(self, *args, **options):
        if settings.PORTAL_ENV != "demo":
            raise CommandError(
                bilingual(
                    lambda: (
                        _(
                            "Only the demo database is ever reset; this one is %(env)s. "
                            "Set PORTAL_ENV=demo to reset an outdated demo."
                        )
                        % {"env": settings.PORTAL_ENV}
                    )
                )
            )
        connection = connections[DEFAULT_DB_ALIAS]
        reasons = outdated_migrations(connection)
        if not reasons:
            return
        database = str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            remove_sqlite_database(connection)
        elif connection.vendor == "postgresql":
            drop_postgresql_tables(connection)
        else:
            raise CommandError(
                bilingual(
                    lambda: (
                        _(
                            "The demo database %(database)s comes from an older version of the portal, "
                            "and this command cannot empty a %(vendor)s database. Empty it by hand, "
                            "then run make run again."
                        )
                        % {"database": database, "vendor": connection.vendor}
                    )
                )
            )
        self.stdout.write(
            self.style.WARNING(
                bilingual(
                    lambda: (
                        _(
                            "The demo database %(database)s came from an older version of the portal; "
                            "it is removed and the demo is built again."
                        )
                        % {"database": database}
                    )
                )
            )
        )
        for reason in reasons:
            self.stdout.write(f"  {reason}")
