"""The commune a row of an imported list names, read against the import's unit and the communes it
replaced: a pre-reform name is matched to its one successor here, or asked about, never guessed."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.models import AdminUnit
from portal.models.units import subtree_unit_ids
from portal.periods import covers
from portal.text import fold

KIND_PREFIXES = ("xa ", "phuong ", "thi tran ")


def commune_key(text: str) -> str:
    """A commune's name folded and without its kind: "Xã Sơn Định", "xa son dinh", "Sơn Định" alike."""
    folded = fold(text)
    for prefix in KIND_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded


def _valid_on(unit: AdminUnit, day: datetime.date) -> bool:
    return covers(day, unit.valid_from, unit.valid_until)


def _names(units: Iterable[AdminUnit]) -> str:
    return ", ".join(sorted(unit.name for unit in units))


@dataclass
class Match:
    unit: AdminUnit | None
    message: str = ""  # why not, or (with a unit) how the name was read


class Communes:
    """The communes of the import's unit and those it replaced, by name: five queries, any rows."""

    def __init__(self, unit: AdminUnit, names: set[str]):
        self.unit = unit
        self.subtree = subtree_unit_ids({unit.pk})
        units = (
            AdminUnit.objects.filter(pk__in=self.subtree, level=AdminUnit.Level.COMMUNE)
            .prefetch_related("successors", "predecessors")
            .order_by("pk")
        )
        self.by_key: dict[str, list[AdminUnit]] = {}
        for each in units:
            self.by_key.setdefault(commune_key(each.name), []).append(each)
        # Communes elsewhere with a name of the file: "not in this commune", rather than "unknown".
        keys = {commune_key(name) for name in names} - set(self.by_key)
        searched = {f"{prefix}{key}" for key in keys for prefix in ("", *KIND_PREFIXES)}
        self.elsewhere = (
            set(
                AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE, search_name__in=searched).values_list(
                    "search_name", flat=True
                )
            )
            if searched
            else set()
        )

    def match(self, text: str, day: datetime.date | None) -> Match:
        key = commune_key(text)
        candidates = self.by_key.get(key, [])
        exact = [unit for unit in candidates if fold(unit.name) == fold(text)]
        candidates = exact or candidates
        if not candidates:
            if key in {commune_key(name) for name in self.elsewhere}:
                return Match(
                    None,
                    _("“%(name)s” is not in %(unit)s: import each commune's list under its own commune.")
                    % {"name": text, "unit": self.unit.name},
                )
            return Match(
                None,
                _("No commune or ward named “%(name)s” is known in %(unit)s or the communes it replaced.")
                % {"name": text, "unit": self.unit.name},
            )
        if day is None:  # the date is wrong, and said so: the current unit, or the only one by that name
            current = [unit for unit in candidates if unit.valid_until is None]
            return Match((current or candidates)[0] if len(current or candidates) == 1 else None)
        valid = [unit for unit in candidates if _valid_on(unit, day)]
        if len(valid) == 1:
            return Match(valid[0])
        if valid:
            return Match(
                None,
                _(
                    "Several communes were named “%(name)s” on %(day)s (%(units)s): write the commune's "
                    "full name."
                )
                % {"name": text, "day": f"{day:%d/%m/%Y}", "units": _names(valid)},
            )
        ended = [unit for unit in candidates if unit.valid_until is not None and unit.valid_until < day]
        if ended:
            return self._successor(text, ended, day)
        return self._predecessor(text, candidates, day)

    def _successor(self, text: str, ended: list[AdminUnit], day: datetime.date) -> Match:
        """A pre-reform name on a later date: its successor in this import's unit, never a guess."""
        successors = {each for unit in ended for each in unit.successors.all() if _valid_on(each, day)}
        here = [each for each in successors if each.pk in self.subtree]
        merged = {"name": text, "successors": _names(successors), "day": f"{ended[0].valid_until:%d/%m/%Y}"}
        if len(here) == 1:
            return Match(
                here[0],
                _("“%(name)s” was merged into %(successors)s after %(day)s: recorded in %(unit)s.")
                % (merged | {"unit": here[0].name}),
            )
        if here:
            return Match(
                None,
                _(
                    "“%(name)s” was merged into %(successors)s after %(day)s; choose which one: write its "
                    "name in the file."
                )
                % merged,
            )
        if successors:
            return Match(
                None,
                _(
                    "“%(name)s” was merged into %(successors)s after %(day)s, which is not %(unit)s: import "
                    "the row with that commune's list."
                )
                % (merged | {"unit": self.unit.name}),
            )
        return Match(
            None,
            _("“%(name)s” no longer existed on %(registered)s; write the commune of that date.")
            % {"name": text, "registered": f"{day:%d/%m/%Y}"},
        )

    def _predecessor(self, text: str, named: list[AdminUnit], day: datetime.date) -> Match:
        """A new name on an earlier date: the one commune it replaced that existed then, never a guess."""
        before = {
            each
            for unit in named
            for each in unit.predecessors.all()
            if _valid_on(each, day) and each.pk in self.subtree
        }
        formed = {"name": text, "day": f"{day:%d/%m/%Y}", "predecessors": _names(before)}
        if len(before) == 1:
            (unit,) = before
            return Match(
                unit,
                _("“%(name)s” did not exist yet on %(day)s: recorded in %(unit)s, which it replaced.")
                % (formed | {"unit": unit.name}),
            )
        if before:
            return Match(
                None,
                _(
                    "“%(name)s” did not exist yet on %(day)s; it was formed from %(predecessors)s: choose "
                    "which one and write its name in the file."
                )
                % formed,
            )
        return Match(
            None,
            _("“%(name)s” did not exist yet on %(day)s; write the commune of that date.") % formed,
        )
