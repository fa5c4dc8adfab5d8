"""List pages cost the same number of queries at N and at 10×N rows."""

import pytest
from django.urls import reverse

from portal.models import AdminUnit, Team
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory

N = 5


def add_communes_with_teams(cast, count: int) -> None:
    for _ in range(count):
        commune = AdminUnitFactory(parent=cast.units.district)
        team = TeamFactory(unit=commune, kind=Team.Kind.COMMUNE_TEAM)
        MembershipFactory(team=team)
        MembershipFactory(team=team)


# Queries of a signed-in page, before the page's own:
#   1 session, 2 user, 3 memberships (scope), 4 the council's province (scope),
#   5 the scope's units (recursive CTE), 6 the unread notifications in the menu. The session is
#   saved only when its idle expiry is due (once a minute at most, portal/sessions.py): not here.
SIGNED_IN = 6


@pytest.mark.parametrize(
    ("url_name", "own_queries"),
    [
        # count for the paginator, the page of units with their parents
        ("unit_list", 2),
        # count for the paginator, the page of teams with unit, head and member count
        ("team_list", 2),
    ],
)
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_page_query_count(cast, login, django_assert_num_queries, url_name, own_queries, rows):
    add_communes_with_teams(cast, rows)
    client = login(cast.council_member)
    with django_assert_num_queries(SIGNED_IN + own_queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


def test_unit_list_shows_units_in_vietnamese_order(cast, login):
    for name in ("Xã Đại Điền", "Xã Dương", "Xã Ấp Mới", "Xã An Bình"):
        AdminUnitFactory(name=name, parent=cast.units.district)
    response = login(cast.district_officer).get(reverse("unit_list"), {"level": AdminUnit.Level.COMMUNE})
    names = [unit.name for unit in response.context["page"]]
    assert names == ["Xã An Bình", "Xã Ấp Mới", "Xã Dương", "Xã Đại Điền", "Xã Sơn Định"]


@pytest.mark.parametrize("query", ["son dinh", "SƠN ĐỊNH", "Sơn Định", "sơn đinh", "99101"])
def test_unit_search_ignores_case_and_diacritics(cast, login, query):
    response = login(cast.council_member).get(reverse("unit_list"), {"q": query})
    assert [unit.name for unit in response.context["page"]] == ["Xã Sơn Định"]


def test_d_finds_đ(cast, login):
    AdminUnitFactory(name="Xã Đại Điền", parent=cast.units.district)
    response = login(cast.council_member).get(reverse("unit_list"), {"q": "dai dien"})
    assert [unit.name for unit in response.context["page"]] == ["Xã Đại Điền"]
