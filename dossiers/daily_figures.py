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

from django.db.models import Count, F, Sum
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


def _by_day(queryset, unit_ids, first, last, *, dossier: str, moment: str, by=(), **counts):
    """``counts`` of ``queryset`` by the dossier's unit (``figure_unit``), the local day of ``moment``
    (``figure_day``), the dossier's procedure (``figure_procedure``) and the fields ``by``, over the
    units and days given (None: no bound). ``dossier``: the path from the rows to their dossier ("" for
    dossiers themselves)."""
    unit = f"{dossier}unit_id"
    if unit_ids is not None:
        queryset = queryset.filter(**{f"{unit}__in": unit_ids})
    if first is not None:
        queryset = queryset.filter(**{f"{moment}__gte": day_bounds(first, first)[0]})
    if last is not None:
        queryset = queryset.filter(**{f"{moment}__lt": day_bounds(last, last)[1]})
    return (
        queryset.filter(**{f"{moment}__isnull": False})
        .values(
            *by,
            figure_unit=F(unit),
            figure_day=LocalDate(moment),
            figure_procedure=F(f"{dossier}procedure_id"),
        )
        .annotate(**counts)
        .order_by()
    )


class DossierFigures:
    measures = tuple(measure(name) for name in NAMES)

    def count(self, unit_ids, first: datetime.date | None, last: datetime.date | None):
        """Seven statements whatever the number of rows."""

        def by_day(queryset, dossier: str, moment: str, **counts):
            for row in _by_day(queryset, unit_ids, first, last, dossier=dossier, moment=moment, **counts):
                for name in counts:
                    yield (
                        measure(name),
                        row["figure_unit"],
                        row["figure_day"],
                        row["figure_procedure"],
                        row[name] or 0,
                    )

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
            dossier="",
            moment="received_at",
            by=("procedure_version_id",),
            received=Count("pk"),
        )
        for row in received:
            key = (row["figure_unit"], row["figure_day"], row["figure_procedure"])
            yield measure("received"), *key, row["received"]
            yield measure("required"), *key, row["received"] * mandatory.get(row["procedure_version_id"], 0)
        yield from by_day(
            Dossier.objects.filter(due_date__isnull=False),
            "",
            "decided_at",
            decided=Count("pk"),
            on_time=Count("pk", filter=DECIDED_ON_TIME),
        )
        yield from by_day(
            Dossier.objects.filter(rating__isnull=False),
            "",
            "result_returned_at",
            rated=Count("pk"),
            rating_sum=Sum("rating"),
        )
        yield from by_day(
            DossierDocument.objects.filter(is_reused=True),
            "dossier__",
            "dossier__received_at",
            reused=Count("pk"),
        )
        yield from by_day(
            SupplementRequest.missing.through.objects.all(),
            "supplementrequest__dossier__",
            "supplementrequest__dossier__received_at",
            asked_again=Count("pk"),
        )
        yield from by_day(
            SupplementRequest.objects.all(), "dossier__", "requested_at", supplements=Count("pk")
        )
        # Drafts are their applicants' until filed: nothing on one counts (an older row may be there).
        yield from by_day(
            Inquiry.objects.filter(dossier__submitted_at__isnull=False),
            "dossier__",
            "replied_at",
            answered=Count("pk"),
            answered_on_time=Count("pk", filter=REPLIED_ON_TIME),
        )


SOURCE = DossierFigures()
SOURCES = [SOURCE]


def keep_current(dossier: Dossier) -> None:
    """Count the figures of the dossier's unit again on the days the dossier's figures fall on (its
    receipt, decision and return) and today (a supplement round or a reply given now)."""
    moments = (dossier.received_at, dossier.decided_at, dossier.result_returned_at)
    days = {today(), *(timezone.localdate(moment) for moment in moments if moment is not None)}
    figures.refresh(SOURCE, dossier.unit_id, days)
