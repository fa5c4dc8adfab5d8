"""Applicants: registering an account with the person or enterprise it speaks for."""

from django.db import transaction
from django.utils import timezone

from portal.models import Applicant, User


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
