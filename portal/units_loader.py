"""Administrative units of a province, read from the ``vietnamadminunits`` package (MIT).

The package ships an SQLite dataset with the 34 provinces and their wards after
the reform of 1 July 2025 (``admin_units``) and the 63 provinces with their
districts and wards before it (``admin_units_legacy``), and a JSON file that
maps old units to new ones (``converter_2025.json``):

- ``DICT_PROVINCE``: new province key -> keys of the old provinces merged into it;
- ``DICT_PROVINCE_WARD_NO_DIVIDED[new province][new ward key]``: the old
  ``province_district_ward`` keys that went wholly into that new ward (an island
  district without wards appears as ``province_district_``);
- ``DICT_PROVINCE_WARD_DIVIDED[new province][old key]``: the new wards an old
  ward was divided between, one of them marked as the default.

Two things in the data are worth knowing. Codes are unique per era only: a
new ward often keeps the code of one of its old communes, and the new Vĩnh
Long keeps the old Vĩnh Long's ``86``; the model's ``(code, valid_until)``
key expects exactly that. And the divided-ward list was built by matching
names, so two old communes of the same name in one new province get each
other's new wards as extra candidates: Xã Hòa Lộc of Mỏ Cày Bắc (Bến Tre) is
listed as divided between Tân Thành Bình, where it went, and Hòa Hiệp, 30 km
away, where Xã Hòa Lộc of Tam Bình (Vĩnh Long) went. So a candidate other
than the default is ignored when it is explained by a namesake, or when it
lies too far away to be a neighbour (``FAR_CANDIDATE_KM``). The command lists
what it ignored with ``-v 2``.
"""

import datetime
import difflib
import functools
import json
import math
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from django.db import transaction
from django.db.models import Q

from portal.models import AdminUnit
from portal.models.units import REFORM_DATE
from portal.text import fold

# Units abolished or merged by the reform were valid until the day before it.
FORMER_UNTIL = REFORM_DATE - datetime.timedelta(days=1)

# A non-default candidate of a divided ward is ignored when the gap between the
# old commune's centre and the edge of the new ward (its area taken as a disc)
# exceeds this. Splits between neighbours lie within about 11 km in the data,
# 20 km for a large coastal commune of Cà Mau; the package's coordinates are
# themselves geocoded by name, so only the absurd cases (87 and 98 km) go.
FAR_CANDIDATE_KM = 25.0

CURRENT, FORMER = "current", "former"

_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")


@dataclass(frozen=True)
class Province:
    """A province as the package names it (current or former)."""

    code: str
    name: str  # "Tỉnh Vĩnh Long"
    short_name: str  # "Vĩnh Long"
    key: str  # "tinhvinhlong"
    # Folded names without spaces the package accepts for it: "vinhlong", "hcm".
    keywords: tuple[str, ...] = field(default=(), compare=False, repr=False)

    @property
    def kind(self) -> str:
        return "Thành phố" if self.name.startswith("Thành phố") else "Tỉnh"

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


@dataclass(frozen=True)
class UnitRow:
    """One unit to load; ``(era, code)`` identifies it, its parent is in the same era."""

    era: str
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None = None

    @property
    def valid_from(self) -> datetime.date | None:
        return REFORM_DATE if self.era == CURRENT else None

    @property
    def valid_until(self) -> datetime.date | None:
        return None if self.era == CURRENT else FORMER_UNTIL


@dataclass
class ProvinceUnits:
    """Everything the loader writes for one current province."""

    province: Province
    former_provinces: list[Province]
    units: list[UnitRow]
    # (former unit code, current unit code)
    successors: set[tuple[str, str]]
    # What the data said that could not be used, for the operator to read.
    warnings: list[str] = field(default_factory=list)

    def count(self, era: str, level: str) -> int:
        return sum(1 for unit in self.units if unit.era == era and unit.level == level)


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_added: int = 0
    links_removed: int = 0

    def add(self, other: "LoadReport") -> None:
        for name in ("created", "updated", "unchanged", "links_added", "links_removed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


class UnknownProvince(LookupError):
    """No current province answers to ``query``; ``suggestions`` are the closest ones, best first."""

    def __init__(self, query: str, suggestions: list[tuple[Province, Province | None]]):
        super().__init__(query)
        self.query = query
        # (current province, the former province the query named, if it named one)
        self.suggestions = suggestions


# Reading the package's data.


def _data_file(name: str) -> Path:
    # Located without importing the package, whose import loads its address parsers
    # (geopy, shapely, 4 MB of JSON) in about half a second.
    spec = find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError("The vietnamadminunits package is not installed.")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


@functools.cache
def _converter() -> dict:
    return json.loads(_data_file("converter_2025.json").read_text(encoding="utf-8"))


def _query(sql: str, params: Iterable = ()) -> list[dict]:
    connection = sqlite3.connect(f"{_data_file('dataset.db').as_uri()}?mode=ro", uri=True)
    try:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute(sql, list(params))]
    finally:
        connection.close()


def _provinces(table: str) -> tuple[Province, ...]:
    rows = _query(
        "SELECT DISTINCT provinceCode, province, provinceShort, provinceKey, provinceKeywords "  # noqa: S608
        f"FROM {table} ORDER BY provinceCode"  # one of the package's two table names
    )
    return tuple(
        Province(
            row["provinceCode"],
            row["province"],
            row["provinceShort"],
            row["provinceKey"],
            tuple(json.loads(row["provinceKeywords"] or "[]")),
        )
        for row in rows
    )


@functools.cache
def current_provinces() -> tuple[Province, ...]:
    """The 34 provinces since 1 July 2025, by code."""
    return _provinces("admin_units")


@functools.cache
def former_provinces() -> tuple[Province, ...]:
    """The 63 provinces before 1 July 2025, by code."""
    return _provinces("admin_units_legacy")


def former_provinces_of(province: Province) -> list[Province]:
    """The former provinces merged into ``province``, by code."""
    keys = set(_converter()["DICT_PROVINCE"][province.key])
    return [former for former in former_provinces() if former.key in keys]


def _successor_of_former(former: Province) -> Province:
    return next(
        province
        for province in current_provinces()
        if former.key in _converter()["DICT_PROVINCE"].get(province.key, [])
    )


def _folded_name(text: str) -> str:
    folded = fold(text)
    for prefix in _PROVINCE_PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def find_province(query: str) -> Province:
    """The current province whose GSO code or name (any case, with or without diacritics) is ``query``."""
    text = query.strip()
    provinces = current_provinces()
    if text.isdigit():
        code = text.zfill(2)
        found = next((province for province in provinces if province.code == code), None)
    else:
        wanted = _folded_name(text)
        compact = wanted.replace(" ", "")  # the package's keywords: "vinhlong", "hcm"
        found = next((province for province in provinces if fold(province.short_name) == wanted), None)
        if found is None and compact:
            found = next((province for province in provinces if compact in province.keywords), None)
    if found is None:
        raise UnknownProvince(query, _suggestions(text))
    return found


def _suggestions(text: str, limit: int = 5) -> list[tuple[Province, Province | None]]:
    """Current provinces close to ``text``, and the successors of former provinces it names."""
    suggestions: list[tuple[Province, Province | None]] = []

    def suggest(province: Province, former: Province | None = None) -> None:
        if all(province != known for known, _ in suggestions):
            suggestions.append((province, former))

    if text.isdigit():
        code = text.zfill(2)
        for former in former_provinces():
            if former.code == code:
                suggest(_successor_of_former(former), former)
        return suggestions[:limit]
    wanted = _folded_name(text)
    if not wanted:
        return []
    for former in former_provinces():
        if fold(former.short_name) == wanted:
            suggest(_successor_of_former(former), former)
    names = {fold(province.short_name): province for province in current_provinces()}
    former_names = {fold(former.short_name): former for former in former_provinces()}
    for name in difflib.get_close_matches(wanted, list(names), n=limit, cutoff=0.6):
        suggest(names[name])
    for name in difflib.get_close_matches(wanted, list(former_names), n=limit, cutoff=0.75):
        former = former_names[name]
        successor = _successor_of_former(former)
        suggest(successor, None if successor.key == former.key else former)
    for name, province in names.items():
        if wanted in name:
            suggest(province)
    return suggestions[:limit]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on the ground, flat-earth approximation (fine at a few tens of km)."""
    north = (lat2 - lat1) * 111.2
    east = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(north, east)


def _is_near(old_row: dict, candidate: dict) -> bool:
    if old_row.get("wardLat") is None or candidate.get("newWardLat") is None:
        return True
    radius = math.sqrt(max(candidate.get("newWardAreaKm2") or 0.0, 0.0) / math.pi)
    gap = (
        _distance_km(old_row["wardLat"], old_row["wardLon"], candidate["newWardLat"], candidate["newWardLon"])
        - radius
    )
    return gap <= FAR_CANDIDATE_KM


def read_province(province: Province) -> ProvinceUnits:
    """The current province, its wards, the former provinces merged into it with their districts and
    communes, and the successor links between them, as the package's data gives them."""
    converter = _converter()
    formers = former_provinces_of(province)
    current_rows = _query(
        "SELECT ward, wardCode, wardType, wardKey FROM admin_units WHERE provinceKey = ? ORDER BY wardCode",
        [province.key],
    )
    placeholders = ", ".join("?" * len(formers))
    former_rows = _query(
        "SELECT provinceCode, provinceKey, district, districtCode, districtType, districtKey, "  # noqa: S608
        "ward, wardCode, wardType, wardKey, wardLat, wardLon FROM admin_units_legacy "
        f"WHERE provinceKey IN ({placeholders}) ORDER BY provinceCode, districtCode, wardCode",
        [former.key for former in formers],
    )

    units = [UnitRow(CURRENT, province.code, province.name, AdminUnit.Level.PROVINCE, province.kind)]
    current_code_by_key: dict[str, str] = {}
    for row in current_rows:
        units.append(
            UnitRow(
                CURRENT, row["wardCode"], row["ward"], AdminUnit.Level.COMMUNE, row["wardType"], province.code
            )
        )
        current_code_by_key[row["wardKey"]] = row["wardCode"]

    units.extend(
        UnitRow(FORMER, former.code, former.name, AdminUnit.Level.PROVINCE, former.kind) for former in formers
    )
    successors = {(former.code, province.code) for former in formers}
    seen_districts: set[str] = set()
    former_by_key: dict[str, dict] = {}
    district_code_by_key: dict[str, str] = {}
    for row in former_rows:
        if row["districtCode"] not in seen_districts:
            seen_districts.add(row["districtCode"])
            units.append(
                UnitRow(
                    FORMER,
                    row["districtCode"],
                    row["district"],
                    AdminUnit.Level.DISTRICT,
                    row["districtType"],
                    row["provinceCode"],
                )
            )
            district_code_by_key[f"{row['provinceKey']}_{row['districtKey']}_"] = row["districtCode"]
        if row["wardCode"]:  # island districts have no communes
            units.append(
                UnitRow(
                    FORMER,
                    row["wardCode"],
                    row["ward"],
                    AdminUnit.Level.COMMUNE,
                    row["wardType"],
                    row["districtCode"],
                )
            )
            former_by_key[f"{row['provinceKey']}_{row['districtKey']}_{row['wardKey']}"] = row

    warnings: list[str] = []
    # Where each old commune went as a whole or by default, by the commune's name key.
    destinations_by_name: dict[str, set[tuple[str, str]]] = {}
    for new_key, old_keys in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].get(province.key, {}).items():
        for old_key in old_keys:
            destinations_by_name.setdefault(old_key.split("_", 2)[-1], set()).add((old_key, new_key))
        new_code = current_code_by_key.get(new_key)
        if new_code is None:
            warnings.append(f"mapping names a ward {new_key!r} that {province.name} does not have")
            continue
        for old_key in old_keys:
            if old_key in former_by_key:
                successors.add((former_by_key[old_key]["wardCode"], new_code))
            elif old_key in district_code_by_key:
                # An island district without communes became a special zone (đặc khu).
                successors.add((district_code_by_key[old_key], new_code))
            else:
                warnings.append(f"mapping names an old unit {old_key!r} that the dataset does not have")
    divided = converter["DICT_PROVINCE_WARD_DIVIDED"].get(province.key, {})
    for old_key, candidates in divided.items():
        for candidate in candidates:
            if candidate["isDefaultNewWard"]:
                destinations_by_name.setdefault(old_key.split("_", 2)[-1], set()).add(
                    (old_key, candidate["newWardKey"])
                )
    for old_key, candidates in divided.items():
        old_row = former_by_key.get(old_key)
        if old_row is None:
            warnings.append(f"mapping names an old unit {old_key!r} that the dataset does not have")
            continue
        namesakes = destinations_by_name.get(old_row["wardKey"], set())
        for candidate in candidates:
            new_key = candidate["newWardKey"]
            new_code = current_code_by_key.get(new_key)
            where = f"{old_row['ward']} ({old_row['wardCode']}, {old_row['district']})"
            if new_code is None:
                warnings.append(f"mapping names a ward {new_key!r} that {province.name} does not have")
            elif candidate["isDefaultNewWard"]:
                successors.add((old_row["wardCode"], new_code))
            elif any(other != old_key and target == new_key for other, target in namesakes):
                warnings.append(f"{where}: ignored candidate {new_key!r}, where a namesake commune went")
            elif not _is_near(old_row, candidate):
                warnings.append(f"{where}: ignored candidate {new_key!r}, too far away")
            else:
                successors.add((old_row["wardCode"], new_code))
    linked = {old for old, _ in successors}
    for row in former_by_key.values():
        if row["wardCode"] not in linked:
            warnings.append(
                f"{row['ward']} ({row['wardCode']}, {row['district']}) has no successor in the data"
            )
    return ProvinceUnits(province, formers, units, successors, warnings)


# Writing.

_LEVEL_ORDER = {AdminUnit.Level.PROVINCE: 0, AdminUnit.Level.DISTRICT: 1, AdminUnit.Level.COMMUNE: 2}


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _identity(era: str, code: str) -> tuple[str, datetime.date | None]:
    return code, (None if era == CURRENT else FORMER_UNTIL)


@transaction.atomic
def load_province(data: ProvinceUnits) -> LoadReport:
    """Create or update the units and successor links of ``data``; rows that already match are not touched.

    Units are matched by ``(code, valid_until)`` and written one by one through
    ``save()``, which derives their search and sort names. Successor links of
    the former units are made to match the data exactly.
    """
    report = LoadReport()
    existing: dict[tuple[str, datetime.date | None], AdminUnit] = {}
    codes = sorted({unit.code for unit in data.units})
    for chunk in _chunks(codes):
        for unit in AdminUnit.objects.filter(code__in=chunk).filter(
            Q(valid_until__isnull=True) | Q(valid_until=FORMER_UNTIL)
        ):
            existing[(unit.code, unit.valid_until)] = unit

    for row in sorted(data.units, key=lambda unit: _LEVEL_ORDER[unit.level]):
        identity = _identity(row.era, row.code)
        parent = existing[_identity(row.era, row.parent_code)] if row.parent_code else None
        wanted = {
            "name": row.name,
            "level": row.level,
            "kind": row.kind,
            "parent_id": parent.pk if parent else None,
            "valid_from": row.valid_from,
        }
        unit = existing.get(identity)
        if unit is None:
            unit = AdminUnit(code=row.code, valid_until=row.valid_until, **wanted)
            unit.save()
            existing[identity] = unit
            report.created += 1
            continue
        changed = [name for name, value in wanted.items() if getattr(unit, name) != value]
        if changed:
            for name in changed:
                setattr(unit, name, wanted[name])
            unit.save(update_fields=[name.removesuffix("_id") for name in changed])
            report.updated += 1
        else:
            report.unchanged += 1

    link = AdminUnit.successors.through
    wanted_links = {
        (existing[_identity(FORMER, old)].pk, existing[_identity(CURRENT, new)].pk)
        for old, new in data.successors
    }
    former_ids = [unit.pk for (_code, until), unit in existing.items() if until is not None]
    present_links: dict[tuple[int, int], int] = {}
    for chunk in _chunks(former_ids):
        for pk, source, target in link.objects.filter(from_adminunit_id__in=chunk).values_list(
            "pk", "from_adminunit_id", "to_adminunit_id"
        ):
            present_links[(source, target)] = pk
    missing = wanted_links - present_links.keys()
    extra = [pk for pair, pk in present_links.items() if pair not in wanted_links]
    link.objects.bulk_create(
        [link(from_adminunit_id=source, to_adminunit_id=target) for source, target in sorted(missing)]
    )
    for chunk in _chunks(extra):
        link.objects.filter(pk__in=chunk).delete()
    report.links_added, report.links_removed = len(missing), len(extra)
    return report
