"""Hand-built cohorts for the survival table and the report section, through the services.

Xã Sơn Định (the cast's commune, Huyện Chợ Lách):

| case | registered  | what became of it                                                          |
|------|-------------|----------------------------------------------------------------------------|
| A    | 15/03/2022  | operating                                                                  |
| B    | 10/05/2022  | returned to household business 20/01/2023 (taxes/accounting, prefers HB)   |
| C    | 01/08/2022  | suspended 01/06/2023 (capital), operating again 01/02/2024                 |
| D    | 29/02/2024  | moved out of the province 01/10/2024 (market)                              |
| E    | 10/06/2024  | dissolved 01/03/2025 (market, capital)                                     |
| F    | 20/12/2024  | operating                                                                  |
| G    | 01/03/2026  | bankrupt 01/09/2026 (capital)                                              |

Xã Cẩm Sơn (the other commune, Huyện Mỏ Cày Nam): H registered 01/04/2023, operating.
"""

import datetime
from dataclasses import dataclass

from conversions.models import Conversion, HouseholdBusiness, Outcome, OutcomeChange, Stage
from conversions.services import cases
from tests.conversions.fixtures import Conversions
from tests.factories import AdminUnitFactory

D = datetime.date

STORY = {
    "A": (D(2022, 3, 15), []),
    "B": (D(2022, 5, 10), [(Outcome.REVERTED, D(2023, 1, 20), ["taxes_accounting", "prefers_household"])]),
    "C": (
        D(2022, 8, 1),
        [(Outcome.SUSPENDED, D(2023, 6, 1), ["capital"]), (Outcome.OPERATING, D(2024, 2, 1), [])],
    ),
    "D": (D(2024, 2, 29), [(Outcome.MOVED_OUT, D(2024, 10, 1), ["market"])]),
    "E": (D(2024, 6, 10), [(Outcome.DISSOLVED, D(2025, 3, 1), ["market", "capital"])]),
    "F": (D(2024, 12, 20), []),
    "G": (D(2026, 3, 1), [(Outcome.BANKRUPT, D(2026, 9, 1), ["capital"])]),
}


class OtherCommune(Conversions):
    """The same world, acting as the other commune's officer."""

    @property
    def officer(self):
        return self.cast.other_commune_officer


@dataclass
class Cohorts:
    world: Conversions
    cases: dict[str, Conversion]


def enterprise(world: Conversions, letter: str, registered_on, outcomes, *, unit=None, number: int = 0):
    business = world.add(
        f"Cơ sở {letter}",
        f"56C80{number:05d}",
        national_id=f"0830950{number:05d}",
        unit=unit,
    )
    conversion = world.registered(business, on=registered_on, code=f"13001{number:05d}")
    for outcome, since, reasons in outcomes:
        conversion = cases.record_outcome(
            conversion=conversion, by=world.officer, outcome=outcome, since=since, reasons=reasons
        )
    return conversion


def build_cohorts(conversions: Conversions) -> Cohorts:
    built = {
        letter: enterprise(conversions, letter, registered_on, outcomes, number=number)
        for number, (letter, (registered_on, outcomes)) in enumerate(STORY.items(), start=1)
    }
    other = OtherCommune(conversions.cast, conversions.shop, conversions.business, conversions.other_business)
    built["H"] = enterprise(
        other, "H", D(2023, 4, 1), [], unit=conversions.cast.units.other_commune, number=8
    )
    return Cohorts(conversions, built)


BULK_REGISTERED_ON = D(2023, 7, 1)


def bulk_cases(conversions: Conversions, count: int, *, registered_on=BULK_REGISTERED_ON) -> None:
    """``count`` more enterprises of the commune, written straight to the tables: operating, then
    suspended a year later (two outcome rows each)."""
    owner, officer, unit = conversions.business.owner, conversions.officer, conversions.cast.units.commune
    businesses = HouseholdBusiness.objects.bulk_create(
        HouseholdBusiness(
            name=f"Hộ {number}",
            owner=owner,
            registration_number=f"BULK{number:06d}",
            registered_on=D(2019, 1, 1),
            address="Ấp 2",
            unit=unit,
            sector="C",
            status=HouseholdBusiness.Status.CONVERTED,
        )
        for number in range(count)
    )
    made = Conversion.objects.bulk_create(
        Conversion(
            household_business=business,
            unit=unit,
            stage=Stage.OUTCOME,
            enterprise_code=f"9{number:09d}",
            enterprise_name=f"Công ty {number}",
            registered_on=registered_on,
            outcome=Outcome.SUSPENDED,
            outcome_since=registered_on + datetime.timedelta(days=365),
            opened_by=officer,
            opened_on=registered_on - datetime.timedelta(days=30),
        )
        for number, business in enumerate(businesses)
    )
    OutcomeChange.objects.bulk_create(
        OutcomeChange(conversion=conversion, outcome=outcome, since=since, by=officer, reasons=reasons)
        for conversion in made
        for outcome, since, reasons in (
            (Outcome.OPERATING, registered_on, []),
            (Outcome.SUSPENDED, registered_on + datetime.timedelta(days=365), ["capital"]),
        )
    )


def reform(cast):
    """1 July 2025: the districts and the two communes end on 30/06/2025; Xã Chợ Lách (from Sơn Định)
    and Xã Mỏ Cày (from Cẩm Sơn) are formed under the province. Returns the two new communes."""
    last = D(2025, 6, 30)
    units = cast.units
    for unit in (units.district, units.other_district, units.commune, units.other_commune):
        unit.valid_until = last
        unit.save(update_fields=["valid_until"])
    new = []
    for old, name, code in (
        (units.commune, "Xã Chợ Lách", "99901"),
        (units.other_commune, "Xã Mỏ Cày", "99902"),
    ):
        successor = AdminUnitFactory(code=code, name=name, parent=units.province, valid_from=D(2025, 7, 1))
        old.successors.add(successor)
        new.append(successor)
    return new
