"""manage.py load_demo: the Vĩnh Long demo with its logins (demo and test databases only)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from portal import demo
from portal.audit import audit_context
from portal.management import refuse_outside_demo


class Command(BaseCommand):
    help = (
        "Build the demo: current Vĩnh Long with former Bến Tre as history, the council, its boards, "
        "district and commune teams, their people and one login per role, all with the password "
        f"{demo.PASSWORD}; the programme's catalogue and dossiers in every status. "
        "Running it again changes nothing."
    )

    def handle(self, *args, **options):
        refuse_outside_demo(
            lambda: (
                _(
                    "Demo logins exist only in the demo database; this one is %(env)s. "
                    "Set PORTAL_ENV=demo to load the demo."
                )
                % {"env": settings.PORTAL_ENV}
            )
        )
        started = time.monotonic()
        with audit_context(channel="command"):
            report = demo.build_demo()
        elapsed = time.monotonic() - started

        units = report.units
        self.stdout.write(
            f"Units of Vĩnh Long: {units.created} created, {units.updated} updated, "
            f"{units.unchanged} unchanged; successor links {units.links_added} added, "
            f"{units.links_removed} removed."
        )
        for model in ("User", "Team", "Membership"):
            counts = {
                outcome: report.rows[(model, outcome)] for outcome in ("created", "updated", "unchanged")
            }
            self.stdout.write(
                f"{model + 's:':<13}{counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        created, existing = report.catalogue.created, report.catalogue.existing
        self.stdout.write(
            "Catalogue:   "
            + ", ".join(
                f"{label} {created[model]} created ({existing[model]} already there)"
                for model, label in (
                    ("Procedure", "procedures"),
                    ("DocumentKind", "document kinds"),
                    ("CalendarDay", "calendar days"),
                    ("PolicyDocument", "policy documents"),
                    ("Entitlement", "entitlements"),
                )
            )
            + "."
        )
        rows = report.dossiers.rows
        for model in ("Applicant", "Dossier"):
            created, unchanged = rows[(model, "created")], rows[(model, "unchanged")]
            self.stdout.write(f"{model + 's:':<13}{created} created, {unchanged} unchanged.")
        activities = report.activities
        for model, label in (("Activity", "Activities:"), ("Target", "Targets:")):
            created, unchanged = activities[(model, "created")], activities[(model, "unchanged")]
            self.stdout.write(f"{label:<13}{created} created, {unchanged} unchanged.")
        self.stdout.write("")
        self.stdout.write(f"Demo logins, all with the password {demo.PASSWORD}:")
        width = max(len(login.username) for login in report.logins)
        role_width = max(len(login.role) for login in report.logins)
        self.stdout.write(f"  {'login':<{width}}  {'role':<{role_width}}  team")
        for login in report.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role:<{role_width}}  {login.team or '–'}")
        if report.dossiers.lookup:
            code, last_four = report.dossiers.lookup
            self.stdout.write("")
            self.stdout.write(
                f"Public lookup of a dossier: code {code}, last four digits of the phone {last_four}."
            )
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {elapsed:.1f} s."))
