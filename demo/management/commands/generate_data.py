"""manage.py generate_data --scale N [--seed S] [--communes C] [--dossiers D] [--as-of YYYY-MM-DD]"""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from demo import synthetic
from demo.management import refuse_outside_demo
from portal import figures
from portal.audit import audit_context
from portal.management import bilingual
from portal.planner import refresh_planner_statistics


class Command(BaseCommand):
    help = (
        "Build a synthetic province the size of a real one (times --scale) for load tests: units with their "
        "history, teams, people and some 20,000 dossiers per unit of scale. Deterministic for a seed and a "
        "day. Refused in production."
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
        parser.add_argument(
            "--dossiers",
            type=int,
            default=200,
            help="Dossiers per current commune (200: some 20,000 at scale 1), filed over two years.",
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=None,
            help="The day the data ends, YYYY-MM-DD (today); the same seed and day give the same data.",
        )

    def handle(self, *args, scale: int, seed: int, communes: int, dossiers: int, as_of, **options):
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
        if dossiers < 0:
            raise CommandError(bilingual(lambda: _("--dossiers cannot be negative.")))
        started = time.monotonic()
        timings: dict[str, float] = {}
        try:
            with audit_context(channel="command"):
                counts = synthetic.generate(
                    scale=scale,
                    seed=seed,
                    communes_per_scale=communes,
                    as_of=as_of,
                    options={"dossiers_per_commune": dossiers},
                    timings=timings,
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
        counted = time.monotonic()
        figures.rebuild()
        analysed = time.monotonic()
        timings["daily figures"] = analysed - counted
        refresh_planner_statistics()
        timings["statistics"] = time.monotonic() - analysed
        elapsed = time.monotonic() - started
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"  {kind:<30} {count:>8}")
        steps = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in timings.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Synthetic data, scale {scale}, seed {seed}: done in {elapsed:.1f} s ({steps})."
            )
        )
