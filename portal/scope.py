"""Scope: what a person may see and change.

A person's scope is the subtree of the units of the teams they belong to,
together with the units those units replaced (a commune formed in 2025 sees
the history of the communes merged into it). Council members, standing agency
officers and fund officers work across the province of their team.

Membership of a team that has ended (the district teams ended with the
districts on 30 June 2025) still lets its members read their unit's history,
but no longer change it.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models.expressions import RawSQL

from portal.models import AdminUnit, Membership, Team
from portal.periods import covers


@dataclass(frozen=True)
class Scope:
    readable_unit_ids: frozenset[int]
    writable_unit_ids: frozenset[int]
    team_ids: frozenset[int]
    active_team_kinds: frozenset[str]

    @property
    def is_province_wide(self) -> bool:
        return bool(self.active_team_kinds & Team.PROVINCE_WIDE_KINDS)

    @property
    def manages_teams(self) -> bool:
        return bool(self.active_team_kinds & Team.MANAGING_KINDS)


EMPTY_SCOPE = Scope(frozenset(), frozenset(), frozenset(), frozenset())


def scope_for(user) -> Scope:
    """The user's scope, computed once per user object (so once per request)."""
    if not getattr(user, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user, "_portal_scope", None)
    if cached is None:
        cached = _compute_scope(user)
        user._portal_scope = cached
    return cached


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships change."""
    user.__dict__.pop("_portal_scope", None)


def _compute_scope(user) -> Scope:
    from portal.models.people import today

    day = today()
    memberships = list(
        Membership.objects.active_on(day)
        .filter(user=user)
        .values_list("team_id", "team__kind", "team__unit_id", "team__active_from", "team__active_until")
    )
    read_roots, write_roots, kinds = set(), set(), set()
    for _team_id, kind, unit_id, active_from, active_until in memberships:
        root = _province_of(unit_id) if kind in Team.PROVINCE_WIDE_KINDS else unit_id
        read_roots.add(root)
        if covers(day, active_from, active_until):
            write_roots.add(root)
            kinds.add(kind)
    readable = subtree_unit_ids(read_roots)
    writable = readable if write_roots == read_roots else subtree_unit_ids(write_roots)
    return Scope(
        readable_unit_ids=readable,
        writable_unit_ids=writable,
        team_ids=frozenset(team_id for team_id, *_ in memberships),
        active_team_kinds=frozenset(kinds),
    )


def _province_of(unit_id: int) -> int:
    unit = AdminUnit.objects.only("parent_id", "level").get(pk=unit_id)
    while unit.level != AdminUnit.Level.PROVINCE and unit.parent_id is not None:
        unit = AdminUnit.objects.only("parent_id", "level").get(pk=unit.parent_id)
    return unit.pk


def subtree_sql(root_ids: set[int]) -> tuple[str, list[int]]:
    """A statement selecting the ids of the roots, their descendants and the units they replaced,
    transitively (a recursive CTE), with its parameters; it also serves as a subquery."""
    unit_table = AdminUnit._meta.db_table
    link_table = AdminUnit.successors.through._meta.db_table
    placeholders = ", ".join(["%s"] * len(root_ids))
    sql = f"""
        WITH RECURSIVE edges(upper_id, lower_id) AS (
            SELECT parent_id, id FROM {unit_table} WHERE parent_id IS NOT NULL
            UNION ALL
            SELECT to_adminunit_id, from_adminunit_id FROM {link_table}
        ),
        reached(id) AS (
            SELECT id FROM {unit_table} WHERE id IN ({placeholders})
            UNION
            SELECT edges.lower_id FROM edges JOIN reached ON edges.upper_id = reached.id
        )
        SELECT id FROM reached
    """
    return sql, list(root_ids)


def in_subtree(root_ids: set[int]) -> RawSQL:
    """The subtree of ``root_ids`` as a subquery, for ``unit_id__in=``: no list of ids to send."""
    return RawSQL(*subtree_sql(root_ids))


def subtree_unit_ids(root_ids: set[int]) -> frozenset[int]:
    """The roots, their descendants and the units they replaced, transitively, in one query."""
    if not root_ids:
        return frozenset()
    sql, params = subtree_sql(root_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return frozenset(row[0] for row in cursor.fetchall())


def top_unit(user, first: datetime.date, last: datetime.date) -> AdminUnit:
    """The highest unit of the user's scope valid during ``first``..``last`` (current units first);
    for someone whose units had all ended by then (a former district team), the highest they had.

    A page of figures starts there; someone with no unit in scope (an applicant) gets 403.
    """
    scope = scope_for(user)
    highest = (
        AdminUnit.objects.visible_to(user)
        .exclude(parent_id__in=scope.readable_unit_ids)
        .select_related("parent")
        .highest_first()
    )
    unit = highest.valid_during(first, last).first() or highest.first()
    if unit is None:
        raise PermissionDenied
    return unit
