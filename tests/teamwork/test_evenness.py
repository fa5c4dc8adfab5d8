"""The evenness measures on a hand-built province whose answers are worked out by hand.

Tỉnh Thử Nghiệm (always)
├── Huyện Chợ Lách (until 30/06/2025)      team TD (district, until 30/06/2025)
│   ├── Xã Sơn Định (until 30/06/2025)     team TA (commune, until 30/06/2025)
│   └── Xã Hòa Nghĩa (until 30/06/2025)    team TB (commune, until 30/06/2025)
└── Xã Chợ Lách (from 01/07/2025, formed from both communes)   team TN (commune, from 01/07/2025)
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pytest
from django.utils import translation

from portal.models import AdminUnit, Target, Team, User
from portal.periods import Period
from portal.targets import pro_rate
from teamwork.evenness import team_measures, unit_evenness
from teamwork.measures import OUTREACH_EVENTS, PEOPLE_REACHED
from teamwork.models import Activity
from tests.factories import AdminUnitFactory, TeamFactory, UserFactory

D = datetime.date
Q2_2025 = (D(2025, 4, 1), D(2025, 6, 30))  # 91 days
ACROSS_THE_REFORM = (D(2025, 6, 1), D(2025, 7, 31))  # 61 days, 30 before and 31 after 1 July 2025


@dataclass
class Province:
    province: AdminUnit
    district: AdminUnit
    commune_a: AdminUnit
    commune_b: AdminUnit
    new_commune: AdminUnit
    district_team: Team
    team_a: Team
    team_b: Team
    new_team: Team
    recorder: User


def activity(team, kind, day, unit, people=0, **extra) -> Activity:
    return Activity.objects.create(
        team=team,
        kind=kind,
        held_on=day,
        unit=unit,
        people_reached=people,
        topics="Khởi nghiệp",
        recorded_by=extra.pop("recorded_by"),
        **extra,
    )


@pytest.fixture
def land(db) -> Province:
    end, start = D(2025, 6, 30), D(2025, 7, 1)
    province = AdminUnitFactory(
        code="98", name="Tỉnh Thử Nghiệm", level=AdminUnit.Level.PROVINCE, kind="Tỉnh"
    )
    district = AdminUnitFactory(
        code="981", name="Huyện Chợ Lách", level="district", kind="Huyện", parent=province, valid_until=end
    )
    commune_a = AdminUnitFactory(code="98101", name="Xã Sơn Định", parent=district, valid_until=end)
    commune_b = AdminUnitFactory(code="98102", name="Xã Hòa Nghĩa", parent=district, valid_until=end)
    new_commune = AdminUnitFactory(code="98103", name="Xã Chợ Lách", parent=province, valid_from=start)
    commune_a.successors.add(new_commune)
    commune_b.successors.add(new_commune)
    land = Province(
        province,
        district,
        commune_a,
        commune_b,
        new_commune,
        district_team=TeamFactory(
            name="Tổ huyện Chợ Lách", kind=Team.Kind.DISTRICT_TEAM, unit=district, active_until=end
        ),
        team_a=TeamFactory(name="Tổ xã Sơn Định", unit=commune_a, active_until=end),
        team_b=TeamFactory(name="Tổ xã Hòa Nghĩa", unit=commune_b, active_until=end),
        new_team=TeamFactory(name="Tổ xã Chợ Lách", unit=new_commune, active_from=start),
        recorder=UserFactory(),
    )
    # The council is not measured, though what it holds in the province counts for the province.
    TeamFactory(name="Hội đồng", kind=Team.Kind.COUNCIL, unit=province)
    by = {"recorded_by": land.recorder}
    outreach, visit, review = (
        Activity.Kind.OUTREACH,
        Activity.Kind.SUPPORT_VISIT,
        Activity.Kind.REVIEW_MEETING,
    )
    mass = Activity.Channel.MASS_ORGANISATION
    activity(land.team_a, outreach, D(2025, 4, 10), commune_a, 50, channel=Activity.Channel.MEETING, **by)
    activity(
        land.team_a,
        outreach,
        D(2025, 5, 20),
        commune_a,
        30,
        channel=mass,
        mass_organisation="womens_union",
        **by,
    )
    activity(
        land.team_a,
        outreach,
        D(2025, 6, 15),
        commune_a,
        20,
        channel=mass,
        mass_organisation="youth_union",
        **by,
    )
    activity(land.district_team, visit, D(2025, 5, 5), commune_a, supported_team=land.team_a, **by)
    activity(land.district_team, visit, D(2025, 6, 10), commune_a, supported_team=land.team_a, **by)
    activity(land.district_team, review, D(2025, 6, 25), district, 10, review_kind="interim", **by)
    activity(land.team_b, Activity.Kind.TRAINING, D(2025, 1, 15), commune_b, 15, **by)
    activity(
        land.new_team, outreach, D(2025, 7, 20), new_commune, 40, channel=Activity.Channel.LOUDSPEAKER, **by
    )
    activity(land.new_team, review, D(2025, 7, 30), new_commune, 5, review_kind="final", **by)
    for unit, measure, value in [
        (province, PEOPLE_REACHED, 730),
        (province, OUTREACH_EVENTS, 73),
        (commune_a, PEOPLE_REACHED, 365),
        (commune_a, OUTREACH_EVENTS, 25),
    ]:
        Target.objects.create(unit=unit, year=2025, measure=measure, value=value)
    return land


def by_team(evenness):
    return {measures.team.name: measures for measures in evenness.teams}


def reasons(measures) -> list[str]:
    with translation.override("en"):
        return [flag.reason for flag in measures.flags]


def test_activity_per_team_and_silent_teams_in_a_quarter(land):
    evenness = unit_evenness(land.province, *Q2_2025)
    teams = by_team(evenness)
    # The new commune team did not exist yet and the council is not a support team.
    assert list(teams) == ["Tổ huyện Chợ Lách", "Tổ xã Hòa Nghĩa", "Tổ xã Sơn Định"]
    assert {name: m.tally.activities for name, m in teams.items()} == {
        "Tổ huyện Chợ Lách": 3,
        "Tổ xã Hòa Nghĩa": 0,
        "Tổ xã Sơn Định": 3,
    }
    assert [m.team.name for m in evenness.silent_teams] == ["Tổ xã Hòa Nghĩa"]


def test_days_since_last_activity_as_of_the_end_of_the_period(land):
    teams = by_team(unit_evenness(land.province, *Q2_2025))
    # 25/06, 15/01 (before the quarter) and 15/06, counted to 30/06.
    assert {name: m.days_since_last_activity for name, m in teams.items()} == {
        "Tổ huyện Chợ Lách": 5,
        "Tổ xã Hòa Nghĩa": 166,
        "Tổ xã Sơn Định": 15,
    }


def test_support_visits_per_commune(land):
    evenness = unit_evenness(land.province, *Q2_2025)
    assert [(c.unit.name, c.visits, c.last_visit_on) for c in evenness.visits_per_commune] == [
        ("Xã Hòa Nghĩa", 0, None),
        ("Xã Sơn Định", 2, D(2025, 6, 10)),
    ]


def test_channel_variety(land):
    evenness = unit_evenness(land.province, *Q2_2025)
    team_a = by_team(evenness)["Tổ xã Sơn Định"].tally
    assert (team_a.channel_variety, team_a.mass_organisation_variety) == (2, 2)
    assert team_a.by_channel["mass_organisation"] == 2
    assert team_a.by_mass_organisation == {
        "womens_union": 1,
        "youth_union": 1,
        "farmers_association": 0,
        "veterans_association": 0,
        "other": 0,
    }
    assert by_team(evenness)["Tổ huyện Chợ Lách"].tally.channel_variety == 0


def test_the_provinces_tally_against_its_pro_rated_targets(land):
    evenness = unit_evenness(land.province, *Q2_2025)
    tally = evenness.tally
    assert (tally.activities, tally.people_reached, tally.outreach_events) == (6, 110, 3)
    assert (tally.interim_reviews, tally.final_reviews, tally.support_visits) == (1, 0, 2)
    progress = {p.measure: p for p in evenness.progress}
    # 730 a year × 91/365 days = 182; 73 × 91/365 = 18.2.
    assert (progress["people_reached"].achieved, progress["people_reached"].target) == (110, Decimal("182.0"))
    assert progress["people_reached"].percent == 60
    assert (progress["outreach_events"].achieved, progress["outreach_events"].target) == (3, Decimal("18.2"))
    assert progress["reviews_held"].target is None


def test_flags_and_their_reasons_in_a_quarter(land):
    teams = by_team(unit_evenness(land.province, *Q2_2025))
    assert reasons(teams["Tổ xã Hòa Nghĩa"]) == [
        "No activity in this period.",
        "No activity for 166 days (last on 15/01/2025).",
    ]
    # 25 outreach events a year × 91/365 = 6.23… (written with a decimal comma); three is under half
    # of it. 100 people of 91 are not.
    assert reasons(teams["Tổ xã Sơn Định"]) == [
        "Outreach events: 3, under half of the target for the period (6,2)."
    ]
    assert reasons(teams["Tổ huyện Chợ Lách"]) == []


def test_drill_down_rows_in_a_quarter(land):
    rows = unit_evenness(land.province, *Q2_2025).sub_units
    assert [
        (r.unit.name, r.tally.activities, r.tally.people_reached, r.team_count, r.silent_team_count)
        for r in rows
    ] == [("Huyện Chợ Lách", 6, 110, 3, 1)]


def test_a_period_across_the_reform(land):
    evenness = unit_evenness(land.province, *ACROSS_THE_REFORM)
    teams = by_team(evenness)
    assert {name: (m.tally.activities, m.days_since_last_activity) for name, m in teams.items()} == {
        # The teams that ended on 30/06/2025 are counted to their end, not to 31/07.
        "Tổ huyện Chợ Lách": (2, 5),
        "Tổ xã Chợ Lách": (2, 1),
        "Tổ xã Hòa Nghĩa": (0, 166),
        "Tổ xã Sơn Định": (1, 15),
    }
    # Xã Sơn Định's team was active for 30 days of the period: 25 × 30/365 = 2.05…, one event is under half.
    assert reasons(teams["Tổ xã Sơn Định"]) == [
        "Outreach events: 1, under half of the target for the period (2,1)."
    ]
    assert [(r.unit.name, r.tally.activities, r.team_count) for r in evenness.sub_units] == [
        ("Huyện Chợ Lách", 3, 3),
        ("Xã Chợ Lách", 2, 1),
    ]
    assert evenness.tally.people_reached == 75
    people = next(p for p in evenness.progress if p.measure == "people_reached")
    assert people.target == Decimal("122.0")  # 730 × 61/365
    assert [(c.unit.name, c.visits) for c in evenness.visits_per_commune] == [
        ("Xã Chợ Lách", 0),
        ("Xã Hòa Nghĩa", 0),
        ("Xã Sơn Định", 1),
    ]


def test_the_new_commune_after_the_reform_sees_only_itself(land):
    evenness = unit_evenness(land.new_commune, D(2025, 8, 1), D(2025, 8, 31))
    assert [m.team.name for m in evenness.teams] == ["Tổ xã Chợ Lách"]
    assert reasons(evenness.teams[0]) == ["No activity in this period."]
    assert evenness.sub_units == []


def test_a_team_that_never_recorded_anything(land):
    quiet = TeamFactory(name="Tổ im lặng", unit=land.commune_b, active_until=D(2025, 6, 30))
    [measures] = team_measures(Team.objects.filter(pk=quiet.pk), Period(*Q2_2025))
    assert measures.days_since_last_activity is None
    assert reasons(measures) == ["No activity in this period.", "No activity recorded yet."]


def test_pro_rating_across_years():
    period = Period(D(2024, 12, 1), D(2025, 1, 31))
    # 366 × 31/366 (2024 is a leap year) + 730 × 31/365.
    assert pro_rate({2024: 366, 2025: 730}, period) == Fraction(31 + 62)
    assert pro_rate({2025: 730}, period) is None


def test_queries_do_not_grow_with_activities(land, django_assert_num_queries):
    for day in range(1, 29):
        activity(
            land.team_b,
            Activity.Kind.TRAINING,
            D(2025, 5, day),
            land.commune_b,
            1,
            recorded_by=land.recorder,
        )
    # units of the subtree (a recursive CTE in a subquery), teams with aggregates, their targets,
    # activities per unit, visits, unit targets
    with django_assert_num_queries(6):
        evenness = unit_evenness(land.province, *Q2_2025)
    assert by_team(evenness)["Tổ xã Hòa Nghĩa"].tally.activities == 28


def test_several_periods_at_once_give_what_each_gives_alone(land, django_assert_num_queries):
    from teamwork.evenness import unit_evenness_over

    periods = [Period(*ACROSS_THE_REFORM), Period(*Q2_2025), Period(D(2025, 8, 1), D(2025, 8, 31))]

    def seen(evenness):
        return (
            evenness.tally,
            [p.target for p in evenness.progress],
            [(m.team.name, m.tally, m.period, m.last_activity_on, m.flags) for m in evenness.teams],
            [(r.unit.name, r.tally, r.team_count, r.silent_team_count) for r in evenness.sub_units],
            [(v.unit.name, v.visits, v.last_visit_on) for v in evenness.visits_per_commune],
        )

    with django_assert_num_queries(6):
        together = unit_evenness_over(land.province, periods)
    assert [seen(e) for e in together] == [
        seen(unit_evenness(land.province, p.first, p.last)) for p in periods
    ]
