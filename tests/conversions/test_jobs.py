"""The morning job: entitlements ending warned 30 days ahead and marked expired after their end (the
licence-fee exemption across 31/12/2025 → 01/01/2026), follow-up visits reminded; a second run sends
nothing twice."""

import datetime

import pytest
from django.conf import settings

from conversions.jobs import review_entitlements_and_visits_this_morning
from conversions.models import EntitlementGrant
from conversions.services.followups import record_visit, reschedule_visit
from portal.models import Notification
from tests.conversions.fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

D = datetime.date
LICENCE_FEE = "mien-le-phi-mon-bai-3-nam"
TAX_ADVICE = "tu-van-thue-ke-toan-3-nam"


def morning(set_today, day: datetime.date) -> dict[str, int]:
    set_today(day, datetime.time(7, 10))
    return review_entitlements_and_visits_this_morning()


def grants(conversion) -> dict[str, tuple[str, datetime.date | None]]:
    return {
        grant.entitlement.code: (grant.state, grant.warned_on)
        for grant in conversion.entitlements.select_related("entitlement")
    }


def notified(conversions) -> list[tuple[str, str]]:
    return list(Notification.objects.order_by("pk").values_list("recipient__username", "title"))


@pytest.fixture
def registered(conversions, set_today):
    """Registered on 10/06/2024, recorded on 15/11/2025: the licence-fee exemption ends on 31/12/2025,
    the tax advice on 09/06/2027; visits due 10/07/2024, 10/09, 10/12, 10/06/2025, 10/06/2026…"""
    set_today(D(2025, 11, 15))
    conversion = conversions.registered(on=D(2024, 6, 10))
    for months in (1, 3, 6, 12):
        record_visit(
            visit=conversion.visits.get(months_after=months),
            by=conversions.officer,
            done_on=D(2025, 11, 15),
            channel="phone",
            finding="operating",
        )
    Notification.objects.all().delete()
    return conversion


def test_the_job_is_in_the_morning_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["conversions-entitlements-and-visits"]
    assert entry["task"] == "conversions.jobs.review_entitlements_and_visits_this_morning"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({7}, {10})


def test_an_entitlement_is_announced_30_days_before_its_end_once(conversions, registered, set_today):
    assert grants(registered)[LICENCE_FEE] == ("granted", None)
    # 30/11/2025: 31 days before the end.
    assert morning(set_today, D(2025, 11, 30)) == {"expired": 0, "warned": 0, "visits": 0}
    assert morning(set_today, D(2025, 12, 1)) == {"expired": 0, "warned": 1, "visits": 0}
    assert grants(registered)[LICENCE_FEE] == ("granted", D(2025, 12, 1))
    enterprise = "Công ty TNHH Cơ sở kẹo dừa Tư Nộp"
    [(recipient, title)] = notified(conversions)
    assert recipient == conversions.officer.username
    assert enterprise in title and "31/12/2025" in title
    # The next mornings say nothing more of it.
    assert morning(set_today, D(2025, 12, 1)) == {"expired": 0, "warned": 0, "visits": 0}
    assert morning(set_today, D(2025, 12, 2)) == {"expired": 0, "warned": 0, "visits": 0}
    assert len(notified(conversions)) == 1


def test_the_licence_fee_exemption_expires_on_1_january_2026(conversions, registered, set_today):
    assert morning(set_today, D(2025, 12, 31))["expired"] == 0
    assert grants(registered)[LICENCE_FEE][0] == "granted"
    assert morning(set_today, D(2026, 1, 1))["expired"] == 1
    assert grants(registered)[LICENCE_FEE][0] == "expired"
    assert grants(registered)[TAX_ADVICE] == ("granted", None)
    assert morning(set_today, D(2026, 1, 2))["expired"] == 0
    assert EntitlementGrant.objects.filter(state="expired").count() == 1


def test_visits_due_within_a_week_or_overdue_are_reminded_once(conversions, registered, set_today):
    # The 24-month visit is due on 10/06/2026: a week ahead is 03/06/2026.
    assert morning(set_today, D(2026, 6, 2))["visits"] == 0
    assert morning(set_today, D(2026, 6, 3))["visits"] == 1
    assert morning(set_today, D(2026, 6, 4))["visits"] == 0
    # Overdue and still open: no second reminder for the same due date.
    assert morning(set_today, D(2026, 7, 1))["visits"] == 0
    titles = [title for _recipient, title in notified(conversions) if "10/06/2026" in title]
    assert len(titles) == 1
    # Moved to a new day, it is reminded again for that day.
    reschedule_visit(
        visit=registered.visits.get(months_after=24),
        by=conversions.officer,
        due_on=D(2026, 7, 5),
        reason="Chủ đi vắng",
    )
    assert morning(set_today, D(2026, 7, 1))["visits"] == 1
