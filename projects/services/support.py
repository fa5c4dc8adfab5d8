"""Support given to projects and the visits that follow them (milestones marked on the way)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import Team, User
from portal.money import check_amount
from portal.refusals import Refused
from projects import daily_figures
from projects.models import Mentor, Milestone, MilestoneUpdate, PlanInput, Project, ProjectVisit, Support
from projects.services.checks import check_day, check_writer

MAX_HOURS = Decimal("1000")


def check_hours(hours: Decimal | None, *, maximum: Decimal = MAX_HOURS) -> None:
    if hours is not None and not Decimal("0") < hours <= maximum:
        raise Refused(_("Hours are above zero and at most %(max)s.") % {"max": maximum}, code="hours")


@transaction.atomic
def record_support(
    *,
    project: Project,
    by: User,
    kind: str,
    given_on: datetime.date,
    team: Team | None = None,
    mentor: Mentor | None = None,
    organisation: str = "",
    hours: Decimal | None = None,
    value: int | None = None,
    outcome: str = "",
) -> Support:
    check_writer(by, project.unit_id)
    check_day(given_on)
    if given_on < project.registered_on:
        raise Refused(_("The support cannot be before the project was registered."), code="before_project")
    if sum(1 for provider in (team, mentor, organisation.strip()) if provider) != 1:
        raise Refused(_("Name one provider: a team, a mentor or an organisation."), code="provider")
    if hours is None and value is None:
        raise Refused(_("Give the hours or the value of the support."), code="hours_or_value")
    check_hours(hours)
    if value is not None:
        check_amount(value, _("Value"))
    support = Support.objects.create(
        project=project,
        kind=kind,
        team=team,
        mentor=mentor,
        organisation=organisation.strip(),
        given_on=given_on,
        hours=hours,
        value=value,
        outcome=outcome,
        by=by,
    )
    daily_figures.keep_current(project, given_on)
    return support


@dataclass(frozen=True)
class MilestoneFinding:
    """What the visit found of one of the plan's milestones."""

    milestone: Milestone
    state: str  # done, late or changed
    new_due_on: datetime.date | None = None
    reason: str = ""


def _apply(finding: MilestoneFinding, visit: ProjectVisit) -> None:
    milestone = Milestone.objects.select_for_update().select_related("plan").get(pk=finding.milestone.pk)
    if milestone.plan.project_id != visit.project_id:
        raise Refused(_("The milestone is not of this project's plan."), code="other_plan")
    if milestone.state == Milestone.State.DONE:
        raise Refused(
            _("Milestone “%(title)s” is already done.") % {"title": milestone.title},
            code="done",
            conflict=True,
        )
    fields = ["state"]
    if finding.state == Milestone.State.DONE:
        milestone.done_on = visit.visited_on
        fields.append("done_on")
    elif finding.state == Milestone.State.CHANGED:
        if finding.new_due_on is None or not finding.reason.strip():
            raise Refused(_("A changed milestone needs its new date and the reason."), code="change_reason")
        if not visit.visited_on <= finding.new_due_on <= milestone.plan.ends_on:
            raise Refused(
                _("The new date of “%(title)s” is between the visit and the plan's end (%(end)s).")
                % {"title": milestone.title, "end": f"{milestone.plan.ends_on:%d/%m/%Y}"},
                code="milestone_outside",
            )
        # A new date: if it passes too, the morning job warns again.
        milestone.due_on, milestone.late_warned_on = finding.new_due_on, None
        fields += ["due_on", "late_warned_on"]
    elif finding.state != Milestone.State.LATE:
        raise Refused(_("Mark a milestone done, late or changed."), code="state")
    milestone.state = finding.state
    milestone.save(update_fields=fields)
    MilestoneUpdate.objects.create(
        visit=visit,
        milestone=milestone,
        state=finding.state,
        new_due_on=finding.new_due_on if finding.state == Milestone.State.CHANGED else None,
        reason=finding.reason.strip(),
    )


@transaction.atomic
def record_visit(
    *,
    project: Project,
    by: User,
    visited_on: datetime.date,
    note: str,
    channel: str = ProjectVisit.Channel.VISIT,
    next_step: str = "",
    findings: list[MilestoneFinding] = (),
    inputs_given: list[PlanInput] = (),
) -> ProjectVisit:
    """Record a visit to the project, what it found of the plan's milestones and the plan's inputs
    handed over that day."""
    check_writer(by, project.unit_id)
    check_day(visited_on)
    if not note.strip():
        raise Refused(_("Say what was seen and done."), code="note")
    if len({finding.milestone.pk for finding in findings}) != len(findings):
        raise Refused(_("Each milestone is marked once on a visit."), code="twice")
    visit = ProjectVisit.objects.create(
        project=project, visited_on=visited_on, channel=channel, note=note, next_step=next_step, by=by
    )
    for finding in findings:
        _apply(finding, visit)
    for item in inputs_given:
        _hand_over(item, visit)
    return visit


def _hand_over(item: PlanInput, visit: ProjectVisit) -> None:
    item = PlanInput.objects.select_for_update().select_related("plan").get(pk=item.pk)
    if item.plan.project_id != visit.project_id or not item.plan.is_approved:
        raise Refused(_("The input is not of this project's approved plan."), code="other_plan")
    if item.given_on is not None:
        raise Refused(
            _("“%(input)s” was already handed over on %(day)s.")
            % {"input": item.description, "day": f"{item.given_on:%d/%m/%Y}"},
            code="given",
            conflict=True,
        )
    item.given_on = visit.visited_on
    item.save(update_fields=["given_on"])
