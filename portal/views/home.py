from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render

from portal.models import AdminUnit, Membership, Team
from portal.models.people import today
from portal.scope import scope_for


@login_required
def home(request):
    """Each person's own scope, teams and what needs their attention."""
    user = request.user
    scope = scope_for(user)
    day = today()
    memberships = (
        Membership.objects.active_on(day)
        .filter(user=user)
        .select_related("team", "team__unit")
        .order_by("team__sort_name")
    )
    visible_teams = Team.objects.visible_to(user)
    units_by_level = dict(
        AdminUnit.objects.visible_to(user)
        .current()
        .values_list("level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    teams_needing_attention = []
    if scope.manages_teams or any(m.team.head_id == user.pk for m in memberships):
        teams_needing_attention = list(
            visible_teams.active_on(day)
            .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
            .filter(Q(head__isnull=True) | Q(member_count=0))
            .select_related("unit")
            .in_vietnamese_order()[:20]
        )
    context = {
        "memberships": memberships,
        "scope": scope,
        "units_by_level": [(label, units_by_level.get(level, 0)) for level, label in AdminUnit.Level.choices],
        "active_team_count": visible_teams.active_on(day).count(),
        "teams_needing_attention": teams_needing_attention,
    }
    return render(request, "portal/home.html", context)
