"""The rows a unit's figures drill down to, using the units valid in the period.

A unit's rows are the children, valid in the period, of the unit itself and of the units of its
level it replaced: the new province's 2024 figures drill down to the districts of the provinces it
replaced, its 2026 figures to its communes, and a year across the 1 July 2025 reform to both.

Something recorded on a unit that had ended before the period (a dossier filed on a commune in
June 2025 and decided in July) counts in the row of the unit that succeeded it; a unit split into
several counts in the row of its first successor (the one with the lowest id).
"""

import datetime

from django.core.exceptions import PermissionDenied

from portal.models import AdminUnit
from portal.scope import scope_for


def successor_links(unit_ids) -> dict[int, list[int]]:
    """unit id → the ids of the units that succeeded it (in the order of their ids), in one query."""
    links: dict[int, list[int]] = {}
    for predecessor, successor in (
        AdminUnit.successors.through.objects.filter(from_adminunit_id__in=unit_ids)
        .values_list("from_adminunit_id", "to_adminunit_id")
        .order_by("to_adminunit_id")
    ):
        links.setdefault(predecessor, []).append(successor)
    return links


def in_units(unit_id: int | None, units: dict, successors: dict[int, list[int]]) -> int | None:
    """The unit among ``units`` (a period's) that ``unit_id`` is, or succeeded to (the first successor
    of a split); None when it leads to none of them."""
    seen: set[int] = set()
    while unit_id is not None and unit_id not in units and unit_id not in seen:
        seen.add(unit_id)
        unit_id = next(iter(successors.get(unit_id, ())), None)
    return unit_id if unit_id in units else None


class DrillDown:
    def __init__(
        self, unit: AdminUnit, units: dict[int, AdminUnit], successors: dict[int, list[int]] | None = None
    ):
        """``units``: the unit's subtree restricted to the units valid in the period, by id;
        ``successors``: the successor links of the subtree's units that were not valid in it."""
        tops = {unit.pk} | {other.pk for other in units.values() if other.level == unit.level}
        self.units = units
        self.successors = successors or {}
        self.rows = [other for other in units.values() if other.parent_id in tops and other.pk not in tops]
        self._row_ids = {row.pk for row in self.rows}

    def row_of(self, unit_id: int | None) -> int | None:
        """The id of the row that ``unit_id`` lies under (or is), None above or outside the rows."""
        seen = set()
        while unit_id is not None and unit_id not in self._row_ids and unit_id not in seen:
            seen.add(unit_id)
            if unit_id in self.units:
                unit_id = self.units[unit_id].parent_id
            else:
                unit_id = next(iter(self.successors.get(unit_id, ())), None)
        return unit_id if unit_id in self._row_ids else None


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
