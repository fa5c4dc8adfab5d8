"""The floor of the fund's section (fund/report_sections.py and fund/report_figures.py): eleven
hand-written statements, both periods at once, and plain Python.

Parameters as in report_floor.py (``root``, ``c_first``/``c_last``, ``p_first``/``p_last``,
``hi_last``). What SQL cannot sum is done as the section does it, by the app's pure engines on the
rows read here: the working days of the application deadlines (``fund.deadlines.stages_of`` over the
calendar's exceptions, read whole) and PAR30 (``fund.allocation.replay`` of each loan's current schedule
on each period's last day). Flags come back as (where, message, params), in no order.
"""

import datetime
import json
import statistics
from collections import defaultdict

from report_floor_sql import SUBTREE

PAR30_LIMIT = 10  # fund/report_sections.py
CONTRIBUTED = ("state_budget", "enterprise", "individual")
DECIDED = ("approved", "refused")
TARGETS = {
    "capital_raised": "fund_capital_raised",
    "loans_approved": "fund_loans_approved",
    "disbursed": "fund_money_disbursed",
}
COUNT_NAMES = (
    "received",
    "approved",
    "refused",
    "late",
    "loans_approved",
    "amount_approved",
    "disbursed",
    "outstanding",
    "at_risk",
    "recovered",
    "written_off",
    "jobs_created",
)

FUNDS = "f.unit_id IN (SELECT id FROM reached)"
LOANS = "l.unit_id IN (SELECT id FROM reached)"


def _between(column: str, p: str) -> str:
    return f"{column} BETWEEN %({p}_first)s AND %({p}_last)s"


def _by_period(template: str) -> str:
    return ", ".join(template.format(p=p, within=_between("{column}", p)) for p in "cp")


def statements() -> dict[str, str]:
    capital = ", ".join(
        f"SUM(CASE WHEN {_between('t.value_date', p)} THEN e.amount ELSE 0 END), "
        f"SUM(CASE WHEN t.value_date <= %({p}_last)s THEN e.amount ELSE 0 END)"
        for p in "cp"
    )
    receivable = ", ".join(
        f"SUM(CASE WHEN t.value_date <= %({p}_last)s THEN e.amount ELSE 0 END) AS owed_{p}" for p in "cp"
    )
    released = ", ".join(
        f"SUM(CASE WHEN {_between('tr.released_on', p)} THEN tr.amount ELSE 0 END)" for p in "cp"
    )
    lost = ", ".join(f"SUM(CASE WHEN {_between('t.value_date', p)} THEN e.amount ELSE 0 END)" for p in "cp")
    ledger_entries = (
        "fund_entry e JOIN fund_account a ON a.id = e.account_id "
        "JOIN fund_transaction t ON t.id = e.transaction_id"
    )
    return {
        "fund_funds": SUBTREE
        + f"""SELECT f.id, f.name, f.capital_target, EXISTS (SELECT 1 FROM fund_regulation r
            WHERE r.fund_id = f.id AND r.effective_from <= %(c_last)s
            AND (r.effective_to IS NULL OR r.effective_to >= %(c_last)s))
        FROM fund_fund f WHERE {FUNDS}""",
        "fund_capital": SUBTREE
        + f"""SELECT a.source, {capital} FROM {ledger_entries} JOIN fund_fund f ON f.id = a.fund_id
        WHERE {FUNDS} AND a.kind = 'capital' GROUP BY a.source""",
        "fund_applications": SUBTREE
        + """SELECT a.unit_id, a.filed_on, a.recommended_on, a.decided_on, a.status, r.appraisal_days,
            r.decision_days, r.disbursement_days, l.start_on
        FROM fund_loanapplication a JOIN fund_regulation r ON r.id = a.regulation_id
        LEFT JOIN fund_loan l ON l.application_id = a.id
        WHERE a.unit_id IN (SELECT id FROM reached) AND a.filed_on <= %(hi_last)s""",
        "fund_calendar": "SELECT date, kind FROM portal_calendarday",
        "fund_loans": SUBTREE
        + f"""SELECT l.id, l.unit_id, l.fund_id, l.amount, l.contract_on, l.project_id, p.jobs_created,
            l.allocation_order, l.restructured, COALESCE(o.owed_c, 0), COALESCE(o.owed_p, 0)
        FROM fund_loan l LEFT JOIN projects_project p ON p.id = l.project_id
        LEFT JOIN (SELECT a.loan_id, {receivable} FROM {ledger_entries}
            WHERE a.kind IN ('loan', 'recalled') AND t.value_date <= %(hi_last)s GROUP BY a.loan_id
        ) o ON o.loan_id = l.id
        WHERE {LOANS} AND l.contract_on <= %(hi_last)s ORDER BY l.id""",
        "fund_releases": SUBTREE
        + f"""SELECT l.unit_id, {released} FROM fund_tranche tr JOIN fund_loan l ON l.id = tr.loan_id
        WHERE {LOANS} AND tr.released_on IS NOT NULL GROUP BY l.unit_id""",
        "fund_write_offs": SUBTREE
        + f"""SELECT l.unit_id, {lost} FROM {ledger_entries} JOIN fund_loan l ON l.id = t.loan_id
        WHERE {LOANS} AND a.kind = 'losses' GROUP BY l.unit_id""",
        "fund_instalments": SUBTREE
        + f"""SELECT s.loan_id, i.number, i.due_on, i.principal, i.interest
        FROM fund_instalment i JOIN fund_scheduleversion s ON s.id = i.schedule_id
        JOIN fund_loan l ON l.id = s.loan_id
        WHERE {LOANS}
            AND s.number = (SELECT MAX(v.number) FROM fund_scheduleversion v WHERE v.loan_id = s.loan_id)
        ORDER BY s.loan_id, i.number""",
        "fund_repayments": SUBTREE
        + f"""SELECT r.loan_id, r.id, r.paid_on, r.amount
        FROM fund_repayment r JOIN fund_loan l ON l.id = r.loan_id
        WHERE {LOANS} AND r.reversal_id IS NULL ORDER BY r.loan_id, r.paid_on, r.id""",
        "fund_pauses": SUBTREE
        + f"""SELECT z.loan_id, z.start, z."end" FROM fund_freeze z JOIN fund_loan l ON l.id = z.loan_id
        WHERE {LOANS}""",
        "fund_recalls": SUBTREE
        + f"""SELECT t.loan_id, MIN(t.value_date) FROM fund_transaction t JOIN fund_loan l ON l.id = t.loan_id
        WHERE {LOANS} AND t.kind = 'recall' AND t.reverses_id IS NULL GROUP BY t.loan_id""",
        # What check_ledger finds wrong (without the replay), by fund: unbalanced transactions, balances
        # that are not the sum of their entries, cash below zero, receivables that are not the loan's
        # principal outstanding.
        "fund_ledger": SUBTREE
        + f"""SELECT fund_id, COUNT(*) FROM (
            SELECT t.fund_id FROM fund_transaction t JOIN fund_entry e ON e.transaction_id = t.id
            JOIN fund_fund f ON f.id = t.fund_id WHERE {FUNDS}
            GROUP BY t.id, t.fund_id HAVING SUM(e.amount) <> 0
            UNION ALL
            SELECT a.fund_id FROM fund_account a JOIN fund_fund f ON f.id = a.fund_id
            LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM fund_entry GROUP BY account_id) s
                ON s.account_id = a.id
            WHERE {FUNDS} AND a.balance <> COALESCE(s.total, 0)
            UNION ALL
            SELECT a.fund_id FROM fund_account a JOIN fund_fund f ON f.id = a.fund_id
            WHERE {FUNDS} AND a.kind = 'cash' AND a.balance < 0
            UNION ALL
            SELECT l.fund_id FROM fund_loan l JOIN fund_fund f ON f.id = l.fund_id
            LEFT JOIN (SELECT loan_id, SUM(balance) AS total FROM fund_account
                WHERE kind IN ('loan', 'recalled') GROUP BY loan_id) s ON s.loan_id = l.id
            WHERE {FUNDS} AND l.outstanding <> COALESCE(s.total, 0)
        ) x GROUP BY fund_id""",
    }


# --- The arithmetic --------------------------------------------------------------------------------


def _date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def whole_calendar(rows, first: datetime.date, last: datetime.date):
    """portal.working_days.Calendar from ``first`` to ``last`` over the official calendar's exceptions
    the floor read itself (every one of them): lookups never leave it, so the deadlines read nothing
    more."""
    from portal.working_days import Calendar  # after django.setup(), as below

    class WholeCalendar(Calendar):
        def __init__(self):
            self.first, self.last = first, last
            self.exceptions = {_date(day): kind for day, kind in rows}
            self._counted = None

    return WholeCalendar()


class Tally:
    def __init__(self):
        self.counts = dict.fromkeys(COUNT_NAMES, 0)
        self.reply_days: list[int] = []

    def add(self, other: "Tally") -> None:
        for name in COUNT_NAMES:
            self.counts[name] += other.counts[name]
        self.reply_days.extend(other.reply_days)

    def cells(self, percent) -> list:
        c = self.counts
        return [
            c["received"],
            c["approved"],
            c["refused"],
            float(round(statistics.median(self.reply_days), 1)) if self.reply_days else None,
            c["late"],
            c["amount_approved"],
            c["disbursed"],
            c["outstanding"],
            percent(c["at_risk"], c["outstanding"]),
            c["jobs_created"],
        ]


def _count_applications(rows, period, tally) -> None:
    from fund import deadlines  # the benchmark imports Django's apps only after django.setup()
    from portal.working_days import working_days_between

    first, last = period.first, period.last
    applications = rows["fund_applications"]
    longest = max((max(row[5:8]) for row in applications), default=0)
    calendar = whole_calendar(
        rows["fund_calendar"],
        min([first, *(_date(row[1]) for row in applications)]),
        last
        + datetime.timedelta(days=longest * 2 + 21),  # past the latest due date, as deadlines.calendar_for
    )
    for row in rows["fund_applications"]:
        unit_id, filed_on, recommended_on, decided_on, status, *days, released_on = row
        dates = deadlines.Dates(
            _date(filed_on), _date(recommended_on), _date(decided_on), status, *days, _date(released_on)
        )
        if dates.filed_on > last:
            continue
        counts = tally(unit_id)
        counts.counts["received"] += first <= dates.filed_on
        if dates.decided_on is not None and first <= dates.decided_on <= last and status in DECIDED:
            counts.counts[status] += 1
            counts.reply_days.append(
                working_days_between(dates.filed_on, dates.decided_on, calendar=calendar)
            )
        counts.counts["late"] += any(
            stage.late and stage.due < last and (stage.done_on is None or stage.done_on >= first)
            for stage in deadlines.stages_of(dates, last, calendar)
        )


def _count_loans(rows, period, p, tally, par_by_fund) -> None:
    from fund import allocation  # after django.setup(), as above
    from fund.schedules import Instalment

    first, last = period.first, period.last
    schedules = defaultdict(list)
    for loan_id, number, due_on, principal, interest in rows["fund_instalments"]:
        schedules[loan_id].append(Instalment(number, _date(due_on), principal, interest))
    payments = defaultdict(list)
    for loan_id, pk, paid_on, amount in rows["fund_repayments"]:
        payments[loan_id].append(allocation.Payment(pk, _date(paid_on), amount))
    pauses = defaultdict(list)
    for loan_id, start, end in rows["fund_pauses"]:
        pauses[loan_id].append(allocation.Pause(_date(start), _date(end)))
    recalled_on = {loan_id: _date(day) for loan_id, day in rows["fund_recalls"]}
    funded = set()
    owed_at = 9 if p == "c" else 10
    for row in rows["fund_loans"]:
        loan_id, unit_id, fund_id, amount, contract_on, project_id, jobs, order, restructured = row[:9]
        owed = int(row[owed_at])
        counts = tally(unit_id).counts
        counts["outstanding"] += owed
        if first <= _date(contract_on) <= last:
            counts["loans_approved"] += 1
            counts["amount_approved"] += amount
            if project_id is not None and project_id not in funded:
                funded.add(project_id)
                counts["jobs_created"] += jobs
        recall = recalled_on.get(loan_id)
        if recall is not None:
            counts["recovered"] += sum(
                pay.amount
                for pay in payments[loan_id]
                if first <= pay.paid_on <= last and pay.paid_on >= recall
            )
        if not owed or not schedules[loan_id]:
            continue
        state = allocation.replay(
            schedules[loan_id],
            payments[loan_id],
            on=last,
            order=tuple(json.loads(order) if isinstance(order, str) else order),
            pauses=pauses[loan_id],
            restructured=bool(restructured),
        )
        counts["at_risk"] += owed if state.at_risk else 0
        share = par_by_fund.setdefault(fund_id, [0, 0])
        share[0] += owed
        share[1] += owed if state.at_risk else 0


def _first_valid(unit_id, valid: dict, units: dict):
    """As portal.drilldown.in_units: the unit, or the one it succeeded to (the first of a split)."""
    seen = set()
    while unit_id is not None and unit_id not in valid and unit_id not in seen:
        seen.add(unit_id)
        successors = units.get(unit_id, {}).get("successors")
        unit_id = min(successors) if successors else None
    return unit_id if unit_id in valid else None


def fund_figures(unit, period, units, rows, drill_down, targets, p, pro_rate, rounded, percent) -> dict:
    """The section's measures, tables and flags for the period ``p`` ("c" or "p")."""
    valid, drill_rows, row_of = drill_down(unit, units, period, follow_successors=True)
    by_unit: dict[int, Tally] = {}

    def tally(unit_id) -> Tally:
        return by_unit.setdefault(unit_id, Tally())

    _count_applications(rows, period, tally)
    par_by_fund: dict[int, list[int]] = {}
    _count_loans(rows, period, p, tally, par_by_fund)
    offset = 0 if p == "c" else 1
    for unit_id, *sums in rows["fund_releases"]:
        tally(unit_id).counts["disbursed"] += int(sums[offset] or 0)
    for unit_id, *sums in rows["fund_write_offs"]:
        tally(unit_id).counts["written_off"] += int(sums[offset] or 0)

    total, by_row = Tally(), {pk: Tally() for pk in drill_rows}
    by_commune: dict[int, Tally] = {}
    for unit_id, counts in by_unit.items():
        total.add(counts)
        row_id = row_of(unit_id)
        if row_id is not None:
            by_row[row_id].add(counts)
        commune_id = _first_valid(unit_id, valid, units)
        if commune_id is not None:
            by_commune.setdefault(commune_id, Tally()).add(counts)

    capital = dict.fromkeys(CONTRIBUTED)
    for source, *sums in rows["fund_capital"]:
        capital[source] = [-int(sums[2 * offset] or 0), -int(sums[2 * offset + 1] or 0)]
    capital = {source: found or [0, 0] for source, found in capital.items() if source in CONTRIBUTED}
    funds = rows["fund_funds"]
    capital_target = sum(row[2] for row in funds)
    state = capital["state_budget"][0]
    contributions = sum(raised for source, (raised, _to_date) in capital.items() if source != "state_budget")
    cells = total.cells(percent)
    counts = total.counts
    measures = {
        "capital_raised": state + contributions,
        "capital_state": state,
        "capital_contributions": contributions,
        "capital_to_date": sum(to_date for _raised, to_date in capital.values()),
        "applications_received": counts["received"],
        "applications_approved": counts["approved"],
        "applications_refused": counts["refused"],
        "reply_days": cells[3],
        "applications_late": counts["late"],
        "loans_approved": counts["loans_approved"],
        "amount_approved": counts["amount_approved"],
        "disbursed": counts["disbursed"],
        "outstanding": counts["outstanding"],
        "par30": cells[8],
        "recovered": counts["recovered"],
        "written_off": counts["written_off"],
        "jobs_created": counts["jobs_created"],
    }
    measure_targets = {
        key: rounded(pro_rate(targets.get((unit.pk, measure), {}), period.first, period.last))
        for key, measure in TARGETS.items()
    } | {"capital_to_date": capital_target or None}

    flags = []
    ledger = {fund_id: int(count) for fund_id, count in rows["fund_ledger"]}
    for fund_id, name, _target, regulated in funds:
        if not regulated:
            flags.append((name, "No regulation in force: the fund cannot judge an application.", {}))
        outstanding, at_risk = par_by_fund.get(fund_id, [0, 0])
        if outstanding and 100 * at_risk > PAR30_LIMIT * outstanding:
            par = round(100 * at_risk / outstanding, 1)
            flags.append(
                (name, "PAR30 is %(par)s %%, above %(limit)s %%.", {"par": par, "limit": PAR30_LIMIT})
            )
        if ledger.get(fund_id):
            flags.append((name, "The ledger differs in %(count)s places.", {"count": ledger[fund_id]}))
    for commune_id, counts in by_commune.items():
        if counts.counts["late"]:
            flags.append(
                (
                    valid[commune_id]["name"],
                    "%(applications)s loan applications past their reply deadline.",
                    {"applications": counts.counts["late"]},
                )
            )

    capital_rows = {index: capital[source] for index, source in enumerate(CONTRIBUTED)}
    capital_rows["total"] = [
        sum(raised for raised, _to_date in capital.values()),
        sum(to_date for _raised, to_date in capital.values()),
    ]
    return {
        "measures": measures,
        "targets": measure_targets,
        "tables": {
            "by_unit": {pk: row.cells(percent) for pk, row in by_row.items()} if drill_rows else None,
            "capital": capital_rows,
        },
        "flags": flags,
    }
