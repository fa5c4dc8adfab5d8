"""The rows a unit's figures drill down to, using the units valid in the period.

A unit's rows are the children, valid in the period, of the unit itself and of the units of its
level it replaced: the new province's 2024 figures drill down to the districts of the provinces it
replaced, its 2026 figures to its communes, and a year across the 1 July 2025 reform to both.
"""

from portal.models import AdminUnit


class DrillDown:
    def __init__(self, unit: AdminUnit, units: dict[int, AdminUnit]):
        """``units``: the unit's subtree restricted to the units valid in the period, by id."""
        tops = {unit.pk} | {other.pk for other in units.values() if other.level == unit.level}
        self.units = units
        self.rows = [other for other in units.values() if other.parent_id in tops and other.pk not in tops]
        self._row_ids = {row.pk for row in self.rows}

    def row_of(self, unit_id: int | None) -> int | None:
        """The id of the row that ``unit_id`` lies under (or is), None above or outside the rows."""
        seen = set()
        while unit_id is not None and unit_id not in self._row_ids and unit_id not in seen:
            seen.add(unit_id)
            unit_id = self.units[unit_id].parent_id if unit_id in self.units else None
        return unit_id if unit_id in self._row_ids else None
