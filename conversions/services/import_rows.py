"""Checking the rows of an imported list: what confirming would do with each and every problem, in
the officer's language, with its row and its column.

Everything a row is checked against is looked up once for the whole file (``Lookups``: the
registration numbers already recorded, the people known by CCCD, the communes of the import's unit
and those it replaced), so the preview's queries do not grow with the rows.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from conversions.access import can_change
from conversions.models import HouseholdBusiness, HouseholdBusinessImport
from conversions.services.import_communes import Communes
from conversions.services.import_texts import (
    REVENUE_BAND_TEXTS,
    REVENUE_BANDS,
    TAX_MODE_TEXTS,
    TAX_MODES,
    Level,
    RevenueBand,
    RowAction,
    TaxMode,
    accepted_texts,
    read_sector,
)
from conversions.services.registry import EDITABLE, check_fields
from conversions.spreadsheets import COLUMNS, SheetRow
from dossiers.models import Applicant
from dossiers.services.applicants import Person, check_person
from portal.models import AdminUnit, User
from portal.models.people import today
from portal.refusals import Refused
from portal.text import fold

# The background preview notes its progress every this many rows.
PROGRESS_EVERY = 500
# Values sent in one ``__in`` lookup: SQLite takes 32,766 parameters, the longest list 20,000 rows.
LOOKUP_CHUNK = 10_000

HEADINGS = {column.key: column.heading for column in COLUMNS}
REQUIRED = tuple(column.key for column in COLUMNS if column.required)
OnDuplicate = HouseholdBusinessImport.OnDuplicate


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


def _record_rules(fields: dict, *, on: datetime.date) -> Refused | None:
    """The registry's own rules on a row's fields (``check_fields``), as its refusal or None; whose
    registration number it is the ``Lookups`` know already."""
    try:
        check_fields(fields, on=on)
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
            check_person(Person(full_name=name, national_id=national_id))
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
                    % {"value": band, "accepted": accepted_texts(REVENUE_BAND_TEXTS)},
                )
        if mode := self.text("tax_mode"):
            self.tax_mode = TAX_MODES.get(fold(mode))
            if self.tax_mode is None:
                self.error(
                    "tax_mode",
                    _("“%(value)s” is not a tax mode; write one of %(accepted)s.")
                    % {"value": mode, "accepted": accepted_texts(TAX_MODE_TEXTS)},
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
        if refusal := _record_rules(merged, on=self.lookups.on):
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
