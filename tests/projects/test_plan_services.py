"""The plans' services: the households classed as the standard of the year says (known answers under
Decision 59/2015, with its extreme line, and Decree 07/2021), a plan's bad figures refused with nothing
written, the plan-required rule of the enrolment, the yearly review (a fall back only after escaping),
and the late rule on awkward days."""

import datetime

import pytest

from dossiers.models import Dossier
from dossiers.services import dossiers as dossier_services
from dossiers.services.applicants import Person
from portal.models import AuditRecord
from portal.refusals import Refused
from projects.models import Milestone, PovertyPlan, PovertyStandard, Project
from projects.services import plans
from projects.services.followups import followed_late
from projects.services.plans import Funding, PlannedMilestone
from tests.projects.fixtures import *  # noqa: F403
from tests.projects.fixtures import GOAT_PLAN, GOAT_ROWS

pytestmark = pytest.mark.django_db

D = datetime.date

# income per person a month, services lacked, urban → the category.
UNDER_59_2015 = [
    (650_000, 0, False, "poor"),  # at or below the rural extreme line (700.000): poor whatever it lacks
    (700_000, 0, False, "poor"),
    (700_001, 2, False, "near_poor"),
    (900_000, 3, False, "poor"),
    (1_000_000, 2, False, "near_poor"),
    (1_000_001, 5, False, None),
    (900_000, 0, True, "poor"),  # the urban extreme line (900.000)
    (1_300_000, 2, True, "near_poor"),
    (1_300_001, 3, True, None),
]
UNDER_07_2021 = [
    (500_000, 0, False, "near_poor"),  # no extreme line: lacking under 3 services, near-poor
    (500_000, 3, False, "poor"),
    (1_500_000, 2, False, "near_poor"),
    (1_500_001, 6, False, None),
    (2_000_000, 3, True, "poor"),
    (2_000_001, 0, True, None),
]


@pytest.mark.parametrize(("income", "lacked", "urban", "category"), UNDER_59_2015)
def test_classified_under_decision_59_2015(projects, income, lacked, urban, category):
    standard = plans.standard_for_year(2019)
    assert standard.legal_basis == "Quyết định 59/2015/QĐ-TTg"
    assert standard.classify(income=income, deprivations=lacked, urban=urban) == category


@pytest.mark.parametrize(("income", "lacked", "urban", "category"), UNDER_07_2021)
def test_classified_under_decree_07_2021(projects, income, lacked, urban, category):
    standard = plans.standard_for_year(2024)
    assert standard.legal_basis == "Nghị định 07/2021/NĐ-CP"
    assert standard.classify(income=income, deprivations=lacked, urban=urban) == category


def test_the_standard_of_each_year(projects):
    assert plans.standard_for_year(2021).legal_basis == "Quyết định 59/2015/QĐ-TTg"
    assert plans.standard_for_year(2022).legal_basis == "Nghị định 07/2021/NĐ-CP"
    with pytest.raises(Refused) as refused:
        plans.standard_for_year(2026)
    assert refused.value.code == "no_standard"
    # The administrator enters the next one: the 2026 list is then made under it.
    PovertyStandard.objects.create(
        name="Chuẩn nghèo giai đoạn 2026–2030",
        legal_basis="(ví dụ)",
        valid_from=D(2026, 1, 1),
        rural_income_line=2_000_000,
        urban_income_line=2_600_000,
        indicators=12,
        deprivation_threshold=3,
        is_example=True,
    )
    assert plans.standard_for_year(2026).is_example


def listed(projects, **changes):
    fields = {
        "by": projects.officer,
        "unit": projects.cast.units.commune,
        "year": 2019,
        "household_code": "SD-2019-005",
        "head": Person(full_name="Nguyễn Văn Cực", national_id="083160001111"),
        "address": "Ấp Sơn Lợi",
        "category": "poor",
        "is_urban": False,
        "income_per_person": 650_000,
        "deprivations": 0,
    }
    return plans.list_household(**(fields | changes))


def test_the_extreme_line_puts_a_household_on_the_2019_list_as_poor(projects):
    listing = listed(projects)
    assert (listing.category, listing.standard.legal_basis) == ("poor", "Quyết định 59/2015/QĐ-TTg")


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"category": "near_poor"}, "category"),  # under the extreme line it is poor
        ({"income_per_person": 1_100_000}, "category"),  # above the line: neither
        ({"deprivations": 11}, "deprivations"),  # 59/2015 counts 10
        ({"year": 2015}, "year"),
        ({"year": 2026}, "no_standard"),
        ({"income_per_person": -1}, "not_positive"),
        ({"income_per_person": 650_000.5}, "not_whole"),
        ({"unit": "district"}, "unit_not_valid"),
    ],
)
def test_a_listing_the_rules_refuse_writes_nothing(projects, changes, code):
    if changes.get("unit") == "district":
        # The standing agency writes anywhere in the province, but a list is a commune's.
        changes |= {"unit": projects.cast.units.district, "by": projects.cast.standing_officer}
    before = AuditRecord.objects.count()
    with pytest.raises(Refused) as refused:
        listed(projects, **changes)
    assert refused.value.code == code
    assert AuditRecord.objects.count() == before


def open_goat(projects, **changes):
    household = listed(projects, year=2025, household_code="SD-2025-090", deprivations=3)
    fields = GOAT_PLAN | GOAT_ROWS | changes
    return plans.open_plan(
        by=projects.officer, household=household, name="Nuôi dê", sector="A", on=D(2025, 2, 20), **fields
    )


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"milestones": [PlannedMilestone("Bán dê con", D(2027, 1, 1), "Xã")]}, "milestone_outside"),
        ({"milestones": [PlannedMilestone("Làm chuồng", D(2025, 2, 28), "Xã")]}, "milestone_outside"),
        ({"milestones": [PlannedMilestone("Làm chuồng", D(2025, 4, 1), " ")]}, "supporter"),
        ({"fundings": [Funding("own", 4_000_000)]}, "budget_sum"),
        ({"fundings": [Funding("own", 12_000_001)]}, "budget_sum"),
        ({"fundings": [Funding("own", 12_000_000), Funding("family", 0)]}, "not_positive"),
        ({"budget_total": -12_000_000}, "not_positive"),
        ({"budget_total": 12_000_000.5}, "not_whole"),
        ({"expected_monthly_income": 1_800_000.0}, "not_whole"),
        ({"ends_on": D(2025, 2, 1)}, "dates"),
    ],
)
def test_a_plan_the_rules_refuse_writes_nothing(projects, changes, code):
    before = (AuditRecord.objects.count(), Project.objects.count(), PovertyPlan.objects.count())
    with pytest.raises(Refused) as refused:
        open_goat(projects, **changes)
    assert refused.value.code == code
    # The listing was written before the refused plan; nothing of the plan was.
    assert (Project.objects.count(), PovertyPlan.objects.count()) == before[1:]


def test_a_milestone_on_the_last_day_of_the_plan_is_within_it(projects):
    plan = open_goat(projects, milestones=[PlannedMilestone("Tổng kết", D(2026, 12, 31), "Tổ hỗ trợ xã")])
    assert list(plan.milestones.values_list("due_on", flat=True)) == [D(2026, 12, 31)]


def test_the_enrolment_waits_for_the_approved_plan_through_the_service(projects, set_today):
    set_today(D(2025, 3, 10))
    dossier = projects.enrolment_dossier()
    for step in ("receive", "start"):
        dossier = dossier_services.perform(
            dossier_services.STEPS[step], dossier=dossier, by=projects.officer, data={}
        )
    with pytest.raises(Refused) as refused:
        dossier_services.complete_dossier(dossier=dossier, by=projects.officer, result="Đồng ý")
    assert refused.value.code == "decision_blocked"
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.IN_PROGRESS
    projects.approved_plan(on=D(2025, 3, 10))
    assert (
        dossier_services.complete_dossier(dossier=dossier, by=projects.officer, result="Đồng ý").status
        == "done"
    )


def test_an_approved_plan_is_not_revised_and_not_approved_twice(projects):
    plan = projects.approved_plan()
    with pytest.raises(Refused) as refused:
        plans.revise_plan(plan=plan, by=projects.officer, **GOAT_PLAN, **GOAT_ROWS)
    assert refused.value.code == "approved"
    with pytest.raises(Refused) as refused:
        plans.approve_plan(plan=plan, by=projects.officer, on=D(2025, 3, 2))
    assert refused.value.code == "approved"


def test_a_household_falls_back_only_after_escaping(projects, set_today):
    plan = projects.approved_plan()

    def review(year, result, on):
        return plans.record_review(plan=plan, by=projects.officer, year=year, result=result, on=on)

    with pytest.raises(Refused) as refused:
        review(2025, "fell_back", D(2025, 12, 20))
    assert refused.value.code == "not_escaped"
    review(2025, "escaped", D(2025, 12, 20))
    with pytest.raises(Refused) as refused:
        review(2026, "still_poor", D(2026, 11, 10))  # after escaping: stays out or falls back
    assert refused.value.code == "fell_back"
    assert review(2026, "fell_back", D(2026, 11, 10)).result == "fell_back"
    with pytest.raises(Refused) as refused:
        review(2026, "escaped", D(2026, 11, 10))
    assert refused.value.code == "reviewed"
    assert list(plan.reviews.values_list("year", "result")) == [(2025, "escaped"), (2026, "fell_back")]


@pytest.mark.parametrize(
    ("due", "still_on_time", "late_from"),
    [
        (D(2025, 7, 1), D(2025, 7, 1), D(2025, 7, 2)),  # the day of the reform
        (D(2025, 12, 31), D(2025, 12, 31), D(2026, 1, 1)),
        (D(2028, 2, 29), D(2028, 2, 29), D(2028, 3, 1)),
    ],
)
def test_the_late_rule_on_awkward_days(projects, due, still_on_time, late_from):
    plan = projects.plan
    milestone = Milestone.objects.create(plan=plan, title="Mốc", due_on=due, planned_on=due, supporter="Xã")
    for day, late in ((still_on_time, False), (late_from, True)):
        assert milestone.is_late_on(day) is late
        assert Milestone.objects.late_on(day).filter(pk=milestone.pk).exists() is late
    # Followed (the job, the home) only once the plan is approved.
    assert not followed_late(Milestone.objects.filter(pk=milestone.pk), late_from).exists()
    projects.approved_plan()
    assert followed_late(Milestone.objects.filter(pk=milestone.pk), late_from).exists()
    milestone.state, milestone.done_on = Milestone.State.DONE, due
    milestone.save(update_fields=["state", "done_on"])
    assert not Milestone.objects.late_on(late_from).filter(pk=milestone.pk).exists()
