"""A follow-up visit more than 30 days late flags the commune team in the evenness view
(conversions/team_flags.py, read by teamwork/evenness.py through its plugin hook)."""

import datetime

import pytest
from django.utils import translation

from conversions.services.followups import record_visit, skip_visit
from conversions.team_flags import VISITS_LATE
from portal.models import Team
from portal.periods import Period
from teamwork.evenness import FLAG_MESSAGES, team_measures, unit_evenness
from tests.conversions.fixtures import *  # noqa: F403
from tests.factories import AdminUnitFactory, TeamFactory

pytestmark = pytest.mark.django_db

D = datetime.date
OCTOBER_2024 = Period(D(2024, 10, 1), D(2024, 10, 31))
NOVEMBER_2026 = Period(D(2026, 11, 1), D(2026, 11, 18))  # the month so far (the clock: 18/11/2026)


def late_flags(team: Team, period: Period) -> list[dict]:
    [measures] = team_measures(Team.objects.filter(pk=team.pk), period)
    return [dict(flag.params) for flag in measures.flags if flag.code == VISITS_LATE]


@pytest.fixture
def followed(conversions):
    """Registered on 10/06/2024: visits due 10/07/2024, 10/09, 10/12, 10/06/2025, 10/06/2026, 10/06/2027;
    the first done on 12/07/2024."""
    conversion = conversions.registered(on=D(2024, 6, 10))
    first = conversion.visits.get(months_after=1)
    record_visit(
        visit=first, by=conversions.officer, done_on=D(2024, 7, 12), channel="phone", finding="operating"
    )
    return conversion


def test_visits_more_than_30_days_late_at_the_end_of_the_period_flag_the_commune_team(conversions, followed):
    team = conversions.cast.teams.commune
    # 31/10/2024: the 3-month visit (10/09) is 51 days late; the first was done.
    assert late_flags(team, OCTOBER_2024) == [{"visits": 1, "days": 30, "day": "10/09/2024"}]
    # 18/11/2026: the 3, 6, 12 and 24-month visits (the 24-month one, 10/06/2026, is 161 days late).
    assert late_flags(team, NOVEMBER_2026) == [{"visits": 4, "days": 30, "day": "10/09/2024"}]
    # Not late on 30/09/2024 (20 days), nor on 09/10/2024 (29 days); 41 days on 20/10/2024.
    assert late_flags(team, Period(D(2024, 9, 1), D(2024, 9, 30))) == []
    assert late_flags(team, Period(D(2024, 10, 1), D(2024, 10, 9))) == []
    assert late_flags(team, Period(D(2024, 10, 1), D(2024, 10, 20))) == [
        {"visits": 1, "days": 30, "day": "10/09/2024"}
    ]

    skip_visit(visit=followed.visits.get(months_after=3), by=conversions.officer, reason="Chủ đi vắng")
    assert late_flags(team, NOVEMBER_2026) == [{"visits": 3, "days": 30, "day": "10/12/2024"}]
    # Done late is no longer late afterwards, but was late before it was done.
    record_visit(
        visit=followed.visits.get(months_after=6),
        by=conversions.officer,
        done_on=D(2025, 3, 1),
        channel="visit",
        finding="market",
    )
    assert late_flags(team, NOVEMBER_2026) == [{"visits": 2, "days": 30, "day": "10/06/2025"}]
    assert late_flags(team, Period(D(2025, 2, 1), D(2025, 2, 28))) == [
        {"visits": 1, "days": 30, "day": "10/12/2024"}
    ]


def test_only_the_commune_team_of_the_case_is_flagged(conversions, followed):
    teams = conversions.cast.teams
    for team in (teams.other_commune, teams.district, teams.other_district):
        assert late_flags(team, NOVEMBER_2026) == []


def test_the_flag_reads_in_the_evenness_view_and_costs_no_query(
    conversions, followed, django_assert_num_queries
):
    # The same six queries as without the hook (tests/teamwork/test_evenness.py).
    with django_assert_num_queries(6):
        evenness = unit_evenness(conversions.cast.units.province, D(2026, 10, 1), D(2026, 11, 18))
    flagged = {measures.team.name: measures.flags for measures in evenness.teams}
    [flag] = [flag for flag in flagged["Tổ hỗ trợ ĐT&KN xã Sơn Định"] if flag.code == VISITS_LATE]
    with translation.override("en"):
        assert flag.reason == (
            "4 follow-up visits to converted enterprises more than 30 days late "
            "(the oldest due on 10/09/2024)."
        )
    assert not [flag for flag in flagged["Tổ hỗ trợ ĐT&KN xã Cẩm Sơn"] if flag.code == VISITS_LATE]
    with translation.override("en"):
        assert str(FLAG_MESSAGES[VISITS_LATE]).startswith("%(visits)s follow-up visits")


def test_a_case_on_a_commune_that_ended_in_the_reform_flags_its_successors_team(conversions, followed):
    cast = conversions.cast
    old = cast.units.commune
    old.valid_until = D(2025, 6, 30)
    old.save(update_fields=["valid_until"])
    new = AdminUnitFactory(name="Xã Chợ Lách", parent=cast.units.province, valid_from=D(2025, 7, 1))
    old.successors.add(new)
    team = TeamFactory(unit=new, active_from=D(2025, 7, 1))
    assert late_flags(team, NOVEMBER_2026) == [{"visits": 4, "days": 30, "day": "10/09/2024"}]


def test_the_successors_own_cases_and_those_of_the_commune_it_replaced_add_up(conversions, followed):
    cast = conversions.cast
    cast.units.commune.valid_until = D(2025, 6, 30)
    cast.units.commune.save(update_fields=["valid_until"])
    cast.units.commune.successors.add(cast.units.other_commune)
    conversions.registered(
        conversions.other_business, on=D(2024, 7, 15), code="1300654321", by=cast.other_commune_officer
    )
    # The replaced commune's four late visits (the oldest due on 10/09/2024) and the successor's own
    # five, none done (the oldest due on 15/08/2024).
    assert late_flags(cast.teams.other_commune, NOVEMBER_2026) == [
        {"visits": 9, "days": 30, "day": "15/08/2024"}
    ]
