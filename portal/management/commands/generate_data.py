"""manage.py generate_data --scale N [--seed S] [--communes C]"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from portal import synthetic
from portal.audit import audit_context
from portal.management import bilingual, refuse_outside_demo


class Command(BaseCommand):
    help = (
        "Build a synthetic province the size of a real one (times --scale) for load tests: units with their "
        "history, teams and people. Deterministic for a seed. Refused in production."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Multiplies communes, teams and people (1).")
        parser.add_argument("--seed", type=int, default=2016, help="Same seed, same data (2016).")
        parser.add_argument(
            "--communes",
            type=int,
            default=100,
            help="Current communes per unit of scale (100, about a real province); lower it for quick tests.",
        )

    def handle(self, *args, scale: int, seed: int, communes: int, **options):
        refuse_outside_demo(
            lambda: (
                _(
                    "Synthetic data belongs only in a demo or test database; this one is %(env)s. "
                    "Set PORTAL_ENV=demo to generate it."
                )
                % {"env": settings.PORTAL_ENV}
            )
        )
        if scale < 1 or communes < 1:
            raise CommandError(bilingual(lambda: _("--scale and --communes must be at least 1.")))
        started = time.monotonic()
        timings: dict[str, float] = {}
        try:
            with audit_context(channel="command"):
                counts = synthetic.generate(
                    scale=scale, seed=seed, communes_per_scale=communes, timings=timings
                )
        except synthetic.AlreadyGenerated as error:
            code = error.args[0]
            raise CommandError(
                bilingual(
                    lambda: (
                        _("This database already holds synthetic data (province %(code)s); use a fresh one.")
                        % {"code": code}
                    )
                )
            ) from None
        elapsed = time.monotonic() - started
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"  {kind:<20} {count:>8}")
        steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data, scale {scale}, seed {seed}: done in {elapsed:.1f} s ({steps})."
            )
        )
