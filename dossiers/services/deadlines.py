"""The working-morning job: flag dossiers and inquiries that are due soon, due today or overdue, and escalate.

Every notification carries an event key with the date it is about, so a second
run the same morning (or a task delivered twice) sends nothing twice.
"""

import datetime

from django.conf import settings
from django.utils.translation import gettext_noop

from dossiers.models import Dossier, Inquiry
from dossiers.services.inquiries import escalate_inquiry
from dossiers.services.notifications import notify_team
from portal.services.notifications import in_portal_language
from portal.working_days import Calendar, add_working_days


def flag_deadlines(*, on: datetime.date) -> dict[str, int]:
    """Notify the handling teams of dossiers due soon, due today and overdue; escalate overdue inquiries."""
    if not Calendar(on, on).is_working_day(on):
        return {"due_soon": 0, "due_today": 0, "overdue": 0, "escalated": 0}
    soon = add_working_days(on, settings.DUE_SOON_WORKING_DAYS)
    counts = {"due_soon": 0, "due_today": 0, "overdue": 0, "escalated": 0}
    running = Dossier.objects.running().filter(due_date__lte=soon).select_related("handling_team")
    for dossier in running:
        if dossier.due_date < on:
            flag, title = "overdue", gettext_noop("Dossier %(code)s is overdue (due %(day)s)")
        elif dossier.due_date == on:
            flag, title = "due_today", gettext_noop("Dossier %(code)s is due today")
        else:
            flag, title = "due_soon", gettext_noop("Dossier %(code)s is due on %(day)s")
        notify_team(
            dossier.handling_team,
            # Overdue dossiers are flagged each working morning; the others once per due date.
            event=f"dossier-{dossier.pk}-{flag}-{on if flag == 'overdue' else dossier.due_date}",
            dossier=dossier,
            title=in_portal_language(title, code=dossier.code, day=f"{dossier.due_date:%d/%m/%Y}"),
        )
        counts[flag] += 1
    for inquiry in Inquiry.objects.unanswered().filter(reply_due__lt=on, escalated_at__isnull=True):
        counts["escalated"] += escalate_inquiry(inquiry=inquiry, on=on)
    return counts
