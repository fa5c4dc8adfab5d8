"""Survival by cohort: of the enterprises converted in a year, how many still trade 1, 2 and 3 years on.

For a unit's subtree and an as-of day:

- A cohort is the year of the first enterprise registration certificate (``registered_on``); only
  enterprises registered by the as-of day count.
- For 12, 24 and 36 months: an enterprise is *old enough* when ``registered_on`` + N months (the last
  day of a shorter month for a 29th–31st) is on or before the as-of day; those too young are left out
  of that column, never counted as survivors. Of those old enough, *trading* are the ones whose state
  on that day (the last OutcomeChange since on or before it) is operating or moved out of the
  province (TRADING_OUTCOMES); suspended, dissolved, bankrupt and returned to household business
  are not. An enterprise with no recorded change is operating since its registration.
- *Reverted* and *closed* count the enterprises whose state on the as-of day is "returned to
  household business", or dissolved or bankrupt (CLOSED_OUTCOMES), with the reasons recorded with
  that state.
- Drilled down by unit: the rows are the children, valid in the period, of the unit (portal/drilldown.py);
  a case on a commune that ended in the 2025 reform counts in the row of its successor.

The outcome history of the subtree is read in one query and the table computed in Python, so the
cost in queries does not grow with the number of conversions (three with the drill-down's units).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_noop as _

from conversions.models import Conversion, Outcome, OutcomeReason
from conversions.models.cases import CLOSED_OUTCOMES, TRADING_OUTCOMES
from portal.drilldown import DrillDown, successor_links
from portal.models import AdminUnit
from portal.models.units import in_subtree
from portal.reporting import column, percent, units_of_period

AGES = (12, 24, 36)


@dataclass(frozen=True)
class Case:
    """A registered enterprise and its states: (since, outcome, reasons), oldest first."""

    conversion_id: int
    unit_id: int
    registered_on: datetime.date
    changes: tuple[tuple[datetime.date, str, tuple[str, ...]], ...]

    def state_on(self, day: datetime.date) -> tuple[str, tuple[str, ...]]:
        state: tuple[str, tuple[str, ...]] = (Outcome.OPERATING, ())
        for since, outcome, reasons in self.changes:
            if since > day:
                break
            state = (outcome, reasons)
        return state


@dataclass
class AtAge:
    old_enough: int = 0
    trading: int = 0

    @property
    def share(self) -> float | None:
        """Per cent of those old enough still trading (None when none is old enough)."""
        return percent(self.trading, self.old_enough)


@dataclass
class Cohort:
    year: int | None  # None: every cohort pooled
    registered: int = 0
    at_age: dict[int, AtAge] = field(default_factory=lambda: {months: AtAge() for months in AGES})
    reverted: int = 0
    closed: int = 0
    reverted_reasons: Counter = field(default_factory=Counter)
    closed_reasons: Counter = field(default_factory=Counter)

    def count(self, case: Case, as_of: datetime.date) -> None:
        self.registered += 1
        for months, tally in self.at_age.items():
            day = case.registered_on + relativedelta(months=months)
            if day <= as_of:
                tally.old_enough += 1
                tally.trading += case.state_on(day)[0] in TRADING_OUTCOMES
        outcome, reasons = case.state_on(as_of)
        if outcome == Outcome.REVERTED:
            self.reverted += 1
            self.reverted_reasons.update(reasons)
        elif outcome in CLOSED_OUTCOMES:
            self.closed += 1
            self.closed_reasons.update(reasons)

    def add(self, other: "Cohort") -> None:
        self.registered += other.registered
        for months, tally in other.at_age.items():
            self.at_age[months].old_enough += tally.old_enough
            self.at_age[months].trading += tally.trading
        self.reverted += other.reverted
        self.closed += other.closed
        self.reverted_reasons.update(other.reverted_reasons)
        self.closed_reasons.update(other.closed_reasons)


@dataclass
class Survival:
    unit: AdminUnit
    as_of: datetime.date
    cohorts: list[Cohort]  # the subtree's, oldest year first
    rows: list[tuple[AdminUnit, list[Cohort]]]  # the drill-down rows' (empty below a commune)

    @property
    def pooled(self) -> Cohort:
        return pool(self.cohorts)


def reason_label(code: str):
    """A reason code's label; a code no longer in the list is shown as it is."""
    return OutcomeReason(code).label if code in OutcomeReason.values else code


def pool(cohorts: list[Cohort]) -> Cohort:
    total = Cohort(None)
    for cohort in cohorts:
        total.add(cohort)
    return total


def history(unit: AdminUnit, as_of: datetime.date) -> list[Case]:
    """The enterprises of the unit's subtree registered by ``as_of``, each with its states (one query)."""
    rows = (
        Conversion.objects.registered()
        .filter(unit_id__in=in_subtree({unit.pk}), registered_on__lte=as_of)
        .values_list(
            "pk", "unit_id", "registered_on", "outcomes__since", "outcomes__outcome", "outcomes__reasons"
        )
        .order_by("pk", "outcomes__since", "outcomes__pk")
    )
    cases: dict[int, Case] = {}
    changes: dict[int, list] = {}
    for pk, unit_id, registered_on, since, outcome, reasons in rows:
        if pk not in cases:
            cases[pk] = Case(pk, unit_id, registered_on, ())
            changes[pk] = []
        if since is not None:
            changes[pk].append((since, outcome, tuple(reasons or ())))
    return [
        Case(case.conversion_id, case.unit_id, case.registered_on, tuple(changes[pk]))
        for pk, case in cases.items()
    ]


def cohorts_of(cases: list[Case], as_of: datetime.date) -> list[Cohort]:
    """The cohorts of the cases registered by ``as_of``, oldest year first."""
    cohorts: dict[int, Cohort] = {}
    for case in cases:
        if case.registered_on <= as_of:
            year = case.registered_on.year
            cohorts.setdefault(year, Cohort(year)).count(case, as_of)
    return [cohorts[year] for year in sorted(cohorts)]


def by_row(cases: list[Case], as_of: datetime.date, drill_down: DrillDown) -> dict[int, list[Cohort]]:
    """The cohorts of each drill-down row (row id → cohorts); cases outside the rows are left out."""
    grouped: dict[int, list[Case]] = {row.pk: [] for row in drill_down.rows}
    for case in cases:
        row_id = drill_down.row_of(case.unit_id)
        if row_id is not None:
            grouped[row_id].append(case)
    return {row_id: cohorts_of(row_cases, as_of) for row_id, row_cases in grouped.items()}


def survival_by_cohort(
    unit: AdminUnit, as_of: datetime.date, *, since: datetime.date | None = None
) -> Survival:
    """The survival table of the unit's subtree on ``as_of``, drilled down to the rows of the units
    valid from ``since`` (the as-of day when omitted) to ``as_of``; three queries."""
    units = units_of_period(unit, since or as_of, as_of)
    drill_down = DrillDown(unit, units, successor_links(in_subtree({unit.pk})))
    cases = history(unit, as_of)
    rows = by_row(cases, as_of, drill_down)
    return Survival(
        unit=unit,
        as_of=as_of,
        cohorts=cohorts_of(cases, as_of),
        rows=[(row, rows[row.pk]) for row in drill_down.rows],
    )


# The survival table as the report section and the pages show it (labels untranslated).
def cohort_cells(cohort: Cohort) -> list:
    """A cohort's cells under SURVIVAL_COLUMNS (after the year)."""
    cells: list = [cohort.registered]
    for months in AGES:
        at_age = cohort.at_age[months]
        cells += [at_age.old_enough, at_age.trading, at_age.share]
    return [*cells, cohort.reverted, cohort.closed]


SURVIVAL_COLUMNS = [
    column("cohort", _("Year of conversion"), "text"),
    column("registered", _("Enterprises")),
    column("old_enough_12", _("12 months old")),
    column("trading_12", _("Trading at 12 months")),
    column("share_12", _("Trading at 12 months (%)"), "percent"),
    column("old_enough_24", _("24 months old")),
    column("trading_24", _("Trading at 24 months")),
    column("share_24", _("Trading at 24 months (%)"), "percent"),
    column("old_enough_36", _("36 months old")),
    column("trading_36", _("Trading at 36 months")),
    column("share_36", _("Trading at 36 months (%)"), "percent"),
    column("reverted", _("Returned to household business")),
    column("closed", _("Closed")),
]
