"""The funds' pages: the role × route rows, 404 outside what exists, a regulation version adopted (and
refused) through its page, a pledge and the money received against it (a double submit posts once),
the contact shown to the fund's officers only and an anonymous contributor's name to who reads the
ledger, query strings that do not parse (400), and query counts at N and 10×N.

The role × route rows of these pages are in tests/fund/test_fund_routes.py.
"""

import datetime

import pytest
from django.urls import reverse

from fund.models import Campaign, Contribution, Receipt, Regulation, RubricCriterion, Source, Transaction
from fund.services import capital
from portal.models import AuditRecord
from tests.conftest import Cast
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import fund_world_for
from tests.portal.test_query_counts import SIGNED_IN
from tests.projects.fixtures import in_english

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 18)
N = 5


def pledge(cast: Cast, **changes) -> Contribution:
    fund_world = fund_world_for(cast)
    fields = {
        "fund": fund_world.fund,
        "by": cast.fund_officer,
        "source": Source.ENTERPRISE,
        "contributor": "Công ty TNHH Dừa Xanh",
        "contact": "0909 123 456",
        "anonymous": False,
        "pledged": 50_000_000,
        "pledged_on": D(2026, 10, 1),
    }
    return capital.pledge(**fields | changes)


def regulation_data(**changes) -> dict:
    data = {
        "number": "20/2026/QĐ-UBND",
        "title": "Quy chế cho vay sửa đổi",
        "signed_on": "2026-12-15",
        "effective_from": "2027-01-01",
        "max_enterprise_age_months": "12",
        "first_startup_only": "on",
        "excluded_sectors": "K, L",
        "equity_share_cap_pct": "20",
        "project_cost_share_cap_pct": "50",
        "absolute_cap": "600000000",
        "max_term_months": "60",
        "max_grace_months": "12",
        "yearly_rate_bp": "250",
        "method": "equal_principal",
        "period_months": "1",
        "collateral_above": "300000000",
        "required_documents": "Giấy đề nghị vay vốn\nPhương án kinh doanh",
        "appraisal_days": "15",
        "decision_days": "10",
        "disbursement_days": "5",
        "board_limit": "250000000",
        "allocation_order": "overdue_interest,overdue_principal,current_interest,current_principal",
        "criteria": "Tính khả thi | 60\nKhả năng trả nợ | 40",
        "article_term": "Điều 8",
        "article_absolute_cap": "Điều 7 khoản 1",
    }
    return data | changes


def state():
    return (
        sorted(Regulation.objects.values_list("pk", "number", "effective_from", "effective_to")),
        RubricCriterion.objects.count(),
        sorted(Contribution.objects.values_list("pk", "pledged")),
        sorted(Receipt.objects.values_list("pk", "amount")),
        Campaign.objects.count(),
        Transaction.objects.count(),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("fund_detail", "khong-co"),
        ("regulation_new", "khong-co"),
        ("contribution_list", "khong-co"),
        ("contribution_new", "khong-co"),
        ("campaign_new", "khong-co"),
        ("regulation_detail", 999_999),
        ("contribution_detail", 999_999),
        ("receipt_detail", 999_999),
    ],
)
def test_what_does_not_exist_is_404(fund_world, login, name, key):
    assert login(fund_world.officer).get(reverse(name, args=[key])).status_code == 404


# --- Regulation versions ---------------------------------------------------------------------------------


def test_a_version_adopted_through_the_page_closes_the_one_before(fund_world, login):
    client = in_english(login(fund_world.officer))
    response = client.post(reverse("regulation_new", args=[fund_world.fund.slug]), regulation_data())
    added = Regulation.objects.get(number="20/2026/QĐ-UBND")
    assert response["Location"] == reverse("regulation_detail", args=[added.pk])
    assert (added.excluded_sectors, added.board_limit, added.yearly_rate_bp, added.first_startup_only) == (
        "KL",
        250_000_000,
        250,
        True,
    )
    assert added.articles == {"term": "Điều 8", "absolute_cap": "Điều 7 khoản 1"}
    assert list(added.criteria.values_list("name", "weight")) == [
        ("Tính khả thi", 60),
        ("Khả năng trả nợ", 40),
    ]
    fund_world.regulation.refresh_from_db()
    assert fund_world.regulation.effective_to == D(2026, 12, 31)
    page = client.get(reverse("regulation_detail", args=[added.pk])).content.decode()
    assert "from 01/01/2027, no end date" in page
    assert '<th scope="row">Term and grace period</th>' in page
    assert "Điều 8" in page
    assert "The fund's board: up to 250.000.000\u00a0₫" in page


def test_the_new_version_form_starts_from_the_latest_rules(fund_world, login):
    form = (
        login(fund_world.officer).get(reverse("regulation_new", args=[fund_world.fund.slug])).context["form"]
    )
    assert (form["board_limit"].value(), form["max_term_months"].value(), form["article_term"].value()) == (
        200_000_000,
        60,
        "Điều 8",
    )
    assert form["criteria"].value().splitlines()[0] == "Tính khả thi của phương án | 40"
    assert form["number"].value() is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"effective_from": "2024-01-01"},
            "Overlapping dates: version 15/2024/QĐ-UBND (ví dụ) is in force from 01/01/2024 to no end date. "
            "Versions of a fund's regulation never overlap.",
        ),
        (
            {"criteria": "Tính khả thi | 60\nViệc làm | 30"},
            "The weights of the rubric add up to 90%, not 100%.",
        ),
    ],
)
def test_a_refused_version_comes_back_with_its_message(fund_world, login, changes, message):
    before = state()
    response = in_english(login(fund_world.officer)).post(
        reverse("regulation_new", args=[fund_world.fund.slug]), regulation_data(**changes)
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [message]
    assert response.context["form"]["title"].value() == "Quy chế cho vay sửa đổi"
    assert state() == before


def test_a_rubric_line_without_a_weight_is_named(fund_world, login):
    response = in_english(login(fund_world.officer)).post(
        reverse("regulation_new", args=[fund_world.fund.slug]), regulation_data(criteria="Tính khả thi 100")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["criteria"] == [
        "Line 1: write the criterion, a vertical bar and its weight from 1 to 100."
    ]


# --- Pledges and money received --------------------------------------------------------------------------


def test_a_pledge_and_money_received_through_the_pages(fund_world, login):
    client = login(fund_world.officer)
    response = client.post(
        reverse("contribution_new", args=[fund_world.fund.slug]),
        {
            "source": "enterprise",
            "contributor": "Công ty CP Kẹo Dừa Bến Tre",
            "contact": "0275 3822 111",
            "pledged": "80000000",
            "pledged_on": "2026-11-02",
        },
    )
    contribution = Contribution.objects.get()
    assert response["Location"] == reverse("contribution_detail", args=[contribution.pk])
    page = client.get(response["Location"])
    key = page.context["form"]["idempotency_key"].value()
    assert len(key) == 32
    data = {"amount": "30000000", "received_on": "2026-11-18", "idempotency_key": key}
    first = client.post(reverse("contribution_detail", args=[contribution.pk]), data)
    receipt = Receipt.objects.get()
    assert first["Location"] == reverse("receipt_detail", args=[receipt.pk])
    transactions = Transaction.objects.count()
    # The same form sent again (a double click): the same receipt, nothing posted twice.
    again = client.post(reverse("contribution_detail", args=[contribution.pk]), data)
    assert again["Location"] == first["Location"]
    assert (Transaction.objects.count(), Receipt.objects.count()) == (transactions, 1)
    printed = in_english(client).get(first["Location"]).content.decode()
    assert f'<span id="receipt-number">{receipt.number}</span>' in printed
    assert '<span id="receipt-amount">30.000.000\u00a0₫</span>' in printed
    assert '<span id="receipt-contributor">Công ty CP Kẹo Dừa Bến Tre</span>' in printed
    assert "Huỳnh Thị Quỹ" in printed


def test_more_than_pledged_comes_back_with_a_new_key(fund_world, login):
    contribution = pledge(fund_world.cast)
    client = in_english(login(fund_world.officer))
    before = state()
    response = client.post(
        reverse("contribution_detail", args=[contribution.pk]),
        {"amount": "50000001", "received_on": "2026-11-18", "idempotency_key": "khoa-thu-000001"},
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.non_field_errors() == [
        "Công ty TNHH Dừa Xanh pledged 50.000.000\u00a0₫ and 0\u00a0₫ has been received: "
        "at most 50.000.000\u00a0₫ more."
    ]
    assert form["idempotency_key"].value() != "khoa-thu-000001"
    assert form["amount"].value() == "50000001"
    assert state() == before


def test_the_contact_is_shown_to_the_funds_officers_only(fund_world, login):
    contribution = pledge(fund_world.cast)
    url = reverse("contribution_detail", args=[contribution.pk])
    assert "0909 123 456" in login(fund_world.officer).get(url).content.decode()
    for who in (fund_world.cast.council_member, fund_world.cast.standing_officer, fund_world.cast.applicant):
        assert "0909 123 456" not in login(who).get(url).content.decode()
        listed = login(who).get(reverse("contribution_list", args=[fund_world.fund.slug])).content.decode()
        assert "0909 123 456" not in listed


def test_an_anonymous_contributors_name_is_for_who_reads_the_ledger(fund_world, login):
    contribution = pledge(fund_world.cast, contributor="Ông Trần Văn Ẩn", anonymous=True)
    receipt = capital.receive(
        contribution=contribution, by=fund_world.officer, amount=1_000_000, received_on=TODAY
    )
    urls = [
        reverse("contribution_detail", args=[contribution.pk]),
        reverse("receipt_detail", args=[receipt.pk]),
        reverse("contribution_list", args=[fund_world.fund.slug]),
        reverse("fund_detail", args=[fund_world.fund.slug]),
    ]
    for who in (fund_world.officer, fund_world.cast.council_member, fund_world.cast.standing_officer):
        for url in urls:
            assert "Ông Trần Văn Ẩn" in login(who).get(url).content.decode(), url
    for who in (fund_world.cast.applicant, fund_world.cast.commune_officer):
        for url in urls:
            page = in_english(login(who)).get(url).content.decode()
            assert "Ông Trần Văn Ẩn" not in page, url
            assert "Anonymous contributor" in page, url


# --- The funds and a fund's page -------------------------------------------------------------------------


def test_a_fund_without_a_regulation_in_force_says_so(fund_world, login):
    Regulation.objects.filter(pk=fund_world.regulation.pk).update(effective_to=D(2025, 12, 31))
    client = in_english(login(fund_world.cast.applicant))
    listed = client.get(reverse("fund_list")).content.decode()
    assert "No regulation in force — applications cannot be taken" in listed
    page = client.get(reverse("fund_detail", args=[fund_world.fund.slug]))
    assert page.context["in_force"] is None
    assert 'id="no-regulation"' in page.content.decode()


def test_a_funds_page_shows_capital_campaigns_and_receipts(fund_world, login):
    campaign = capital.add_campaign(
        fund=fund_world.fund,
        by=fund_world.officer,
        name="Chung tay vì khởi nghiệp 2026",
        goal=200_000_000,
        starts_on=D(2026, 9, 1),
        ends_on=D(2026, 12, 31),
    )
    contribution = pledge(fund_world.cast, campaign=campaign)
    capital.receive(contribution=contribution, by=fund_world.officer, amount=50_000_000, received_on=TODAY)
    response = login(fund_world.cast.applicant).get(reverse("fund_detail", args=[fund_world.fund.slug]))
    context = response.context
    assert context["capital_rows"] == [
        ("state_budget", Source.STATE_BUDGET.label, 3_000_000_000),
        ("enterprise", Source.ENTERPRISE.label, 50_000_000),
        ("individual", Source.INDIVIDUAL.label, 0),
    ]
    assert (context["capital_received"], context["cash"]) == (3_050_000_000, 3_050_000_000)
    assert [(c.name, c.received, c.progress) for c in context["campaigns"]] == [
        ("Chung tay vì khởi nghiệp 2026", 50_000_000, 25)
    ]
    assert [receipt.amount for receipt in context["receipts"]] == [50_000_000]
    assert context["in_force"] == fund_world.regulation
    fund_row = login(fund_world.cast.applicant).get(reverse("fund_list")).context["funds"][0]
    assert (fund_row.capital_received, fund_row.cash, fund_row.regulation_in_force) == (
        3_050_000_000,
        3_050_000_000,
        fund_world.regulation,
    )


# --- Query strings and query counts ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=0", "page=٣", "campaign=abc", "campaign=99999999999999999999999", "source=interest"],
)
def test_a_query_string_that_does_not_parse_is_a_400(fund_world, login, query):
    response = login(fund_world.officer).get(
        f"{reverse('contribution_list', args=[fund_world.fund.slug])}?{query}"
    )
    assert response.status_code == 400


def test_filters_and_search(fund_world, login):
    campaign = capital.add_campaign(
        fund=fund_world.fund,
        by=fund_world.officer,
        name="Gây quỹ",
        goal=1_000,
        starts_on=TODAY,
        ends_on=TODAY,
    )
    pledge(fund_world.cast, contributor="Công ty Dừa Xanh", campaign=campaign)
    pledge(fund_world.cast, contributor="Bà Lê Thị Hoa", source=Source.INDIVIDUAL)
    client = login(fund_world.officer)
    url = reverse("contribution_list", args=[fund_world.fund.slug])

    def names(query: str) -> list[str]:
        return [c.contributor for c in client.get(f"{url}?{query}").context["page"]]

    assert names("q=dua xanh") == ["Công ty Dừa Xanh"]
    assert names("q=HOA") == ["Bà Lê Thị Hoa"]
    assert names("source=individual") == ["Bà Lê Thị Hoa"]
    assert names(f"campaign={campaign.pk}") == ["Công ty Dừa Xanh"]


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_contribution_list_query_count(fund_world, login, django_assert_num_queries, rows):
    for index in range(rows):
        contribution = pledge(
            fund_world.cast, contributor=f"Nhà hảo tâm {index:03}", anonymous=index % 2 == 0
        )
        capital.receive(contribution=contribution, by=fund_world.officer, amount=1_000_000, received_on=TODAY)
    client = login(fund_world.cast.council_member)
    # The page's own: 1 the fund, 2 count for the paginator, 3 the page of pledges with campaign and what
    # was received, 4 the campaigns offered in the filter.
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("contribution_list", args=[fund_world.fund.slug]))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_fund_detail_query_count(fund_world, login, django_assert_num_queries, rows):
    campaign = capital.add_campaign(
        fund=fund_world.fund,
        by=fund_world.officer,
        name="Gây quỹ",
        goal=10**9,
        starts_on=TODAY,
        ends_on=TODAY,
    )
    for index in range(rows):
        contribution = pledge(fund_world.cast, contributor=f"Nhà hảo tâm {index:03}", campaign=campaign)
        capital.receive(contribution=contribution, by=fund_world.officer, amount=1_000_000, received_on=TODAY)
    client = login(fund_world.cast.council_member)
    # The page's own: 1 the fund with its team and province, 2 its regulation versions, 3 its capital
    # accounts, 4 its cash, 5 the campaigns with what they received, 6 the latest receipts with their pledges.
    with django_assert_num_queries(SIGNED_IN + 6):
        response = client.get(reverse("fund_detail", args=[fund_world.fund.slug]))
    assert response.context["campaigns"][0].received == rows * 1_000_000
