"""Benchmark: the preview of a commune's list of household businesses (issue 11).

    PORTAL_ENV=test .venv/bin/python benchmarks/import_preview.py --scale 1
    PORTAL_ENV=test .venv/bin/python benchmarks/import_preview.py --scale 1 \\
        --database-url postgres://postgres@127.0.0.1:5432/portal_bench_imports

It builds a throwaway database the way benchmarks/report_build.py does (an SQLite file in a temporary
directory, or the PostgreSQL database named in ``--database-url``, created and dropped here), migrates
it and runs ``generate_data --scale N``. Then, for a current commune of the synthetic province and an
officer of its team, it writes .xlsx lists of ``--rows`` rows (5,000 and 20,000 by default): nine rows
in ten new businesses, one in ten the commune's own records unchanged (where it has that many), and one
in a hundred with a mistake (a CCCD of 11 digits), and times:

- ``read``: ``conversions.spreadsheets.read_rows`` on the file;
- ``check``: ``conversions.services.import_rows.build_preview`` on the rows read (every lookup, every rule);
- ``start_import``: the whole upload as the page and the API make it (read, check, keep the file); a
  list longer than ``PREVIEW_IN_REQUEST`` rows is only read there and then previewed by the task,
  timed as ``task``;
- ``confirm``: ``confirm_import`` of the 5,000-row list and the task that writes it
  (``write_confirmed_import``): the new rows one by one through the registry's services, audited.

Each figure is the median of ``--runs`` runs (the registry is left as it was between runs: confirm runs
once, last). It prints a Markdown table.
"""

import argparse
import datetime
import io
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_build import ThrowawayPostgres, count_queries, setup_django  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", type=int, default=1, help="generate_data --scale (1)")
    parser.add_argument("--seed", type=int, default=2016, help="generate_data --seed (2016)")
    parser.add_argument("--rows", type=int, nargs="+", default=[5_000, 20_000], help="rows of each list")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each figure (3)")
    parser.add_argument(
        "--database-url", default=None, help="a throwaway PostgreSQL database (SQLite if omitted)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    workdir = postgres = None
    if args.database_url:
        postgres = ThrowawayPostgres(args.database_url)
        postgres.create()
        database_url = args.database_url
    else:
        workdir = tempfile.mkdtemp(prefix="import_preview_")
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    os.environ.setdefault("PORTAL_MEDIA_ROOT", tempfile.mkdtemp(prefix="import_preview_media_"))
    try:
        setup_django(database_url)
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if args.keep:
            print(f"Kept the database: {database_url}")
        elif postgres is not None:
            postgres.drop()
        else:
            shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(os.environ["PORTAL_MEDIA_ROOT"], ignore_errors=True)


def median_seconds(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def officer_and_commune():
    """An officer of a current commune team of the synthetic province, and the commune with most records."""
    from django.db.models import Count

    from conversions.models import HouseholdBusiness
    from portal.models import AdminUnit, Membership, Team, User

    communes = (
        AdminUnit.objects.current()
        .filter(level=AdminUnit.Level.COMMUNE, teams__kind=Team.Kind.COMMUNE_TEAM)
        .annotate(records=Count("household_businesses", distinct=True))
        .order_by("-records", "pk")
    )
    for commune in communes[:20]:
        membership = (
            Membership.objects.filter(
                team__unit=commune, team__kind=Team.Kind.COMMUNE_TEAM, left_on__isnull=True
            )
            .select_related("user")
            .first()
        )
        if membership is not None:
            user = User.objects.get(pk=membership.user_id)
            records = list(HouseholdBusiness.objects.filter(unit=commune).select_related("owner", "unit"))
            return user, commune, records
    sys.exit("No current commune with a commune team: did generate_data run?")


def workbook(rows: int, commune, records, as_of: datetime.date, serial: int) -> bytes:
    from openpyxl import Workbook

    from conversions.services.import_texts import REVENUE_BAND_TEXTS, TAX_MODE_TEXTS
    from conversions.spreadsheets import COLUMNS

    randomness = random.Random(serial)
    first = max(commune.valid_from or datetime.date(2016, 1, 1), datetime.date(2016, 1, 1))
    span = (as_of - first).days - 1
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([column.heading for column in COLUMNS])
    bands = {value: texts[0] for value, texts in REVENUE_BAND_TEXTS.items()}
    modes = {value: texts[0] for value, texts in TAX_MODE_TEXTS.items()}
    existing = records[: rows // 10]
    for record in existing:
        sheet.append(
            [
                record.name,
                record.owner.full_name,
                record.owner.national_id,
                record.owner.phone,
                record.registration_number,
                record.registered_on,
                record.address,
                commune.name,
                record.sector,
                record.workers,
                bands.get(record.revenue_band, ""),
                modes[record.tax_mode] if record.tax_mode == "declared" else "",
            ]
        )
    for index in range(rows - len(existing)):
        national_id = f"{serial:02d}{index:010d}" if index % 100 else f"{serial:02d}{index:09d}"
        sheet.append(
            [
                f"Hộ kinh doanh thử {serial}-{index}",
                f"Nguyễn Văn Thử {index}",
                national_id,
                f"09{index:08d}",
                f"BENCH{serial:02d}{index:07d}",
                first + datetime.timedelta(days=randomness.randint(0, span)),
                f"{index} ấp Thử Nghiệm",
                commune.name,
                randomness.choice("ACGIS"),
                randomness.randint(1, 9),
                randomness.choice(list(bands.values())),
                modes["declared"],
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(args) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from conversions.models import HouseholdBusiness, HouseholdBusinessImport
    from conversions.services import import_rows, imports
    from conversions.spreadsheets import read_rows
    from portal.audit import audit_context

    as_of = timezone.localdate()
    print(
        f"# {connection.vendor}, scale {args.scale}, seed {args.seed}, as of {as_of}, {os.cpu_count()} CPUs"
    )
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    out = io.StringIO()
    call_command("generate_data", "--scale", str(args.scale), "--seed", str(args.seed), stdout=out)
    print(f"migrate and generate_data: {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    # No broker here: the tasks the services queue are run in-process below, and timed.
    imports.preview_import.delay = lambda import_id: None
    imports.write_import.delay = lambda import_id: None
    user, commune, records = officer_and_commune()
    print(
        f"registry: {HouseholdBusiness.objects.count():,} household businesses; importing into "
        f"{commune.name} ({len(records):,} of them) as {user.get_full_name()}"
    )
    print()
    print("| rows | file | read | check | start_import | task | queries (check) | actions | confirm |")
    print("|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for serial, rows in enumerate(args.rows, start=1):
        content = workbook(rows, commune, records, as_of, serial)

        def upload(content=content):
            return SimpleUploadedFile("danh-sach.xlsx", content)

        read_time, sheet_rows = median_seconds(lambda upload=upload: read_rows(upload()), args.runs)

        def check(sheet_rows=sheet_rows):
            return import_rows.build_preview(unit=commune, by=user, on_duplicate="skip", rows=sheet_rows)

        check_time, preview = median_seconds(check, args.runs)
        # Django logs the last 9,000 queries only: a longer list's count would be cut.
        queries = f"{count_queries(check):,}" if rows < 8_000 else "—"
        start_time, started_import = median_seconds(
            lambda upload=upload: imports.start_import(
                by=user, unit=commune, upload=upload(), on_duplicate="skip"
            ),
            args.runs,
        )
        task = "—"
        if started_import.status == HouseholdBusinessImport.Status.READING:
            begun = time.perf_counter()
            imports.preview_stored_import(import_id=started_import.pk)
            task = f"{time.perf_counter() - begun:.2f} s"
            started_import.refresh_from_db()
        confirm = "—"
        if rows <= imports.PREVIEW_IN_REQUEST:
            begun = time.perf_counter()
            with audit_context(actor=user, channel="command"):
                done = imports.confirm_import(upload=started_import, by=user)
            if imports.is_writing(done):
                imports.write_confirmed_import(import_id=done.pk)
                done.refresh_from_db()
            confirm = f"{time.perf_counter() - begun:.1f} s ({done.rows_added:,} added)"
        counts = ", ".join(f"{count:,} {action}" for action, count in preview["counts"].items())
        print(
            f"| {rows:,} | {len(content) / 1e6:.1f} MB | {read_time:.2f} s | {check_time:.2f} s | "
            f"{start_time:.2f} s | {task} | {queries} | {counts} | {confirm} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
