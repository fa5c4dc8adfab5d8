"""The dossiers section of the review report on the hand-built land of tests/reports/land.py,
whose answers are worked out by hand: a quarter's measures, tables and flags, and periods across
the 1 July 2025 reform.
"""

from dataclasses import dataclass

import pytest

from dossiers.report_sections import DossierSection
from portal.models import AdminUnit
from teamwork.report_sections import TeamWorkSection
from tests.factories import AdminUnitFactory
from tests.reports.land import *  # noqa: F403 (the land fixture)
from tests.reports.land import (
    ACROSS_THE_REFORM,
    CONVERSION,
    END,
    Q2_2025,
    Q3_2025,
    START,
    STARTUP,
    D,
    at,
    build,
    dossier,
    make_catalogue,
    rows,
    table,
)

# 1. The dossiers section on a quarter.


def test_dossier_measures_in_a_quarter(land):
    content = build(DossierSection(), land.province, *Q2_2025)
    # Received in Q2: #1 #2 #3 #4 (30/06 23:30 local) and #7; not #5 (01/07 00:10 local) nor #6 (March).
    # Decided in Q2: #1 #2 #3 #6 #7. On time: #1 (20/04 ≤ 24/04), #6 (02/04 ≤ 03/04), #7 (19/05 23:30 ≤
    # 19/05). Late: #2 (30/04 local, though 29/04 in UTC) and #3 (20/05: within the apology's 23/05 but
    # after the 16/05 it is judged against). 3 of 5 = 60.0 %.
    # Supplement rounds requested in Q2: #3 ×2 and #7; not #6's (March) nor #4's (01/07).
    # Documents asked for the five received: mandatory 2+2+2+1+2 = 9 (the optional certificate is not),
    # less reused 2 (#1, #7; #6 was received in March), plus missing in their rounds 2+1 (#3), 1 (#4, asked
    # on 01/07), 1 (#7) = 5: 12 / 5 = 2.4.
    # Inquiries replied in Q2: #1's (on time, at 23:30 on its date), #7's two (one two days late): 2 of 3.
    # Ratings of the results returned in Q2: #1 5, #2 2, #3 1, #6 2, #7 4: 14 / 5 = 2.8.
    # Target: 365 dossiers in 2025 × 91/365 days = 91.0.
    assert content["measures"] == [
        {"key": "received", "label": "Dossiers received", "value": 5, "target": 91.0, "format": "count"},
        {"key": "decided", "label": "Dossiers decided", "value": 5, "target": None, "format": "count"},
        {"key": "on_time", "label": "Decided on time", "value": 3, "target": None, "format": "count"},
        {"key": "late", "label": "Decided late", "value": 2, "target": None, "format": "count"},
        {
            "key": "on_time_percent",
            "label": "Share decided on time",
            "value": 60.0,
            "target": None,
            "format": "percent",
        },
        {"key": "supplements", "label": "Supplement requests", "value": 3, "target": None, "format": "count"},
        {
            "key": "documents_asked",
            "label": "Documents asked per dossier",
            "value": 2.4,
            "target": None,
            "format": "decimal",
        },
        {
            "key": "inquiries_answered",
            "label": "Inquiries answered",
            "value": 3,
            "target": None,
            "format": "count",
        },
        {
            "key": "inquiries_on_time_percent",
            "label": "Inquiries answered on time",
            "value": 66.7,
            "target": None,
            "format": "percent",
        },
        {
            "key": "mean_rating",
            "label": "Mean applicant rating",
            "value": 2.8,
            "target": None,
            "format": "rating",
        },
        {"key": "ratings", "label": "Ratings given", "value": 5, "target": None, "format": "count"},
    ]


def test_dossier_tables_by_unit_and_by_procedure_in_a_quarter(land):
    content = build(DossierSection(), land.province, *Q2_2025)
    by_unit = table(content, "by_unit")
    assert [column["key"] for column in by_unit["columns"]] == [
        "name",
        "received",
        "decided",
        "on_time",
        "late",
        "on_time_percent",
        "supplements",
        "documents_asked",
        "inquiries_answered",
        "inquiries_on_time_percent",
        "mean_rating",
    ]
    assert [row["unit_id"] for row in by_unit["rows"]] == [land.district.pk, land.other_district.pk]
    # Huyện Chợ Lách (Sơn Định, Hòa Nghĩa): received #1 #2 #3 #4; decided #1 #2 #3 #6, on time #1 #6;
    # rounds #3 ×2; documents (2+2+2+1) − 1 + (2+1+1) = 10 / 4 = 2.5; inquiry #1 on time;
    # ratings 5+2+1+2 = 10 / 4 = 2.5.
    # Huyện Mỏ Cày Nam (Cẩm Sơn): #7 received and decided on time; one round; 2 − 1 + 1 = 2 / 1;
    # two inquiries, one late; rating 4.
    assert rows(by_unit) == [
        ["Huyện Chợ Lách", 4, 4, 2, 2, 50.0, 2, 2.5, 1, 100.0, 2.5],
        ["Huyện Mỏ Cày Nam", 1, 1, 1, 0, 100.0, 1, 2.0, 2, 50.0, 4.0],
    ]
    assert by_unit["total"] == ["Total", 5, 5, 3, 2, 60.0, 3, 2.4, 3, 66.7, 2.8]

    # By procedure, in code-point order ("C" before "Đ"). Conversion: #4 received, nothing decided,
    # 1 mandatory + 1 asked again on 01/07 = 2.0. Startup: #1 #2 #3 #7 received; #1 #2 #3 #6 #7 decided,
    # #1 #6 #7 on time; 8 − 2 + (2+1+1) = 10 / 4 = 2.5; inquiries 2 of 3; ratings 14 / 5.
    by_procedure = table(content, "by_procedure")
    assert [row["unit_id"] for row in by_procedure["rows"]] == [None, None]
    assert rows(by_procedure) == [
        [CONVERSION, 1, 0, 0, 0, None, 0, 2.0, 0, None, None],
        [STARTUP, 4, 5, 3, 2, 60.0, 3, 2.5, 3, 66.7, 2.8],
    ]
    assert by_procedure["total"] == by_unit["total"]
    chart = content["charts"][0]
    assert (chart["key"], chart["categories"]) == ("on_time_by_unit", ["Huyện Chợ Lách", "Huyện Mỏ Cày Nam"])
    assert [series["values"] for series in chart["series"]] == [[2, 1], [2, 0]]


def test_dossier_flags_name_the_row_they_concern(land):
    flags = build(DossierSection(), land.province, *Q2_2025)["flags"]
    # Huyện Chợ Lách: 2 of 4 late (50 % on time, under 90 %) and a mean rating of 2.5 (under 3).
    # Huyện Mỏ Cày Nam: 100 % on time and a rating of 4, but one of its two inquiries answered late.
    assert flags == [
        {
            "where": "Huyện Chợ Lách",
            "message": "%(late)s of %(decided)s dossiers decided late.",
            "params": {"late": 2, "decided": 4},
        },
        {
            "where": "Huyện Chợ Lách",
            "message": "Applicants rated the service %(rating)s out of 5 on average.",
            "params": {"rating": 2.5},
        },
        {
            "where": "Huyện Mỏ Cày Nam",
            "message": "%(late)s of %(answered)s inquiries answered after their reply date.",
            "params": {"late": 1, "answered": 2},
        },
    ]


# 2. Across the 1 July 2025 reform.


def test_a_period_across_the_reform_drills_down_to_the_old_district_and_the_new_commune(land):
    content = build(DossierSection(), land.province, *ACROSS_THE_REFORM)
    by_unit = table(content, "by_unit")
    assert [row["unit_id"] for row in by_unit["rows"]] == [
        land.district.pk,
        land.other_district.pk,
        land.new_commune.pk,
    ]
    # Received 01/06–31/07: #4 (Hòa Nghĩa, 30/06), #5 (Sơn Định, 01/07: an old commune, still rolls up to
    # its old district) and #8 (Xã Chợ Lách). Decided: #4 on 15/07, a day after its 14/07 (late), and #8
    # on 22/07 ≤ 24/07. #4's round was requested on 01/07. Documents: #4 1 + 1 asked again, #5 1, #8 1:
    # 3 / 2 = 1.5 and 1 / 1; in all 4 / 3 = 1.3.
    assert rows(by_unit) == [
        ["Huyện Chợ Lách", 2, 1, 0, 1, 0.0, 1, 1.5, 0, None, None],
        ["Huyện Mỏ Cày Nam", 0, 0, 0, 0, None, 0, None, 0, None, None],
        ["Xã Chợ Lách", 1, 1, 1, 0, 100.0, 0, 1.0, 0, None, None],
    ]
    assert by_unit["total"] == ["Total", 3, 2, 1, 1, 50.0, 1, 1.3, 0, None, None]


def test_dossiers_of_old_communes_after_the_reform_roll_up_to_their_successor(land):
    # Q3 2025: the only row is Xã Chợ Lách (the districts and old communes ended on 30/06). Received:
    # #5 (01/07 00:10 on Xã Sơn Định) and #8; decided: #4 (Xã Hòa Nghĩa, received 30/06 and decided
    # 15/07, a day late) and #8 (on time); #4's round on 01/07; documents 1 + 1 for #5 and #8.
    content = build(DossierSection(), land.province, *Q3_2025)
    by_unit = table(content, "by_unit")
    assert [row["unit_id"] for row in by_unit["rows"]] == [land.new_commune.pk]
    assert by_unit["total"] == ["Total", 2, 2, 1, 1, 50.0, 1, 1.0, 0, None, None]
    # Sơn Định and Hòa Nghĩa became Xã Chợ Lách: their dossiers belong to its row, as their
    # activities and teams do in the team-work section. Today the row holds only #8.
    assert rows(by_unit) == [["Xã Chợ Lách", 2, 2, 1, 1, 50.0, 1, 1.0, 0, None, None]]
    assert [flag["where"] for flag in content["flags"]] == ["Xã Chợ Lách"]


@dataclass
class Merged:
    new_province: AdminUnit
    old_districts: list[AdminUnit]
    new_communes: list[AdminUnit]


@pytest.fixture
def merged(db) -> Merged:
    """Tỉnh Vĩnh Long (from 01/07/2025) replaced Tỉnh Bến Tre and the old Tỉnh Vĩnh Long (until 30/06/2025).

    Bến Tre ── Huyện Chợ Lách ── Xã Sơn Định        →  Vĩnh Long (new) ── Xã Chợ Lách
    Vĩnh Long (old) ── Huyện Long Hồ ── Xã Long Phước  →                 └─ Phường Long Châu
    """
    province, district = AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT
    ben_tre = AdminUnitFactory(code="83", name="Tỉnh Bến Tre", level=province, kind="Tỉnh", valid_until=END)
    old_vinh_long = AdminUnitFactory(
        code="86", name="Tỉnh Vĩnh Long", level=province, kind="Tỉnh", valid_until=END
    )
    new_vinh_long = AdminUnitFactory(
        code="86", name="Tỉnh Vĩnh Long", level=province, kind="Tỉnh", valid_from=START
    )
    ben_tre.successors.add(new_vinh_long)
    old_vinh_long.successors.add(new_vinh_long)
    cho_lach = AdminUnitFactory(
        code="831", name="Huyện Chợ Lách", level=district, kind="Huyện", parent=ben_tre, valid_until=END
    )
    long_ho = AdminUnitFactory(
        code="861", name="Huyện Long Hồ", level=district, kind="Huyện", parent=old_vinh_long, valid_until=END
    )
    son_dinh = AdminUnitFactory(code="83101", name="Xã Sơn Định", parent=cho_lach, valid_until=END)
    long_phuoc = AdminUnitFactory(code="86101", name="Xã Long Phước", parent=long_ho, valid_until=END)
    new_cho_lach = AdminUnitFactory(code="86201", name="Xã Chợ Lách", parent=new_vinh_long, valid_from=START)
    long_chau = AdminUnitFactory(
        code="86202", name="Phường Long Châu", kind="Phường", parent=new_vinh_long, valid_from=START
    )
    son_dinh.successors.add(new_cho_lach)
    long_phuoc.successors.add(long_chau)
    cat = make_catalogue(son_dinh)
    dossier(cat, son_dinh, cat.startup, at(2024, 5, 10))
    dossier(cat, son_dinh, cat.startup, at(2024, 9, 10))
    dossier(cat, long_phuoc, cat.conversion, at(2024, 12, 31, 23, 30))
    dossier(cat, new_cho_lach, cat.startup, at(2026, 3, 10))
    dossier(cat, long_chau, cat.conversion, at(2026, 2, 1))
    dossier(cat, long_chau, cat.conversion, at(2027, 1, 1, 0, 10))  # not in 2026
    return Merged(new_vinh_long, [cho_lach, long_ho], [long_chau, new_cho_lach])


def test_the_new_province_drills_down_to_the_old_districts_before_the_reform_and_its_communes_after(merged):
    year_2024 = table(build(DossierSection(), merged.new_province, D(2024, 1, 1), D(2024, 12, 31)), "by_unit")
    assert [row["unit_id"] for row in year_2024["rows"]] == [unit.pk for unit in merged.old_districts]
    assert [row[:2] for row in rows(year_2024)] == [["Huyện Chợ Lách", 2], ["Huyện Long Hồ", 1]]
    assert year_2024["total"][:2] == ["Total", 3]

    year_2026 = table(build(DossierSection(), merged.new_province, D(2026, 1, 1), D(2026, 12, 31)), "by_unit")
    assert [row["unit_id"] for row in year_2026["rows"]] == [unit.pk for unit in merged.new_communes]
    assert [row[:2] for row in rows(year_2026)] == [["Phường Long Châu", 1], ["Xã Chợ Lách", 1]]
    assert year_2026["total"][:2] == ["Total", 2]


def test_the_previous_values_are_the_previous_period_built_alone(land):
    for section in (DossierSection(), TeamWorkSection()):
        both = section.build(land.province, Q2_2025, (D(2025, 1, 1), D(2025, 3, 31)))
        alone = build(section, land.province, D(2025, 1, 1), D(2025, 3, 31))
        assert [m["previous"] for m in both["measures"]] == [m["value"] for m in alone["measures"]]
        assert any(m["previous"] for m in both["measures"])
