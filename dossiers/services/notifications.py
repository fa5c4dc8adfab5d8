"""Notifications about a dossier: to its handling team, or to its applicant's account."""

from django.urls import reverse

from dossiers.models import Dossier
from portal.models import Team
from portal.services.notifications import notify, team_members


def notify_team(team: Team | None, *, event: str, dossier: Dossier, title: str, body: str = "") -> None:
    notify(
        recipients=team_members(team),
        event_key=event,
        title=title,
        body=body,
        link=reverse("dossier_detail", args=[dossier.pk]),
    )


def notify_applicant(dossier: Dossier, *, event: str, title: str, body: str = "") -> None:
    """Tell the applicant's account, if any; an applicant without an account hears from the officer."""
    user = dossier.applicant.user
    if user is None:
        return
    notify(
        recipients=[user],
        event_key=f"dossier-{dossier.pk}-{event}",
        title=title,
        body=body,
        link=reverse("dossier_detail", args=[dossier.pk]),
    )
