"""Survival by cohort (conversions/survival.py), on the hand-built cohorts of survival_cases.py whose
answers are worked out by hand: closures, a return to household business, a suspension that ended,
a move out of the province, enterprises too young for a column; as-of days at the end of February
of a leap year, 31 December and across the 1 July 2025 reform."""

import pytest

from conversions.survival import Survival, survival_by_cohort
from tests.conversions.fixtures import *  # noqa: F403
from tests.conversions.survival_cases import D, build_cohorts, bulk_cases, enterprise, reform

pytestmark = pytest.mark.django_db

TODAY = D(2026, 11, 18)
NONE = (0, 0, None)


def rows(cohorts) -> list[tuple]:
    """(year, enterprises, (old enough, trading, %) at 12, 24 and 36 months, reverted, closed)."""
    return [
        (
            cohort.year,
            cohort.registered,
            *((a.old_enough, a.trading, a.share) for a in cohort.at_age.values()),
            cohort.reverted,
            cohort.closed,
        )
        for cohort in cohorts
    ]


def drilled(survival: Survival) -> dict[str, list[tuple]]:
    return {unit.name: rows(cohorts) for unit, cohorts in survival.rows}


@pytest.fixture
def cohorts(conversions):
    return build_cohorts(conversions)


def test_the_survival_table_of_the_province_today(conversions, cohorts):
    survival = survival_by_cohort(conversions.cast.units.province, TODAY)
    # 2022: A trades throughout; B went back before 12 months; C was suspended at 12 months and
    # operating again by 24. 2023: H. 2024: D moved out (still trading), E dissolved before 12
    # months, F is 23 months old; none is 36 months old. 2026: G, too young for every column.
    assert rows(survival.cohorts) == [
        (2022, 3, (3, 1, 33.3), (3, 2, 66.7), (3, 2, 66.7), 1, 0),
        (2023, 1, (1, 1, 100.0), (1, 1, 100.0), (1, 1, 100.0), 0, 0),
        (2024, 3, (3, 2, 66.7), (2, 1, 50.0), NONE, 0, 1),
        (2026, 1, NONE, NONE, NONE, 0, 1),
    ]
    assert rows([survival.pooled]) == [(None, 8, (7, 4, 57.1), (6, 4, 66.7), (4, 3, 75.0), 1, 2)]
    pooled = survival.pooled
    assert dict(pooled.reverted_reasons) == {"taxes_accounting": 1, "prefers_household": 1}
    assert dict(pooled.closed_reasons) == {"market": 1, "capital": 2}
    assert drilled(survival) == {
        "Huyện Chợ Lách": rows(survival.cohorts[:1] + survival.cohorts[2:]),
        "Huyện Mỏ Cày Nam": [(2023, 1, (1, 1, 100.0), (1, 1, 100.0), (1, 1, 100.0), 0, 0)],
    }


def test_a_district_drills_down_to_its_communes(conversions, cohorts):
    survival = survival_by_cohort(conversions.cast.units.other_district, TODAY)
    assert drilled(survival) == {"Xã Cẩm Sơn": [(2023, 1, (1, 1, 100.0), (1, 1, 100.0), (1, 1, 100.0), 0, 0)]}
    commune = survival_by_cohort(conversions.cast.units.commune, TODAY)
    assert [cohort.year for cohort in commune.cohorts] == [2022, 2024, 2026]
    assert commune.rows == []


def test_on_31_december_2025(conversions, cohorts):
    survival = survival_by_cohort(conversions.cast.units.province, D(2025, 12, 31))
    # F turned 12 months on 20/12/2025; H is 32 months old; G is not registered yet.
    assert rows(survival.cohorts) == [
        (2022, 3, (3, 1, 33.3), (3, 2, 66.7), (3, 2, 66.7), 1, 0),
        (2023, 1, (1, 1, 100.0), (1, 1, 100.0), NONE, 0, 0),
        (2024, 3, (3, 2, 66.7), NONE, NONE, 0, 1),
    ]


def test_a_29_february_registration_turns_12_months_on_28_february(conversions, cohorts):
    province = conversions.cast.units.province
    # D (29/02/2024) is 12 months old on 28/02/2025; E is dissolved only from 01/03/2025.
    assert rows(survival_by_cohort(province, D(2025, 2, 28)).cohorts)[-1] == (
        2024, 3, (1, 1, 100.0), NONE, NONE, 0, 0,
    )  # fmt: skip
    assert rows(survival_by_cohort(province, D(2025, 2, 27)).cohorts)[-1] == (2024, 3, NONE, NONE, NONE, 0, 0)


def test_as_of_29_february_2028(conversions, set_today):
    set_today(D(2028, 3, 1))
    enterprise(conversions, "I", D(2027, 2, 28), [], number=11)
    enterprise(conversions, "J", D(2027, 3, 1), [], number=12)
    province = conversions.cast.units.province
    # I is 12 months old on 28/02/2028; J only on 01/03/2028.
    for day in (D(2028, 2, 28), D(2028, 2, 29)):
        assert rows(survival_by_cohort(province, day).cohorts) == [(2027, 2, (1, 1, 100.0), NONE, NONE, 0, 0)]
    assert rows(survival_by_cohort(province, D(2028, 2, 27)).cohorts) == [(2027, 2, NONE, NONE, NONE, 0, 0)]
    assert rows(survival_by_cohort(province, D(2028, 3, 1)).cohorts) == [
        (2027, 2, (2, 2, 100.0), NONE, NONE, 0, 0)
    ]


def test_across_the_reform_a_case_on_an_ended_commune_counts_in_its_successors_row(conversions, cohorts):
    reform(conversions.cast)
    province = conversions.cast.units.province
    before = survival_by_cohort(province, D(2025, 6, 30))
    assert list(drilled(before)) == ["Huyện Chợ Lách", "Huyện Mỏ Cày Nam"]
    after = survival_by_cohort(province, D(2025, 7, 1))
    assert drilled(after) == {
        # C turns 36 months only on 01/08/2025.
        "Xã Chợ Lách": [
            (2022, 3, (3, 1, 33.3), (3, 2, 66.7), (2, 1, 50.0), 1, 0),
            (2024, 3, (2, 1, 50.0), NONE, NONE, 0, 1),
        ],
        "Xã Mỏ Cày": [(2023, 1, (1, 1, 100.0), (1, 1, 100.0), NONE, 0, 0)],
    }
    # A period across the reform drills down to both the districts and the new communes.
    across = survival_by_cohort(province, D(2025, 7, 1), since=D(2025, 6, 1))
    assert list(drilled(across)) == ["Huyện Chợ Lách", "Huyện Mỏ Cày Nam", "Xã Chợ Lách", "Xã Mỏ Cày"]
    # The reform changes the rows, not the province's figures.
    assert rows(after.cohorts) == rows(before.cohorts)


@pytest.mark.parametrize("count", [3, 30])
def test_three_queries_whatever_the_number_of_conversions(
    conversions, cohorts, django_assert_num_queries, count
):
    bulk_cases(conversions, count)
    # 1 the units valid on the day, 2 the subtree's successor links, 3 the outcome history.
    with django_assert_num_queries(3):
        survival = survival_by_cohort(conversions.cast.units.province, TODAY)
    # Registered on 01/07/2023 and suspended from 30/06/2024: not trading at 12 months.
    [_2022, of_2023, *_rest] = survival.cohorts
    assert (of_2023.registered, of_2023.at_age[12].old_enough, of_2023.at_age[12].trading) == (
        1 + count,
        1 + count,
        1,
    )
