"""The support-spread page (/projects/support-spread/): who may open it, its figures on the province of
report_world.py, bad parameters, and its queries whatever the number of projects.

``SPREAD_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import datetime

import pytest
from django.urls import reverse

from tests.conftest import Cast
from tests.portal.test_query_counts import SIGNED_IN
from tests.projects.fixtures import *  # noqa: F403
from tests.projects.fixtures import in_english
from tests.projects.report_world import World, build_world
from tests.projects.test_report_section import bulk_rows
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = {"first": "01/01/2026", "last": "31/03/2026"}

# Officials read the figures of their scope; a person without a unit in scope (an applicant, a
# mentor) gets 403, as on the other figures pages.
OFFICIALS = everyone(200, anonymous=302, applicant=403, other_applicant=403, mentor=403)

SPREAD_ROWS: dict[str, Row] = {
    "support_spread": Row("get", lambda cast: reverse("support_spread"), OFFICIALS),
    "support_spread:commune": Row(
        "get",
        lambda cast: f"{reverse('support_spread')}?unit={cast.units.commune.pk}",
        everyone(
            404,
            anonymous=302,
            council_member=200,
            standing_officer=200,
            fund_officer=200,
            district_officer=200,
            commune_officer=200,
            applicant=404,
            other_applicant=404,
            mentor=404,
        ),
    ),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(SPREAD_ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name):
    row = SPREAD_ROWS[route_name]
    response = getattr(login(getattr(cast, role)), row.method)(row.url(cast), row.data(cast))
    assert response.status_code == row.expected[role], (role, route_name)


@pytest.fixture
def world(projects) -> World:
    return build_world(projects)


def spread_rows(response) -> dict:
    return {row.unit.name: row.counts for row in response.context["rows"]}


def cells(counts) -> tuple:
    return (
        counts.open_projects,
        counts.projects_supported,
        counts.supports,
        counts.supports_per_project,
        counts.top_share,
        counts.unsupported,
    )


def test_the_province_unit_by_unit_in_the_first_quarter_of_2026(world, login):
    response = in_english(login(world.cast.council_member)).get(reverse("support_spread"), Q1)
    assert response.status_code == 200
    # Xã Chợ Lách (with Xã Sơn Định's projects): S1, P1, P2, P3 open; S1's 3 supports; P1, P2 and P3
    # without support since 01/10/2025. Xã Mỏ Cày: O1 and N1, one support each.
    assert {name: cells(counts) for name, counts in spread_rows(response).items()} == {
        "Xã Chợ Lách": (4, 1, 3, 3.0, 100.0, 2),
        "Xã Mỏ Cày": (2, 2, 2, 1.0, 50.0, 0),
    }
    assert cells(response.context["total"]) == (6, 3, 5, 1.7, 60.0, 2)
    page = response.content.decode()
    # The drill-down to a commune keeps the period.
    commune = world.new_communes[0]
    assert f"?unit={commune.pk}&amp;first=01/01/2026&amp;last=31/03/2026" in page
    down = login(world.cast.council_member).get(reverse("support_spread"), {**Q1, "unit": commune.pk})
    assert down.status_code == 200 and down.context["rows"] == []
    assert cells(down.context["total"]) == (4, 1, 3, 3.0, 100.0, 2)


@pytest.mark.parametrize(
    "params",
    [
        {"first": "31/02/2026"},
        {"first": "01/04/2026", "last": "01/01/2026"},
        {"last": "99999999"},
        {"unit": "1e9"},
        {"unit": "99999999999999999999"},
    ],
)
def test_a_parameter_that_does_not_parse_is_a_400_not_a_500(cast, login, params):
    response = login(cast.standing_officer).get(reverse("support_spread"), params)
    assert response.status_code == 400


def test_a_unit_outside_the_scope_is_not_found(cast, login):
    client = login(cast.commune_officer)
    assert client.get(reverse("support_spread"), {"unit": cast.units.other_commune.pk}).status_code == 404


# The top unit, the units of the period, the successor links, the projects, the days their stock is
# stored on and its values on the period's last day (projects/daily_figures.py), the supports.
OWN_QUERIES = 7


@pytest.mark.parametrize("count", [3, 30])
def test_the_page_costs_the_same_queries_whatever_the_projects(
    world, login, django_assert_num_queries, count
):
    bulk_rows(world, count)
    client = login(world.cast.council_member)
    with django_assert_num_queries(SIGNED_IN + OWN_QUERIES):
        response = client.get(reverse("support_spread"), Q1)
    assert response.status_code == 200
    assert response.context["total"].supports == 5 + count
