"""Poverty escape by cohort: of the plans approved in a year, how many led the household out of poverty.

For a unit's subtree and an as-of day:

- A cohort is the year a plan was approved (``approved_on``); only plans approved by the as-of day
  count, whatever became of their project since.
- A plan *led out of poverty* when the household's latest yearly review (the latest year) recorded
  by the as-of day says "escaped poverty". A household that escaped and fell back at a later review
  does not count, nor one whose review says still poor or near-poor; a plan not reviewed yet is
  counted among the approved ones only.
- The *share* of a cohort is the plans that led out of poverty ÷ its approved plans.
- Drilled down by unit as in portal/drilldown.py: a plan on a commune that ended in the 2025 reform
  counts in its successor's row.

The plans and their reviews are read in one query (with, on request, their milestones late on given
days) and the cohorts computed in Python, whatever the number of plans.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from portal.drilldown import DrillDown
from portal.models.units import in_subtree
from portal.reporting import percent
from projects.models import Milestone, PovertyPlan, ReviewResult


@dataclass(frozen=True)
class PlanCase:
    """An approved plan, its reviews (reviewed on, year, result; by year) and its late milestones."""

    plan_id: int
    unit_id: int
    approved_on: datetime.date
    reviews: tuple[tuple[datetime.date, int, str], ...]
    late: tuple[int, ...] = ()  # milestones late on each day asked for, in their order

    def result_on(self, day: datetime.date) -> str | None:
        """The result of the latest year's review recorded by ``day`` (None: not reviewed by then)."""
        result = None
        for reviewed_on, _year, found in self.reviews:
            if reviewed_on <= day:
                result = found
        return result

    def escaped_on(self, day: datetime.date) -> bool:
        return self.result_on(day) == ReviewResult.ESCAPED


@dataclass
class Cohort:
    year: int | None  # None: every cohort pooled
    approved: int = 0
    escaped: int = 0
    fell_back: int = 0

    @property
    def share(self) -> float | None:
        """Per cent of the approved plans that led out of poverty (None without plans)."""
        return percent(self.escaped, self.approved)

    def count(self, case: PlanCase, as_of: datetime.date) -> None:
        result = case.result_on(as_of)
        self.approved += 1
        self.escaped += result == ReviewResult.ESCAPED
        self.fell_back += result == ReviewResult.FELL_BACK

    def add(self, other: "Cohort") -> None:
        self.approved += other.approved
        self.escaped += other.escaped
        self.fell_back += other.fell_back


def pool(cohorts: list[Cohort]) -> Cohort:
    total = Cohort(None)
    for cohort in cohorts:
        total.add(cohort)
    return total


def _late_count(day: datetime.date) -> Coalesce:
    late = (
        Milestone.objects.late_on(day)
        .filter(plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(late=Count("pk"))
        .values("late")
    )
    return Coalesce(Subquery(late, output_field=IntegerField()), 0)


def history(unit, as_of: datetime.date, *, late_on: Sequence[datetime.date] = ()) -> list[PlanCase]:
    """The plans of the unit's subtree approved by ``as_of``, each with its reviews and the number of
    its milestones late on each day of ``late_on`` (one query)."""
    late_names = [f"late_{index}" for index in range(len(late_on))]
    rows = (
        PovertyPlan.objects.approved()
        .filter(project__unit_id__in=in_subtree({unit.pk}), approved_on__lte=as_of)
        .annotate(**{name: _late_count(day) for name, day in zip(late_names, late_on, strict=True)})
        .values_list(
            "pk",
            "project__unit_id",
            "approved_on",
            *late_names,
            "reviews__reviewed_on",
            "reviews__year",
            "reviews__result",
        )
        .order_by("pk", "reviews__year")
    )
    cases: dict[int, tuple] = {}
    reviews: dict[int, list] = {}
    for pk, unit_id, approved_on, *rest in rows:
        late, (reviewed_on, year, result) = tuple(rest[: len(late_names)]), rest[len(late_names) :]
        if pk not in cases:
            cases[pk] = (unit_id, approved_on, late)
            reviews[pk] = []
        if year is not None:
            reviews[pk].append((reviewed_on, year, result))
    return [
        PlanCase(pk, unit_id, approved_on, tuple(reviews[pk]), late)
        for pk, (unit_id, approved_on, late) in cases.items()
    ]


def cohorts_of(cases: list[PlanCase], as_of: datetime.date) -> list[Cohort]:
    """The cohorts of the plans approved by ``as_of``, oldest year first."""
    cohorts: dict[int, Cohort] = {}
    for case in cases:
        if case.approved_on <= as_of:
            year = case.approved_on.year
            cohorts.setdefault(year, Cohort(year)).count(case, as_of)
    return [cohorts[year] for year in sorted(cohorts)]


def by_row(cases: list[PlanCase], as_of: datetime.date, drill_down: DrillDown) -> dict[int, list[Cohort]]:
    """The cohorts of each drill-down row (row id → cohorts); plans outside the rows are left out."""
    grouped: dict[int, list[PlanCase]] = {row.pk: [] for row in drill_down.rows}
    for case in cases:
        row_id = drill_down.row_of(case.unit_id)
        if row_id is not None:
            grouped[row_id].append(case)
    return {row_id: cohorts_of(row_cases, as_of) for row_id, row_cases in grouped.items()}


def escape_by_cohort(unit, as_of: datetime.date) -> list[Cohort]:
    """The unit's cohorts on ``as_of`` (one query)."""
    return cohorts_of(history(unit, as_of), as_of)
