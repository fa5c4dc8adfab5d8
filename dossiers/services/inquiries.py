"""Inquiries (vướng mắc): raised on a dossier, due for a reply, escalated to the team above when late."""

import datetime

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dossiers import daily_figures
from dossiers.models import Dossier, Inquiry
from dossiers.services.notifications import notify_team
from portal.models import Team, User
from portal.models.people import today
from portal.refusals import Refused
from portal.services.notifications import in_portal_language, notify, team_members
from portal.working_days import add_working_days


@transaction.atomic
def raise_inquiry(*, dossier: Dossier, by: User, question: str) -> Inquiry:
    question = (question or "").strip()
    if not question:
        raise Refused(_("Describe the obstacle."))
    dossier.refresh_from_db(fields=["submitted_at", "handling_team"])
    if dossier.is_draft:
        # A draft is private until filed: its handling team could neither read nor answer the question.
        raise Refused(
            _("File the dossier first: its handling team sees it, and can answer, once it is filed."),
            conflict=True,
        )
    if dossier.handling_team is None:
        raise Refused(_("This dossier has no handling team to answer yet."), conflict=True)
    inquiry = Inquiry.objects.create(
        dossier=dossier,
        raised_by=by,
        question=question,
        team=dossier.handling_team,
        reply_due=add_working_days(today(), settings.INQUIRY_REPLY_WORKING_DAYS),
    )
    notify_team(
        inquiry.team,
        event=f"inquiry-{inquiry.pk}-raised",
        dossier=dossier,
        title=in_portal_language(
            gettext_noop("Dossier %(code)s: a new obstacle to answer"), code=dossier.code
        ),
        body=question,
    )
    return inquiry


@transaction.atomic
def reply_to_inquiry(*, inquiry: Inquiry, by: User, reply: str) -> Inquiry:
    reply = (reply or "").strip()
    if not reply:
        raise Refused(_("Write the reply."))
    inquiry = Inquiry.objects.select_for_update().select_related("dossier__applicant").get(pk=inquiry.pk)
    if inquiry.replied_at is not None:
        raise Refused(_("This obstacle has already been answered."), conflict=True)
    inquiry.reply = reply
    inquiry.replied_at = timezone.now()
    inquiry.replied_by = by
    inquiry.save(update_fields=["reply", "replied_at", "replied_by"])
    daily_figures.keep_current(inquiry.dossier)
    applicant_user = inquiry.dossier.applicant.user
    if applicant_user is not None:
        notify(
            recipients=[applicant_user],
            event_key=f"inquiry-{inquiry.pk}-replied",
            title=in_portal_language(
                gettext_noop("Dossier %(code)s: your obstacle has a reply"), code=inquiry.dossier.code
            ),
            body=reply,
            link=reverse("dossier_detail", args=[inquiry.dossier_id]),
        )
    return inquiry


def team_above(team: Team, *, on: datetime.date) -> Team | None:
    """The active team that oversees ``team``: a district team over its communes, else the standing agency."""
    unit = team.unit.parent
    while unit is not None:
        above = (
            Team.objects.active_on(on)
            .filter(unit=unit, kind__in=[Team.Kind.DISTRICT_TEAM, Team.Kind.STANDING_AGENCY])
            .order_by("kind", "pk")
            .first()
        )
        if above:
            return above
        unit = unit.parent
    return None


@transaction.atomic
def escalate_inquiry(*, inquiry: Inquiry, on: datetime.date) -> bool:
    """Hand an overdue inquiry to the team above, once. True when it was escalated now."""
    inquiry = Inquiry.objects.select_for_update().select_related("team__unit", "dossier").get(pk=inquiry.pk)
    if inquiry.replied_at is not None or inquiry.escalated_at is not None:
        return False  # answered meanwhile, or another run escalated it
    answering = inquiry.team
    above = team_above(answering, on=on)
    inquiry.escalated_at = timezone.now()
    inquiry.team = above or answering
    inquiry.save(update_fields=["escalated_at", "team"])
    notify(
        recipients=team_members(above) + team_members(answering),
        event_key=f"inquiry-{inquiry.pk}-escalated",
        title=in_portal_language(
            gettext_noop("Overdue obstacle on dossier %(code)s"), code=inquiry.dossier.code
        ),
        body=inquiry.question,
        link=reverse("dossier_detail", args=[inquiry.dossier_id]),
    )
    return True
