"""The foundation: a project, a plan approved, the enrolment decided only then, a mentor's scope."""

import datetime

import pytest

from dossiers.models import Dossier
from dossiers.services import dossiers as dossier_services
from portal.refusals import Refused
from projects.models import Project
from projects.services import mentors, plans
from projects.services import projects as project_services
from tests.projects.fixtures import *  # noqa: F403


def test_enrolment_waits_for_the_approved_plan(projects, set_today):
    set_today(datetime.date(2025, 3, 10))
    dossier = projects.enrolment_dossier()
    for step in ("receive", "start"):
        dossier = dossier_services.perform(
            dossier_services.STEPS[step], dossier=dossier, by=projects.officer, data={}
        )
    with pytest.raises(Refused) as refused:
        dossier_services.complete_dossier(dossier=dossier, by=projects.officer, result="Đồng ý")
    assert refused.value.code == "decision_blocked"
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.IN_PROGRESS
    projects.approved_plan(on=datetime.date(2025, 3, 5))
    dossier = dossier_services.complete_dossier(dossier=dossier, by=projects.officer, result="Đồng ý")
    assert dossier.status == Dossier.Status.DONE


def test_mentor_sees_only_assigned_projects(projects):
    mentor_user = projects.cast.mentor
    assert not Project.objects.visible_to(mentor_user).exists()
    projects.assign()
    assert list(Project.objects.visible_to(mentor_user)) == [projects.startup]


def test_conflicted_mentor_is_not_assigned(projects):
    mentors.declare_conflict(
        mentor=projects.mentor,
        project=projects.startup,
        by=projects.cast.mentor,
        reason="Người thân của chủ dự án",
        on=datetime.date(2025, 1, 2),
    )
    with pytest.raises(Refused) as refused:
        projects.assign()
    assert refused.value.code == "conflict"


def test_budget_must_add_up(projects):
    with pytest.raises(Refused) as refused:
        plans.check_plan(
            {
                "starts_on": datetime.date(2025, 1, 1),
                "ends_on": datetime.date(2025, 12, 31),
                "budget_total": 10_000_000,
                "expected_monthly_income": 0,
            },
            [plans.Funding("own", 4_000_000)],
            [],
            [],
        )
    assert refused.value.code == "budget_sum"


def test_step_backwards_is_refused(projects):
    with pytest.raises(Refused) as refused:
        project_services.move_stage(
            project=projects.startup, to="idea", by=projects.officer, on=datetime.date(2024, 4, 1)
        )
    assert refused.value.code == "out_of_order"
