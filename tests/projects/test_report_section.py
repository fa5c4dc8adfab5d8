"""The projects' section of the review report (projects/report_sections.py) on the hand-built province
of report_world.py: known answers for the first quarter of 2026 (after the 1 July 2025 reform, with
the projects of the ended communes counting under their successors), across the reform, after a
household fell back into poverty; the queries it costs; the dashboard, the stored report and its
DOCX and XLSX."""

import datetime
import io

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from portal import figures
from portal.models import StockDay, Target
from projects.measures import PROJECTS_REGISTERED
from projects.models import (
    HouseholdListing,
    Milestone,
    PovertyPlan,
    Project,
    ProjectStep,
    ReviewResult,
    Support,
    YearlyReview,
)
from projects.report_sections import ProjectSection
from reports.building import build_report, compose
from reports.docx_report import report_docx
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod
from reports.sections import check_shape, installed_sections
from reports.services import request_report
from reports.xlsx_report import report_xlsx
from tests.projects.fixtures import *  # noqa: F403
from tests.projects.report_world import World, build_world

pytestmark = pytest.mark.django_db

D = datetime.date
Q1_2026 = (D(2026, 1, 1), D(2026, 3, 31))
Q4_2025 = (D(2025, 10, 1), D(2025, 12, 31))


@pytest.fixture
def world(projects) -> World:
    return build_world(projects)


def build(unit, period=Q1_2026, previous=Q4_2025) -> dict:
    return check_shape("projects", ProjectSection().build(unit, period, previous))


def table(content: dict, key: str) -> dict:
    [found] = [table for table in content["tables"] if table["key"] == key]
    return found


def cells(found: dict) -> list[list]:
    return [row["cells"] for row in found["rows"]]


def test_the_province_in_the_first_quarter_of_2026(world):
    Target.objects.create(unit=world.cast.units.province, year=2026, measure=PROJECTS_REGISTERED, value=100)
    content = build(world.cast.units.province)
    # New: P3 (10/01) and N1 (05/02); started: S1 (15/02) and N1 (20/03); N1's 2 jobs. Supports: S1's
    # three (8 h, 2 h, 50 million đồng), O1's (4 h) and N1's (3 h); before: S1's (6 h). The top tenth
    # of 3 projects is 1: S1's 3 of 5. Without support in the 6 months to 31/03: P1, P2 and P3; to
    # 31/12/2025: O1 and P2 (P1 got one on 05/08/2025). P2 behind (its 30/09/2025 milestone), P1 out
    # of poverty since the 2025 review (15/12/2025). Target: 100 × 90/365 = 24.7.
    assert [(m["key"], m["value"], m["previous"], m["target"]) for m in content["measures"]] == [
        ("projects_registered", 2, 0, 24.7),
        ("startups_started", 2, 0, None),
        ("jobs_created", 2, 0, None),
        ("jobs_women", 1, 0, None),
        ("jobs_young", 2, 0, None),
        ("supports", 5, 1, None),
        ("support_hours", 17.0, 6.0, None),
        ("support_value", 50_000_000, 0, None),
        ("projects_supported", 3, 1, None),
        ("supports_per_project", 1.7, 1.0, None),
        ("top_share", 60.0, 100.0, None),
        ("projects_unsupported", 2, 2, None),
        ("plans_approved", 0, 0, None),
        ("plans_on_track", 0, 0, None),
        ("plans_behind", 1, 1, None),
        ("households_escaped", 0, 1, None),
        ("plans_escaped", 1, 1, None),
        ("escape_share", 50.0, 50.0, None),
        ("models_confirmed", 1, 0, None),
        ("replications", 1, 0, None),
    ]
    by_unit = table(content, "by_unit")
    # The projects of Xã Sơn Định (ended 30/06/2025) count in Xã Chợ Lách's row, O1's in Xã Mỏ Cày's.
    assert [row["unit_id"] for row in by_unit["rows"]] == [unit.pk for unit in world.new_communes]
    assert cells(by_unit) == [
        ["Xã Chợ Lách", 1, 1, 0, 3, 1, 3.0, 100.0, 2, 0, 1, 1, 50.0, 0, 0],
        ["Xã Mỏ Cày", 1, 1, 2, 2, 2, 1.0, 50.0, 0, 0, 0, 0, None, 1, 1],
    ]
    assert by_unit["total"] == ["Total", 2, 2, 2, 5, 3, 1.7, 60.0, 2, 0, 1, 1, 50.0, 1, 1]
    assert cells(table(content, "kinds")) == [
        ["startup enterprise", 0],
        ["innovative startup", 1],
        ["household business", 0],
        ["cooperative", 0],
        ["group or individual idea", 0],
        ["poverty-escape livelihood", 1],
    ]
    assert cells(table(content, "stages")) == [
        ["idea", 0],
        ["plan", 2],
        ["started", 3],
        ["operating", 1],
        ["growing", 0],
        ["stopped", 0],
    ]
    supports = table(content, "support_kinds")
    assert [row for row in cells(supports) if row[1]] == [
        ["training", 2, 12.0, 0],
        ["mentoring", 1, 3.0, 0],
        ["advice", 1, 2.0, 0],
        ["capital connection", 1, 0.0, 50_000_000],
    ]
    assert supports["total"] == ["Total", 5, 17.0, 50_000_000]
    assert cells(table(content, "escape")) == [["2025", 2, 1, 0, 50.0]]
    assert cells(table(content, "models")) == [["Vườn ươm Cẩm Sơn", "Xã Mỏ Cày", "2026-01-20", 1]]
    assert content["flags"] == [
        {
            "where": "Xã Chợ Lách",
            "message": "%(projects)s poverty-escape projects without an approved plan.",
            "params": {"projects": 1},
        },
        {
            "where": "Xã Chợ Lách",
            "message": "%(milestones)s milestones of poverty-escape plans late (%(plans)s plans behind).",
            "params": {"milestones": 1, "plans": 1},
        },
        {
            "where": "Xã Mỏ Cày",
            "message": "%(households)s poor households on the %(year)s list and no poverty-escape plan.",
            "params": {"households": 1, "year": "2025"},
        },
    ]


def test_a_household_that_fell_back_no_longer_counts_as_out_of_poverty(world):
    # P1's 2026 review (10/11/2026) found the household fell back.
    content = build(
        world.cast.units.province, (D(2026, 10, 1), D(2026, 11, 18)), (D(2026, 7, 1), D(2026, 9, 30))
    )
    measures = {m["key"]: (m["value"], m["previous"]) for m in content["measures"]}
    assert measures["plans_escaped"] == (0, 1)
    assert measures["escape_share"] == (0.0, 50.0)
    assert measures["households_escaped"] == (0, 0)
    # Both P1 and P2 are under way again; P1's milestones (the last due 31/01/2026) are late too.
    assert measures["plans_behind"] == (2, 1)
    assert cells(table(content, "escape")) == [["2025", 2, 0, 1, 0.0]]
    assert [row[11:13] for row in cells(table(content, "by_unit"))] == [[0, 0.0], [0, None]]


def test_across_the_reform_the_ended_communes_count_in_their_successors_rows(world):
    content = build(
        world.cast.units.province, (D(2025, 7, 1), D(2025, 9, 30)), (D(2025, 4, 1), D(2025, 6, 30))
    )
    by_unit = table(content, "by_unit")
    assert [row[0] for row in cells(by_unit)] == ["Xã Chợ Lách", "Xã Mỏ Cày"]
    # P1's support (05/08/2025, on Xã Sơn Định) in Xã Chợ Lách's row; without support on 30/09: S1 and
    # P2 there (P1 supported), O1 in Xã Mỏ Cày.
    assert [(row[4], row[5], row[8]) for row in cells(by_unit)] == [(1, 1, 1), (0, 0, 1)]
    measures = {m["key"]: (m["value"], m["previous"]) for m in content["measures"]}
    assert measures["projects_registered"] == (0, 1)  # P2, 10/04/2025
    assert measures["plans_approved"] == (0, 1)
    # A quarter across the reform drills down to the districts and to the new communes.
    across = build(
        world.cast.units.province, (D(2025, 6, 1), D(2025, 7, 31)), (D(2025, 4, 1), D(2025, 5, 31))
    )
    assert [row[0] for row in cells(table(across, "by_unit"))] == [
        "Huyện Chợ Lách",
        "Huyện Mỏ Cày Nam",
        "Xã Chợ Lách",
        "Xã Mỏ Cày",
    ]


def test_a_commune_has_no_rows_and_its_own_figures(world):
    content = build(world.new_communes[1])
    assert "by_unit" not in [table["key"] for table in content["tables"]]
    measures = {m["key"]: m["value"] for m in content["measures"]}
    assert (measures["projects_registered"], measures["supports"], measures["replications"]) == (1, 2, 1)
    assert [flag["where"] for flag in content["flags"]] == ["Xã Mỏ Cày"]


def bulk_rows(world: World, count: int) -> None:
    """``count`` more projects of Xã Sơn Định written straight to the tables, each with two steps, two
    supports and a plan approved in 2025 with a late milestone and a review."""
    officer, unit = world.cast.standing_officer, world.cast.units.commune
    head = world.projects.household.head
    made = Project.objects.bulk_create(
        Project(
            name=f"Dự án {number}",
            kind="poverty_escape",
            sector="A",
            unit=unit,
            stage="started",
            registered_on=D(2025, 2, 1),
            registered_by=officer,
        )
        for number in range(count)
    )
    ProjectStep.objects.bulk_create(
        ProjectStep(project=project, stage=stage, taken_on=on, by=officer)
        for project in made
        for stage, on in (("plan", D(2025, 2, 1)), ("started", D(2026, 2, 1)))
    )
    Support.objects.bulk_create(
        Support(project=project, kind=kind, organisation="Trung tâm", given_on=on, hours=2, by=officer)
        for project in made
        for kind, on in (("training", D(2026, 1, 5)), ("advice", D(2025, 11, 5)))
    )
    listings = HouseholdListing.objects.bulk_create(
        HouseholdListing(
            unit=unit,
            year=2025,
            household_code=f"BULK-{number}",
            head=head,
            category="poor",
            income_per_person=1_000_000,
            deprivations=3,
            standard=world.projects.household.standard,
        )
        for number in range(count)
    )
    plans = PovertyPlan.objects.bulk_create(
        PovertyPlan(
            project=project,
            household=listing,
            livelihood="goats",
            description="Nuôi dê",
            budget_total=1,
            expected_monthly_income=1,
            starts_on=D(2025, 2, 1),
            ends_on=D(2026, 12, 31),
            status="approved",
            approved_on=D(2025, 2, 10),
            approved_by=officer,
            written_by=officer,
        )
        for project, listing in zip(made, listings, strict=True)
    )
    Milestone.objects.bulk_create(
        Milestone(plan=plan, title="Chuồng", due_on=D(2025, 6, 1), planned_on=D(2025, 6, 1), supporter="Tổ")
        for plan in plans
    )
    YearlyReview.objects.bulk_create(
        YearlyReview(
            plan=plan, year=2025, result=ReviewResult.STILL_POOR, reviewed_on=D(2025, 12, 1), by=officer
        )
        for plan in plans
    )


# The units of the period, the successor links, the targets, the projects, the supports, the plans
# with their reviews and late milestones, the poor households' lists, the models.
# The stock stored on both periods' last days, or counted on each (projects/daily_figures.py).
SECTION_QUERIES = {"stored": 10, "counted": 11}


@pytest.mark.parametrize("stock", ["stored", "counted"])
@pytest.mark.parametrize("count", [3, 30])
def test_the_section_costs_the_same_queries_whatever_the_rows(world, count, stock):
    bulk_rows(world, count)
    figures.rebuild()
    if stock == "counted":
        StockDay.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        content = build(world.cast.units.province)
    assert len(queries) == SECTION_QUERIES[stock]
    measures = {m["key"]: (m["value"], m["previous"]) for m in content["measures"]}
    assert measures["supports"] == (5 + count, 1 + count)
    assert measures["plans_behind"] == (1 + count, 1 + count)
    assert table(content, "escape")["total"][1] == 2 + count


def test_the_section_is_installed_after_the_conversions():
    keys = [section.key for section in installed_sections()]
    assert keys.index("projects") == keys.index("conversions") + 1


Q1_REVIEW = ReviewPeriod(PeriodKind.QUARTERLY, *Q1_2026)


def test_the_dashboard_shows_the_section_and_the_report_its_docx_and_xlsx_agree(world, login):
    province = world.cast.units.province
    client = login(world.cast.council_member)
    response = client.get(
        reverse("reports:dashboard"),
        {"kind": "quarterly", "year": 2026, "part": 1},
    )
    assert response.status_code == 200
    shown = {section["key"]: section for section in response.context["data"]["sections"]}
    assert shown["projects"]["title"] == "Startup projects and poverty escape"
    page = response.content.decode()
    assert "Dự án khởi nghiệp và khởi nghiệp thoát nghèo" in page and "Vườn ươm Cẩm Sơn" in page
    report = request_report(unit=province, period=Q1_REVIEW, by=world.cast.standing_officer)
    assert build_report(report_id=report.pk)
    stored_report = ReviewReport.objects.get(pk=report.pk)
    stored = {s["key"]: s for s in stored_report.data["sections"]}
    assert stored["projects"] == shown["projects"]
    composed = {section["key"]: section for section in compose(province, Q1_REVIEW)["sections"]}
    assert composed["projects"] == stored["projects"]
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Dự án khởi nghiệp và khởi nghiệp thoát nghèo" in page and "Vườn ươm Cẩm Sơn" in page
    with translation.override("en"):
        document = docx.Document(io.BytesIO(report_docx(stored_report)))
        workbook = load_workbook(io.BytesIO(report_xlsx(stored_report)))
    assert any(p.text.endswith("STARTUP PROJECTS AND POVERTY ESCAPE") for p in document.paragraphs)
    texts = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "Vườn ươm Cẩm Sơn" in texts
    assert any(name.startswith("Startup projects") for name in workbook.sheetnames)
