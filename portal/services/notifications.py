"""Notifications in the portal and by e-mail. Sending the same event twice sends nothing twice."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from portal.models import Membership, Notification, Team, User
from portal.models.people import today
from portal.tasks import email_notification


def in_portal_language(text: str, **params) -> str:
    """A notification's text in the portal's language, whatever language the person who acted reads.

    ``text`` is an untranslated message (mark it with ``gettext_noop``).
    """
    with translation.override(settings.LANGUAGE_CODE):
        return gettext(text) % params if params else gettext(text)


def notify(*, recipients, event_key: str, title: str, body: str = "", link: str = "") -> list[Notification]:
    """One notification per recipient and event; the e-mail goes once the transaction commits."""
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


def mark_all_read(user: User) -> int:
    """Mark ``user``'s unread notifications read; how many. Bookkeeping of one's own inbox: not audited."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())
