"""Benchmark: each role's home page at province scale, one request at a time through the test client.

    export PORTAL_ENV=test DATABASE_URL=sqlite:////tmp/homes.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_data --scale 1
    .venv/bin/python benchmarks/home.py

It picks one person of each role in the synthetic province (the applicant with the most dossiers, a
member of the commune team with the most dossiers running, a member of a district team that ended,
of the standing agency, of the council and of the fund), signs them in and times their home:
"cold" when the dashboard's flags must be composed (reports/home.py keeps them five minutes), the
best of three; "warm" the best of ``--runs`` requests after it. It prints a Markdown table.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from dossiers.models import Applicant, Dossier  # noqa: E402
from portal.models import Membership, Team, User  # noqa: E402


def member_of(teams) -> User:
    return Membership.objects.filter(team__in=teams, left_on__isnull=True).order_by("pk").first().user


def cast() -> dict[str, User]:
    busiest_team = (
        Dossier.objects.filter(
            status__in=Dossier.CLOCK_RUNNING_STATUSES, handling_team__kind=Team.Kind.COMMUNE_TEAM
        )
        .values("handling_team")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()["handling_team"]
    )
    busiest_applicant = (
        Dossier.objects.filter(applicant__user__isnull=False)
        .values("applicant")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()["applicant"]
    )
    current = Team.objects.filter(active_until__isnull=True)
    return {
        "applicant": Applicant.objects.get(pk=busiest_applicant).user,
        "commune team": member_of(Team.objects.filter(pk=busiest_team)),
        "district team (ended)": member_of(
            Team.objects.filter(kind=Team.Kind.DISTRICT_TEAM, active_until__isnull=False)
        ),
        "standing agency": member_of(current.filter(kind=Team.Kind.STANDING_AGENCY)),
        "council": member_of(current.filter(kind=Team.Kind.COUNCIL)),
        "fund": member_of(current.filter(kind=Team.Kind.FUND)),
    }


def timed(client: Client) -> tuple[float, int, float, str]:
    """Milliseconds, queries, milliseconds of SQL, and what the home says there is to do."""
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get("/")
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, response.status_code
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    found = re.search(r'data-to-do="(\d+)"', response.content.decode())
    return elapsed, len(queries.captured_queries), sql, found.group(1) if found else "—"


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="warm requests per home (15)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    print("| home | cold: ms, queries | warm: ms | queries | of which SQL | to do |")
    print("|---|---|---|---|---|---|")
    timed(client)  # templates, translations and URL patterns loaded once
    warm = min((timed(client) for _ in range(args.runs)), key=lambda run: run[0])
    print(f"| front door | | {warm[0]:.0f} | {warm[1]} | {warm[2]:.0f} ms | |")
    for role, user in cast().items():
        client.force_login(user)
        timed(client)
        colds = []
        for _ in range(3):
            cache.clear()
            colds.append(timed(client))
        cold = min(colds, key=lambda run: run[0])
        warm = min((timed(client) for _ in range(args.runs)), key=lambda run: run[0])
        cells = [role, f"{cold[0]:.0f}, {cold[1]}", f"{warm[0]:.0f}", warm[1], f"{warm[2]:.0f} ms", warm[3]]
        print("| " + " | ".join(str(cell) for cell in cells) + " |")


if __name__ == "__main__":
    main()
