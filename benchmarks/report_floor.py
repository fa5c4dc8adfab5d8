"""The floor of benchmarks/report_build.py: the review report's figures from six hand-written SQL
statements (report_floor_sql.py, both periods at once), rolled up to the drill-down rows in plain
Python, as compose would give them.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import report_floor_conversions
import report_floor_fund
import report_floor_projects
from report_floor_sql import (
    DOSSIER_COLUMNS,
    TARGET_SQL,
    UNITS_SQL,
    activity_sql,
    dossier_column_names,
    dossier_sql,
    tally_columns,
    team_sql,
    visit_sql,
)

# A team with no activity for more than this many days is flagged (teamwork/evenness.py).
SILENCE_DAYS = 60


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
            "dossiers": dossier_sql(local_date, correlated_documents=connection.vendor == "sqlite"),
            "activities": activity_sql(),
            "teams": team_sql(),
            "visits": visit_sql(),
            "targets": TARGET_SQL,
            **report_floor_conversions.statements(),
            **report_floor_projects.statements(),
            **report_floor_fund.statements(),
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
        from portal.models.people import today

        params |= report_floor_conversions.params(ops, current, previous, today())
        params |= report_floor_projects.params(ops, current, previous)
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
                "conversions": report_floor_conversions.conversion_figures(
                    unit, period, units, rows, drill_down, targets, p, pro_rate, rounded, percent
                ),
                "projects": report_floor_projects.project_figures(
                    unit, period, units, rows, drill_down, targets, p, pro_rate, rounded, percent, mean
                ),
                "fund": report_floor_fund.fund_figures(
                    unit, period, units, rows, drill_down, targets, p, pro_rate, rounded, percent
                ),
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
        # Columns from tally_columns: for each name, then _c, _p, in the order activities, people,
        # outreach, visits, reviews.
        columns = list(tally_columns("a"))
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
    late_visits = {row[0]: (int(row[1] or 0), int(row[2] or 0)) for row in rows["team_late_visits"]}
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
        # Follow-up visits of converted enterprises more than 30 days late (conversions/team_flags.py).
        flags += bool(late_visits.get(_team_id, (0, 0))[0 if p == "c" else 1])
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
