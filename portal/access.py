"""Fetch-and-authorise helpers: outside scope is 404, visible but not writable is 403."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from portal.models import AdminUnit, ApiToken, Team
from portal.scope import scope_for


def get_unit_for_user(user, pk: int) -> AdminUnit:
    """Units are reference data: anyone in scope may read them, only the Django admin changes them."""
    return get_object_or_404(AdminUnit.objects.visible_to(user).select_related("parent"), pk=pk)


def can_edit_team(user, team: Team) -> bool:
    """Council and standing agency members manage the teams in their scope; a head manages their own team."""
    if not team.is_active:
        return False
    scope = scope_for(user)
    if scope.manages_teams and team.unit_id in scope.writable_unit_ids:
        return True
    return team.head_id == user.pk and team.pk in scope.team_ids


def get_team_for_user(user, pk: int, *, for_write: bool = False) -> Team:
    team = get_object_or_404(Team.objects.visible_to(user).select_related("unit", "head", "parent"), pk=pk)
    if for_write and not can_edit_team(user, team):
        raise PermissionDenied
    return team


def get_token_for_owner(user, pk: int) -> ApiToken:
    """Only its owner reaches a token outside the admin; anyone else's, or a dead one, is 404."""
    return get_object_or_404(ApiToken.objects.visible_to(user), pk=pk)
