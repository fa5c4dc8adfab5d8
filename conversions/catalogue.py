"""The reference data of conversions: the first follow-up schedule (``manage.py load_catalogue``).

Visits at 1, 3, 6, 12, 24 and 36 months after the first enterprise registration, for every
enterprise registered since the programme began; the standing agency adds later versions. A row
that exists is never changed.
"""

import datetime

from conversions.models import VisitSchedule
from portal.catalogue import CatalogueReport

FIRST_SCHEDULE_FROM = datetime.date(2016, 1, 1)
FIRST_SCHEDULE_MONTHS = [1, 3, 6, 12, 24, 36]


def load(report: CatalogueReport) -> None:
    if VisitSchedule.objects.filter(effective_from=FIRST_SCHEDULE_FROM).exists():
        report.existing["VisitSchedule"] += 1
        return
    VisitSchedule.objects.create(
        effective_from=FIRST_SCHEDULE_FROM,
        months=FIRST_SCHEDULE_MONTHS,
        note="Lịch theo dõi sau chuyển đổi của chương trình",
    )
    report.created["VisitSchedule"] += 1
