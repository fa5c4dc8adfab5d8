"""The dashboard's default unit and period are ones the reader's scope covers.

An outside tester found a former district officer's dashboard opening on the current quarter, more
than a year after the district ended, all zeros. A reader whose teams have all ended opens on the
quarter of the last day their team was active, on the unit they had then.
"""

import datetime

from django.urls import reverse

from portal.models import Team
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory
from tests.reports.helpers import measure, record_outreach

ENDED = datetime.date(2025, 6, 30)


def former_district(cast):
    """A district and its team, both ended on 30 June 2025, and a member of the team."""
    district = AdminUnitFactory(
        code="993", name="Huyện Giồng Trôm", level="district", kind="Huyện", parent=cast.units.province,
        valid_until=ENDED,
    )  # fmt: skip
    team = TeamFactory(kind=Team.Kind.DISTRICT_TEAM, unit=district, active_until=ENDED)
    return district, team, MembershipFactory(team=team).user


def test_a_former_district_officer_opens_on_the_last_quarter_of_their_team(cast, login):
    district, team, member = former_district(cast)
    for day in (datetime.date(2025, 5, 12), datetime.date(2025, 6, 20)):
        record_outreach(cast, day=day, people=40, team=team, unit=district)
    response = login(member).get(reverse("reports:dashboard"))
    period = response.context["period"]
    assert (response.context["unit"], period.kind, period.first, period.last) == (
        district,
        "quarterly",
        datetime.date(2025, 4, 1),
        datetime.date(2025, 6, 30),
    )
    assert measure(response.context["data"], "teamwork", "activities")["value"] == 2
    assert 'name="year"' in response.content.decode()
    assert response.context["form"].initial == {"kind": "quarterly", "year": 2025, "part": 2}


def test_a_period_they_choose_is_the_one_shown(cast, login):
    district, _team, member = former_district(cast)
    response = login(member).get(reverse("reports:dashboard"), {"kind": "annual", "year": 2024})
    period = response.context["period"]
    assert (response.context["unit"], period.first, period.last) == (
        district,
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )


def test_a_reader_with_a_team_still_active_opens_on_the_current_quarter(cast, login):
    _district, _team, member = former_district(cast)
    MembershipFactory(team=cast.teams.commune, user=member)  # now also in a commune team
    period = login(member).get(reverse("reports:dashboard")).context["period"]
    assert (period.first, period.last) == (datetime.date(2026, 10, 1), datetime.date(2026, 11, 18))
