"""The ledger's pages (fund/views/ledger.py) by role: the transactions with their filters and paging,
one transaction with its reversal, the balances with the check, closing a month; query strings that do
not parse (400); the queries the list costs. And the fund's panels of the home (fund/home.py)."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from fund import home as fund_home
from fund.models import (
    Account,
    AccountKind,
    ClosedPeriod,
    Decision,
    Loan,
    LoanApplication,
    Transaction,
    TransactionKind,
)
from fund.services import ledger, loans
from portal.paging import FRESH_FOR
from portal.scope import scope_for
from tests.fund.fixtures import *  # noqa: F403
from tests.portal.test_home import fresh_cache, home, panel  # noqa: F401
from tests.projects.fixtures import in_english

pytestmark = pytest.mark.django_db

D = datetime.date
OFFICER_PANEL = "fund/home_officer.html"
BORROWER_PANEL = "fund/home_borrower.html"
READERS = ("fund_officer", "council_member", "standing_officer")
OTHERS = ("district_officer", "commune_officer", "applicant", "mentor")


@pytest.fixture
def lent(fund_world, set_today):
    """A loan released on 18/11/2026; a repayment of 6 million on 20/12/2026, reversed the same day."""
    loan = fund_world.released_loan()
    set_today(D(2026, 12, 20))
    repayment = loans.record_repayment(
        loan=loan, amount=6_000_000, paid_on=D(2026, 12, 20), by=fund_world.officer
    )
    fund_world.repayment = loans.reverse_repayment(
        repayment=repayment, by=fund_world.officer, reason="Ghi nhầm"
    )
    fund_world.loan = Loan.objects.get(pk=loan.pk)
    return fund_world


def get(login, user, name, *args, **params):
    return in_english(login(user)).get(reverse(name, args=args), params)


@pytest.mark.parametrize("role", READERS)
def test_the_readers_of_the_ledger_see_its_pages(lent, login, role):
    user = getattr(lent.cast, role)
    response = get(login, user, "ledger_transactions", lent.fund.slug)
    assert response.status_code == 200
    assert [posting.kind for posting in response.context["page"]] == [
        TransactionKind.REVERSAL,
        TransactionKind.REPAYMENT,
        TransactionKind.DISBURSEMENT,
        TransactionKind.CONTRIBUTION,
    ]
    balances = get(login, user, "ledger_balances", lent.fund.slug)
    assert balances.status_code == 200
    assert balances.context["differences"] == []
    assert "The ledger balances" in balances.content.decode()
    assert (balances.context["close_form"] is not None) == (role == "fund_officer")
    detail = get(login, user, "transaction_detail", lent.repayment.transaction_id)
    assert detail.status_code == 200
    assert detail.context["reversal"] == lent.repayment.reversal


@pytest.mark.parametrize("role", OTHERS)
def test_others_do_not_read_the_ledger(lent, login, role):
    user = getattr(lent.cast, role)
    assert get(login, user, "ledger_transactions", lent.fund.slug).status_code == 403
    assert get(login, user, "ledger_balances", lent.fund.slug).status_code == 403
    assert get(login, user, "transaction_detail", lent.repayment.transaction_id).status_code == 404


def test_anonymous_is_sent_to_sign_in(lent, client):
    response = client.get(reverse("ledger_transactions", args=[lent.fund.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_filters(lent, login):
    officer = lent.officer
    kinds = [
        p.kind
        for p in get(login, officer, "ledger_transactions", lent.fund.slug, kind="repayment").context["page"]
    ]
    assert kinds == [TransactionKind.REPAYMENT]
    by_month = get(login, officer, "ledger_transactions", lent.fund.slug, period="2026-12").context["page"]
    assert [p.kind for p in by_month] == [TransactionKind.REVERSAL, TransactionKind.REPAYMENT]
    contract = lent.loan.contract_number
    by_loan = get(login, officer, "ledger_transactions", lent.fund.slug, contract=contract).context["page"]
    assert len(by_loan) == 3
    assert (
        get(login, officer, "ledger_transactions", lent.fund.slug, period="2025-01")
        .context["page"]
        .paginator.count
        == 0
    )


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "gift"},
        {"period": "2026-13"},
        {"period": "2026-1"},
        {"period": "0000-01"},
        {"period": "٢٠٢٦-01"},
        {"contract": "x" * 31},
        {"page": "abc"},
        {"page": "0"},
        {"page": "99999999999999999999"},
    ],
)
def test_a_query_string_that_does_not_parse_is_a_400(lent, login, params):
    response = get(login, lent.officer, "ledger_transactions", lent.fund.slug, **params)
    assert response.status_code == 400
    assert response.context["page"].paginator.count == 4  # shown unfiltered


def test_an_unknown_fund_or_transaction_is_a_404(lent, login):
    assert get(login, lent.officer, "ledger_transactions", "khong-co").status_code == 404
    assert get(login, lent.officer, "transaction_detail", 10**12).status_code == 404


def test_the_list_is_paged_by_50_at_a_fixed_number_of_queries(lent, login, django_assert_max_num_queries):
    for _number in range(60):
        ledger.post(
            fund=lent.fund,
            kind=TransactionKind.CONTRIBUTION,
            value_date=D(2026, 12, 20),
            lines=[
                (ledger.account(lent.fund, AccountKind.CASH), 1_000),
                (ledger.account(lent.fund, AccountKind.CAPITAL, source="individual"), -1_000),
            ],
            by=lent.officer,
            memo="Góp vốn",
        )
    client = in_english(login(lent.officer))
    url = reverse("ledger_transactions", args=[lent.fund.slug])
    first = client.get(url)
    assert len(first.context["page"]) == 50 and first.context["page"].paginator.count == 64
    with django_assert_max_num_queries(12) as captured:
        second = client.get(url, {"page": 2})
    assert len(second.context["page"]) == 14
    small = len(captured.captured_queries)
    with django_assert_max_num_queries(small):
        client.get(url)


def test_the_balances_show_the_accounts_and_a_difference(lent, login, clock):
    response = get(login, lent.cast.council_member, "ledger_balances", lent.fund.slug)
    balances = response.context["balances"]
    receivable = Account.objects.get(loan=lent.loan, kind=AccountKind.LOAN).balance
    assert balances["loans"]["total"] == receivable == lent.loan.outstanding == 120_000_000
    assert balances["cash"] == 3_000_000_000 - 120_000_000
    assert balances["capital_total"] == 3_000_000_000
    assert response.context["differences"] == []
    Account.objects.filter(fund=lent.fund, kind=AccountKind.CASH).update(balance=F("balance") + 7)
    response = get(login, lent.cast.council_member, "ledger_balances", lent.fund.slug)
    assert response.context["balances"]["cash"] == 3_000_000_000 - 120_000_000 + 7
    assert response.context["differences"] == []  # the check is kept for a minute, the balances are not
    clock.shift(datetime.timedelta(seconds=FRESH_FOR + 1))
    response = get(login, lent.cast.council_member, "ledger_balances", lent.fund.slug)
    assert len(response.context["differences"]) == 1
    assert "The ledger differs in 1 place" in response.content.decode()
    checked_at = timezone.localtime(response.context["checked_at"])
    assert f"Checked at {checked_at:%H:%M}; the check is kept for a minute." in response.content.decode()


def test_the_check_is_in_the_readers_language(lent, login):
    Account.objects.filter(fund=lent.fund, kind=AccountKind.CASH).update(balance=F("balance") + 7)
    client = login(lent.cast.council_member)
    url = reverse("ledger_balances", args=[lent.fund.slug])
    vietnamese = client.get(url)
    english = in_english(client).get(url)
    assert "Đã kiểm tra lúc" in vietnamese.content.decode()
    assert "its balance is not the sum of its entries" in english.content.decode()
    [found] = vietnamese.context["differences"]
    assert "its balance" not in found.what


def test_a_fund_officer_closes_an_ended_month_once(lent, login):
    client = in_english(login(lent.officer))
    url = reverse("period_close", args=[lent.fund.slug])
    response = client.post(url, {"month": "2026-11"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger_balances", args=[lent.fund.slug]
    )
    assert list(ClosedPeriod.objects.values_list("month", flat=True)) == [D(2026, 11, 1)]
    again = client.post(url, {"month": "2026-11"})
    assert again.status_code == 400 and "already closed" in again.content.decode()
    current = client.post(url, {"month": "2026-12"})
    assert current.status_code == 400 and "has ended" in current.content.decode()
    assert client.post(url, {"month": "11/2026"}).status_code == 400
    assert client.post(url, {}).status_code == 400
    assert client.get(url).status_code == 405
    assert ClosedPeriod.objects.count() == 1


@pytest.mark.parametrize("role", ["council_member", "standing_officer", "commune_officer", "applicant"])
def test_only_the_fund_officers_close_a_month(lent, login, role):
    response = login(getattr(lent.cast, role)).post(
        reverse("period_close", args=[lent.fund.slug]), {"month": "2026-11"}
    )
    assert response.status_code == 403
    assert not ClosedPeriod.objects.exists()


# --- The home's panels ------------------------------------------------------------------------------------


def test_the_checker_sees_the_decision_waiting_and_its_preparer_does_not(fund_world, login):
    decision = fund_world.proposed()
    found = panel(home(login, fund_world.checker), OFFICER_PANEL)
    assert (found.data["check_count"], found.data["checks"]) == (1, [decision])
    preparer = panel(home(login, fund_world.officer), OFFICER_PANEL)
    assert preparer is None or preparer.data["check_count"] == 0
    for role in ("council_member", "commune_officer", "applicant"):
        assert panel(home(login, getattr(fund_world.cast, role)), OFFICER_PANEL) is None, role


def test_the_officers_see_an_application_past_its_deadline(fund_world, login, set_today):
    set_today(D(2026, 12, 10))  # filed 05/11/2026, 15 working days to appraise: due 26/11
    found = panel(home(login, fund_world.checker), OFFICER_PANEL)
    [late] = found.data["late"]
    assert (late, late.late_stage.name, late.late_stage.due) == (
        fund_world.application,
        "appraisal",
        D(2026, 11, 26),
    )


def test_the_officers_see_the_loans_1_to_30_days_overdue(fund_world, login, set_today):
    loan = fund_world.released_loan()
    due = loans.current_schedule(loan).instalments.get(number=1).due_on
    set_today(due + datetime.timedelta(days=5))
    loans.catch_up(loan)
    found = panel(home(login, fund_world.officer), OFFICER_PANEL)
    assert (found.data["overdue_count"], found.data["overdue"]) == (1, [loan])
    assert "5 days overdue" in in_english(login(fund_world.officer)).get(reverse("home")).content.decode()


def test_the_borrower_sees_the_next_due_date(fund_world, login):
    loan = fund_world.released_loan()
    [shown] = panel(home(login, fund_world.cast.applicant), BORROWER_PANEL).data["loans"]
    assert (shown, shown.next_due_on) == (loan, loans.current_schedule(loan).instalments.get(number=1).due_on)
    assert panel(home(login, fund_world.cast.other_applicant), BORROWER_PANEL) is None


@pytest.mark.parametrize("rows", [2, 20])
def test_the_officer_panel_costs_fixed_queries(fund_world, django_assert_num_queries, set_today, rows):
    fund_world.proposed()
    model = fund_world.application
    for number in range(rows):
        dossier = model.dossier
        dossier.pk, dossier.code = None, f"HS-LATE-{number:04d}"
        dossier.save()
        LoanApplication.objects.create(
            dossier=dossier,
            fund=fund_world.fund,
            regulation=fund_world.regulation,
            unit=model.unit,
            sector="C",
            project_cost=1_000,
            amount=100,
            term_months=12,
            purpose="Mua máy",
            filed_on=D(2026, 11, 2),
        )
    set_today(D(2026, 12, 10))
    checker = fund_world.checker
    scope_for(checker)
    # 1 the funds run, 2 the decisions counted, 3 the loans counted, 4 the applications, 5 the calendar,
    # 6 the decisions shown.
    with django_assert_num_queries(6):
        [found] = fund_home.panels(checker, D(2026, 12, 10))
    assert found.data["late_count"] == rows + 1
    assert Decision.objects.count() == 1
    assert Transaction.objects.count() == 1
