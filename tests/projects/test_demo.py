"""The projects' part of the demo (issue 12, part 8): believable projects, plans, mentors and models."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.test import override_settings

from dossiers.catalogue import POVERTY_ESCAPE
from dossiers.models import Dossier
from portal.models import AdminUnit, User
from portal.models.units import REFORM_DATE
from projects.access import get_project_for_user
from projects.models import (
    ConflictOfInterest,
    Founder,
    HouseholdListing,
    Kind,
    Mentor,
    MentorAssignment,
    MentorSession,
    Milestone,
    PovertyPlan,
    PovertyStandard,
    Project,
    ReviewResult,
    Stage,
    SuccessModel,
    Support,
    SupportKind,
)
from projects.services.plans import plan_gaps
from tests.conftest import SUITE_START

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("projects-demo")]

TODAY = SUITE_START.date()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> str:
    """The demo, loaded once for the module at the suite's moment and rolled back at its end."""
    with (
        django_db_blocker.unblock(),
        time_machine.travel(SUITE_START, tick=True),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def valid_on(unit: AdminUnit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_until is None or day <= unit.valid_until
    )


def test_projects_of_every_kind_on_the_communes_of_their_day(demo):
    projects = list(Project.objects.select_related("unit"))
    assert len(projects) == 30
    assert "Projects:    27 created, 0 unchanged." in demo  # three more came with their dossiers' decisions
    assert {project.kind for project in projects} == set(Kind.values)
    for project in projects:
        assert valid_on(project.unit, project.registered_on), project
        steps = list(project.steps.order_by("recorded_at", "pk"))
        assert steps[-1].stage == project.stage, project
        assert [step.taken_on for step in steps] == sorted(step.taken_on for step in steps), project
        assert all(step.taken_on <= TODAY for step in steps)
        assert project.founders.filter(is_lead=True).count() == 1
    assert any(project.registered_on < REFORM_DATE for project in projects)
    assert any(project.registered_on >= REFORM_DATE for project in projects)
    assert Project.objects.filter(stage=Stage.STOPPED).exclude(stop_reason="").exists()
    assert Project.objects.filter(steps__is_correction=True).exists()
    # Founders are the one record of each person: the demo's applicants keep theirs.
    assert Founder.objects.filter(person__user__username="nguoinop").count() == 0
    assert Founder.objects.filter(person__national_id="083096002281").count() == 1  # Bùi Quốc Khang
    cccds = list(Founder.objects.values_list("person__national_id", flat=True))
    assert len(set(cccds)) == len(set(Founder.objects.values_list("person_id", flat=True)))


def test_supports_of_every_kind_from_teams_organisations_and_mentors(demo):
    supports = Support.objects.all()
    assert set(supports.values_list("kind", flat=True)) == set(SupportKind.values)
    assert supports.filter(team__isnull=False).exists()
    assert supports.filter(mentor__isnull=False).exists()
    assert supports.exclude(organisation="").exists()
    for support in supports.select_related("project"):
        assert support.project.registered_on <= support.given_on <= TODAY
        assert support.recorded_at.date() == support.given_on


def test_households_on_the_lists_of_their_years_with_the_standard_in_force(demo):
    example = PovertyStandard.objects.get(valid_from=datetime.date(2026, 1, 1))
    assert (example.name, example.legal_basis, example.is_example) == (
        "Chuẩn nghèo đa chiều giai đoạn 2026–2030",
        "Nghị định 351/2025/NĐ-CP",
        True,
    )
    assert (example.rural_income_line, example.urban_income_line, example.indicators) == (
        2_200_000,
        2_800_000,
        12,
    )
    assert example.deprivation_threshold == 3
    years = set(HouseholdListing.objects.values_list("year", flat=True))
    assert {2022, 2023, 2024, 2025, 2026} <= years
    for listing in HouseholdListing.objects.select_related("standard", "unit"):
        first = datetime.date(listing.year, 1, 1)
        assert listing.standard.valid_from <= first <= listing.standard.valid_until
        assert listing.category == listing.standard.classify(
            income=listing.income_per_person, deprivations=listing.deprivations, urban=listing.is_urban
        )


def test_every_approved_plan_is_complete_and_every_decided_enrolment_has_one(demo):
    plans = PovertyPlan.objects.select_related("project")
    assert plans.filter(status=PovertyPlan.Status.APPROVED).count() >= 9
    assert plans.filter(status=PovertyPlan.Status.DRAFT).count() == 2
    for plan in plans:
        if plan.is_approved:
            assert plan_gaps(plan) == [], plan
            assert plan.starts_on <= plan.approved_on <= TODAY
        else:
            assert plan_gaps(plan), plan  # the drafts still say what they lack
            assert plan.project.stage == Stage.PLAN
        for milestone in plan.milestones.all():
            assert plan.starts_on <= milestone.due_on <= plan.ends_on
    decided = Dossier.objects.filter(
        procedure__code=POVERTY_ESCAPE, status__in=[Dossier.Status.DONE, Dossier.Status.RESULT_RETURNED]
    )
    assert decided.count() == 3
    for dossier in decided:
        plan = PovertyPlan.objects.get(project__dossier_links__dossier=dossier)
        assert plan.is_approved and plan.approved_on <= dossier.decided_at.date()
    # The enrolments still in progress are linked to their plans being written.
    assert (
        PovertyPlan.objects.filter(
            status=PovertyPlan.Status.DRAFT, project__dossier_links__dossier__procedure__code=POVERTY_ESCAPE
        ).count()
        == 2
    )


def test_plans_on_track_late_escaped_and_one_fell_back(demo):
    assert Milestone.objects.filter(state=Milestone.State.DONE).exists()
    late = Milestone.objects.filter(state=Milestone.State.LATE)
    assert late.exists() and all(milestone.updates.filter(state="late").exists() for milestone in late)
    assert Milestone.objects.filter(state=Milestone.State.CHANGED).exclude(due_on=F("planned_on")).exists()
    results = set(PovertyPlan.objects.values_list("reviews__result", flat=True))
    assert {ReviewResult.ESCAPED, ReviewResult.STILL_POOR, ReviewResult.FELL_BACK} <= results
    fell_back = PovertyPlan.objects.get(reviews__result=ReviewResult.FELL_BACK)
    assert list(fell_back.reviews.order_by("year").values_list("result", flat=True))[-2:] == [
        ReviewResult.ESCAPED,
        ReviewResult.FELL_BACK,
    ]
    started = Project.objects.filter(kind=Kind.POVERTY_ESCAPE, steps__stage=Stage.STARTED).distinct()
    assert started.exists()
    for project in started:
        assert project.plan.is_approved


def test_mentors_assigned_never_where_conflicted(demo):
    assert Mentor.objects.count() == 6
    conflict = ConflictOfInterest.objects.get()
    assert not MentorAssignment.objects.filter(mentor=conflict.mentor, project=conflict.project).exists()
    for assignment in MentorAssignment.objects.all():
        assert not ConflictOfInterest.objects.filter(
            mentor=assignment.mentor, project=assignment.project
        ).exists()
    for session in MentorSession.objects.select_related("mentor"):
        assignment = MentorAssignment.objects.filter(
            mentor=session.mentor, project=session.project, assigned_on__lte=session.held_on
        ).get()
        assert assignment.ended_on is None or session.held_on <= assignment.ended_on
    assert MentorAssignment.objects.filter(ended_on__isnull=False).exists()


def test_the_mentor_login_sees_only_the_projects_assigned_to_him(demo):
    covan = User.objects.get(username="covan")
    assert covan.check_password("khoinghiep2026")
    assert not covan.memberships.exists()
    assert "\n  covan " in demo
    mentor = Mentor.objects.get(user=covan)
    assigned = set(
        MentorAssignment.objects.filter(mentor=mentor, ended_on__isnull=True).values_list(
            "project", flat=True
        )
    )
    assert len(assigned) == 3
    assert set(Project.objects.visible_to(covan).values_list("pk", flat=True)) == assigned
    ended = MentorAssignment.objects.get(mentor=mentor, ended_on__isnull=False).project
    with pytest.raises(Http404):
        get_project_for_user(covan, ended.pk)
    assert MentorSession.objects.filter(mentor=mentor, logged_by=covan).exists()


def test_two_confirmed_models_replicated_on_both_sides_of_the_reform(demo):
    confirmed = SuccessModel.objects.confirmed().select_related("project")
    assert sorted(model.project.name for model in confirmed) == [
        "Kẹo dừa Ngọc Hân",
        "Nuôi dê sinh sản – hộ ông Võ Văn Đực",
    ]
    for model in confirmed:
        assert model.decided_by.username == "hoidong"
        since = list(model.replications.values_list("replicates_since", flat=True))
        assert any(day < REFORM_DATE for day in since), model
        assert any(day >= REFORM_DATE for day in since), model
        for project in model.replications.all():
            assert project.registered_on >= model.project.registered_on
    proposed = SuccessModel.objects.get(status=SuccessModel.Status.PROPOSED)
    assert proposed.decided_on is None and proposed.project.name == "Hoa kiểng Hồng Gấm"


def test_a_second_run_changes_nothing(demo):
    counts = {
        model: model.objects.count() for model in (Project, Support, PovertyPlan, Mentor, HouseholdListing)
    }
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "Projects:    0 created, 30 unchanged." in out.getvalue()
    assert {model: model.objects.count() for model in counts} == counts
