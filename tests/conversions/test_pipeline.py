"""The pipeline's services: steps in order, dated, by a named officer; corrections recorded."""

import datetime

import pytest

from conversions.models import ConversionStep, EntitlementGrant, FollowUpVisit, Outcome, Stage
from conversions.services import cases
from conversions.services.followups import record_visit
from portal.models import User
from portal.refusals import Refused
from tests.conversions.fixtures import *  # noqa: F403
from tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db


def test_a_case_goes_from_candidate_to_outcome(conversions):
    conversion = conversions.registered()

    assert conversion.stage == Stage.REGISTERED
    assert conversion.size_class == "micro"
    assert [step.stage for step in conversion.steps.all()] == ["identified", "advised", "filed", "registered"]
    assert conversion.household_business.status == "converted"
    assert list(conversion.visits.values_list("months_after", flat=True)) == [1, 3, 6, 12, 24, 36]
    first = conversion.visits.get(months_after=1)
    assert first.due_on == datetime.date(2024, 7, 10)

    record_visit(
        visit=first,
        by=conversions.officer,
        done_on=datetime.date(2024, 7, 12),
        channel="phone",
        finding="operating",
    )
    conversion.refresh_from_db()
    assert conversion.stage == Stage.FOLLOWED_UP

    cases.record_outcome(
        conversion=conversion,
        by=conversions.officer,
        outcome=Outcome.REVERTED,
        since=datetime.date(2025, 9, 1),
        reasons=["taxes_accounting"],
    )
    conversion.refresh_from_db()
    assert conversion.stage == Stage.OUTCOME
    assert conversion.household_business.status == "operating"


def test_entitlements_get_their_dates_from_the_rules_of_the_registration_day(conversions):
    before = conversions.registered(on=datetime.date(2024, 6, 10))
    grants = {grant.entitlement.code: grant for grant in before.entitlements.select_related("entitlement")}
    assert grants["mien-le-phi-mon-bai-3-nam"].ends_on == datetime.date(2025, 12, 31)
    assert grants["tu-van-thue-ke-toan-3-nam"].ends_on == datetime.date(2027, 6, 9)
    assert grants["mien-le-phi-dang-ky-lan-dau"].state == EntitlementGrant.State.USED

    other = conversions.add(
        "Lò kẹo Ba Hai", "56A8009999", national_id="083095009999", registered_on=datetime.date(2020, 1, 2)
    )
    after = conversions.registered(other, on=datetime.date(2026, 1, 1), code="1300999999")
    codes = set(after.entitlements.values_list("entitlement__code", flat=True))
    assert "mien-le-phi-mon-bai-3-nam" not in codes
    assert "tu-van-thue-ke-toan-3-nam" in codes


def test_steps_cannot_be_skipped_and_a_correction_is_recorded(conversions):
    conversion = cases.identify_candidate(
        business=conversions.business, by=conversions.officer, on=datetime.date(2026, 11, 1)
    )
    with pytest.raises(Refused) as refused:
        cases.link_dossier(
            conversion=conversion,
            dossier=conversions.conversion_dossier(),
            by=conversions.officer,
            on=datetime.date(2026, 11, 2),
        )
    assert refused.value.code == "out_of_order"
    conversion = cases.advise(conversion=conversion, by=conversions.officer, on=datetime.date(2026, 11, 3))
    conversion = cases.correct_step(
        conversion=conversion, by=conversions.officer, on=datetime.date(2026, 11, 4), reason="Nhầm hộ"
    )
    assert conversion.stage == Stage.IDENTIFIED
    assert ConversionStep.objects.filter(conversion=conversion, is_correction=True).count() == 1


def test_another_communes_officer_cannot_move_the_case(conversions):
    with pytest.raises(Refused):
        cases.identify_candidate(
            business=conversions.business,
            by=conversions.cast.other_commune_officer,
            on=datetime.date(2026, 11, 1),
        )


def test_the_schedule_made_twice_makes_no_second_visit(conversions):
    from conversions.services.followups import make_schedule

    conversion = conversions.registered()
    make_schedule(conversion)
    assert FollowUpVisit.objects.filter(conversion=conversion).count() == 6


def test_a_case_opened_after_the_reform_is_followed_by_the_successor(conversions):
    commune = conversions.cast.units.commune
    former = AdminUnitFactory(
        name="Xã Sơn Định cũ", parent=conversions.cast.units.district, valid_until=datetime.date(2025, 6, 30)
    )
    former.successors.add(commune)
    officer = User.objects.get(pk=conversions.officer.pk)  # a fresh scope, with the former commune
    business = conversions.add(
        "Lò bánh tráng Út Hiền", "56A8007777", national_id="083095007777", unit=former, by=officer
    )

    conversion = cases.identify_candidate(business=business, by=officer, on=datetime.date(2026, 11, 2))

    assert business.unit == former
    assert conversion.unit == commune
    assert business.owner.unit == commune  # a new person is recorded on the commune of today


def test_a_commune_split_among_successors_is_not_guessed(cast):
    split = AdminUnitFactory(name="Xã Tách Đôi", valid_until=datetime.date(2025, 6, 30))
    split.successors.add(cast.units.commune, cast.units.other_commune)

    assert split.holder_on(datetime.date(2026, 1, 1)) == split
    assert split.holder_on(datetime.date(2025, 6, 30)) == split
    assert cast.units.commune.holder_on(datetime.date(2026, 1, 1)) == cast.units.commune
