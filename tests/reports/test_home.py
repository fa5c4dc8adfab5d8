"""The reports' part of the home (reports/home.py): the dashboard's flags, for the council and the
standing agency, from the same composition as the dashboard."""

import datetime

import pytest
from django.urls import reverse

from portal.models import Team
from portal.services.notifications import mark_all_read
from reports.home import FRESH_FOR
from tests.portal.test_home import fresh_cache, home, panel, says_nothing_to_do  # noqa: F401
from tests.teamwork.test_teamwork_pages import record

FLAGS = "reports/home_flags.html"


def dashboard_flags(client) -> list[dict]:
    """The flags of the dashboard's default view (the province, this quarter so far), in report order."""
    data = client.get(reverse("reports:dashboard")).context["data"]
    return [
        {**flag, "section": section["title"]} for section in data["sections"] for flag in section["flags"]
    ]


def keep_every_team_busy(cast) -> None:
    """Every support team active this quarter and every team with a head: no flag, no team to fill."""
    for team in Team.objects.filter(kind__in=Team.SUPPORT_KINDS):
        record(cast, team=team, unit=team.unit, day=datetime.date(2026, 11, 16))
    for team in Team.objects.filter(head__isnull=True):
        team.head = team.members.first()
        team.save(update_fields=["head"])


def test_the_council_sees_the_flags_of_the_dashboard(cast, login):
    record(cast, day=datetime.date(2026, 11, 16))  # the commune team is busy; the others are silent
    client = login(cast.council_member)
    response = home(login, cast.council_member)
    flags = panel(response, FLAGS)
    expected = dashboard_flags(client)
    assert flags.data["flags"] == expected
    # Each silent team twice: no activity in the period, none recorded yet; in Vietnamese order.
    assert [flag["where"] for flag in expected] == [
        "Tổ hỗ trợ ĐT&KN xã Cẩm Sơn",
        "Tổ hỗ trợ ĐT&KN xã Cẩm Sơn",
        "Tổ XTĐT&KN huyện Chợ Lách",
        "Tổ XTĐT&KN huyện Chợ Lách",
        "Tổ XTĐT&KN huyện Mỏ Cày Nam",
        "Tổ XTĐT&KN huyện Mỏ Cày Nam",
    ]
    assert flags.to_do == flags.data["count"] == 6
    assert flags.data["unit"] == cast.units.province
    page = response.content.decode()
    assert "Tổ XTĐT&amp;KN huyện Mỏ Cày Nam</span>: Không có hoạt động nào trong kỳ này." in page
    assert "Quý IV/2026" in page
    assert (
        f"{reverse('reports:dashboard')}?unit={cast.units.province.pk}&amp;kind=quarterly&amp;year=2026"
        in page
    )
    assert not says_nothing_to_do(response)


def test_the_standing_agency_sees_them_too_and_other_teams_do_not(cast, login):
    assert panel(home(login, cast.standing_officer), FLAGS).to_do == 8
    for role in ("fund_officer", "district_officer", "commune_officer", "applicant"):
        assert panel(home(login, getattr(cast, role)), FLAGS) is None, role


def test_the_flags_are_kept_for_a_few_minutes(cast, login, clock):
    assert panel(home(login, cast.council_member), FLAGS).to_do == 8
    keep_every_team_busy(cast)
    assert panel(home(login, cast.council_member), FLAGS).to_do == 8
    clock.shift(datetime.timedelta(seconds=FRESH_FOR + 1))
    assert panel(home(login, cast.council_member), FLAGS).to_do == 0


@pytest.mark.parametrize("role", ["council_member", "standing_officer"])
def test_an_overseer_with_no_flag_and_nothing_else_is_told_there_is_nothing(cast, login, role):
    keep_every_team_busy(cast)
    mark_all_read(getattr(cast, role))
    response = home(login, getattr(cast, role))
    flags = panel(response, FLAGS)
    assert flags.to_do == 0 and flags.data["flags"] == []
    assert "Trang tổng quan không có cảnh báo nào trong kỳ này." in response.content.decode()
    assert response.context["to_do"] == 0
    assert says_nothing_to_do(response)
