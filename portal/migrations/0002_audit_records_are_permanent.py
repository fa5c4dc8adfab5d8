"""Database triggers that refuse to change audit records, whatever code tries.

On PostgreSQL updates and row deletes are refused (TRUNCATE, which only an
operator runs, stays possible). On SQLite updates are refused; row deletes stay
possible there because Django's test flush empties tables with DELETE.
"""

from django.db import migrations

POSTGRESQL_FORWARD = """
CREATE OR REPLACE FUNCTION portal_refuse_audit_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER portal_auditrecord_permanent
    BEFORE UPDATE OR DELETE ON portal_auditrecord
    FOR EACH ROW EXECUTE FUNCTION portal_refuse_audit_change();
"""
POSTGRESQL_BACKWARD = """
DROP TRIGGER IF EXISTS portal_auditrecord_permanent ON portal_auditrecord;
DROP FUNCTION IF EXISTS portal_refuse_audit_change();
"""
SQLITE_FORWARD = """
CREATE TRIGGER portal_auditrecord_permanent BEFORE UPDATE ON portal_auditrecord
BEGIN
    SELECT RAISE(ABORT, 'audit records cannot be changed or deleted');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS portal_auditrecord_permanent;"


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
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
