"""The floor of the projects' section (projects/report_sections.py, projects/report_figures.py and
projects/escape.py): five hand-written statements, both periods at once, and plain Python.

Parameters as in report_floor.py (``root``, ``c_first``/``c_last``, ``p_first``/``p_last``,
``hi_last``) plus ``c_window``/``p_window`` (the first day of the six months up to the period's last
day, in which an open project should have had some support) and ``c_year`` (the current period's
year, for the lists of poor households). Flags come back as (where, message, params), in no order.
"""

import datetime
import math
from collections import Counter

from dateutil.relativedelta import relativedelta
from report_floor_sql import SUBTREE

# The rule of projects/models/projects.py (unsupported_on).
UNSUPPORTED_MONTHS = 6
# The share of the supported projects whose part of the support "spread thin" measures (per cent).
TOP_PERCENT = 10
STARTUP_KINDS = {"startup", "innovative"}
# In the order of the models' choices (the section's tables list every one).
KINDS = ("startup", "innovative", "household_business", "cooperative", "idea", "poverty_escape")
STAGES = ("idea", "plan", "started", "operating", "growing", "stopped")
SUPPORT_KINDS = ("training", "mentoring", "advice", "trade_promotion", "premises", "capital", "technology")

COUNT_NAMES = (
    "registered",
    "startups_started",
    "jobs_created",
    "jobs_women",
    "jobs_young",
    "open_projects",
    "unsupported",
    "without_plan",
    "models_confirmed",
    "replications",
    "supports",
    "hours",
    "value",
    "plans_approved",
    "plans_under_way",
    "plans_behind",
    "late_milestones",
    "escaped",
    "escaped_new",
)


def _between(column: str, p: str) -> str:
    return f"{column} BETWEEN %({p}_first)s AND %({p}_last)s"


def _stage_at(p: str) -> str:
    return f"""(SELECT s.stage FROM projects_projectstep s WHERE s.project_id = pr.id
        AND s.taken_on <= %({p}_last)s ORDER BY s.taken_on DESC, s.recorded_at DESC, s.id DESC LIMIT 1)"""


def _late(p: str) -> str:
    return f"""(SELECT COUNT(*) FROM projects_milestone m WHERE m.plan_id = pl.id AND m.state <> 'done'
        AND (m.due_on < %({p}_last)s OR m.state = 'late'))"""


def statements() -> dict[str, str]:
    groups, sums = [], []
    for p in "cp":
        groups += [
            f"{_stage_at(p)} AS stage_{p}",
            f"""CASE WHEN EXISTS (SELECT 1 FROM projects_projectstep s WHERE s.project_id = pr.id
                AND s.stage = 'started' AND NOT s.is_correction AND {_between("s.taken_on", p)})
                THEN 1 ELSE 0 END AS started_{p}""",
            f"""CASE WHEN pr.registered_on < %({p}_window)s AND NOT EXISTS (SELECT 1 FROM projects_support su
                WHERE su.project_id = pr.id AND su.given_on BETWEEN %({p}_window)s AND %({p}_last)s)
                THEN 1 ELSE 0 END AS unsupported_{p}""",
            f"""CASE WHEN EXISTS (SELECT 1 FROM projects_povertyplan pl WHERE pl.project_id = pr.id
                AND pl.status = 'approved' AND pl.approved_on <= %({p}_last)s)
                THEN 1 ELSE 0 END AS planned_{p}""",
        ]
        registered = _between("pr.registered_on", p)
        sums += [
            f"SUM(CASE WHEN {registered} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {registered} THEN pr.jobs_created ELSE 0 END)",
            f"SUM(CASE WHEN {registered} THEN pr.jobs_women ELSE 0 END)",
            f"SUM(CASE WHEN {registered} THEN pr.jobs_young ELSE 0 END)",
            f"SUM(CASE WHEN {_between('pr.replicates_since', p)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN sm.status = 'confirmed' AND {_between('sm.decided_on', p)} THEN 1 ELSE 0 END)",
        ]
    support_sums = []
    for p in "cp":
        given = _between("su.given_on", p)
        support_sums += [
            f"SUM(CASE WHEN {given} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {given} THEN su.hours ELSE 0 END)",
            f"SUM(CASE WHEN {given} THEN su.value ELSE 0 END)",
        ]
    in_subtree = "pr.unit_id IN (SELECT id FROM reached)"
    return {
        "project_projects": SUBTREE
        + f"""SELECT pr.unit_id, pr.kind, {", ".join(groups)}, COUNT(*), {", ".join(sums)}
        FROM projects_project pr LEFT JOIN projects_successmodel sm ON sm.project_id = pr.id
        WHERE {in_subtree} AND pr.registered_on <= %(hi_last)s
        GROUP BY pr.unit_id, pr.kind, stage_c, started_c, unsupported_c, planned_c,
            stage_p, started_p, unsupported_p, planned_p""",
        "project_supports": SUBTREE
        + f"""SELECT su.project_id, pr.unit_id, su.kind, {", ".join(support_sums)}
        FROM projects_support su JOIN projects_project pr ON pr.id = su.project_id
        WHERE {in_subtree} AND ({_between("su.given_on", "c")} OR {_between("su.given_on", "p")})
        GROUP BY su.project_id, pr.unit_id, su.kind""",
        "project_plans": SUBTREE
        + f"""SELECT pl.id, pr.unit_id, pl.approved_on, {_late("c")}, {_late("p")},
            r.reviewed_on, r.year, r.result
        FROM projects_povertyplan pl JOIN projects_project pr ON pr.id = pl.project_id
        LEFT JOIN projects_yearlyreview r ON r.plan_id = pl.id
        WHERE {in_subtree} AND pl.status = 'approved' AND pl.approved_on <= %(hi_last)s
        ORDER BY pl.id, r.year""",
        "project_listings": SUBTREE
        + """SELECT h.unit_id, h.year, COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM projects_povertyplan pl
            JOIN projects_householdlisting o ON o.id = pl.household_id WHERE o.head_id = h.head_id)
            THEN 1 ELSE 0 END)
        FROM projects_householdlisting h
        WHERE h.unit_id IN (SELECT id FROM reached) AND h.year <= %(c_year)s AND h.category = 'poor'
        GROUP BY h.unit_id, h.year ORDER BY h.unit_id, h.year""",
        "project_models": SUBTREE
        + f"""SELECT sm.title, pr.unit_id, sm.decided_on, (SELECT COUNT(*) FROM projects_project r
            WHERE r.replicates_id = sm.id AND r.replicates_since <= %(c_last)s)
        FROM projects_successmodel sm JOIN projects_project pr ON pr.id = sm.project_id
        WHERE {in_subtree} AND sm.status = 'confirmed' AND sm.decided_on <= %(c_last)s
        ORDER BY sm.decided_on, sm.id""",
    }


def params(ops, current, previous) -> dict:
    found = {"c_year": current.last.year}
    for p, period in (("c", current), ("p", previous)):
        window = period.last - relativedelta(months=UNSUPPORTED_MONTHS) + datetime.timedelta(days=1)
        found[f"{p}_window"] = ops.adapt_datefield_value(window)
    return found


# --- The arithmetic --------------------------------------------------------------------------------


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _counts() -> dict:
    found = dict.fromkeys(COUNT_NAMES, 0)
    found["per_project"] = Counter()
    return found


def _add(target: dict, other: dict) -> None:
    for name in COUNT_NAMES:
        target[name] += other[name]
    target["per_project"].update(other["per_project"])


def top_share(per_project: Counter, percent) -> float | None:
    ranked = sorted((count for count in per_project.values() if count), reverse=True)
    if not ranked:
        return None
    top = math.ceil(len(ranked) * TOP_PERCENT / 100)
    return percent(sum(ranked[:top]), sum(ranked))


def _plans(rows) -> list[tuple]:
    """(unit id, approved on, late (current, previous), reviews [(reviewed on, result)] by year)."""
    cases: dict[int, tuple] = {}
    for plan_id, unit_id, approved_on, late_c, late_p, reviewed_on, year, result in rows:
        case = cases.setdefault(plan_id, (unit_id, _date(approved_on), (int(late_c), int(late_p)), []))
        if year is not None:
            case[3].append((_date(reviewed_on), result))
    return list(cases.values())


def _result_on(reviews, day):
    found = None
    for reviewed_on, result in reviews:
        if reviewed_on <= day:
            found = result
    return found


def _cohort(cases, day) -> list[int]:
    """[approved, escaped, fell back] of the plans approved by ``day``."""
    tally = [0, 0, 0]
    for _unit_id, approved_on, _late, reviews in cases:
        if approved_on <= day:
            result = _result_on(reviews, day)
            tally[0] += 1
            tally[1] += result == "escaped"
            tally[2] += result == "fell_back"
    return tally


def _in_units(unit_id, valid: dict, units: dict):
    """The unit valid in the period the project's unit is, or succeeded to (the first successor)."""
    seen = set()
    while unit_id is not None and unit_id not in valid and unit_id not in seen:
        seen.add(unit_id)
        unit_id = min(units[unit_id]["successors"], default=None) if unit_id in units else None
    return unit_id if unit_id in valid else None


def project_figures(
    unit, period, units, rows, drill_down, targets, p, pro_rate, rounded, percent, mean
) -> dict:
    """The section's measures, tables and flags for the period ``p`` ("c" or "p")."""
    valid, drill_rows, row_of = drill_down(unit, units, period, follow_successors=True)
    offset = 0 if p == "c" else 1
    by_unit: dict[int, dict] = {}
    kinds, stages, support_kinds = Counter(), Counter(), {}

    def tally(unit_id) -> dict:
        return by_unit.setdefault(unit_id, _counts())

    for row in rows["project_projects"]:
        unit_id, kind = row[0], row[1]
        stage, started, unsupported, planned = row[2 + 4 * offset : 6 + 4 * offset]
        projects = row[10]
        registered, jobs, women, young, replications, confirmed = (
            int(value or 0) for value in row[11 + 6 * offset : 17 + 6 * offset]
        )
        t = tally(unit_id)
        t["registered"] += registered
        t["jobs_created"] += jobs
        t["jobs_women"] += women
        t["jobs_young"] += young
        t["replications"] += replications
        t["models_confirmed"] += confirmed
        kinds[kind] += registered
        if started and kind in STARTUP_KINDS:
            t["startups_started"] += projects
        if stage is None:
            continue
        stages[stage] += projects
        if stage == "stopped":
            continue
        t["open_projects"] += projects
        t["unsupported"] += projects if unsupported else 0
        t["without_plan"] += projects if kind == "poverty_escape" and not planned else 0
    for row in rows["project_supports"]:
        project_id, unit_id, kind = row[:3]
        supports, hours, value = row[3 + 3 * offset : 6 + 3 * offset]
        if not supports:
            continue
        t = tally(unit_id)
        t["supports"] += int(supports)
        t["hours"] += float(hours or 0)
        t["value"] += int(value or 0)
        t["per_project"][project_id] += int(supports)
        by_kind = support_kinds.setdefault(kind, [0, 0.0, 0])
        by_kind[0] += int(supports)
        by_kind[1] += float(hours or 0)
        by_kind[2] += int(value or 0)
    cases = _plans(rows["project_plans"])
    for unit_id, approved_on, late, reviews in cases:
        if approved_on > period.last:
            continue
        t = tally(unit_id)
        t["plans_approved"] += period.first <= approved_on
        if _result_on(reviews, period.last) == "escaped":
            t["escaped"] += 1
            t["escaped_new"] += _result_on(reviews, period.first - datetime.timedelta(days=1)) != "escaped"
        else:
            t["plans_under_way"] += 1
            t["plans_behind"] += late[offset] > 0
            t["late_milestones"] += late[offset]

    total, by_row = _counts(), {pk: _counts() for pk in drill_rows}
    for unit_id, t in by_unit.items():
        _add(total, t)
        row_id = row_of(unit_id)
        if row_id is not None:
            _add(by_row[row_id], t)
    escape = _cohort(cases, period.last)

    def share(cohort):
        return percent(cohort[1], cohort[0])

    def hours(value):
        return round(value + 1e-9, 1) if value else 0.0

    measures = {
        "projects_registered": total["registered"],
        "startups_started": total["startups_started"],
        "jobs_created": total["jobs_created"],
        "jobs_women": total["jobs_women"],
        "jobs_young": total["jobs_young"],
        "supports": total["supports"],
        "support_hours": hours(total["hours"]),
        "support_value": total["value"],
        "projects_supported": len(total["per_project"]),
        "supports_per_project": mean(total["supports"], len(total["per_project"])),
        "top_share": top_share(total["per_project"], percent),
        "projects_unsupported": total["unsupported"],
        "plans_approved": total["plans_approved"],
        "plans_on_track": total["plans_under_way"] - total["plans_behind"],
        "plans_behind": total["plans_behind"],
        "households_escaped": total["escaped_new"],
        "plans_escaped": total["escaped"],
        "escape_share": share(escape),
        "models_confirmed": total["models_confirmed"],
        "replications": total["replications"],
    }
    measure_targets = {
        key: rounded(pro_rate(targets.get((unit.pk, key), {}), period.first, period.last))
        for key in ("projects_registered", "startups_started", "jobs_created", "households_escaped")
    }

    def unit_cells(c, row_cases):
        return [
            c["registered"],
            c["startups_started"],
            c["jobs_created"],
            c["supports"],
            len(c["per_project"]),
            mean(c["supports"], len(c["per_project"])),
            top_share(c["per_project"], percent),
            c["unsupported"],
            c["plans_approved"],
            c["plans_behind"],
            c["escaped"],
            share(_cohort(row_cases, period.last)),
            c["models_confirmed"],
            c["replications"],
        ]

    tables: dict = {"by_unit": None}
    if drill_rows:
        cases_of_row = {pk: [] for pk in drill_rows}
        for case in cases:
            row_id = row_of(case[0])
            if row_id is not None:
                cases_of_row[row_id].append(case)
        tables["by_unit"] = {pk: unit_cells(c, cases_of_row[pk]) for pk, c in by_row.items()}
    if p == "c":  # the current period's tables, flags and models (rows keyed by position, "total")
        tables["kinds"] = {index: [kinds[kind]] for index, kind in enumerate(KINDS)}
        tables["kinds"]["total"] = [sum(kinds.values())]
        tables["stages"] = {index: [stages[stage]] for index, stage in enumerate(STAGES)}
        tables["stages"]["total"] = [sum(stages.values())]
        tables["support_kinds"] = {}
        for index, kind in enumerate(SUPPORT_KINDS):
            count, kind_hours, value = support_kinds.get(kind, [0, 0.0, 0])
            tables["support_kinds"][index] = [count, hours(kind_hours), value]
        tables["support_kinds"]["total"] = [total["supports"], hours(total["hours"]), total["value"]]
        years = sorted({approved_on.year for _u, approved_on, _l, _r in cases if approved_on <= period.last})
        tables["escape"] = {}
        for index, year in enumerate(years):
            cohort = _cohort([case for case in cases if case[1].year == year], period.last)
            tables["escape"][index] = [str(year), *cohort, share(cohort)]
        tables["escape"]["total"] = [*escape, share(escape)]

        def unit_name(unit_id):
            found = _in_units(unit_id, valid, units)
            return "" if found is None else units[found]["name"]

        models = [(r[0], r[1], _date(r[2]), int(r[3])) for r in rows["project_models"]]
        tables["models"] = {
            index: [title, unit_name(unit_id), decided_on.isoformat(), replicated]
            for index, (title, unit_id, decided_on, replicated) in enumerate(models)
        }
        tables["models"]["total"] = ["", "", sum(model[3] for model in models)]
    return {
        "measures": measures,
        "targets": measure_targets,
        "tables": tables,
        "flags": _flags(by_unit, rows["project_listings"], valid, units) if p == "c" else None,
    }


def _flags(by_unit: dict, listing_rows, valid: dict, units: dict) -> list[tuple]:
    """The section's flags as (where, message, params), in no particular order."""
    by_commune: dict[int, dict] = {}
    for unit_id, t in by_unit.items():
        commune_id = _in_units(unit_id, valid, units)
        if commune_id is not None:
            _add(by_commune.setdefault(commune_id, _counts()), t)
    latest = {}
    for unit_id, year, households, planned in listing_rows:  # ordered by year: the later one wins
        latest[unit_id] = (int(year), int(households), int(planned or 0))
    listings: dict[int, tuple] = {}
    for unit_id, (year, households, planned) in sorted(latest.items(), key=lambda item: item[1][0]):
        commune_id = _in_units(unit_id, valid, units)
        if commune_id is not None:
            known = listings.get(commune_id)
            if known is not None and known[0] == year:
                households, planned = households + known[1], planned + known[2]
            listings[commune_id] = (year, households, planned)
    flags = []
    for commune_id in set(by_commune) | set(listings):
        counts, name = by_commune.get(commune_id, _counts()), units[commune_id]["name"]
        if counts["without_plan"]:
            flags.append(
                (
                    name,
                    "%(projects)s poverty-escape projects without an approved plan.",
                    {"projects": counts["without_plan"]},
                )
            )
        if counts["late_milestones"]:
            flags.append(
                (
                    name,
                    "%(milestones)s milestones of poverty-escape plans late (%(plans)s plans behind).",
                    {"milestones": counts["late_milestones"], "plans": counts["plans_behind"]},
                )
            )
        year, households, planned = listings.get(commune_id, (None, 0, 0))
        if households and not planned:
            flags.append(
                (
                    name,
                    "%(households)s poor households on the %(year)s list and no poverty-escape plan.",
                    {"households": households, "year": str(year)},
                )
            )
    return flags
