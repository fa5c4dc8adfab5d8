"""Benchmark: the quarterly review report of the province against a hand-written SQL floor (issue 5).

    PORTAL_ENV=test .venv/bin/python benchmarks/report_build.py --scale 1
    PORTAL_ENV=test .venv/bin/python benchmarks/report_build.py --scale 10 \\
        --database-url postgres://postgres@127.0.0.1:5432/portal_bench_reports

It builds a throwaway database (an SQLite file in a temporary directory, or the PostgreSQL database
named in ``--database-url``, which it creates and drops and which must not exist yet), migrates it,
runs ``generate_data --scale N`` (which loads the catalogue itself; the synthetic province needs no
``load_admin_units``), then times, for the synthetic province:

- ``reports.building.compose`` for the last full quarter before ``--as-of`` (warm-up once, then the
  median of ``--runs`` runs) and counts its queries;
- the floor: the same figures from a few hand-written SQL aggregates (both periods at once), rolled
  up to the drill-down rows in plain Python; the script stops with exit status 1 when any figure
  differs from compose's, so that the comparison stays fair;
- the same two for the dashboard's period: the current quarter up to ``--as-of``.

It prints a Markdown table row per run. ``--profile`` adds a cProfile listing of one compose.
``--built URL`` times a database that ``generate_data`` already filled (``benchmarks/pages.py``'s, for one)
instead, with no migration and no generation, and leaves it as it is; ``--as-of`` must then be the day that
data ends.
"""

import argparse
import cProfile
import datetime
import io
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from report_floor import Floor

ROOT = Path(__file__).resolve().parent.parent


# --- The throwaway database ----------------------------------------------------------------------


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=1, help="generate_data --scale (1)")
    parser.add_argument("--seed", type=int, default=2016, help="generate_data --seed (2016)")
    parser.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        default=None,
        help="the day the data ends, YYYY-MM-DD (today in Asia/Ho_Chi_Minh)",
    )
    parser.add_argument("--runs", type=int, default=7, help="timed runs after the warm-up (7, at least 5)")
    parser.add_argument(
        "--database-url",
        default=None,
        help="postgres://user@127.0.0.1:5432/<throwaway name>: created and dropped here (SQLite if omitted)",
    )
    parser.add_argument(
        "--built",
        default=None,
        help="the URL of a database generate_data already filled: timed as it is, neither built nor dropped",
    )
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing of one compose")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
    if args.built and args.database_url:
        parser.error("--built and --database-url name two databases; give one")
    return args


class ThrowawayPostgres:
    """Creates the named database on a local server, refusing one that exists; drops it afterwards."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.hostname not in ("127.0.0.1", "localhost"):
            sys.exit(f"Refused: benchmarks run only against 127.0.0.1, not {parts.hostname}.")
        self.name = parts.path.lstrip("/")
        if not self.name.replace("_", "").isalnum():
            sys.exit(f"Refused: {self.name!r} is not a plain database name.")
        self.maintenance_url = urlunsplit(parts._replace(path="/postgres"))

    def _execute(self, sql: str, params=()):
        import psycopg2

        connection = psycopg2.connect(self.maintenance_url)
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            connection.close()

    def create(self):
        if self._execute("SELECT 1 FROM pg_database WHERE datname = %s", (self.name,)):
            sys.exit(f"Refused: the database {self.name!r} exists already; name a throwaway one.")
        self._execute(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}"')


def setup_django(database_url: str):
    os.environ.setdefault("PORTAL_ENV", "test")
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# --- Timing --------------------------------------------------------------------------------------


def count_queries(function) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


# --- Checking the floor against compose ----------------------------------------------------------


# Tables of other keys whose rows are compared whole (their first cell is data, not a choice's label).
FULL_ROWS = ("escape", "models")


def compose_figures(report: dict) -> dict:
    """compose's measures (current, previous, target) and current tables, keyed like the floor's."""
    found = {}
    for section in report["sections"]:
        tables = {}
        for table in section["tables"]:
            if table["key"] == "teams":
                tables["teams"] = {
                    (row["unit_id"], row["cells"][0]): row["cells"][1:] for row in table["rows"]
                }
            elif table["key"] in ("by_unit", "support_visits"):
                tables[table["key"]] = {row["unit_id"]: row["cells"][1:] for row in table["rows"]}
            else:  # rows by position; a row's label is left out where it names a choice (translated)
                first = 0 if table["key"] in FULL_ROWS else 1
                tables[table["key"]] = {
                    index: row["cells"][first:] for index, row in enumerate(table["rows"])
                } | {"total": (table.get("total") or [None])[1:]}
        found[section["key"]] = {
            "measures": {m["key"]: m["value"] for m in section["measures"]},
            "previous": {m["key"]: m["previous"] for m in section["measures"]},
            "targets": {m["key"]: m["target"] for m in section["measures"]},
            "tables": tables,
            "flags": sorted(
                (f["where"], f["message"], sorted(f["params"].items())) for f in section["flags"]
            ),
        }
    return found


def compare(report: dict, floor: dict) -> list[str]:
    problems = []
    composed = compose_figures(report)
    for key in ("dossiers", "teamwork", "conversions", "projects", "fund"):
        mine, theirs = floor["c"][key], composed[key]
        before = floor["p"][key]
        for measure_key, value in mine["measures"].items():
            if theirs["measures"].get(measure_key) != value:
                problems.append(
                    f"{key}.{measure_key}: compose {theirs['measures'].get(measure_key)}, floor {value}"
                )
            if theirs["previous"].get(measure_key) != before["measures"][measure_key]:
                problems.append(
                    f"{key}.{measure_key} (previous): compose {theirs['previous'].get(measure_key)}, "
                    f"floor {before['measures'][measure_key]}"
                )
        if set(theirs["measures"]) != set(mine["measures"]):
            problems.append(
                f"{key}: measures {sorted(theirs['measures'])} vs floor {sorted(mine['measures'])}"
            )
        for measure_key, target in mine["targets"].items():
            if theirs["targets"].get(measure_key) != target:
                problems.append(
                    f"{key}.{measure_key} target: "
                    f"compose {theirs['targets'].get(measure_key)}, floor {target}"
                )
        for table_key, rows in mine["tables"].items():
            if rows is None:
                if table_key in theirs["tables"]:
                    problems.append(f"{key}.{table_key}: compose has the table, the floor has none")
                continue
            other = theirs["tables"].get(table_key)
            if other != rows:
                other = other or {}
                differing = [k for k in set(rows) | set(other) if rows.get(k) != other.get(k)]
                problems.append(f"{key}.{table_key}: {len(differing)} of {len(rows)} rows differ")
                for k in sorted(differing, key=str)[:3]:
                    problems.append(f"    row {k!r}: compose {other.get(k)}, floor {rows.get(k)}")
        if mine.get("flags") is not None:
            flags = sorted(
                (where, message, sorted(params.items())) for where, message, params in mine["flags"]
            )
            if flags != theirs["flags"]:
                missing = [f for f in theirs["flags"] if f not in flags]
                extra = [f for f in flags if f not in theirs["flags"]]
                problems.append(
                    f"{key}.flags: compose {len(theirs['flags'])}, floor {len(flags)}; "
                    f"only compose's {missing[:3]}, only the floor's {extra[:3]}"
                )
    return problems


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    workdir = postgres = None
    if args.built:
        database_url = args.built
    elif args.database_url:
        postgres = ThrowawayPostgres(args.database_url)
        postgres.create()
        database_url = args.database_url
    else:
        workdir = tempfile.mkdtemp(prefix="report_build_")
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(database_url)
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep or args.built:
            print(f"Kept the database: {database_url}")
        elif postgres is not None:
            postgres.drop()
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args) -> int:
    from django.db import connection
    from django.utils import timezone

    from demo import synthetic
    from dossiers.models import Dossier, Inquiry, SupplementRequest
    from portal.models import AdminUnit
    from reports.building import compose
    from reports.periods import PeriodKind, ReviewPeriod
    from teamwork.models import Activity

    as_of = args.as_of or timezone.localdate()
    vendor = connection.vendor
    seed = "seed as built" if args.built else f"seed {args.seed}"
    print(f"# {vendor}, scale {args.scale}, {seed}, as of {as_of}, {os.cpu_count()} CPUs")

    generation = None
    if args.built:
        print("generate_data: built beforehand")
    else:
        generation = generate(args, as_of)
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    sizes = {
        "dossiers": Dossier.objects.count(),
        "supplement requests": SupplementRequest.objects.count(),
        "inquiries": Inquiry.objects.count(),
        "activities": Activity.objects.count(),
    }
    print("rows: " + ", ".join(f"{count:,} {name}" for name, count in sizes.items()))

    province = AdminUnit.objects.get(code=synthetic.PROVINCE_CODE, valid_until__isnull=True)
    quarter = ReviewPeriod.last_ended(PeriodKind.QUARTERLY, as_of)
    so_far = ReviewPeriod.containing(PeriodKind.QUARTERLY, as_of)
    so_far = ReviewPeriod(so_far.kind, so_far.first, min(so_far.last, as_of))
    floor = Floor()

    results = {}
    failed = False
    for label, period in (("report", quarter), ("dashboard", so_far)):
        previous = period.previous()
        print(
            f"{label}: {province.name}, {period.first}..{period.last} "
            f"against {previous.first}..{previous.last}"
        )
        problems = compare(compose(province, period), floor.figures(province, period, previous))
        if problems:
            failed = True
            print(f"!!! MISMATCH between compose and the floor ({label}):", file=sys.stderr)
            for problem in problems:
                print(f"!!!   {problem}", file=sys.stderr)
        queries = count_queries(lambda p=period: compose(province, p))
        floor_queries = count_queries(lambda p=period, q=previous: floor.fetch(province, p, q))
        # Interleave the two so that drift (caches, other load) hits both alike.
        compose_times, floor_times = [], []
        compose(province, period)
        floor.figures(province, period, previous)
        for _ in range(args.runs):
            started = time.perf_counter()
            compose(province, period)
            compose_times.append(1000 * (time.perf_counter() - started))
            started = time.perf_counter()
            floor.figures(province, period, previous)
            floor_times.append(1000 * (time.perf_counter() - started))
        results[label] = {
            "compose": statistics.median(compose_times),
            "floor": statistics.median(floor_times),
            "queries": queries,
            "floor_queries": floor_queries,
        }
        print(
            f"  compose: median {results[label]['compose']:.0f} ms ({queries} queries), "
            f"runs {', '.join(f'{t:.0f}' for t in compose_times)}"
        )
        print(
            f"  floor:   median {results[label]['floor']:.0f} ms ({floor_queries} statements), "
            f"runs {', '.join(f'{t:.0f}' for t in floor_times)}"
        )

    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        compose(province, quarter)
        profiler.disable()
        for order in ("cumulative", "tottime"):
            listing = io.StringIO()
            pstats.Stats(profiler, stream=listing).sort_stats(order).print_stats(25)
            print(listing.getvalue())

    report, dashboard = results["report"], results["dashboard"]
    generated = "built before" if generation is None else f"{generation:.0f} s"
    print()
    print(
        "| database | scale | generate_data | dossiers | activities | compose (quarter) | queries "
        "| floor | ratio | dashboard compose (quarter so far) | queries | its floor | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {vendor} | {args.scale} | {generated} | {sizes['dossiers']:,} | {sizes['activities']:,} "
        f"| {report['compose']:.0f} ms | {report['queries']} | {report['floor']:.0f} ms "
        f"| {report['compose'] / report['floor']:.1f}× "
        f"| {dashboard['compose']:.0f} ms | {dashboard['queries']} "
        f"| {dashboard['floor']:.0f} ms | {dashboard['compose'] / dashboard['floor']:.1f}× |"
    )
    if failed:
        print(
            "!!! The floor does not give compose's figures: the comparison above is not fair.",
            file=sys.stderr,
        )
        return 1
    print("The floor gives exactly compose's measures and tables (both periods).")
    return 0


def generate(args, as_of) -> float:
    """Migrates the throwaway database and fills it with generate_data; the seconds generate_data took."""
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    out = io.StringIO()
    call_command(
        "generate_data",
        "--scale",
        str(args.scale),
        "--seed",
        str(args.seed),
        "--as-of",
        str(as_of),
        stdout=out,
    )
    generation = time.perf_counter() - started
    print(f"generate_data: {generation:.1f} s ({out.getvalue().strip().splitlines()[-1]})")
    return generation


if __name__ == "__main__":
    sys.exit(main())
