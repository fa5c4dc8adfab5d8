"""The conversions' part of the synthetic province (``manage.py generate_data``, issue 11, part 9)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from conversions.models import (
    STAGE_ORDER,
    Conversion,
    FollowUpVisit,
    HouseholdBusiness,
    Outcome,
    OutcomeChange,
    Stage,
)
from conversions.services.followups import grant_entitlements
from dossiers.catalogue import CONVERSION_SUPPORT
from portal.models import AdminUnit

pytestmark = pytest.mark.django_db

# The day the synthetic data ends, fixed so that the same seed gives the same rows on any day.
AS_OF = datetime.date(2026, 11, 20)


def valid_on(unit: AdminUnit, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (
        unit.valid_until is None or day <= unit.valid_until
    )


def generate(*arguments: str) -> str:
    out = StringIO()
    call_command("generate_data", *arguments, "--as-of", AS_OF.isoformat(), stdout=out)
    return out.getvalue()


def synthetic_snapshot():
    return (
        sorted(
            HouseholdBusiness.objects.values_list(
                "registration_number", "name", "owner__national_id", "registered_on", "unit__code", "status"
            )
        ),
        sorted(
            Conversion.objects.values_list(
                "household_business__registration_number",
                "stage",
                "enterprise_code",
                "registered_on",
                "outcome",
                "outcome_since",
                "dossier__code",
            )
        ),
        sorted(
            FollowUpVisit.objects.values_list(
                "conversion__enterprise_code", "months_after", "due_on", "done_on", "skipped_reason"
            )
        ),
    )


def test_the_synthetic_registry_and_conversions_follow_the_rules(set_today):
    output = generate("--communes", "6", "--seed", "5", "--dossiers", "40")
    assert HouseholdBusiness.objects.filter(owner__dossiers=None).count() == 6 * 300
    conversions = Conversion.objects.select_related("household_business", "unit")
    # 4.5 a commune: 27, give or take a year without a household business old enough.
    assert 20 <= conversions.count() <= 27
    assert "household businesses" in output and "conversions registered" in output
    for business in HouseholdBusiness.objects.select_related("unit"):
        assert valid_on(business.unit, business.registered_on), business
    set_today(AS_OF)
    for conversion in conversions:
        business = conversion.household_business
        assert conversion.unit_id == business.unit_id
        steps = list(conversion.steps.order_by("recorded_at", "pk"))
        assert [step.stage for step in steps] == STAGE_ORDER[: len(steps)]
        assert steps[-1].stage == conversion.stage
        assert [step.taken_on for step in steps] == sorted(step.taken_on for step in steps)
        assert max(step.taken_on for step in steps) < AS_OF
        if conversion.dossier_id:
            assert conversion.dossier.applicant_id == business.owner_id
            assert conversion.dossier.procedure.code == CONVERSION_SUPPORT
        if conversion.registered_on is None:
            assert business.status == HouseholdBusiness.Status.CANDIDATE
            assert not conversion.visits.exists() and not conversion.entitlements.exists()
            continue
        assert len(conversion.enterprise_code) == 10 and conversion.enterprise_code.isdigit()
        assert conversion.registered_on - business.registered_on >= datetime.timedelta(days=365)
        # Every grant is what grant_entitlements gives on the registration day.
        granted = {
            (grant.entitlement_id, grant.starts_on, grant.ends_on, grant.state)
            for grant in conversion.entitlements.all()
        }
        with transaction.atomic():
            conversion.entitlements.all().delete()
            expected = {
                (grant.entitlement_id, grant.starts_on, grant.ends_on, grant.state)
                for grant in grant_entitlements(conversion)
            }
            transaction.set_rollback(True)
        assert granted == expected, conversion
        # The schedule's visits, one per month of it, none done before the registration.
        visits = list(conversion.visits.all())
        months = [visit.months_after for visit in visits]
        assert len(months) == len(set(months)) == 6
        for visit in visits:
            assert visit.done_on is None or conversion.registered_on <= visit.done_on < AS_OF
        outcomes = list(conversion.outcomes.order_by("since", "pk"))
        assert outcomes[0].outcome == Outcome.OPERATING and outcomes[0].since == conversion.registered_on
        assert (outcomes[-1].outcome, outcomes[-1].since) == (conversion.outcome, conversion.outcome_since)
        reverted = conversion.outcome == Outcome.REVERTED
        assert business.status == (
            HouseholdBusiness.Status.OPERATING if reverted else HouseholdBusiness.Status.CONVERTED
        )


def test_the_synthetic_province_at_scale_has_outcomes_and_late_visits():
    generate("--communes", "20", "--seed", "2016", "--dossiers", "20")
    conversions = Conversion.objects.all()
    assert conversions.count() == 90
    registered = conversions.registered()
    assert registered.filter(registered_on__year__lte=2021).count() > registered.count() / 2
    outcomes = set(conversions.values_list("outcome", flat=True))
    assert {Outcome.OPERATING, Outcome.REVERTED, Outcome.DISSOLVED} <= outcomes
    assert OutcomeChange.objects.filter(outcome=Outcome.SUSPENDED).exists()
    assert FollowUpVisit.objects.overdue_on(AS_OF).exists()
    assert FollowUpVisit.objects.filter(done_on__gt=datetime.date(2000, 1, 1)).exists()
    assert set(conversions.values_list("stage", flat=True)) >= {
        Stage.IDENTIFIED,
        Stage.FILED,
        Stage.REGISTERED,
        Stage.FOLLOWED_UP,
        Stage.OUTCOME,
    }
    assert conversions.exclude(dossier=None).exists()


def test_the_same_seed_gives_the_same_registry_and_cases():
    with transaction.atomic():
        generate("--communes", "3", "--seed", "11", "--dossiers", "30")
        first = synthetic_snapshot()
        transaction.set_rollback(True)
    generate("--communes", "3", "--seed", "11", "--dossiers", "30")
    assert synthetic_snapshot() == first
