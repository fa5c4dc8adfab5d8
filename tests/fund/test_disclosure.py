"""The public disclosure of a fund (no sign-in): capital by source, contributions received (an anonymous
contributor shown as such), loans granted by quarter, sector and the commune holding the loan's commune
today, repayments and losses — and never a borrower's name, CCCD, phone or contract; a fund without a
regulation in force says so; bad parameters answer 400; the queries stay the same at 10× the rows.

``PUBLIC_FUND_ROUTES`` are the routes an anonymous visitor may open (tests/portal/test_anonymous.py).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from fund.disclosure import Group, disclose
from fund.models import Fund, Regulation, Source
from fund.services import capital, decisions
from fund.services.loans import record_repayment
from tests.factories import AdminUnitFactory
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.test_loan_pages import add_loans
from tests.projects.fixtures import in_english

pytestmark = pytest.mark.django_db


def english(compute, *args):
    """The figures with their labels in English, as these tests write them."""
    with translation.override("en"):
        return compute(*args)


D = datetime.date
TODAY = D(2026, 11, 18)
N = 5
PUBLIC_FUND_ROUTES = {"public_fund_list", "fund_disclosure"}


def received(world, contributor: str, amount: int, *, source=Source.ENTERPRISE, anonymous=False, on=TODAY):
    contribution = capital.pledge(
        fund=world.fund,
        by=world.officer,
        source=source,
        contributor=contributor,
        contact="0909 555 111",
        anonymous=anonymous,
        pledged=amount,
        pledged_on=on,
    )
    capital.receive(contribution=contribution, by=world.officer, amount=amount, received_on=on)
    return contribution


@pytest.fixture
def lent(fund_world):
    """The fund_world with two contributions received (one anonymous), its loan released, a repayment."""
    received(fund_world, "Công ty CP Kẹo Dừa Bến Tre", 50_000_000, on=D(2026, 10, 5))
    received(fund_world, "Ông Trần Văn Ẩn", 5_000_000, source=Source.INDIVIDUAL, anonymous=True)
    loan = fund_world.released_loan()
    record_repayment(loan=loan, amount=5_000_000, paid_on=TODAY, by=fund_world.officer)
    loan.refresh_from_db()
    fund_world.loan = loan
    return fund_world


def test_the_figures(lent):
    loan = lent.loan
    figures = english(disclose, lent.fund, TODAY)
    assert figures.regulation == lent.regulation
    assert figures.capital == {
        "state_budget": 3_000_000_000,
        "enterprise": 50_000_000,
        "individual": 5_000_000,
    }
    assert figures.capital_received == 3_055_000_000
    assert figures.target_share == 30
    assert (figures.loans, figures.approved, figures.disbursed) == (1, 120_000_000, 120_000_000)
    assert figures.principal_repaid + figures.interest_repaid == 5_000_000
    assert (figures.recycled, figures.interest_earned) == (loan.principal_repaid, loan.interest_repaid)
    assert figures.principal_repaid > 0
    assert figures.outstanding == 120_000_000 - loan.principal_repaid
    assert (figures.written_off_loans, figures.written_off) == (0, 0)
    assert figures.by_quarter == [Group("2026-Q4", "Q4/2026", 1, 120_000_000, 120_000_000)]
    assert [(g.key, g.count, g.amount) for g in figures.by_sector] == [("C", 1, 120_000_000)]
    commune = lent.cast.units.commune
    assert figures.by_unit == [Group(str(commune.pk), commune.name, 1, 120_000_000, 120_000_000)]


def test_losses_are_what_was_written_off(lent):
    outstanding = lent.loan.outstanding
    decision = decisions.propose_write_off(
        loan=lent.loan, by=lent.officer, reason="Không còn khả năng trả nợ"
    )
    decisions.approve(decision=decision, by=lent.checker)
    figures = english(disclose, lent.fund, TODAY)
    assert (figures.written_off_loans, figures.written_off) == (1, outstanding)


def test_a_commune_that_ended_counts_under_the_one_holding_it_today(lent):
    ended = lent.cast.units.commune
    merged = AdminUnitFactory(code="99199", name="Xã Sơn Định Mới", parent=ended.parent)
    ended.valid_until = D(2025, 6, 30)
    ended.save(update_fields=["valid_until"])
    ended.successors.add(merged)
    add_loans(lent, 2, contract_on=D(2025, 3, 1))
    figures = english(disclose, lent.fund, TODAY)
    assert figures.by_unit == [Group(str(merged.pk), "Xã Sơn Định Mới", 3, 320_000_000, 320_000_000)]
    assert [(g.label, g.count) for g in figures.by_quarter] == [("Q1/2025", 2), ("Q4/2026", 1)]


def test_the_public_page_publishes_no_personal_data(lent, client):
    borrower = lent.loan.borrower
    response = in_english(client).get(reverse("fund_disclosure", args=[lent.fund.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for private in (
        borrower.full_name,
        borrower.national_id,
        borrower.phone,
        lent.loan.contract_number,
        "Ông Trần Văn Ẩn",
        "0909 555 111",
    ):
        assert private and private not in page, private
    assert "Công ty CP Kẹo Dừa Bến Tre" in page
    assert "<em>Anonymous contributor</em>" in page
    assert [row["shown_name"] for row in response.context["page"]] == ["", "Công ty CP Kẹo Dừa Bến Tre"]
    assert 'id="regulation-in-force"' in page
    assert 'data-key="2026-Q4"' in page


def test_a_fund_without_a_regulation_in_force_says_so(fund_world, client):
    Regulation.objects.filter(pk=fund_world.regulation.pk).update(effective_to=D(2025, 12, 31))
    client = in_english(client)
    page = client.get(reverse("fund_disclosure", args=[fund_world.fund.slug])).content.decode()
    assert 'id="no-regulation"' in page
    assert "No regulation in force — applications cannot be taken." in page
    listed = client.get(reverse("public_fund_list")).content.decode()
    assert "No regulation in force — applications cannot be taken" in listed


def test_the_public_list_shows_each_fund(lent, client):
    response = client.get(reverse("public_fund_list"))
    assert response.status_code == 200
    [fund] = response.context["funds"]
    assert (fund.capital_received, fund.regulation_in_force) == (3_055_000_000, lent.regulation)
    assert not hasattr(fund, "cash")


def test_an_unknown_fund_is_404(fund_world, client):
    assert client.get(reverse("fund_disclosure", args=["khong-co"])).status_code == 404


@pytest.mark.parametrize("query", ["page=abc", "page=0", "page=٣", "page=99999999999999999999"])
def test_bad_parameters_answer_400(fund_world, client, query):
    response = client.get(f"{reverse('fund_disclosure', args=[fund_world.fund.slug])}?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_disclosure_query_count(fund_world, client, django_assert_num_queries, rows):
    for index in range(rows):
        received(fund_world, f"Nhà hảo tâm {index:03}", 1_000_000, anonymous=index % 2 == 0)
    add_loans(fund_world, rows)
    # 1 the fund, 2 the version in force, 3 the capital accounts, 4 the loans' totals, 5 by quarter,
    # 6 by sector, 7 by commune, 8 the successors of the communes that ended, 9 the communes' names,
    # 10 count for the paginator, 11 the page of contributions received.
    with django_assert_num_queries(11):
        response = client.get(reverse("fund_disclosure", args=[fund_world.fund.slug]))
    assert response.status_code == 200
    assert response.context["disclosure"].loans == rows
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_public_list_query_count(fund_world, client, django_assert_num_queries, rows):
    for index in range(rows):
        Fund.objects.create(
            name=f"Quỹ {index:03}",
            slug=f"quy-{index}",
            unit=fund_world.fund.unit,
            team=fund_world.fund.team,
            founded_on=D(2020, 1, 1),
        )
    # 1 the funds with their provinces, 2 the versions in force, 3 the capital of every fund.
    with django_assert_num_queries(3):
        response = client.get(reverse("public_fund_list"))
    assert len(response.context["funds"]) == rows + 1
