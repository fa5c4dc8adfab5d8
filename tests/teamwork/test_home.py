"""The teams' part of the home (teamwork/home.py): a support team's month against its targets, with
the flags of teamwork/evenness.py."""

import datetime

from portal.models import Target
from portal.services.notifications import mark_all_read
from teamwork.measures import OUTREACH_EVENTS
from tests.portal.test_home import fresh_cache, home, panel, says_nothing_to_do  # noqa: F401
from tests.teamwork.test_teamwork_pages import record


def test_a_commune_head_whose_team_did_nothing_this_month_is_told(cast, login):
    record(cast, day=datetime.date(2026, 10, 30))  # last month: not this month's
    response = home(login, cast.commune_officer)
    team = panel(response, "teamwork/home_team.html")
    [measures] = team.data["teams"]
    assert measures.team == cast.teams.commune
    assert measures.period.first == datetime.date(2026, 11, 1)
    assert measures.period.last == datetime.date(2026, 11, 18)
    assert [flag.code for flag in measures.flags] == ["no_activity"]
    assert team.to_do == 1
    page = response.content.decode()
    assert "Không có hoạt động nào trong kỳ này." in page
    assert not says_nothing_to_do(response)


def test_the_month_is_measured_against_the_share_of_the_years_target(cast, login):
    Target.objects.create(unit=cast.units.commune, year=2026, measure=OUTREACH_EVENTS, value=120)
    record(cast, day=datetime.date(2026, 11, 3))
    response = home(login, cast.commune_officer)
    [measures] = panel(response, "teamwork/home_team.html").data["teams"]
    outreach = next(progress for progress in measures.progress if progress.measure == OUTREACH_EVENTS)
    # 120 a year, 18 days of 365: 5.9 for the month so far; 1 is under half of it.
    assert (outreach.achieved, str(outreach.target), outreach.percent) == (1, "5.9", 16)
    assert [flag.code for flag in measures.flags] == ["under_target"]
    assert "1 hoạt động từ 01/11/2026 đến 18/11/2026" in response.content.decode()


def test_a_commune_head_with_nothing_pending_is_told_there_is_nothing(cast, login):
    record(cast, day=datetime.date(2026, 11, 16))
    mark_all_read(cast.commune_officer)
    response = home(login, cast.commune_officer)
    assert panel(response, "teamwork/home_team.html").to_do == 0
    assert response.context["to_do"] == 0
    assert says_nothing_to_do(response)


def test_only_members_of_active_support_teams_see_a_team_month(cast, login):
    cast.teams.district.active_until = datetime.date(2025, 6, 30)
    cast.teams.district.save(update_fields=["active_until"])
    for role in ("district_officer", "standing_officer", "council_member", "fund_officer", "applicant"):
        assert panel(home(login, getattr(cast, role)), "teamwork/home_team.html") is None, role
    assert panel(home(login, cast.other_district_officer), "teamwork/home_team.html") is not None
