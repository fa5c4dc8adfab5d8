"""What a fund publishes (the public disclosure page, and the API later): its capital by source, the
contributions received, the loans granted by quarter, sector and commune, the repayments and the
losses — counts and amounts only, never a borrower's name, CCCD, phone or contract.

The capital is the ledger's (the capital accounts by source, the interest earned), the loans' figures
the loans' own columns; each group is one grouped query. A contributor who asked to stay anonymous is
published without a name: the name never leaves the database for the public page.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, CharField, Count, F, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils.translation import gettext as _

from fund.models import CONTRIBUTED, AccountKind, Contribution, Fund, Loan, Regulation
from portal.drilldown import successor_links
from portal.models import AdminUnit
from portal.sectors import Sector

# A receipt whose posting was reversed (a mistake undone) is not money received.
STANDING_RECEIPT = Q(receipts__transaction__reversed_by__isnull=True)


def source_rows(capital: dict[str, int]) -> list[tuple[str, str, int]]:
    """(source, its label, received) of each contributed source, in the order of ``CONTRIBUTED``."""
    return [(source.value, source.label, capital.get(source.value, 0)) for source in CONTRIBUTED]


@dataclass(frozen=True)
class Group:
    """Loans granted in one quarter, sector or commune: how many, the amounts approved and released."""

    key: str
    label: str
    count: int
    amount: int
    disbursed: int


@dataclass
class Disclosure:
    fund: Fund
    on: datetime.date
    regulation: Regulation | None
    # Received by source (the capital accounts): state budget, enterprises, individuals.
    capital: dict[str, int] = field(default_factory=dict)
    recycled: int = 0  # principal repaid, lent again
    interest_earned: int = 0
    loans: int = 0
    approved: int = 0
    disbursed: int = 0
    outstanding: int = 0
    principal_repaid: int = 0
    interest_repaid: int = 0
    written_off_loans: int = 0
    written_off: int = 0
    by_quarter: list[Group] = field(default_factory=list)
    by_sector: list[Group] = field(default_factory=list)
    by_unit: list[Group] = field(default_factory=list)

    @property
    def capital_received(self) -> int:
        return sum(self.capital.values())

    @property
    def capital_rows(self) -> list[tuple[str, str, int]]:
        return source_rows(self.capital)

    @property
    def repaid(self) -> int:
        return self.principal_repaid + self.interest_repaid

    @property
    def target_share(self) -> int | None:
        """The capital received as a whole percentage of the fund's target (None without a target)."""
        if not self.fund.capital_target:
            return None
        return self.capital_received * 100 // self.fund.capital_target


# --- Several funds at once (the lists) --------------------------------------------------------------------


def regulations_in_force(fund_ids, day: datetime.date) -> dict[int, Regulation]:
    """Each fund's version in force on ``day`` (one query); a fund without one is missing."""
    found: dict[int, Regulation] = {}
    for regulation in (
        Regulation.objects.filter(fund_id__in=fund_ids, effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("fund_id", "-effective_from")
    ):
        found.setdefault(regulation.fund_id, regulation)
    return found


def balances_by_fund(fund_ids) -> dict[int, dict[str, int]]:
    """Each fund's capital received and cash (one grouped query over the funds' own accounts)."""
    found: dict[int, dict[str, int]] = {pk: {"capital": 0, "cash": 0} for pk in fund_ids}
    for fund_id, kind, total in (
        Fund.objects.filter(pk__in=fund_ids)
        .filter(accounts__loan__isnull=True, accounts__kind__in=(AccountKind.CAPITAL, AccountKind.CASH))
        .values_list("pk", "accounts__kind")
        .annotate(total=Sum("accounts__balance"))
        .order_by()
    ):
        # Capital is a credit balance: shown with the sign turned.
        found[fund_id]["capital" if kind == AccountKind.CAPITAL else "cash"] = (
            -total if kind == AccountKind.CAPITAL else total
        )
    return found


# --- One fund ----------------------------------------------------------------------------------------------


def received_contributions(fund: Fund) -> QuerySet:
    """The fund's pledges that received money, the latest first, as the public sees them: ``shown_name``
    (empty for an anonymous contributor), ``source``, ``received`` and ``last_received``."""
    return (
        Contribution.objects.filter(fund=fund)
        .annotate(
            received=Sum("receipts__amount", filter=STANDING_RECEIPT),
            last_received=Max("receipts__received_on", filter=STANDING_RECEIPT),
            shown_name=Case(
                When(anonymous=True, then=Value("")), default=F("contributor"), output_field=CharField()
            ),
        )
        .filter(received__gt=0)
        .order_by("-last_received", "-pk")
        .values("pk", "shown_name", "source", "received", "last_received")
    )


def capital_by_source(fund: Fund) -> tuple[dict[str, int], int]:
    """What ``fund`` received by contributed source, and the interest it earned (its ledger's accounts,
    one query)."""
    capital: dict[str, int] = {}
    interest = 0
    for kind, source, balance in fund.accounts.filter(
        loan__isnull=True, kind__in=(AccountKind.CAPITAL, AccountKind.INTEREST_INCOME)
    ).values_list("kind", "source", "balance"):
        # Both are credit balances: shown with the sign turned.
        if kind == AccountKind.INTEREST_INCOME:
            interest -= balance
        elif source in CONTRIBUTED:
            capital[source] = capital.get(source, 0) - balance
    return capital, interest


def _loan_totals(disclosure: Disclosure, loans: QuerySet) -> None:
    totals = loans.aggregate(
        loans=Count("pk"),
        approved=Sum("amount"),
        disbursed=Sum("disbursed"),
        outstanding=Sum("outstanding"),
        principal_repaid=Sum("principal_repaid"),
        interest_repaid=Sum("interest_repaid"),
        written_off_loans=Count("pk", filter=Q(status=Loan.Status.WRITTEN_OFF)),
        written_off=Sum("written_off"),
    )
    for name, value in totals.items():
        setattr(disclosure, name, value or 0)
    disclosure.recycled = disclosure.principal_repaid


def _grouped(loans: QuerySet, *keys: str) -> list[tuple]:
    return list(
        loans.values_list(*keys)
        .annotate(count=Count("pk"), amount=Sum("amount"), disbursed=Sum("disbursed"))
        .order_by(*keys)
    )


def _by_quarter(loans: QuerySet) -> list[Group]:
    rows = _grouped(
        loans.annotate(year=ExtractYear("contract_on"), quarter=ExtractQuarter("contract_on")),
        "year",
        "quarter",
    )
    return [
        Group(
            f"{year}-Q{quarter}",
            _("Q%(quarter)s/%(year)s") % {"quarter": quarter, "year": year},
            count,
            amount,
            disbursed,
        )
        for year, quarter, count, amount, disbursed in rows
    ]


def _by_sector(loans: QuerySet) -> list[Group]:
    labels = dict(Sector.choices)
    return [
        Group(sector, str(labels.get(sector, sector)), count, amount, disbursed)
        for sector, count, amount, disbursed in _grouped(loans, "sector")
    ]


def _holder(unit_id: int, links: dict[int, list[int]]) -> int:
    """The unit that holds ``unit_id``'s territory today (the first successor of a split)."""
    seen = set()
    while unit_id in links and unit_id not in seen:
        seen.add(unit_id)
        unit_id = links[unit_id][0]
    return unit_id


def _by_unit(loans: QuerySet) -> list[Group]:
    """By the commune that holds the loan's commune today (three queries: the counts, the successors of
    the communes that ended, the names)."""
    rows = _grouped(loans, "unit_id")
    if not rows:
        return []
    links = successor_links(AdminUnit.objects.filter(valid_until__isnull=False).values("pk"))
    totals: dict[int, list[int]] = {}
    for unit_id, count, amount, disbursed in rows:
        tally = totals.setdefault(_holder(unit_id, links), [0, 0, 0])
        tally[0], tally[1], tally[2] = tally[0] + count, tally[1] + amount, tally[2] + disbursed
    units = AdminUnit.objects.filter(pk__in=totals).in_vietnamese_order()
    return [Group(str(unit.pk), unit.name, *totals[unit.pk]) for unit in units]


def disclose(fund: Fund, on: datetime.date) -> Disclosure:
    """``fund``'s published figures on ``on`` (eight queries whatever the number of loans)."""
    disclosure = Disclosure(fund=fund, on=on, regulation=regulations_in_force([fund.pk], on).get(fund.pk))
    disclosure.capital, disclosure.interest_earned = capital_by_source(fund)
    loans = Loan.objects.filter(fund=fund)
    _loan_totals(disclosure, loans)
    disclosure.by_quarter = _by_quarter(loans)
    disclosure.by_sector = _by_sector(loans)
    disclosure.by_unit = _by_unit(loans)
    return disclosure
