"""The conversions' part of the home (conversions/home.py): a commune team's follow-up visits due or
overdue, an owner's conversion case with its entitlements; the queries each costs."""

import datetime

import pytest

from conversions import home as conversion_home
from conversions.models import FollowUpVisit
from conversions.services.followups import record_visit
from portal.scope import scope_for
from tests.conversions.fixtures import *  # noqa: F403
from tests.portal.test_home import fresh_cache, home, panel  # noqa: F401

pytestmark = pytest.mark.django_db

D = datetime.date
VISITS = "conversions/home_visits.html"
CASE = "conversions/home_case.html"


@pytest.fixture
def converted(conversions):
    """Registered on 20/05/2026 (the clock: 18/11/2026): visits due 20/06 and 20/08 (overdue), 20/11 (due
    within a week), 20/05/2027…; the first one done."""
    conversion = conversions.registered(on=D(2026, 5, 20))
    record_visit(
        visit=conversion.visits.get(months_after=1),
        by=conversions.officer,
        done_on=D(2026, 6, 22),
        channel="visit",
        finding="operating",
    )
    return conversion


def add_visits(conversion, count: int) -> None:
    """``count`` more open visits, long overdue (months 100… of the schedule, due in 2025)."""
    FollowUpVisit.objects.bulk_create(
        FollowUpVisit(conversion=conversion, months_after=100 + number, due_on=D(2025, 1, 1 + number % 28))
        for number in range(count)
    )


def test_the_commune_team_sees_its_visits_due_or_overdue_the_earliest_first(conversions, converted, login):
    response = home(login, conversions.officer)
    visits = panel(response, VISITS)
    assert visits.data["counts"] == {"due": 2, "overdue": 1}
    assert visits.to_do == 2
    assert [(v.months_after, v.due_on, v.is_overdue) for v in visits.data["visits"]] == [
        (3, D(2026, 8, 20), True),
        (6, D(2026, 11, 20), False),
    ]
    page = response.content.decode()
    assert 'href="/conversions/visits/"' in page
    assert f'href="/conversions/visits/{visits.data["visits"][0].pk}/"' in page
    assert "Công ty TNHH Cơ sở kẹo dừa Tư Nộp" in page


def test_the_other_commune_and_the_other_roles_see_no_visits(conversions, converted, login):
    cast = conversions.cast
    for role in (
        "other_commune_officer",
        "district_officer",
        "standing_officer",
        "council_member",
        "applicant",
    ):
        assert panel(home(login, getattr(cast, role)), VISITS) is None, role


def test_a_team_with_nothing_due_has_no_panel(conversions, login):
    conversions.registered(on=D(2026, 11, 1))  # the first visit is due on 01/12/2026
    assert panel(home(login, conversions.officer), VISITS) is None


def test_the_owner_sees_the_case_and_the_entitlements_ending_soon(conversions, set_today, login):
    set_today(D(2025, 11, 15))
    conversion = conversions.registered(on=D(2024, 6, 10))
    set_today(D(2025, 12, 10))
    [case] = panel(home(login, conversions.cast.applicant), CASE).data["cases"]
    assert case == conversion
    # The licence-fee exemption ends on 31/12/2025 (within 30 days), the tax advice on 09/06/2027; the
    # free registration was used on the day.
    assert [(grant.entitlement.code, grant.ends_on, grant.ends_soon) for grant in case.granted] == [
        ("mien-le-phi-mon-bai-3-nam", D(2025, 12, 31), True),
        ("tu-van-thue-ke-toan-3-nam", D(2027, 6, 9), False),
    ]
    page = home(login, conversions.cast.applicant).content.decode()
    assert f'href="/conversions/{conversion.pk}/"' in page
    assert panel(home(login, conversions.cast.other_applicant), CASE) is None


@pytest.mark.parametrize("rows", [3, 30])
def test_the_visits_panel_costs_two_queries_whatever_the_visits(
    conversions, converted, django_assert_num_queries, rows
):
    add_visits(converted, rows)
    officer = conversions.officer
    scope_for(officer)  # the scope is the page frame's (tests/portal/test_home_queries.py)
    # 1 the counts, 2 the earliest visits with their enterprise.
    with django_assert_num_queries(2):
        [found] = conversion_home.panels(officer, D(2026, 11, 18))
    assert found.data["counts"]["due"] == 2 + rows


@pytest.mark.parametrize("rows", [3, 30])
def test_the_case_panel_costs_two_queries_and_one_without_a_case(
    conversions, converted, django_assert_num_queries, rows
):
    add_visits(converted, rows)
    owner, other = conversions.cast.applicant, conversions.cast.other_applicant
    scope_for(owner), scope_for(other)
    # 1 the cases with their business, 2 their entitlements still granted.
    with django_assert_num_queries(2):
        [found] = conversion_home.panels(owner, D(2026, 11, 18))
    assert len(found.data["cases"]) == 1
    with django_assert_num_queries(1):
        assert conversion_home.panels(other, D(2026, 11, 18)) == []
    # Officials without a commune team read nothing.
    council = conversions.cast.council_member
    scope_for(council)
    with django_assert_num_queries(0):
        assert conversion_home.panels(council, D(2026, 11, 18)) == []
