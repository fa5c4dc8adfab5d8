"""What each role's home costs in queries: the same at N and at 10×N dossiers, obstacles,
notifications and activities (each panel cuts its lists to a few rows and counts in the database)."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from dossiers.models import Dossier
from portal.models import Notification, User
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.test_dossier_pages import clone_dossiers
from tests.dossiers.test_inquiry_pages import make_inquiries
from tests.portal.test_home import fresh_cache  # noqa: F401
from tests.teamwork.test_teamwork_pages import record

N = 5

# Every signed-in page begins with 1 the session, 2 the user and 3 their memberships (scope); the
# province-wide teams' members then read 4 their team's province; everyone with a team reads 5 the
# subtree of their units (one recursive query). The page frame counts 6 the unread notifications,
# and no session write (its idle expiry is renewed once a minute at most, portal/sessions.py).
APPLICANT_FRAME = 4  # no team: no province, no subtree
OFFICER_FRAME = 5  # a district or commune team: no province to look up
PROVINCE_FRAME = 6

# Each role's own queries, panel by panel in the order of INSTALLED_APPS (portal, dossiers,
# policies, teamwork, projects, fund, conversions, reports). The unread notifications are read as the
# newest five, then counted when there are five or more (as here).
HOME = {
    # portal: 1 the newest unread notifications, 2 how many. dossiers: 3 how many of their own
    # dossiers and how many ask something, 4 the first of them. policies: nothing to read.
    # conversions: 5 their conversion case (none here). projects: 6 their plans' next milestones,
    # 7 whether they are a mentor. fund: 8 their open loans as a borrower (none here).
    "applicant": APPLICANT_FRAME + 8,
    # portal: 1–2 the unread notifications, 3 their memberships with team and unit, 4 the teams of
    # their scope without a head or members (they head a team). dossiers: 5 the drafts they filed
    # for someone, 6 the calendar around today, 7 the counts by deadline, 8 the most pressing
    # dossiers, 9 the counts of the obstacles to answer, 10 the first of them. teamwork: 11 their
    # team with its month's tallies, 12 its unit's targets. conversions: 13 the follow-up visits due
    # or overdue (none here: counted, not listed). projects: 14 the late milestones of their
    # communes' plans, 15 the plans awaiting approval (counted).
    "commune_officer": OFFICER_FRAME + 15,
    # portal: 1–2 the unread notifications, 3 their memberships. dossiers: 4 the drafts they filed.
    # Their team has ended: nothing else is theirs to do.
    "district_officer": OFFICER_FRAME + 4,
    # portal: 1–2 notifications, 3 memberships, 4 teams without head or members. dossiers: 5 drafts,
    # 6 calendar, 7–8 dossiers, 9–10 obstacles. reports: 11 whether they oversee the figures, 12 the
    # highest unit of their scope, 13–54 the dashboard's composition (reports/building.py, COMPOSE).
    "standing_officer": PROVINCE_FRAME + 54,
    # portal: 1–2 notifications, 3 memberships. dossiers: 4 drafts. reports: 5 whether they oversee
    # the figures, 6 the highest unit, 7–48 the composition.
    "council_member": PROVINCE_FRAME + 48,
    # portal: 1–2 notifications, 3 memberships. dossiers: 4 drafts, 5 calendar, 6–7 dossiers, 8 the
    # counts of the obstacles (none is the fund's: no list). fund: 9 the funds their team runs (none
    # here: no panel). reports: 10 whether they oversee the figures (they do not).
    "fund_officer": PROVINCE_FRAME + 10,
}
# The front door: the supports in force (one query); no session for a visitor who has none.
FRONT_DOOR = 1
# The dashboard's flags kept in the cache (reports/home.py) spare the composition: the dossiers
# section's 5, team work's 6, conversions' 7, projects' 11 and the fund's 13 (no fund here, so no
# ledger read; see tests/reports/test_sections.py).
COMPOSE = 5 + 6 + 7 + 11 + 13


def fill(dossiers, rows: int) -> None:
    """``rows`` of everything a home counts, for every role of the cast."""
    cast = dossiers.cast
    clone_dossiers(dossiers, rows)
    received = list(Dossier.objects.filter(status=Dossier.Status.RECEIVED).values_list("pk", flat=True))
    Dossier.objects.filter(pk__in=received[::3]).update(handling_team=cast.teams.fund)
    make_inquiries(dossiers, rows)
    for number in range(rows):
        record(cast, day=datetime.date(2026, 11, 1) + datetime.timedelta(days=number % 17))
    Notification.objects.bulk_create(
        Notification(recipient=user, event_key=f"test-{number}", title=f"Thông báo {number}")
        for user in User.objects.all()
        for number in range(rows)
    )


@pytest.mark.parametrize("role", sorted(HOME))
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_each_roles_home_costs_the_same_at_ten_times_the_rows(
    dossiers, login, django_assert_num_queries, role, rows
):
    fill(dossiers, rows)
    # The district teams ended with the districts: the district officer reads history only.
    dossiers.cast.teams.district.active_until = datetime.date(2025, 6, 30)
    dossiers.cast.teams.district.save(update_fields=["active_until"])
    client = login(getattr(dossiers.cast, role))
    cache.clear()
    with django_assert_num_queries(HOME[role]):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.context["to_do"] > 0


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_front_door_costs_the_same_at_ten_times_the_rows(
    dossiers, client, django_assert_num_queries, rows
):
    fill(dossiers, rows)
    with django_assert_num_queries(FRONT_DOOR):
        response = client.get(reverse("home"))
    assert response.status_code == 200


def test_the_flags_kept_in_the_cache_spare_the_composition(dossiers, login, django_assert_num_queries):
    fill(dossiers, N)
    client = login(dossiers.cast.council_member)
    cache.clear()
    client.get(reverse("home"))
    with django_assert_num_queries(HOME["council_member"] - COMPOSE):
        client.get(reverse("home"))
