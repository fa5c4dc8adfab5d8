"""The fund's part of the synthetic province (``manage.py generate_data``, issue 13)."""

from io import StringIO

import pytest
from django.core.management import call_command

from fund.ledger_check import differences
from fund.models import Bucket, Fund, Loan, Repayment, Transaction
from tests.conftest import SUITE_START

pytestmark = pytest.mark.django_db

AS_OF = SUITE_START.date()  # the ledger check replays on the business date


def test_ten_years_of_loans_with_a_balanced_ledger():
    out = StringIO()
    call_command(
        "generate_data",
        "--communes",
        "5",
        "--seed",
        "7",
        "--dossiers",
        "5",
        "--as-of",
        AS_OF.isoformat(),
        stdout=out,
    )
    fund = Fund.objects.get(slug="mo-phong-7")
    loans = Loan.objects.filter(fund=fund)
    assert loans.count() == 5 * 20
    assert Repayment.objects.filter(loan__fund=fund).count() > 1000
    assert Transaction.objects.filter(fund=fund).count() == 1 + 100 + Repayment.objects.count()
    assert min(loans.values_list("start_on", flat=True)) < AS_OF.replace(year=AS_OF.year - 9)
    assert loans.filter(status=Loan.Status.REPAID).exists()
    assert len(set(loans.filter(status=Loan.Status.ACTIVE).values_list("bucket", flat=True))) >= 3
    assert Bucket.CURRENT in set(loans.values_list("bucket", flat=True))
    assert differences(fund) == []
