"""The counts behind the projects' report section (projects/report_sections.py) and the support-spread
page (projects/views/spread.py), by unit.

For a unit's subtree and each named period ``first``..``last`` (both days included):

- new projects: registered in the period, by kind; startups started: startup or innovative projects
  with a step to "started" (not a correction) taken in the period; jobs created, of them women and
  young people: the jobs recorded on the projects registered in the period;
- projects by stage at the end of the period: the stage of each project's last step taken by then
  (projects registered by then); open projects are those not stopped then (these, the projects without
  support and those without an approved plan are the stock of projects/daily_figures.py, read where
  stored and counted where not);
- support: the supports given in the period (count, hours, value), by kind; projects supported: the
  projects that got at least one; per project: supports ÷ projects supported; the top 10 %: the share
  of the supports that went to the tenth of the supported projects (rounded up) that got the most;
  without support: open projects that got none in the six months up to the period's last day (the
  rule of projects/models/support.py, also the project list's);
- poverty-escape plans: approved in the period; escaped: the latest yearly review recorded by the
  period's end says "escaped" (projects/escape.py); under way: approved by then and not escaped;
  behind: under way with a milestone late on the period's last day (``Milestone.objects.late_on``),
  on track: the others; escaped in the period: escaped at its end and not on the day before it;
- models confirmed: confirmed by the council in the period; replications: projects that started
  replicating a model in the period; a poverty-escape project without an approved plan is one open
  at the end of the period whose plan was not approved by then;
- the communes' lists: the poor households of each commune's latest list up to the period's year
  and how many of them have a plan (written or approved), for the flags.

Seven statements whatever the number of projects, each counting every period at once (the lists and
the models only for the last period), and one for each period's end the stock is not stored for.
"""

import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field, fields
from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, Sum

from portal.figures import values_on
from portal.models.units import in_subtree
from portal.periods import Period
from portal.reporting import entry, mean, percent
from portal.targets import annual_targets, one_decimal, pro_rate
from projects.daily_figures import PORTFOLIO, STAGE, STAGES, UNSUPPORTED, WITHOUT_PLAN
from projects.escape import PlanCase, history
from projects.measures import HOUSEHOLDS_ESCAPED, JOBS_CREATED, PROJECTS_REGISTERED, STARTUPS_STARTED
from projects.models import (
    Category,
    HouseholdListing,
    Kind,
    PovertyPlan,
    Project,
    ProjectStep,
    Stage,
    SuccessModel,
    Support,
)

# The kinds of project that are startup enterprises (the programme's target).
STARTUP_KINDS = frozenset({Kind.STARTUP, Kind.INNOVATIVE})
# The share of the supported projects whose part of the support "spread thin" measures (per cent).
TOP_PERCENT = 10

SPAN_MEASURES = (PROJECTS_REGISTERED, STARTUPS_STARTED, JOBS_CREATED, HOUSEHOLDS_ESCAPED)


@dataclass
class Counts:
    registered: int = 0
    startups_started: int = 0
    jobs_created: int = 0
    jobs_women: int = 0
    jobs_young: int = 0
    open_projects: int = 0
    unsupported: int = 0
    without_plan: int = 0
    models_confirmed: int = 0
    replications: int = 0
    supports: int = 0
    hours: Decimal = Decimal(0)
    value: int = 0
    plans_approved: int = 0
    plans_under_way: int = 0
    plans_behind: int = 0
    late_milestones: int = 0
    escaped: int = 0
    escaped_new: int = 0
    # project id → supports it got in the period
    per_project: Counter = field(default_factory=Counter)

    def add(self, other: "Counts") -> None:
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.per_project.update(other.per_project)

    @property
    def plans_on_track(self) -> int:
        return self.plans_under_way - self.plans_behind

    @property
    def projects_supported(self) -> int:
        return len(self.per_project)

    @property
    def supports_per_project(self) -> float | None:
        return mean(self.supports, self.projects_supported)

    @property
    def top_share(self) -> float | None:
        return top_share(list(self.per_project.values()))

    @property
    def support_hours(self) -> float:
        return float(round(self.hours, 1))


COUNT_NAMES = tuple(f.name for f in fields(Counts) if f.name != "per_project")


def top_share(supports: list[int]) -> float | None:
    """Per cent of the supports that went to the TOP_PERCENT of the projects that got the most (the
    number of those projects rounded up); None when no project got any."""
    ranked = sorted((count for count in supports if count), reverse=True)
    if not ranked:
        return None
    top = math.ceil(len(ranked) * TOP_PERCENT / 100)
    return percent(sum(ranked[:top]), sum(ranked))


@dataclass
class Figures:
    counts: dict[tuple[str, int], Counts]  # (period, unit id)
    kinds: dict[tuple[str, str], int]  # (period, kind): new projects
    stages: dict[tuple[str, str], int]  # (period, stage at its end): projects
    support_kinds: dict[tuple[str, str], list]  # (period, kind): [supports, hours, value]
    plans: list[PlanCase] = field(default_factory=list)
    listings: dict[int, tuple[int, int, int]] = field(default_factory=dict)  # unit: (year, poor, planned)
    models: list[tuple[str, int, datetime.date, int]] = field(default_factory=list)

    def tally(self, which: str, unit_id: int) -> Counts:
        return entry(self.counts, (which, unit_id), Counts)


Spans = dict[str, tuple[datetime.date, datetime.date]]


def _within(name: str, span: tuple[datetime.date, datetime.date]) -> Q:
    return Q(**{f"{name}__range": span})


def count_projects(subtree, spans: Spans, figures: Figures) -> None:
    """The projects registered, started, confirmed as models and replicating in each period, by unit and
    kind (one statement)."""
    latest = max(last for _first, last in spans.values())
    annotations, tallies = {}, {}
    for which, (first, last) in spans.items():
        annotations[f"started_{which}"] = Exists(
            ProjectStep.objects.filter(
                project=OuterRef("pk"), stage=Stage.STARTED, is_correction=False
            ).filter(taken_on__range=(first, last))
        )
        registered = _within("registered_on", (first, last))
        tallies |= {
            f"registered_{which}": Count("pk", filter=registered),
            f"jobs_created_{which}": Sum("jobs_created", filter=registered),
            f"jobs_women_{which}": Sum("jobs_women", filter=registered),
            f"jobs_young_{which}": Sum("jobs_young", filter=registered),
            f"replications_{which}": Count("pk", filter=_within("replicates_since", (first, last))),
            f"models_confirmed_{which}": Count(
                "pk",
                filter=Q(success_model__status=SuccessModel.Status.CONFIRMED)
                & _within("success_model__decided_on", (first, last)),
            ),
        }
    rows = (
        Project.objects.filter(unit_id__in=subtree, registered_on__lte=latest)
        .annotate(**annotations)
        .values("unit_id", "kind", *annotations)
        .annotate(projects=Count("pk"), **tallies)
        .order_by()
    )
    for row in rows:
        for which in spans:
            tally = figures.tally(which, row["unit_id"])
            for name in ("registered", "jobs_created", "jobs_women", "jobs_young"):
                setattr(tally, name, getattr(tally, name) + (row[f"{name}_{which}"] or 0))
            tally.replications += row[f"replications_{which}"]
            tally.models_confirmed += row[f"models_confirmed_{which}"]
            if row[f"registered_{which}"]:
                figures.kinds[which, row["kind"]] = (
                    figures.kinds.get((which, row["kind"]), 0) + row[f"registered_{which}"]
                )
            if row[f"started_{which}"] and row["kind"] in STARTUP_KINDS:
                tally.startups_started += row["projects"]


def count_stages(subtree, spans: Spans, figures: Figures) -> None:
    """The projects by stage at the end of each period, the open ones, those without support and the
    poverty-escape ones without an approved plan: the stock of projects/daily_figures.py (two statements,
    and one for each period's end it is not stored for)."""
    on = values_on(PORTFOLIO, subtree, {last for _first, last in spans.values()})
    for which, (_first, last) in spans.items():
        for (day, measure, unit_id, subject), value in on.items():
            if day != last:
                continue
            tally = figures.tally(which, unit_id)
            if measure == UNSUPPORTED:
                tally.unsupported += value
            elif measure == WITHOUT_PLAN:
                tally.without_plan += value
            elif measure == STAGE:
                stage = STAGES[subject]
                figures.stages[which, stage] = figures.stages.get((which, stage), 0) + value
                tally.open_projects += value if stage != Stage.STOPPED else 0


def count_supports(subtree, spans: Spans, figures: Figures, *, by_kind: bool = True) -> None:
    """The supports given in each period by project, and by kind unless ``by_kind`` is false (one
    statement; the spread page needs no kinds and reads fewer rows)."""
    tallies = {}
    for which, span in spans.items():
        given = _within("given_on", span)
        tallies |= {
            f"supports_{which}": Count("pk", filter=given),
            f"hours_{which}": Sum("hours", filter=given),
            f"value_{which}": Sum("value", filter=given),
        }
    rows = (
        Support.objects.filter(project__unit_id__in=subtree)
        .filter(reduce(or_, (_within("given_on", span) for span in spans.values())))
        .values("project_id", "project__unit_id", *(["kind"] if by_kind else []))
        .annotate(**tallies)
        .order_by()
    )
    for row in rows:
        for which in spans:
            supports = row[f"supports_{which}"]
            if not supports:
                continue
            hours, value = row[f"hours_{which}"] or Decimal(0), row[f"value_{which}"] or 0
            tally = figures.tally(which, row["project__unit_id"])
            tally.supports += supports
            tally.hours += hours
            tally.value += value
            tally.per_project[row["project_id"]] += supports
            if not by_kind:
                continue
            kinds = figures.support_kinds.setdefault((which, row["kind"]), [0, Decimal(0), 0])
            kinds[0] += supports
            kinds[1] += hours
            kinds[2] += value


def count_plans(unit, spans: Spans, figures: Figures) -> None:
    """The approved plans with their reviews and their milestones late at the end of each period
    (one statement, projects/escape.py)."""
    names = list(spans)
    latest = max(last for _first, last in spans.values())
    figures.plans = history(unit, latest, late_on=[spans[which][1] for which in names])
    for case in figures.plans:
        for index, which in enumerate(names):
            first, last = spans[which]
            if case.approved_on > last:
                continue
            tally = figures.tally(which, case.unit_id)
            tally.plans_approved += first <= case.approved_on
            if case.escaped_on(last):
                tally.escaped += 1
                tally.escaped_new += not case.escaped_on(first - datetime.timedelta(days=1))
            else:
                tally.plans_under_way += 1
                tally.plans_behind += case.late[index] > 0
                tally.late_milestones += case.late[index]


def count_listings(subtree, last: datetime.date, figures: Figures) -> None:
    """Each unit's latest list of poor households up to ``last``'s year and how many of them have a
    plan (one statement)."""
    rows = (
        HouseholdListing.objects.filter(unit_id__in=subtree, year__lte=last.year, category=Category.POOR)
        .annotate(has_plan=Exists(PovertyPlan.objects.filter(household__head=OuterRef("head"))))
        .values("unit_id", "year")
        .annotate(households=Count("pk"), planned=Count("pk", filter=Q(has_plan=True)))
        .order_by("unit_id", "year")
    )
    for row in rows:  # the later year wins
        figures.listings[row["unit_id"]] = (row["year"], row["households"], row["planned"])


def count_models(subtree, last: datetime.date, figures: Figures) -> None:
    """The models confirmed by ``last`` and their replications by then (one statement)."""
    figures.models = list(
        SuccessModel.objects.confirmed()
        .filter(project__unit_id__in=subtree, decided_on__lte=last)
        .annotate(replicated=Count("replications", filter=Q(replications__replicates_since__lte=last)))
        .values_list("title", "project__unit_id", "decided_on", "replicated")
        .order_by("decided_on", "pk")
    )


def empty_figures() -> Figures:
    return Figures(counts={}, kinds={}, stages={}, support_kinds={})


def gather(unit, spans: Spans, current: str) -> Figures:
    """Every count of the section for each period (the lists and models for ``current`` only)."""
    subtree = in_subtree({unit.pk})
    figures = empty_figures()
    count_projects(subtree, spans, figures)
    count_stages(subtree, spans, figures)
    count_supports(subtree, spans, figures)
    count_plans(unit, spans, figures)
    count_listings(subtree, spans[current][1], figures)
    count_models(subtree, spans[current][1], figures)
    return figures


def gather_spread(unit, first: datetime.date, last: datetime.date) -> dict[int, Counts]:
    """The projects and the support given in ``first``..``last`` by unit (two statements)."""
    subtree = in_subtree({unit.pk})
    figures = empty_figures()
    spans = {"current": (first, last)}
    count_projects(subtree, spans, figures)
    count_stages(subtree, spans, figures)
    count_supports(subtree, spans, figures, by_kind=False)
    return {unit_id: counts for (_which, unit_id), counts in figures.counts.items()}


def targets_of(unit, spans: Spans) -> dict[str, dict]:
    """Each period's pro-rated targets of the unit's measures (one query)."""
    periods = {which: Period(*span) for which, span in spans.items()}
    annual = annual_targets({unit.pk}, sorted({year for p in periods.values() for year in p.years()}))
    targets: dict[str, dict] = {}
    for which, period in periods.items():
        targets[which] = {}
        for key in SPAN_MEASURES:
            value = pro_rate(annual.get((unit.pk, key), {}), period)
            targets[which][key] = None if value is None else float(one_decimal(value))
    return targets


def roll_up(counts: dict[int, Counts], rows, row_of) -> tuple[dict[int, Counts], Counts]:
    """The counts by unit added up to the drill-down rows (row id → Counts) and in all."""
    by_row = {row.pk: Counts() for row in rows}
    total = Counts()
    for unit_id, tally in counts.items():
        total.add(tally)
        row_id = row_of(unit_id)
        if row_id is not None:
            by_row[row_id].add(tally)
    return by_row, total


def by_period(figures: Figures, which: str) -> dict[int, Counts]:
    return {unit_id: tally for (period, unit_id), tally in figures.counts.items() if period == which}


def grouped(mapping: dict, which: str) -> dict:
    found: dict = defaultdict(int)
    for (period, key), value in mapping.items():
        if period == which:
            found[key] = value
    return dict(found)
