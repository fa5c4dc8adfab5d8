"""The fund's part of the synthetic province (``manage.py generate_data``, issue 13)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from dossiers.catalogue import FUND_LOAN
from dossiers.models import Dossier
from fund.ledger_check import differences
from fund.models import Bucket, Fund, Loan, Repayment, Transaction
from portal.models import AuditRecord
from tests.conftest import SUITE_START

pytestmark = pytest.mark.django_db

AS_OF = SUITE_START.date()  # the ledger check replays on the business date


def generate(dossiers: int) -> None:
    call_command(
        "generate_data",
        "--communes",
        "5",
        "--seed",
        "7",
        "--dossiers",
        str(dossiers),
        "--as-of",
        AS_OF.isoformat(),
        stdout=StringIO(),
    )


def test_a_loan_on_every_fund_loan_dossier_decided_with_a_balanced_ledger():
    generate(dossiers=80)
    fund = Fund.objects.get(slug="mo-phong-7")
    loans = Loan.objects.filter(fund=fund).select_related("application__dossier")
    decided = Dossier.objects.filter(procedure__code=FUND_LOAN, status__in=["done", "result_returned"])
    # The fund files no dossier of its own: the one-stop shop's 80 a commune, one loan on each decided.
    assert Dossier.objects.count() == 5 * 80
    assert loans.count() == decided.count() >= 20
    for loan in loans:
        dossier = loan.application.dossier
        assert (loan.borrower_id, loan.unit_id) == (dossier.applicant_id, dossier.unit_id)
        assert timezone.localdate(dossier.decided_at) <= loan.start_on < AS_OF
    assert Repayment.objects.filter(loan__fund=fund).count() > loans.count()
    assert Transaction.objects.filter(fund=fund).count() == 1 + loans.count() + Repayment.objects.count()
    assert loans.filter(status=Loan.Status.REPAID).exists()
    assert len(set(loans.filter(status=Loan.Status.ACTIVE).values_list("bucket", flat=True))) >= 3
    assert Bucket.CURRENT in set(loans.values_list("bucket", flat=True))
    assert differences(fund) == []
    assert not AuditRecord.objects.exists()  # bulk_create writes none


def test_no_loans_without_dossiers():
    generate(dossiers=0)
    fund = Fund.objects.get(slug="mo-phong-7")
    assert not Dossier.objects.exists()
    assert not fund.loans.exists()
    assert differences(fund) == []
