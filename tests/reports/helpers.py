"""Small builders the reports tests share."""

import datetime

from django.utils import timezone

from reports.periods import PeriodKind, ReviewPeriod
from teamwork.models import Activity

# A quarter that has ended, whatever day the suite runs.
Q3_2026 = ReviewPeriod.containing(PeriodKind.QUARTERLY, datetime.date(2026, 8, 1))


def record_outreach(cast, *, day: datetime.date, people: int = 10, team=None, unit=None) -> Activity:
    return Activity.objects.create(
        team=team or cast.teams.commune,
        unit=unit or cast.units.commune,
        kind=Activity.Kind.OUTREACH,
        channel=Activity.Channel.LOUDSPEAKER,
        held_on=day,
        people_reached=people,
        topics="Tuyên truyền khởi nghiệp",
        recorded_by=cast.commune_officer,
    )


def measure(data: dict, section: str, key: str) -> dict:
    [found] = [m for s in data["sections"] if s["key"] == section for m in s["measures"] if m["key"] == key]
    return found


def stale(moment=None):
    from reports.building import STALE_AFTER

    return (moment or timezone.now()) - STALE_AFTER - datetime.timedelta(seconds=1)
