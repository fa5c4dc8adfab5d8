"""The dossiers section: what the one-stop shop received and decided, and how it served applicants.

For a unit's subtree and a period (both days included, local time):

- received: dossiers received in the period; decided: dossiers completed in the period, on time
  when completed on or before their due date (the date before an apology, if one was issued);
- supplement requests: rounds of asking for missing documents made in the period;
- documents asked per dossier: for the dossiers received in the period, the mandatory documents
  of their procedure version, less those reused from earlier dossiers, plus those asked again in
  supplement rounds, divided by the dossiers received;
- inquiries: replies given in the period, on time when given by the reply date;
- ratings: the applicants' ratings of the dossiers whose result was returned in the period.

It sums the stored daily figures of dossiers/daily_figures.py, which count these per unit and day.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields

from django.utils.translation import gettext_noop as _

from dossiers.daily_figures import SOURCE, name_of
from dossiers.measures import DOSSIERS_RECEIVED
from dossiers.models import Procedure
from portal.drilldown import DrillDown, successor_links
from portal.figures import sums
from portal.models.units import in_subtree
from portal.periods import Period
from portal.reporting import column, flag, mean, measure, percent, units_of_period
from portal.targets import annual_targets, one_decimal, pro_rate

# A unit deciding less than this share of its dossiers on time is flagged.
ON_TIME_FLAG_PERCENT = 90
# A mean rating under this (out of 5) is flagged.
LOW_RATING = 3


@dataclass
class Counts:
    received: int = 0
    decided: int = 0
    on_time: int = 0
    supplements: int = 0
    required: int = 0
    reused: int = 0
    asked_again: int = 0
    answered: int = 0
    answered_on_time: int = 0
    rated: int = 0
    rating_sum: int = 0

    @property
    def late(self) -> int:
        return self.decided - self.on_time

    @property
    def documents_asked(self) -> int:
        return self.required - self.reused + self.asked_again

    def add(self, other: "Counts") -> None:
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def cells(self) -> list:
        return [
            self.received,
            self.decided,
            self.on_time,
            self.late,
            percent(self.on_time, self.decided),
            self.supplements,
            mean(self.documents_asked, self.received),
            self.answered,
            percent(self.answered_on_time, self.answered),
            mean(self.rating_sum, self.rated),
        ]


COUNT_NAMES = tuple(f.name for f in fields(Counts))

COLUMNS = [
    column("received", _("Dossiers received")),
    column("decided", _("Decided")),
    column("on_time", _("On time")),
    column("late", _("Late")),
    column("on_time_percent", _("On time (%)"), "percent"),
    column("supplements", _("Supplement requests")),
    column("documents_asked", _("Documents asked per dossier"), "decimal"),
    column("inquiries_answered", _("Inquiries answered")),
    column("inquiries_on_time_percent", _("Answered on time (%)"), "percent"),
    column("mean_rating", _("Mean rating"), "rating"),
]


CURRENT, PREVIOUS = "current", "previous"


def gather(unit, spans: dict[str, tuple[datetime.date, datetime.date]]) -> dict[tuple[str, int, int], Counts]:
    """The counts by (period, unit id, procedure id) for each named period: the stored daily figures of
    the unit's subtree (dossiers/daily_figures.py) summed over every period in one query."""
    counts: dict[tuple[str, int, int], Counts] = defaultdict(Counts)
    stored = sums(SOURCE.measures, in_subtree({unit.pk}), spans)
    for (which, measure_key, unit_id, procedure_id), value in stored.items():
        tally = counts[which, unit_id, procedure_id]
        name = name_of(measure_key)
        setattr(tally, name, getattr(tally, name) + value)
    return counts


def _flags(where: str, counts: Counts) -> list[dict]:
    flags = []
    on_time = percent(counts.on_time, counts.decided)
    if on_time is not None and on_time < ON_TIME_FLAG_PERCENT:
        flags.append(
            flag(
                where,
                _("%(late)s of %(decided)s dossiers decided late."),
                late=counts.late,
                decided=counts.decided,
            )
        )
    if counts.answered > counts.answered_on_time:
        flags.append(
            flag(
                where,
                _("%(late)s of %(answered)s inquiries answered after their reply date."),
                late=counts.answered - counts.answered_on_time,
                answered=counts.answered,
            )
        )
    rating = mean(counts.rating_sum, counts.rated)
    if rating is not None and rating < LOW_RATING:
        flags.append(
            flag(where, _("Applicants rated the service %(rating)s out of 5 on average."), rating=rating)
        )
    return flags


def _table(key: str, title: str, heading: str, rows: list[tuple[int | None, str, Counts]], total: Counts):
    return {
        "key": key,
        "title": title,
        "columns": [column("name", heading, "text"), *COLUMNS],
        "rows": [{"unit_id": unit_id, "cells": [name, *counts.cells()]} for unit_id, name, counts in rows],
        "total": [_("Total"), *total.cells()],
    }


def _on_time_chart(key: str, title: str, rows: list[tuple[int | None, str, Counts]]) -> dict:
    return {
        "key": key,
        "title": title,
        "categories": [name for _unit_id, name, _counts in rows],
        "series": [
            {"label": _("On time"), "values": [counts.on_time for *_rest, counts in rows]},
            {"label": _("Late"), "values": [counts.late for *_rest, counts in rows]},
        ],
    }


class DossierSection:
    key = "dossiers"
    title = _("One-stop-shop dossiers")
    order = 10

    def build(self, unit, period: tuple[datetime.date, datetime.date], previous) -> dict:
        units = units_of_period(unit, *period)
        drill_down = DrillDown(unit, units, successor_links(in_subtree({unit.pk})))
        names = dict(Procedure.objects.values_list("pk", "name"))
        totals = {CURRENT: Counts(), PREVIOUS: Counts()}
        by_row = {row.pk: Counts() for row in drill_down.rows}
        by_procedure: dict[str, Counts] = defaultdict(Counts)
        for (which, unit_id, procedure_id), counts in gather(
            unit, {CURRENT: period, PREVIOUS: previous}
        ).items():
            totals[which].add(counts)
            if which == PREVIOUS:
                continue
            by_procedure[names[procedure_id]].add(counts)
            row_id = drill_down.row_of(unit_id)
            if row_id is not None:
                by_row[row_id].add(counts)
        total = totals[CURRENT]
        targets = _received_targets(unit, period, previous)
        unit_rows = [(row.pk, row.name, by_row[row.pk]) for row in drill_down.rows]
        procedure_rows = [(None, name, by_procedure[name]) for name in sorted(by_procedure)]
        tables = [_table("by_procedure", _("By procedure"), _("Procedure"), procedure_rows, total)]
        charts = [
            {
                "key": "received_by_procedure",
                "title": _("Dossiers received, by procedure"),
                "categories": [name for _unit_id, name, _counts in procedure_rows],
                "series": [
                    {"label": _("Dossiers received"), "values": [c.received for *_rest, c in procedure_rows]}
                ],
            }
        ]
        if unit_rows:
            tables.insert(0, _table("by_unit", _("By unit"), _("Unit"), unit_rows, total))
            charts.insert(
                0,
                _on_time_chart("on_time_by_unit", _("Dossiers decided on time and late, by unit"), unit_rows),
            )
        flags = [f for _unit_id, name, counts in unit_rows for f in _flags(name, counts)] or _flags(
            unit.name, total
        )
        measures = _measures(total, targets[CURRENT])
        for current, earlier in zip(measures, _measures(totals[PREVIOUS], targets[PREVIOUS]), strict=True):
            current["previous"] = earlier["value"]
        return {"measures": measures, "tables": tables, "charts": charts, "flags": flags}


def _received_targets(unit, period, previous) -> dict[str, float | None]:
    """The unit's target of dossiers received, pro-rated to each period (one query)."""
    spans = {CURRENT: Period(*period), PREVIOUS: Period(*previous)}
    years = sorted({year for span in spans.values() for year in span.years()})
    annual = annual_targets({unit.pk}, years).get((unit.pk, DOSSIERS_RECEIVED), {})
    prorated = {which: pro_rate(annual, span) for which, span in spans.items()}
    return {which: None if value is None else float(one_decimal(value)) for which, value in prorated.items()}


def _measures(total: Counts, target: float | None) -> list[dict]:
    return [
        measure(
            "received",
            _("Dossiers received"),
            total.received,
            target=target,
        ),
        measure("decided", _("Dossiers decided"), total.decided),
        measure("on_time", _("Decided on time"), total.on_time),
        measure("late", _("Decided late"), total.late),
        measure(
            "on_time_percent",
            _("Share decided on time"),
            percent(total.on_time, total.decided),
            format="percent",
        ),
        measure("supplements", _("Supplement requests"), total.supplements),
        measure(
            "documents_asked",
            _("Documents asked per dossier"),
            mean(total.documents_asked, total.received),
            format="decimal",
        ),
        measure("inquiries_answered", _("Inquiries answered"), total.answered),
        measure(
            "inquiries_on_time_percent",
            _("Inquiries answered on time"),
            percent(total.answered_on_time, total.answered),
            format="percent",
        ),
        measure(
            "mean_rating",
            _("Mean applicant rating"),
            mean(total.rating_sum, total.rated),
            format="rating",
        ),
        measure("ratings", _("Ratings given"), total.rated),
    ]


SECTIONS = [DossierSection()]
