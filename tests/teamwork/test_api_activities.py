"""Activities and targets in the API.

The role × route rows of these routes are in ``API_ACTIVITY_ROWS`` below, run here the way the
shared table in tests/portal/test_role_routes.py runs its own.
"""

import datetime

import pytest
from django.urls import reverse

from portal.models import AuditRecord, Target, Team
from portal.models.people import today
from teamwork.models import Activity
from tests.conftest import Cast
from tests.dossiers.api_helpers import api
from tests.factories import MembershipFactory, TeamFactory
from tests.portal.api_helpers import refused
from tests.role_table import COMMUNE_READERS, Row, everyone
from tests.teamwork.test_activities import commune_activity, record

API_SIGNED_IN_ONLY = everyone(200, anonymous=403)
API_COMMUNE_READERS = COMMUNE_READERS | {"anonymous": 403}


def body(cast: Cast, **overrides) -> dict:
    return {
        "team": cast.teams.commune.pk,
        "kind": "outreach",
        "held_on": (today() - datetime.timedelta(days=2)).isoformat(),
        "unit": cast.units.commune.pk,
        "people_reached": 120,
        "topics": "Loa truyền thanh: vay vốn Quỹ khởi nghiệp",
        "channel": "loudspeaker",
    } | overrides


def state():
    return (Activity.objects.count(), AuditRecord.objects.count())


API_ACTIVITY_ROWS: dict[str, Row] = {
    "api:activity-list": Row("get", lambda cast: reverse("api:activity-list"), API_SIGNED_IN_ONLY),
    "api:activity-detail": Row(
        "get",
        lambda cast: reverse("api:activity-detail", args=[commune_activity(cast).pk]),
        API_COMMUNE_READERS,
    ),
    # Only members of the commune team record for it; for anyone else its id is unknown (400).
    "api:activity-list:post": Row(
        "post",
        lambda cast: reverse("api:activity-list"),
        everyone(400, anonymous=403, commune_officer=201),
        data=body,
    ),
    "api:target-list": Row("get", lambda cast: reverse("api:target-list"), API_SIGNED_IN_ONLY),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_ACTIVITY_ROWS))
def test_role_gets_the_expected_answer(cast, role, route_name):
    row = API_ACTIVITY_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = api(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data, format="json")
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


def test_create_records_through_the_service(cast):
    response = api(cast.commune_officer).post(reverse("api:activity-list"), body(cast), format="json")
    assert response.status_code == 201
    activity = Activity.objects.get()
    assert response.json()["id"] == activity.pk
    assert (activity.recorded_by, activity.channel, activity.people_reached, activity.team) == (
        cast.commune_officer,
        "loudspeaker",
        120,
        cast.teams.commune,
    )


def test_a_rule_refusal_is_a_400_that_says_why(cast):
    before = state()
    response = api(cast.commune_officer).post(
        reverse("api:activity-list"), body(cast, channel=""), format="json"
    )
    assert (response.status_code, response.json()) == (
        400,
        refused("Say how the outreach reached people (the channel).", rule="no_channel"),
    )
    assert state() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("unit", "other_commune"), ("supported_team", "other_commune")],
)
def test_ids_outside_the_scope_are_unknown(cast, field, value):
    units_or_teams = cast.units if field == "unit" else cast.teams
    before = state()
    response = api(cast.commune_officer).post(
        reverse("api:activity-list"), body(cast, **{field: getattr(units_or_teams, value).pk}), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert state() == before


def test_the_list_is_scoped_and_filters(cast):
    mine = record(cast, topics="Đăng ký OCOP cho kẹo dừa")
    record(cast, team=cast.teams.other_commune, by=cast.other_commune_officer, unit=cast.units.other_commune)
    client = api(cast.commune_officer)
    response = client.get(reverse("api:activity-list"), {"q": "keo dua", "kind": "outreach"})
    assert [row["id"] for row in response.json()["results"]] == [mine.pk]
    assert client.get(reverse("api:activity-list"), {"kind": "party"}).status_code == 400


def test_targets_are_scoped(cast):
    own = Target.objects.create(unit=cast.units.commune, year=2026, measure="outreach_events", value=12)
    Target.objects.create(unit=cast.units.other_commune, year=2026, measure="outreach_events", value=10)
    response = api(cast.commune_officer).get(reverse("api:target-list"), {"year": 2026})
    assert [row["id"] for row in response.json()["results"]] == [own.pk]


# --- Query counts -----------------------------------------------------------------------------------------

N = 5
# Queries of a token-authenticated request, before the endpoint's own:
#   1 the token with its user, 2 memberships (scope), 3 the council's province (scope),
#   4 the scope's units (recursive CTE). No session: nothing is saved afterwards.
TOKEN_SIGNED_IN = 4


def add_rows(cast: Cast, count: int) -> None:
    for number in range(count):
        team = TeamFactory(unit=cast.units.commune, kind=Team.Kind.COMMUNE_TEAM)
        record(cast, team=team, by=MembershipFactory(team=team).user, topics=f"Tuyên truyền số {number}")
        Target.objects.create(
            unit=cast.units.commune, year=2000 + number, measure="people_reached", value=500
        )


@pytest.mark.parametrize(
    ("url_name", "own_queries"),
    [
        # count for the paginator, the page of activities with team and unit
        ("api:activity-list", 2),
        # count for the paginator, the page of targets with their units
        ("api:target-list", 2),
    ],
)
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_endpoint_query_count(cast, django_assert_num_queries, url_name, own_queries, rows):
    add_rows(cast, rows)
    client = api(cast.council_member)
    with django_assert_num_queries(TOKEN_SIGNED_IN + own_queries):
        response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response.json()["count"] == rows
