"""Poverty-escape plans: the household on the commune's list, its plan, approval, milestones followed
on visits, and the yearly review.

A plan is written as a whole (livelihood, budget and its sources, inputs, milestones); the rules of its
rows are checked every time it is written, and what it still lacks is said by ``plan_gaps``. The
commune team approves a complete plan; only then may the project start and the enrolment dossier be
decided (projects/dossier_checks.py).
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from dossiers.services.applicants import Person, check_person, person_record
from portal.models import AdminUnit, User
from portal.models.people import today
from portal.money import check_amount
from portal.refusals import Refused
from projects import daily_figures
from projects.models import (
    Category,
    HouseholdListing,
    Kind,
    Milestone,
    PlanFunding,
    PlanInput,
    PovertyPlan,
    PovertyStandard,
    ReviewResult,
    Stage,
    YearlyReview,
)
from projects.services.checks import check_day, check_writer
from projects.services.projects import new_project

FIRST_LIST_YEAR = 2016
MAX_ROWS = 50  # budget sources, inputs or milestones in one plan


@dataclass(frozen=True)
class Funding:
    source: str
    amount: int


@dataclass(frozen=True)
class Input:
    description: str
    value: int
    given_by: str


@dataclass(frozen=True)
class PlannedMilestone:
    title: str
    due_on: datetime.date
    supporter: str


def standard_for_year(year: int) -> PovertyStandard:
    """The poverty standard in force on 1 January of ``year`` (the year's list is made under it)."""
    standard = PovertyStandard.objects.in_force_on(datetime.date(year, 1, 1)).order_by("-valid_from").first()
    if standard is None:
        raise Refused(
            _("No poverty standard is in force for %(year)s; the administrator enters it first.")
            % {"year": year},
            code="no_standard",
        )
    return standard


@transaction.atomic
def list_household(
    *,
    by: User,
    unit: AdminUnit,
    year: int,
    household_code: str,
    head: Person,
    address: str,
    category: str,
    is_urban: bool,
    income_per_person: int,
    deprivations: int,
    members: int = 1,
) -> HouseholdListing:
    """Put a household on the commune's list of the year, as the standard of that year classes it."""
    check_writer(by, unit.pk)
    check_person(head)
    if not FIRST_LIST_YEAR <= year <= today().year:
        raise Refused(
            _("The list's year is from %(first)s to this year.") % {"first": FIRST_LIST_YEAR}, code="year"
        )
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if unit.level != AdminUnit.Level.COMMUNE or not (
        (unit.valid_from is None or unit.valid_from <= last)
        and (unit.valid_until is None or unit.valid_until >= first)
    ):
        raise Refused(
            _("Choose a commune or ward that existed in %(year)s.") % {"year": year}, code="unit_not_valid"
        )
    check_amount(income_per_person, _("Income per person a month"))
    standard = standard_for_year(year)
    if deprivations > standard.indicators:
        raise Refused(
            _("The standard counts %(count)s indicators; a household cannot lack more.")
            % {"count": standard.indicators},
            code="deprivations",
        )
    judged = standard.classify(income=income_per_person, deprivations=deprivations, urban=is_urban)
    if judged != category:
        verdict = Category(judged).label if judged else _("not poor or near-poor")
        raise Refused(
            _("Under %(standard)s this household is %(verdict)s, not %(category)s.")
            % {"standard": standard, "verdict": verdict, "category": Category(category).label},
            code="category",
        )
    if HouseholdListing.objects.filter(unit=unit, year=year, household_code=household_code).exists():
        raise Refused(
            _("Household %(code)s is already on the %(year)s list.") % {"code": household_code, "year": year},
            code="listed",
            conflict=True,
        )
    return HouseholdListing.objects.create(
        unit=unit,
        year=year,
        household_code=household_code,
        head=person_record(head, unit, address),
        members=members,
        category=category,
        is_urban=is_urban,
        income_per_person=income_per_person,
        deprivations=deprivations,
        standard=standard,
    )


def check_plan(
    fields: dict, fundings: list[Funding], inputs: list[Input], milestones: list[PlannedMilestone]
) -> None:
    """The rules a plan's figures and rows keep whenever it is written; no query."""
    starts_on, ends_on = fields["starts_on"], fields["ends_on"]
    if ends_on < starts_on:
        raise Refused(_("The plan cannot end before it starts."), code="dates")
    check_amount(fields["budget_total"], _("Total budget"), positive=True)
    check_amount(fields["expected_monthly_income"], _("Expected income a month"))
    if max(len(fundings), len(inputs), len(milestones)) > MAX_ROWS:
        raise Refused(_("A plan has at most %(count)s rows of each kind.") % {"count": MAX_ROWS}, code="rows")
    for funding in fundings:
        check_amount(funding.amount, _("Budget source"), positive=True)
    if fundings and sum(funding.amount for funding in fundings) != fields["budget_total"]:
        raise Refused(
            _("The budget sources add up to %(sum)s đồng, not the total budget of %(total)s đồng.")
            % {
                "sum": number_format(sum(f.amount for f in fundings), force_grouping=True),
                "total": number_format(fields["budget_total"], force_grouping=True),
            },
            code="budget_sum",
        )
    for item in inputs:
        check_amount(item.value, _("Value of an input"))
    for milestone in milestones:
        if not starts_on <= milestone.due_on <= ends_on:
            raise Refused(
                _("Milestone “%(title)s” (%(day)s) is outside the plan's dates.")
                % {"title": milestone.title, "day": f"{milestone.due_on:%d/%m/%Y}"},
                code="milestone_outside",
            )
        if not milestone.supporter.strip():
            raise Refused(
                _("Say who supports milestone “%(title)s”.") % {"title": milestone.title}, code="supporter"
            )


def _write_rows(plan: PovertyPlan, fundings, inputs, milestones) -> None:
    plan.fundings.all().delete()
    plan.inputs.all().delete()
    plan.milestones.all().delete()
    for funding in fundings:
        PlanFunding.objects.create(plan=plan, source=funding.source, amount=funding.amount)
    for item in inputs:
        PlanInput.objects.create(
            plan=plan, description=item.description, value=item.value, given_by=item.given_by
        )
    for milestone in milestones:
        Milestone.objects.create(
            plan=plan,
            title=milestone.title,
            due_on=milestone.due_on,
            planned_on=milestone.due_on,
            supporter=milestone.supporter,
        )


@transaction.atomic
def open_plan(
    *,
    by: User,
    household: HouseholdListing,
    name: str,
    sector: str,
    on: datetime.date,
    fundings: list[Funding] = (),
    inputs: list[Input] = (),
    milestones: list[PlannedMilestone] = (),
    **fields,
) -> PovertyPlan:
    """Start the household's poverty-escape project with its plan (a draft until the team approves)."""
    check_writer(by, household.unit_id)
    check_plan(fields, fundings, inputs, milestones)
    open_plans = PovertyPlan.objects.under_way().filter(household__head=household.head)
    if open_plans.exists():
        raise Refused(
            _("This household already has a poverty-escape plan under way."), code="has_plan", conflict=True
        )
    head = household.head
    project = new_project(
        by=by,
        founders=[Person(full_name=head.full_name, national_id=head.national_id, phone=head.phone)],
        address=head.address,
        on=on,
        name=name,
        kind=Kind.POVERTY_ESCAPE,
        sector=sector,
        unit=household.unit.holder_on(on),
        stage=Stage.PLAN,
    )
    plan = PovertyPlan.objects.create(project=project, household=household, written_by=by, **fields)
    _write_rows(plan, fundings, inputs, milestones)
    return plan


@transaction.atomic
def revise_plan(
    *,
    plan: PovertyPlan,
    by: User,
    fundings: list[Funding],
    inputs: list[Input],
    milestones: list[PlannedMilestone],
    **fields,
) -> PovertyPlan:
    """Rewrite a plan that is not approved yet; an approved plan changes only through visits."""
    plan = PovertyPlan.objects.select_for_update().get(pk=plan.pk)
    check_writer(by, plan.project.unit_id)
    if plan.is_approved:
        raise Refused(
            _("The plan is approved; its milestones change on visits, with the reason."),
            code="approved",
            conflict=True,
        )
    check_plan(fields, fundings, inputs, milestones)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.save()
    _write_rows(plan, fundings, inputs, milestones)
    return plan


def plan_gaps(plan: PovertyPlan) -> list[str]:
    """What the plan still lacks to be complete, in words for the page (empty when complete)."""
    gaps = []
    if not plan.description.strip():
        gaps.append(_("what the household will do"))
    fundings = list(plan.fundings.all())
    if not fundings:
        gaps.append(_("where the budget comes from"))
    elif sum(funding.amount for funding in fundings) != plan.budget_total:
        gaps.append(_("budget sources that add up to the total"))
    if not plan.inputs.exists():
        gaps.append(_("the inputs to be given"))
    if not plan.expected_monthly_income:
        gaps.append(_("the expected income a month"))
    if not plan.milestones.exists():
        gaps.append(_("milestones with their dates and who supports each"))
    return gaps


@transaction.atomic
def approve_plan(*, plan: PovertyPlan, by: User, on: datetime.date) -> PovertyPlan:
    """The commune team approves a complete plan."""
    plan = PovertyPlan.objects.select_for_update().select_related("project").get(pk=plan.pk)
    check_writer(by, plan.project.unit_id)
    check_day(on)
    if plan.is_approved:
        raise Refused(_("The plan is already approved."), code="approved", conflict=True)
    gaps = plan_gaps(plan)
    if gaps:
        raise Refused(
            _("The plan is not complete; it still needs: %(gaps)s.") % {"gaps": "; ".join(gaps)},
            code="incomplete",
        )
    plan.status, plan.approved_on, plan.approved_by = PovertyPlan.Status.APPROVED, on, by
    plan.save(update_fields=["status", "approved_on", "approved_by"])
    daily_figures.keep_current(plan.project, on)
    return plan


# What a later review may say after an earlier one said the household escaped.
AFTER_ESCAPING = frozenset({ReviewResult.ESCAPED, ReviewResult.FELL_BACK})


@transaction.atomic
def record_review(
    *, plan: PovertyPlan, by: User, year: int, result: str, on: datetime.date, note: str = ""
) -> YearlyReview:
    """The yearly review's finding for the household (one per year)."""
    plan = PovertyPlan.objects.select_for_update().select_related("project").get(pk=plan.pk)
    check_writer(by, plan.project.unit_id)
    check_day(on)
    if not plan.is_approved:
        raise Refused(_("Only an approved plan is reviewed."), code="not_approved", conflict=True)
    if not plan.approved_on.year <= year <= on.year:
        raise Refused(
            _("Review a year from the plan's approval (%(first)s) to the review's date.")
            % {"first": plan.approved_on.year},
            code="year",
        )
    if plan.reviews.filter(year=year).exists():
        raise Refused(
            _("The %(year)s review is already recorded.") % {"year": year}, code="reviewed", conflict=True
        )
    earlier = list(plan.reviews.filter(year__lt=year).order_by("year").values_list("result", flat=True))
    escaped_before = bool(earlier) and earlier[-1] == ReviewResult.ESCAPED
    if escaped_before and result not in AFTER_ESCAPING:
        raise Refused(
            _("The household escaped poverty in an earlier review: it either stays out or fell back."),
            code="fell_back",
        )
    if result == ReviewResult.FELL_BACK and not escaped_before:
        raise Refused(
            _("Only a household that escaped poverty in the review before can fall back."), code="not_escaped"
        )
    return YearlyReview.objects.create(plan=plan, year=year, result=result, reviewed_on=on, note=note, by=by)
