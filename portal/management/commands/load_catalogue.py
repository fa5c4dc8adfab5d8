"""manage.py load_catalogue: every app's reference data and the official calendar (every environment)."""

import time

from django.core.management.base import BaseCommand

from portal import catalogue
from portal.audit import audit_context


class Command(BaseCommand):
    help = (
        "Load the programme's reference data: the kinds of documents, the four procedures with their "
        "versions and required documents, the public holidays and make-up working days of 2024–2027, "
        "and the policy library with the entitlements and their conditions. "
        "Only missing rows are created; rows that exist, edited by an admin or not, are left as they are."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        with audit_context(channel="command"):
            report = catalogue.load_reference_data()
        elapsed = time.monotonic() - started
        for model in dict.fromkeys([*report.created, *report.existing]):
            self.stdout.write(
                f"{model + ':':<18}{report.created[model]} created, {report.existing[model]} already there."
            )
        self.stdout.write(self.style.SUCCESS(f"Catalogue ready in {elapsed:.1f} s."))
