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
    counts = {
        row["level"]: (row["current"], row["former"])
        for row in AdminUnit.objects.visible_to(user)
        .values("level")
        .annotate(
            current=Count("pk", filter=Q(valid_until__isnull=True)),
            former=Count("pk", filter=Q(valid_until__isnull=False)),
        )
        .order_by()
    }
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
        # (level, current units, former units) for each level, former units being the history in scope.
        "units_by_level": [(label, *counts.get(level, (0, 0))) for level, label in AdminUnit.Level.choices],
        "active_team_count": visible_teams.active_on(day).count(),
        "teams_needing_attention": teams_needing_attention,
    }
    return render(request, "portal/home.html", context)
