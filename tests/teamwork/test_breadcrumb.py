"""The teams' work breadcrumb links only to units the reader may open: their scope's top and below.

An outside tester found a commune head sent to the province's page and a former district officer to
the former province's, both 404.
"""

import datetime
import re

import pytest
from django.urls import reverse

from portal.models import Team
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory
from tests.teamwork.test_teamwork_pages import TEAMWORK_OVERVIEW_READERS

WORK_LINK = re.compile(r'href="/work/\?unit=(\d+)[^"]*"')
READERS = sorted(role for role, status in TEAMWORK_OVERVIEW_READERS.items() if status == 200)


def former_district_officer(cast):
    """A member of a district team that ended with its district on 30 June 2025."""
    ended = datetime.date(2025, 6, 30)
    district = AdminUnitFactory(
        code="993", name="Huyện Giồng Trôm", level="district", kind="Huyện", parent=cast.units.province,
        valid_until=ended,
    )  # fmt: skip
    team = TeamFactory(kind=Team.Kind.DISTRICT_TEAM, unit=district, active_until=ended)
    return MembershipFactory(team=team).user, district


def breadcrumb_links(page: str) -> list[int]:
    """The units the page's breadcrumb links to."""
    crumbs = page.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]
    return [int(pk) for pk in WORK_LINK.findall(crumbs)]


def test_a_commune_head_is_not_sent_above_their_commune(cast, login):
    page = login(cast.commune_officer).get(reverse("teamwork_overview")).content.decode()
    assert breadcrumb_links(page) == []  # the district above is outside their scope
    assert "Xã Sơn Định" in page.split('class="breadcrumb"', 1)[1].split("</ol>", 1)[0]


def test_a_former_district_officer_is_not_sent_to_the_province(cast, login):
    member, district = former_district_officer(cast)
    response = login(member).get(reverse("teamwork_overview"))
    assert response.context["unit"] == district
    assert breadcrumb_links(response.content.decode()) == []


@pytest.mark.parametrize(
    ("role", "up_to"), [("council_member", "district"), ("district_officer", "district")]
)
def test_a_reader_whose_scope_reaches_above_gets_the_link_up(cast, login, role, up_to):
    page = login(getattr(cast, role)).get(reverse("teamwork_overview"), {"unit": cast.units.commune.pk})
    assert breadcrumb_links(page.content.decode()) == [getattr(cast.units, up_to).pk]


@pytest.mark.parametrize("role", [*READERS, "former_district_officer"])
def test_every_link_to_a_unit_on_the_page_opens(cast, login, role):
    reader = former_district_officer(cast)[0] if role == "former_district_officer" else getattr(cast, role)
    client = login(reader)
    page = client.get(reverse("teamwork_overview")).content.decode()
    for unit_id in {int(pk) for pk in WORK_LINK.findall(page)}:
        assert client.get(reverse("teamwork_overview"), {"unit": unit_id}).status_code == 200, unit_id
