"""The counts behind the conversions' report section (conversions/report_sections.py), by unit.

For a unit's subtree and each named period ``first``..``last`` (both days included):

- identified: cases opened in the period; advised: cases with an "advised" step (not a correction)
  taken in the period; registered: enterprises whose first registration certificate is dated in it;
- the pipeline: each case's stage at the end of the period (the stage of its last step taken by then);
  in the pipeline are the cases identified, advised or with their dossier filed then;
- visits due: visits due in the period and not skipped; done: visits done in the period; late: visits
  open at the end of the period (not done by then, not skipped) and due before its last day; very
  late: those more than LATE_DAYS days late then (conversions/team_flags.py);
- entitlements granted: grants starting in the period; ending: grants that last (not a support used
  on the day) ending in the period, by entitlement.

Three grouped statements whatever the number of cases, each counting every period at once.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, fields
from functools import reduce
from operator import or_

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from conversions.measures import CANDIDATES_IDENTIFIED, CONVERSIONS_REGISTERED
from conversions.models import Conversion, ConversionStep, EntitlementGrant, FollowUpVisit, Stage
from conversions.models.followups import late_on
from conversions.team_flags import LATE_DAYS
from portal.models.units import in_subtree
from portal.periods import Period
from portal.targets import annual_targets, one_decimal, pro_rate

# The stages of a case not yet converted: the pipeline's candidates.
CANDIDATE_STAGES = (Stage.IDENTIFIED, Stage.ADVISED, Stage.FILED)


@dataclass
class Counts:
    identified: int = 0
    advised: int = 0
    registered: int = 0
    in_pipeline: int = 0
    visits_due: int = 0
    visits_done: int = 0
    visits_late: int = 0
    visits_very_late: int = 0
    granted: int = 0
    ending: int = 0

    def add(self, other: "Counts") -> None:
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


COUNT_NAMES = tuple(f.name for f in fields(Counts))


@dataclass
class Figures:
    counts: dict[tuple[str, int], Counts]  # (period, unit id)
    stages: dict[tuple[str, int, str], int]  # (period, unit id, stage at its end): cases
    entitlements: dict[tuple[str, str], list[int]]  # (period, entitlement name): [granted, ending]


def gather(unit, spans: dict[str, tuple[datetime.date, datetime.date]]) -> Figures:
    subtree = in_subtree({unit.pk})
    counts: dict[tuple[str, int], Counts] = defaultdict(Counts)
    stages: dict[tuple[str, int, str], int] = defaultdict(int)
    entitlements: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    latest = max(last for _first, last in spans.values())

    def within(field: str, which: str) -> Q:
        return Q(**{f"{field}__range": spans[which]})

    # 1: the cases by unit and by stage at the end of each period.
    annotations, tallies = {}, {}
    for which, (first, last) in spans.items():
        annotations[f"stage_{which}"] = Subquery(
            ConversionStep.objects.filter(conversion=OuterRef("pk"), taken_on__lte=last)
            .order_by("-taken_on", "-recorded_at", "-pk")
            .values("stage")[:1]
        )
        annotations[f"was_advised_{which}"] = Exists(
            ConversionStep.objects.filter(
                conversion=OuterRef("pk"),
                stage=Stage.ADVISED,
                is_correction=False,
                taken_on__range=(first, last),
            )
        )
        tallies |= {
            f"identified_{which}": Count("pk", filter=within("opened_on", which)),
            f"advised_{which}": Count("pk", filter=Q(**{f"was_advised_{which}": True})),
            f"registered_{which}": Count("pk", filter=within("registered_on", which)),
        }
    cases = (
        Conversion.objects.filter(unit_id__in=subtree, opened_on__lte=latest)
        .annotate(**annotations)
        .values("unit_id", *(f"stage_{which}" for which in spans))
        .annotate(cases=Count("pk"), **tallies)
        .order_by()
    )
    for row in cases:
        for which in spans:
            tally = counts[which, row["unit_id"]]
            for name in ("identified", "advised", "registered"):
                setattr(tally, name, getattr(tally, name) + row[f"{name}_{which}"])
            stage = row[f"stage_{which}"]
            if stage is not None:
                stages[which, row["unit_id"], stage] += row["cases"]
                if stage in CANDIDATE_STAGES:
                    tally.in_pipeline += row["cases"]

    # 2: the follow-up visits by unit.
    visit_tallies = {}
    for which, (_first, last) in spans.items():
        visit_tallies |= {
            f"visits_due_{which}": Count("pk", filter=within("due_on", which) & Q(skipped_reason="")),
            f"visits_done_{which}": Count("pk", filter=within("done_on", which)),
            f"visits_late_{which}": Count("pk", filter=late_on(last)),
            f"visits_very_late_{which}": Count("pk", filter=late_on(last, by_days=LATE_DAYS)),
        }
    visits = (
        FollowUpVisit.objects.filter(conversion__unit_id__in=subtree, due_on__lte=latest)
        .values("conversion__unit_id")
        .annotate(**visit_tallies)
        .order_by()
    )
    for row in visits:
        for which in spans:
            tally = counts[which, row["conversion__unit_id"]]
            for name in ("visits_due", "visits_done", "visits_late", "visits_very_late"):
                setattr(tally, name, getattr(tally, name) + row[f"{name}_{which}"])

    # 3: the entitlements granted and ending, by unit and entitlement.
    lasting = ~Q(state=EntitlementGrant.State.USED)
    grant_tallies = {}
    for which in spans:
        grant_tallies |= {
            f"granted_{which}": Count("pk", filter=within("starts_on", which)),
            f"ending_{which}": Count("pk", filter=within("ends_on", which) & lasting),
        }
    grants = (
        EntitlementGrant.objects.filter(conversion__unit_id__in=subtree)
        .filter(reduce(or_, (within("starts_on", which) | within("ends_on", which) for which in spans)))
        .values("conversion__unit_id", "entitlement__name")
        .annotate(**grant_tallies)
        .order_by()
    )
    for row in grants:
        for which in spans:
            tally = counts[which, row["conversion__unit_id"]]
            tally.granted += row[f"granted_{which}"]
            tally.ending += row[f"ending_{which}"]
            by_entitlement = entitlements[which, row["entitlement__name"]]
            by_entitlement[0] += row[f"granted_{which}"]
            by_entitlement[1] += row[f"ending_{which}"]
    return Figures(counts=dict(counts), stages=dict(stages), entitlements=dict(entitlements))


def targets_of(unit, spans: dict[str, tuple[datetime.date, datetime.date]]) -> dict[str, dict]:
    """Each period's pro-rated targets of the unit's candidates and conversions (one query)."""
    periods = {which: Period(*span) for which, span in spans.items()}
    annual = annual_targets({unit.pk}, sorted({year for p in periods.values() for year in p.years()}))
    targets: dict[str, dict] = {}
    for which, period in periods.items():
        targets[which] = {}
        for key in (CANDIDATES_IDENTIFIED, CONVERSIONS_REGISTERED):
            value = pro_rate(annual.get((unit.pk, key), {}), period)
            targets[which][key] = None if value is None else float(one_decimal(value))
    return targets
