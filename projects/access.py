"""Who reads and changes projects, plans, mentors and models: outside scope is 404, read-only 403.

The commune's team keeps its projects and writes its households' plans; the district team (until
the reform) and the standing agency above it may too. The standing agency alone assigns mentors and
proposes success models; the council confirms them. A mentor signs in with their own account, sees
the projects assigned to them and logs sessions on them. Founders read their own projects.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from portal.models import AdminUnit, Team
from portal.scope import scope_for
from projects.models import Mentor, PovertyPlan, Project, SuccessModel

KEEPING_KINDS = frozenset({Team.Kind.COMMUNE_TEAM, Team.Kind.DISTRICT_TEAM, Team.Kind.STANDING_AGENCY})


def keeps_projects(user) -> bool:
    """An officer of an active team that keeps some commune's projects."""
    scope = scope_for(user)
    return bool(scope.writable_unit_ids) and bool(scope.active_team_kinds & KEEPING_KINDS)


def can_change(user, unit_id: int) -> bool:
    """Officers of an active team that keeps the projects where ``unit_id`` lies."""
    return keeps_projects(user) and unit_id in scope_for(user).writable_unit_ids


def kept_communes(user) -> QuerySet[AdminUnit]:
    """The communes and wards whose projects and lists ``user`` keeps, their former ones included (a
    project or a list is of the commune of its day; the services check that it existed then)."""
    if not keeps_projects(user):
        return AdminUnit.objects.none()
    return AdminUnit.objects.communes_written_by(user)


def runs_programme(user) -> bool:
    """The standing agency: assigns mentors, keeps the pool, proposes success models."""
    return Team.Kind.STANDING_AGENCY in scope_for(user).active_team_kinds


def confirms_models(user) -> bool:
    """The council (or one of its boards) confirms a proposed success model."""
    return scope_for(user).oversees


def mentor_of(user) -> Mentor | None:
    """The mentor record the signed-in person is, if any (one query)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Mentor.objects.filter(user=user).first()


def is_assigned(mentor: Mentor | None, project: Project) -> bool:
    return (
        mentor is not None
        and project.mentor_assignments.filter(mentor=mentor, ended_on__isnull=True).exists()
    )


def sees_personal_data(user, project: Project) -> bool:
    """Founders' CCCD, phones and household income show whole to the founders and to who keeps the
    project; to everyone else who reads it (the council, the fund, a mentor) masked."""
    return can_change(user, project.unit_id) or project.founders.filter(person__user=user).exists()


def _checked(user, row, unit_id: int, for_write: bool):
    if for_write and not can_change(user, unit_id):
        raise PermissionDenied
    return row


def get_project_for_user(user, pk: int, *, for_write: bool = False) -> Project:
    project = get_object_or_404(
        Project.objects.visible_to(user).select_related("unit", "registered_by", "replicates"), pk=pk
    )
    return _checked(user, project, project.unit_id, for_write)


def get_plan_for_user(user, pk: int, *, for_write: bool = False) -> PovertyPlan:
    plan = get_object_or_404(
        PovertyPlan.objects.visible_to(user).select_related(
            "project__unit", "household__head", "approved_by"
        ),
        pk=pk,
    )
    return _checked(user, plan, plan.project.unit_id, for_write)


def get_mentor_for_user(user, pk: int, *, for_write: bool = False) -> Mentor:
    mentor = get_object_or_404(Mentor.objects.visible_to(user), pk=pk)
    if for_write and not runs_programme(user):
        raise PermissionDenied
    return mentor


def get_model_for_user(user, pk: int) -> SuccessModel:
    return get_object_or_404(SuccessModel.objects.visible_to(user).select_related("project__unit"), pk=pk)
