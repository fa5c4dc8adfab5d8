"""The life of a dossier: every change of status is one of these services.

Each service locks the dossier, checks that the change is legal from the status
it finds, records who, when and why as a ``DossierEvent`` (the applicant's
timeline) and, through the audit mechanism, the before and after; it queues the
notifications when the transaction commits.
"""

import datetime
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from dossiers import daily_figures
from dossiers.models import Applicant, Dossier, DossierEvent, Procedure, Requirement, SupplementRequest
from dossiers.selectors import missing_requirements
from dossiers.services.documents import reuse_documents
from dossiers.services.notifications import notify_applicant, notify_team
from dossiers.transitions import START_DRAFT, STEPS, Step
from portal.models import AdminUnit, Team, User
from portal.models.people import today
from portal.models.units import subtree_unit_ids
from portal.plugins import app_modules
from portal.refusals import Refused
from portal.services.notifications import in_portal_language, notify, team_members
from portal.working_days import add_working_days, working_days_between

Status = Dossier.Status


def _locked(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("applicant", "procedure_version")
        .get(pk=dossier.pk)
    )


def _check_allowed(dossier: Dossier, action: str) -> Step:
    """The step ``action`` if the table allows it on the locked ``dossier``; else a refusal."""
    step = STEPS[action]
    if not step.allows(dossier):
        raise Refused(
            _("A dossier that is “%(status)s” cannot be changed this way.")
            % {"status": dossier.get_status_display()},
            conflict=True,
        )
    return step


def _move(dossier: Dossier, *, action: str, by: User, note: str = "", changes: dict | None = None) -> Dossier:
    """Take step ``action`` on the locked ``dossier`` if the table allows it, saving ``changes`` with it."""
    step = _check_allowed(dossier, action)
    changes = changes or {}
    for name, value in changes.items():
        setattr(dossier, name, value)
    from_status = dossier.status
    dossier.status = step.to_status or from_status
    dossier.save(update_fields=["status", *changes])
    DossierEvent.objects.create(
        dossier=dossier, actor=by, from_status=from_status, to_status=dossier.status, action=action, note=note
    )
    return dossier


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Refused(message)
    return text


def handling_team_for(procedure: Procedure, unit: AdminUnit, *, on: datetime.date) -> Team | None:
    """The active team of the procedure's handling kind at ``unit`` or the nearest unit above it."""
    candidate: AdminUnit | None = unit
    while candidate is not None:
        team = (
            Team.objects.active_on(on)
            .filter(kind=procedure.handling_team_kind, unit=candidate)
            .order_by("pk")
            .first()
        )
        if team:
            return team
        candidate = candidate.parent
    return None


@transaction.atomic
def start_dossier(
    *,
    procedure: Procedure,
    applicant: Applicant,
    filed_by: User,
    unit: AdminUnit,
    channel: str = Dossier.Channel.ONLINE,
    summary: str = "",
) -> Dossier:
    """A draft under the procedure's version in force today, with the applicant's still-valid documents."""
    if not procedure.is_open:
        raise Refused(_("This procedure is not open for filing."), conflict=True)
    version = procedure.version_on(today())
    if version is None:
        raise Refused(_("This procedure has no version in force today."), conflict=True)
    dossier = Dossier.objects.create(
        procedure=procedure,
        procedure_version=version,
        applicant=applicant,
        filed_by=filed_by,
        unit=unit,
        channel=channel,
        summary=summary,
        handling_team=handling_team_for(procedure, unit, on=today()),
    )
    DossierEvent.objects.create(dossier=dossier, actor=filed_by, action=START_DRAFT, to_status=Status.NEW)
    reuse_documents(dossier=dossier)
    return dossier


@transaction.atomic
def submit_dossier(*, dossier: Dossier, by: User) -> Dossier:
    """File a draft: every mandatory document must be there."""
    dossier = _locked(dossier)
    if not STEPS["submit"].allows(dossier):
        raise Refused(_("This dossier has already been filed."), conflict=True)
    missing = missing_requirements(dossier)
    if missing:
        names = ", ".join(str(requirement) for requirement in missing)
        raise Refused(
            _("Some required documents are still missing: %(names)s.") % {"names": names}, conflict=True
        )
    _move(dossier, action="submit", by=by, changes={"submitted_at": timezone.now()})
    notify_team(
        dossier.handling_team,
        event=f"dossier-{dossier.pk}-filed",
        dossier=dossier,
        title=in_portal_language(gettext_noop("New dossier %(code)s to receive"), code=dossier.code),
    )
    return dossier


@transaction.atomic
def receive_dossier(*, dossier: Dossier, by: User) -> Dossier:
    """Accept the dossier at the desk: the clock starts and the due date is set."""
    dossier = _locked(dossier)
    due_date = add_working_days(today(), dossier.procedure_version.statutory_working_days)
    _move(dossier, action="receive", by=by, changes={"received_at": timezone.now(), "due_date": due_date})
    daily_figures.keep_current(dossier)
    notify_applicant(
        dossier,
        event="received",
        title=in_portal_language(gettext_noop("Your dossier %(code)s has been received"), code=dossier.code),
    )
    return dossier


@transaction.atomic
def refuse_dossier(*, dossier: Dossier, by: User, reason: str) -> Dossier:
    reason = _required_text(reason, _("Say why the dossier is not received."))
    dossier = _move(_locked(dossier), action="refuse", by=by, note=reason, changes={"closing_reason": reason})
    notify_applicant(
        dossier,
        event="refused",
        title=in_portal_language(gettext_noop("Your dossier %(code)s was not received"), code=dossier.code),
    )
    return dossier


@transaction.atomic
def start_processing(*, dossier: Dossier, by: User) -> Dossier:
    return _move(_locked(dossier), action="start", by=by)


@transaction.atomic
def request_supplement(
    *, dossier: Dossier, by: User, missing: list[Requirement], note: str
) -> SupplementRequest:
    """Pause the dossier's clock and ask the applicant for exactly the documents named."""
    note = _required_text(note, _("Say exactly what is missing."))
    dossier = _locked(dossier)
    if not missing:
        raise Refused(_("Choose at least one missing document."))
    if any(requirement.version_id != dossier.procedure_version_id for requirement in missing):
        raise Refused(_("Ask only for documents of this dossier's procedure."))
    _move(dossier, action="request_supplement", by=by, note=note, changes={"paused_on": today()})
    supplement = SupplementRequest.objects.create(
        dossier=dossier, round=dossier.supplement_requests.count() + 1, requested_by=by, note=note
    )
    supplement.missing.set(missing)
    daily_figures.keep_current(dossier)
    notify_applicant(
        dossier,
        event=f"supplement-{supplement.round}",
        title=in_portal_language(gettext_noop("Dossier %(code)s: documents to add"), code=dossier.code),
        body=note,
    )
    return supplement


@transaction.atomic
def supply_supplement(*, dossier: Dossier, by: User) -> Dossier:
    """The applicant has given what was asked: the clock resumes and the due date moves by the paused days."""
    dossier = _locked(dossier)
    supplement = dossier.supplement_requests.filter(supplied_at__isnull=True).first()
    paused_on, due_date = dossier.paused_on, dossier.due_date
    if supplement is None or dossier.status != Status.SUPPLEMENT_REQUESTED or not (paused_on and due_date):
        raise Refused(_("No supplement is awaited for this dossier."), conflict=True)
    still_missing = [
        requirement
        for requirement in missing_requirements(dossier)
        if requirement in supplement.missing.all()
    ]
    if still_missing:
        names = ", ".join(str(requirement) for requirement in still_missing)
        raise Refused(
            _("Some requested documents are still missing: %(names)s.") % {"names": names}, conflict=True
        )
    moved = add_working_days(due_date, working_days_between(paused_on, today()))
    _move(dossier, action="supply_supplement", by=by, changes={"due_date": moved, "paused_on": None})
    supplement.supplied_at = timezone.now()
    supplement.save(update_fields=["supplied_at"])
    notify_team(
        dossier.handling_team,
        event=f"dossier-{dossier.pk}-supplied-{supplement.round}",
        dossier=dossier,
        title=in_portal_language(gettext_noop("Dossier %(code)s: supplement provided"), code=dossier.code),
    )
    return dossier


@transaction.atomic
def request_payment(*, dossier: Dossier, by: User, note: str) -> Dossier:
    note = _required_text(note, _("Say what is to be paid and how."))
    dossier = _move(_locked(dossier), action="request_payment", by=by, note=note)
    notify_applicant(
        dossier,
        event="payment",
        title=in_portal_language(gettext_noop("Dossier %(code)s: payment requested"), code=dossier.code),
        body=note,
    )
    return dossier


@transaction.atomic
def confirm_payment(*, dossier: Dossier, by: User) -> Dossier:
    return _move(_locked(dossier), action="confirm_payment", by=by)


@transaction.atomic
def withdraw_dossier(*, dossier: Dossier, by: User, reason: str) -> Dossier:
    reason = _required_text(reason, _("Say why the dossier is withdrawn."))
    closing = {"closing_reason": reason, "paused_on": None}
    return _move(_locked(dossier), action="withdraw", by=by, note=reason, changes=closing)


@transaction.atomic
def stop_dossier(*, dossier: Dossier, by: User, reason: str) -> Dossier:
    reason = _required_text(reason, _("Say why processing stops."))
    closing = {"closing_reason": reason, "paused_on": None}
    dossier = _move(_locked(dossier), action="stop", by=by, note=reason, changes=closing)
    notify_applicant(
        dossier,
        event="stopped",
        title=in_portal_language(gettext_noop("Dossier %(code)s: processing stopped"), code=dossier.code),
        body=reason,
    )
    return dossier


def decision_blockers(dossier: Dossier) -> list[str]:
    """What must be done before ``dossier`` is decided, as the apps that hold its subject say
    (``<app>.dossier_checks``: a poverty-escape enrolment waits for its approved plan)."""
    return [
        blocker for module in app_modules("dossier_checks") for blocker in module.decision_blockers(dossier)
    ]


@transaction.atomic
def complete_dossier(*, dossier: Dossier, by: User, result: str) -> Dossier:
    result = _required_text(result, _("Write the decision."))
    dossier = _locked(dossier)
    blockers = decision_blockers(dossier)
    if blockers:
        raise Refused(
            _("The decision cannot be recorded yet: %(blockers)s.") % {"blockers": "; ".join(blockers)},
            code="decision_blocked",
            conflict=True,
        )
    decision = {"result": result, "decided_at": timezone.now()}
    dossier = _move(dossier, action="complete", by=by, note=result, changes=decision)
    daily_figures.keep_current(dossier)
    notify_applicant(
        dossier,
        event="decided",
        title=in_portal_language(gettext_noop("Dossier %(code)s: decision made"), code=dossier.code),
        body=result,
    )
    return dossier


@transaction.atomic
def return_result(*, dossier: Dossier, by: User) -> Dossier:
    returned = {"result_returned_at": timezone.now()}
    dossier = _move(_locked(dossier), action="return_result", by=by, changes=returned)
    daily_figures.keep_current(dossier)
    return dossier


def latest_apology_date(due_date: datetime.date) -> datetime.date:
    """The latest new date an apology may set for a dossier due on ``due_date``: the extension allowed,
    ``APOLOGY_MAX_EXTENSION_WORKING_DAYS`` working days, counted on the official calendar."""
    return add_working_days(due_date, settings.APOLOGY_MAX_EXTENSION_WORKING_DAYS)


@transaction.atomic
def issue_apology(*, dossier: Dossier, by: User, new_due_date: datetime.date, reason: str) -> Dossier:
    """Apologise for a dossier that will be late, with a new date; once per dossier.

    The new date comes after the current due date and at most ``APOLOGY_MAX_EXTENSION_WORKING_DAYS``
    working days after it (``latest_apology_date``), so an apology cannot put a dossier out of
    reach of "overdue" (Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP: the apology slip
    gives the reason and the new date, and the date is set again at most once).
    """
    reason = _required_text(reason, _("Say why the dossier will be late."))
    dossier = _locked(dossier)
    due_date = dossier.due_date
    if due_date is None or not STEPS["apologise"].allows(dossier):
        if dossier.apology_issued_at is not None:
            raise Refused(_("This dossier already has an apology slip; it is issued once."), conflict=True)
        raise Refused(_("Only a received dossier that is still open can get an apology."), conflict=True)
    if new_due_date <= due_date:
        raise Refused(_("The new date must come after the current due date."))
    latest = latest_apology_date(due_date)
    if new_due_date > latest:
        raise Refused(
            _(
                "The new date can be at most %(days)s working days after the current due date: "
                "%(latest)s at the latest."
            )
            % {"days": settings.APOLOGY_MAX_EXTENSION_WORKING_DAYS, "latest": f"{latest:%d/%m/%Y}"}
        )
    dossier.original_due_date = dossier.due_date
    dossier.due_date = new_due_date
    dossier.apology_issued_at = timezone.now()
    dossier.apology_reason = reason
    dossier.save(update_fields=["original_due_date", "due_date", "apology_issued_at", "apology_reason"])
    DossierEvent.objects.create(dossier=dossier, actor=by, action="apologise", note=reason)
    notify_applicant(
        dossier,
        event="apology",
        title=in_portal_language(gettext_noop("Dossier %(code)s: apology and new date"), code=dossier.code),
        body=reason,
    )
    return dossier


@transaction.atomic
def rate_service(*, dossier: Dossier, by: User, rating: int, comment: str = "") -> Dossier:
    """The applicant rates the service once the result is returned; once."""
    dossier = _locked(dossier)
    if dossier.applicant.user_id != by.pk:
        raise Refused(_("Only the applicant can rate the service."))
    if not STEPS["rate"].allows(dossier):
        if dossier.rating is not None:
            raise Refused(_("This dossier has already been rated."), conflict=True)
        raise Refused(_("The service can be rated once the result is returned."), conflict=True)
    if rating not in range(1, 6):
        raise Refused(_("Give a rating from 1 to 5."))
    dossier.rating = rating
    dossier.rating_comment = comment.strip()
    dossier.save(update_fields=["rating", "rating_comment"])
    DossierEvent.objects.create(dossier=dossier, actor=by, action="rate", note=str(rating))
    daily_figures.keep_current(dossier)
    return dossier


# A dossier may go to a team of its procedure's kind or to a team above that kind.
HANDLING_LADDER = (Team.Kind.COMMUNE_TEAM, Team.Kind.DISTRICT_TEAM, Team.Kind.STANDING_AGENCY)


def suitable_team_kinds(procedure) -> tuple[str, ...]:
    kind = procedure.handling_team_kind
    if kind in HANDLING_LADDER:
        return HANDLING_LADDER[HANDLING_LADDER.index(kind) :]
    return (kind,)


@transaction.atomic
def reassign_dossiers(*, dossiers: list[Dossier], team: Team, by: User) -> int:
    """Hand open dossiers to ``team``; returns how many changed hands.

    The team must be active, of the procedure's handling kind or above it, and work
    in (or above) the unit where each dossier was filed, so that it sees the dossier.
    The change is audited on the dossier; the team hears of it once.
    """
    if not team.is_active:
        raise Refused(_("%(team)s is no longer active.") % {"team": team})
    covered = subtree_unit_ids({team.unit_id})
    for dossier in dossiers:
        if dossier.is_draft or dossier.status not in Dossier.OPEN_STATUSES:
            raise Refused(
                _("Dossier %(code)s is closed; only open dossiers are handed to another team.")
                % {"code": dossier.code},
                conflict=True,
            )
        if team.kind not in suitable_team_kinds(dossier.procedure):
            raise Refused(
                _("%(team)s does not handle dossiers of “%(procedure)s”.")
                % {"team": team, "procedure": dossier.procedure}
            )
        if dossier.unit_id not in covered:
            raise Refused(
                _("%(team)s does not work in %(unit)s, where dossier %(code)s was filed.")
                % {"team": team, "unit": dossier.unit, "code": dossier.code}
            )
    moving = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("applicant")
        .filter(pk__in=[dossier.pk for dossier in dossiers])
        .exclude(handling_team=team)
    )
    moved = 0
    for dossier in moving:
        dossier.handling_team = team
        dossier.save(update_fields=["handling_team"])
        moved += 1
    if moved:
        with translation.override(settings.LANGUAGE_CODE):  # the portal's language, as in_portal_language
            title = ngettext(
                "%(count)s dossier has been handed to your team",
                "%(count)s dossiers have been handed to your team",
                moved,
            ) % {"count": moved}
        notify(
            recipients=team_members(team),
            event_key=f"team-{team.pk}-handed-{timezone.now():%Y%m%d%H%M%S%f}",
            title=title,
            link=f"{reverse('dossier_list')}?handling_team={team.pk}",
        )
    return moved


# The service of each step of the table (dossiers/transitions.py), called with the step's inputs.
SERVICES: dict[str, Callable[..., object]] = {
    "submit": submit_dossier,
    "receive": receive_dossier,
    "refuse": refuse_dossier,
    "start": start_processing,
    "request_supplement": request_supplement,
    "supply_supplement": supply_supplement,
    "request_payment": request_payment,
    "confirm_payment": confirm_payment,
    "withdraw": withdraw_dossier,
    "stop": stop_dossier,
    "complete": complete_dossier,
    "return_result": return_result,
    "apologise": issue_apology,
    "rate": rate_service,
}


def perform(step: Step, *, dossier: Dossier, by: User, data: dict) -> Dossier:
    """Take ``step`` on ``dossier`` through its service, with the step's inputs taken from ``data``."""
    result = SERVICES[step.name](dossier=dossier, by=by, **{name: data[name] for name in step.inputs})
    return result if isinstance(result, Dossier) else dossier
