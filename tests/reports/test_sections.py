"""The team-work section of the review report, a report composed of the sections, and the
queries it costs, on the hand-built land of tests/reports/land.py, whose answers are worked out by
hand. The dossiers section is in test_dossier_section.py.
"""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from portal import figures
from reports.building import compose
from reports.periods import PeriodKind, ReviewPeriod
from reports.sections import SectionShapeError, check_shape
from teamwork.models import Activity
from teamwork.report_sections import TeamWorkSection
from tests.factories import AdminUnitFactory, TeamFactory, UserFactory
from tests.reports.land import *  # noqa: F403 (the land fixture)
from tests.reports.land import (
    END,
    Q2_2025,
    D,
    Land,
    activity,
    at,
    build,
    dossier,
    inquiry,
    reused,
    rows,
    supplement,
    table,
)

# 3. The team-work section.


def test_teamwork_measures_with_pro_rated_targets(land):
    content = build(TeamWorkSection(), land.province, *Q2_2025)
    # Held in the province in Q2: TA's three outreach events (50 + 30 + 20 people), TD's two visits and
    # its interim review (10 people); TB's training was in January. Targets × 91/365: 73 → 18.2,
    # 730 → 182.0; no target for visits or reviews. Teams active in Q2: TD, TA, TB, TC (TN starts 01/07,
    # the council is not a support team); silent: TB and TC; flagged: TA (under target), TB, TC.
    assert [(m["key"], m["label"], m["value"], m["target"], m["format"]) for m in content["measures"]] == [
        ("activities", "Activities recorded", 6, None, "count"),
        ("outreach_events", "outreach events", 3, 18.2, "count"),
        ("people_reached", "people reached", 110, 182.0, "count"),
        ("support_visits", "support visits to communes", 2, None, "count"),
        ("reviews_held", "reviews held", 1, None, "count"),
        ("teams", "Support teams", 4, None, "count"),
        ("silent_teams", "Teams without activity", 2, None, "count"),
        ("flagged_teams", "Teams flagged", 3, None, "count"),
    ]


def test_teamwork_flags_are_stored_as_messages_with_plain_params(land):
    flags = build(TeamWorkSection(), land.province, *Q2_2025)["flags"]
    # TC never recorded anything; TB's last activity was on 15/01, 166 days before 30/06; TA's three
    # outreach events are under half of 25 × 91/365 = 6.23… (6.2); its 100 people are not under half of 91.
    assert flags == [
        {"where": "Tổ xã Cẩm Sơn", "message": "No activity in this period.", "params": {}},
        {"where": "Tổ xã Cẩm Sơn", "message": "No activity recorded yet.", "params": {}},
        {"where": "Tổ xã Hòa Nghĩa", "message": "No activity in this period.", "params": {}},
        {
            "where": "Tổ xã Hòa Nghĩa",
            "message": "No activity for %(days)s days (last on %(day)s).",
            "params": {"days": 166, "day": "15/01/2025"},
        },
        {
            "where": "Tổ xã Sơn Định",
            "message": "%(measure)s: %(achieved)s, under half of the target for the period (%(target)s).",
            "params": {"measure": "outreach events", "achieved": 3, "target": 6.2},
        },
    ]


def test_teamwork_tables(land):
    content = build(TeamWorkSection(), land.province, *Q2_2025)
    teams = table(content, "teams")
    assert [row["unit_id"] for row in teams["rows"]] == [
        land.district.pk,
        land.commune_c.pk,
        land.commune_b.pk,
        land.commune_a.pk,
    ]
    # Activities, outreach events, people, visits, reviews the team recorded; last activity; flags.
    assert rows(teams) == [
        ["Tổ huyện Chợ Lách", 3, 0, 10, 2, 1, "2025-06-25", 0],
        ["Tổ xã Cẩm Sơn", 0, 0, 0, 0, 0, None, 2],
        ["Tổ xã Hòa Nghĩa", 0, 0, 0, 0, 0, "2025-01-15", 2],
        ["Tổ xã Sơn Định", 3, 3, 100, 0, 0, "2025-06-15", 1],
    ]
    assert teams["total"] is None
    by_unit = table(content, "by_unit")
    assert rows(by_unit) == [
        ["Huyện Chợ Lách", 6, 3, 110, 2, 1, 3, 1],
        ["Huyện Mỏ Cày Nam", 0, 0, 0, 0, 0, 1, 1],
    ]
    assert by_unit["total"] == ["Total", 6, 3, 110, 2, 1, 4, 2]
    assert rows(table(content, "support_visits")) == [
        ["Xã Cẩm Sơn", 0, None],
        ["Xã Hòa Nghĩa", 0, None],
        ["Xã Sơn Định", 2, "2025-06-10"],
    ]


# 4. Composing a report.


Q2_REVIEW = ReviewPeriod(PeriodKind.QUARTERLY, *Q2_2025)


def test_compose_puts_the_previous_periods_values_beside_each_measure(land):
    report = compose(land.province, Q2_REVIEW)
    assert report["period"] == {"kind": "quarterly", "first": "2025-04-01", "last": "2025-06-30"}
    assert report["previous"] == {"kind": "quarterly", "first": "2025-01-01", "last": "2025-03-31"}
    sections = {section["key"]: section for section in report["sections"]}
    assert list(sections) == ["dossiers", "teamwork", "conversions", "projects", "fund"]
    # Q1 2025: #6 received (20/03), nothing decided; #6's round (25/03); documents 2 − 1 reused + 1 = 2.0;
    # #6's inquiry answered on 27/03 ≤ 28/03; no result returned.
    assert {m["key"]: (m["value"], m["previous"]) for m in sections["dossiers"]["measures"]} == {
        "received": (5, 1),
        "decided": (5, 0),
        "on_time": (3, 0),
        "late": (2, 0),
        "on_time_percent": (60.0, None),
        "supplements": (3, 1),
        "documents_asked": (2.4, 2.0),
        "inquiries_answered": (3, 1),
        "inquiries_on_time_percent": (66.7, 100.0),
        "mean_rating": (2.8, None),
        "ratings": (5, 0),
    }
    # Q1 2025: only TB's training (15 people). TD, TA and TC are silent; every team is flagged (TB: 75 days
    # since 15/01 by 31/03).
    assert {m["key"]: (m["value"], m["previous"]) for m in sections["teamwork"]["measures"]} == {
        "activities": (6, 1),
        "outreach_events": (3, 0),
        "people_reached": (110, 15),
        "support_visits": (2, 0),
        "reviews_held": (1, 0),
        "teams": (4, 4),
        "silent_teams": (2, 3),
        "flagged_teams": (3, 4),
    }


def test_compose_gives_json_following_the_interface_with_untranslated_labels(land):
    with translation.override("vi"):
        assert gettext("outreach events") != "outreach events"  # the catalogue does translate it
        report = compose(land.province, Q2_REVIEW)
    assert json.loads(json.dumps(report)) == report
    for section in report["sections"]:
        parts = {part: section[part] for part in ("measures", "tables", "charts", "flags")}
        assert check_shape(section["key"], parts) is parts
    sections = {section["key"]: section for section in report["sections"]}
    assert [section["title"] for section in report["sections"]] == [
        "One-stop-shop dossiers",
        "The support teams' work",
        "Household businesses becoming enterprises",
        "Startup projects and poverty escape",
        "Startup investment fund",
    ]
    assert [m["label"] for m in sections["teamwork"]["measures"]][1:5] == [
        "outreach events",
        "people reached",
        "support visits to communes",
        "reviews held",
    ]
    assert [column["label"] for column in table(sections["teamwork"], "teams")["columns"]][:2] == [
        "Team",
        "Activities",
    ]
    assert sections["teamwork"]["flags"][0]["message"] == "No activity in this period."
    assert sections["teamwork"]["flags"][-1]["params"]["measure"] == "outreach events"
    assert table(sections["dossiers"], "by_unit")["columns"][1]["label"] == "Dossiers received"


GOOD = {"measures": [], "tables": [], "charts": [], "flags": []}
COLUMN = {"key": "name", "label": "Unit", "format": "text"}


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ({"measures": [], "tables": [], "charts": []}, "the parts are"),
        ({**GOOD, "measures": [{"key": "received", "label": "Received", "value": 1}]}, "lacks"),
        (
            {
                **GOOD,
                "measures": [
                    {"key": "n", "label": "N", "value": 1, "previous": 0, "target": None, "format": "money"}
                ],
            },
            "unknown format 'money'",
        ),
        (
            {
                **GOOD,
                "tables": [
                    {"key": "by_unit", "title": "By unit", "columns": [COLUMN], "rows": [{"cells": ["A", 1]}]}
                ],
            },
            "rows of different widths",
        ),
        (
            {
                **GOOD,
                "charts": [{"key": "c", "categories": ["A", "B"], "series": [{"label": "x", "values": [1]}]}],
            },
            "different lengths",
        ),
        ({**GOOD, "flags": [{"where": "Xã Sơn Định", "message": "Late."}]}, "lacks where, message or params"),
    ],
)
def test_check_shape_rejects_a_malformed_section(content, problem):
    with pytest.raises(SectionShapeError, match=problem):
        check_shape("broken", content)


# 5. Queries.

N = 3


def add_rows(land: Land, count: int) -> None:
    """``count`` more communes of Huyện Chợ Lách, each with a team, an activity and two busy dossiers."""
    cat, day = land.catalogue, datetime.timedelta(days=1)
    recorder = UserFactory()
    for _ in range(count):
        commune = AdminUnitFactory(parent=land.district, valid_until=END)
        team = TeamFactory(unit=commune, active_until=END)
        activity(
            team, Activity.Kind.OUTREACH, D(2025, 5, 3), commune, 7, channel="meeting", recorded_by=recorder
        )
        for received in (at(2025, 2, 3), at(2025, 5, 3)):  # one in each period of the report
            on = dossier(
                cat, commune, cat.startup, received, due=received.date() + 14 * day,
                decided=received + 10 * day, returned=received + 11 * day, rating=4,
            )  # fmt: skip
            reused(cat, on, cat.id_copy)
            supplement(cat, on, 1, received + day, [cat.plan])
            inquiry(cat, on, team, received.date() + 5 * day, received + 2 * day)
    figures.rebuild()  # written straight to the tables


# Dossiers 5 for both periods at once (units of the period, the subtree's successor links, the
# procedures' names, the sums of the stored daily figures, the unit's targets)
# team work 6 for both periods too (see unit_evenness_over), conversions 7
# (conversions/report_sections.py), projects 11 (projects/report_sections.py, its stock counted on
# both periods' ends) and the fund 13 (fund/report_sections.py: units of the period, successor
# links, the unit's targets and the ten statements of the figures; the land has no fund, so its
# ledger is not read and no receivable is replayed).
COMPOSE_QUERIES = 5 + 6 + 7 + 11 + 13


@pytest.mark.parametrize("count", [N, 10 * N])
def test_compose_costs_the_same_queries_whatever_the_rows(land, count):
    add_rows(land, count)
    with CaptureQueriesContext(connection) as queries:
        report = compose(land.province, Q2_REVIEW)
    assert len(queries) == COMPOSE_QUERIES
    received = report["sections"][0]["measures"][0]
    assert (received["value"], received["previous"]) == (5 + count, 1 + count)
