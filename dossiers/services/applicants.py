"""Applicants: registering an account with the person or enterprise it speaks for, their profile,
or filing at the desk."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Applicant, Dossier, Procedure
from dossiers.services.dossiers import start_dossier
from portal.models import AdminUnit, User
from portal.models.people import today
from portal.refusals import Refused


def person_by_national_id(national_id: str) -> Applicant | None:
    """The one record the portal keeps of the person with this CCCD number, if it knows them.

    A person is never recorded twice: the desk, the registry of household businesses and every
    import look a person up here before adding one.
    """
    if not national_id:
        return None
    return Applicant.objects.filter(national_id=national_id).order_by("pk").first()


@dataclass(frozen=True)
class Person:
    """A person as an officer or a spreadsheet names them (an owner, a founder, a household's head):
    matched to the one record of them by CCCD."""

    full_name: str
    national_id: str
    phone: str = ""


def check_person(person: Person) -> None:
    if not (person.national_id.isascii() and person.national_id.isdigit() and len(person.national_id) == 12):
        raise Refused(_("A CCCD number is 12 digits."), code="national_id")


def person_record(person: Person, unit: AdminUnit, address: str) -> Applicant:
    """The person with this CCCD: the one the portal knows, or a new record of them."""
    known = person_by_national_id(person.national_id)
    if known is not None:
        return known
    return Applicant.objects.create(
        full_name=person.full_name,
        national_id=person.national_id,
        phone=person.phone,
        address=address,
        unit=unit.holder_on(today()),
        # The team records the people it supports under the programme, with their consent.
        consent_at=timezone.now(),
    )


@transaction.atomic
def register_applicant(*, user: User, applicant: Applicant) -> User:
    """Save a new account and its applicant together, recording the moment the person consented.

    ``user`` and ``applicant`` come unsaved from validated forms; the account takes the
    applicant's name and e-mail.
    """
    user.full_name = applicant.full_name
    user.email = applicant.email
    user.save()
    applicant.user = user
    applicant.consent_at = timezone.now()
    applicant.save()
    return user


@transaction.atomic
def save_profile(*, user: User, applicant: Applicant, changed: list[str]) -> Applicant:
    """Save the profile ``user`` filled in: a new one records the moment the person consented.

    ``applicant`` comes from a validated form; of an existing profile only the ``changed`` fields
    are written (and audited).
    """
    if applicant.pk is None:
        applicant.user = user
        applicant.consent_at = timezone.now()
        applicant.save()
    elif changed:
        applicant.save(update_fields=changed)
    return applicant


@transaction.atomic
def file_at_desk(
    *, applicant: Applicant, procedure: Procedure, channel: str, summary: str, by: User
) -> Dossier:
    """An officer starts a dossier for a person who came to the desk or wrote by post.

    ``applicant`` comes unsaved from a validated form whose consent box the officer ticked
    after asking the person. Someone the portal already knows by their CCCD number keeps
    their record, so the documents they gave before are reused (once-only).
    """
    known = person_by_national_id(applicant.national_id)
    if known is None:
        applicant.consent_at = timezone.now()
        applicant.save()
        known = applicant
    return start_dossier(
        procedure=procedure,
        applicant=known,
        filed_by=by,
        unit=applicant.unit,
        channel=channel,
        summary=summary,
    )
