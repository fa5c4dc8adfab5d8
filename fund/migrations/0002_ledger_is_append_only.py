"""Database triggers that refuse to change or delete ledger entries and transactions, whatever code
tries (as for audit records, portal/migrations/0002): a mistake is reversed by a new transaction.

On PostgreSQL updates and row deletes are refused (TRUNCATE, which only an operator runs, stays
possible). On SQLite updates are refused; row deletes stay possible there because Django's test flush
empties tables with DELETE.
"""

from django.db import migrations

TABLES = ("fund_entry", "fund_transaction")

POSTGRESQL_FUNCTION = """
CREATE OR REPLACE FUNCTION fund_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries cannot be changed or deleted: post a reversal';
END;
$$ LANGUAGE plpgsql;
"""


def postgresql_forward() -> list[str]:
    return [POSTGRESQL_FUNCTION] + [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION fund_refuse_ledger_change();"
        for table in TABLES
    ]


def postgresql_backward() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};" for table in TABLES] + [
        "DROP FUNCTION IF EXISTS fund_refuse_ledger_change();"
    ]


def sqlite_forward() -> list[str]:
    return [
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE ON {table} BEGIN "
        "SELECT RAISE(ABORT, 'ledger entries cannot be changed or deleted: post a reversal'); END;"
        for table in TABLES
    ]


def sqlite_backward() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_append_only;" for table in TABLES]


STATEMENTS = {
    "postgresql": (postgresql_forward, postgresql_backward),
    "sqlite": (sqlite_forward, sqlite_backward),
}


def forward(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, (list, list))[0]():
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    for statement in STATEMENTS.get(schema_editor.connection.vendor, (list, list))[1]():
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("fund", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
