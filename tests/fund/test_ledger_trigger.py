"""The ledger is append-only in the database itself: a trigger refuses to change an entry or a
transaction (SQLite and PostgreSQL) and, on PostgreSQL, to delete one."""

import pytest
from django.db import DatabaseError, connection, transaction

from fund.models import Entry, Transaction
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps row deletes for the test flush"
)


def test_an_entry_cannot_be_changed(fund_world):
    entry = Entry.objects.first()
    with pytest.raises(DatabaseError, match="ledger entries cannot be changed"), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(amount=entry.amount + 1)
    entry.refresh_from_db()
    assert Entry.objects.get(pk=entry.pk).amount == entry.amount


def test_an_entry_saved_again_is_refused(fund_world):
    entry = Entry.objects.first()
    entry.amount = 1
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()


def test_a_transaction_cannot_be_changed(fund_world):
    posting = Transaction.objects.get()
    for change in ({"memo": "Đã sửa"}, {"value_date": posting.value_date.replace(year=2020)}):
        with pytest.raises(DatabaseError, match="post a reversal"), transaction.atomic():
            Transaction.objects.filter(pk=posting.pk).update(**change)
    posting.refresh_from_db()
    assert posting.memo == "Ngân sách tỉnh cấp vốn điều lệ"


@only_on_postgresql
@pytest.mark.parametrize("table", ["fund_entry", "fund_transaction"])
def test_a_row_cannot_be_deleted_on_postgresql(fund_world, table):
    rows = Entry.objects.count(), Transaction.objects.count()
    with (
        pytest.raises(DatabaseError, match="cannot be changed or deleted"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
    assert (Entry.objects.count(), Transaction.objects.count()) == rows


@only_on_postgresql
def test_an_entry_cannot_be_deleted_through_the_orm_on_postgresql(fund_world):
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.all().delete()
    assert Entry.objects.count() == 2
