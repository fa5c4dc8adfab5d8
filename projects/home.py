"""The projects' panels of the home page (portal/panels.py).

- A member of an active commune support team: the milestones late in its communes' approved plans
  (``projects.services.followups.followed_late``) and the plans still awaiting approval, a few of each.
- A household's head or a founder with a poverty-escape plan (an applicant): the plan's next milestones.
- A mentor (a person with a record in the pool): the projects assigned to them now, with the date of
  their last session on each.

Each panel costs a fixed number of queries whatever the number of plans, milestones or projects.
"""

import datetime

from django.db.models import OuterRef, Prefetch, Q, Subquery

from portal.models import Team
from portal.panels import ASKED_OF_YOU, OVERDUE_WORK, TEAM, WAYS_IN, Panel
from portal.scope import scope_for
from projects.access import mentor_of
from projects.models import MentorSession, Milestone, PovertyPlan, Project, Stage
from projects.services.followups import followed_late

SHOWN = 5
NEXT_MILESTONES = 3


def panels(user, day: datetime.date) -> list[Panel]:
    scope = scope_for(user)
    if Team.Kind.COMMUNE_TEAM in scope.active_team_kinds:
        found = [_team_plans(user, scope, day)]
    elif not scope.readable_unit_ids:
        found = [_own_plans(user, day), _mentored(user)]
    else:
        found = []
    return [panel for panel in found if panel is not None]


def public_panels(day: datetime.date) -> list[Panel]:
    """The front door links to the confirmed success models (no query)."""
    return [Panel("projects/models/home_public.html", WAYS_IN)]


def _team_plans(user, scope, day: datetime.date) -> Panel | None:
    communes = scope.writable_unit_ids
    late = followed_late(Milestone.objects.visible_to(user), day).filter(plan__project__unit_id__in=communes)
    drafts = (
        PovertyPlan.objects.visible_to(user)
        .filter(status=PovertyPlan.Status.DRAFT, project__unit_id__in=communes)
        .exclude(project__stage=Stage.STOPPED)
    )
    # 1: how many milestones are late, 2: how many plans await approval.
    late_count, draft_count = late.count(), drafts.count()
    if not late_count and not draft_count:
        return None
    # 3: the earliest late milestones with their project, 4: the oldest drafts with theirs.
    shown_late = (
        list(late.select_related("plan__project").order_by("due_on", "pk")[:SHOWN]) if late_count else []
    )
    shown_drafts = list(drafts.select_related("project__unit").order_by("pk")[:SHOWN]) if draft_count else []
    return Panel(
        "projects/plans/home_team.html",
        OVERDUE_WORK,
        to_do=late_count + draft_count,
        data={
            "late_count": late_count,
            "late": shown_late,
            "draft_count": draft_count,
            "drafts": shown_drafts,
        },
    )


def _own_plans(user, day: datetime.date) -> Panel | None:
    """The plans of the person's household or projects, with their next milestones not done."""
    mine = Q(household__head__user=user) | Q(project__founders__person__user=user)
    # 1: the person's plans, 2 (only when there is one): their milestones not done.
    plans = list(
        PovertyPlan.objects.visible_to(user)
        .filter(pk__in=PovertyPlan.objects.filter(mine).values("pk"))
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.exclude(state=Milestone.State.DONE).order_by("due_on", "pk"),
                to_attr="open_milestones",
            )
        )
        .order_by("-pk")
    )
    if not plans:
        return None
    for plan in plans:
        plan.next_milestones = plan.open_milestones[:NEXT_MILESTONES]
        for milestone in plan.next_milestones:
            milestone.is_late = milestone.is_late_on(day)
    return Panel("projects/plans/home_own.html", ASKED_OF_YOU, data={"plans": plans})


def _mentored(user) -> Panel | None:
    """The projects assigned to the person as a mentor, with their last session with them."""
    # 1: the person's mentor record, if any.
    mentor = mentor_of(user)
    if mentor is None:
        return None
    last_session = (
        MentorSession.objects.filter(project=OuterRef("pk"), mentor=mentor)
        .order_by("-held_on")
        .values("held_on")[:1]
    )
    # 2: the projects assigned now, with the last session.
    projects = list(
        Project.objects.visible_to(user)
        .filter(mentor_assignments__mentor=mentor, mentor_assignments__ended_on__isnull=True)
        .select_related("unit")
        .annotate(last_session=Subquery(last_session))
        .order_by("name", "pk")
        .distinct()
    )
    return Panel("projects/plans/home_mentor.html", TEAM, data={"projects": projects, "mentor": mentor})
