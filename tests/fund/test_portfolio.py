"""The portfolio: its figures in all and by fund, sector, commune and cohort, PAR30 and the losses, the
jobs of the funded projects, who reads the page, bad parameters and a constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fund.models import Loan
from fund.portfolio import gather
from portal.models.people import today
from portal.paging import FRESH_FOR
from portal.sectors import Sector
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.test_loan_pages import add_loans
from tests.projects.fixtures import projects_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(fund_world):
    """Three loans of 100 million: one current, one 40 days past due (PAR30) contracted in 2025, one
    written off; the current one funds Bùi Văn Nộp's startup (4 jobs)."""
    current, late, lost = add_loans(fund_world, 3)
    Loan.objects.filter(pk=current.pk).update(
        principal_repaid=20_000_000, interest_repaid=3_000_000, outstanding=80_000_000
    )
    Loan.objects.filter(pk=late.pk).update(
        days_past_due=40, bucket="31-90", debt_group=2, at_risk=True, contract_on=datetime.date(2025, 6, 1)
    )
    Loan.objects.filter(pk=lost.pk).update(
        status=Loan.Status.WRITTEN_OFF, outstanding=0, written_off=100_000_000
    )
    startup = projects_for(fund_world.cast).startup
    Loan.objects.filter(pk=current.pk).update(project=startup)
    return fund_world


def test_the_figures(book):
    figures = gather(Loan.objects.all(), today())
    total = figures.total
    assert (total.loans, total.disbursed, total.outstanding) == (3, 300_000_000, 180_000_000)
    assert (total.principal_repaid, total.interest_repaid, total.written_off) == (
        20_000_000,
        3_000_000,
        100_000_000,
    )
    assert total.par30 == pytest.approx(100 * 100 / 180)
    assert [(row.label, row.loans) for row in figures.by_fund] == [(book.fund.name, 3)]
    assert [row.label for row in figures.by_sector] == [f"C – {Sector.C.label}"]
    assert [(row.label, row.outstanding) for row in figures.by_unit] == [
        (book.shop.applicant.unit.name, 180_000_000)
    ]
    cohorts = {row.label: row for row in figures.by_cohort}
    assert (cohorts["2025"].loans, cohorts["2025"].par30) == (1, 100.0)
    assert (cohorts["2026"].loans, cohorts["2026"].written_off) == (2, 100_000_000)
    assert (figures.projects, figures.jobs_created) == (1, 4)


def test_a_merged_commune_counts_in_the_unit_holding_it(book):
    old = book.shop.applicant.unit
    new = type(old).objects.create(
        code="99199", name="Xã Sơn Định Mới", level=old.level, kind=old.kind, parent=old.parent
    )
    type(old).objects.filter(pk=old.pk).update(valid_until=datetime.date(2025, 6, 30))
    old.refresh_from_db()
    old.successors.add(new)
    figures = gather(Loan.objects.all(), today())
    assert [row.label for row in figures.by_unit] == ["Xã Sơn Định Mới"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("fund_officer", 200),
        ("council_member", 200),
        ("standing_officer", 200),
        ("commune_officer", 200),
        ("applicant", 403),
    ],
)
def test_who_reads_the_portfolio(book, login, role, status):
    response = login(getattr(book.cast, role)).get(reverse("portfolio"))
    assert response.status_code == status


def test_anonymous_is_sent_to_sign_in(book, client):
    response = client.get(reverse("portfolio"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_other_commune_sees_none_of_these_loans(book, login):
    response = login(book.cast.other_commune_officer).get(reverse("portfolio"))
    assert response.context["figures"].total.loans == 0


def test_the_page_shows_the_figures_for_one_fund(book, login):
    response = login(book.cast.council_member).get(reverse("portfolio"), {"fund": book.fund.pk})
    assert response.status_code == 200
    assert 'id="by-cohort"' in response.content.decode()
    assert response.context["figures"].total.loans == 3


@pytest.mark.parametrize("params", [{"fund": "abc"}, {"fund": "0"}, {"fund": "9" * 40}])
def test_junk_parameters_answer_400(book, login, params):
    assert login(book.cast.council_member).get(reverse("portfolio"), params).status_code == 400


def counting(client, clock) -> int:
    """The queries of a read of the portfolio that counts its figures (those kept are a minute old)."""
    client.get(reverse("portfolio"))
    clock.shift(datetime.timedelta(seconds=FRESH_FOR + 1))
    with CaptureQueriesContext(connection) as done:
        client.get(reverse("portfolio"))
    return len(done)


def test_the_page_costs_the_same_queries_for_ten_times_the_loans(fund_world, login, clock):
    client = login(fund_world.officer)
    add_loans(fund_world, 2)
    few = counting(client, clock)
    add_loans(fund_world, 18, contract_on=datetime.date(2024, 3, 1))
    assert counting(client, clock) == few
    clock.shift(datetime.timedelta(seconds=FRESH_FOR + 1))
    response = client.get(reverse("portfolio"))
    assert response.context["figures"].total.loans == 20


def test_the_figures_are_kept_for_a_minute_and_say_when_they_were_counted(fund_world, login, clock):
    client = login(fund_world.officer)
    add_loans(fund_world, 2)
    first = client.get(reverse("portfolio"))
    add_loans(fund_world, 1)
    within = client.get(reverse("portfolio"))
    clock.shift(datetime.timedelta(seconds=FRESH_FOR + 1))
    after = client.get(reverse("portfolio"))

    assert [r.context["figures"].total.loans for r in (first, within, after)] == [2, 2, 3]
    assert "Số liệu tính lúc" in within.content.decode()
