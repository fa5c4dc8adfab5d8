"""The projects' stock (projects/daily_figures.py): the projects by stage, without support and without an
approved plan, stored on each month's last day and the nightly job's day, kept equal to the rows by the
project services, and the section reading the same whether its days are stored or counted.

The projects of tests/projects/fixtures.py: a startup registered at the plan stage on 10/03/2024 (in
Xã Sơn Định), another startup on 02/05/2024 (Xã Mỏ Cày), a household's poverty-escape plan written on
20/02/2025; the clock on the suite's day, 18/11/2026.
"""

import datetime
from decimal import Decimal

import pytest

from dossiers.services.applicants import Person
from portal import figures
from portal.models import StockDay
from projects.daily_figures import PORTFOLIO, STAGE, STAGES, UNSUPPORTED, WITHOUT_PLAN
from projects.models import Project, Stage
from projects.report_sections import ProjectSection
from projects.services.projects import correct_step, move_stage, register_project
from projects.services.support import record_support
from tests.projects.fixtures import *  # noqa: F403
from tests.projects.report_world import build_world

pytestmark = pytest.mark.django_db

D = datetime.date


def stock_on(unit_id: int, day: datetime.date) -> dict[str, int]:
    """The unit's stock on the day: each stage's projects by name, and the projects without support and
    without an approved plan."""
    found = {}
    for (_day, measure, _unit, subject), value in figures.values_on(PORTFOLIO, [unit_id], [day]).items():
        found[STAGES[subject] if measure == STAGE else measure] = value
    return found


@pytest.fixture
def stocked(projects):
    figures.rebuild()  # as the nightly job: stored on each month's end since March 2024, and today
    return projects


def test_the_stock_is_stored_on_the_month_ends_since_the_first_project(stocked):
    days = sorted(StockDay.objects.filter(stock=PORTFOLIO.key).values_list("day", flat=True))
    assert days[:3] == [D(2024, 3, 31), D(2024, 4, 30), D(2024, 5, 31)]
    assert days[-2:] == [D(2026, 10, 31), D(2026, 11, 18)]
    commune = stocked.startup.unit_id
    # Registered on 10 March, at the plan stage; no support in the six months up to 30 September.
    assert stock_on(commune, D(2024, 3, 9)) == {}
    assert stock_on(commune, D(2024, 3, 31)) == {Stage.PLAN: 1}
    assert stock_on(commune, D(2024, 9, 30)) == {Stage.PLAN: 1, UNSUPPORTED: 1}


def test_the_project_services_keep_the_stock_equal_to_the_rows(stocked, cast):
    agency, commune = cast.standing_officer, stocked.startup.unit_id
    today = stock_on(commune, D(2026, 11, 18))
    move_stage(project=stocked.startup, to=Stage.STARTED, by=agency, on=D(2024, 9, 1))
    assert figures.differences() == []
    assert stock_on(commune, D(2024, 9, 30)) == {Stage.STARTED: 1, UNSUPPORTED: 1}

    correct_step(
        project=Project.objects.get(pk=stocked.startup.pk), by=agency, on=D(2026, 11, 18), note="Ghi nhầm."
    )
    assert figures.differences() == []
    assert stock_on(commune, D(2026, 11, 18)) == today

    # A support given on 1 June 2024 covers the six months up to 30 November 2024.
    record_support(
        project=stocked.startup,
        by=agency,
        kind="training",
        given_on=D(2024, 6, 1),
        organisation="Sở KH&CN",
        hours=Decimal(3),
    )
    assert figures.differences() == []
    assert stock_on(commune, D(2024, 9, 30)) == {Stage.STARTED: 1}
    assert stock_on(commune, D(2024, 12, 31)) == {Stage.STARTED: 1, UNSUPPORTED: 1}

    plan_unit = stocked.plan.project.unit_id
    assert stock_on(plan_unit, D(2025, 3, 31))[WITHOUT_PLAN] == 1
    stocked.approved_plan(on=D(2025, 3, 1))
    assert figures.differences() == []
    assert WITHOUT_PLAN not in stock_on(plan_unit, D(2025, 3, 31))

    register_project(
        by=agency,
        founders=[Person(full_name="Ngô Thị Homestay", national_id="083190004325")],
        address="Ấp Phước Hậu",
        on=D(2025, 6, 30),
        name="Homestay vườn dừa",
        kind="innovative",
        sector="I",
        unit=stocked.startup.unit,
    )
    assert figures.differences() == []
    assert stock_on(commune, D(2025, 6, 30))[Stage.IDEA] == 1
    assert figures.check_and_rebuild() == []


def test_a_write_round_the_services_is_found_and_repaired_by_the_nightly_job(stocked):
    # Registered on 1 May instead of 10 March: not there on the first two month ends, and no longer
    # registered six months before 30 September and 31 October (so not counted as without support).
    Project.objects.filter(pk=stocked.startup.pk).update(registered_on=D(2024, 5, 1))
    found = figures.differences()
    plan = STAGES.index(Stage.PLAN)
    assert {(d.measure, d.day, d.subject, d.stored, d.counted) for d in found} == {
        (STAGE, D(2024, 3, 31), plan, 1, 0),
        (STAGE, D(2024, 4, 30), plan, 1, 0),
        (UNSUPPORTED, D(2024, 9, 30), 0, 1, 0),
        (UNSUPPORTED, D(2024, 10, 31), 0, 1, 0),
    }
    assert figures.check_and_rebuild() == found
    assert figures.differences() == []


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        ((D(2026, 1, 1), D(2026, 3, 31)), (D(2025, 10, 1), D(2025, 12, 31))),  # both ends stored
        ((D(2026, 1, 1), D(2026, 3, 20)), (D(2025, 10, 1), D(2025, 12, 20))),  # neither
    ],
)
def test_the_section_reads_the_same_stored_or_counted(projects, period, previous):
    world = build_world(projects)
    province = world.projects.cast.units.province
    read = ProjectSection().build(province, period, previous)
    StockDay.objects.all().delete()
    assert ProjectSection().build(province, period, previous) == read
    [stages] = [table for table in read["tables"] if table["key"] == "stages"]
    assert stages["total"][1] > 0
