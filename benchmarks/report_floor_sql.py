"""The floor's hand-written SQL (benchmarks/report_floor.py): six statements that give the review
report's figures for both periods at once, in the subtree of the unit ``%(root)s``.
"""

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


def dossier_sql(local_date, *, correlated_documents: bool) -> str:
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
                    (SELECT COUNT(*) FROM dossiers_requirement r
                     WHERE r.version_id = d.procedure_version_id AND r.is_mandatory)
                    - (SELECT COUNT(*) FROM dossiers_dossierdocument dd
                       WHERE dd.dossier_id = d.id AND dd.is_reused)
                    + (SELECT COUNT(*) FROM dossiers_supplementrequest s
                       JOIN dossiers_supplementrequest_missing m ON m.supplementrequest_id = s.id
                       WHERE s.dossier_id = d.id)
                    ELSE 0 END"""
            else:  # the reused and asked-again documents come in branches of their own
                columns[f"docs_{p}"] = f"CASE WHEN {received} THEN COALESCE(rq.n, 0) ELSE 0 END"
        where = " OR ".join(
            within_both(column) for column in ("d.received_at", "d.decided_at", "d.result_returned_at")
        )
        return columns, (
            "FROM dossiers_dossier d LEFT JOIN (SELECT version_id, COUNT(*) AS n FROM dossiers_requirement "
            "WHERE is_mandatory GROUP BY version_id) rq ON rq.version_id = d.procedure_version_id "
            f"WHERE {in_subtree} AND ({where})"
        )

    def reused_branch():
        columns = {f"docs_{p}": f"CASE WHEN {within('d.received_at', p)} THEN -1 ELSE 0 END" for p in "cp"}
        return columns, (
            "FROM dossiers_dossierdocument dd JOIN dossiers_dossier d ON d.id = dd.dossier_id "
            f"WHERE dd.is_reused AND {in_subtree} AND {within_both('d.received_at')}"
        )

    def asked_again_branch():
        columns = {f"docs_{p}": f"CASE WHEN {within('d.received_at', p)} THEN 1 ELSE 0 END" for p in "cp"}
        return columns, (
            "FROM dossiers_supplementrequest_missing m "
            "JOIN dossiers_supplementrequest s ON s.id = m.supplementrequest_id "
            "JOIN dossiers_dossier d ON d.id = s.dossier_id "
            f"WHERE {in_subtree} AND {within_both('d.received_at')}"
        )

    def supplement_branch():
        columns = {
            f"supplements_{p}": f"CASE WHEN {within('s.requested_at', p)} THEN 1 ELSE 0 END" for p in "cp"
        }
        return columns, (
            "FROM dossiers_supplementrequest s JOIN dossiers_dossier d ON d.id = s.dossier_id "
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
            "FROM dossiers_inquiry i JOIN dossiers_dossier d ON d.id = i.dossier_id "
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


def tally_columns(alias: str) -> dict[str, str]:
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


def activity_sql() -> str:
    columns = ", ".join(f"{sql} AS {name}" for name, sql in tally_columns("a").items())
    return (
        SUBTREE
        + f"""SELECT a.unit_id, {columns} FROM teamwork_activity a
        WHERE a.unit_id IN (SELECT id FROM reached) AND a.held_on BETWEEN %(lo_first)s AND %(hi_last)s
        GROUP BY a.unit_id"""
    )


def team_sql() -> str:
    columns = ", ".join(f"{sql} AS {name}" for name, sql in tally_columns("a").items())
    return (
        SUBTREE
        + f"""SELECT t.id, t.name, t.unit_id, t.active_from, t.active_until, {columns},
            MAX(CASE WHEN a.held_on <= %(c_last)s THEN a.held_on END) AS last_c,
            MAX(CASE WHEN a.held_on <= %(p_last)s THEN a.held_on END) AS last_p
        FROM portal_team t LEFT JOIN teamwork_activity a ON a.team_id = t.id AND a.held_on <= %(hi_last)s
        WHERE t.kind IN ('district_team', 'commune_team') AND t.unit_id IN (SELECT id FROM reached)
            AND (t.active_from IS NULL OR t.active_from <= %(hi_last)s)
            AND (t.active_until IS NULL OR t.active_until >= %(lo_first)s)
        GROUP BY t.id, t.name, t.unit_id, t.active_from, t.active_until"""
    )


def visit_sql() -> str:
    per_period = []
    for p in "cp":
        held = f"a.held_on BETWEEN %({p}_first)s AND %({p}_last)s"
        per_period.append(
            f"SUM(CASE WHEN {held} THEN 1 ELSE 0 END), MAX(CASE WHEN {held} THEN a.held_on END)"
        )
    return (
        SUBTREE
        + f"""SELECT st.unit_id, {", ".join(per_period)}
        FROM teamwork_activity a JOIN portal_team st ON st.id = a.supported_team_id
        WHERE a.kind = 'support_visit' AND a.held_on BETWEEN %(lo_first)s AND %(hi_last)s
            AND st.unit_id IN (SELECT id FROM reached)
        GROUP BY st.unit_id"""
    )


TARGET_SQL = (
    SUBTREE
    + """SELECT unit_id, measure, year, value FROM portal_target
    WHERE unit_id IN (SELECT id FROM reached) AND year BETWEEN %(lo_year)s AND %(hi_year)s"""
)
