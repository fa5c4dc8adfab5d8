"""Registering projects and moving them: each stage a dated step by a named officer; a step undone
only by a recorded correction; a poverty-escape project goes past its plan only once it is approved."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from dossiers.catalogue import FUND_LOAN, POVERTY_ESCAPE, STARTUP_SUPPORT
from dossiers.models import Dossier
from dossiers.services.applicants import Person, check_person, person_record
from portal.models import User
from portal.models.people import today
from portal.money import check_amount
from portal.refusals import Refused
from projects import daily_figures
from projects.models import FORWARD_STAGES, Founder, Kind, Project, ProjectDossier, ProjectStep, Stage
from projects.services.checks import check_commune, check_day, check_writer

# What an officer may change on a project once registered; the stage only moves by steps.
EDITABLE = (
    "name",
    "sector",
    "summary",
    "capital_needed",
    "own_capital",
    "workers",
    "jobs_planned",
    "jobs_created",
    "jobs_women",
    "jobs_young",
)
MONEY = {"capital_needed": _("Capital needed"), "own_capital": _("Own capital")}
# The procedures whose dossiers belong to a project.
PROJECT_PROCEDURES = (STARTUP_SUPPORT, FUND_LOAN, POVERTY_ESCAPE)


def check_figures(fields: dict) -> None:
    """The rules a project's figures keep, typed in or sent through the API; no query."""
    for name in ("capital_needed", "own_capital"):
        check_amount(fields.get(name, 0), str(MONEY[name]))
    if fields.get("capital_needed") and fields.get("own_capital", 0) > fields["capital_needed"]:
        raise Refused(_("Own capital cannot be more than the capital needed."), code="own_above_need")
    jobs = fields.get("jobs_created", 0)
    if jobs > fields.get("workers", 0):
        raise Refused(
            _("Jobs created (%(jobs)s) cannot be more than the workers recorded (%(workers)s).")
            % {"jobs": jobs, "workers": fields.get("workers", 0)},
            code="jobs_above_workers",
        )
    if fields.get("jobs_women", 0) > jobs or fields.get("jobs_young", 0) > jobs:
        raise Refused(
            _("Women and young people are counted among the jobs created, never more."),
            code="groups_above_jobs",
        )


def new_project(*, by: User, founders: list[Person], address: str, on: datetime.date, **fields) -> Project:
    """Write a project at the plan or idea stage with its founders and its first step (inside the
    caller's transaction); ``fields`` are the model's."""
    check_writer(by, fields["unit"].pk)
    check_day(on)
    check_commune(fields["unit"], on)
    check_figures(fields)
    if not founders:
        raise Refused(_("Name at least one founder."), code="no_founder")
    for person in founders:
        check_person(person)
    if len({person.national_id for person in founders}) != len(founders):
        raise Refused(_("The same CCCD number is given twice."), code="founder_twice")
    project = Project.objects.create(registered_by=by, registered_on=on, **fields)
    for index, person in enumerate(founders):
        Founder.objects.create(
            project=project, person=person_record(person, fields["unit"], address), is_lead=index == 0
        )
    ProjectStep.objects.create(project=project, stage=project.stage, taken_on=on, by=by)
    daily_figures.keep_current(project, on)
    return project


@transaction.atomic
def register_project(
    *, by: User, founders: list[Person], address: str, on: datetime.date, **fields
) -> Project:
    """Register a project of the commune at its idea or plan stage."""
    if fields.get("kind") == Kind.POVERTY_ESCAPE:
        raise Refused(
            _("A poverty-escape project starts with the household's plan: write the plan."),
            code="needs_plan",
        )
    if fields.get("stage", Stage.IDEA) not in (Stage.IDEA, Stage.PLAN):
        raise Refused(_("A new project starts as an idea or a plan; record its later steps."), code="stage")
    return new_project(by=by, founders=founders, address=address, on=on, **fields)


@transaction.atomic
def update_project(*, project: Project, by: User, **changes) -> Project:
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_writer(by, project.unit_id)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    merged = {name: getattr(project, name) for name in EDITABLE} | changes
    check_figures(merged)
    changed = [name for name, value in changes.items() if getattr(project, name) != value]
    for name in changed:
        setattr(project, name, changes[name])
    if changed:
        project.save(update_fields=changed)
    return project


def _last_step(project: Project) -> ProjectStep | None:
    return project.steps.order_by("-recorded_at", "-pk").first()


@transaction.atomic
def move_stage(
    *, project: Project, to: str, by: User, on: datetime.date, note: str = "", stop_reason: str = ""
) -> Project:
    """Record the step to ``to``: the next stage forward, or "stopped" with its reason."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_writer(by, project.unit_id)
    if project.stage == Stage.STOPPED:
        raise Refused(
            _("The project has stopped; correct the last step to go on."), code="stopped", conflict=True
        )
    if to == Stage.STOPPED:
        if not stop_reason:
            raise Refused(_("Say why the project stopped."), code="stop_reason")
    else:
        stop_reason = ""
        current, wanted = FORWARD_STAGES.index(project.stage), FORWARD_STAGES.index(to)
        if wanted != current + 1:
            raise Refused(
                _("The project is at “%(stage)s”: it cannot go to “%(next)s”. A step back is a correction.")
                % {"stage": Stage(project.stage).label, "next": Stage(to).label},
                code="out_of_order",
                conflict=True,
            )
        if project.is_poverty_escape and to == Stage.STARTED and not _has_approved_plan(project):
            raise Refused(
                _("A poverty-escape project starts only with a plan approved by the commune team."),
                code="plan_not_approved",
                conflict=True,
            )
    last = _last_step(project)
    check_day(on, after=last.taken_on if last else None)
    project.stage, project.stop_reason = to, stop_reason
    project.save(update_fields=["stage", "stop_reason"])
    ProjectStep.objects.create(
        project=project, stage=to, taken_on=on, note=note, stop_reason=stop_reason, by=by
    )
    daily_figures.keep_current(project, on)
    return project


def _has_approved_plan(project: Project) -> bool:
    return hasattr(project, "plan") and project.plan.is_approved


@transaction.atomic
def correct_step(*, project: Project, by: User, on: datetime.date, note: str) -> Project:
    """Undo the last step, saying why: the project goes back to the stage before it."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    check_writer(by, project.unit_id)
    if not note.strip():
        raise Refused(_("Say why the last step is corrected."), code="note")
    steps = list(project.steps.order_by("-recorded_at", "-pk")[:2])
    if len(steps) < 2:
        raise Refused(_("The project has no step to correct."), code="nothing_to_correct", conflict=True)
    check_day(on)
    previous = steps[1]
    project.stage, project.stop_reason = previous.stage, previous.stop_reason
    project.save(update_fields=["stage", "stop_reason"])
    ProjectStep.objects.create(
        project=project,
        stage=previous.stage,
        stop_reason=previous.stop_reason,
        taken_on=on,
        note=note,
        is_correction=True,
        by=by,
    )
    daily_figures.keep_current(project, on)
    return project


@transaction.atomic
def link_dossier(*, project: Project, dossier: Dossier, by: User) -> Project:
    """Link one of the founders' dossiers (startup support, fund loan, poverty-escape enrolment)."""
    check_writer(by, project.unit_id)
    if dossier.procedure.code not in PROJECT_PROCEDURES:
        raise Refused(_("Link a startup-support, fund-loan or poverty-escape dossier."), code="procedure")
    if not project.founders.filter(person_id=dossier.applicant_id).exists():
        raise Refused(_("The dossier must be filed by one of the project's founders."), code="not_founder")
    if dossier.procedure.code == POVERTY_ESCAPE and not project.is_poverty_escape:
        raise Refused(_("A poverty-escape enrolment belongs to a poverty-escape project."), code="wrong_kind")
    if ProjectDossier.objects.filter(dossier=dossier).exists():
        raise Refused(_("This dossier is already linked to a project."), code="linked", conflict=True)
    ProjectDossier.objects.create(project=project, dossier=dossier, linked_on=today(), by=by)
    return project
