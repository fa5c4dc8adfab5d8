"""E-mailing a notification, once."""

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from portal.models import Notification


def send_email(*, notification_id: int) -> bool:
    """E-mail a notification to its recipient, once: the claim is a conditional update. True when sent now."""
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
