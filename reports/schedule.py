"""Which reports the schedule builds: each period's, a few days after it ends, one per unit."""

import datetime

from portal.models import AdminUnit, Team
from portal.periods import overlapping
from reports.models import ReviewReport
from reports.periods import PeriodKind, ReviewPeriod
from reports.services import schedule_report

# Days after a period's end before its reports are built, for late records to come in.
BUILD_DELAY_DAYS = 3
# The province reports every period; the district and commune teams from the quarter up.
TEAM_PERIOD_KINDS = frozenset(
    {PeriodKind.QUARTERLY, PeriodKind.SIX_MONTHS, PeriodKind.NINE_MONTHS, PeriodKind.ANNUAL}
)


def due_periods(on: datetime.date) -> list[ReviewPeriod]:
    """For each kind, the latest period that ended at least ``BUILD_DELAY_DAYS`` days before ``on``."""
    day = on - datetime.timedelta(days=BUILD_DELAY_DAYS - 1)
    return [ReviewPeriod.last_ended(kind, day) for kind in PeriodKind.values]


def units_to_report(period: ReviewPeriod) -> list[AdminUnit]:
    """The council's province, and for the longer periods the units of the teams active in the period."""
    kinds = [Team.Kind.COUNCIL]
    if period.kind in TEAM_PERIOD_KINDS:
        kinds += Team.SUPPORT_KINDS
    teams = Team.objects.filter(kind__in=kinds).filter(
        overlapping(period.first, period.last, start="active_from", end="active_until")
    )
    return list(AdminUnit.objects.filter(pk__in=teams.values("unit_id")).in_vietnamese_order())


def schedule_due_reports(on: datetime.date, *, province_only: bool = False) -> list[ReviewReport]:
    """Queue the first version of every due report not asked for yet; the reports queued."""
    queued = []
    for period in due_periods(on):
        for unit in units_to_report(period):
            if province_only and unit.level != AdminUnit.Level.PROVINCE:
                continue
            report = schedule_report(unit=unit, period=period)
            if report is not None:
                queued.append(report)
    return queued
