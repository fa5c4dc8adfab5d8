"""The conversions' section of the review report: household businesses becoming enterprises.

The counts are defined in conversions/report_figures.py, survival in conversions/survival.py (on the
last day of each period). By unit: the rows of the drill-down (portal/drilldown.py); a case on a
commune that ended in the 2025 reform counts in its successor's row. Flags:

- a commune with cases in the pipeline at the end of the period and no enterprise registered in it;
- a commune with follow-up visits more than 30 days late at the end of the period;
- a cohort of which less than 80 % still traded 12 months after its conversion.

Seven queries whatever the number of cases: the units of the period, the subtree's successor links,
the unit's targets, three grouped counts (conversions/report_figures.py) and the outcome history.
"""

import datetime

from django.utils.translation import gettext_noop as _

from conversions.measures import CANDIDATES_IDENTIFIED, CONVERSIONS_REGISTERED
from conversions.models import STAGE_ORDER, OutcomeReason, Stage
from conversions.report_figures import Counts, gather, targets_of
from conversions.survival import (
    AGES,
    SURVIVAL_COLUMNS,
    Cohort,
    by_row,
    cohort_cells,
    cohorts_of,
    history,
    pool,
)
from conversions.team_flags import LATE_DAYS
from portal.drilldown import DrillDown, in_units, successor_links
from portal.models.units import in_subtree
from portal.reporting import column, flag, measure, units_of_period, untranslated

# A cohort of which fewer still trade 12 months after conversion is flagged.
SURVIVAL_FLAG_PERCENT = 80

CURRENT, PREVIOUS = "current", "previous"

UNIT_COLUMNS = [
    column("identified", _("Candidates identified")),
    column("advised", _("Advised")),
    column("registered", _("Converted")),
    column("in_pipeline", _("In the pipeline")),
    column("visits_due", _("Visits due")),
    column("visits_done", _("Visits done")),
    column("visits_late", _("Visits late")),
    column("reverted", _("Returned to household business")),
    column("closed", _("Closed")),
    column("survival_12", _("Trading after 12 months (%)"), "percent"),
]


def _unit_cells(counts: Counts, cohort: Cohort) -> list:
    return [
        counts.identified,
        counts.advised,
        counts.registered,
        counts.in_pipeline,
        counts.visits_due,
        counts.visits_done,
        counts.visits_late,
        cohort.reverted,
        cohort.closed,
        cohort.at_age[12].share,
    ]


def _measures(counts: Counts, pooled: Cohort, targets: dict[str, float | None]) -> list[dict]:
    return [
        measure(
            "candidates_identified",
            _("Candidates identified"),
            counts.identified,
            target=targets[CANDIDATES_IDENTIFIED],
        ),
        measure("advised", _("Candidates advised"), counts.advised),
        measure(
            "conversions_registered",
            _("Household businesses converted to enterprises"),
            counts.registered,
            target=targets[CONVERSIONS_REGISTERED],
        ),
        measure("in_pipeline", _("Cases in the pipeline"), counts.in_pipeline),
        measure("visits_due", _("Follow-up visits due"), counts.visits_due),
        measure("visits_done", _("Follow-up visits done"), counts.visits_done),
        measure("visits_late", _("Follow-up visits late"), counts.visits_late),
        measure("entitlements_granted", _("Entitlements granted"), counts.granted),
        measure("entitlements_ending", _("Entitlements ending"), counts.ending),
        measure("reverted", _("Enterprises returned to household business"), pooled.reverted),
        measure("closed", _("Enterprises dissolved or bankrupt"), pooled.closed),
        measure(
            "survival_12",
            _("Enterprises trading 12 months after conversion"),
            pooled.at_age[12].share,
            format="percent",
        ),
    ]


def _flags(unit, units, by_commune: dict[int, Counts], cohorts: list[Cohort]) -> list[dict]:
    flags = []
    for commune_id in [pk for pk in units if pk in by_commune]:  # in Vietnamese order
        counts, name = by_commune[commune_id], units[commune_id].name
        if counts.in_pipeline and not counts.registered:
            flags.append(
                flag(
                    name,
                    _("%(candidates)s cases in the pipeline and no enterprise registered in the period."),
                    candidates=counts.in_pipeline,
                )
            )
        if counts.visits_very_late:
            flags.append(
                flag(
                    name,
                    _("%(visits)s follow-up visits more than %(days)s days late."),
                    visits=counts.visits_very_late,
                    days=LATE_DAYS,
                )
            )
    for cohort in cohorts:
        at_age = cohort.at_age[12]
        if at_age.share is not None and at_age.share < SURVIVAL_FLAG_PERCENT:
            flags.append(
                flag(
                    unit.name,
                    _(
                        "Conversions of %(year)s: %(share)s %% still trading 12 months on "
                        "(%(trading)s of %(enterprises)s)."
                    ),
                    year=str(cohort.year),
                    share=at_age.share,
                    trading=at_age.trading,
                    enterprises=at_age.old_enough,
                )
            )
    return flags


def _tables(unit_rows, total: Counts, cohorts: list[Cohort], stages: dict[str, int], entitlements) -> list:
    pooled = pool(cohorts)
    tables = []
    if unit_rows:
        tables.append(
            {
                "key": "by_unit",
                "title": _("By unit"),
                "columns": [column("unit", _("Unit"), "text"), *UNIT_COLUMNS],
                "rows": [
                    {"unit_id": row.pk, "cells": [row.name, *_unit_cells(counts, pool(row_cohorts))]}
                    for row, counts, row_cohorts in unit_rows
                ],
                "total": [_("Total"), *_unit_cells(total, pooled)],
            }
        )
    stage_rows = [
        {"unit_id": None, "cells": [untranslated(Stage(s).label), stages.get(s, 0)]} for s in STAGE_ORDER
    ]
    reasons = [
        (
            untranslated(reason.label),
            pooled.reverted_reasons[reason.value],
            pooled.closed_reasons[reason.value],
        )
        for reason in OutcomeReason
        if pooled.reverted_reasons[reason.value] or pooled.closed_reasons[reason.value]
    ]
    tables += [
        {
            "key": "pipeline",
            "title": _("Cases by stage at the end of the period"),
            "columns": [column("stage", _("Stage"), "text"), column("cases", _("Cases"))],
            "rows": stage_rows,
            "total": [_("Total"), sum(stages.values())],
        },
        {
            "key": "survival",
            "title": _("Survival by year of conversion (— : not yet that old)"),
            "columns": SURVIVAL_COLUMNS,
            "rows": [{"unit_id": None, "cells": [str(c.year), *cohort_cells(c)]} for c in cohorts],
            "total": [_("All years"), *cohort_cells(pooled)],
        },
        {
            "key": "reasons",
            "title": _("Why enterprises went back or closed"),
            "columns": [
                column("reason", _("Reason"), "text"),
                column("reverted", _("Returned to household business")),
                column("closed", _("Closed")),
            ],
            "rows": [{"unit_id": None, "cells": list(cells)} for cells in reasons],
            "total": None,
        },
        {
            "key": "entitlements",
            "title": _("Entitlements granted and ending"),
            "columns": [
                column("entitlement", _("Entitlement"), "text"),
                column("granted", _("Granted")),
                column("ending", _("Ending")),
            ],
            "rows": [
                {"unit_id": None, "cells": [name, *entitlements[name]]}
                for name in sorted(entitlements)
                if any(entitlements[name])
            ],
            "total": [_("Total"), total.granted, total.ending],
        },
    ]
    return tables


def _charts(unit_rows, cohorts: list[Cohort]) -> list[dict]:
    charts = []
    if unit_rows:
        charts.append(
            {
                "key": "conversions_by_unit",
                "title": _("Candidates and conversions, by unit"),
                "categories": [row.name for row, *_rest in unit_rows],
                "series": [
                    {
                        "label": _("Candidates identified"),
                        "values": [c.identified for _r, c, _h in unit_rows],
                    },
                    {"label": _("Converted"), "values": [c.registered for _r, c, _h in unit_rows]},
                ],
            }
        )
    charts.append(
        {
            "key": "survival_by_cohort",
            "title": _("Share still trading, by year of conversion (%)"),
            "categories": [str(cohort.year) for cohort in cohorts],
            "series": [
                {"label": label, "values": [cohort.at_age[months].share for cohort in cohorts]}
                for months, label in zip(AGES, (_("12 months"), _("24 months"), _("36 months")), strict=True)
            ],
        }
    )
    return charts


class ConversionSection:
    key = "conversions"
    title = _("Household businesses becoming enterprises")
    order = 30

    def build(self, unit, period: tuple[datetime.date, datetime.date], previous) -> dict:
        spans = {CURRENT: period, PREVIOUS: previous}
        units = units_of_period(unit, *period)
        successors = successor_links(in_subtree({unit.pk}))
        drill_down = DrillDown(unit, units, successors)
        targets = targets_of(unit, spans)
        figures = gather(unit, spans)
        cases = history(unit, period[1])
        cohorts = {which: cohorts_of(cases, last) for which, (_first, last) in spans.items()}
        totals = {CURRENT: Counts(), PREVIOUS: Counts()}
        by_unit_row = {row.pk: Counts() for row in drill_down.rows}
        by_commune: dict[int, Counts] = {}
        for (which, unit_id), counts in figures.counts.items():
            totals[which].add(counts)
            if which == PREVIOUS:
                continue
            row_id = drill_down.row_of(unit_id)
            if row_id is not None:
                by_unit_row[row_id].add(counts)
            commune_id = in_units(unit_id, units, successors)
            if commune_id is not None:
                by_commune.setdefault(commune_id, Counts()).add(counts)
        stages: dict[str, int] = {}
        for (which, _unit_id, stage), count in figures.stages.items():
            if which == CURRENT:
                stages[stage] = stages.get(stage, 0) + count
        survival_rows = by_row(cases, period[1], drill_down)
        unit_rows = [(row, by_unit_row[row.pk], survival_rows[row.pk]) for row in drill_down.rows]
        entitlements = {
            name: tally for (which, name), tally in figures.entitlements.items() if which == CURRENT
        }
        measures = _measures(totals[CURRENT], pool(cohorts[CURRENT]), targets[CURRENT])
        earlier = _measures(totals[PREVIOUS], pool(cohorts[PREVIOUS]), targets[PREVIOUS])
        for current, before in zip(measures, earlier, strict=True):
            current["previous"] = before["value"]
        return {
            "measures": measures,
            "tables": _tables(unit_rows, totals[CURRENT], cohorts[CURRENT], stages, entitlements),
            "charts": _charts(unit_rows, cohorts[CURRENT]),
            "flags": _flags(unit, units, by_commune, cohorts[CURRENT]),
        }


SECTIONS = [ConversionSection()]
