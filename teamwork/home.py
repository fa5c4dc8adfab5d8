"""The teams' panel of the home page (portal/panels.py): what the person's support team has done this
month against its targets, and its flags, as /work/teams/<id>/?period=month shows them
(``team_measures`` of teamwork/evenness.py, the one definition of the teams' measures and flags)."""

import datetime

from portal.models import Team
from portal.panels import TEAM, Panel
from portal.scope import scope_for
from teamwork.evenness import team_measures
from teamwork.views.overview import preset_period


def panels(user, day: datetime.date) -> list[Panel]:
    scope = scope_for(user)
    if not scope.active_team_kinds & set(Team.SUPPORT_KINDS):
        return []
    month = preset_period("month", day)
    teams = (
        Team.objects.visible_to(user)
        .filter(pk__in=scope.team_ids, kind__in=Team.SUPPORT_KINDS)
        .active_on(day)
        .in_vietnamese_order()
    )
    # 1: the teams with their month's tallies, 2: their units' targets.
    measures = team_measures(teams, month)
    return [
        Panel(
            "teamwork/home_team.html",
            TEAM,
            to_do=sum(len(team.flags) for team in measures),
            data={"teams": measures, "month": month},
        )
    ]
