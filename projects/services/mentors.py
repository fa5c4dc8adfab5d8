"""The mentors' pool: assignments by the standing agency, declared conflicts, logged sessions."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import AdminUnit, User
from portal.refusals import Refused
from projects.access import can_change, runs_programme
from projects.models import ConflictOfInterest, Mentor, MentorAssignment, MentorSession, Project
from projects.services.checks import check_day
from projects.services.support import check_hours

MAX_SESSION_HOURS = Decimal("12")


def _check_programme(by: User) -> None:
    if not runs_programme(by):
        raise Refused(_("Only the standing agency keeps the mentors' pool."), code="not_programme")


@transaction.atomic
def save_mentor(*, by: User, mentor: Mentor, units: list[AdminUnit]) -> Mentor:
    """Add a mentor to the pool or save the changes to one (``mentor`` comes from a validated form)."""
    _check_programme(by)
    if (
        mentor.user_id is not None
        and Mentor.objects.filter(user_id=mentor.user_id).exclude(pk=mentor.pk).exists()
    ):
        raise Refused(_("This account already belongs to another mentor."), code="account_taken")
    mentor.save()
    mentor.units.set(units)
    return mentor


@transaction.atomic
def declare_conflict(
    *, mentor: Mentor, project: Project, by: User, reason: str, on: datetime.date
) -> ConflictOfInterest:
    """The mentor (or the standing agency for them) declares a conflict of interest with a project; an
    assignment to it ends that day."""
    if by.pk != mentor.user_id and not runs_programme(by):
        raise Refused(_("Only the mentor or the standing agency declares a conflict."), code="not_mentor")
    check_day(on)
    if not reason.strip():
        raise Refused(_("Say what the conflict of interest is."), code="reason")
    if ConflictOfInterest.objects.filter(mentor=mentor, project=project).exists():
        raise Refused(_("This conflict is already declared."), code="declared", conflict=True)
    conflict = ConflictOfInterest.objects.create(
        mentor=mentor, project=project, reason=reason.strip(), declared_on=on, by=by
    )
    for assignment in MentorAssignment.objects.select_for_update().filter(
        mentor=mentor, project=project, ended_on__isnull=True
    ):
        assignment.ended_on = on
        assignment.save(update_fields=["ended_on"])
    return conflict


@transaction.atomic
def assign_mentor(*, mentor: Mentor, project: Project, by: User, on: datetime.date) -> MentorAssignment:
    _check_programme(by)
    check_day(on)
    Mentor.objects.select_for_update().get(pk=mentor.pk)  # one assignment at a time per mentor
    conflict = ConflictOfInterest.objects.filter(mentor=mentor, project=project).first()
    if conflict is not None:
        raise Refused(
            _(
                "%(mentor)s declared a conflict of interest with this project (%(reason)s) "
                "and cannot be assigned."
            )
            % {"mentor": mentor, "reason": conflict.reason},
            code="conflict",
            conflict=True,
        )
    if mentor.availability == Mentor.Availability.UNAVAILABLE:
        raise Refused(
            _("%(mentor)s is not available now.") % {"mentor": mentor}, code="unavailable", conflict=True
        )
    if MentorAssignment.objects.filter(mentor=mentor, project=project, ended_on__isnull=True).exists():
        raise Refused(
            _("%(mentor)s already mentors this project.") % {"mentor": mentor}, code="assigned", conflict=True
        )
    return MentorAssignment.objects.create(mentor=mentor, project=project, assigned_on=on, by=by)


@transaction.atomic
def end_assignment(*, assignment: MentorAssignment, by: User, on: datetime.date) -> MentorAssignment:
    _check_programme(by)
    assignment = MentorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.ended_on is not None:
        raise Refused(_("The assignment has already ended."), code="ended", conflict=True)
    check_day(on, after=assignment.assigned_on)
    assignment.ended_on = on
    assignment.save(update_fields=["ended_on"])
    return assignment


@transaction.atomic
def log_session(
    *,
    mentor: Mentor,
    project: Project,
    by: User,
    held_on: datetime.date,
    hours: Decimal,
    topic: str,
    next_step: str = "",
) -> MentorSession:
    """A session of the mentor with the project, logged by the mentor or by the project's team."""
    if by.pk != mentor.user_id and not can_change(by, project.unit_id):
        raise Refused(_("Only the mentor or the project's team logs a session."), code="not_writable")
    assignment = (
        MentorAssignment.objects.filter(mentor=mentor, project=project, assigned_on__lte=held_on)
        .order_by("-assigned_on")
        .first()
    )
    if assignment is None or (assignment.ended_on is not None and assignment.ended_on < held_on):
        raise Refused(
            _("%(mentor)s was not assigned to this project on that day.") % {"mentor": mentor},
            code="not_assigned",
        )
    check_day(held_on)
    check_hours(hours, maximum=MAX_SESSION_HOURS)
    if not topic.strip():
        raise Refused(_("Say what the session was about."), code="topic")
    return MentorSession.objects.create(
        mentor=mentor,
        project=project,
        held_on=held_on,
        hours=hours,
        topic=topic.strip(),
        next_step=next_step.strip(),
        logged_by=by,
    )
