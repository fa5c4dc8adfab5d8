"""The appraisal: appraisers from the fund's team, once each; a declaration before scoring; a conflicted
appraiser never scores and is told why; scores 0–10 on every criterion; the weighted total's known
answer and the average over the appraisers without a conflict."""

from decimal import Decimal

import pytest

from fund.models import Declaration, Score
from fund.services import applications
from portal.refusals import Refused
from tests.factories import MembershipFactory, UserFactory
from tests.fund.fixtures import *  # noqa: F403

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def criteria_of(world) -> list:
    return list(world.regulation.criteria.all())  # weights 40, 30, 20, 10


def assigned(world, user=None):
    return applications.assign_appraiser(
        application=world.application, user=user or world.checker, by=world.officer
    )


def declared(world, user=None, *, conflict=False, note=""):
    appraiser = assigned(world, user)
    return applications.declare(appraiser=appraiser, by=appraiser.user, conflict=conflict, note=note)


def all_scores(world, values) -> dict:
    return {criterion.pk: (value, "") for criterion, value in zip(criteria_of(world), values, strict=True)}


def test_an_appraiser_is_an_officer_of_the_funds_team_and_is_assigned_once(fund_world):
    with pytest.raises(Refused) as refused:
        assigned(fund_world, fund_world.cast.commune_officer)
    assert refused.value.code == "not_in_team"
    assigned(fund_world)
    with pytest.raises(Refused) as refused:
        assigned(fund_world)
    assert refused.value.code == "duplicate"
    with pytest.raises(Refused) as refused:
        applications.assign_appraiser(
            application=fund_world.application, user=fund_world.officer, by=fund_world.cast.council_member
        )
    assert refused.value.code == "not_writable"


def test_only_the_appraiser_declares_once_and_a_conflict_needs_a_note(fund_world):
    appraiser = assigned(fund_world)
    with pytest.raises(Refused) as refused:
        applications.declare(appraiser=appraiser, by=fund_world.officer, conflict=False)
    assert refused.value.code == "not_appraiser"
    with pytest.raises(Refused) as refused:
        applications.declare(appraiser=appraiser, by=fund_world.checker, conflict=True, note=" ")
    assert refused.value.code == "text_required"
    applications.declare(
        appraiser=appraiser, by=fund_world.checker, conflict=True, note="Anh họ của người vay"
    )
    with pytest.raises(Refused) as refused:
        applications.declare(appraiser=appraiser, by=fund_world.checker, conflict=False)
    assert refused.value.code == "already_declared"


def test_a_conflicted_appraiser_cannot_score_and_is_told_why(fund_world):
    appraiser = declared(fund_world, conflict=True, note="Anh họ của người vay")
    with pytest.raises(Refused) as refused:
        applications.score(
            appraiser=appraiser, by=fund_world.checker, scores=all_scores(fund_world, [8, 8, 8, 8])
        )
    assert refused.value.code == "cannot_score"
    assert "a conflict of interest was declared (Anh họ của người vay)" in str(refused.value)
    assert not Score.objects.exists()


def test_an_appraiser_who_has_not_declared_cannot_score(fund_world):
    appraiser = assigned(fund_world)
    with pytest.raises(Refused) as refused:
        applications.score(
            appraiser=appraiser, by=fund_world.checker, scores=all_scores(fund_world, [8, 8, 8, 8])
        )
    assert refused.value.code == "cannot_score"
    assert appraiser.declaration == Declaration.PENDING


@pytest.mark.parametrize("bad", [11, -1, True, 7.5, "8"])
def test_scores_are_whole_numbers_from_0_to_10(fund_world, bad):
    appraiser = declared(fund_world)
    with pytest.raises(Refused) as refused:
        applications.score(
            appraiser=appraiser, by=fund_world.checker, scores=all_scores(fund_world, [8, bad, 8, 8])
        )
    assert refused.value.code == "score_out_of_range"
    assert not Score.objects.exists()


def test_every_criterion_is_scored_and_only_those(fund_world):
    appraiser = declared(fund_world)
    scores = all_scores(fund_world, [8, 8, 8, 8])
    missing = dict(list(scores.items())[:3])
    for given in (missing, scores | {999_999: (5, "")}):
        with pytest.raises(Refused) as refused:
            applications.score(appraiser=appraiser, by=fund_world.checker, scores=given)
        assert refused.value.code == "scores_incomplete"
    assert not Score.objects.exists()


def test_the_weighted_total_known_answer(fund_world):
    appraiser = declared(fund_world)
    # 40×7 + 30×8 + 20×6 + 10×9 = 730, out of 1000: 73.0 of 100.
    total = applications.score(
        appraiser=appraiser, by=fund_world.checker, scores=all_scores(fund_world, [7, 8, 6, 9])
    )
    assert total == Decimal("73")
    assert applications.appraisers_totals(fund_world.application) == {appraiser.pk: Decimal("73")}
    with pytest.raises(Refused) as refused:
        applications.score(
            appraiser=appraiser, by=fund_world.checker, scores=all_scores(fund_world, [1, 1, 1, 1])
        )
    assert refused.value.code == "already_scored"


def test_the_weighted_score_averages_the_appraisers_without_a_conflict(fund_world):
    assert applications.weighted_score(fund_world.application) is None
    first = declared(fund_world)
    applications.score(appraiser=first, by=fund_world.checker, scores=all_scores(fund_world, [7, 8, 6, 9]))
    third_officer = UserFactory(username="thamdinh", full_name="Lâm Văn Thẩm")
    MembershipFactory(team=fund_world.cast.teams.fund, user=third_officer)
    second = declared(fund_world, third_officer)
    # 40×10 + 30×5 + 20×5 + 10×4 = 690: 69.0; the average with 73.0 is 71.0.
    applications.score(appraiser=second, by=third_officer, scores=all_scores(fund_world, [10, 5, 5, 4]))
    declared(fund_world, fund_world.officer, conflict=True, note="Đã tư vấn phương án cho người vay")
    assert applications.weighted_score(fund_world.application) == Decimal("71.0")
