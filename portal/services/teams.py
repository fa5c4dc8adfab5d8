"""Writes on teams. Each service owns its transaction; the audit records follow from the models."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Membership, Team, User
from portal.models.people import today
from portal.refusals import Refused


@transaction.atomic
def add_member(
    *, team: Team, user: User, position: str = "", joined_on: datetime.date | None = None
) -> Membership:
    """Make ``user`` a member of ``team`` from ``joined_on`` (today by default)."""
    if Membership.objects.filter(team=team, user=user, left_on__isnull=True).exists():
        raise Refused(_("%(user)s is already a member of this team.") % {"user": user}, conflict=True)
    return Membership.objects.create(team=team, user=user, position=position, joined_on=joined_on or today())


@transaction.atomic
def end_membership(*, membership: Membership, left_on: datetime.date | None = None) -> Membership:
    """Record that the member left; a team's head must first be replaced."""
    membership = Membership.objects.select_for_update().select_related("team").get(pk=membership.pk)
    if membership.left_on is not None:
        raise Refused(_("This membership has already ended."), conflict=True)
    if membership.team.head_id == membership.user_id:
        raise Refused(_("Choose another head before removing the current head from the team."), conflict=True)
    membership.left_on = left_on or today()
    membership.save(update_fields=["left_on"])
    return membership


@transaction.atomic
def set_team_head(*, team: Team, head: User) -> Team:
    """Make a current member the head of the team."""
    if not Membership.objects.active_on(today()).filter(team=team, user=head).exists():
        raise Refused(_("The head must be a current member of the team."))
    team = Team.objects.select_for_update().get(pk=team.pk)
    team.head = head
    team.save(update_fields=["head"])
    return team
