"""Review periods: the month, the quarter, the first six and nine months, and the year.

Six- and nine-monthly reviews (sơ kết) count from the first of January. The previous period of a
kind is the one before it of the same kind: the previous month or quarter, and for the cumulative
kinds the same months of the year before.
"""

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ROMAN = ("I", "II", "III", "IV")


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", _("monthly")
    QUARTERLY = "quarterly", _("quarterly")
    SIX_MONTHS = "six_months", _("six-monthly")
    NINE_MONTHS = "nine_months", _("nine-monthly")
    ANNUAL = "annual", _("annual")


def _month_end(year: int, month: int) -> datetime.date:
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


@dataclass(frozen=True)
class ReviewPeriod:
    kind: str
    first: datetime.date
    last: datetime.date

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> "ReviewPeriod":
        """The period of ``kind`` that ``day`` falls in (for the cumulative kinds: of ``day``'s year)."""
        year = day.year
        if kind == PeriodKind.MONTHLY:
            return cls(kind, day.replace(day=1), _month_end(year, day.month))
        if kind == PeriodKind.QUARTERLY:
            first_month = 3 * ((day.month - 1) // 3) + 1
            return cls(kind, datetime.date(year, first_month, 1), _month_end(year, first_month + 2))
        months = {PeriodKind.SIX_MONTHS: 6, PeriodKind.NINE_MONTHS: 9, PeriodKind.ANNUAL: 12}[kind]
        return cls(kind, datetime.date(year, 1, 1), _month_end(year, months))

    @classmethod
    def last_ended(cls, kind: str, day: datetime.date) -> "ReviewPeriod":
        """The latest period of ``kind`` that ended before ``day``."""
        period = cls.containing(kind, day)
        while period.last >= day:
            period = period.previous()
        return period

    def previous(self) -> "ReviewPeriod":
        if self.kind in (PeriodKind.MONTHLY, PeriodKind.QUARTERLY):
            return ReviewPeriod.containing(self.kind, self.first - datetime.timedelta(days=1))
        return ReviewPeriod.containing(self.kind, self.first.replace(year=self.first.year - 1))

    @property
    def label(self) -> str:
        """The period as Vietnamese reports name it, in the active language."""
        year = self.first.year
        if self.kind == PeriodKind.MONTHLY:
            return gettext("Month %(month)s/%(year)s") % {"month": self.first.month, "year": year}
        if self.kind == PeriodKind.QUARTERLY:
            quarter = ROMAN[(self.first.month - 1) // 3]
            return gettext("Quarter %(quarter)s/%(year)s") % {"quarter": quarter, "year": year}
        if self.kind == PeriodKind.SIX_MONTHS:
            return gettext("First six months of %(year)s") % {"year": year}
        if self.kind == PeriodKind.NINE_MONTHS:
            return gettext("First nine months of %(year)s") % {"year": year}
        return gettext("Year %(year)s") % {"year": year}

    @property
    def part(self) -> int | None:
        """The month of a monthly period, the quarter of a quarterly one; None for the others."""
        if self.kind == PeriodKind.MONTHLY:
            return self.first.month
        if self.kind == PeriodKind.QUARTERLY:
            return (self.first.month - 1) // 3 + 1
        return None

    @property
    def query(self) -> str:
        """The period as the dashboard's query string."""
        query = f"kind={self.kind}&year={self.first.year}"
        return query if self.part is None else f"{query}&part={self.part}"

    @property
    def slug(self) -> str:
        """A short name for file names: ``2026-Q3``, ``2026-06``, ``2026-6M``, ``2026-9M``, ``2026``."""
        year = self.first.year
        return {
            PeriodKind.MONTHLY: f"{year}-{self.first.month:02d}",
            PeriodKind.QUARTERLY: f"{year}-Q{(self.first.month - 1) // 3 + 1}",
            PeriodKind.SIX_MONTHS: f"{year}-6M",
            PeriodKind.NINE_MONTHS: f"{year}-9M",
            PeriodKind.ANNUAL: f"{year}",
        }[self.kind]
