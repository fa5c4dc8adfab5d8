"""How evenly the support teams work: selectors that measure a unit, or one team, over a period.

Everything is aggregated in the database; the number of queries does not grow with the number
of activities or teams. The results are plain dataclasses, for the teamwork pages and the reports.

Definitions, for a unit and a period ``first``..``last`` (both days included):

- The unit's units are its subtree (children and the units it replaced, transitively) restricted
  to the units valid on at least one day of the period.
- Its teams are the district and commune teams of those units active on at least one day of the
  period. A team's own period is the part of the period in which it was active.
- The unit's tally counts the activities *held* in its subtree in the period, whichever team
  recorded them; a team's measures count the activities *the team recorded* in the period.
- Days since a team's last activity are counted to the end of the team's own period (a team that
  ended before ``last`` is not counted as silent after its end).
- Annual targets are pro-rated to a period by days (``portal/targets.py``).
- Other apps may flag a team too: an app's ``team_flags`` module (found through
  ``portal.plugins.app_modules``, teamwork imports no app) gives ``MESSAGES`` (flag code → message),
  ``annotations(period, suffix)`` (expressions on the Team rows, computed in the teams' own query, so
  the number of queries stays the same) and ``flags(team, suffix)`` ((code, params) pairs read from
  those annotations).
"""

import datetime
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Max, Q, Sum
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy

from portal.drilldown import DrillDown
from portal.models import AdminUnit, Team
from portal.models.units import in_subtree
from portal.periods import Period, overlapping, overlaps
from portal.plugins import app_modules
from portal.target_measures import measure_label
from portal.targets import Progress, annual_targets, pro_rate
from teamwork import measures
from teamwork.models import Activity

# A team with no activity for more than this many days is flagged.
SILENCE_DAYS = 60

# The measures of the teams' own work; the other targets belong to other sections of a review.
ACTIVITY_MEASURES = (
    measures.OUTREACH_EVENTS,
    measures.PEOPLE_REACHED,
    measures.SUPPORT_VISITS,
    measures.REVIEWS_HELD,
)


@dataclass
class Tally:
    """Counts of activities, by kind, channel and mass organisation."""

    activities: int = 0
    people_reached: int = 0
    outreach_events: int = 0
    interim_reviews: int = 0
    final_reviews: int = 0
    support_visits: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_mass_organisation: dict[str, int] = field(default_factory=dict)

    @property
    def reviews_held(self) -> int:
        return self.interim_reviews + self.final_reviews

    @property
    def channel_variety(self) -> int:
        return sum(1 for count in self.by_channel.values() if count)

    @property
    def mass_organisation_variety(self) -> int:
        return sum(1 for count in self.by_mass_organisation.values() if count)

    def achieved(self, measure: str) -> int:
        return {
            measures.OUTREACH_EVENTS: self.outreach_events,
            measures.PEOPLE_REACHED: self.people_reached,
            measures.SUPPORT_VISITS: self.support_visits,
            measures.REVIEWS_HELD: self.reviews_held,
        }[measure]

    def add(self, other: "Tally") -> None:
        for name in ("activities", "people_reached", "outreach_events", "interim_reviews", "final_reviews"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.support_visits += other.support_visits
        for mine, theirs in (
            (self.by_channel, other.by_channel),
            (self.by_mass_organisation, other.by_mass_organisation),
        ):
            for key, count in theirs.items():
                mine[key] = mine.get(key, 0) + count


class FlagMessages(dict):
    """The teams' flag messages: teamwork's own, then those the apps' ``team_flags`` modules add."""

    def __missing__(self, code: str):
        for module in app_modules("team_flags"):
            if code in module.MESSAGES:
                return module.MESSAGES[code]
        raise KeyError(code)


FLAG_MESSAGES = FlagMessages(
    {
        "no_activity": gettext_lazy("No activity in this period."),
        "silent": gettext_lazy("No activity for %(days)s days (last on %(day)s)."),
        "never": gettext_lazy("No activity recorded yet."),
        "under_target": gettext_lazy(
            "%(measure)s: %(achieved)s, under half of the target for the period (%(target)s)."
        ),
    }
)


@dataclass(frozen=True)
class Flag:
    code: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def reason(self) -> str:
        """The reason in the active language (computed when read, so reports may pick their language)."""
        params = dict(self.params)
        if "measure" in params:
            params["measure"] = capfirst(str(measure_label(params["measure"])))
        if params.get("target") is not None:
            params["target"] = number_format(params["target"], use_l10n=True)
        message = str(FLAG_MESSAGES[self.code])
        return message % params if params else message

    def __str__(self) -> str:
        return self.reason


@dataclass
class TeamMeasures:
    team: Team
    period: Period  # the team's own period: the part of the period it was active
    tally: Tally
    last_activity_on: datetime.date | None
    progress: list[Progress]
    flags: list[Flag] = field(default_factory=list)

    @property
    def days_since_last_activity(self) -> int | None:
        if self.last_activity_on is None:
            return None
        return max((self.period.last - self.last_activity_on).days, 0)

    @property
    def is_silent(self) -> bool:
        return self.tally.activities == 0

    @property
    def is_flagged(self) -> bool:
        return bool(self.flags)


@dataclass(frozen=True)
class CommuneVisits:
    unit: AdminUnit
    visits: int
    last_visit_on: datetime.date | None


@dataclass
class SubUnitRow:
    unit: AdminUnit
    tally: Tally
    team_count: int = 0
    silent_team_count: int = 0
    flagged_team_count: int = 0


@dataclass
class UnitEvenness:
    unit: AdminUnit
    period: Period
    tally: Tally
    progress: list[Progress]
    teams: list[TeamMeasures]
    visits_per_commune: list[CommuneVisits]
    sub_units: list[SubUnitRow]

    @property
    def silent_teams(self) -> list[TeamMeasures]:
        return [measures for measures in self.teams if measures.is_silent]

    @property
    def flagged_teams(self) -> list[TeamMeasures]:
        return [measures for measures in self.teams if measures.is_flagged]


def _tally_aggregates(
    prefix: str = "", *, first: datetime.date, last: datetime.date, suffix: str = ""
) -> dict:
    """Conditional aggregates over activities (``prefix`` reaches them from another model; ``suffix``
    tells the aggregates of one period from another's in the same query)."""
    in_period = Q(**{f"{prefix}held_on__range": (first, last)})
    pk = f"{prefix}pk" if prefix else "pk"

    def kind(value: str, **extra) -> Q:
        return in_period & Q(**{f"{prefix}kind": value}) & Q(**{f"{prefix}{k}": v for k, v in extra.items()})

    aggregates = {
        "n_activities": Count(pk, filter=in_period),
        "n_people": Sum(f"{prefix}people_reached", filter=in_period),
        "n_outreach": Count(pk, filter=kind(Activity.Kind.OUTREACH)),
        "n_interim": Count(
            pk, filter=kind(Activity.Kind.REVIEW_MEETING, review_kind=Activity.ReviewKind.INTERIM)
        ),
        "n_final": Count(
            pk, filter=kind(Activity.Kind.REVIEW_MEETING, review_kind=Activity.ReviewKind.FINAL)
        ),
        "n_visits": Count(pk, filter=kind(Activity.Kind.SUPPORT_VISIT)),
    }
    for channel in Activity.Channel.values:
        aggregates[f"channel_{channel}"] = Count(pk, filter=kind(Activity.Kind.OUTREACH, channel=channel))
    for organisation in Activity.MassOrganisation.values:
        aggregates[f"organisation_{organisation}"] = Count(
            pk,
            filter=kind(
                Activity.Kind.OUTREACH,
                channel=Activity.Channel.MASS_ORGANISATION,
                mass_organisation=organisation,
            ),
        )
    return {f"{name}{suffix}": aggregate for name, aggregate in aggregates.items()}


def _tally_from(row, suffix: str = "") -> Tally:
    def get(name):
        return row.get(f"{name}{suffix}") if isinstance(row, dict) else getattr(row, f"{name}{suffix}")

    return Tally(
        activities=get("n_activities"),
        people_reached=get("n_people") or 0,
        outreach_events=get("n_outreach"),
        interim_reviews=get("n_interim"),
        final_reviews=get("n_final"),
        support_visits=get("n_visits"),
        by_channel={channel: get(f"channel_{channel}") for channel in Activity.Channel.values},
        by_mass_organisation={
            organisation: get(f"organisation_{organisation}")
            for organisation in Activity.MassOrganisation.values
        },
    )


def _progress(tally: Tally, annual: dict[tuple[int, str], dict[int, int]], unit_id: int, period: Period):
    return [
        Progress(measure, tally.achieved(measure), pro_rate(annual.get((unit_id, measure), {}), period))
        for measure in ACTIVITY_MEASURES
    ]


def _flags(measures: TeamMeasures) -> list[Flag]:
    flags = []
    if measures.is_silent:
        flags.append(Flag("no_activity"))
    if measures.last_activity_on is None:
        flags.append(Flag("never"))
    elif measures.days_since_last_activity > SILENCE_DAYS:
        flags.append(
            Flag(
                "silent",
                (
                    ("days", measures.days_since_last_activity),
                    ("day", f"{measures.last_activity_on:%d/%m/%Y}"),
                ),
            )
        )
    for progress in measures.progress:
        if progress.is_under_half:
            flags.append(
                Flag(
                    "under_target",
                    (
                        ("measure", progress.measure),
                        ("achieved", progress.achieved),
                        ("target", progress.target),
                    ),
                )
            )
    return flags


def _team_period(team: Team, period: Period) -> Period:
    first = max(period.first, team.active_from) if team.active_from else period.first
    last = min(period.last, team.active_until) if team.active_until else period.last
    return Period(first, last)


def team_measures(teams, period: Period) -> list[TeamMeasures]:
    """The measures of each team (a queryset of teams), in two queries: teams with aggregates, targets."""
    [measures] = _team_measures_over(teams, [period])
    return measures


def _team_measures_over(teams, periods: list[Period]) -> list[list[TeamMeasures]]:
    """Each period's measures of every team of ``teams``, in two queries whatever the number of periods."""
    aggregates = {}
    hooks = app_modules("team_flags")
    for index, period in enumerate(periods):
        for hook in hooks:
            aggregates |= hook.annotations(period, f"_{index}")
        aggregates |= _tally_aggregates(
            "activities__", first=period.first, last=period.last, suffix=f"_{index}"
        )
        aggregates[f"last_activity_on_{index}"] = Max(
            "activities__held_on", filter=Q(activities__held_on__lte=period.last)
        )
    rows = list(teams.annotate(**aggregates).select_related("unit"))
    years = sorted({year for period in periods for year in period.years()})
    annual = annual_targets({team.unit_id for team in rows}, years)
    results = []
    for index, period in enumerate(periods):
        of_period = []
        for team in rows:
            own_period = _team_period(team, period)
            tally = _tally_from(team, f"_{index}")
            measures = TeamMeasures(
                team=team,
                period=own_period,
                tally=tally,
                last_activity_on=getattr(team, f"last_activity_on_{index}"),
                progress=_progress(tally, annual, team.unit_id, own_period),
            )
            measures.flags = _flags(measures) + [
                Flag(code, tuple(params.items()))
                for hook in hooks
                for code, params in hook.flags(team, f"_{index}")
            ]
            of_period.append(measures)
        results.append(of_period)
    return results


def unit_evenness(unit: AdminUnit, first: datetime.date, last: datetime.date) -> UnitEvenness:
    """The evenness measures of a unit's subtree over ``first``..``last``, in six queries."""
    [evenness] = unit_evenness_over(unit, [Period(first, last)])
    return evenness


def unit_evenness_over(unit: AdminUnit, periods: list[Period]) -> list[UnitEvenness]:
    """The evenness of a unit's subtree over each period, in six queries whatever the number of periods:
    every query counts all the periods at once."""
    # The subtree (a recursive CTE) goes into the queries as a subquery.
    subtree = in_subtree({unit.pk})

    def any_of(start: str, end: str) -> Q:
        return reduce(or_, (overlapping(p.first, p.last, start=start, end=end) for p in periods))

    units_of_periods = AdminUnit.objects.filter(pk__in=subtree).filter(any_of("valid_from", "valid_until"))
    # 1: the subtree's units valid during any of the periods.
    all_units = {other.pk: other for other in units_of_periods.in_vietnamese_order()}
    # 2 and 3: the teams with their aggregates, and the targets of their units.
    teams_of_periods = _team_measures_over(
        Team.objects.filter(unit_id__in=units_of_periods.values("pk"), kind__in=Team.SUPPORT_KINDS)
        .filter(any_of("active_from", "active_until"))
        .in_vietnamese_order(),
        periods,
    )
    # 4: the activities held in each unit of the subtree (one row per unit, not per activity).
    held = reduce(or_, (Q(held_on__range=(p.first, p.last)) for p in periods))
    per_unit_rows = list(
        Activity.objects.filter(held, unit_id__in=subtree)
        .values("unit_id")
        .annotate(
            **{
                name: aggregate
                for index, p in enumerate(periods)
                for name, aggregate in _tally_aggregates(
                    first=p.first, last=p.last, suffix=f"_{index}"
                ).items()
            }
        )
        .order_by()
    )
    # 5: support visits received, by the unit of the commune team supported.
    visit_counts = {}
    for index, p in enumerate(periods):
        in_period = Q(held_on__range=(p.first, p.last))
        visit_counts |= {
            f"visits_{index}": Count("pk", filter=in_period),
            f"last_visit_on_{index}": Max("held_on", filter=in_period),
        }
    visit_rows = list(
        Activity.objects.filter(
            held,
            kind=Activity.Kind.SUPPORT_VISIT,
            supported_team__unit_id__in=units_of_periods.values("pk"),
        )
        .values("supported_team__unit_id")
        .annotate(**visit_counts)
        .order_by()
    )
    # 6: the unit's own targets.
    annual = annual_targets({unit.pk}, sorted({year for p in periods for year in p.years()}))

    results = []
    for index, period in enumerate(periods):
        units = {
            pk: other
            for pk, other in all_units.items()
            if overlaps(other.valid_from, other.valid_until, period)
        }
        teams = [
            measures
            for measures in teams_of_periods[index]
            if measures.team.unit_id in units
            and overlaps(measures.team.active_from, measures.team.active_until, period)
        ]
        per_unit = {row["unit_id"]: _tally_from(row, f"_{index}") for row in per_unit_rows}
        per_unit = {unit_id: tally for unit_id, tally in per_unit.items() if tally.activities}
        tally = Tally()
        for unit_tally in per_unit.values():
            tally.add(unit_tally)
        visits = {
            row["supported_team__unit_id"]: (row[f"visits_{index}"], row[f"last_visit_on_{index}"])
            for row in visit_rows
        }
        results.append(
            UnitEvenness(
                unit=unit,
                period=period,
                tally=tally,
                progress=_progress(tally, annual, unit.pk, period),
                teams=teams,
                visits_per_commune=[
                    CommuneVisits(commune, *visits.get(commune.pk, (0, None)))
                    for commune in units.values()
                    if commune.level == AdminUnit.Level.COMMUNE
                ],
                sub_units=_sub_unit_rows(unit, units, per_unit, teams),
            )
        )
    return results


def _sub_unit_rows(unit, units, per_unit, teams) -> list[SubUnitRow]:
    """Roll each unit's activities and teams up to the row of the drill-down it lies under."""
    drill_down = DrillDown(unit, units)
    rows = {row.pk: SubUnitRow(row, Tally()) for row in drill_down.rows}
    for unit_id, unit_tally in per_unit.items():
        row_id = drill_down.row_of(unit_id)
        if row_id is not None:
            rows[row_id].tally.add(unit_tally)
    for team_measures in teams:
        row_id = drill_down.row_of(team_measures.team.unit_id)
        if row_id is not None:
            row = rows[row_id]
            row.team_count += 1
            row.silent_team_count += team_measures.is_silent
            row.flagged_team_count += team_measures.is_flagged
    return list(rows.values())
