"""The projects' section of the review report: startup projects and poverty escape.

The counts are defined in projects/report_figures.py, the escape by cohort in projects/escape.py. By
unit: the rows of the drill-down (portal/drilldown.py); a project on a commune that ended in the 2025
reform counts in its successor's row. Flags, by commune:

- poverty-escape projects open at the end of the period without an approved plan;
- milestones of the plans under way late on the period's last day;
- poor households on the commune's latest list up to the period's year and not one with a plan.

Eight queries whatever the number of projects: the units of the period, the subtree's successor
links, the unit's targets and five statements (projects/report_figures.py).
"""

import datetime

from django.utils.translation import gettext_noop as _

from portal.drilldown import DrillDown, in_units, successor_links
from portal.models.units import in_subtree
from portal.reporting import column, flag, measure, units_of_period, untranslated
from projects.escape import Cohort, by_row, cohorts_of, pool
from projects.measures import HOUSEHOLDS_ESCAPED, JOBS_CREATED, PROJECTS_REGISTERED, STARTUPS_STARTED
from projects.models import FORWARD_STAGES, Kind, Stage, SupportKind
from projects.report_figures import (
    Counts,
    Figures,
    by_period,
    gather,
    grouped,
    roll_up,
    targets_of,
)

CURRENT, PREVIOUS = "current", "previous"

UNIT_COLUMNS = [
    column("registered", _("New projects")),
    column("startups_started", _("Startups started")),
    column("jobs_created", _("Jobs created")),
    column("supports", _("Supports given")),
    column("projects_supported", _("Projects supported")),
    column("supports_per_project", _("Supports per project supported"), "decimal"),
    column("top_share", _("Support to the top 10 % of projects (%)"), "percent"),
    column("unsupported", _("Projects with no support in 6 months")),
    column("plans_approved", _("Plans approved")),
    column("plans_behind", _("Plans behind")),
    column("escaped", _("Households out of poverty")),
    column("escape_share", _("Plans that led out of poverty (%)"), "percent"),
    column("models_confirmed", _("Models confirmed")),
    column("replications", _("Replications")),
]


def _unit_cells(counts: Counts, escape: Cohort) -> list:
    return [
        counts.registered,
        counts.startups_started,
        counts.jobs_created,
        counts.supports,
        counts.projects_supported,
        counts.supports_per_project,
        counts.top_share,
        counts.unsupported,
        counts.plans_approved,
        counts.plans_behind,
        counts.escaped,
        escape.share,
        counts.models_confirmed,
        counts.replications,
    ]


def _measures(counts: Counts, escape: Cohort, targets: dict[str, float | None]) -> list[dict]:
    return [
        measure(
            "projects_registered",
            _("New projects registered"),
            counts.registered,
            target=targets[PROJECTS_REGISTERED],
        ),
        measure(
            "startups_started",
            _("Startup enterprises started"),
            counts.startups_started,
            target=targets[STARTUPS_STARTED],
        ),
        measure(
            "jobs_created",
            _("Jobs created by the new projects"),
            counts.jobs_created,
            target=targets[JOBS_CREATED],
        ),
        measure("jobs_women", _("Jobs created for women"), counts.jobs_women),
        measure("jobs_young", _("Jobs created for young people"), counts.jobs_young),
        measure("supports", _("Supports given"), counts.supports),
        measure("support_hours", _("Hours of support"), counts.support_hours, format="decimal"),
        measure("support_value", _("Value of support (đồng)"), counts.value),
        measure("projects_supported", _("Projects supported"), counts.projects_supported),
        measure(
            "supports_per_project",
            _("Supports per project supported"),
            counts.supports_per_project,
            format="decimal",
        ),
        measure(
            "top_share",
            _("Share of support going to the top 10 % of projects"),
            counts.top_share,
            format="percent",
        ),
        measure("projects_unsupported", _("Open projects with no support in 6 months"), counts.unsupported),
        measure("plans_approved", _("Poverty-escape plans approved"), counts.plans_approved),
        measure("plans_on_track", _("Poverty-escape plans on track"), counts.plans_on_track),
        measure("plans_behind", _("Poverty-escape plans behind (a milestone late)"), counts.plans_behind),
        measure(
            "households_escaped",
            _("Households that escaped poverty in the period"),
            counts.escaped_new,
            target=targets[HOUSEHOLDS_ESCAPED],
        ),
        measure("plans_escaped", _("Plans that led out of poverty (to date)"), counts.escaped),
        measure(
            "escape_share",
            _("Share of approved plans that led out of poverty"),
            escape.share,
            format="percent",
        ),
        measure("models_confirmed", _("Success models confirmed"), counts.models_confirmed),
        measure("replications", _("Replications of success models"), counts.replications),
    ]


def _flags(units, by_commune: dict[int, Counts], listings: dict[int, tuple[int, int, int]]) -> list[dict]:
    flags = []
    for commune_id in [pk for pk in units if pk in by_commune or pk in listings]:  # in Vietnamese order
        counts, name = by_commune.get(commune_id, Counts()), units[commune_id].name
        if counts.without_plan:
            flags.append(
                flag(
                    name,
                    _("%(projects)s poverty-escape projects without an approved plan."),
                    projects=counts.without_plan,
                )
            )
        if counts.late_milestones:
            flags.append(
                flag(
                    name,
                    _("%(milestones)s milestones of poverty-escape plans late (%(plans)s plans behind)."),
                    milestones=counts.late_milestones,
                    plans=counts.plans_behind,
                )
            )
        year, households, planned = listings.get(commune_id, (None, 0, 0))
        if households and not planned:
            flags.append(
                flag(
                    name,
                    _("%(households)s poor households on the %(year)s list and no poverty-escape plan."),
                    households=households,
                    year=str(year),
                )
            )
    return flags


def _cohort_cells(cohort: Cohort) -> list:
    return [cohort.approved, cohort.escaped, cohort.fell_back, cohort.share]


def _tables(unit_rows, total: Counts, figures: Figures, cohorts: list[Cohort], unit_name) -> list:
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
                "total": [_("Total"), *_unit_cells(total, pool(cohorts))],
            }
        )
    kinds = grouped(figures.kinds, CURRENT)
    stages = grouped(figures.stages, CURRENT)
    support_kinds = grouped(figures.support_kinds, CURRENT)
    supports = [support_kinds.get(kind.value, [0, 0, 0]) for kind in SupportKind]
    tables += [
        {
            "key": "kinds",
            "title": _("New projects by kind"),
            "columns": [column("kind", _("Kind"), "text"), column("projects", _("Projects"))],
            "rows": [
                {"unit_id": None, "cells": [untranslated(kind.label), kinds.get(kind.value, 0)]}
                for kind in Kind
            ],
            "total": [_("Total"), sum(kinds.values())],
        },
        {
            "key": "stages",
            "title": _("Projects by stage at the end of the period"),
            "columns": [column("stage", _("Stage"), "text"), column("projects", _("Projects"))],
            "rows": [
                {"unit_id": None, "cells": [untranslated(stage.label), stages.get(stage.value, 0)]}
                for stage in [*FORWARD_STAGES, Stage.STOPPED]
            ],
            "total": [_("Total"), sum(stages.values())],
        },
        {
            "key": "support_kinds",
            "title": _("Support given by kind"),
            "columns": [
                column("kind", _("Kind of support"), "text"),
                column("supports", _("Supports")),
                column("hours", _("Hours"), "decimal"),
                column("value", _("Value (đồng)")),
            ],
            "rows": [
                {
                    "unit_id": None,
                    "cells": [untranslated(kind.label), count, float(round(hours, 1)), value],
                }
                for kind, (count, hours, value) in zip(SupportKind, supports, strict=True)
            ],
            "total": [_("Total"), total.supports, total.support_hours, total.value],
        },
        {
            "key": "escape",
            "title": _("Poverty-escape plans by year approved"),
            "columns": [
                column("cohort", _("Year approved"), "text"),
                column("approved", _("Plans approved")),
                column("escaped", _("Out of poverty")),
                column("fell_back", _("Fell back into poverty")),
                column("share", _("Led out of poverty (%)"), "percent"),
            ],
            "rows": [{"unit_id": None, "cells": [str(c.year), *_cohort_cells(c)]} for c in cohorts],
            "total": [_("All years"), *_cohort_cells(pool(cohorts))],
        },
        {
            "key": "models",
            "title": _("Success models and their replications"),
            "columns": [
                column("model", _("Model"), "text"),
                column("unit", _("Unit"), "text"),
                column("confirmed_on", _("Confirmed on"), "date"),
                column("replications", _("Replications")),
            ],
            "rows": [
                {
                    "unit_id": None,
                    "cells": [title, unit_name(unit_id), decided_on.isoformat(), replicated],
                }
                for title, unit_id, decided_on, replicated in figures.models
            ],
            "total": [_("Total"), "", "", sum(model[3] for model in figures.models)],
        },
    ]
    return tables


def _charts(unit_rows, cohorts: list[Cohort]) -> list[dict]:
    charts = []
    if unit_rows:
        charts.append(
            {
                "key": "projects_by_unit",
                "title": _("New projects and projects supported, by unit"),
                "categories": [row.name for row, *_rest in unit_rows],
                "series": [
                    {"label": _("New projects"), "values": [c.registered for _r, c, _h in unit_rows]},
                    {
                        "label": _("Projects supported"),
                        "values": [c.projects_supported for _r, c, _h in unit_rows],
                    },
                ],
            }
        )
    charts.append(
        {
            "key": "escape_by_cohort",
            "title": _("Plans that led out of poverty, by year approved (%)"),
            "categories": [str(cohort.year) for cohort in cohorts],
            "series": [{"label": _("Led out of poverty"), "values": [c.share for c in cohorts]}],
        }
    )
    return charts


class ProjectSection:
    key = "projects"
    title = _("Startup projects and poverty escape")
    order = 40
    more = ("model_list", _("Success models and their replications"))

    def build(self, unit, period: tuple[datetime.date, datetime.date], previous) -> dict:
        spans = {CURRENT: period, PREVIOUS: previous}
        units = units_of_period(unit, *period)
        successors = successor_links(in_subtree({unit.pk}))
        drill_down = DrillDown(unit, units, successors)
        targets = targets_of(unit, spans)
        figures = gather(unit, spans, CURRENT)
        current = by_period(figures, CURRENT)
        by_unit_row, total = roll_up(current, drill_down.rows, drill_down.row_of)
        _rows, earlier = roll_up(by_period(figures, PREVIOUS), [], lambda unit_id: None)
        by_commune: dict[int, Counts] = {}
        for unit_id, counts in current.items():
            commune_id = in_units(unit_id, units, successors)
            if commune_id is not None:
                by_commune.setdefault(commune_id, Counts()).add(counts)
        listings: dict[int, tuple[int, int, int]] = {}
        for unit_id, (year, households, planned) in sorted(figures.listings.items(), key=lambda i: i[1][0]):
            commune_id = in_units(unit_id, units, successors)
            if commune_id is not None:  # the latest year wins; lists of the same year add up
                known = listings.get(commune_id)
                if known is not None and known[0] == year:
                    households, planned = households + known[1], planned + known[2]
                listings[commune_id] = (year, households, planned)

        def unit_name(unit_id: int) -> str:
            """The name of the unit of the period the project's unit is or succeeded to."""
            found = in_units(unit_id, units, successors)
            return "" if found is None else units[found].name

        cohorts = {which: cohorts_of(figures.plans, last) for which, (_first, last) in spans.items()}
        escape_rows = by_row(figures.plans, period[1], drill_down)
        unit_rows = [(row, by_unit_row[row.pk], escape_rows[row.pk]) for row in drill_down.rows]
        measures = _measures(total, pool(cohorts[CURRENT]), targets[CURRENT])
        before = _measures(earlier, pool(cohorts[PREVIOUS]), targets[PREVIOUS])
        for now, then in zip(measures, before, strict=True):
            now["previous"] = then["value"]
        return {
            "measures": measures,
            "tables": _tables(unit_rows, total, figures, cohorts[CURRENT], unit_name),
            "charts": _charts(unit_rows, cohorts[CURRENT]),
            "flags": _flags(units, by_commune, listings),
        }


SECTIONS = [ProjectSection()]
