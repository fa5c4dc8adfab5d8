"""The teamwork pages: who sees them, what they show and what they cost in queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from portal.models import Target, Team
from teamwork.measures import PEOPLE_REACHED
from teamwork.models import Activity
from tests.factories import AdminUnitFactory, TeamFactory
from tests.portal.test_query_counts import SIGNED_IN
from tests.role_table import COMMUNE_READERS, Row, everyone

# Officials see the work of their scope; applicants have no unit in scope.
TEAMWORK_OVERVIEW_READERS = everyone(200, anonymous=302, applicant=403, other_applicant=403)
TEAMWORK_ROWS: dict[str, Row] = {
    "teamwork_overview": Row("get", lambda cast: reverse("teamwork_overview"), TEAMWORK_OVERVIEW_READERS),
    "teamwork_team": Row(
        "get", lambda cast: reverse("teamwork_team", args=[cast.teams.commune.pk]), COMMUNE_READERS
    ),
}


def record(
    cast, *, team=None, unit=None, day=None, people=12, kind=Activity.Kind.OUTREACH, **extra
) -> Activity:
    if kind == Activity.Kind.OUTREACH:
        extra.setdefault("channel", Activity.Channel.LOUDSPEAKER)
    return Activity.objects.create(
        team=team or cast.teams.commune,
        unit=unit or cast.units.commune,
        kind=kind,
        held_on=day or timezone.localdate(),
        people_reached=people,
        topics="Tuyên truyền khởi nghiệp",
        recorded_by=cast.commune_officer,
        **extra,
    )


@pytest.mark.parametrize("role", sorted(TEAMWORK_OVERVIEW_READERS))
@pytest.mark.parametrize("route_name", sorted(TEAMWORK_ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name):
    row = TEAMWORK_ROWS[route_name]
    response = getattr(login(getattr(cast, role)), row.method)(row.url(cast), row.data(cast))
    assert response.status_code == row.expected[role]


@pytest.mark.parametrize("role", sorted(COMMUNE_READERS))
def test_a_unit_outside_scope_is_not_found(cast, login, role):
    response = login(getattr(cast, role)).get(reverse("teamwork_overview"), {"unit": cast.units.commune.pk})
    assert response.status_code == COMMUNE_READERS[role]


@pytest.mark.parametrize(
    ("role", "unit"),
    [
        ("council_member", "province"),
        ("district_officer", "district"),
        ("commune_officer", "commune"),
        ("other_commune_officer", "other_commune"),
    ],
)
def test_the_overview_opens_on_the_top_unit_of_the_scope(cast, login, role, unit):
    response = login(getattr(cast, role)).get(reverse("teamwork_overview"))
    assert response.context["unit"] == getattr(cast.units, unit)


def test_the_district_page_counts_the_communes_outreach(cast, login):
    record(cast, day=datetime.date(2026, 3, 2), people=40)
    record(cast, day=datetime.date(2026, 3, 20), people=2, channel=Activity.Channel.LEAFLET)
    record(cast, team=cast.teams.other_commune, unit=cast.units.other_commune, day=datetime.date(2026, 3, 5))
    Target.objects.create(unit=cast.units.district, year=2026, measure=PEOPLE_REACHED, value=365)
    response = login(cast.district_officer).get(
        reverse("teamwork_overview"), {"first": "01/03/2026", "last": "31/03/2026"}
    )
    evenness = response.context["evenness"]
    assert (evenness.unit, evenness.tally.activities, evenness.tally.people_reached) == (
        cast.units.district,
        2,
        42,
    )
    assert evenness.tally.channel_variety == 2
    people = next(p for p in evenness.progress if p.measure == "people_reached")
    assert (str(people.target), people.percent) == ("31.0", 135)
    # The district team did nothing in March; the commune team is not behind.
    assert [(m.team, m.is_flagged) for m in evenness.teams] == [
        (cast.teams.commune, False),
        (cast.teams.district, True),
    ]
    assert [(row.unit, row.tally.activities) for row in response.context["sub_units"]] == [
        (cast.units.commune, 2)
    ]
    content = response.content.decode()
    assert reverse("teamwork_team", args=[cast.teams.commune.pk]) in content
    assert f"?unit={cast.units.commune.pk}&amp;first=01/03/2026&amp;last=31/03/2026" in content
    assert ' style="' not in content and "<script>" not in content


def test_the_drill_down_lists_only_units_in_scope(cast, login):
    response = login(cast.council_member).get(reverse("teamwork_overview"))
    assert [row.unit for row in response.context["sub_units"]] == [
        cast.units.district,
        cast.units.other_district,
    ]
    response = login(cast.district_officer).get(
        reverse("teamwork_overview"), {"unit": cast.units.district.pk}
    )
    assert [row.unit for row in response.context["sub_units"]] == [cast.units.commune]


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        ("month", datetime.date(2026, 11, 1), datetime.date(2026, 11, 27)),
        ("quarter", datetime.date(2026, 10, 1), datetime.date(2026, 11, 27)),
        ("year", datetime.date(2026, 1, 1), datetime.date(2026, 11, 27)),
        ("last_year", datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    ],
)
def test_the_period_picker(cast, login, set_today, preset, first, last):
    set_today(datetime.date(2026, 11, 27))
    response = login(cast.council_member).get(reverse("teamwork_overview"), {"period": preset})
    period = response.context["period"]
    assert (period.first, period.last) == (first, last)
    shown = response.context["form"]
    assert (shown["period"].value(), shown["first"].value(), shown["last"].value()) == (preset, first, last)


def test_a_reversed_period_is_named_and_the_year_shown(cast, login, set_today):
    set_today(datetime.date(2026, 11, 27))
    response = login(cast.council_member).get(
        reverse("teamwork_overview"), {"first": "31/03/2026", "last": "01/03/2026"}
    )
    with translation.override("en"):
        assert response.context["form"].non_field_errors() == [
            "The period must end on or after its first day."
        ]
    assert response.context["period"].first == datetime.date(2026, 1, 1)


def test_the_team_page_shows_its_measures_last_activities_and_flags(cast, login):
    record(cast, day=datetime.date(2026, 1, 10), people=7)
    response = login(cast.commune_officer).get(
        reverse("teamwork_team", args=[cast.teams.commune.pk]), {"first": "01/03/2026", "last": "31/03/2026"}
    )
    measures = response.context["measures"]
    assert (measures.tally.activities, measures.days_since_last_activity) == (0, 80)
    assert [flag.code for flag in measures.flags] == ["no_activity", "silent"]
    assert [activity.people_reached for activity in response.context["activities"]] == [7]


def add_activities(cast, count: int) -> None:
    """``count`` activities in each of two new communes with teams, and in the cast's commune."""
    for _ in range(2):
        commune = AdminUnitFactory(parent=cast.units.district)
        team = TeamFactory(unit=commune, kind=Team.Kind.COMMUNE_TEAM)
        for day in range(count):
            record(
                cast, team=team, unit=commune, day=datetime.date(2026, 2, 1) + datetime.timedelta(days=day)
            )
    for day in range(count):
        record(
            cast, day=datetime.date(2026, 2, 1) + datetime.timedelta(days=day), kind=Activity.Kind.TRAINING
        )


N = 3


@pytest.mark.parametrize(
    ("url_name", "own_queries"),
    [
        # the unit, its subtree's units in the period (the subtree a recursive CTE in a subquery),
        # the teams with their aggregates, their units' targets, activities per unit, support visits
        # per commune, the unit's targets
        ("teamwork_overview", 7),
        # the team, the team with its aggregates, its unit's targets, its last activities
        ("teamwork_team", 4),
    ],
)
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_query_count(cast, login, django_assert_num_queries, url_name, own_queries, rows):
    add_activities(cast, rows)
    url = (
        reverse(url_name, args=[cast.teams.commune.pk])
        if url_name == "teamwork_team"
        else reverse(url_name) + f"?unit={cast.units.district.pk}"
    )
    client = login(cast.council_member)  # SIGNED_IN counts the council's province
    with django_assert_num_queries(SIGNED_IN + own_queries):
        response = client.get(url, {"first": "01/01/2026", "last": "31/03/2026"})
    assert response.status_code == 200
