"""The projects' part of the synthetic province (``manage.py generate_data``, issue 12, part 8)."""

import datetime
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from dossiers.catalogue import POVERTY_ESCAPE
from dossiers.models import Dossier
from projects.models import (
    FORWARD_STAGES,
    ConflictOfInterest,
    HouseholdListing,
    Kind,
    MentorAssignment,
    MentorSession,
    Milestone,
    PovertyPlan,
    Project,
    ReviewResult,
    Stage,
    SuccessModel,
    Support,
)

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2026, 11, 20)
DECIDED = [Dossier.Status.DONE, Dossier.Status.RESULT_RETURNED]


def generate(*arguments: str) -> str:
    out = StringIO()
    call_command("generate_data", *arguments, "--as-of", AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def valid_on(unit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_until is None or day <= unit.valid_until
    )


def snapshot():
    return (
        sorted(Project.objects.values_list("name", "kind", "stage", "registered_on", "unit__code")),
        sorted(PovertyPlan.objects.values_list("project__name", "status", "approved_on", "budget_total")),
        sorted(Support.objects.values_list("project__name", "kind", "given_on", "value")),
    )


def test_counts_in_proportion_to_the_communes_and_no_rule_broken():
    output = generate("--communes", "5", "--seed", "7", "--dossiers", "40")
    # 16 projects and 30 households a commune (more where enrolments outnumber them), 200 supports.
    assert Project.objects.exclude(kind=Kind.POVERTY_ESCAPE).count() == 5 * 16
    plans = PovertyPlan.objects.select_related("project__unit", "household__standard")
    assert plans.count() >= 5 * 30
    assert Support.objects.count() == 5 * 200
    assert "supports" in output and "poverty-escape plans" in output
    for project in Project.objects.select_related("unit"):
        assert valid_on(project.unit, project.registered_on), project
        steps = list(project.steps.order_by("recorded_at", "pk"))
        assert steps[-1].stage == project.stage
        assert [step.taken_on for step in steps] == sorted(step.taken_on for step in steps)
        assert max(step.taken_on for step in steps) < AS_OF
        forward = [step.stage for step in steps if step.stage != Stage.STOPPED]
        assert forward == FORWARD_STAGES[FORWARD_STAGES.index(forward[0]) :][: len(forward)]
        assert project.jobs_created <= project.workers and project.own_capital <= project.capital_needed
    for plan in plans:
        listing = plan.household
        assert listing.category == listing.standard.classify(
            income=listing.income_per_person, deprivations=listing.deprivations, urban=False
        )
        if (
            plan.project.stage not in (Stage.PLAN, Stage.STOPPED)
            or plan.project.steps.filter(stage=Stage.STARTED).exists()
        ):
            assert plan.is_approved
        if plan.is_approved:
            assert sum(plan.fundings.values_list("amount", flat=True)) == plan.budget_total
            assert plan.inputs.exists() and plan.milestones.exists() and plan.expected_monthly_income
        for milestone in plan.milestones.all():
            assert plan.starts_on <= milestone.due_on <= plan.ends_on
            if milestone.state != Milestone.State.PLANNED:
                assert milestone.updates.filter(state=milestone.state).exists()
        results = list(plan.reviews.order_by("year").values_list("result", flat=True))
        for before, after in itertools.pairwise(results):
            if after == ReviewResult.FELL_BACK:
                assert before == ReviewResult.ESCAPED
            if before == ReviewResult.ESCAPED:
                assert after in (ReviewResult.ESCAPED, ReviewResult.FELL_BACK)
    decided = Dossier.objects.filter(procedure__code=POVERTY_ESCAPE, status__in=DECIDED)
    assert decided.exists()
    for dossier in decided:
        plan = PovertyPlan.objects.get(project__dossier_links__dossier=dossier)
        assert plan.is_approved and plan.approved_on <= dossier.decided_at.date()
    for support in Support.objects.select_related("project"):
        assert support.project.registered_on <= support.given_on < AS_OF
    for conflict in ConflictOfInterest.objects.all():
        assert not MentorAssignment.objects.filter(mentor=conflict.mentor, project=conflict.project).exists()
    for session in MentorSession.objects.all():
        assert MentorAssignment.objects.filter(
            mentor=session.mentor, project=session.project, assigned_on__lte=session.held_on
        ).exists()
    model = SuccessModel.objects.confirmed().get()
    assert model.replications.count() >= 3
    assert HouseholdListing.objects.filter(year=2026, standard__is_example=True).exists()


def test_the_same_seed_gives_the_same_projects():
    with transaction.atomic():
        generate("--communes", "2", "--seed", "11", "--dossiers", "20")
        first = snapshot()
        transaction.set_rollback(True)
    generate("--communes", "2", "--seed", "11", "--dossiers", "20")
    assert snapshot() == first
