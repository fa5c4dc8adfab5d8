"""Who records and reads activities: outside scope is 404."""

from django.shortcuts import get_object_or_404

from portal.models import Membership, Team
from portal.models.people import today
from teamwork.models import Activity


def recording_teams(user):
    """The active teams ``user`` is an active member of: those they may record activities for. The
    council and its boards oversee the teams' work and record none of their own (portal/scope.py)."""
    day = today()
    return (
        Team.objects.active_on(day)
        .exclude(kind__in=Team.OVERSEEING_KINDS)
        .filter(pk__in=Membership.objects.active_on(day).filter(user=user).values("team_id"))
        .select_related("unit")
        .in_vietnamese_order()
    )


def get_activity_for_user(user, pk: int) -> Activity:
    return get_object_or_404(
        Activity.objects.visible_to(user).select_related("team", "unit", "supported_team", "recorded_by"),
        pk=pk,
    )
