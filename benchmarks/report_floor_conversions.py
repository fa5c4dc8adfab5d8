"""The floor of the conversions' section (conversions/report_sections.py) and of its flag on the teams
(conversions/team_flags.py): five hand-written statements, both periods at once, and plain Python.

Parameters as in report_floor.py (``root``, ``c_first``/``c_last``, ``p_first``/``p_last``,
``hi_last``) plus ``c_day``/``p_day`` (the last day of the period, at most today) and
``c_late_before``/``p_late_before`` (that day less LATE_DAYS).
"""

import datetime

from dateutil.relativedelta import relativedelta
from report_floor_sql import SUBTREE

LATE_DAYS = 30
TRADING = {"operating", "moved_out"}
CLOSED = {"dissolved", "bankrupt"}
CANDIDATES = {"identified", "advised", "filed"}
AGES = (12, 24, 36)


def _stage_at(last: str) -> str:
    return f"""(SELECT s.stage FROM conversions_conversionstep s WHERE s.conversion_id = c.id
        AND s.taken_on <= %({last})s ORDER BY s.taken_on DESC, s.recorded_at DESC, s.id DESC LIMIT 1)"""


def _between(column: str, p: str) -> str:
    return f"{column} BETWEEN %({p}_first)s AND %({p}_last)s"


def statements() -> dict[str, str]:
    cases = []
    for p in "cp":
        advised = f"""EXISTS (SELECT 1 FROM conversions_conversionstep s WHERE s.conversion_id = c.id
            AND s.stage = 'advised' AND NOT s.is_correction AND {_between("s.taken_on", p)})"""
        cases += [
            f"SUM(CASE WHEN {_between('c.opened_on', p)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {advised} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {_between('c.registered_on', p)} THEN 1 ELSE 0 END)",
        ]
    visits = []
    for p in "cp":
        open_then = f"v.skipped_reason = '' AND (v.done_on IS NULL OR v.done_on > %({p}_last)s)"
        very_late = (
            f"v.skipped_reason = '' AND v.due_on < %({p}_late_end)s"
            f" AND (v.done_on IS NULL OR v.done_on > %({p}_last)s)"
        )
        visits += [
            f"SUM(CASE WHEN {_between('v.due_on', p)} AND v.skipped_reason = '' THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {_between('v.done_on', p)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {open_then} AND v.due_on < %({p}_last)s THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {very_late} THEN 1 ELSE 0 END)",
        ]
    grants = []
    for p in "cp":
        grants += [
            f"SUM(CASE WHEN {_between('g.starts_on', p)} THEN 1 ELSE 0 END)",
            f"SUM(CASE WHEN {_between('g.ends_on', p)} AND g.state <> 'used' THEN 1 ELSE 0 END)",
        ]
    team_late = [
        f"""SUM(CASE WHEN v.due_on < %({p}_late_before)s
            AND (v.done_on IS NULL OR v.done_on > %({p}_day)s) THEN 1 ELSE 0 END)"""
        for p in "cp"
    ]
    in_subtree = "c.unit_id IN (SELECT id FROM reached)"
    return {
        "conversion_cases": SUBTREE
        + f"""SELECT c.unit_id, {_stage_at("c_last")} AS stage_c, {_stage_at("p_last")} AS stage_p,
            COUNT(*), {", ".join(cases)}
        FROM conversions_conversion c WHERE {in_subtree} AND c.opened_on <= %(hi_last)s
        GROUP BY c.unit_id, stage_c, stage_p""",
        "conversion_visits": SUBTREE
        + f"""SELECT c.unit_id, {", ".join(visits)}
        FROM conversions_followupvisit v JOIN conversions_conversion c ON c.id = v.conversion_id
        WHERE {in_subtree} AND v.due_on <= %(hi_last)s GROUP BY c.unit_id""",
        "conversion_grants": SUBTREE
        + f"""SELECT c.unit_id, {", ".join(grants)}
        FROM conversions_entitlementgrant g JOIN conversions_conversion c ON c.id = g.conversion_id
        WHERE {in_subtree} GROUP BY c.unit_id""",
        "conversion_history": SUBTREE
        + f"""SELECT c.id, c.unit_id, c.registered_on, o.since, o.outcome
        FROM conversions_conversion c LEFT JOIN conversions_outcomechange o ON o.conversion_id = c.id
        WHERE {in_subtree} AND c.registered_on IS NOT NULL AND c.registered_on <= %(c_last)s
        ORDER BY c.id, o.since, o.id""",
        "team_late_visits": SUBTREE
        + f"""SELECT t.id, {", ".join(team_late)}
        FROM portal_team t
        JOIN conversions_conversion c ON c.unit_id = t.unit_id OR c.unit_id IN (
            SELECT from_adminunit_id FROM portal_adminunit_successors WHERE to_adminunit_id = t.unit_id)
        JOIN conversions_followupvisit v ON v.conversion_id = c.id AND v.skipped_reason = ''
        WHERE t.kind = 'commune_team' AND t.unit_id IN (SELECT id FROM reached) GROUP BY t.id""",
    }


def params(ops, current, previous, today: datetime.date) -> dict:
    found = {}
    for p, period in (("c", current), ("p", previous)):
        day = min(period.last, today)
        found[f"{p}_day"] = ops.adapt_datefield_value(day)
        found[f"{p}_late_before"] = ops.adapt_datefield_value(day - datetime.timedelta(days=LATE_DAYS))
        found[f"{p}_late_end"] = ops.adapt_datefield_value(period.last - datetime.timedelta(days=LATE_DAYS))
    return found


def _survival(history: list[tuple], as_of: datetime.date, row_of) -> tuple[dict, dict]:
    """(pooled, by row): [old enough at 12 months, trading then, reverted, closed] as of ``as_of``."""
    cases: dict[int, tuple] = {}
    for conversion_id, unit_id, registered_on, since, outcome in history:
        case = cases.setdefault(conversion_id, (unit_id, registered_on, []))
        if since is not None:
            case[2].append((since, outcome))
    pooled, by_row = [0, 0, 0, 0], {}

    def state_on(changes, day):
        state = "operating"
        for since, outcome in changes:
            if since > day:
                break
            state = outcome
        return state

    for unit_id, registered_on, changes in cases.values():
        if registered_on > as_of:
            continue
        tally = [0, 0, 0, 0]
        day = registered_on + relativedelta(months=12)
        if day <= as_of:
            tally[0], tally[1] = 1, int(state_on(changes, day) in TRADING)
        now = state_on(changes, as_of)
        tally[2], tally[3] = int(now == "reverted"), int(now in CLOSED)
        targets = [pooled]
        row_id = row_of(unit_id)
        if row_id is not None:
            targets.append(by_row.setdefault(row_id, [0, 0, 0, 0]))
        for target in targets:
            for index, value in enumerate(tally):
                target[index] += value
    return pooled, by_row


def conversion_figures(unit, period, units, rows, drill_down, targets, p, pro_rate, rounded, percent) -> dict:
    """The section's measures and its by-unit table, for the period ``p`` ("c" or "p")."""
    _valid, drill_rows, row_of = drill_down(unit, units, period, follow_successors=True)
    names = ("identified", "advised", "registered", "in_pipeline", "due", "done", "late", "granted", "ending")
    total, by_row = dict.fromkeys(names, 0), {pk: dict.fromkeys(names, 0) for pk in drill_rows}
    offset = 0 if p == "c" else 1

    def add(unit_id, values: dict) -> None:
        row_id = row_of(unit_id)
        for name, value in values.items():
            total[name] += int(value or 0)
            if row_id is not None:
                by_row[row_id][name] += int(value or 0)

    for row in rows["conversion_cases"]:
        unit_id, stages, count, sums = row[0], row[1:3], row[3], row[4:]
        counts = dict(
            zip(("identified", "advised", "registered"), sums[3 * offset : 3 * offset + 3], strict=True)
        )
        counts["in_pipeline"] = count if stages[offset] in CANDIDATES else 0
        add(unit_id, counts)
    for row in rows["conversion_visits"]:
        add(row[0], dict(zip(("due", "done", "late"), row[1 + 4 * offset : 4 + 4 * offset], strict=True)))
    for row in rows["conversion_grants"]:
        add(row[0], dict(zip(("granted", "ending"), row[1 + 2 * offset : 3 + 2 * offset], strict=True)))
    history = [(r[0], r[1], _date(r[2]), _date(r[3]), r[4]) for r in rows["conversion_history"]]
    pooled, survival_rows = _survival(history, period.last, row_of)

    def cells(c, s):
        return [c[name] for name in names[:7]] + [s[2], s[3], percent(s[1], s[0])]

    measures = dict(
        zip(
            ("candidates_identified", "advised", "conversions_registered", "in_pipeline", "visits_due"),
            (total[name] for name in names[:5]),
            strict=True,
        )
    )
    measures |= {
        "visits_done": total["done"],
        "visits_late": total["late"],
        "entitlements_granted": total["granted"],
        "entitlements_ending": total["ending"],
        "reverted": pooled[2],
        "closed": pooled[3],
        "survival_12": percent(pooled[1], pooled[0]),
    }
    measure_targets = {
        key: rounded(pro_rate(targets.get((unit.pk, key), {}), period.first, period.last))
        for key in ("candidates_identified", "conversions_registered")
    }
    empty = [0, 0, 0, 0]
    table = {pk: cells(c, survival_rows.get(pk, empty)) for pk, c in by_row.items()} if drill_rows else None
    return {"measures": measures, "targets": measure_targets, "tables": {"by_unit": table}}


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])
