"""The dossiers page offers "File a dossier at the desk" only to those the desk serves.

An outside tester found the button shown to applicants and to officers of a team that has ended,
and the desk answering them 403. The page and the desk read the one rule (``may_file_at_desk``).
"""

import datetime

import pytest
from django.urls import reverse

from portal.models import Team
from tests.conftest import Cast
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory

SIGNED_IN = [role for role in Cast.ROLES if role != "anonymous"]


def offers_the_desk(client) -> bool:
    return f'href="{reverse("dossier_desk")}"' in client.get(reverse("dossier_list")).content.decode()


@pytest.mark.parametrize("role", SIGNED_IN)
def test_the_button_shows_exactly_to_those_the_desk_serves(cast, login, role):
    client = login(getattr(cast, role))
    assert offers_the_desk(client) == (client.get(reverse("dossier_desk")).status_code == 200)


def test_an_applicant_and_an_officer_of_an_ended_team_are_not_offered_the_desk(cast, login):
    ended = datetime.date(2025, 6, 30)
    district = AdminUnitFactory(
        code="993", name="Huyện Giồng Trôm", level="district", kind="Huyện", parent=cast.units.province,
        valid_until=ended,
    )  # fmt: skip
    former = MembershipFactory(
        team=TeamFactory(kind=Team.Kind.DISTRICT_TEAM, unit=district, active_until=ended)
    ).user
    for reader in (cast.applicant, former):
        client = login(reader)
        assert not offers_the_desk(client)
        assert client.get(reverse("dossier_desk")).status_code == 403
    assert offers_the_desk(login(cast.commune_officer))
