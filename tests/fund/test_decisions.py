"""Two-person decisions: who prepared a decision never checks it; the checked command is carried out
as stored; the People's Committee's decision is recorded above the board's limit."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from fund.models import Decision, Level, Loan, Status
from fund.services import decisions, ledger
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_the_maker_cannot_check_their_own_decision(fund_world):
    decision = fund_world.proposed()
    with pytest.raises(Refused) as refused:
        decisions.approve(decision=decision, by=fund_world.officer)
    assert refused.value.code == "maker_checker"
    assert not Loan.objects.exists()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.PENDING


def test_the_database_refuses_a_decision_checked_by_its_maker(fund_world):
    decision = fund_world.proposed()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(checked_by=fund_world.officer)


def test_a_second_officer_approves_and_the_loan_is_written_as_proposed(fund_world):
    loan = fund_world.approved_loan(
        amount=150_000_000,
        term_months=36,
        tranches=[(100_000_000, "Ký hợp đồng"), (50_000_000, "Xưởng xây xong")],
    )
    assert (loan.amount, loan.term_months, loan.yearly_rate_bp, loan.status) == (
        150_000_000,
        36,
        300,
        Loan.Status.APPROVED,
    )
    assert list(loan.tranches.values_list("amount", flat=True)) == [100_000_000, 50_000_000]
    assert loan.allocation_order == fund_world.regulation.allocation_order
    fund_world.application.refresh_from_db()
    assert fund_world.application.status == Status.APPROVED


def test_a_loan_above_a_cap_is_refused_with_the_article(fund_world):
    fund_world.recommended(250_000_000)
    with pytest.raises(Refused) as refused:
        decisions.propose_loan(
            application=fund_world.application,
            by=fund_world.officer,
            amount=250_000_000,
            term_months=24,
            grace_months=0,
            method="equal_principal",
            period_months=1,
            tranches=[(250_000_000, "Ký hợp đồng")],
            reason="Đề nghị",
        )
    assert refused.value.code == "rules_broken"
    assert "Điều 7 khoản 3" in str(refused.value)  # 50 % of a 400-million project is 200 million
    assert not Decision.objects.exists()


def test_above_the_board_limit_the_peoples_committee_decision_is_recorded(fund_world):
    fund_world.application.project_cost = 500_000_000
    fund_world.application.save()
    decision = fund_world.proposed(amount=220_000_000)
    assert decision.level == Level.PEOPLES_COMMITTEE
    with pytest.raises(Refused) as refused:
        decisions.approve(decision=decision, by=fund_world.checker)
    assert refused.value.code == "outside_decision_required"
    decisions.approve(
        decision=decision,
        by=fund_world.checker,
        outside_number="123/QĐ-UBND",
        outside_date=datetime.date(2026, 11, 16),
    )
    assert Loan.objects.get().amount == 220_000_000


def test_a_release_posts_once_and_starts_the_schedule(fund_world):
    cash = ledger.cash_of(fund_world.fund)
    loan = fund_world.released_loan()
    assert ledger.cash_of(fund_world.fund) == cash - 120_000_000
    assert loan.status == Loan.Status.ACTIVE
    assert loan.start_on == datetime.date(2026, 11, 18)
    assert loan.outstanding == 120_000_000
    rows = list(loan.schedules.get().instalments.values_list("due_on", "principal", "interest"))
    assert rows[0] == (datetime.date(2026, 12, 18), 5_000_000, 300_000)
    assert sum(principal for _day, principal, _interest in rows) == 120_000_000


def test_a_later_tranche_waits_for_accepted_evidence(fund_world):
    loan = fund_world.released_loan(tranches=[(80_000_000, "Ký hợp đồng"), (40_000_000, "Xưởng xây xong")])
    second = loan.tranches.get(number=2)
    with pytest.raises(Refused) as refused:
        decisions.propose_release(tranche=second, by=fund_world.officer, reason="Đợt 2")
    assert refused.value.code == "evidence_not_accepted"


def test_rejecting_a_loan_decision_sends_the_application_back(fund_world):
    decision = fund_world.proposed()
    decisions.reject(decision=decision, by=fund_world.checker, note="Cần bổ sung tài sản bảo đảm.")
    fund_world.application.refresh_from_db()
    assert fund_world.application.status == Status.RECOMMENDED
    with pytest.raises(Refused):
        decisions.approve(decision=decision, by=fund_world.checker)
