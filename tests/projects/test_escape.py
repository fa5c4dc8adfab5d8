"""The share of poverty-escape plans that led out of poverty, by the year they were approved
(projects/escape.py), on the province of report_world.py with a third plan approved in 2026."""

import datetime

import pytest

from portal.drilldown import DrillDown, successor_links
from portal.models import User
from portal.models.units import in_subtree
from portal.reporting import units_of_period
from projects.escape import by_row, cohorts_of, escape_by_cohort, history, pool
from projects.services import plans
from tests.projects.fixtures import *  # noqa: F403
from tests.projects.report_world import World, build_world, listed, small_plan

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def world(projects) -> World:
    built = build_world(projects)
    agency = User.objects.get(pk=projects.cast.standing_officer.pk)
    # A household of Xã Cẩm Sơn's 2025 list, its plan approved in 2026 and out of poverty at the 2026
    # review.
    household = listed(
        projects, projects.cast.units.other_commune, "CS-2025-009", "Mai Văn Bò", "083180004329"
    )
    plan = small_plan(
        projects, household, livelihood="cattle", on=D(2026, 2, 1), milestones=[("Bò", D(2026, 4, 1))]
    )
    plans.approve_plan(plan=plan, by=agency, on=D(2026, 2, 10))
    plans.record_review(plan=plan, by=agency, year=2026, result="escaped", on=D(2026, 10, 30))
    return built


def shares(cohorts) -> list[tuple]:
    return [(c.year, c.approved, c.escaped, c.fell_back, c.share) for c in cohorts]


def test_a_household_that_fell_back_does_not_count_among_those_out_of_poverty(world):
    province = world.cast.units.province
    # P1 escaped at the 2025 review (15/12/2025) and fell back at the 2026 one (10/11/2026); P2 was
    # never reviewed; the cattle plan escaped at its 2026 review (30/10/2026).
    assert shares(escape_by_cohort(province, D(2026, 11, 18))) == [
        (2025, 2, 0, 1, 0.0),
        (2026, 1, 1, 0, 100.0),
    ]
    assert shares(escape_by_cohort(province, D(2026, 11, 5))) == [
        (2025, 2, 1, 0, 50.0),
        (2026, 1, 1, 0, 100.0),
    ]
    assert shares(escape_by_cohort(province, D(2026, 6, 30))) == [(2025, 2, 1, 0, 50.0), (2026, 1, 0, 0, 0.0)]
    # Before the first review, and before any plan was approved.
    assert shares(escape_by_cohort(province, D(2025, 12, 14))) == [(2025, 2, 0, 0, 0.0)]
    assert escape_by_cohort(province, D(2025, 2, 28)) == []
    assert (pool(escape_by_cohort(province, D(2026, 11, 18))).share) == 33.3


def test_the_plans_of_the_ended_communes_count_in_their_successors_rows(world):
    province, as_of = world.cast.units.province, D(2026, 11, 18)
    units = units_of_period(province, D(2026, 1, 1), as_of)
    drill_down = DrillDown(province, units, successor_links(in_subtree({province.pk})))
    rows = by_row(history(province, as_of), as_of, drill_down)
    assert {units[pk].name: shares(cohorts) for pk, cohorts in rows.items()} == {
        "Xã Chợ Lách": [(2025, 2, 0, 1, 0.0)],
        "Xã Mỏ Cày": [(2026, 1, 1, 0, 100.0)],
    }


def test_late_milestones_are_counted_on_each_day_asked(world):
    cases = {
        case.plan_id: case
        for case in history(
            world.cast.units.province, D(2026, 11, 18), late_on=[D(2025, 10, 1), D(2026, 11, 18)]
        )
    }
    # P2: its 30/09/2025 milestone on both days, its 30/06/2026 one on the second.
    assert cases[world.p2.pk].late == (1, 2)
    assert cohorts_of(list(cases.values()), D(2024, 12, 31)) == []


def test_the_cohorts_cost_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        escape_by_cohort(world.cast.units.province, D(2026, 11, 18))
