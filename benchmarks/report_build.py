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
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# A team with no activity for more than this many days is flagged (portal/evenness.py).
SILENCE_DAYS = 60


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
    parser.add_argument("--profile", action="store_true", help="print a cProfile listing of one compose")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.runs < 5:
        parser.error("--runs must be at least 5")
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


# --- The floor: hand-written SQL -----------------------------------------------------------------

SUBTREE = """
WITH RECURSIVE edges(upper_id, lower_id) AS (
    SELECT parent_id, id FROM portal_adminunit WHERE parent_id IS NOT NULL
    UNION ALL
    SELECT to_adminunit_id, from_adminunit_id FROM portal_adminunit_successors
),
reached(id) AS (
    SELECT id FROM portal_adminunit WHERE id = %(root)s
    UNION
    SELECT edges.lower_id FROM edges JOIN reached ON edges.upper_id = reached.id
)
"""

UNITS_SQL = (
    SUBTREE
    + """
SELECT u.id, u.parent_id, u.level, u.name, u.valid_from, u.valid_until, s.to_adminunit_id
FROM portal_adminunit u JOIN reached ON reached.id = u.id
LEFT JOIN portal_adminunit_successors s ON s.from_adminunit_id = u.id
ORDER BY s.id
"""
)

# One statement, both periods (suffixes _c and _p): dossiers, supplement requests and inquiries (and on
# PostgreSQL reused documents and documents asked again) as branches of a UNION ALL, summed by unit and
# procedure.
DOSSIER_COLUMNS = (
    "received",
    "decided",
    "on_time",
    "rated",
    "rating_sum",
    "docs",
    "supplements",
    "answered",
    "answered_on_time",
)


def _dossier_sql(local_date, *, correlated_documents: bool) -> str:
    """The dossier statement. The documents asked are counted either by correlated subqueries in the
    dossier branch (faster on SQLite: one pass over the dossiers) or by two more branches of the union
    (on PostgreSQL the correlated form's estimated cost sets off JIT compilation: about 1 s at scale 10).
    Both forms run on both databases."""

    def within(column, period):
        return f"{column} >= %({period}_start)s AND {column} < %({period}_end)s"

    def within_both(column):
        return f"{column} >= %(lo_start)s AND {column} < %(hi_end)s"

    in_subtree = "d.unit_id IN (SELECT id FROM reached)"

    def dossier_branch():
        columns = {}
        for p in "cp":
            received = within("d.received_at", p)
            decided = within("d.decided_at", p) + " AND d.due_date IS NOT NULL"
            rated = within("d.result_returned_at", p) + " AND d.rating IS NOT NULL"
            on_time = (
                f"{decided} AND {local_date('d.decided_at')} <= COALESCE(d.original_due_date, d.due_date)"
            )
            columns[f"received_{p}"] = f"CASE WHEN {received} THEN 1 ELSE 0 END"
            columns[f"decided_{p}"] = f"CASE WHEN {decided} THEN 1 ELSE 0 END"
            columns[f"on_time_{p}"] = f"CASE WHEN {on_time} THEN 1 ELSE 0 END"
            columns[f"rated_{p}"] = f"CASE WHEN {rated} THEN 1 ELSE 0 END"
            columns[f"rating_sum_{p}"] = f"CASE WHEN {rated} THEN d.rating ELSE 0 END"
            # Documents asked: the mandatory documents of the version of a dossier received in the period,
            # less those reused from earlier dossiers, plus those asked again in supplement rounds.
            if correlated_documents:
                columns[f"docs_{p}"] = f"""CASE WHEN {received} THEN
                    (SELECT COUNT(*) FROM portal_requirement r
                     WHERE r.version_id = d.procedure_version_id AND r.is_mandatory)
                    - (SELECT COUNT(*) FROM portal_dossierdocument dd
                       WHERE dd.dossier_id = d.id AND dd.is_reused)
                    + (SELECT COUNT(*) FROM portal_supplementrequest s
                       JOIN portal_supplementrequest_missing m ON m.supplementrequest_id = s.id
                       WHERE s.dossier_id = d.id)
                    ELSE 0 END"""
            else:  # the reused and asked-again documents come in branches of their own
                columns[f"docs_{p}"] = f"CASE WHEN {received} THEN COALESCE(rq.n, 0) ELSE 0 END"
        where = " OR ".join(
            within_both(column) for column in ("d.received_at", "d.decided_at", "d.result_returned_at")
        )
        return columns, (
            "FROM portal_dossier d LEFT JOIN (SELECT version_id, COUNT(*) AS n FROM portal_requirement "
            "WHERE is_mandatory GROUP BY version_id) rq ON rq.version_id = d.procedure_version_id "
            f"WHERE {in_subtree} AND ({where})"
        )

    def reused_branch():
        columns = {f"docs_{p}": f"CASE WHEN {within('d.received_at', p)} THEN -1 ELSE 0 END" for p in "cp"}
        return columns, (
            "FROM portal_dossierdocument dd JOIN portal_dossier d ON d.id = dd.dossier_id "
            f"WHERE dd.is_reused AND {in_subtree} AND {within_both('d.received_at')}"
        )

    def asked_again_branch():
        columns = {f"docs_{p}": f"CASE WHEN {within('d.received_at', p)} THEN 1 ELSE 0 END" for p in "cp"}
        return columns, (
            "FROM portal_supplementrequest_missing m "
            "JOIN portal_supplementrequest s ON s.id = m.supplementrequest_id "
            "JOIN portal_dossier d ON d.id = s.dossier_id "
            f"WHERE {in_subtree} AND {within_both('d.received_at')}"
        )

    def supplement_branch():
        columns = {
            f"supplements_{p}": f"CASE WHEN {within('s.requested_at', p)} THEN 1 ELSE 0 END" for p in "cp"
        }
        return columns, (
            "FROM portal_supplementrequest s JOIN portal_dossier d ON d.id = s.dossier_id "
            f"WHERE {in_subtree} AND {within_both('s.requested_at')}"
        )

    def inquiry_branch():
        columns = {}
        for p in "cp":
            answered = within("i.replied_at", p)
            columns[f"answered_{p}"] = f"CASE WHEN {answered} THEN 1 ELSE 0 END"
            columns[f"answered_on_time_{p}"] = (
                f"CASE WHEN {answered} AND {local_date('i.replied_at')} <= i.reply_due THEN 1 ELSE 0 END"
            )
        return columns, (
            "FROM portal_inquiry i JOIN portal_dossier d ON d.id = i.dossier_id "
            f"WHERE {in_subtree} AND {within_both('i.replied_at')}"
        )

    names = dossier_column_names()
    branches = []
    parts = [dossier_branch(), supplement_branch(), inquiry_branch()]
    if not correlated_documents:
        parts += [reused_branch(), asked_again_branch()]
    for columns, source in parts:
        values = ", ".join(f"{columns.get(name, '0')} AS {name}" for name in names)
        branches.append(f"SELECT d.unit_id AS unit_id, d.procedure_id AS procedure_id, {values} {source}")
    sums = ", ".join(f"SUM({name})" for name in names)
    return (
        SUBTREE
        + f"SELECT unit_id, procedure_id, {sums} FROM ("
        + "\nUNION ALL\n".join(branches)
        + ") x GROUP BY unit_id, procedure_id"
    )


def dossier_column_names() -> list[str]:
    """The columns of the dossier statement after the unit and procedure: each count for _c and _p."""
    return [f"{name}_{p}" for name in DOSSIER_COLUMNS for p in "cp"]


def _tally_columns(alias: str) -> dict[str, str]:
    """Per-period counts of activities ``alias``: activities, people, outreach, visits, reviews."""
    columns = {}
    for p in "cp":
        held = f"{alias}.held_on BETWEEN %({p}_first)s AND %({p}_last)s"
        columns[f"activities_{p}"] = f"SUM(CASE WHEN {held} THEN 1 ELSE 0 END)"
        columns[f"people_{p}"] = f"SUM(CASE WHEN {held} THEN {alias}.people_reached ELSE 0 END)"
        columns[f"outreach_{p}"] = f"SUM(CASE WHEN {held} AND {alias}.kind = 'outreach' THEN 1 ELSE 0 END)"
        columns[f"visits_{p}"] = f"SUM(CASE WHEN {held} AND {alias}.kind = 'support_visit' THEN 1 ELSE 0 END)"
        columns[f"reviews_{p}"] = (
            f"SUM(CASE WHEN {held} AND {alias}.kind = 'review_meeting' "
            f"AND {alias}.review_kind IN ('interim', 'final') THEN 1 ELSE 0 END)"
        )
    return columns


TALLY_NAMES = ("activities", "outreach", "people", "visits", "reviews")


def _activity_sql() -> str:
    columns = ", ".join(f"{sql} AS {name}" for name, sql in _tally_columns("a").items())
    return (
        SUBTREE
        + f"""SELECT a.unit_id, {columns} FROM portal_activity a
        WHERE a.unit_id IN (SELECT id FROM reached) AND a.held_on BETWEEN %(lo_first)s AND %(hi_last)s
        GROUP BY a.unit_id"""
    )


def _team_sql() -> str:
    columns = ", ".join(f"{sql} AS {name}" for name, sql in _tally_columns("a").items())
    return (
        SUBTREE
        + f"""SELECT t.id, t.name, t.unit_id, t.active_from, t.active_until, {columns},
            MAX(CASE WHEN a.held_on <= %(c_last)s THEN a.held_on END) AS last_c,
            MAX(CASE WHEN a.held_on <= %(p_last)s THEN a.held_on END) AS last_p
        FROM portal_team t LEFT JOIN portal_activity a ON a.team_id = t.id AND a.held_on <= %(hi_last)s
        WHERE t.kind IN ('district_team', 'commune_team') AND t.unit_id IN (SELECT id FROM reached)
            AND (t.active_from IS NULL OR t.active_from <= %(hi_last)s)
            AND (t.active_until IS NULL OR t.active_until >= %(lo_first)s)
        GROUP BY t.id, t.name, t.unit_id, t.active_from, t.active_until"""
    )


def _visit_sql() -> str:
    per_period = []
    for p in "cp":
        held = f"a.held_on BETWEEN %({p}_first)s AND %({p}_last)s"
        per_period.append(
            f"SUM(CASE WHEN {held} THEN 1 ELSE 0 END), MAX(CASE WHEN {held} THEN a.held_on END)"
        )
    return (
        SUBTREE
        + f"""SELECT st.unit_id, {", ".join(per_period)}
        FROM portal_activity a JOIN portal_team st ON st.id = a.supported_team_id
        WHERE a.kind = 'support_visit' AND a.held_on BETWEEN %(lo_first)s AND %(hi_last)s
            AND st.unit_id IN (SELECT id FROM reached)
        GROUP BY st.unit_id"""
    )


TARGET_SQL = (
    SUBTREE
    + """SELECT unit_id, measure, year, value FROM portal_target
    WHERE unit_id IN (SELECT id FROM reached) AND year BETWEEN %(lo_year)s AND %(hi_year)s"""
)


def as_date(value) -> datetime.date | None:
    """SQLite returns computed dates as text; PostgreSQL as dates."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


class Floor:
    """The report's figures from six hand-written statements (both periods at once) and a little Python."""

    def __init__(self):
        from django.conf import settings
        from django.db import connection

        self.connection = connection
        if connection.vendor == "postgresql":
            zone = settings.TIME_ZONE.replace("'", "")

            def local_date(column):
                return f"CAST(({column} AT TIME ZONE '{zone}') AS DATE)"

        elif connection.vendor == "sqlite":
            # Asia/Ho_Chi_Minh has kept UTC+7 since 1975: a fixed offset is exact for the data.
            def local_date(column):
                return f"date({column}, %(tz_modifier)s)"

        else:
            raise SystemExit(f"No floor for {connection.vendor}.")
        self.statements = {
            "units": UNITS_SQL,
            "dossiers": _dossier_sql(local_date, correlated_documents=connection.vendor == "sqlite"),
            "activities": _activity_sql(),
            "teams": _team_sql(),
            "visits": _visit_sql(),
            "targets": TARGET_SQL,
        }

    def params(self, unit, current, previous) -> dict:
        from django.utils import timezone

        ops = self.connection.ops

        def midnight(day):
            aware = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
            return ops.adapt_datetimefield_value(aware)

        offset = timezone.get_current_timezone().utcoffset(datetime.datetime(current.last.year, 1, 1))  # noqa: DTZ001
        params = {"root": unit.pk, "tz_modifier": f"+{int(offset.total_seconds() // 3600)} hours"}
        for p, period in (("c", current), ("p", previous)):
            params[f"{p}_start"] = midnight(period.first)
            params[f"{p}_end"] = midnight(period.last + datetime.timedelta(days=1))
            params[f"{p}_first"] = ops.adapt_datefield_value(period.first)
            params[f"{p}_last"] = ops.adapt_datefield_value(period.last)
        lo, hi = min(current.first, previous.first), max(current.last, previous.last)
        params["lo_start"] = midnight(lo)
        params["hi_end"] = midnight(hi + datetime.timedelta(days=1))
        params["lo_first"], params["hi_last"] = ops.adapt_datefield_value(lo), ops.adapt_datefield_value(hi)
        params["lo_year"], params["hi_year"] = lo.year, hi.year
        return params

    def fetch(self, unit, current, previous) -> dict[str, list[tuple]]:
        params = self.params(unit, current, previous)
        rows = {}
        with self.connection.cursor() as cursor:
            for name, sql in self.statements.items():
                cursor.execute(sql, {key: value for key, value in params.items() if f"%({key})s" in sql})
                rows[name] = cursor.fetchall()
        return rows

    def figures(self, unit, current, previous) -> dict:
        """The measures of both periods, and the current period's tables, as compose would give them."""
        rows = self.fetch(unit, current, previous)
        units = {}
        for row in rows["units"]:
            found = units.setdefault(
                row[0],
                {
                    "parent_id": row[1],
                    "level": row[2],
                    "name": row[3],
                    "valid_from": as_date(row[4]),
                    "valid_until": as_date(row[5]),
                    "successors": [],
                },
            )
            if row[6] is not None:
                found["successors"].append(row[6])
        targets = defaultdict(dict)
        for unit_id, measure_key, year, value in rows["targets"]:
            targets[unit_id, measure_key][year] = int(value)
        return {
            p: {
                "dossiers": dossier_figures(unit, period, units, rows["dossiers"], targets, p),
                "teamwork": teamwork_figures(unit, period, units, rows, targets, p),
            }
            for p, period in (("c", current), ("p", previous))
        }


# --- The floor's arithmetic ----------------------------------------------------------------------


def percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def mean(total, count):
    return round(total / count, 1) if count else None


def overlaps(first, last, start, end) -> bool:
    return (start is None or start <= last) and (end is None or end >= first)


def pro_rate(annual: dict[int, int], first: datetime.date, last: datetime.date) -> Fraction | None:
    total = Fraction(0)
    for year in range(first.year, last.year + 1):
        if year not in annual:
            return None
        start, end = max(first, datetime.date(year, 1, 1)), min(last, datetime.date(year, 12, 31))
        days_in_year = (datetime.date(year, 12, 31) - datetime.date(year, 1, 1)).days + 1
        total += Fraction(annual[year] * ((end - start).days + 1), days_in_year)
    return total


def rounded(target: Fraction | None) -> float | None:
    if target is None:
        return None
    exact = Decimal(target.numerator) / Decimal(target.denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def drill_down(unit, units: dict, period, *, follow_successors: bool):
    """The rows (units valid in the period under the unit and its same-level predecessors) and a lookup.

    As in ``portal/drilldown.py``: a unit not valid in the period leads nowhere, or, for the dossiers
    section (which passes the successor links), to its successor.
    """
    valid = {
        pk: other
        for pk, other in units.items()
        if overlaps(period.first, period.last, other["valid_from"], other["valid_until"])
    }
    tops = {unit.pk} | {pk for pk, other in valid.items() if other["level"] == unit.level}
    rows = {pk: other for pk, other in valid.items() if other["parent_id"] in tops and pk not in tops}

    def row_of(unit_id):
        seen = set()
        while unit_id is not None and unit_id not in rows and unit_id not in seen:
            seen.add(unit_id)
            if unit_id in valid:
                unit_id = valid[unit_id]["parent_id"]
            elif follow_successors and unit_id in units:
                unit_id = next(iter(units[unit_id]["successors"]), None)
            else:
                unit_id = None
        return unit_id if unit_id in rows else None

    return valid, rows, row_of


def dossier_figures(unit, period, units, dossier_rows, targets, p) -> dict:
    index = {name: position for position, name in enumerate(dossier_column_names(), start=2)}
    names = DOSSIER_COLUMNS

    def empty():
        return dict.fromkeys(names, 0)

    _valid, rows, row_of = drill_down(unit, units, period, follow_successors=True)
    total, by_row = empty(), {pk: empty() for pk in rows}
    for row in dossier_rows:
        counts = {name: int(row[index[f"{name}_{p}"]] or 0) for name in names}  # PostgreSQL: SUM is numeric
        row_id = row_of(row[0])
        for name, value in counts.items():
            total[name] += value
            if row_id is not None:
                by_row[row_id][name] += value

    def cells(c):
        return [
            c["received"],
            c["decided"],
            c["on_time"],
            c["decided"] - c["on_time"],
            percent(c["on_time"], c["decided"]),
            c["supplements"],
            mean(c["docs"], c["received"]),
            c["answered"],
            percent(c["answered_on_time"], c["answered"]),
            mean(c["rating_sum"], c["rated"]),
        ]

    target = pro_rate(targets.get((unit.pk, "dossiers_received"), {}), period.first, period.last)
    measures = dict(
        zip(
            (
                "received",
                "decided",
                "on_time",
                "late",
                "on_time_percent",
                "supplements",
                "documents_asked",
                "inquiries_answered",
                "inquiries_on_time_percent",
                "mean_rating",
            ),
            cells(total),
            strict=True,
        )
    )
    measures["ratings"] = total["rated"]
    return {
        "measures": measures,
        "targets": {"received": rounded(target)},
        "tables": {"by_unit": {pk: cells(c) for pk, c in by_row.items()} if rows else None},
    }


def teamwork_figures(unit, period, units, rows, targets, p) -> dict:
    valid, drill_rows, row_of = drill_down(unit, units, period, follow_successors=False)

    def tally(row, offset):
        # Columns from _tally_columns: for each name, then _c, _p, in the order activities, people,
        # outreach, visits, reviews.
        columns = list(_tally_columns("a"))
        return {
            name: int(row[offset + columns.index(f"{name}_{p}")] or 0)
            for name in ("activities", "people", "outreach", "visits", "reviews")
        }

    def cells(t):
        return [t["activities"], t["outreach"], t["people"], t["visits"], t["reviews"]]

    total = dict.fromkeys(("activities", "people", "outreach", "visits", "reviews"), 0)
    by_row = {pk: {**dict.fromkeys(total, 0), "teams": 0, "silent": 0} for pk in drill_rows}
    for row in rows["activities"]:
        t = tally(row, 1)
        row_id = row_of(row[0])
        for name, value in t.items():
            total[name] += value
            if row_id is not None:
                by_row[row_id][name] += value

    achieved = {
        "outreach_events": "outreach",
        "people_reached": "people",
        "support_visits": "visits",
        "reviews_held": "reviews",
    }
    teams = {}
    for row in rows["teams"]:
        _team_id, name, unit_id, active_from, active_until = row[:5]
        active_from, active_until = as_date(active_from), as_date(active_until)
        if unit_id not in valid or not overlaps(period.first, period.last, active_from, active_until):
            continue
        t = tally(row, 5)
        last_on = as_date(row[-2] if p == "c" else row[-1])
        own_first = max(period.first, active_from) if active_from else period.first
        own_last = min(period.last, active_until) if active_until else period.last
        flags = 0
        flags += t["activities"] == 0
        # Never active, or silent for too long.
        flags += last_on is None or max((own_last - last_on).days, 0) > SILENCE_DAYS
        for measure_key, tally_name in achieved.items():
            exact = pro_rate(targets.get((unit_id, measure_key), {}), own_first, own_last)
            flags += exact is not None and 2 * t[tally_name] < exact
        teams[unit_id, name] = [*cells(t), last_on.isoformat() if last_on else None, flags]
        row_id = row_of(unit_id)
        if row_id is not None:
            by_row[row_id]["teams"] += 1
            by_row[row_id]["silent"] += t["activities"] == 0

    visits = {}
    for row in rows["visits"]:
        count, last_on = (row[1], row[2]) if p == "c" else (row[3], row[4])
        if count:
            visits[row[0]] = [int(count), as_date(last_on).isoformat()]
    communes = {pk: visits.get(pk, [0, None]) for pk, other in valid.items() if other["level"] == "commune"}

    measures = {"activities": total["activities"]}
    measure_targets = {}
    for measure_key, tally_name in achieved.items():
        measures[measure_key] = total[tally_name]
        measure_targets[measure_key] = rounded(
            pro_rate(targets.get((unit.pk, measure_key), {}), period.first, period.last)
        )
    measures["teams"] = len(teams)
    measures["silent_teams"] = sum(1 for cells_ in teams.values() if cells_[0] == 0)
    measures["flagged_teams"] = sum(1 for cells_ in teams.values() if cells_[-1])
    tables = {
        "by_unit": {pk: [*cells(c), c["teams"], c["silent"]] for pk, c in by_row.items()}
        if drill_rows
        else None,
        "teams": teams,
        "support_visits": communes if communes and unit.level != "commune" else None,
    }
    return {"measures": measures, "targets": measure_targets, "tables": tables}


# --- Checking the floor against compose ----------------------------------------------------------


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
        found[section["key"]] = {
            "measures": {m["key"]: m["value"] for m in section["measures"]},
            "previous": {m["key"]: m["previous"] for m in section["measures"]},
            "targets": {m["key"]: m["target"] for m in section["measures"]},
            "tables": tables,
        }
    return found


def compare(report: dict, floor: dict) -> list[str]:
    problems = []
    composed = compose_figures(report)
    for key in ("dossiers", "teamwork"):
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
    return problems


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    args = parse_args()
    workdir = postgres = None
    if args.database_url:
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
        if args.keep:
            print(f"Kept the database: {database_url}")
        elif postgres is not None:
            postgres.drop()
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args) -> int:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from dossiers.models import Dossier, Inquiry, SupplementRequest
    from portal.demo import synthetic
    from portal.models import AdminUnit
    from reports.building import compose
    from reports.periods import PeriodKind, ReviewPeriod
    from teamwork.models import Activity

    as_of = args.as_of or timezone.localdate()
    vendor = connection.vendor
    print(f"# {vendor}, scale {args.scale}, seed {args.seed}, as of {as_of}, {os.cpu_count()} CPUs")

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
    print()
    print(
        "| database | scale | generate_data | dossiers | activities | compose (quarter) | queries "
        "| floor | ratio | dashboard compose (quarter so far) | queries | its floor | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    print(
        f"| {vendor} | {args.scale} | {generation:.0f} s | {sizes['dossiers']:,} | {sizes['activities']:,} "
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


if __name__ == "__main__":
    sys.exit(main())
