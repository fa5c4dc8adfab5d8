"""Capital: a pledge posts nothing; money received posts one balanced transaction (Dr cash, Cr the capital
of the pledge's source) with a numbered receipt; never more than pledged; a repeat with the same key
posts once; campaigns count what their pledges received."""

import datetime

import pytest

from fund.idempotency import Answer, run_once
from fund.models import (
    Account,
    AccountKind,
    Campaign,
    Contribution,
    Entry,
    Fund,
    Receipt,
    Source,
    Transaction,
)
from fund.services import capital, ledger
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import STATE_BUDGET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date
TODAY = D(2026, 11, 18)


def pledge_of(world, amount: int = 50_000_000, **changes) -> Contribution:
    fields = {
        "fund": world.fund,
        "by": world.officer,
        "source": Source.ENTERPRISE,
        "contributor": "Công ty TNHH Dừa Xanh",
        "contact": "0909 123 456",
        "anonymous": False,
        "pledged": amount,
        "pledged_on": D(2026, 10, 1),
        "note": "Cam kết góp hai đợt",
    }
    return capital.pledge(**fields | changes)


def money_state():
    return (
        Transaction.objects.count(),
        Entry.objects.count(),
        Receipt.objects.count(),
        sorted(Account.objects.values_list("kind", "source", "balance")),
    )


def test_a_pledge_posts_nothing(fund_world):
    before = money_state()
    contribution = pledge_of(fund_world, contributor="Ông Nguyễn Văn Đức")
    assert money_state() == before
    assert (contribution.search_name, contribution.recorded_by, contribution.pledged) == (
        "ong nguyen van duc",
        fund_world.officer,
        50_000_000,
    )


def test_money_received_posts_one_balanced_transaction(fund_world):
    contribution = pledge_of(fund_world)
    transactions = Transaction.objects.count()
    receipt = capital.receive(
        contribution=contribution, by=fund_world.officer, amount=20_000_000, received_on=D(2026, 11, 10)
    )
    assert Transaction.objects.count() == transactions + 1
    posting = receipt.transaction
    assert (posting.kind, posting.value_date, posting.posted_on, posting.by) == (
        "contribution",
        D(2026, 11, 10),
        TODAY,
        fund_world.officer,
    )
    lines = sorted(posting.entries.values_list("account__kind", "account__source", "amount"))
    assert lines == [("capital", "enterprise", -20_000_000), ("cash", "", 20_000_000)]
    assert ledger.cash_of(fund_world.fund) == STATE_BUDGET + 20_000_000
    enterprise = Account.objects.get(fund=fund_world.fund, kind=AccountKind.CAPITAL, source=Source.ENTERPRISE)
    assert enterprise.shown_balance == 20_000_000
    assert ledger.equity_of(fund_world.fund) == STATE_BUDGET + 20_000_000
    assert (receipt.number, receipt.amount, receipt.recorded_by) == (
        f"PT-{fund_world.fund.pk}-2026-00001",
        20_000_000,
        fund_world.officer,
    )
    second = capital.receive(
        contribution=contribution, by=fund_world.officer, amount=30_000_000, received_on=D(2026, 11, 18)
    )
    assert second.number == f"PT-{fund_world.fund.pk}-2026-00002"
    assert capital.received_of(contribution) == 50_000_000


def test_receipts_are_numbered_per_fund_and_year(fund_world):
    other = Fund.objects.create(
        name="Quỹ khác",
        slug="quy-khac",
        unit=fund_world.fund.unit,
        team=fund_world.fund.team,
        founded_on=D(2020, 1, 1),
    )
    last_year = capital.receive(
        contribution=pledge_of(fund_world, pledged_on=D(2025, 12, 1)),
        by=fund_world.officer,
        amount=1_000_000,
        received_on=D(2025, 12, 31),
    )
    this_year = capital.receive(
        contribution=pledge_of(fund_world, pledged_on=D(2026, 1, 2)),
        by=fund_world.officer,
        amount=1_000_000,
        received_on=D(2026, 1, 2),
    )
    elsewhere = capital.receive(
        contribution=pledge_of(fund_world, fund=other, pledged_on=D(2026, 1, 2)),
        by=fund_world.officer,
        amount=1_000_000,
        received_on=D(2026, 1, 2),
    )
    assert [last_year.number, this_year.number, elsewhere.number] == [
        f"PT-{fund_world.fund.pk}-2025-00001",
        f"PT-{fund_world.fund.pk}-2026-00001",
        f"PT-{other.pk}-2026-00001",
    ]


def test_more_than_pledged_is_refused_and_nothing_posted(fund_world):
    contribution = pledge_of(fund_world)
    capital.receive(contribution=contribution, by=fund_world.officer, amount=40_000_000, received_on=TODAY)
    before = money_state()
    with pytest.raises(Refused) as refused:
        capital.receive(
            contribution=contribution, by=fund_world.officer, amount=10_000_001, received_on=TODAY
        )
    assert (refused.value.code, refused.value.conflict) == ("above_pledge", True)
    assert str(refused.value) == (
        "Công ty TNHH Dừa Xanh pledged 50.000.000\u00a0₫ and 40.000.000\u00a0₫ has been received: "
        "at most 10.000.000\u00a0₫ more."
    )
    assert money_state() == before


def test_a_reversed_receipt_no_longer_counts_as_received(fund_world):
    contribution = pledge_of(fund_world)
    receipt = capital.receive(
        contribution=contribution, by=fund_world.officer, amount=50_000_000, received_on=TODAY
    )
    ledger.reverse(receipt.transaction, by=fund_world.officer, memo="Ghi nhầm")
    assert capital.received_of(contribution) == 0
    again = capital.receive(
        contribution=contribution, by=fund_world.officer, amount=50_000_000, received_on=TODAY
    )
    assert again.number == f"PT-{fund_world.fund.pk}-2026-00002"


@pytest.mark.parametrize(
    ("amount", "received_on", "code"),
    [
        (0, TODAY, "not_positive"),
        (-5, TODAY, "not_positive"),
        (1.5, TODAY, "not_whole"),
        (1_000, D(2026, 11, 19), "bad_day"),  # tomorrow
        (1_000, D(2026, 9, 30), "before_pledge"),
    ],
)
def test_bad_receipts_are_refused(fund_world, amount, received_on, code):
    contribution = pledge_of(fund_world)
    before = money_state()
    with pytest.raises(Refused) as refused:
        capital.receive(
            contribution=contribution, by=fund_world.officer, amount=amount, received_on=received_on
        )
    assert refused.value.code == code
    assert money_state() == before


def test_only_the_funds_officers_record_capital(fund_world):
    contribution = pledge_of(fund_world)
    before = (money_state(), Contribution.objects.count(), Campaign.objects.count())
    for who in (
        fund_world.cast.council_member,
        fund_world.cast.standing_officer,
        fund_world.cast.commune_officer,
    ):
        with pytest.raises(Refused):
            capital.receive(contribution=contribution, by=who, amount=1_000, received_on=TODAY)
        with pytest.raises(Refused):
            pledge_of(fund_world, by=who)
        with pytest.raises(Refused):
            capital.add_campaign(
                fund=fund_world.fund, by=who, name="Gây quỹ", goal=1, starts_on=TODAY, ends_on=TODAY
            )
    assert (money_state(), Contribution.objects.count(), Campaign.objects.count()) == before


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"source": Source.INTEREST}, "bad_source"),
        ({"pledged": 0}, "not_positive"),
        ({"contributor": " "}, "text_required"),
        ({"pledged_on": D(2026, 11, 19)}, "bad_day"),
    ],
)
def test_bad_pledges_are_refused(fund_world, changes, code):
    with pytest.raises(Refused) as refused:
        pledge_of(fund_world, **changes)
    assert refused.value.code == code
    assert not Contribution.objects.exists()


def test_a_repeat_with_the_same_key_posts_once(fund_world):
    contribution = pledge_of(fund_world)

    def receive_once():
        return run_once(
            user=fund_world.officer,
            key="phieu-thu-0001",
            action="contribution-receipt",
            payload={"contribution": contribution.pk, "amount": 20_000_000, "received_on": "2026-11-18"},
            work=lambda: Answer(
                201,
                {
                    "receipt": capital.receive(
                        contribution=contribution, by=fund_world.officer, amount=20_000_000, received_on=TODAY
                    ).pk
                },
            ),
        )

    first = receive_once()
    before = money_state()
    repeat = receive_once()
    assert money_state() == before
    assert (first.status, first.repeated, repeat.status, repeat.repeated) == (201, False, 201, True)
    assert repeat.body == first.body == {"receipt": Receipt.objects.get().pk}
    assert ledger.cash_of(fund_world.fund) == STATE_BUDGET + 20_000_000


def test_a_campaign_counts_what_its_pledges_received(fund_world):
    campaign = capital.add_campaign(
        fund=fund_world.fund,
        by=fund_world.officer,
        name="Chung tay vì khởi nghiệp 2026",
        goal=200_000_000,
        starts_on=D(2026, 9, 1),
        ends_on=D(2026, 12, 31),
    )
    first = pledge_of(fund_world, campaign=campaign)
    pledge_of(fund_world, campaign=campaign, source=Source.INDIVIDUAL, contributor="Bà Lê Thị Hoa")
    capital.receive(contribution=first, by=fund_world.officer, amount=30_000_000, received_on=TODAY)
    assert capital.received_of(first) == 30_000_000
    other = Fund.objects.create(
        name="Quỹ khác",
        slug="quy-khac",
        unit=fund_world.fund.unit,
        team=fund_world.fund.team,
        founded_on=TODAY,
    )
    with pytest.raises(Refused) as refused:
        pledge_of(fund_world, fund=other, campaign=campaign)
    assert refused.value.code == "campaign_of_another_fund"
    with pytest.raises(Refused) as refused:
        capital.add_campaign(
            fund=fund_world.fund,
            by=fund_world.officer,
            name="Sai",
            goal=1,
            starts_on=TODAY,
            ends_on=D(2026, 1, 1),
        )
    assert refused.value.code == "ends_before_start"
