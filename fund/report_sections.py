"""The fund's section of the review report: the startup investment fund ("Quỹ đầu tư khởi nghiệp").

The counts are defined in fund/report_figures.py. By unit: the rows of the drill-down
(portal/drilldown.py); an application or a loan of a commune that ended in the 2025 reform counts in
its successor's row. Flags:

- a fund with no regulation in force on the period's last day (it cannot judge an application);
- a fund whose PAR30 at the period's end is above ``PAR30_LIMIT`` per cent;
- by commune, applications past their reply deadline at the period's end;
- a fund whose ledger differs (fund/ledger_check.py, without the replay of each loan).

Fifteen queries whatever the number of applications and loans: the units of the period, the subtree's
successor links, the unit's targets, the eleven statements of the figures and the ledger's three.
"""

import datetime

from django.utils.translation import gettext_noop as _

from fund.ledger_check import differences
from fund.measures import CAPITAL_RAISED, LOANS_APPROVED, MONEY_DISBURSED
from fund.models import CONTRIBUTED, Fund, Source
from fund.report_figures import (
    Counts,
    Figures,
    by_period,
    capital_of,
    gather,
    roll_up,
    state_and_contributions,
    targets_of,
)
from portal.drilldown import DrillDown, in_units, successor_links
from portal.models.units import in_subtree
from portal.reporting import column, flag, measure, units_of_period, untranslated

CURRENT, PREVIOUS = "current", "previous"
PAR30_LIMIT = 10

UNIT_COLUMNS = [
    column("received", _("Applications received")),
    column("approved", _("Applications approved")),
    column("refused", _("Applications refused")),
    column("reply_days", _("Median reply (working days)"), "days"),
    column("late", _("Applications past their deadline")),
    column("amount_approved", _("Amount approved (đồng)")),
    column("disbursed", _("Released (đồng)")),
    column("outstanding", _("Outstanding (đồng)")),
    column("par30", _("PAR30 (%)"), "percent"),
    column("jobs_created", _("Jobs created")),
]


def _unit_cells(counts: Counts) -> list:
    return [
        counts.received,
        counts.approved,
        counts.refused,
        counts.median_reply_days,
        counts.late,
        counts.amount_approved,
        counts.disbursed,
        counts.outstanding,
        counts.par30,
        counts.jobs_created,
    ]


def _measures(counts: Counts, capital: dict, capital_target: int, targets: dict) -> list[dict]:
    state, contributions = state_and_contributions(capital)
    to_date = sum(to_date for _raised, to_date in capital.values())
    return [
        measure(
            "capital_raised",
            _("Capital raised (đồng)"),
            state + contributions,
            target=targets[CAPITAL_RAISED],
        ),
        measure("capital_state", _("Capital from the state budget (đồng)"), state),
        measure(
            "capital_contributions", _("Capital contributed by enterprises and people (đồng)"), contributions
        ),
        measure(
            "capital_to_date",
            _("Capital received to date (đồng)"),
            to_date,
            target=capital_target or None,
        ),
        measure("applications_received", _("Loan applications received"), counts.received),
        measure("applications_approved", _("Loan applications approved"), counts.approved),
        measure("applications_refused", _("Loan applications refused"), counts.refused),
        measure(
            "reply_days",
            _("Median reply time, filing to decision (working days)"),
            counts.median_reply_days,
            format="days",
        ),
        measure("applications_late", _("Applications past their reply deadline"), counts.late),
        measure("loans_approved", _("Loans approved"), counts.loans_approved, target=targets[LOANS_APPROVED]),
        measure("amount_approved", _("Amount approved (đồng)"), counts.amount_approved),
        measure(
            "disbursed",
            _("Money released to borrowers (đồng)"),
            counts.disbursed,
            target=targets[MONEY_DISBURSED],
        ),
        measure("outstanding", _("Principal outstanding at the end (đồng)"), counts.outstanding),
        measure("par30", _("Portfolio at risk over 30 days (PAR30)"), counts.par30, format="percent"),
        measure("recovered", _("Recovered on recalled loans (đồng)"), counts.recovered),
        measure("written_off", _("Written off (đồng)"), counts.written_off),
        measure("jobs_created", _("Jobs created by the funded projects"), counts.jobs_created),
    ]


def _flags(figures: Figures, units, by_commune: dict[int, Counts], ledger: dict[int, int]) -> list[dict]:
    flags = []
    for fund in figures.funds:
        if not fund.regulated:
            flags.append(flag(fund.name, _("No regulation in force: the fund cannot judge an application.")))
        outstanding, at_risk = figures.par_by_fund.get(fund.pk, [0, 0])
        if outstanding and 100 * at_risk > PAR30_LIMIT * outstanding:
            flags.append(
                flag(
                    fund.name,
                    _("PAR30 is %(par)s %%, above %(limit)s %%."),
                    par=round(100 * at_risk / outstanding, 1),
                    limit=PAR30_LIMIT,
                )
            )
        if ledger.get(fund.pk):
            flags.append(flag(fund.name, _("The ledger differs in %(count)s places."), count=ledger[fund.pk]))
    for commune_id in [pk for pk in units if pk in by_commune]:  # in Vietnamese order
        late = by_commune[commune_id].late
        if late:
            flags.append(
                flag(
                    units[commune_id].name,
                    _("%(applications)s loan applications past their reply deadline."),
                    applications=late,
                )
            )
    return flags


def _tables(unit_rows, total: Counts, capital: dict) -> list[dict]:
    tables = []
    if unit_rows:
        tables.append(
            {
                "key": "by_unit",
                "title": _("By unit"),
                "columns": [column("unit", _("Unit"), "text"), *UNIT_COLUMNS],
                "rows": [
                    {"unit_id": row.pk, "cells": [row.name, *_unit_cells(counts)]}
                    for row, counts in unit_rows
                ],
                "total": [_("Total"), *_unit_cells(total)],
            }
        )
    tables.append(
        {
            "key": "capital",
            "title": _("Capital by source"),
            "columns": [
                column("source", _("Source"), "text"),
                column("raised", _("Raised in the period (đồng)")),
                column("to_date", _("To date (đồng)")),
            ],
            "rows": [
                {"unit_id": None, "cells": [untranslated(Source(source).label), *capital[source]]}
                for source in CONTRIBUTED
            ],
            "total": [
                _("Total"),
                sum(raised for raised, _to_date in capital.values()),
                sum(to_date for _raised, to_date in capital.values()),
            ],
        }
    )
    return tables


def _charts(unit_rows) -> list[dict]:
    if not unit_rows:
        return []
    return [
        {
            "key": "applications_by_unit",
            "title": _("Loan applications received and approved, by unit"),
            "categories": [row.name for row, _counts in unit_rows],
            "series": [
                {"label": _("Received"), "values": [counts.received for _row, counts in unit_rows]},
                {"label": _("Approved"), "values": [counts.approved for _row, counts in unit_rows]},
            ],
        },
        {
            "key": "released_by_unit",
            "title": _("Money released and outstanding, by unit (đồng)"),
            "categories": [row.name for row, _counts in unit_rows],
            "series": [
                {"label": _("Released"), "values": [counts.disbursed for _row, counts in unit_rows]},
                {"label": _("Outstanding"), "values": [counts.outstanding for _row, counts in unit_rows]},
            ],
        },
    ]


class FundSection:
    key = "fund"
    title = _("Startup investment fund")
    order = 45

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
        ledger: dict[int, int] = {}
        funds = Fund.objects.filter(pk__in=[fund.pk for fund in figures.funds])
        for difference in differences(funds=funds, replay=False) if figures.funds else []:
            ledger[difference.fund.pk] = ledger.get(difference.fund.pk, 0) + 1
        capital_target = sum(fund.capital_target for fund in figures.funds)
        measures = _measures(total, capital_of(figures, CURRENT), capital_target, targets[CURRENT])
        before = _measures(earlier, capital_of(figures, PREVIOUS), capital_target, targets[PREVIOUS])
        for now, then in zip(measures, before, strict=True):
            now["previous"] = then["value"]
        unit_rows = [(row, by_unit_row[row.pk]) for row in drill_down.rows]
        return {
            "measures": measures,
            "tables": _tables(unit_rows, total, capital_of(figures, CURRENT)),
            "charts": _charts(unit_rows),
            "flags": _flags(figures, units, by_commune, ledger),
        }


SECTIONS = [FundSection()]
