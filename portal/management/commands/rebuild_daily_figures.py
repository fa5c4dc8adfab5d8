"""manage.py rebuild_daily_figures: the stored daily figures counted again from the rows."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import figures
from portal.management import bilingual

SHOWN = 20


class Command(BaseCommand):
    help = (
        "Count the stored daily figures that the dashboard and the review reports read again from the rows. "
        "Run it after loading rows by any way other than the portal's services, and once after the release "
        "that adds them. With --check, change nothing: list the figures that differ from the rows, and fail "
        "if any does."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Compare the stored figures with the rows; change nothing."
        )

    def handle(self, *args, check=False, **options):
        started = time.monotonic()
        if check:
            found = figures.differences()
            for difference in found[:SHOWN]:
                self.stdout.write(
                    f"{difference.measure} unit {difference.unit_id} {difference.day} "
                    f"subject {difference.subject}: stored {difference.stored}, counted {difference.counted}"
                )
            if found:
                raise CommandError(
                    bilingual(
                        lambda: (
                            _("%(count)s stored daily figures differ from the rows.") % {"count": len(found)}
                        )
                    )
                )
            self.stdout.write(
                self.style.SUCCESS(
                    f"The stored daily figures equal the rows ({time.monotonic() - started:.1f} s)."
                )
            )
            return
        written = figures.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{written} daily figures counted again in {time.monotonic() - started:.1f} s."
            )
        )
