"""manage.py build_reports: build the due review reports now, in this process, as the schedule would."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal.audit import audit_context
from portal.models.people import today
from reports.building import build_report
from reports.schedule import schedule_due_reports


def day(text: str) -> datetime.date:
    """A day written as generate_data takes it: YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(_("Write the date as YYYY-MM-DD, for example 2026-12-25.")) from error


class Command(BaseCommand):
    help = (
        "Build the review reports that are due (each period's, three days after it ends) and not built "
        "yet, here rather than by the Celery worker: to catch up after the schedule was stopped, and "
        "for the demo. Running it again builds nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=day, default=None, help="As if today were this day (YYYY-MM-DD).")
        parser.add_argument("--province-only", action="store_true", help="Only the provinces' reports.")

    def handle(self, *args, on, province_only, **options):
        started = time.monotonic()
        with audit_context(channel="command"):
            reports = schedule_due_reports(on or today(), province_only=province_only)
            built = sum(build_report(report_id=report.pk) for report in reports)
        self.stdout.write(
            f"Review reports built: {built} of {len(reports)} due, in {time.monotonic() - started:.1f} s."
        )
