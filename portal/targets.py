"""Annual targets (chỉ tiêu) against a period: pro-rated by days, and what was achieved of them.

A year's target is pro-rated to a period by days: for every calendar year the period touches, the
year's target × the period's days in that year ÷ the days of that year, summed. When a year the
period touches has no target, the measure has no target for the period.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from portal.models import Target
from portal.periods import Period
from portal.target_measures import measure_label


def pro_rate(annual: dict[int, int], period: Period) -> Fraction | None:
    """The targets of the years the period touches, each weighted by the share of its year's days."""
    total = Fraction(0)
    for year in period.years():
        if year not in annual:
            return None
        start, end = (
            max(period.first, datetime.date(year, 1, 1)),
            min(period.last, datetime.date(year, 12, 31)),
        )
        days_in_year = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
        total += Fraction(annual[year] * ((end - start).days + 1), days_in_year)
    return total


def one_decimal(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Progress:
    """What was achieved of one measure against its pro-rated target (None: no target set)."""

    measure: str
    achieved: int
    exact_target: Fraction | None

    @property
    def label(self) -> str:
        return str(measure_label(self.measure))

    @property
    def target(self) -> Decimal | None:
        return None if self.exact_target is None else one_decimal(self.exact_target)

    @property
    def percent(self) -> int | None:
        """Per cent of the target achieved, rounded down; None without a (non-zero) target."""
        if not self.exact_target:
            return None
        return int(Fraction(self.achieved * 100) / self.exact_target)

    @property
    def bar_width(self) -> int:
        """The percent achieved, at most 100, for a bar."""
        return min(self.percent or 0, 100)

    @property
    def is_under_half(self) -> bool:
        return self.exact_target is not None and 2 * self.achieved < self.exact_target


def annual_targets(unit_ids, years) -> dict[tuple[int, str], dict[int, int]]:
    """(unit id, measure) → {year: value}, in one query."""
    targets: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for unit_id, measure, year, value in Target.objects.filter(
        unit_id__in=unit_ids, year__in=years
    ).values_list("unit_id", "measure", "year", "value"):
        targets[(unit_id, measure)][year] = value
    return targets
