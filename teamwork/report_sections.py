"""The team-work section: how evenly the support teams worked, from ``portal/evenness.py``."""

import datetime

from django.utils.translation import gettext_noop as _

from portal.periods import Period
from portal.reporting import column, flag, measure, untranslated
from portal.target_measures import measure_label
from teamwork.evenness import FLAG_MESSAGES, UnitEvenness, unit_evenness_over

SUB_UNIT_COLUMNS = [
    column("activities", _("Activities")),
    column("outreach_events", _("Outreach events")),
    column("people_reached", _("People reached")),
    column("support_visits", _("Support visits")),
    column("reviews_held", _("Reviews held")),
    column("teams", _("Teams")),
    column("silent_teams", _("Teams without activity")),
]


def _tally_cells(tally) -> list[int]:
    return [
        tally.activities,
        tally.outreach_events,
        tally.people_reached,
        tally.support_visits,
        tally.reviews_held,
    ]


def _target(progress) -> float | None:
    return None if progress.target is None else float(progress.target)


def _measures(evenness: UnitEvenness) -> list[dict]:
    teams = evenness.teams
    measures = [measure("activities", _("Activities recorded"), evenness.tally.activities)]
    measures += [
        measure(
            str(progress.measure),
            untranslated(measure_label(progress.measure)),
            progress.achieved,
            target=_target(progress),
        )
        for progress in evenness.progress
    ]
    measures += [
        measure("teams", _("Support teams"), len(teams)),
        measure("silent_teams", _("Teams without activity"), len(evenness.silent_teams)),
        measure("flagged_teams", _("Teams flagged"), len(evenness.flagged_teams)),
    ]
    return measures


def _tables(evenness: UnitEvenness) -> list[dict]:
    tables = []
    if evenness.sub_units:
        rows = evenness.sub_units
        total = [sum(values) for values in zip(*(_tally_cells(row.tally) for row in rows), strict=True)]
        tables.append(
            {
                "key": "by_unit",
                "title": _("By unit"),
                "columns": [column("unit", _("Unit"), "text"), *SUB_UNIT_COLUMNS],
                "rows": [
                    {
                        "unit_id": row.unit.pk,
                        "cells": [
                            row.unit.name,
                            *_tally_cells(row.tally),
                            row.team_count,
                            row.silent_team_count,
                        ],
                    }
                    for row in rows
                ],
                "total": [
                    _("Total"),
                    *total,
                    sum(row.team_count for row in rows),
                    sum(row.silent_team_count for row in rows),
                ],
            }
        )
    tables.append(
        {
            "key": "teams",
            "title": _("By team"),
            "columns": [
                column("team", _("Team"), "text"),
                *SUB_UNIT_COLUMNS[:5],
                column("last_activity_on", _("Last activity"), "date"),
                column("flags", _("Flags")),
            ],
            "rows": [
                {
                    "unit_id": team.team.unit_id,
                    "cells": [
                        team.team.name,
                        *_tally_cells(team.tally),
                        team.last_activity_on.isoformat() if team.last_activity_on else None,
                        len(team.flags),
                    ],
                }
                for team in evenness.teams
            ],
            "total": None,
        }
    )
    if evenness.visits_per_commune and evenness.unit.level != evenness.unit.Level.COMMUNE:
        tables.append(
            {
                "key": "support_visits",
                "title": _("Support visits received, by commune"),
                "columns": [
                    column("commune", _("Commune or ward"), "text"),
                    column("visits", _("Support visits")),
                    column("last_visit_on", _("Last visit"), "date"),
                ],
                "rows": [
                    {
                        "unit_id": visits.unit.pk,
                        "cells": [
                            visits.unit.name,
                            visits.visits,
                            visits.last_visit_on.isoformat() if visits.last_visit_on else None,
                        ],
                    }
                    for visits in evenness.visits_per_commune
                ],
                "total": None,
            }
        )
    return tables


def _charts(evenness: UnitEvenness) -> list[dict]:
    rows = [(row.unit.name, row.tally) for row in evenness.sub_units] or [
        (team.team.name, team.tally) for team in evenness.teams
    ]
    charts = [
        {
            "key": "activities_by_unit" if evenness.sub_units else "activities_by_team",
            "title": _("Activities by unit") if evenness.sub_units else _("Activities by team"),
            "categories": [name for name, _tally in rows],
            "series": [
                {"label": _("Outreach events"), "values": [tally.outreach_events for _name, tally in rows]},
                {"label": _("Support visits"), "values": [tally.support_visits for _name, tally in rows]},
                {"label": _("Reviews held"), "values": [tally.reviews_held for _name, tally in rows]},
            ],
        }
    ]
    with_target = [progress for progress in evenness.progress if progress.percent is not None]
    if with_target:
        charts.append(
            {
                "key": "targets",
                "title": _("Per cent of the target achieved"),
                "categories": [untranslated(measure_label(p.measure)) for p in with_target],
                "series": [{"label": _("Achieved (%)"), "values": [p.percent for p in with_target]}],
            }
        )
    return charts


def _flags(evenness: UnitEvenness) -> list[dict]:
    flags = []
    for team in evenness.teams:
        for team_flag in team.flags:
            params = dict(team_flag.params)
            if "measure" in params:
                params["measure"] = untranslated(measure_label(params["measure"]))
            if params.get("target") is not None:
                params["target"] = float(params["target"])
            flags.append(flag(team.team.name, untranslated(FLAG_MESSAGES[team_flag.code]), **params))
    return flags


class TeamWorkSection:
    key = "teamwork"
    title = _("The support teams' work")
    order = 20

    def build(self, unit, period: tuple[datetime.date, datetime.date], previous) -> dict:
        evenness, earlier_evenness = unit_evenness_over(unit, [Period(*period), Period(*previous)])
        measures = _measures(evenness)
        for current, earlier in zip(measures, _measures(earlier_evenness), strict=True):
            current["previous"] = earlier["value"]
        return {
            "measures": measures,
            "tables": _tables(evenness),
            "charts": _charts(evenness),
            "flags": _flags(evenness),
        }


SECTIONS = [TeamWorkSection()]
