"""Benchmark: the conversions' pages and the survival figures at province scale, through the test client.

    export PORTAL_ENV=test DATABASE_URL=sqlite:////tmp/conversions.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_data --scale 1
    .venv/bin/python benchmarks/conversions_pages.py

It signs in a member of the synthetic council (who reads the whole province) and a member of the
commune team with the most household businesses, and times each page the best of ``--runs``
requests after a first one (templates, translations and URL patterns loaded): milliseconds, queries
and the milliseconds of SQL among them. Then it times the conversions' report section for the
province over a year (what the dashboard and the report compose; the survival table is part of it).
It prints Markdown tables. The 5,000-row import preview has its own benchmark
(``benchmarks/import_preview.py``).
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from conversions.models import Conversion, HouseholdBusiness  # noqa: E402
from conversions.report_sections import SECTIONS  # noqa: E402
from portal.models import AdminUnit, Membership, Team, User  # noqa: E402


def member(team_ids) -> User:
    return Membership.objects.filter(team__in=team_ids, left_on__isnull=True).order_by("pk").first().user


def people() -> dict[str, User]:
    busiest_unit = (
        HouseholdBusiness.objects.values("unit")
        .annotate(count=Count("pk"))
        .order_by("-count")
        .first()["unit"]
    )
    current = Team.objects.filter(active_until__isnull=True)
    commune_teams = current.filter(kind=Team.Kind.COMMUNE_TEAM, unit=busiest_unit)
    if not commune_teams.exists():  # the busiest commune ended in the reform: its ward's team
        commune_teams = current.filter(kind=Team.Kind.COMMUNE_TEAM, unit__predecessors=busiest_unit)
    return {
        "council": member(current.filter(kind=Team.Kind.COUNCIL)),
        "commune team": member(commune_teams),
    }


def timed(client: Client, url: str) -> tuple[float, int, float]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return elapsed, len(queries.captured_queries), sql


def pages(user: User) -> dict[str, str]:
    case = Conversion.objects.visible_to(user).filter(registered_on__isnull=False).order_by("pk").first()
    business = HouseholdBusiness.objects.visible_to(user).order_by("pk").first()
    return {
        "registry list": reverse("household_business_list"),
        "registry search “keo dua”": reverse("household_business_list") + "?q=keo+dua",
        "registry filtered (sector C)": reverse("household_business_list") + "?sector=C",
        "household business": reverse("household_business_detail", args=[business.pk]),
        "conversions list": reverse("conversion_list"),
        "conversion case": reverse("conversion_detail", args=[case.pk]),
        "visits due": reverse("conversion_visit_list"),
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="requests per page after the first (10)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    print(
        f"{HouseholdBusiness.objects.count():,} household businesses, {Conversion.objects.count():,} "
        f"conversions ({Conversion.objects.registered().count():,} registered)\n"
    )
    print("| who | page | ms | queries | of which SQL |")
    print("|---|---|---|---|---|")
    for role, user in people().items():
        client = Client()
        client.force_login(user)
        for name, url in pages(user).items():
            timed(client, url)
            best = min((timed(client, url) for _ in range(args.runs)), key=lambda run: run[0])
            print(f"| {role} | {name} | {best[0]:.0f} | {best[1]} | {best[2]:.0f} ms |")
    province = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, valid_until__isnull=True).first()
    print("\n| section for the province | period | ms | queries |")
    print("|---|---|---|---|")
    [section] = SECTIONS
    for year in (2021, 2025):
        period = (datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        previous = (datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31))
        runs = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                section.build(province, period, previous)
                runs.append(((time.perf_counter() - started) * 1000, len(queries.captured_queries)))
        best = min(runs)
        print(f"| conversions (survival included) | {year} | {best[0]:.0f} | {best[1]} |")


if __name__ == "__main__":
    main()
