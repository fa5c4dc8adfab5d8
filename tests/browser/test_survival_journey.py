"""A council member opens the survival table from the dashboard and drills into a district (issue 11).

The cohorts, built through the services (tests/conversions/survival_cases.py's ``enterprise``), read on
31/12/2023, the last day of the year 2023 (before the 1 July 2025 reform, so the province's children
are its districts):

| case | commune (district)            | registered | what became of it                                  |
|------|-------------------------------|------------|----------------------------------------------------|
| A    | Xã Sơn Định (Huyện Chợ Lách)  | 10/05/2020 | operating                                          |
| B    | Xã Sơn Định (Huyện Chợ Lách)  | 01/09/2020 | returned to household business 01/03/2022          |
| C    | Xã Sơn Định (Huyện Chợ Lách)  | 01/04/2021 | dissolved 01/12/2021                               |
| D    | Xã Sơn Định (Huyện Chợ Lách)  | 15/03/2023 | operating (too young for every column)             |
| E    | Xã Cẩm Sơn (Huyện Mỏ Cày Nam) | 01/06/2021 | operating (too young for 36 months)                |
| F    | Xã Cẩm Sơn (Huyện Mỏ Cày Nam) | 01/02/2022 | suspended 01/10/2022 (0 % at 12 months)            |

The survival table has no links of its own (only the "by_unit" tables link their rows): the council
member gets to a district's survival figures through the by-unit table of the same section.
Everything is selected by ids and keys, not by English or Vietnamese text.
"""

import datetime
import re

import pytest
from django.urls import reverse

from conversions.models import Outcome
from tests.browser.test_commune_officer_journey import live_server_artifact
from tests.browser.test_outreach_journey import log_in
from tests.conversions.fixtures import *  # noqa: F403 (the conversions and media_root fixtures)
from tests.conversions.survival_cases import OtherCommune, enterprise

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
D = datetime.date
TOO_YOUNG = ("0", "0", "—")  # left out of the column: no share, unlike "0,0 %"

# (year, enterprises, (old enough, trading, share) at 12, 24 and 36 months, reverted, closed) as shown.
PROVINCE = [
    ("2020", "2", ("2", "2", "100,0 %"), ("2", "1", "50,0 %"), ("2", "1", "50,0 %"), "1", "0"),
    ("2021", "2", ("2", "1", "50,0 %"), ("2", "1", "50,0 %"), TOO_YOUNG, "0", "1"),
    ("2022", "1", ("1", "0", "0,0 %"), TOO_YOUNG, TOO_YOUNG, "0", "0"),
    ("2023", "1", TOO_YOUNG, TOO_YOUNG, TOO_YOUNG, "0", "0"),
]
PROVINCE_TOTAL = ("6", ("5", "3", "60,0 %"), ("4", "2", "50,0 %"), ("2", "1", "50,0 %"), "1", "1")
DISTRICT = [
    ("2020", "2", ("2", "2", "100,0 %"), ("2", "1", "50,0 %"), ("2", "1", "50,0 %"), "1", "0"),
    ("2021", "1", ("1", "0", "0,0 %"), ("1", "0", "0,0 %"), TOO_YOUNG, "0", "1"),
    ("2023", "1", TOO_YOUNG, TOO_YOUNG, TOO_YOUNG, "0", "0"),
]
DISTRICT_TOTAL = ("4", ("3", "2", "66,7 %"), ("3", "1", "33,3 %"), ("2", "1", "50,0 %"), "1", "1")


def flat(row: tuple) -> list[str]:
    return [cell for part in row for cell in (part if isinstance(part, tuple) else (part,))]


def build_cohorts(conversions) -> None:
    enterprise(conversions, "A", D(2020, 5, 10), [], number=1)
    enterprise(
        conversions, "B", D(2020, 9, 1), [(Outcome.REVERTED, D(2022, 3, 1), ["taxes_accounting"])], number=2
    )
    enterprise(conversions, "C", D(2021, 4, 1), [(Outcome.DISSOLVED, D(2021, 12, 1), ["market"])], number=3)
    enterprise(conversions, "D", D(2023, 3, 15), [], number=4)
    other = OtherCommune(conversions.cast, conversions.shop, conversions.business, conversions.other_business)
    other_commune = conversions.cast.units.other_commune
    enterprise(other, "E", D(2021, 6, 1), [], unit=other_commune, number=5)
    enterprise(
        other,
        "F",
        D(2022, 2, 1),
        [(Outcome.SUSPENDED, D(2022, 10, 1), ["capital"])],
        unit=other_commune,
        number=6,
    )


def survival_table(page):
    return page.locator("[data-section=conversions] table[data-table='conversions.survival']")


def shown_rows(table) -> list[list[str]]:
    return [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]


def shown_total(table) -> list[str]:
    return [cell.strip() for cell in table.locator("tfoot tr").locator("th, td").all_inner_texts()][1:]


def screenshot_of_survival(page, name: str) -> None:
    """The survival table with its heading (the page's top, with the breadcrumb, is asserted instead)."""
    region = page.locator("[data-section=conversions] .report-table:has([data-table='conversions.survival'])")
    region.scroll_into_view_if_needed()
    top = region.evaluate("(el) => el.previousElementSibling.getBoundingClientRect().top + window.scrollY")
    bottom = region.evaluate("(el) => el.getBoundingClientRect().bottom + window.scrollY")
    page.screenshot(
        path=str(live_server_artifact(name)),
        full_page=True,
        clip={"x": 0, "y": top - 8, "width": DESKTOP["width"], "height": bottom - top + 16},
    )


def test_a_council_member_opens_the_survival_table_and_drills_into_a_district(
    transactional_db, live_server, conversions, page
):
    page.set_viewport_size(DESKTOP)
    build_cohorts(conversions)
    units = conversions.cast.units
    log_in(page, live_server, "hoidong")

    # --- The dashboard, from the navigation; the year 2023 chosen through the period form -----------------
    page.locator(f"nav a[href='{reverse('reports:dashboard')}']").first.click()
    page.wait_for_url(live_server.url + reverse("reports:dashboard"))
    period_form = page.locator("form:has(select[name=kind])")
    period_form.locator("select[name=kind]").select_option("annual")
    period_form.locator("select[name=year]").select_option("2023")
    period_form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/dashboard/\?unit={units.province.pk}&kind=annual&year=2023"))
    assert units.province.name in page.get_by_role("heading", level=1).inner_text()

    # --- The province's survival table: the columns labelled, too young shown as "—", not 0 % ------------
    table = survival_table(page)
    assert table.locator("thead th").count() == 13
    assert all(label.strip() for label in table.locator("thead th").all_inner_texts())
    assert table.evaluate("(el) => el.parentElement.scrollWidth <= el.parentElement.clientWidth")  # no scroll
    assert shown_rows(table) == [flat(row) for row in PROVINCE]
    assert shown_total(table) == flat(PROVINCE_TOTAL)
    screenshot_of_survival(page, "survival-1-province.png")

    # --- The survival table links nowhere: the drill goes through the section's by-unit table -------------
    assert table.locator("a").count() == 0
    by_unit = page.locator("[data-section=conversions] table[data-table='conversions.by_unit']")
    assert [name.strip() for name in by_unit.locator("tbody th").all_inner_texts()] == [
        units.district.name,
        units.other_district.name,
    ]
    by_unit.locator(f"tbody a[href*='unit={units.district.pk}&']").click()
    page.wait_for_url(re.compile(rf"/dashboard/\?unit={units.district.pk}&"))
    assert units.district.name in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("select[name=kind]").input_value() == "annual"  # the period kept
    assert page.locator("select[name=year]").input_value() == "2023"

    # --- The district's own figures; its communes below it --------------------------------------------------
    table = survival_table(page)
    assert shown_rows(table) == [flat(row) for row in DISTRICT]
    assert shown_total(table) == flat(DISTRICT_TOTAL)
    by_unit = page.locator("[data-section=conversions] table[data-table='conversions.by_unit']")
    assert [name.strip() for name in by_unit.locator("tbody th").all_inner_texts()] == [units.commune.name]
    screenshot_of_survival(page, "survival-2-district.png")

    # --- The breadcrumb back to the province, the period kept ---------------------------------------------
    breadcrumb = page.locator("nav ol.breadcrumb")
    assert breadcrumb.locator("[aria-current=page]").inner_text().strip() == units.district.name
    breadcrumb.locator(f"a[href*='unit={units.province.pk}&']").click()
    page.wait_for_url(re.compile(rf"/dashboard/\?unit={units.province.pk}&"))
    assert units.province.name in page.get_by_role("heading", level=1).inner_text()
    assert page.locator("select[name=year]").input_value() == "2023"
    assert shown_total(survival_table(page)) == flat(PROVINCE_TOTAL)
