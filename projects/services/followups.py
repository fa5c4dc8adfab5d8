"""Following the plans: the milestones the commune team must look at, and the morning job that warns
it of each milestone that fell late, once.

A milestone is late as ``Milestone.objects.late_on`` says (not done and past its date, or marked late on
a visit); the team is warned of those of approved plans whose project has not stopped (a draft is still
being written and shows among the plans awaiting approval).
"""

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_noop

from portal.drilldown import successor_links
from portal.models import Membership, Team, User
from portal.models.people import today
from portal.services.notifications import in_portal_language, notify
from projects.models import Milestone, PovertyPlan, Project, Stage

LATE_MILESTONE = gettext_noop("Milestone “%(title)s” of %(project)s was due on %(day)s and is late")


def followed_late(milestones: QuerySet, day: datetime.date) -> QuerySet:
    """Of ``milestones``, those late on ``day`` in approved plans of projects still going."""
    return (
        milestones.late_on(day)
        .filter(plan__status=PovertyPlan.Status.APPROVED)
        .exclude(plan__project__stage=Stage.STOPPED)
    )


def _commune_team_members(project: Project) -> QuerySet:
    """The active members of the commune teams of the project's commune, or of its successor after a
    reform."""
    units = {project.unit_id, *successor_links([project.unit_id]).get(project.unit_id, [])}
    teams = Team.objects.active_on(today()).filter(kind=Team.Kind.COMMUNE_TEAM, unit_id__in=units)
    return User.objects.filter(
        pk__in=Membership.objects.active_on(today()).filter(team__in=teams).values("user_id")
    )


def flag_late_milestones(*, on: datetime.date) -> dict[str, int]:
    """The morning job's part: warn the commune team of each milestone late on ``on`` and not warned
    yet, and mark it warned; a second run sends nothing twice (the mark, and the event key)."""
    counts = {"late": 0, "notified": 0}
    late = (
        followed_late(Milestone.objects.filter(late_warned_on__isnull=True), on)
        .select_related("plan__project")
        .order_by("due_on", "pk")
    )
    for milestone in late:
        counts["notified"] += _warn(milestone, on)
        counts["late"] += 1
    return counts


@transaction.atomic
def _warn(milestone: Milestone, on: datetime.date) -> int:
    """Warn of one milestone and mark it, together; how many people were notified."""
    project = milestone.plan.project
    sent = notify(
        recipients=_commune_team_members(project),
        event_key=f"milestone-late-{milestone.pk}",
        title=in_portal_language(
            LATE_MILESTONE, title=milestone.title, project=project.name, day=f"{milestone.due_on:%d/%m/%Y}"
        ),
        link=reverse("poverty_plan_detail", args=[milestone.plan_id]),
    )
    milestone.late_warned_on = on
    milestone.save(update_fields=["late_warned_on"])
    return len(sent)
