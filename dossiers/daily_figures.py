"""The one-stop shop's daily figures (portal/figures.py), which its report section sums over a period.

Per unit of the dossier, local day and procedure:

- ``received``: dossiers received that day; ``required``: the mandatory documents of their procedure
  versions; ``reused``: those of their documents reused from earlier dossiers; ``asked_again``: the
  documents named in their supplement rounds (whenever asked), all on the day of receipt;
- ``decided``: dossiers with a due date decided that day, ``on_time`` of them by their due date (the
  date before an apology, if one was issued);
- ``supplements``: supplement rounds requested that day;
- ``answered``: inquiries on filed dossiers replied to that day, ``answered_on_time`` by their reply date;
- ``rated`` and ``rating_sum``: the ratings of the dossiers whose result was returned that day.

A service that changes any of these calls ``keep_current`` in its transaction.
"""

import datetime

from django.db.models import Count, Sum
from django.utils import timezone

from dossiers.models import Dossier, DossierDocument, Inquiry, Requirement, SupplementRequest
from dossiers.models.dossiers import DECIDED_ON_TIME
from dossiers.models.inquiries import REPLIED_ON_TIME
from portal import figures
from portal.local_time import LocalDate
from portal.models.people import today
from portal.reporting import day_bounds

NAMES = (
    "received",
    "required",
    "reused",
    "asked_again",
    "decided",
    "on_time",
    "supplements",
    "answered",
    "answered_on_time",
    "rated",
    "rating_sum",
)


def measure(name: str) -> str:
    return f"dossiers.{name}"


def name_of(measure_key: str) -> str:
    return measure_key.removeprefix("dossiers.")


def _by_day(queryset, unit_ids, first, last, *, unit: str, moment: str, by: tuple[str, ...], **counts):
    """``counts`` of ``queryset`` by unit, local day of ``moment`` and the fields ``by``, over the units
    and days given (None: no bound)."""
    if unit_ids is not None:
        queryset = queryset.filter(**{f"{unit}__in": unit_ids})
    if first is not None:
        queryset = queryset.filter(**{f"{moment}__gte": day_bounds(first, first)[0]})
    if last is not None:
        queryset = queryset.filter(**{f"{moment}__lt": day_bounds(last, last)[1]})
    return (
        queryset.filter(**{f"{moment}__isnull": False})
        .annotate(figure_day=LocalDate(moment))
        .values(unit, "figure_day", *by)
        .annotate(**counts)
        .order_by()
    )


class DossierFigures:
    measures = tuple(measure(name) for name in NAMES)

    def count(self, unit_ids, first: datetime.date | None, last: datetime.date | None):
        """Seven statements whatever the number of rows."""

        def values_of(rows, unit: str, procedure: str, *names: str):
            for row in rows:
                for name in names:
                    yield measure(name), row[unit], row["figure_day"], row[procedure], row[name] or 0

        mandatory = dict(
            Requirement.objects.filter(is_mandatory=True)
            .values("version_id")
            .annotate(n=Count("pk"))
            .values_list("version_id", "n")
            .order_by()
        )
        received = _by_day(
            Dossier.objects.all(),
            *(unit_ids, first, last),
            unit="unit_id",
            moment="received_at",
            by=("procedure_id", "procedure_version_id"),
            received=Count("pk"),
        )
        for row in received:
            key = (row["unit_id"], row["figure_day"], row["procedure_id"])
            yield measure("received"), *key, row["received"]
            yield measure("required"), *key, row["received"] * mandatory.get(row["procedure_version_id"], 0)
        decided = _by_day(
            Dossier.objects.filter(due_date__isnull=False),
            *(unit_ids, first, last),
            unit="unit_id",
            moment="decided_at",
            by=("procedure_id",),
            decided=Count("pk"),
            on_time=Count("pk", filter=DECIDED_ON_TIME),
        )
        yield from values_of(decided, "unit_id", "procedure_id", "decided", "on_time")
        rated = _by_day(
            Dossier.objects.filter(rating__isnull=False),
            *(unit_ids, first, last),
            unit="unit_id",
            moment="result_returned_at",
            by=("procedure_id",),
            rated=Count("pk"),
            rating_sum=Sum("rating"),
        )
        yield from values_of(rated, "unit_id", "procedure_id", "rated", "rating_sum")
        reused = _by_day(
            DossierDocument.objects.filter(is_reused=True),
            *(unit_ids, first, last),
            unit="dossier__unit_id",
            moment="dossier__received_at",
            by=("dossier__procedure_id",),
            reused=Count("pk"),
        )
        yield from values_of(reused, "dossier__unit_id", "dossier__procedure_id", "reused")
        asked_again = _by_day(
            SupplementRequest.missing.through.objects.all(),
            *(unit_ids, first, last),
            unit="supplementrequest__dossier__unit_id",
            moment="supplementrequest__dossier__received_at",
            by=("supplementrequest__dossier__procedure_id",),
            asked_again=Count("pk"),
        )
        yield from values_of(
            asked_again,
            "supplementrequest__dossier__unit_id",
            "supplementrequest__dossier__procedure_id",
            "asked_again",
        )
        supplements = _by_day(
            SupplementRequest.objects.all(),
            *(unit_ids, first, last),
            unit="dossier__unit_id",
            moment="requested_at",
            by=("dossier__procedure_id",),
            supplements=Count("pk"),
        )
        yield from values_of(supplements, "dossier__unit_id", "dossier__procedure_id", "supplements")
        # Drafts are their applicants' until filed: nothing on one counts (an older row may be there).
        answered = _by_day(
            Inquiry.objects.filter(dossier__submitted_at__isnull=False),
            *(unit_ids, first, last),
            unit="dossier__unit_id",
            moment="replied_at",
            by=("dossier__procedure_id",),
            answered=Count("pk"),
            answered_on_time=Count("pk", filter=REPLIED_ON_TIME),
        )
        yield from values_of(
            answered, "dossier__unit_id", "dossier__procedure_id", "answered", "answered_on_time"
        )


SOURCE = DossierFigures()
SOURCES = [SOURCE]


def keep_current(dossier: Dossier) -> None:
    """Count the figures of the dossier's unit again on the days the dossier's figures fall on (its
    receipt, decision and return) and today (a supplement round or a reply given now)."""
    moments = (dossier.received_at, dossier.decided_at, dossier.result_returned_at)
    days = {today(), *(timezone.localdate(moment) for moment in moments if moment is not None)}
    figures.refresh(SOURCE, dossier.unit_id, days)
