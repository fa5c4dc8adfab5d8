"""The loan portfolio's figures: what was released, what is outstanding, what was repaid (principal and
interest), PAR30 (the share of the outstanding principal owed by loans more than 30 days past due or
restructured) and what was written off — in all, by fund, by sector, by commune (the unit holding the
loan's commune today) and by cohort (the year of the contract); and the jobs created by the funded
projects.

The figures are the loans' state as the services and the morning job last wrote it
(fund/services/loans.py: ``catch_up``), summed by grouped queries: seven statements whatever the number
of loans.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from portal.models import AdminUnit
from portal.sectors import Sector

# Row's figures and how each is summed (the query names them ``sum_<figure>``, as a figure's column
# cannot name its own sum).
SUMS = {
    "loans": Count("pk"),
    "disbursed": Sum("disbursed"),
    "outstanding": Sum("outstanding"),
    "principal_repaid": Sum("principal_repaid"),
    "interest_repaid": Sum("interest_repaid"),
    "written_off": Sum("written_off"),
    "at_risk": Sum("outstanding", filter=Q(at_risk=True)),
}

SUMMED = {f"sum_{name}": expression for name, expression in SUMS.items()}


@dataclass
class Row:
    label: str
    loans: int = 0
    disbursed: int = 0
    outstanding: int = 0
    principal_repaid: int = 0
    interest_repaid: int = 0
    written_off: int = 0
    at_risk: int = 0  # the principal outstanding of the loans in PAR30

    @classmethod
    def of(cls, label: str, sums: dict) -> "Row":
        return cls(label, **{name: sums.get(f"sum_{name}") or 0 for name in SUMS})

    def add(self, other: "Row") -> None:
        for name in SUMS:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def par30(self) -> float | None:
        """PAR30 in per cent; None with nothing outstanding."""
        return self.at_risk * 100 / self.outstanding if self.outstanding else None


@dataclass
class Portfolio:
    total: Row
    by_fund: list[Row] = field(default_factory=list)
    by_sector: list[Row] = field(default_factory=list)
    by_unit: list[Row] = field(default_factory=list)
    by_cohort: list[Row] = field(default_factory=list)
    projects: int = 0  # the funded projects
    jobs_created: int = 0  # the jobs recorded on them


def _grouped(loans: QuerySet, *keys: str, **expressions) -> list[dict]:
    return list(
        loans.order_by().values(*keys, **expressions).annotate(**SUMMED).order_by(*keys, *expressions)
    )


def _by_unit(loans: QuerySet, day: datetime.date) -> list[Row]:
    """By the unit holding each loan's commune on ``day`` (a merged commune counts in its successor)."""
    grouped = _grouped(loans, "unit")
    units = AdminUnit.objects.in_bulk([sums["unit"] for sums in grouped])
    rows: dict[int, Row] = {}
    for sums in grouped:
        holder = units[sums["unit"]].holder_on(day)
        row = Row.of(holder.name, sums)
        if holder.pk in rows:
            rows[holder.pk].add(row)
        else:
            rows[holder.pk] = row
    return sorted(rows.values(), key=lambda row: row.label)


def gather(loans: QuerySet, day: datetime.date) -> Portfolio:
    """The portfolio of ``loans`` (a ``Loan`` queryset, already narrowed to what the reader sees)."""
    funded = set(
        loans.filter(project__isnull=False)
        .order_by()
        .values_list("project", "project__jobs_created")
        .distinct()
    )
    return Portfolio(
        total=Row.of("", loans.order_by().aggregate(**SUMMED)),
        by_fund=[Row.of(sums["fund__name"], sums) for sums in _grouped(loans, "fund__name", "fund")],
        by_sector=[
            Row.of(f"{sums['sector']} – {Sector(sums['sector']).label}", sums)
            for sums in _grouped(loans, "sector")
        ],
        by_unit=_by_unit(loans, day),
        by_cohort=[
            Row.of(str(sums["year"]), sums) for sums in _grouped(loans, year=ExtractYear("contract_on"))
        ],
        projects=len(funded),
        jobs_created=sum(jobs or 0 for _project, jobs in funded),
    )
