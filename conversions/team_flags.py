"""The conversions' flag on a team in the evenness view (teamwork/evenness.py finds this module).

A commune team is flagged when follow-up visits of its commune's converted enterprises are more than
``LATE_DAYS`` days late at the end of the period (or today, for a period not over yet): due more
than 30 days before that day and neither done by it nor skipped. A visit a few days late is the
team's own work list and the morning reminder's business; a month late is the oversight's, the same
threshold as the report section's flag (conversions/report_sections.py). The cases of a commune that
ended in the 2025 reform count for the team of its successor.

The counts are subqueries on the teams' own query: the evenness view costs no query more.
"""

import datetime

from django.db.models import Count, Min, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy

from conversions.models import FollowUpVisit
from conversions.models.followups import late_on
from portal.models import Team
from portal.models.people import today
from portal.periods import Period

# A follow-up visit this many days past its due date flags the team and the report.
LATE_DAYS = 30

VISITS_LATE = "conversion_visits_late"
# The cases on the team's own commune, and on the communes it replaced (for a subquery on the teams).
CASES = {
    "own": Q(conversion__unit_id=OuterRef("unit_id")),
    "replaced": Q(conversion__unit__successors=OuterRef("unit_id")),
}

MESSAGES = {
    VISITS_LATE: gettext_lazy(
        "%(visits)s follow-up visits to converted enterprises more than %(days)s days late "
        "(the oldest due on %(day)s)."
    )
}


def annotations(period: Period, suffix: str) -> dict:
    day = min(period.last, today())
    # Two subqueries, each through indexes: the late visits of the cases on the team's commune (the
    # cases through their unit, the visits through their case), and those on the communes it replaced
    # (the successor links through the team's unit first). One subquery with an OR between the two read
    # every case of the province for each team: 1.7 ms a team, 7 s for the 1,000 teams of scale 10.
    late = FollowUpVisit.objects.filter(late_on(day, by_days=LATE_DAYS)).order_by()
    found = {}
    for whose, cases in CASES.items():
        # Grouped by a column that is the same on every late visit: one row, or none.
        of_cases = late.filter(cases).values("skipped_reason")
        found |= {
            f"conversion_visits_late_{whose}{suffix}": Subquery(of_cases.annotate(n=Count("pk")).values("n")),
            f"conversion_oldest_late_{whose}{suffix}": Subquery(
                of_cases.annotate(first=Min("due_on")).values("first")
            ),
        }
    return found


def flags(team: Team, suffix: str) -> list[tuple[str, dict]]:
    late = sum(getattr(team, f"conversion_visits_late_{whose}{suffix}") or 0 for whose in CASES)
    if team.kind != Team.Kind.COMMUNE_TEAM or not late:
        return []
    oldest = min(
        _day(value)
        for whose in CASES
        if (value := getattr(team, f"conversion_oldest_late_{whose}{suffix}")) is not None
    )
    return [(VISITS_LATE, {"visits": late, "days": LATE_DAYS, "day": f"{oldest:%d/%m/%Y}"})]


def _day(value) -> datetime.date:
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text
