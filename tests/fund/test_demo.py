"""The fund's part of the demo (issue 13): three funds, their capital and loans in every state."""

from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from fund.ledger_check import differences
from fund.models import Bucket, Decision, Freeze, Fund, Loan, Regulation, Tranche
from fund.models.applications import Status
from portal.models.units import REFORM_DATE
from tests.conftest import SUITE_START

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("fund-demo")]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """The demo, loaded once for the module at the suite's moment and rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(SUITE_START, tick=True),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def test_three_funds_with_example_regulations_and_a_second_version(demo):
    funds = {fund.slug: fund for fund in Fund.objects.select_related("unit", "team")}
    assert set(funds) == {"ben-tre", "vinh-long", "tra-vinh"}
    assert {fund.unit.code for fund in funds.values()} == {"83", "86", "84"}
    assert all(fund.unit.valid_until is not None for fund in funds.values())
    assert len({fund.team_id for fund in funds.values()}) == 1  # the merged province's fund team
    assert not Regulation.objects.filter(is_example=False).exists()
    versions = list(funds["ben-tre"].regulations.order_by("effective_from"))
    assert len(versions) == 2 and versions[1].effective_from == REFORM_DATE
    assert funds["tra-vinh"].regulation_on(SUITE_START.date()).yearly_rate_bp == 0
    assert "Funds:" in demo and "kiemsoat" in demo


def test_the_ledger_is_balanced(demo):
    assert differences() == []
    vinh_long = Fund.objects.get(slug="vinh-long")
    assert vinh_long.contributions.filter(source="state_budget", pledged=10_000_000_000).exists()
    assert Fund.objects.filter(contributions__anonymous=True).exists()
    campaign = Fund.objects.get(slug="tra-vinh").campaigns.get()
    assert campaign.contributions.exists()


def test_loans_in_every_state_and_bucket_across_the_reform(demo):
    loans = list(Loan.objects.all())
    assert len(loans) >= 35
    assert {loan.status for loan in loans} == set(Loan.Status.values)  # approved: the dossiers demo's
    active = [loan for loan in loans if loan.status == Loan.Status.ACTIVE]
    assert {loan.bucket for loan in active} == set(Bucket.values)
    assert any(loan.restructured for loan in loans)
    assert Freeze.objects.exists()
    assert any(loan.start_on and loan.start_on < REFORM_DATE for loan in loans)
    assert any(loan.start_on and loan.start_on >= REFORM_DATE for loan in loans)
    assert Loan.objects.filter(project__isnull=False).exists()
    states = set(Tranche.objects.filter(released_on__isnull=True).values_list("evidence_state", flat=True))
    assert {Tranche.Evidence.WAITING, Tranche.Evidence.SUBMITTED, Tranche.Evidence.ACCEPTED} <= states


def test_decisions_wait_in_the_queue(demo):
    pending = Decision.objects.filter(status=Decision.Status.PENDING)
    assert {decision.kind for decision in pending} >= {"approve_loan", "disburse", "extend"}
    assert all(decision.checked_by_id is None for decision in pending)
    approved = Decision.objects.filter(status=Decision.Status.APPROVED)
    assert all(decision.checked_by_id != decision.prepared_by_id for decision in approved)
    statuses = set(Fund.objects.values_list("applications__status", flat=True))
    assert {Status.APPRAISING, Status.REFUSED, Status.PROPOSED, Status.APPROVED} <= statuses


def test_loading_again_changes_nothing(demo):
    before = Loan.objects.count()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert Loan.objects.count() == before
    assert "0 created, 3 unchanged" in out.getvalue()
