"""Notifications in the portal and by e-mail. Sending the same event twice sends nothing twice."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.models import Dossier, Membership, Notification, Team, User
from portal.models.people import today


def in_portal_language(text: str, **params) -> str:
    """A notification's text in the portal's language, whatever language the person who acted reads.

    ``text`` is an untranslated message (mark it with ``gettext_noop``).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text) % params if params else gettext(text)


def notify(*, recipients, event_key: str, title: str, body: str = "", link: str = "") -> list[Notification]:
    """One notification per recipient and event; the e-mail goes once the transaction commits."""
    from portal.tasks import email_notification

    created = []
    for recipient in recipients:
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=recipient, event_key=event_key[:120], title=title[:200], body=body, link=link
                )
        except IntegrityError:  # this recipient already has this event
            continue
        email_notification.delay_on_commit(notification.pk)
        created.append(notification)
    return created


def team_members(team: Team | None) -> list[User]:
    if team is None:
        return []
    return list(
        User.objects.filter(pk__in=Membership.objects.active_on(today()).filter(team=team).values("user_id"))
    )


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


def send_email(*, notification_id: int) -> bool:
    """E-mail a notification to its recipient, once: the claim is a conditional update. True when sent now."""
    from django.core.mail import send_mail
    from django.utils import timezone

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or not notification.recipient.email:
        return False
    # Claim and sending share a transaction: if sending fails, the claim is undone and the task retried.
    with transaction.atomic():
        claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
        if not claimed:
            return False
        send_mail(
            notification.title, notification.body or notification.title, None, [notification.recipient.email]
        )
    return True
