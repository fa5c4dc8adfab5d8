"""The conversions' panels of the home page (portal/panels.py).

- A member of an active commune support team: the follow-up visits of their commune due within a
  week or overdue (open: neither done nor skipped), the earliest first, linking to the visits' list.
- The owner of a household business with a conversion case (an applicant): the case's stage and its
  entitlements still granted, with their end dates, those ending within 30 days marked.

The council and the standing agency see the conversions' flags (a cohort's 12-month survival under
80 %, late follow-ups) among the dashboard's flags (reports/home.py), composed from the report section.
Each panel costs a fixed number of queries whatever the number of cases or visits.
"""

import datetime

from django.db.models import Count, Prefetch
from django.urls import reverse

from conversions.models import Conversion, EntitlementGrant, FollowUpVisit
from conversions.models.followups import late_on
from conversions.services.followups import WARN_DAYS_BEFORE_END
from portal.models import Team
from portal.panels import ASKED_OF_YOU, OVERDUE_WORK, Panel
from portal.scope import scope_for

# A visit is shown this many days before it is due (the morning reminder's week).
DUE_SOON_DAYS = 7
VISITS_SHOWN = 5


def panels(user, day: datetime.date) -> list[Panel]:
    scope = scope_for(user)
    if Team.Kind.COMMUNE_TEAM in scope.active_team_kinds:
        return [panel for panel in [_visits_due(user, day)] if panel is not None]
    if not scope.readable_unit_ids:
        return [panel for panel in [_own_case(user, day)] if panel is not None]
    return []


def _visits_due(user, day: datetime.date) -> Panel | None:
    visits = FollowUpVisit.objects.visible_to(user).due_by(day + datetime.timedelta(days=DUE_SOON_DAYS))
    # 1: how many are due soon and how many overdue.
    counts = visits.aggregate(due=Count("pk"), overdue=Count("pk", filter=late_on(day)))
    if not counts["due"]:
        return None
    # 2: the earliest few, with their enterprise.
    shown = list(visits.select_related("conversion").order_by("due_on", "pk")[:VISITS_SHOWN])
    for visit in shown:
        visit.is_overdue = visit.is_overdue_on(day)
    return Panel(
        "conversions/home_visits.html",
        OVERDUE_WORK,
        to_do=counts["due"],
        data={"counts": counts, "visits": shown, "list_url": reverse("conversion_visit_list")},
    )


def _own_case(user, day: datetime.date) -> Panel | None:
    granted = EntitlementGrant.objects.filter(state=EntitlementGrant.State.GRANTED, ends_on__gte=day)
    # 1: the person's cases, 2 (only when there is one): their entitlements still granted.
    cases = list(
        Conversion.objects.visible_to(user)
        .filter(household_business__owner__user=user)
        .select_related("household_business")
        .prefetch_related(
            Prefetch(
                "entitlements",
                queryset=granted.select_related("entitlement").order_by("ends_on", "pk"),
                to_attr="granted",
            )
        )
        .order_by("pk")
    )
    if not cases:
        return None
    soon = day + datetime.timedelta(days=WARN_DAYS_BEFORE_END)
    for case in cases:
        for grant in case.granted:
            grant.ends_soon = grant.ends_on <= soon
    return Panel("conversions/home_case.html", ASKED_OF_YOU, data={"cases": cases})
