"""Benchmark: where the province's dashboard spends its time, part by part, and what a rebuild of the stored
figures holds (issue 14).

    PORTAL_ENV=test .venv/bin/python benchmarks/dashboard_parts.py
    PORTAL_ENV=test .venv/bin/python benchmarks/dashboard_parts.py --rebuild
    PORTAL_ENV=test .venv/bin/python benchmarks/dashboard_parts.py \\
        --database-url postgres://postgres@127.0.0.1:5432/bench_pages_s1_seed7

It reads a database that ``benchmarks/pages.py`` built (by default its SQLite file at scale 1, seed 7)
and, for the top unit (the synthetic province) over the dashboard's default period (the current
quarter up to today):

- times each report section's ``build``, as ``compose`` calls it: the median of ``--runs`` runs after
  one warm-up, with the section's number of queries;
- times writing every section's tables and charts as the dashboard does (``reports/templatetags/
  report_tags.py: table_body, chart_body``) over the composed content, in Vietnamese;
- with ``--rebuild`` (SQLite only: on a copy of the file, which it deletes after), times
  ``portal.figures.rebuild`` and the longest time one batch of units held its lock, since a service
  writing counted rows waits for that batch.

Run it twice, before and after a change, in the same minutes: the machine's speed varies.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database-url",
        default="sqlite:////tmp/pages-s1-seed7.sqlite3",
        help="the database pages.py built (sqlite:////tmp/pages-s1-seed7.sqlite3)",
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up (5)")
    parser.add_argument("--rebuild", action="store_true", help="also time a rebuild, on a copy (SQLite)")
    return parser.parse_args()


def median_ms(action, runs: int) -> float:
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def time_sections(unit, period, runs: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from reports.building import compose
    from reports.sections import installed_sections

    previous = period.previous()
    for section in installed_sections():

        def build(section=section):
            with translation.override(None):
                section.build(unit, (period.first, period.last), (previous.first, previous.last))

        with CaptureQueriesContext(connection) as queries:
            build()
        print(f"| section `{section.key}` | {median_ms(build, runs):,.0f} ms | {len(queries)} queries |")
    return compose(unit, period)


def time_rendering(content: dict, runs: int) -> None:
    from django.utils import translation

    from reports.templatetags.report_tags import chart_body, table_body

    def render():
        with translation.override("vi"):
            for section in content["sections"]:
                for table in section["tables"]:
                    table_body(table, "period=q", {row.get("unit_id") for row in table["rows"]})
                for chart in section["charts"]:
                    chart_body(chart)

    cells = sum(len(row["cells"]) for s in content["sections"] for t in s["tables"] for row in t["rows"])
    print(f"| tables and charts ({cells:,} cells) | {median_ms(render, runs):,.0f} ms | |")


def time_rebuild() -> None:
    from portal import figures

    held, lock_units = [], figures._lock_units

    def timed_lock(unit_ids):
        held.append(time.perf_counter())
        lock_units(unit_ids)

    figures._lock_units = timed_lock
    start = time.perf_counter()
    rows = figures.rebuild()
    end = time.perf_counter()
    longest = max(later - earlier for earlier, later in zip(held, [*held[1:], end], strict=True))
    print(
        f"| rebuild ({rows:,} rows, {len(held)} batches of ≤ {figures.UNITS_AT_ONCE} units) "
        f"| {end - start:,.1f} s | longest batch {longest:,.1f} s |"
    )


def main() -> None:
    arguments = parse_args()
    copy = None
    url = arguments.database_url
    if arguments.rebuild:
        if not url.startswith("sqlite:///"):
            sys.exit("--rebuild works on a copy of an SQLite file.")
        copy = Path(tempfile.mkdtemp()) / "copy.sqlite3"
        shutil.copy(url.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from portal.models import AdminUnit
    from portal.models.people import today
    from reports.dashboard import default_period

    unit = AdminUnit.objects.filter(parent__isnull=True).order_by("pk").first()
    period = default_period(today())
    print(f"{unit.name}, {period.first}..{period.last}, {url}\n")
    print("| part | median | |\n|---|---|---|")
    try:
        content = time_sections(unit, period, arguments.runs)
        time_rendering(content, arguments.runs)
        if copy is not None:
            time_rebuild()
    finally:
        if copy is not None:
            shutil.rmtree(copy.parent)


if __name__ == "__main__":
    main()
