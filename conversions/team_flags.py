"""The conversions' flag on a team in the evenness view (teamwork/evenness.py finds this module).

A commune team is flagged when follow-up visits of its commune's converted enterprises are more than
``LATE_DAYS`` days late at the end of the period (or today, for a period not over yet): due more
than 30 days before that day and neither done by it nor skipped. A visit a few days late is the
team's own work list and the morning reminder's business; a month late is the oversight's, the same
threshold as the report section's flag (conversions/report_sections.py). The cases of a commune that
ended in the 2025 reform count for the team of its successor.

The count is a subquery on the teams' own query: the evenness view costs no query more.
"""

import datetime

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy

from conversions.models import Conversion, FollowUpVisit
from conversions.models.followups import late_on
from portal.models import AdminUnit, Team
from portal.models.people import today
from portal.periods import Period

# A follow-up visit this many days past its due date flags the team and the report.
LATE_DAYS = 30

VISITS_LATE = "conversion_visits_late"

MESSAGES = {
    VISITS_LATE: gettext_lazy(
        "%(visits)s follow-up visits to converted enterprises more than %(days)s days late "
        "(the oldest due on %(day)s)."
    )
}


def annotations(period: Period, suffix: str) -> dict:
    day = min(period.last, today())
    # The cases of the team's commune and of the communes it replaced, each found through the index on
    # the case's unit; the late visits then through the index on their case. (Joined to the successors
    # with an OR, every late visit of the province was read for each team: 80 ms for 200 teams.)
    replaced = AdminUnit.successors.through.objects.filter(
        to_adminunit_id=OuterRef(OuterRef(OuterRef("unit_id")))
    )
    cases = Conversion.objects.filter(
        Q(unit_id=OuterRef(OuterRef("unit_id"))) | Q(unit_id__in=replaced.values("from_adminunit_id"))
    )
    late = (
        FollowUpVisit.objects.filter(late_on(day, by_days=LATE_DAYS), conversion__in=cases.values("pk"))
        .order_by()
        # Grouped by a column that is the same on every late visit: one row, or none.
        .values("skipped_reason")
    )
    return {
        f"conversion_visits_late{suffix}": Subquery(late.annotate(n=Count("pk")).values("n")),
        f"conversion_oldest_late{suffix}": Subquery(late.annotate(first=Min("due_on")).values("first")),
    }


def flags(team: Team, suffix: str) -> list[tuple[str, dict]]:
    late = getattr(team, f"conversion_visits_late{suffix}") or 0
    if team.kind != Team.Kind.COMMUNE_TEAM or not late:
        return []
    oldest = getattr(team, f"conversion_oldest_late{suffix}")
    if isinstance(oldest, str):  # SQLite gives a subquery's date as text
        oldest = datetime.date.fromisoformat(oldest)
    return [(VISITS_LATE, {"visits": late, "days": LATE_DAYS, "day": f"{oldest:%d/%m/%Y}"})]
