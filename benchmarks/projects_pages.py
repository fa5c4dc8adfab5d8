"""Benchmark: the projects' pages and report section at province scale, through the test client.

    export PORTAL_ENV=test DATABASE_URL=sqlite:////tmp/projects.sqlite3
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py generate_data --scale 1 --seed 7
    .venv/bin/python benchmarks/projects_pages.py

It signs in a member of the synthetic council (who reads the whole province) and the head of the
commune team with the most projects, and times each page: the median of ``--runs`` requests after
a first one (templates, translations and URL patterns loaded), with its queries and the milliseconds
of SQL in the median request. The public page of the success models is requested anonymously. Then
it times the projects' report section for the province (what ``reports.building.compose`` runs for
it, untranslated as there): the last full quarter before today beside the one before it, and a year.
It prints Markdown tables.
"""

import argparse
import datetime
import os
import statistics
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
from django.utils import translation  # noqa: E402

from portal.models import AdminUnit, Membership, Team, User  # noqa: E402
from portal.models.people import today  # noqa: E402
from projects.models import (  # noqa: E402
    HouseholdListing,
    Mentor,
    PovertyPlan,
    Project,
    ProjectStep,
    SuccessModel,
    Support,
)
from projects.report_sections import SECTIONS  # noqa: E402
from reports.periods import PeriodKind, ReviewPeriod  # noqa: E402


def people() -> dict[str, User]:
    current = Team.objects.filter(active_until__isnull=True)
    council = Membership.objects.filter(
        team__in=current.filter(kind=Team.Kind.COUNCIL), left_on__isnull=True
    ).order_by("pk")
    busiest_unit = (
        Project.objects.values("unit").annotate(count=Count("pk")).order_by("-count", "unit").first()["unit"]
    )
    communes = current.filter(kind=Team.Kind.COMMUNE_TEAM, unit=busiest_unit)
    if not communes.exists():  # the busiest commune ended in the reform: its ward's team
        communes = current.filter(kind=Team.Kind.COMMUNE_TEAM, unit__predecessors=busiest_unit)
    team = communes.order_by("pk").first()
    head = team.head or Membership.objects.filter(team=team, left_on__isnull=True).order_by("pk").first().user
    return {"council": council.first().user, "commune head": head}


def timed(client: Client, url: str) -> tuple[float, int, float]:
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    sql = sum(float(query["time"]) for query in queries.captured_queries) * 1000
    return elapsed, len(queries.captured_queries), sql


def median_run(runs: list[tuple[float, int, float]]) -> tuple[float, int, float]:
    """The median time, the queries (the same in every run, or a range) and the SQL of the median run."""
    ordered = sorted(runs)
    counts = sorted({run[1] for run in runs})
    queries = counts[0] if len(counts) == 1 else f"{counts[0]}–{counts[-1]}"
    return statistics.median(run[0] for run in runs), queries, ordered[len(ordered) // 2][2]


def pages(user: User) -> dict[str, str]:
    """The pages to time for ``user``; the project page is a poverty-escape project's with an approved
    plan, the most supports and steps (every panel filled)."""
    project = (
        Project.objects.visible_to(user)
        .filter(plan__status=PovertyPlan.Status.APPROVED)
        .annotate(supports_count=Count("supports", distinct=True), steps_count=Count("steps", distinct=True))
        .order_by("-supports_count", "-steps_count", "pk")
        .first()
    )
    return {
        "projects list": reverse("project_list"),
        f"project page ({project.supports_count} supports, {project.steps_count} steps)": reverse(
            "project_detail", args=[project.pk]
        ),
        "poverty-escape plans": reverse("poverty_plan_list"),
        "poor households": reverse("household_list"),
        "mentors": reverse("mentor_list"),
        "success models": reverse("model_list"),
        "support spread": reverse("support_spread"),
        "API: projects": "/api/v1/projects/",
    }


def time_pages(client: Client, who: str, urls: dict[str, str], runs: int) -> None:
    for name, url in urls.items():
        timed(client, url)
        elapsed, queries, sql = median_run([timed(client, url) for _ in range(runs)])
        print(f"| {who} | {name} | {elapsed:.0f} | {queries} | {sql:.0f} ms |")


def time_section(unit, label: str, period, previous, runs: int) -> None:
    [section] = SECTIONS
    times, counts = [], set()
    with translation.override(None):  # as compose builds it
        section.build(unit, period, previous)
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                section.build(unit, period, previous)
                times.append((time.perf_counter() - started) * 1000)
            counts.add(len(queries.captured_queries))
    print(f"| projects | {label} | {statistics.median(times):.0f} | {', '.join(map(str, sorted(counts)))} |")


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=10, help="requests per page after the first (10)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    sizes = {
        "projects": Project.objects.count(),
        "steps": ProjectStep.objects.count(),
        "supports": Support.objects.count(),
        "households listed": HouseholdListing.objects.count(),
        "plans": PovertyPlan.objects.count(),
        "mentors": Mentor.objects.count(),
        "success models": SuccessModel.objects.count(),
    }
    print(", ".join(f"{count:,} {name}" for name, count in sizes.items()) + "\n")
    print("| who | page | median ms | queries | of which SQL |")
    print("|---|---|---|---|---|")
    for who, user in people().items():
        client = Client()
        client.force_login(user)
        time_pages(client, who, pages(user), args.runs)
    time_pages(Client(), "anonymous", {"public success models": reverse("public_models")}, args.runs)

    province = AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE, valid_until__isnull=True).first()
    quarter = ReviewPeriod.last_ended(PeriodKind.QUARTERLY, today())
    before = quarter.previous()
    print("\n| section for the province | period | median ms | queries |")
    print("|---|---|---|---|")
    time_section(
        province,
        f"{quarter.first:%d/%m/%Y}–{quarter.last:%d/%m/%Y}",
        (quarter.first, quarter.last),
        (before.first, before.last),
        args.runs,
    )
    year = quarter.last.year - 1
    time_section(
        province,
        str(year),
        (datetime.date(year, 1, 1), datetime.date(year, 12, 31)),
        (datetime.date(year - 1, 1, 1), datetime.date(year - 1, 12, 31)),
        args.runs,
    )


if __name__ == "__main__":
    main()
