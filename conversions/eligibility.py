"""Whether a conversion qualifies, by the dated rules of policies/ and the size class of Decree 80/2021.

The page that shows a case, the API and the registration service read this one judgement, so the
reasons the officer sees are the reasons the entitlements were granted by.
"""

import datetime
from dataclasses import dataclass

from conversions.models import Conversion
from dossiers.models import Procedure
from policies.eligibility import Result, check
from portal.sectors import Sizing, size_class


@dataclass(frozen=True)
class Judgement:
    months_as_household: int
    results: list[Result]  # every household-business entitlement in force that day, applying ones first
    sizing: Sizing

    @property
    def applying(self) -> list[Result]:
        return [result for result in self.results if result.applies]


def judge(
    conversion: Conversion,
    on: datetime.date,
    insured_workers: int | None,
    *,
    revenue: int | None,
    capital: int | None,
) -> Judgement:
    """The rules of ``on`` applied to the household business converting on that day."""
    business = conversion.household_business
    months = business.months_registered_on(on)
    facts = {
        "is_registered_household_business": True,
        "months_operating": months,
        "insured_staff": insured_workers,
        "annual_revenue": revenue,
    }
    results = check(facts, on, audience=Procedure.Audience.HOUSEHOLD_BUSINESS)
    return Judgement(
        months, results, size_class(business.sector, insured_workers or 0, revenue=revenue, capital=capital)
    )


def judge_registered(conversion: Conversion) -> Judgement | None:
    """The judgement of a registered case, on its registration day; None before."""
    if conversion.registered_on is None:
        return None
    return judge(
        conversion,
        conversion.registered_on,
        conversion.insured_workers,
        revenue=conversion.yearly_revenue,
        capital=conversion.capital,
    )


def judge_case(conversion: Conversion, today: datetime.date) -> tuple[datetime.date, Judgement]:
    """The day a case is judged on and its judgement: a registered case by the rules of its
    registration day; before that, by today's rules with the household business's workers."""
    registered = judge_registered(conversion)
    if registered is not None and conversion.registered_on is not None:
        return conversion.registered_on, registered
    workers = conversion.household_business.workers
    return today, judge(
        conversion, today, workers, revenue=conversion.yearly_revenue, capital=conversion.capital
    )
