"""A database trigger that refuses to change a built report's figures, whatever code tries.

Once a report is ready, its figures, status, build time, unit, period and version stay as they
are; its lessons learned, recommendations, number and finalisation can still be written. Rows
may still be deleted (Django's test flush empties tables with DELETE).
"""

from django.db import migrations

FROZEN = ("data", "status", "built_at", "unit_id", "period_kind", "period_first", "period_last", "version")
MESSAGE = "a built review report keeps its figures; build a new version instead"

POSTGRESQL_FORWARD = f"""
CREATE OR REPLACE FUNCTION reports_refuse_snapshot_change() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'ready' AND ({" OR ".join(f"NEW.{name} IS DISTINCT FROM OLD.{name}" for name in FROZEN)}) THEN
        RAISE EXCEPTION '{MESSAGE}';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER reports_snapshot_permanent
    BEFORE UPDATE ON reports_reviewreport
    FOR EACH ROW EXECUTE FUNCTION reports_refuse_snapshot_change();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS reports_snapshot_permanent ON reports_reviewreport;
DROP FUNCTION IF EXISTS reports_refuse_snapshot_change();
"""
SQLITE_FORWARD = f"""
CREATE TRIGGER reports_snapshot_permanent BEFORE UPDATE ON reports_reviewreport
WHEN OLD.status = 'ready' AND ({" OR ".join(f"NEW.{name} IS NOT OLD.{name}" for name in FROZEN)})
BEGIN
    SELECT RAISE(ABORT, '{MESSAGE}');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS reports_snapshot_permanent;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
