"""After registration: the entitlements granted with their dates, the visit schedule, the visits,
and the morning job that warns of entitlements ending and visits due."""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from conversions.access import can_change, sets_schedule
from conversions.catalogue import FIRST_SCHEDULE_MONTHS
from conversions.eligibility import judge_registered
from conversions.models import Conversion, EntitlementGrant, FollowUpVisit, VisitSchedule
from conversions.services.steps import mark_followed_up
from portal.drilldown import successor_links
from portal.models import Membership, Team, User
from portal.models.people import today
from portal.refusals import Refused
from portal.services.notifications import in_portal_language, notify
from portal.uploads import check_upload

# The commune team hears of an entitlement's end this many days before it.
WARN_DAYS_BEFORE_END = 30


def grants_due(conversion: Conversion, *, as_of: datetime.date) -> list[EntitlementGrant]:
    """The grants the rules of the registration day give ``conversion``, unsaved, in their state on ``as_of``.

    A support given once (no length) is used on the day; one that lasts runs for its months from the
    registration, never beyond the day its rule ends (the licence-fee exemption stops on 31/12/2025).
    """
    day = conversion.registered_on
    judgement = judge_registered(conversion)
    if day is None or judgement is None:
        raise ValueError("entitlements are granted to a registered enterprise")
    grants = []
    for result in judgement.applying:
        entitlement = result.entitlement
        if entitlement.lasts_months:
            ends_on = day + relativedelta(months=entitlement.lasts_months) - datetime.timedelta(days=1)
            if entitlement.effective_until is not None:
                ends_on = min(ends_on, entitlement.effective_until)
            state = EntitlementGrant.State.GRANTED if ends_on >= as_of else EntitlementGrant.State.EXPIRED
        else:
            ends_on, state = day, EntitlementGrant.State.USED
        grants.append(
            EntitlementGrant(
                conversion=conversion, entitlement=entitlement, starts_on=day, ends_on=ends_on, state=state
            )
        )
    return grants


def grant_entitlements(conversion: Conversion) -> list[EntitlementGrant]:
    """Save the entitlements in force on the registration day that apply to the case, with their dates;
    granted twice, none is doubled."""
    given = set(conversion.entitlements.values_list("entitlement_id", flat=True))
    grants = [grant for grant in grants_due(conversion, as_of=today()) if grant.entitlement_id not in given]
    for grant in grants:
        grant.save()
    return grants


def make_schedule(conversion: Conversion) -> list[FollowUpVisit]:
    """The visits of the schedule in force on the registration day; made twice, they are not doubled."""
    day = conversion.registered_on
    if day is None:
        raise ValueError("visits are scheduled for a registered enterprise")
    schedule = VisitSchedule.objects.in_force_on(day)
    months = schedule.months if schedule is not None else FIRST_SCHEDULE_MONTHS
    visits = []
    for month in months:
        visit, _created = FollowUpVisit.objects.get_or_create(
            conversion=conversion,
            months_after=month,
            defaults={"due_on": day + relativedelta(months=month)},
        )
        visits.append(visit)
    return visits


def _check_writer(by: User, visit: FollowUpVisit) -> None:
    if not can_change(by, visit.conversion.unit_id):
        raise Refused(_("Only the commune's support team records its follow-up visits."), code="not_writable")


def _locked(visit: FollowUpVisit) -> FollowUpVisit:
    visit = FollowUpVisit.objects.select_for_update().select_related("conversion").get(pk=visit.pk)
    if not visit.is_open:
        raise Refused(
            _("This visit has already been recorded or skipped."), code="visit_closed", conflict=True
        )
    return visit


@transaction.atomic
def record_visit(
    *,
    visit: FollowUpVisit,
    by: User,
    done_on: datetime.date,
    channel: str,
    finding: str,
    actions: str = "",
    next_step: str = "",
    attachment: UploadedFile | None = None,
) -> FollowUpVisit:
    """The case update of a visit, call or message; the first one moves the case to "followed up"."""
    visit = _locked(visit)
    _check_writer(by, visit)
    conversion = visit.conversion
    registered_on = conversion.registered_on
    if registered_on is None:
        raise ValueError("a visit exists only for a registered enterprise")
    if done_on > today():
        raise Refused(_("The date cannot be in the future."), code="future")
    if done_on < registered_on:
        raise Refused(_("A follow-up comes after the registration."), code="before_registration")
    if channel not in FollowUpVisit.Channel.values:
        raise Refused(_("Say how the enterprise was reached."), code="channel")
    if finding not in FollowUpVisit.Finding.values:
        raise Refused(_("Say in what state the enterprise was found."), code="finding")
    if attachment is not None:
        try:
            checked = check_upload(attachment)
        except ValidationError as error:
            raise Refused(error.messages[0], code=error.code or "invalid_file") from error
        visit.attachment = attachment
        visit.attachment_name = checked.name[:200]
    visit.done_on = done_on
    visit.channel = channel
    visit.finding = finding
    visit.actions = actions
    visit.next_step = next_step
    visit.recorded_by = by
    visit.save()
    mark_followed_up(Conversion.objects.select_for_update().get(pk=conversion.pk), by=by, on=done_on)
    return visit


@transaction.atomic
def reschedule_visit(*, visit: FollowUpVisit, by: User, due_on: datetime.date, reason: str) -> FollowUpVisit:
    visit = _locked(visit)
    _check_writer(by, visit)
    if not reason.strip():
        raise Refused(_("Say why the visit is moved."), code="no_reason")
    if due_on < today():
        raise Refused(_("A visit is moved to today or later."), code="past")
    visit.due_on = due_on
    visit.reschedule_reason = reason
    visit.save(update_fields=["due_on", "reschedule_reason"])
    return visit


@transaction.atomic
def skip_visit(*, visit: FollowUpVisit, by: User, reason: str) -> FollowUpVisit:
    visit = _locked(visit)
    _check_writer(by, visit)
    if not reason.strip():
        raise Refused(_("Say why the visit is skipped."), code="no_reason")
    visit.skipped_reason = reason
    visit.recorded_by = by
    visit.save(update_fields=["skipped_reason", "recorded_by"])
    return visit


@transaction.atomic
def set_visit_schedule(
    *, by: User, effective_from: datetime.date, months: list[int], note: str = ""
) -> VisitSchedule:
    """A new schedule for the enterprises registered from ``effective_from``; the standing agency sets it."""
    if not sets_schedule(by):
        raise Refused(_("The standing agency sets the follow-up schedule."), code="not_standing_agency")
    if effective_from < today():
        raise Refused(_("A new schedule starts today or later; visits already planned stay."), code="past")
    if not months or any(month < 1 or month > 120 for month in months) or len(set(months)) != len(months):
        raise Refused(_("Give the months as different whole numbers from 1 to 120."), code="months")
    schedule, _created = VisitSchedule.objects.update_or_create(
        effective_from=effective_from, defaults={"months": sorted(months), "note": note, "created_by": by}
    )
    return schedule


ENDING = gettext_noop("%(entitlement)s of %(enterprise)s ends on %(day)s")
VISIT_DUE = gettext_noop("Follow-up visit to %(enterprise)s due on %(day)s")


def _commune_teams(conversion: Conversion):
    """The active commune teams of the case's commune, or of its successor after a reform."""
    units = {conversion.unit_id, *successor_links([conversion.unit_id]).get(conversion.unit_id, [])}
    return Team.objects.active_on(today()).filter(kind=Team.Kind.COMMUNE_TEAM, unit_id__in=units)


def review_entitlements_and_visits(*, on: datetime.date) -> dict[str, int]:
    """The morning job's part: warn of entitlements ending within 30 days, mark the ended ones
    expired, and remind commune teams of visits due within a week or overdue. Event keys carry
    what they are about, so a second run sends nothing twice."""
    counts = {"expired": 0, "warned": 0, "visits": 0}
    for grant in EntitlementGrant.objects.filter(state=EntitlementGrant.State.GRANTED, ends_on__lt=on):
        grant.state = EntitlementGrant.State.EXPIRED
        grant.save(update_fields=["state"])
        counts["expired"] += 1
    ending = EntitlementGrant.objects.filter(
        state=EntitlementGrant.State.GRANTED,
        warned_on__isnull=True,
        ends_on__range=(on, on + datetime.timedelta(days=WARN_DAYS_BEFORE_END)),
    ).select_related("conversion", "entitlement")
    for grant in ending:
        _notify_team(
            grant.conversion,
            event=f"entitlement-ends-{grant.pk}",
            title=in_portal_language(
                ENDING,
                entitlement=grant.entitlement.name,
                enterprise=str(grant.conversion),
                day=f"{grant.ends_on:%d/%m/%Y}",
            ),
        )
        grant.warned_on = on
        grant.save(update_fields=["warned_on"])
        counts["warned"] += 1
    due = FollowUpVisit.objects.due_by(on + datetime.timedelta(days=7)).select_related(
        "conversion__household_business"
    )
    for visit in due:
        sent = _notify_team(
            visit.conversion,
            event=f"visit-{visit.pk}-{visit.due_on}",
            title=in_portal_language(
                VISIT_DUE, enterprise=str(visit.conversion), day=f"{visit.due_on:%d/%m/%Y}"
            ),
        )
        # A reminder already sent (the same visit, the same due date) is not sent again, nor counted.
        counts["visits"] += bool(sent)
    return counts


def _notify_team(conversion: Conversion, *, event: str, title: str) -> int:
    """How many members of the commune team were notified (0 when each already was)."""
    members = User.objects.filter(
        pk__in=Membership.objects.active_on(today())
        .filter(team__in=_commune_teams(conversion))
        .values("user_id")
    )
    return len(
        notify(recipients=members, event_key=event, title=title, link=f"/conversions/{conversion.pk}/")
    )
