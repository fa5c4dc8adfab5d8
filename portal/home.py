"""The ground's panels of the home page (portal/panels.py): unread notifications, teams that lack a
head or members, and the person's own teams."""

import datetime

from django.db.models import Count, Q

from portal.models import Membership, Notification, Team
from portal.panels import ABOUT_YOU, NOTICES, TEAM, Panel
from portal.scope import scope_for

UNREAD_SHOWN = 5
TEAMS_NEEDING_ATTENTION_SHOWN = 20


def panels(user, day: datetime.date) -> list[Panel]:
    found = []
    unread = _unread_notifications(user)
    if unread is not None:
        found.append(unread)
    if scope_for(user).team_ids:
        memberships = list(
            Membership.objects.active_on(day)
            .filter(user=user)
            .select_related("team", "team__unit")
            .order_by("team__sort_name")
        )
        attention = _teams_needing_attention(user, day, memberships)
        if attention is not None:
            found.append(attention)
        found.append(Panel("portal/home_teams.html", ABOUT_YOU, data={"memberships": memberships}))
    return found


def _unread_notifications(user) -> Panel | None:
    unread = Notification.objects.visible_to(user).unread().order_by("-created_at", "-pk")
    newest = list(unread[:UNREAD_SHOWN])
    if not newest:
        return None
    count = len(newest) if len(newest) < UNREAD_SHOWN else unread.count()
    return Panel(
        "portal/home_notifications.html", NOTICES, to_do=count, data={"newest": newest, "count": count}
    )


def _teams_needing_attention(user, day: datetime.date, memberships: list[Membership]) -> Panel | None:
    """For who manages the teams in scope, and for a team's head: active teams without a head or members."""
    is_head = any(membership.team.head_id == user.pk for membership in memberships)
    if not (scope_for(user).manages_teams or is_head):
        return None
    teams = list(
        Team.objects.visible_to(user)
        .active_on(day)
        .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .filter(Q(head__isnull=True) | Q(member_count=0))
        .select_related("unit")
        .in_vietnamese_order()[:TEAMS_NEEDING_ATTENTION_SHOWN]
    )
    if not teams:
        return None
    return Panel("portal/home_teams_needing_attention.html", TEAM, to_do=len(teams), data={"teams": teams})
