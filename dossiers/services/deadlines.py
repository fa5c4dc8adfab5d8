"""The working-morning job: flag dossiers and inquiries that are due soon, due today or overdue, and escalate.

Every notification carries an event key with the date it is about, so a second
run the same morning (or a task delivered twice) sends nothing twice.
"""

import datetime

from django.utils.translation import gettext_noop

from dossiers.models import Deadline, Dossier, Inquiry
from dossiers.services.inquiries import escalate_inquiry
from dossiers.services.notifications import notify_team
from portal.services.notifications import in_portal_language
from portal.working_days import Calendar

TITLES = {
    Deadline.OVERDUE: gettext_noop("Dossier %(code)s is overdue (due %(day)s)"),
    Deadline.DUE_TODAY: gettext_noop("Dossier %(code)s is due today"),
    Deadline.DUE_SOON: gettext_noop("Dossier %(code)s is due on %(day)s"),
}


def flag_deadlines(*, on: datetime.date) -> dict[str, int]:
    """Notify the handling teams of dossiers due soon, due today and overdue; escalate overdue inquiries."""
    counts = {Deadline.DUE_SOON: 0, Deadline.DUE_TODAY: 0, Deadline.OVERDUE: 0, "escalated": 0}
    if not Calendar(on, on).is_working_day(on):
        return counts
    flagged = Dossier.objects.with_deadline(on).exclude(deadline="").select_related("handling_team")
    for dossier in flagged:
        notify_team(
            dossier.handling_team,
            # Overdue dossiers are flagged each working morning; the others once per due date.
            event=f"dossier-{dossier.pk}-{dossier.deadline}-"
            f"{on if dossier.deadline == Deadline.OVERDUE else dossier.due_date}",
            dossier=dossier,
            title=in_portal_language(
                TITLES[dossier.deadline], code=dossier.code, day=f"{dossier.due_date:%d/%m/%Y}"
            ),
        )
        counts[dossier.deadline] += 1
    for inquiry in Inquiry.objects.at_deadline(Deadline.OVERDUE, on).filter(escalated_at__isnull=True):
        counts["escalated"] += escalate_inquiry(inquiry=inquiry, on=on)
    return counts
