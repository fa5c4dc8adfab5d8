"""Writing the registry of household businesses: one record per business, one person per CCCD."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from conversions.access import can_change
from conversions.models import LUMP_SUM_ENDS, HouseholdBusiness
from dossiers.services.applicants import Person, check_person, person_record
from portal.models import AdminUnit, User
from portal.models.people import today
from portal.periods import covers
from portal.refusals import Refused

# What an officer may change on a record; the owner is changed only through their CCCD.
EDITABLE = (
    "name",
    "registration_number",
    "registered_on",
    "address",
    "unit",
    "sector",
    "workers",
    "revenue_band",
    "tax_mode",
    "status",
)


def check_fields(fields: dict, *, on: datetime.date) -> None:
    """The rules a record's own fields keep, whether typed in, sent through the API or imported; no query."""
    registered_on: datetime.date = fields["registered_on"]
    if registered_on > on:
        raise Refused(_("The registration date cannot be in the future."), code="future")
    unit: AdminUnit = fields["unit"]
    if unit.level != AdminUnit.Level.COMMUNE:
        raise Refused(_("Choose a commune or ward, not a district or province."), code="not_commune")
    if not covers(registered_on, unit.valid_from, unit.valid_until):
        raise Refused(
            _("%(unit)s did not exist on %(day)s: choose the commune of that date.")
            % {"unit": unit, "day": f"{registered_on:%d/%m/%Y}"},
            code="unit_not_valid",
        )
    if fields.get("tax_mode") == HouseholdBusiness.TaxMode.LUMP_SUM and on >= LUMP_SUM_ENDS:
        raise Refused(
            _("Lump-sum tax ended on 01/01/2026 (Resolution 198/2025/QH15): choose declared."),
            code="lump_sum_ended",
        )


def check_record(fields: dict, *, on: datetime.date, pk: int | None = None) -> None:
    """``check_fields``, and the registration number on no other record (an import knows them all
    up front and checks that itself)."""
    check_fields(fields, on=on)
    taken = HouseholdBusiness.objects.filter(registration_number=fields["registration_number"]).exclude(pk=pk)
    if taken.exists():
        raise Refused(
            _("Registration number %(number)s is already on another household business.")
            % {"number": fields["registration_number"]},
            code="registration_number_taken",
        )


def _check_writer(by: User, unit: AdminUnit) -> None:
    if not can_change(by, unit.pk):
        raise Refused(_("You may change the registry of your own commune only."), code="not_writable")


@transaction.atomic
def record_household_business(*, by: User, owner: Person, **fields) -> HouseholdBusiness:
    """Add a household business to the registry; ``fields`` are the model's (see EDITABLE)."""
    _check_writer(by, fields["unit"])
    check_person(owner)
    check_record(fields, on=today())
    business = HouseholdBusiness(owner=person_record(owner, fields["unit"], fields["address"]), **fields)
    business.save()
    return business


@transaction.atomic
def update_household_business(*, business: HouseholdBusiness, by: User, **changes) -> HouseholdBusiness:
    """Change the fields given; only the changed ones are written (and audited)."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    business = HouseholdBusiness.objects.select_for_update().get(pk=business.pk)
    _check_writer(by, business.unit)
    merged = {field: getattr(business, field) for field in EDITABLE} | changes
    _check_writer(by, merged["unit"])
    if changes.get("tax_mode") == business.tax_mode:
        merged["tax_mode"] = ""  # keeping an old lump-sum mode is not choosing it anew
    check_record(merged, on=today(), pk=business.pk)
    changed = [field for field, value in changes.items() if getattr(business, field) != value]
    for field in changed:
        setattr(business, field, changes[field])
    if changed:
        business.save(update_fields=changed)
    return business
