"""Importing a commune's list of household businesses: upload, preview, confirm.

``start_import`` reads the file (``conversions.spreadsheets``) and works out, for every row, what
confirming would do to the registry (add, update, skip) or why it cannot (error), with each problem
in the officer's language, its row and its column. Nothing reaches the registry before
``confirm_import``, which writes the rows of the stored preview in one transaction through the
registry's own services (``conversions.services.registry``), so an imported record keeps every rule a
typed one keeps, and is audited the same way.

The preview looks everything up at once (the registration numbers already recorded, the people known
by CCCD, the communes of the import's unit and the ones they replaced), so its queries do not grow
with the rows, except the one query of ``check_record`` per row that passes every other check (see
``_record_rules``). A list of more than ``PREVIEW_IN_REQUEST`` rows is previewed by a Celery task that
notes its progress in ``rows_read``.
"""

import datetime
import hashlib
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from celery import shared_task
from django.db import OperationalError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from conversions.access import can_change
from conversions.models import HouseholdBusiness, HouseholdBusinessImport
from conversions.services.registry import (
    EDITABLE,
    Owner,
    check_owner,
    check_record,
    record_household_business,
    update_household_business,
)
from conversions.spreadsheets import COLUMNS, MAX_UPLOAD_BYTES, SheetRow, SpreadsheetError, read_rows
from dossiers.models import Applicant
from portal.audit import audit_context
from portal.models import AdminUnit, User
from portal.models.people import today
from portal.models.units import subtree_unit_ids
from portal.refusals import Refused
from portal.sectors import Sector
from portal.text import fold

# Up to this many rows the preview is made while the officer waits; a longer list by a Celery task.
PREVIEW_IN_REQUEST = 5_000
# The background preview notes its progress every this many rows.
PROGRESS_EVERY = 500
# Values sent in one ``__in`` lookup: SQLite takes 32,766 parameters, the longest list 20,000 rows.
LOOKUP_CHUNK = 10_000

HEADINGS = {column.key: column.heading for column in COLUMNS}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
ImportStatus = HouseholdBusinessImport.Status
OnDuplicate = HouseholdBusinessImport.OnDuplicate


class RowAction(models.TextChoices):
    """What confirming does with a row of the file."""

    ADD = "add", pgettext_lazy("import row", "add")
    UPDATE = "update", pgettext_lazy("import row", "update")
    SKIP = "skip", pgettext_lazy("import row", "skip")
    ERROR = "error", pgettext_lazy("import row", "error")


class Level(models.TextChoices):
    """How much a problem weighs: an error keeps the row out; a warning or a note is only shown."""

    ERROR = "error", pgettext_lazy("import problem", "error")
    WARNING = "warning", pgettext_lazy("import problem", "warning")
    NOTE = "note", pgettext_lazy("import problem", "note")


# --- What the cells may say (data-like Vietnamese, as the template offers them) -------------------------

# The sections of VSIC 2018 (Decision 27/2018/QĐ-TTg) by their Vietnamese names.
SECTOR_NAMES = {
    "A": "Nông nghiệp, lâm nghiệp và thủy sản",
    "B": "Khai khoáng",
    "C": "Công nghiệp chế biến, chế tạo",
    "D": "Sản xuất và phân phối điện, khí đốt, nước nóng, hơi nước và điều hòa không khí",
    "E": "Cung cấp nước; hoạt động quản lý và xử lý rác thải, nước thải",
    "F": "Xây dựng",
    "G": "Bán buôn và bán lẻ; sửa chữa ô tô, mô tô, xe máy và xe có động cơ khác",
    "H": "Vận tải kho bãi",
    "I": "Dịch vụ lưu trú và ăn uống",
    "J": "Thông tin và truyền thông",
    "K": "Hoạt động tài chính, ngân hàng và bảo hiểm",
    "L": "Hoạt động kinh doanh bất động sản",
    "M": "Hoạt động chuyên môn, khoa học và công nghệ",
    "N": "Hoạt động hành chính và dịch vụ hỗ trợ",
    "O": "Hoạt động của Đảng Cộng sản, tổ chức chính trị - xã hội, quản lý Nhà nước, an ninh quốc phòng; "
    "bảo đảm xã hội bắt buộc",
    "P": "Giáo dục và đào tạo",
    "Q": "Y tế và hoạt động trợ giúp xã hội",
    "R": "Nghệ thuật, vui chơi và giải trí",
    "S": "Hoạt động dịch vụ khác",
    "T": "Hoạt động làm thuê các công việc trong các hộ gia đình, sản xuất sản phẩm vật chất và dịch vụ tự "
    "tiêu dùng của hộ gia đình",
    "U": "Hoạt động của các tổ chức và cơ quan quốc tế",
}
RevenueBand = HouseholdBusiness.RevenueBand
TaxMode = HouseholdBusiness.TaxMode
# The first text of each is the one the template offers; the others are read too.
REVENUE_BAND_TEXTS = {
    RevenueBand.UNDER_500M: ("Dưới 500 triệu đồng", "Dưới 500 triệu"),
    RevenueBand.UP_TO_3B: ("Từ 500 triệu đến 3 tỷ đồng", "Từ 500 triệu đến 3 tỷ", "500 triệu - 3 tỷ"),
    RevenueBand.UP_TO_10B: ("Trên 3 tỷ đến 10 tỷ đồng", "Trên 3 tỷ đến 10 tỷ", "3 tỷ - 10 tỷ"),
    RevenueBand.OVER_10B: ("Trên 10 tỷ đồng", "Trên 10 tỷ"),
}
TAX_MODE_TEXTS = {
    TaxMode.DECLARED: ("Kê khai", "Thuế kê khai", "Nộp thuế theo kê khai"),
    TaxMode.LUMP_SUM: ("Khoán", "Thuế khoán", "Nộp thuế khoán"),
}
SECTION_PREFIX = re.compile(r"([a-u])\s*[-–—:.)]\s*\S.*")


def _texts_to_values(texts: dict, choices: type[models.TextChoices]) -> dict[str, str]:
    """Folded text → value: the Vietnamese texts above, the values themselves and their labels."""
    known = {fold(text): value for value, names in texts.items() for text in names}
    for value, label in choices.choices:
        known.setdefault(fold(value), value)
        known.setdefault(fold(str(label)), value)
    return known


REVENUE_BANDS = _texts_to_values(REVENUE_BAND_TEXTS, RevenueBand)
TAX_MODES = _texts_to_values(TAX_MODE_TEXTS, TaxMode)
SECTORS = {fold(name): letter for letter, name in SECTOR_NAMES.items()} | {
    fold(str(label).split("–", 1)[-1]): letter for letter, label in Sector.choices
}


def template_choices() -> dict[str, list[str]]:
    """What the template's drop-down lists offer, by column key (``spreadsheets.template_xlsx``)."""
    return {
        "sector": [f"{letter} – {name}" for letter, name in SECTOR_NAMES.items()],
        "revenue_band": [names[0] for names in REVENUE_BAND_TEXTS.values()],
        "tax_mode": [TAX_MODE_TEXTS[TaxMode.DECLARED][0], TAX_MODE_TEXTS[TaxMode.LUMP_SUM][0]],
    }


def read_sector(text: str) -> str | None:
    """The VSIC section a cell names: its letter, "C – …", or its name; None for anything else."""
    folded = fold(text)
    if len(folded) == 1 and folded.upper() in Sector.values:
        return folded.upper()
    if match := SECTION_PREFIX.fullmatch(folded):
        return match.group(1).upper()
    return SECTORS.get(folded)


def _accepted(texts: dict) -> str:
    return ", ".join(f"“{names[0]}”" for names in texts.values())


# --- The communes a row may name ----------------------------------------------------------------------------

KIND_PREFIXES = ("xa ", "phuong ", "thi tran ")


def commune_key(text: str) -> str:
    """A commune's name folded and without its kind: "Xã Sơn Định", "xa son dinh", "Sơn Định" alike."""
    folded = fold(text)
    for prefix in KIND_PREFIXES:
        if folded.startswith(prefix) and len(folded) > len(prefix):
            return folded[len(prefix) :]
    return folded


def _valid_on(unit: AdminUnit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_until is None or day <= unit.valid_until
    )


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


# --- Checking the rows --------------------------------------------------------------------------------------

# Which column a refusal of the registry's rules is about.
REFUSAL_COLUMNS = {
    "future": "registered_on",
    "not_commune": "commune",
    "unit_not_valid": "commune",
    "lump_sum_ended": "tax_mode",
    "registration_number_taken": "registration_number",
    "national_id": "owner_national_id",
}
LENGTHS: dict[str, int] = {
    "name": HouseholdBusiness._meta.get_field("name").max_length or 0,
    "registration_number": HouseholdBusiness._meta.get_field("registration_number").max_length or 0,
    "address": HouseholdBusiness._meta.get_field("address").max_length or 0,
    "owner_name": Applicant._meta.get_field("full_name").max_length or 0,
    "owner_phone": Applicant._meta.get_field("phone").max_length or 0,
}
ORIGINAL_NAME_LENGTH: int = HouseholdBusinessImport._meta.get_field("original_name").max_length or 200
# The record's fields a row gives, in the order a change is shown.
COMPARED = ("name", "registered_on", "address", "unit", "sector", "workers", "revenue_band", "tax_mode")
FIELD_COLUMNS = {"unit": "commune"}


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


@dataclass
class Lookups:
    """Everything the rows are checked against, looked up once for the whole file."""

    unit: AdminUnit
    by: User
    on_duplicate: str
    on: datetime.date
    existing: dict[str, HouseholdBusiness]
    people: dict[str, Applicant]
    communes: Communes
    units: dict[int, AdminUnit] = field(default_factory=dict)
    numbers_seen: dict[str, int] = field(default_factory=dict)
    people_seen: dict[str, tuple[int, str]] = field(default_factory=dict)

    @classmethod
    def build(cls, *, unit: AdminUnit, by: User, on_duplicate: str, rows: list[SheetRow]) -> "Lookups":
        numbers = sorted(
            {str(row.values["registration_number"]) for row in rows if row.values.get("registration_number")}
        )
        national_ids = sorted(
            {str(row.values["owner_national_id"]) for row in rows if row.values.get("owner_national_id")}
        )
        existing: dict[str, HouseholdBusiness] = {}
        for chunk in _chunks(numbers):
            existing |= {
                business.registration_number: business
                for business in HouseholdBusiness.objects.filter(
                    registration_number__in=chunk
                ).select_related("owner", "unit")
            }
        people: dict[str, Applicant] = {}
        for chunk in _chunks(national_ids):
            for person in Applicant.objects.filter(national_id__in=chunk).order_by("-pk"):
                people[person.national_id] = person  # the first recorded wins, as person_by_national_id
        names = {str(row.values["commune"]) for row in rows if row.values.get("commune")}
        return cls(
            unit=unit,
            by=by,
            on_duplicate=on_duplicate,
            on=today(),
            existing=existing,
            people=people,
            communes=Communes(unit, names),
        )


def _problem(level: str, column: str | None, message: str) -> dict:
    return {
        "level": level,
        "column": column or "",
        "heading": HEADINGS.get(column or "", ""),
        "message": message,
    }


def _shown(field_name: str, value) -> str:
    """A value as the preview shows it: dates day first, a choice by its label, a commune by its name."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, AdminUnit):
        return value.name
    if field_name == "revenue_band":
        return str(RevenueBand(value).label)
    if field_name == "tax_mode":
        return str(TaxMode(value).label)
    return str(value)


def _record_rules(fields: dict, *, on: datetime.date, pk: int | None = None) -> Refused | None:
    """The registry's own rules (``check_record``) on a row, as its refusal or None.

    ``check_record`` ends with a query for the registration number, which the preview already knows:
    it is the one query a row costs. A check without it in ``services/registry.py`` would make the
    preview's queries constant.
    """
    try:
        check_record(fields, on=on, pk=pk)
    except Refused as refusal:
        return refusal
    return None


class RowCheck:
    """One row of the file: what confirming would do and every problem, in the order of the columns."""

    def __init__(self, row: SheetRow, lookups: Lookups):
        self.row = row
        self.lookups = lookups
        self.values = row.values
        self.problems = [_problem(Level.ERROR, cell.column, cell.message) for cell in row.problems]
        self.changes: list[dict] = []
        self.unit: AdminUnit | None = None
        self.sector: str | None = None
        self.revenue_band: str | None = None
        self.tax_mode: str | None = None
        self.existing_pk: int | None = None  # the record a row already in the registry updates
        self.changed: dict[str, Any] = {}

    def error(self, column: str | None, message: str) -> None:
        self.problems.append(_problem(Level.ERROR, column, message))

    def has_errors(self) -> bool:
        return any(problem["level"] == Level.ERROR for problem in self.problems)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return "" if value is None else str(value)

    def check(self) -> dict:
        unreadable = {problem["column"] for problem in self.problems}
        for key in REQUIRED:
            if self.values.get(key) is None and key not in unreadable:
                self.error(key, _("This column is required and the cell is empty."))
        for key, length in LENGTHS.items():
            if len(self.text(key)) > length:
                self.error(key, _("At most %(count)s characters.") % {"count": length})
        self._check_number()
        self._check_owner()
        self._check_choices()
        self._check_commune()
        action = RowAction.ERROR if self.has_errors() else self._decide()
        return self._entry(action)

    def _check_number(self) -> None:
        number = self.text("registration_number")
        if not number:
            return
        first = self.lookups.numbers_seen.setdefault(number, self.row.number)
        if first != self.row.number:
            self.error(
                "registration_number",
                _(
                    "Registration number %(number)s is already on row %(row)s of this file; list each "
                    "business once."
                )
                % {"number": number, "row": first},
            )

    def _check_owner(self) -> None:
        national_id, name = self.text("owner_national_id"), self.text("owner_name")
        if not national_id:
            return
        try:
            check_owner(Owner(full_name=name, national_id=national_id))
        except Refused as refusal:
            self.error("owner_national_id", str(refusal))
            return
        known = self.lookups.people.get(national_id)
        if known is not None:
            if name and fold(known.full_name) != fold(name):
                self.problems.append(
                    _problem(
                        Level.WARNING,
                        "owner_name",
                        _(
                            "CCCD %(national_id)s is %(known)s's in the portal: the business is recorded for "
                            "%(known)s, not “%(name)s”."
                        )
                        % {"national_id": national_id, "known": known.full_name, "name": name},
                    )
                )
            return
        first_row, first_name = self.lookups.people_seen.setdefault(national_id, (self.row.number, name))
        if first_row != self.row.number and fold(first_name) != fold(name):
            self.problems.append(
                _problem(
                    Level.WARNING,
                    "owner_name",
                    _(
                        "CCCD %(national_id)s is “%(first)s” on row %(row)s: the owner is recorded as "
                        "“%(first)s”."
                    )
                    % {"national_id": national_id, "first": first_name, "row": first_row},
                )
            )

    def _check_choices(self) -> None:
        if sector := self.text("sector"):
            self.sector = read_sector(sector)
            if self.sector is None:
                self.error(
                    "sector",
                    _("“%(value)s” is not a VSIC section: write its letter (A to U) or its name.")
                    % {"value": sector},
                )
        if band := self.text("revenue_band"):
            self.revenue_band = REVENUE_BANDS.get(fold(band))
            if self.revenue_band is None:
                self.error(
                    "revenue_band",
                    _("“%(value)s” is not a revenue band; write one of %(accepted)s.")
                    % {"value": band, "accepted": _accepted(REVENUE_BAND_TEXTS)},
                )
        if mode := self.text("tax_mode"):
            self.tax_mode = TAX_MODES.get(fold(mode))
            if self.tax_mode is None:
                self.error(
                    "tax_mode",
                    _("“%(value)s” is not a tax mode; write one of %(accepted)s.")
                    % {"value": mode, "accepted": _accepted(TAX_MODE_TEXTS)},
                )

    def _check_commune(self) -> None:
        name = self.text("commune")
        if not name:
            return
        registered_on = self.values.get("registered_on")
        match = self.lookups.communes.match(
            name, registered_on if isinstance(registered_on, datetime.date) else None
        )
        self.unit = match.unit
        if match.unit is None:
            if match.message:
                self.error("commune", match.message)
        elif match.message:
            self.problems.append(_problem(Level.NOTE, "commune", match.message))

    def fields(self) -> dict:
        """The record's fields the row gives; an optional column left empty gives nothing."""
        fields: dict[str, Any] = {
            "name": self.text("name"),
            "registration_number": self.text("registration_number"),
            "registered_on": self.values["registered_on"],
            "address": self.text("address"),
            "unit": self.unit,
            "sector": self.sector,
        }
        optional = {
            "workers": self.values.get("workers"),
            "revenue_band": self.revenue_band,
            "tax_mode": self.tax_mode,
        }
        return fields | {key: value for key, value in optional.items() if value is not None}

    def refuse(self, refusal: Refused) -> None:
        self.error(REFUSAL_COLUMNS.get(refusal.code), str(refusal))

    def _decide(self) -> str:
        fields = self.fields()
        business = self.lookups.existing.get(fields["registration_number"])
        if business is None:
            if refusal := _record_rules(fields, on=self.lookups.on):
                self.refuse(refusal)
                return RowAction.ERROR
            return RowAction.ADD
        self.existing_pk = business.pk
        if not can_change(self.lookups.by, business.unit_id):
            self.error(
                "registration_number",
                _("Registration number %(number)s is already on a household business of another commune.")
                % {"number": fields["registration_number"]},
            )
            return RowAction.ERROR
        if business.owner.national_id != self.text("owner_national_id"):
            self.problems.append(
                _problem(
                    Level.WARNING,
                    "owner_national_id",
                    _(
                        "The registry records another owner for this business; an import does not change "
                        "the owner."
                    ),
                )
            )
        changed = {
            key: value for key, value in fields.items() if key in COMPARED and getattr(business, key) != value
        }
        self.changes = [
            {
                "column": FIELD_COLUMNS.get(key, key),
                "heading": HEADINGS[FIELD_COLUMNS.get(key, key)],
                "before": _shown(key, getattr(business, key)),
                "after": _shown(key, value),
            }
            for key, value in changed.items()
        ]
        self.changed = changed
        if not changed:
            self.problems.append(
                _problem(Level.NOTE, None, _("No change: the registry already holds these values."))
            )
            return RowAction.SKIP
        if self.lookups.on_duplicate == OnDuplicate.SKIP:
            self.problems.append(
                _problem(
                    Level.NOTE,
                    None,
                    _("Already in the registry: skipped, as chosen; the file differs as shown."),
                )
            )
            return RowAction.SKIP
        merged = {key: getattr(business, key) for key in EDITABLE} | changed
        if "tax_mode" not in changed:
            merged["tax_mode"] = (
                ""  # keeping a lump-sum mode is not choosing it anew (update_household_business)
            )
        if refusal := _record_rules(merged, on=self.lookups.on, pk=business.pk):
            self.refuse(refusal)
            return RowAction.ERROR
        return RowAction.UPDATE

    def _entry(self, action: str) -> dict:
        entry = {
            "row": self.row.number,
            "action": action,
            "name": self.text("name"),
            "registration_number": self.text("registration_number"),
            "commune": self.unit.name if self.unit is not None else self.text("commune"),
            "problems": self.problems,
            "changes": self.changes,
        }
        if action == RowAction.ADD:
            fields = self.fields()
            entry["write"] = {
                **{key: value for key, value in fields.items() if key not in ("unit", "registered_on")},
                "unit": fields["unit"].pk,
                "registered_on": fields["registered_on"].isoformat(),
                "owner": {
                    "full_name": self.text("owner_name"),
                    "national_id": self.text("owner_national_id"),
                    "phone": self.text("owner_phone"),
                },
            }
        elif action == RowAction.UPDATE:
            entry["write"] = {
                "business": self.existing_pk,
                "changes": {
                    key: value.pk
                    if isinstance(value, AdminUnit)
                    else value.isoformat()
                    if isinstance(value, datetime.date)
                    else value
                    for key, value in self.changed.items()
                },
            }
        return entry


def build_preview(
    *,
    unit: AdminUnit,
    by: User,
    on_duplicate: str,
    rows: list[SheetRow],
    progress: Callable[[int], object] | None = None,
) -> dict:
    """What confirming would do with each row, and the counts of each action; nothing is written."""
    lookups = Lookups.build(unit=unit, by=by, on_duplicate=on_duplicate, rows=rows)
    checked = []
    for index, row in enumerate(rows, start=1):
        checked.append(RowCheck(row, lookups).check())
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index)
    counts = dict.fromkeys(RowAction.values, 0)
    for entry in checked:
        counts[entry["action"]] += 1
    return {"counts": counts, "rows": checked}


# --- Upload, preview, confirm ---------------------------------------------------------------------------


def check_importer(by: User, unit: AdminUnit) -> None:
    """Officers import the list of a current commune or ward they may change."""
    if unit.level != AdminUnit.Level.COMMUNE or unit.valid_until is not None:
        raise Refused(_("Choose a current commune or ward."), code="not_commune")
    if not can_change(by, unit.pk):
        raise Refused(_("You may import the list of your own commune only."), code="not_writable")


def check_file(upload) -> str:
    """The plain name of an acceptable upload, checked by its size before anything is read."""
    name = (upload.name or "").strip()
    if not name or any(char in name for char in "/\\\x00"):
        raise Refused(_("The file name must be a plain name, without folders."), code="path_in_name")
    size = upload.size or 0
    if size > MAX_UPLOAD_BYTES:
        raise Refused(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": round(size / 1_000_000, 1), "limit": MAX_UPLOAD_BYTES // 1_000_000},
            code="too_large",
        )
    if size == 0:
        raise Refused(_("The file is empty."), code="empty")
    return name[-ORIGINAL_NAME_LENGTH:]


def _read(upload) -> list[SheetRow]:
    try:
        return read_rows(upload)
    except SpreadsheetError as error:
        raise Refused(str(error), code="unreadable") from error


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def estimated_rows(upload) -> int | None:
    """The rows of an Excel workbook's first sheet, as it states them or as its XML counts them,
    without reading a cell; None for a CSV file (read quickly whole) or a file that is no workbook.

    It only chooses where the preview is made: reading an .xlsx file takes about a millisecond a row.
    """
    if not _is_zip(upload):
        return None
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(upload, read_only=True)
    except Exception:
        return None  # a damaged file: read_rows says what is wrong, in the request
    try:
        sheet = workbook.worksheets[0]
        # Excel states the size of a sheet; for a program that does not, its rows are counted.
        return sheet.max_row or _count_rows(sheet._get_source())
    except Exception:
        return None
    finally:
        workbook.close()
        upload.seek(0)


def _count_rows(source) -> int:
    """The ``<row …>`` elements of a sheet's XML, read a megabyte at a time."""
    count, tail = 0, b""
    with source:
        while chunk := source.read(1 << 20):
            text = tail + chunk
            count += text.count(b"<row ")
            tail = text[-4:]  # shorter than the pattern: an element is never counted twice
    return count


def start_import(*, by: User, unit: AdminUnit, upload, on_duplicate: str) -> HouseholdBusinessImport:
    """Keep the file and preview it: in this request up to ``PREVIEW_IN_REQUEST`` rows, else by a task.

    A file that is too large, not a spreadsheet or without the template's headings is refused and
    nothing is kept (a workbook stating more rows than ``PREVIEW_IN_REQUEST`` is read by the task
    instead, which marks the import failed, saying why); nothing is written to the registry either way.
    """
    check_importer(by, unit)
    if on_duplicate not in OnDuplicate.values:
        raise Refused(
            _("Choose whether to skip or update the rows already in the registry."), code="on_duplicate"
        )
    name = check_file(upload)
    estimate = estimated_rows(upload)
    rows = _read(upload) if estimate is None or estimate <= PREVIEW_IN_REQUEST + 1 else None
    record = HouseholdBusinessImport(
        unit=unit,
        original_name=name,
        sha256=_sha256(upload),
        on_duplicate=on_duplicate,
        uploaded_by=by,
        rows_total=len(rows) if rows is not None else max((estimate or 1) - 1, 0),
    )
    if rows is not None and len(rows) <= PREVIEW_IN_REQUEST:
        # Read and checked outside a transaction: the database is not held while the rows are checked.
        record.preview = build_preview(unit=unit, by=by, on_duplicate=on_duplicate, rows=rows)
        record.status = ImportStatus.PREVIEWED
        record.rows_read = len(rows)
    extension = ".xlsx" if _is_zip(upload) else ".csv"
    with transaction.atomic():
        record.file.save(f"{uuid.uuid4().hex}{extension}", upload, save=False)
        record.save()
        if record.status == ImportStatus.READING:
            preview_import.delay_on_commit(record.pk)
    return record


def _is_zip(upload) -> bool:
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    return head == b"PK\x03\x04"


def preview_stored_import(*, import_id: int) -> bool:
    """Preview an import kept while ``reading``; a second delivery finds it previewed and does nothing."""
    upload = (
        HouseholdBusinessImport.objects.select_related("unit", "uploaded_by").filter(pk=import_id).first()
    )
    if upload is None or upload.status != ImportStatus.READING:
        return False
    reading = HouseholdBusinessImport.objects.filter(pk=import_id, status=ImportStatus.READING)
    try:
        with upload.file.open("rb") as stored:
            rows = read_rows(stored)
    except SpreadsheetError as error:
        return bool(reading.update(status=ImportStatus.FAILED, error=str(error)))
    reading.update(rows_total=len(rows))
    preview = build_preview(
        unit=upload.unit,
        by=upload.uploaded_by,
        on_duplicate=upload.on_duplicate,
        rows=rows,
        progress=lambda done: reading.update(rows_read=done),
    )
    return bool(
        reading.update(
            status=ImportStatus.PREVIEWED, preview=preview, rows_total=len(rows), rows_read=len(rows)
        )
    )


@shared_task(
    name="conversions.tasks.preview_import",
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=30,
)
def preview_import(import_id: int) -> bool:
    """Preview a long list in the background; a second delivery finds it previewed and does nothing."""
    return preview_stored_import(import_id=import_id)


# --- Confirming -------------------------------------------------------------------------------------------

# Up to this many rows to add or update are written while the officer waits (each goes through the
# registry's services and is audited: some milliseconds a row); more by a Celery task.
CONFIRM_IN_REQUEST = 300


def is_writing(upload: HouseholdBusinessImport) -> bool:
    """Confirmed by an officer, its rows not yet written: a task is writing them."""
    return upload.status == ImportStatus.PREVIEWED and upload.confirmed_by_id is not None


def _refuse_confirming(import_id: int) -> Refused:
    upload = HouseholdBusinessImport.objects.filter(pk=import_id).only("status", "confirmed_by").first()
    if upload is not None and (upload.status == ImportStatus.CONFIRMED or is_writing(upload)):
        return Refused(_("This import has already been confirmed."), code="confirmed", conflict=True)
    if upload is not None and upload.status == ImportStatus.READING:
        return Refused(
            _("The file is still being read: confirm once the preview is ready."),
            code="reading",
            conflict=True,
        )
    return Refused(_("This file could not be read: nothing can be confirmed."), code="failed", conflict=True)


def confirm_import(*, upload: HouseholdBusinessImport, by: User) -> HouseholdBusinessImport:
    """Write the rows of the preview (adds and updates) in one transaction, once.

    The import is claimed by a conditional update, so a second click or a retry is refused (409). Each
    row goes through the registry's services, which check its rules again and audit the change; if the
    registry changed since the preview so that a row is refused now, nothing is written. More than
    ``CONFIRM_IN_REQUEST`` rows to write are written by a task: the import is then returned claimed
    (``is_writing``) and its status turns to confirmed when they are written.
    """
    if not can_change(by, upload.unit_id):
        raise Refused(_("You may import the list of your own commune only."), code="not_writable")
    counts = upload.preview.get("counts", {})
    if counts.get(RowAction.ADD, 0) + counts.get(RowAction.UPDATE, 0) <= CONFIRM_IN_REQUEST:
        return _write(import_id=upload.pk, by=by, queued=False)
    with transaction.atomic():
        claimed = HouseholdBusinessImport.objects.filter(
            pk=upload.pk, status=ImportStatus.PREVIEWED, confirmed_by__isnull=True
        ).update(confirmed_by=by, error="")
        if not claimed:
            raise _refuse_confirming(upload.pk)
        write_import.delay_on_commit(upload.pk)
    return HouseholdBusinessImport.objects.select_related("unit").get(pk=upload.pk)


def write_confirmed_import(*, import_id: int) -> bool:
    """Write an import an officer confirmed, as theirs; a second delivery finds it written and does nothing.

    If the registry changed since the preview so that a row is refused, nothing is written and the
    import is left to be confirmed again, saying why in ``error``.
    """
    upload = HouseholdBusinessImport.objects.select_related("confirmed_by").filter(pk=import_id).first()
    if upload is None or not is_writing(upload):
        return False
    try:
        with audit_context(actor=upload.confirmed_by, channel="task"):
            _write(import_id=import_id, by=upload.confirmed_by, queued=True)
    except Refused as refusal:
        HouseholdBusinessImport.objects.filter(pk=import_id, status=ImportStatus.PREVIEWED).update(
            confirmed_by=None, error=str(refusal)
        )
        return False
    return True


@shared_task(
    name="conversions.tasks.write_import",
    acks_late=True,
    autoretry_for=(OperationalError,),
    max_retries=3,
    retry_backoff=30,
)
def write_import(import_id: int) -> bool:
    """Write a long confirmed list in the background; a second delivery finds it written."""
    return write_confirmed_import(import_id=import_id)


@transaction.atomic
def _write(*, import_id: int, by: User, queued: bool) -> HouseholdBusinessImport:
    """Claim the import (previewed, unclaimed or claimed by ``by`` for a task) and write its rows."""
    claim = HouseholdBusinessImport.objects.filter(pk=import_id, status=ImportStatus.PREVIEWED)
    claim = claim.filter(confirmed_by=by) if queued else claim.filter(confirmed_by__isnull=True)
    if not claim.update(status=ImportStatus.CONFIRMED, confirmed_by=by, confirmed_at=timezone.now()):
        raise _refuse_confirming(import_id)
    upload = HouseholdBusinessImport.objects.select_related("unit").get(pk=import_id)
    rows = upload.preview.get("rows", [])
    writes = [row for row in rows if row["action"] in (RowAction.ADD, RowAction.UPDATE)]
    unit_ids = {row["write"]["unit"] for row in writes if "unit" in row["write"]} | {
        row["write"]["changes"]["unit"] for row in writes if "unit" in row["write"].get("changes", {})
    }
    units = AdminUnit.objects.in_bulk(unit_ids)
    businesses = HouseholdBusiness.objects.select_related("unit").in_bulk(
        [row["write"]["business"] for row in writes if "business" in row["write"]]
    )
    added = updated = 0
    for row in writes:
        try:
            if row["action"] == RowAction.ADD:
                _add(row["write"], units, by)
                added += 1
            else:
                _update(row["write"], units, businesses, by)
                updated += 1
        except (Refused, KeyError) as refusal:
            raise Refused(
                _("Row %(row)s: %(reason)s The registry changed after the preview: upload the file again.")
                % {"row": row["row"], "reason": refusal},
                code="changed",
                conflict=True,
            ) from refusal
    upload.rows_added, upload.rows_updated, upload.rows_skipped = added, updated, len(rows) - added - updated
    upload.save(update_fields=["rows_added", "rows_updated", "rows_skipped"])
    return upload


def _add(write: dict, units: dict[int, AdminUnit], by: User) -> None:
    fields = {key: value for key, value in write.items() if key not in ("owner", "unit", "registered_on")}
    record_household_business(
        by=by,
        owner=Owner(**write["owner"]),
        unit=units[write["unit"]],
        registered_on=datetime.date.fromisoformat(write["registered_on"]),
        **fields,
    )


def _update(
    write: dict, units: dict[int, AdminUnit], businesses: dict[int, HouseholdBusiness], by: User
) -> None:
    changes = dict(write["changes"])
    if "unit" in changes:
        changes["unit"] = units[changes["unit"]]
    if "registered_on" in changes:
        changes["registered_on"] = datetime.date.fromisoformat(changes["registered_on"])
    update_household_business(business=businesses[write["business"]], by=by, **changes)
