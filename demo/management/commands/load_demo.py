"""manage.py load_demo: the Vĩnh Long demo with its logins (demo and test databases only)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from demo.building import build_demo
from demo.ground import PASSWORD
from demo.management import refuse_outside_demo
from portal import figures
from portal.audit import audit_context
from portal.planner import refresh_planner_statistics


class Command(BaseCommand):
    help = (
        "Build the demo: current Vĩnh Long with former Bến Tre as history, the council, its boards, "
        "district and commune teams, their people and one login per role, all with the password "
        f"{PASSWORD}; the programme's catalogue, and each app's part: dossiers in every status, "
        "the teams' activities. Running it again changes nothing."
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
            report = build_demo()
        # The demo's rows, loaded at once: the stored daily figures and the planner's statistics.
        figures.rebuild()
        refresh_planner_statistics()
        elapsed = time.monotonic() - started

        for part in report.parts.values():
            for line in part.summary():
                self.stdout.write(line)
        for model in ("User", "Team", "Membership"):
            counts = {
                outcome: report.rows[(model, outcome)] for outcome in ("created", "updated", "unchanged")
            }
            self.stdout.write(
                f"{model + 's:':<13}{counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged."
            )
        self.stdout.write("")
        self.stdout.write(f"Demo logins, all with the password {PASSWORD}:")
        width = max(len(login.username) for login in report.logins)
        role_width = max(len(login.role) for login in report.logins)
        self.stdout.write(f"  {'login':<{width}}  {'role':<{role_width}}  team")
        for login in report.logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role:<{role_width}}  {login.team or '–'}")
        self.stdout.write(self.style.SUCCESS(f"Demo ready in {elapsed:.1f} s."))
