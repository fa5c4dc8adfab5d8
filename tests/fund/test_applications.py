"""Opening a loan application: the regulation in force on the filing day (a later version changes
nothing), no regulation no application, one per fund-loan dossier, the project the applicant founded;
a recommendation the rules forbid, and a refusal."""

import datetime

import pytest
from django.utils import timezone

from dossiers.models import Dossier, Procedure
from fund.models import Fund, LoanApplication, Recommendation, Regulation, SiteVisit, Status
from fund.services import applications
from portal.refusals import Refused
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import BINH_PHUOC_RULES, fund_dossier
from tests.projects.fixtures import projects_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TERMS = {
    "sector": "C",
    "enterprise_founded_on": datetime.date(2026, 3, 1),
    "first_startup": True,
    "project_cost": 400_000_000,
    "amount": 120_000_000,
    "term_months": 24,
    "grace_months": 0,
    "purpose": "Mua máy đóng gói",
    "collateral": "",
}


def open_on(world, dossier, by=None, **changes):
    return applications.open_application(
        dossier=dossier, by=by or world.cast.applicant, fund=world.fund, **(TERMS | changes)
    )


def second_regulation(world, start: datetime.date) -> Regulation:
    """A new version from ``start`` with a smaller cap; the first one ends the day before."""
    world.regulation.effective_to = start - datetime.timedelta(days=1)
    world.regulation.save()
    return Regulation.objects.create(
        fund=world.fund, **(BINH_PHUOC_RULES | {"effective_from": start, "absolute_cap": 50_000_000})
    )


def test_the_application_takes_the_regulation_of_the_filing_day(fund_world, set_today):
    dossier = fund_dossier(fund_world.shop, fund_world.officer)  # filed today, 18/11/2026
    later = second_regulation(fund_world, datetime.date(2026, 12, 1))
    set_today(datetime.date(2026, 12, 5))
    application = open_on(fund_world, dossier)
    assert (application.filed_on, application.regulation) == (
        datetime.date(2026, 11, 18),
        fund_world.regulation,
    )
    filed_later = fund_dossier(fund_world.shop, fund_world.officer)
    assert open_on(fund_world, filed_later).regulation == later


def test_a_new_version_after_filing_does_not_change_the_application(fund_world):
    second_regulation(fund_world, datetime.date(2026, 11, 20))
    fund_world.application.refresh_from_db()
    assert fund_world.application.regulation == fund_world.regulation


def test_a_fund_without_a_regulation_in_force_takes_no_application(fund_world):
    bare = Fund.objects.create(
        name="Quỹ chưa có quy chế",
        slug="chua-co",
        unit=fund_world.cast.units.province,
        team=fund_world.cast.teams.fund,
        founded_on=datetime.date(2026, 1, 1),
    )
    dossier = fund_dossier(fund_world.shop, fund_world.officer)
    with pytest.raises(Refused) as refused:
        applications.open_application(dossier=dossier, by=fund_world.cast.applicant, fund=bare, **TERMS)
    assert refused.value.code == "no_regulation"
    assert str(refused.value) == "This fund has no regulation in force: it cannot take applications."
    assert not LoanApplication.objects.filter(dossier=dossier).exists()


def test_one_application_per_dossier_and_only_on_a_fund_loan_dossier(fund_world):
    with pytest.raises(Refused) as refused:
        open_on(fund_world, fund_world.dossier)
    assert refused.value.code == "duplicate"
    other = fund_world.shop.dossier  # a dossier of another procedure
    assert other.procedure.code != Procedure.objects.get(pk=fund_world.dossier.procedure_id).code
    with pytest.raises(Refused) as refused:
        open_on(fund_world, other)
    assert refused.value.code == "procedure"


def test_a_withdrawn_dossier_takes_no_application(fund_world):
    dossier = fund_dossier(fund_world.shop, fund_world.officer)
    Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.WITHDRAWN)
    with pytest.raises(Refused) as refused:
        open_on(fund_world, dossier)
    assert refused.value.code == "dossier_closed"


def test_who_may_fill_in_the_application(fund_world):
    dossier = fund_dossier(fund_world.shop, fund_world.officer)
    for stranger in (fund_world.cast.other_applicant, fund_world.cast.commune_officer):
        with pytest.raises(Refused) as refused:
            open_on(fund_world, dossier, by=stranger)
        assert refused.value.code == "not_writable"
    assert open_on(fund_world, dossier, by=fund_world.officer).unit == dossier.unit


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"amount": 0}, "not_positive"),
        ({"project_cost": 10.5}, "not_whole"),
        ({"term_months": 0}, "term_out_of_range"),
        ({"grace_months": 24}, "grace_out_of_range"),
        ({"sector": "Z"}, "sector"),
        ({"purpose": "  "}, "text_required"),
        ({"enterprise_founded_on": datetime.date(2026, 12, 1)}, "founded_on"),
    ],
)
def test_what_is_asked_is_checked(fund_world, changes, code):
    dossier = fund_dossier(fund_world.shop, fund_world.officer)
    with pytest.raises(Refused) as refused:
        open_on(fund_world, dossier, **changes)
    assert refused.value.code == code
    assert not LoanApplication.objects.filter(dossier=dossier).exists()


def test_the_project_is_one_the_applicant_founded(fund_world):
    world = projects_for(fund_world.cast)
    dossier = fund_dossier(fund_world.shop, fund_world.officer)
    with pytest.raises(Refused) as refused:
        open_on(fund_world, dossier, project=world.other_startup)
    assert refused.value.code == "project_not_founded"
    assert open_on(fund_world, dossier, project=world.startup).project == world.startup


def ready_to_recommend(world):
    """A scored application with a site visit (the appraisal's own steps are tested in test_appraisal)."""
    appraiser = applications.assign_appraiser(
        application=world.application, user=world.checker, by=world.officer
    )
    applications.declare(appraiser=appraiser, by=world.checker, conflict=False)
    criteria = world.regulation.criteria.all()
    applications.score(appraiser=appraiser, by=world.checker, scores={c.pk: (7, "") for c in criteria})
    SiteVisit.objects.create(
        application=world.application,
        visited_on=timezone.localdate(),
        by=world.officer,
        findings="Xưởng sạch",
    )


def test_a_recommendation_above_a_cap_is_refused_with_the_rule(fund_world):
    ready_to_recommend(fund_world)
    with pytest.raises(Refused) as refused:
        applications.recommend(
            application=fund_world.application,
            by=fund_world.officer,
            recommendation=Recommendation.LEND,
            amount=250_000_000,
            note="Đề nghị cho vay",
        )
    assert refused.value.code == "rules_broken"
    assert "Điều 7 khoản 3" in str(refused.value)  # at most 50 % of a 400-million project
    fund_world.application.refresh_from_db()
    assert fund_world.application.status == Status.APPRAISING
    recommended = applications.recommend(
        application=fund_world.application,
        by=fund_world.officer,
        recommendation=Recommendation.LEND,
        amount=150_000_000,
        note="Đề nghị cho vay",
    )
    assert (recommended.status, recommended.recommended_amount, recommended.recommended_on) == (
        Status.RECOMMENDED,
        150_000_000,
        datetime.date(2026, 11, 18),
    )


def test_a_recommendation_needs_scores_and_a_site_visit(fund_world):
    with pytest.raises(Refused) as refused:
        applications.recommend(
            application=fund_world.application, by=fund_world.officer, recommendation="refuse", note="Không"
        )
    assert refused.value.code == "not_scored"


def test_one_officer_refuses_an_application(fund_world):
    with pytest.raises(Refused) as refused:
        applications.refuse_application(
            application=fund_world.application, by=fund_world.cast.council_member, reason="Không"
        )
    assert refused.value.code == "not_writable"
    refused_application = applications.refuse_application(
        application=fund_world.application, by=fund_world.officer, reason="Phương án không khả thi"
    )
    assert (refused_application.status, refused_application.decided_on) == (
        Status.REFUSED,
        datetime.date(2026, 11, 18),
    )
    with pytest.raises(Refused) as again:
        applications.refuse_application(
            application=fund_world.application, by=fund_world.officer, reason="Lại"
        )
    assert again.value.code == "not_refusable"
