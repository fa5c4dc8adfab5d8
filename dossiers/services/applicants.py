"""Applicants: registering an account with the person or enterprise it speaks for, their profile,
or filing at the desk."""

from django.db import transaction
from django.utils import timezone

from dossiers.models import Applicant, Dossier, Procedure
from dossiers.services.dossiers import start_dossier
from portal.models import User


def person_by_national_id(national_id: str) -> Applicant | None:
    """The one record the portal keeps of the person with this CCCD number, if it knows them.

    A person is never recorded twice: the desk, the registry of household businesses and every
    import look a person up here before adding one.
    """
    if not national_id:
        return None
    return Applicant.objects.filter(national_id=national_id).order_by("pk").first()


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
