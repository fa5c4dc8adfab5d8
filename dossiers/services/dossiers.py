"""The life of a dossier: every change of status is one of these services.

Each service locks the dossier, checks that the change is legal from the status
it finds, records who, when and why as a ``DossierEvent`` (the applicant's
timeline) and, through the audit mechanism, the before and after; it queues the
notifications when the transaction commits.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from dossiers.models import Applicant, Dossier, DossierEvent, Procedure, Requirement, SupplementRequest
from dossiers.services.notifications import notify_applicant, notify_team
from portal.models import AdminUnit, Team, User
from portal.models.people import today
from portal.scope import subtree_unit_ids
from portal.services.notifications import in_portal_language, notify, team_members
from portal.working_days import add_working_days, working_days_between

Status = Dossier.Status


class DossierRefused(Exception):
    """The change is not allowed; the message says why, in the user's language."""


# Which service may move a dossier from which status. Anything else is refused.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({Status.NEW}), Status.NEW),
    "receive": (frozenset({Status.NEW}), Status.RECEIVED),
    "refuse": (frozenset({Status.NEW}), Status.NOT_RECEIVED),
    "start": (frozenset({Status.RECEIVED}), Status.IN_PROGRESS),
    "request_supplement": (frozenset({Status.RECEIVED, Status.IN_PROGRESS}), Status.SUPPLEMENT_REQUESTED),
    "supply_supplement": (frozenset({Status.SUPPLEMENT_REQUESTED}), Status.IN_PROGRESS),
    "request_payment": (frozenset({Status.IN_PROGRESS}), Status.PAYMENT_REQUESTED),
    "confirm_payment": (frozenset({Status.PAYMENT_REQUESTED}), Status.IN_PROGRESS),
    "withdraw": (frozenset(Dossier.OPEN_STATUSES), Status.WITHDRAWN),
    "stop": (
        frozenset(
            {Status.RECEIVED, Status.IN_PROGRESS, Status.SUPPLEMENT_REQUESTED, Status.PAYMENT_REQUESTED}
        ),
        Status.STOPPED,
    ),
    "complete": (frozenset({Status.IN_PROGRESS}), Status.DONE),
    "return_result": (frozenset({Status.DONE}), Status.RESULT_RETURNED),
}

# How each step reads on the applicant's timeline.
ACTION_LABELS = {
    "start_draft": gettext_lazy("Draft started"),
    "submit": gettext_lazy("Filed"),
    "receive": gettext_lazy("Received; receipt slip issued"),
    "refuse": gettext_lazy("Not received at the desk"),
    "start": gettext_lazy("Processing started"),
    "request_supplement": gettext_lazy("Supplement requested"),
    "supply_supplement": gettext_lazy("Supplement provided; processing resumed"),
    "request_payment": gettext_lazy("Payment requested"),
    "confirm_payment": gettext_lazy("Payment confirmed"),
    "withdraw": gettext_lazy("Withdrawn by the applicant"),
    "stop": gettext_lazy("Processing stopped"),
    "complete": gettext_lazy("Decided"),
    "return_result": gettext_lazy("Result returned"),
    "apologise": gettext_lazy("Apology issued with a new due date"),
    "rate": gettext_lazy("Service rated"),
}


def _locked(dossier: Dossier) -> Dossier:
    return (
        Dossier.objects.select_for_update()
        .select_related("applicant", "procedure_version")
        .get(pk=dossier.pk)
    )


def _move(
    dossier: Dossier, *, action: str, by: User, note: str = "", fields: tuple[str, ...] = ()
) -> Dossier:
    """Apply ``action`` to the locked ``dossier`` if its status allows; save ``fields`` with the status."""
    allowed_from, to_status = TRANSITIONS[action]
    if dossier.status not in allowed_from or (action != "submit" and dossier.is_draft):
        raise DossierRefused(
            _("A dossier that is “%(status)s” cannot be changed this way.")
            % {"status": dossier.get_status_display()}
        )
    from_status = dossier.status
    dossier.status = to_status
    dossier.save(update_fields=["status", *fields])
    DossierEvent.objects.create(
        dossier=dossier, actor=by, from_status=from_status, to_status=to_status, action=action, note=note
    )
    return dossier


def _required_text(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DossierRefused(message)
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
    from dossiers.services.documents import reuse_documents

    if not procedure.is_open:
        raise DossierRefused(_("This procedure is not open for filing."))
    version = procedure.version_on(today())
    if version is None:
        raise DossierRefused(_("This procedure has no version in force today."))
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
    DossierEvent.objects.create(dossier=dossier, actor=filed_by, action="start_draft", to_status=Status.NEW)
    reuse_documents(dossier=dossier)
    return dossier


@transaction.atomic
def submit_dossier(*, dossier: Dossier, by: User) -> Dossier:
    """File a draft: every mandatory document must be there."""
    from dossiers.selectors import missing_requirements

    dossier = _locked(dossier)
    if not dossier.is_draft:
        raise DossierRefused(_("This dossier has already been filed."))
    missing = missing_requirements(dossier)
    if missing:
        names = ", ".join(str(requirement) for requirement in missing)
        raise DossierRefused(_("Some required documents are still missing: %(names)s.") % {"names": names})
    dossier.submitted_at = timezone.now()
    _move(dossier, action="submit", by=by, fields=("submitted_at",))
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
    dossier.received_at = timezone.now()
    dossier.due_date = add_working_days(today(), dossier.procedure_version.statutory_working_days)
    _move(dossier, action="receive", by=by, fields=("received_at", "due_date"))
    notify_applicant(
        dossier,
        event="received",
        title=in_portal_language(gettext_noop("Your dossier %(code)s has been received"), code=dossier.code),
    )
    return dossier


@transaction.atomic
def refuse_dossier(*, dossier: Dossier, by: User, reason: str) -> Dossier:
    reason = _required_text(reason, _("Say why the dossier is not received."))
    dossier = _locked(dossier)
    dossier.closing_reason = reason
    _move(dossier, action="refuse", by=by, note=reason, fields=("closing_reason",))
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
        raise DossierRefused(_("Choose at least one missing document."))
    if any(requirement.version_id != dossier.procedure_version_id for requirement in missing):
        raise DossierRefused(_("Ask only for documents of this dossier's procedure."))
    dossier.paused_on = today()
    _move(dossier, action="request_supplement", by=by, note=note, fields=("paused_on",))
    supplement = SupplementRequest.objects.create(
        dossier=dossier, round=dossier.supplement_requests.count() + 1, requested_by=by, note=note
    )
    supplement.missing.set(missing)
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
    from dossiers.selectors import missing_requirements

    dossier = _locked(dossier)
    supplement = dossier.supplement_requests.filter(supplied_at__isnull=True).first()
    if supplement is None or dossier.status != Status.SUPPLEMENT_REQUESTED:
        raise DossierRefused(_("No supplement is awaited for this dossier."))
    still_missing = [
        requirement
        for requirement in missing_requirements(dossier)
        if requirement in supplement.missing.all()
    ]
    if still_missing:
        names = ", ".join(str(requirement) for requirement in still_missing)
        raise DossierRefused(_("Some requested documents are still missing: %(names)s.") % {"names": names})
    paused_days = working_days_between(dossier.paused_on, today())
    dossier.due_date = add_working_days(dossier.due_date, paused_days)
    dossier.paused_on = None
    _move(dossier, action="supply_supplement", by=by, fields=("due_date", "paused_on"))
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
    dossier = _locked(dossier)
    dossier.closing_reason = reason
    dossier.paused_on = None
    return _move(dossier, action="withdraw", by=by, note=reason, fields=("closing_reason", "paused_on"))


@transaction.atomic
def stop_dossier(*, dossier: Dossier, by: User, reason: str) -> Dossier:
    reason = _required_text(reason, _("Say why processing stops."))
    dossier = _locked(dossier)
    dossier.closing_reason = reason
    dossier.paused_on = None
    _move(dossier, action="stop", by=by, note=reason, fields=("closing_reason", "paused_on"))
    notify_applicant(
        dossier,
        event="stopped",
        title=in_portal_language(gettext_noop("Dossier %(code)s: processing stopped"), code=dossier.code),
        body=reason,
    )
    return dossier


@transaction.atomic
def complete_dossier(*, dossier: Dossier, by: User, result: str) -> Dossier:
    result = _required_text(result, _("Write the decision."))
    dossier = _locked(dossier)
    dossier.result = result
    dossier.decided_at = timezone.now()
    _move(dossier, action="complete", by=by, note=result, fields=("result", "decided_at"))
    notify_applicant(
        dossier,
        event="decided",
        title=in_portal_language(gettext_noop("Dossier %(code)s: decision made"), code=dossier.code),
        body=result,
    )
    return dossier


@transaction.atomic
def return_result(*, dossier: Dossier, by: User) -> Dossier:
    dossier = _locked(dossier)
    dossier.result_returned_at = timezone.now()
    return _move(dossier, action="return_result", by=by, fields=("result_returned_at",))


@transaction.atomic
def issue_apology(*, dossier: Dossier, by: User, new_due_date: datetime.date, reason: str) -> Dossier:
    """Apologise for a dossier that will be late, with a new date; once per dossier."""
    reason = _required_text(reason, _("Say why the dossier will be late."))
    dossier = _locked(dossier)
    if dossier.status not in Dossier.OPEN_STATUSES or dossier.due_date is None:
        raise DossierRefused(_("Only a received dossier that is still open can get an apology."))
    if dossier.apology_issued_at is not None:
        raise DossierRefused(_("This dossier already has an apology slip; it is issued once."))
    if new_due_date <= dossier.due_date:
        raise DossierRefused(_("The new date must come after the current due date."))
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
        raise DossierRefused(_("Only the applicant can rate the service."))
    if dossier.status != Status.RESULT_RETURNED:
        raise DossierRefused(_("The service can be rated once the result is returned."))
    if dossier.rating is not None:
        raise DossierRefused(_("This dossier has already been rated."))
    if rating not in range(1, 6):
        raise DossierRefused(_("Give a rating from 1 to 5."))
    dossier.rating = rating
    dossier.rating_comment = comment.strip()
    dossier.save(update_fields=["rating", "rating_comment"])
    DossierEvent.objects.create(dossier=dossier, actor=by, action="rate", note=str(rating))
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
        raise DossierRefused(_("%(team)s is no longer active.") % {"team": team})
    covered = subtree_unit_ids({team.unit_id})
    for dossier in dossiers:
        if dossier.is_draft or dossier.status not in Dossier.OPEN_STATUSES:
            raise DossierRefused(
                _("Dossier %(code)s is closed; only open dossiers are handed to another team.")
                % {"code": dossier.code}
            )
        if team.kind not in suitable_team_kinds(dossier.procedure):
            raise DossierRefused(
                _("%(team)s does not handle dossiers of “%(procedure)s”.")
                % {"team": team, "procedure": dossier.procedure}
            )
        if dossier.unit_id not in covered:
            raise DossierRefused(
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
            link=f"{reverse('dossier_list')}?team={team.pk}",
        )
    return moved
