"""Personal data (Decree 13/2023, Law 91/2025): which of a person's details are personal, and how they
show to those who may not see them whole.

A person's CCCD number, phone number, e-mail address and address are personal. Who sees them whole is
decided once beside the records they belong to (an applicant's: ``dossiers/access.py:
sees_personal_data``, the applicant, who filed for them and the dossier's processors); everyone else
who reads the record, the council included, sees them masked. Pages, the API, slips and exports present
them through ``personal_details``, so they cannot disagree.
"""

from dataclasses import dataclass

MASK_CHARACTER = "•"
VISIBLE_DIGITS = 4
# A masked text is always this long, so its length tells nothing either.
MASKED_TEXT = MASK_CHARACTER * 6


def mask(value: str | None) -> str:
    """All but the last four digits hidden: ``"0912 345 678"`` -> ``"••••••5678"``.

    Only digits count, so spaces or dots in the stored number reveal nothing; a number of
    four digits or fewer is hidden whole.
    """
    digits = "".join(char for char in (value or "") if char.isdigit())
    if len(digits) <= VISIBLE_DIGITS:
        return MASK_CHARACTER * len(digits)
    return MASK_CHARACTER * (len(digits) - VISIBLE_DIGITS) + digits[-VISIBLE_DIGITS:]


def mask_email(value: str | None) -> str:
    """The first character and the domain: ``"nop@example.vn"`` -> ``"n••••••@example.vn"``; "" stays ""."""
    local, at, domain = (value or "").partition("@")
    if not local:
        return ""
    return f"{local[0]}{MASKED_TEXT}{at}{domain}"


def mask_text(value: str | None) -> str:
    """Free text such as an address, hidden whole: only whether there is one shows."""
    return MASKED_TEXT if value else ""


@dataclass(frozen=True)
class PersonalDetails:
    national_id: str
    phone: str
    email: str
    address: str


def personal_details(person, *, whole: bool) -> PersonalDetails:
    """The personal details of ``person`` (anything with ``national_id``, ``phone``, ``email`` and
    ``address``), whole or masked."""
    if whole:
        return PersonalDetails(person.national_id, person.phone, person.email, person.address)
    return PersonalDetails(
        national_id=mask(person.national_id),
        phone=mask(person.phone),
        email=mask_email(person.email),
        address=mask_text(person.address),
    )
