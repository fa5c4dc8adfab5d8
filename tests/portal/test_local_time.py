"""The local day of a stored moment, computed by the database."""

import datetime
import zoneinfo

import pytest

from portal.local_time import LocalDate, fixed_offset_minutes
from portal.models import Notification

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def test_vietnam_keeps_one_offset_and_a_zone_with_summer_time_has_none(settings):
    assert fixed_offset_minutes() == 7 * 60
    settings.TIME_ZONE = "Europe/Paris"
    assert fixed_offset_minutes() is None


@pytest.mark.parametrize(
    ("local", "day"),
    [
        (datetime.datetime(2026, 6, 30, 23, 30, tzinfo=VIETNAM), datetime.date(2026, 6, 30)),
        (datetime.datetime(2026, 7, 1, 0, 10, tzinfo=VIETNAM), datetime.date(2026, 7, 1)),
        (datetime.datetime(2026, 7, 1, 6, 59, tzinfo=VIETNAM), datetime.date(2026, 7, 1)),  # 23:59 UTC before
    ],
)
def test_the_local_day_of_a_moment(cast, local, day):
    notification = Notification.objects.create(recipient=cast.council_member, event_key="x", title="x")
    Notification.objects.filter(pk=notification.pk).update(created_at=local)
    assert Notification.objects.annotate(day=LocalDate("created_at")).get().day == day
