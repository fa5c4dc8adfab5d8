"""The conversions' section of the review report (conversions/report_sections.py) on the hand-built
cohorts of survival_cases.py, with a candidate of Xã Cẩm Sơn identified on 10/02/2026: known answers
for the first quarter of 2026, across the 1 July 2025 reform, the queries it costs, the dashboard and
the stored report."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conversions.measures import CONVERSIONS_REGISTERED
from conversions.report_sections import ConversionSection
from conversions.services import cases
from portal.models import Target
from reports.building import build_report, compose
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod
from reports.sections import check_shape, installed_sections
from reports.services import request_report
from tests.conversions.fixtures import *  # noqa: F403
from tests.conversions.survival_cases import D, build_cohorts, bulk_cases, reform

pytestmark = pytest.mark.django_db

Q1_2026 = (D(2026, 1, 1), D(2026, 3, 31))
Q4_2025 = (D(2025, 10, 1), D(2025, 12, 31))


@pytest.fixture
def world(conversions):
    build_cohorts(conversions)
    cases.identify_candidate(
        business=conversions.other_business, by=conversions.cast.other_commune_officer, on=D(2026, 2, 10)
    )
    return conversions


def build(unit, period=Q1_2026, previous=Q4_2025) -> dict:
    return check_shape("conversions", ConversionSection().build(unit, period, previous))


def table(content: dict, key: str) -> dict:
    [found] = [table for table in content["tables"] if table["key"] == key]
    return found


def cells(found: dict) -> list[list]:
    return [row["cells"] for row in found["rows"]]


def test_the_province_in_the_first_quarter_of_2026(world):
    Target.objects.create(unit=world.cast.units.province, year=2026, measure=CONVERSIONS_REGISTERED, value=20)
    content = build(world.cast.units.province)
    # G was identified (20/01), advised (30/01) and registered (01/03), Cẩm Sơn's candidate identified
    # (10/02). One visit due: D's 24-month one (28/02/2026). Late on 31/03: every visit due before it
    # (A, B, C 6 each, D 5, E 4, F 4, H 5), none done; on 31/12/2025 not D's 24-month one yet.
    # Granted: G's three (no licence-fee exemption from 2026); ending: H's tax advice (31/03/2026),
    # before: D, E, F and H's licence-fee exemptions (31/12/2025). Target: 20 × 90/365 = 4.9.
    assert [(m["key"], m["value"], m["previous"], m["target"]) for m in content["measures"]] == [
        ("candidates_identified", 2, 0, None),
        ("advised", 1, 0, None),
        ("conversions_registered", 1, 0, 4.9),
        ("in_pipeline", 1, 0, None),
        ("visits_due", 1, 1, None),
        ("visits_done", 0, 0, None),
        ("visits_late", 36, 35, None),
        ("entitlements_granted", 3, 0, None),
        ("entitlements_ending", 1, 4, None),
        ("reverted", 1, 1, None),
        ("closed", 1, 1, None),
        ("survival_12", 57.1, 57.1, None),
    ]
    by_unit = table(content, "by_unit")
    assert [row["unit_id"] for row in by_unit["rows"]] == [
        world.cast.units.district.pk,
        world.cast.units.other_district.pk,
    ]
    assert cells(by_unit) == [
        ["Huyện Chợ Lách", 1, 1, 1, 0, 1, 0, 31, 1, 1, 50.0],
        ["Huyện Mỏ Cày Nam", 1, 0, 0, 1, 0, 0, 5, 0, 0, 100.0],
    ]
    assert by_unit["total"] == ["Total", 2, 1, 1, 1, 1, 0, 36, 1, 1, 57.1]
    assert cells(table(content, "pipeline")) == [
        ["identified", 1],
        ["advised", 0],
        ["dossier filed", 0],
        ["enterprise registered", 4],
        ["followed up", 0],
        ["outcome recorded", 4],
    ]
    survival = table(content, "survival")
    # On 31/03/2026 D (moved out) is 24 months old; H is 36 months old only on 01/04/2026.
    assert cells(survival) == [
        ["2022", 3, 3, 1, 33.3, 3, 2, 66.7, 3, 2, 66.7, 1, 0],
        ["2023", 1, 1, 1, 100.0, 1, 1, 100.0, 0, 0, None, 0, 0],
        ["2024", 3, 3, 2, 66.7, 1, 1, 100.0, 0, 0, None, 0, 1],
        ["2026", 1, 0, 0, None, 0, 0, None, 0, 0, None, 0, 0],
    ]
    assert survival["total"] == ["All years", 8, 7, 4, 57.1, 5, 4, 80.0, 3, 2, 66.7, 1, 1]
    assert cells(table(content, "reasons")) == [
        ["tax and accounting burden", 1, 0],
        ["no market, falling sales", 0, 1],
        ["lack of capital", 0, 1],
        ["household business form suits better", 1, 0],
    ]
    assert table(content, "entitlements")["total"] == ["Total", 3, 1]
    assert content["flags"] == [
        {
            "where": "Xã Cẩm Sơn",
            "message": "%(candidates)s cases in the pipeline and no enterprise registered in the period.",
            "params": {"candidates": 1},
        },
        {
            "where": "Xã Cẩm Sơn",
            "message": "%(visits)s follow-up visits more than %(days)s days late.",
            "params": {"visits": 5, "days": 30},
        },
        {
            "where": "Xã Sơn Định",
            "message": "%(visits)s follow-up visits more than %(days)s days late.",
            "params": {"visits": 31, "days": 30},
        },
        *(
            {
                "where": "Tỉnh Thử Nghiệm",
                "message": "Conversions of %(year)s: %(share)s %% still trading 12 months on "
                "(%(trading)s of %(enterprises)s).",
                "params": params,
            }
            for params in (
                {"year": "2022", "share": 33.3, "trading": 1, "enterprises": 3},
                {"year": "2024", "share": 66.7, "trading": 2, "enterprises": 3},
            )
        ),
    ]


def test_a_commune_has_no_rows_and_its_own_figures(world):
    content = build(world.cast.units.other_commune)
    assert [table["key"] for table in content["tables"]] == [
        "pipeline",
        "survival",
        "reasons",
        "entitlements",
    ]
    assert {m["key"]: m["value"] for m in content["measures"]}["visits_late"] == 5
    assert [flag["where"] for flag in content["flags"]] == ["Xã Cẩm Sơn", "Xã Cẩm Sơn"]


def test_across_the_reform_cases_on_the_ended_communes_count_in_their_successors_rows(world):
    reform(world.cast)
    content = build(
        world.cast.units.province, (D(2025, 7, 1), D(2025, 9, 30)), (D(2025, 4, 1), D(2025, 6, 30))
    )
    by_unit = table(content, "by_unit")
    # The cases of Xã Sơn Định count in Xã Chợ Lách's row, H's in Xã Mỏ Cày's.
    assert [row[0] for row in cells(by_unit)] == ["Xã Chợ Lách", "Xã Mỏ Cày"]
    assert [row["unit_id"] for row in by_unit["rows"]] == [
        unit.pk
        for unit in sorted(
            world.cast.units.province.children.filter(valid_from=D(2025, 7, 1)), key=lambda u: u.name
        )
    ]
    totals = {m["key"]: m["value"] for m in content["measures"]}
    assert sum(row[7] for row in cells(by_unit)) == totals["visits_late"]
    assert [flag["where"] for flag in content["flags"] if "late" in flag["message"]] == [
        "Xã Chợ Lách",
        "Xã Mỏ Cày",
    ]
    # A quarter across the reform drills down to the districts and the new communes.
    across = build(
        world.cast.units.province, (D(2025, 6, 1), D(2025, 7, 31)), (D(2025, 4, 1), D(2025, 5, 31))
    )
    assert [row[0] for row in cells(table(across, "by_unit"))] == [
        "Huyện Chợ Lách",
        "Huyện Mỏ Cày Nam",
        "Xã Chợ Lách",
        "Xã Mỏ Cày",
    ]


# The units of the period, the successor links, the targets, the cases, the visits, the
# entitlements, the outcome history.
SECTION_QUERIES = 7


@pytest.mark.parametrize("count", [3, 30])
def test_the_section_costs_the_same_queries_whatever_the_cases(world, count):
    bulk_cases(world, count)
    with CaptureQueriesContext(connection) as queries:
        content = build(world.cast.units.province)
    assert len(queries) == SECTION_QUERIES
    assert table(content, "survival")["total"][1] == 8 + count


def test_the_section_is_installed_after_the_teams_work():
    keys = [section.key for section in installed_sections()]
    assert keys.index("conversions") == keys.index("teamwork") + 1


Q1_REVIEW = ReviewPeriod(PeriodKind.QUARTERLY, *Q1_2026)


def test_the_dashboard_shows_the_section_and_the_stored_report_has_the_same_figures(world, login):
    province = world.cast.units.province
    client = login(world.cast.council_member)
    response = client.get(reverse("reports:dashboard"), {"kind": "quarterly", "year": 2026, "part": 1})
    assert response.status_code == 200
    shown = {section["key"]: section for section in response.context["data"]["sections"]}
    assert shown["conversions"]["title"] == "Household businesses becoming enterprises"
    page = response.content.decode()
    assert "Xã Cẩm Sơn" in page and "2022" in page
    report = request_report(unit=province, period=Q1_REVIEW, by=world.cast.standing_officer)
    assert build_report(report_id=report.pk)
    stored = {s["key"]: s for s in ReviewReport.objects.get(pk=report.pk).data["sections"]}
    assert stored["conversions"] == shown["conversions"]
    composed = {section["key"]: section for section in compose(province, Q1_REVIEW)["sections"]}
    assert composed["conversions"] == stored["conversions"]
    assert (
        datetime.date.fromisoformat(ReviewReport.objects.get(pk=report.pk).data["period"]["last"])
        == Q1_2026[1]
    )
