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
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_noop as _

from portal.drilldown import DrillDown, successor_links
from portal.evenness import Period, annual_targets, one_decimal, pro_rate
from portal.models import Dossier, DossierDocument, Inquiry, SupplementRequest, Target
from portal.models.inquiries import REPLIED_ON_TIME
from portal.reporting import column, day_bounds, flag, mean, measure, percent, units_of_period

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
        for name in (f.name for f in fields(self)):
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


def gather(subtree, first: datetime.date, last: datetime.date) -> dict[tuple[int, str], Counts]:
    """The counts by (unit id, procedure name), in six grouped queries whatever the number of rows."""
    start, end = day_bounds(first, last)
    counts: dict[tuple[int, str], Counts] = defaultdict(Counts)
    received = Q(received_at__gte=start, received_at__lt=end)
    decided = Q(decided_at__gte=start, decided_at__lt=end, due_date__isnull=False)
    on_time = decided & Q(decided_at__date__lte=Coalesce(F("original_due_date"), F("due_date")))
    rated = Q(result_returned_at__gte=start, result_returned_at__lt=end, rating__isnull=False)
    dossiers = Dossier.objects.filter(unit_id__in=subtree)

    def add(rows, unit, procedure, **names):
        for row in rows.order_by():
            tally = counts[row[unit], row[procedure]]
            for attribute, name in names.items():
                setattr(tally, attribute, getattr(tally, attribute) + (row[name] or 0))

    add(
        dossiers.filter(received | decided | rated)
        .values("unit_id", "procedure__name")
        .annotate(
            n_received=Count("pk", filter=received),
            n_decided=Count("pk", filter=decided),
            n_on_time=Count("pk", filter=on_time),
            n_rated=Count("pk", filter=rated),
            rating_sum=Sum("rating", filter=rated),
        ),
        "unit_id",
        "procedure__name",
        received="n_received",
        decided="n_decided",
        on_time="n_on_time",
        rated="n_rated",
        rating_sum="rating_sum",
    )
    add(
        dossiers.filter(received)
        .values("unit_id", "procedure__name")
        .annotate(
            n=Count(
                "procedure_version__requirements",
                filter=Q(procedure_version__requirements__is_mandatory=True),
            )
        ),
        "unit_id",
        "procedure__name",
        required="n",
    )
    in_received = {
        f"dossier__{key}": value for key, value in (("received_at__gte", start), ("received_at__lt", end))
    }
    by_dossier = ("dossier__unit_id", "dossier__procedure__name")
    add(
        DossierDocument.objects.filter(is_reused=True, dossier__unit_id__in=subtree, **in_received)
        .values(*by_dossier)
        .annotate(n=Count("pk")),
        *by_dossier,
        reused="n",
    )
    missing = SupplementRequest.missing.through.objects.filter(
        supplementrequest__dossier__unit_id__in=subtree,
        supplementrequest__dossier__received_at__gte=start,
        supplementrequest__dossier__received_at__lt=end,
    )
    add(
        missing.values(
            "supplementrequest__dossier__unit_id", "supplementrequest__dossier__procedure__name"
        ).annotate(n=Count("pk")),
        "supplementrequest__dossier__unit_id",
        "supplementrequest__dossier__procedure__name",
        asked_again="n",
    )
    add(
        SupplementRequest.objects.filter(
            dossier__unit_id__in=subtree, requested_at__gte=start, requested_at__lt=end
        )
        .values(*by_dossier)
        .annotate(n=Count("pk")),
        *by_dossier,
        supplements="n",
    )
    add(
        Inquiry.objects.filter(dossier__unit_id__in=subtree, replied_at__gte=start, replied_at__lt=end)
        .values(*by_dossier)
        .annotate(n=Count("pk"), n_on_time=Count("pk", filter=REPLIED_ON_TIME)),
        *by_dossier,
        answered="n",
        answered_on_time="n_on_time",
    )
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

    def build(self, unit, first: datetime.date, last: datetime.date) -> dict:
        subtree, units = units_of_period(unit, first, last)
        drill_down = DrillDown(unit, units, successor_links(subtree - units.keys()))
        total = Counts()
        by_row = {row.pk: Counts() for row in drill_down.rows}
        by_procedure: dict[str, Counts] = defaultdict(Counts)
        for (unit_id, procedure), counts in gather(subtree, first, last).items():
            total.add(counts)
            by_procedure[procedure].add(counts)
            row_id = drill_down.row_of(unit_id)
            if row_id is not None:
                by_row[row_id].add(counts)
        annual = annual_targets({unit.pk}, list(Period(first, last).years()))
        target = pro_rate(annual.get((unit.pk, Target.Measure.DOSSIERS_RECEIVED), {}), Period(first, last))
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
        return {
            "measures": [
                measure(
                    "received",
                    _("Dossiers received"),
                    total.received,
                    target=None if target is None else float(one_decimal(target)),
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
            ],
            "tables": tables,
            "charts": charts,
            "flags": flags,
        }
