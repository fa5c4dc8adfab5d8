"""Poverty-escape plans: the standard of the year, the commune's list of poor and near-poor households,
the household's plan (livelihood, budget and its sources, inputs, milestones) and its yearly review."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import Applicant
from portal.audit import audited
from portal.models.base import PortalModel
from portal.models.units import AdminUnit
from portal.periods import in_force_on
from portal.scope import scope_for
from projects.models.projects import Project, Stage
from projects.models.support import ProjectVisit


class Category(models.TextChoices):
    POOR = "poor", _("poor household")
    NEAR_POOR = "near_poor", _("near-poor household")


class PovertyStandardQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> "PovertyStandardQuerySet":
        return self.filter(in_force_on(day, start="valid_from", end="valid_until"))


class PovertyStandard(PortalModel):
    """A poverty standard as dated rules (Decision 59/2015 for 2016–2021, Decree 07/2021 for
    2022–2025; a later one entered by the administrator when it is issued).

    A household whose monthly income per person is at or below the income line is poor when it lacks
    at least ``deprivation_threshold`` basic social services, near-poor otherwise; at or below the
    extreme line (where the standard has one) it is poor whatever it lacks."""

    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    rural_income_line = models.PositiveIntegerField(_("rural income line (đồng per person a month)"))
    urban_income_line = models.PositiveIntegerField(_("urban income line (đồng per person a month)"))
    rural_extreme_line = models.PositiveIntegerField(_("rural line poor whatever it lacks"), default=0)
    urban_extreme_line = models.PositiveIntegerField(_("urban line poor whatever it lacks"), default=0)
    indicators = models.PositiveSmallIntegerField(_("indicators of basic social services"))
    deprivation_threshold = models.PositiveSmallIntegerField(_("indicators lacked to be poor"))
    is_example = models.BooleanField(
        _("example entered for the demo"), default=False, help_text=_("Check against the decree before use.")
    )

    objects = PovertyStandardQuerySet.as_manager()

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["valid_from"], name="one_poverty_standard_per_start"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__lte=models.F("valid_until")),
                name="poverty_standard_dates_ordered",
            ),
            models.CheckConstraint(
                condition=Q(deprivation_threshold__lte=models.F("indicators")),
                name="poverty_standard_threshold_within_indicators",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def classify(self, *, income: int, deprivations: int, urban: bool) -> str | None:
        """The household's category under this standard, or None when it is above the lines."""
        line = self.urban_income_line if urban else self.rural_income_line
        extreme = self.urban_extreme_line if urban else self.rural_extreme_line
        if income <= extreme:
            return Category.POOR
        if income <= line:
            return Category.POOR if deprivations >= self.deprivation_threshold else Category.NEAR_POOR
        return None


class HouseholdListingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "HouseholdListingQuerySet":
        if not getattr(user, "is_authenticated", False):
            return self.none()
        scope = scope_for(user)
        return self.filter(Q(unit_id__in=scope.readable_unit_ids) | Q(head_id=Applicant.objects.own_id(user)))


@audited()
class HouseholdListing(PortalModel):
    """A household on the commune's list of poor and near-poor households for a year."""

    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("commune or ward"), on_delete=models.PROTECT, related_name="poor_households"
    )
    year = models.PositiveSmallIntegerField(_("year of the list"))
    household_code = models.CharField(_("household code"), max_length=20)
    head = models.ForeignKey(
        Applicant, verbose_name=_("head of household"), on_delete=models.PROTECT, related_name="listings"
    )
    members = models.PositiveSmallIntegerField(_("members"), default=1, validators=[MaxValueValidator(30)])
    category = models.CharField(_("category"), max_length=10, choices=Category.choices)
    is_urban = models.BooleanField(_("urban area"), default=False)
    income_per_person = models.PositiveIntegerField(_("income per person a month (đồng)"))
    deprivations = models.PositiveSmallIntegerField(_("basic social services lacked"))
    standard = models.ForeignKey(
        PovertyStandard, verbose_name=_("standard"), on_delete=models.PROTECT, related_name="listings"
    )

    objects = HouseholdListingQuerySet.as_manager()

    class Meta:
        verbose_name = _("poor or near-poor household")
        verbose_name_plural = _("poor and near-poor households")
        ordering = ["-year", "household_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "household_code"], name="one_listing_per_household_year"
            ),
        ]
        indexes = [models.Index(fields=["year", "unit"], name="listing_year_unit")]

    def __str__(self) -> str:
        return f"{self.household_code} – {self.head} ({self.year})"


class Livelihood(models.TextChoices):
    CATTLE = "cattle", _("raising cows")
    GOATS = "goats", _("raising goats")
    PIGS = "pigs", _("raising pigs")
    POULTRY = "poultry", _("raising chickens or ducks")
    FISH = "fish", _("fish or shrimp")
    MUSHROOMS = "mushrooms", _("growing mushrooms")
    VEGETABLES = "vegetables", _("growing vegetables")
    FRUIT = "fruit", _("fruit trees or seedlings")
    SHOP = "shop", _("small shop or grocery stall")
    CRAFT = "craft", _("handicraft")
    SERVICE = "service", _("small service")
    OTHER = "other", _("other")


class PovertyPlanQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PovertyPlanQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))

    def approved(self) -> "PovertyPlanQuerySet":
        return self.filter(status=PovertyPlan.Status.APPROVED)

    def under_way(self) -> "PovertyPlanQuerySet":
        """Plans whose project has not stopped: a household has at most one."""
        return self.exclude(project__stage=Stage.STOPPED)


@audited(parent="project")
class PovertyPlan(PortalModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("being written")
        APPROVED = "approved", _("approved by the commune team")

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="plan"
    )
    household = models.ForeignKey(
        HouseholdListing, verbose_name=_("household"), on_delete=models.PROTECT, related_name="plans"
    )
    livelihood = models.CharField(_("livelihood"), max_length=12, choices=Livelihood.choices)
    description = models.TextField(_("what the household will do"), max_length=2000)
    budget_total = models.PositiveBigIntegerField(_("total budget (đồng)"))
    expected_monthly_income = models.PositiveBigIntegerField(_("expected income a month (đồng)"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("written by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = PovertyPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("poverty-escape plan")
        verbose_name_plural = _("poverty-escape plans")
        ordering = ["-starts_on", "-pk"]
        indexes = [models.Index(fields=["status", "approved_on"], name="plan_status_approved")]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=models.F("ends_on")), name="plan_dates_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(approved_on__isnull=False, approved_by__isnull=False),
                name="approved_plan_says_when_and_who",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_livelihood_display()} – {self.household.head}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class FundingSource(models.TextChoices):
    OWN = "own", _("the household's own money or labour")
    FAMILY = "family", _("family and relatives")
    PROGRAMME = "programme", _("programme support")
    POLICY_LOAN = "policy_loan", _("preferential loan (Social Policy Bank)")
    FUND_LOAN = "fund_loan", _("startup fund loan")
    SPONSOR = "sponsor", _("enterprise or sponsor")
    OTHER = "other", _("other")


@audited(parent="plan")
class PlanFunding(PortalModel):
    """Where part of the plan's budget comes from; the parts add up to the budget."""

    plan = models.ForeignKey(PovertyPlan, on_delete=models.CASCADE, related_name="fundings")
    source = models.CharField(_("source"), max_length=12, choices=FundingSource.choices)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))

    class Meta:
        verbose_name = _("budget source")
        verbose_name_plural = _("budget sources")
        ordering = ["plan", "pk"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="plan_funding_positive")]

    def __str__(self) -> str:
        return self.get_source_display()


@audited(parent="plan")
class PlanInput(PortalModel):
    """What the household is given to start (two breeding goats, a cow, spawn bags, a stall)."""

    plan = models.ForeignKey(PovertyPlan, on_delete=models.CASCADE, related_name="inputs")
    description = models.CharField(_("input"), max_length=200)
    value = models.PositiveBigIntegerField(_("value (đồng)"))
    given_by = models.CharField(_("given by"), max_length=200)
    given_on = models.DateField(_("given on"), null=True, blank=True)

    class Meta:
        verbose_name = _("input given")
        verbose_name_plural = _("inputs given")
        ordering = ["plan", "pk"]

    def __str__(self) -> str:
        return self.description


class MilestoneQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MilestoneQuerySet":
        return self.filter(plan__project__in=Project.objects.visible_to(user).values("pk"))

    def late_on(self, day: datetime.date) -> "MilestoneQuerySet":
        """Not done and past its date, or marked late on a visit and not done since."""
        return self.exclude(state=Milestone.State.DONE).filter(
            Q(due_on__lt=day) | Q(state=Milestone.State.LATE)
        )


@audited(parent="plan")
class Milestone(PortalModel):
    class State(models.TextChoices):
        PLANNED = "planned", _("planned")
        DONE = "done", _("done")
        LATE = "late", _("late")
        CHANGED = "changed", _("changed")

    plan = models.ForeignKey(PovertyPlan, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due on"))
    supporter = models.CharField(_("who supports it"), max_length=200)
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # The date first planned, kept when a visit moves the milestone.
    planned_on = models.DateField(_("first planned on"))
    # The morning job's warning, sent once per milestone.
    late_warned_on = models.DateField(null=True, blank=True, editable=False)

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["plan", "due_on", "pk"]
        indexes = [models.Index(fields=["state", "due_on"], name="milestone_state_due")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="done", done_on__isnull=False)
                | (~Q(state="done") & Q(done_on__isnull=True)),
                name="done_milestone_has_its_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.due_on:%d/%m/%Y}"

    def is_late_on(self, day: datetime.date) -> bool:
        return self.state != self.State.DONE and (self.due_on < day or self.state == self.State.LATE)


@audited(parent="milestone")
class MilestoneUpdate(PortalModel):
    """What a visit found of a milestone: done, late, or changed to a new date with the reason."""

    visit = models.ForeignKey(ProjectVisit, on_delete=models.CASCADE, related_name="milestone_updates")
    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="updates")
    state = models.CharField(_("state"), max_length=8, choices=Milestone.State.choices)
    new_due_on = models.DateField(_("new date"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("milestone update")
        verbose_name_plural = _("milestone updates")
        ordering = ["milestone", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "milestone"], name="one_update_per_visit_milestone"),
        ]

    def __str__(self) -> str:
        return f"{self.milestone}: {self.get_state_display()}"


class ReviewResult(models.TextChoices):
    ESCAPED = "escaped", _("escaped poverty")
    STILL_POOR = "still_poor", _("still poor")
    NEAR_POOR = "near_poor", _("near-poor")
    FELL_BACK = "fell_back", _("fell back into poverty")


@audited(parent="plan")
class YearlyReview(PortalModel):
    """The yearly review of poor households: what became of the household that year."""

    plan = models.ForeignKey(PovertyPlan, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField(_("year reviewed"))
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    reviewed_on = models.DateField(_("reviewed on"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("yearly review")
        verbose_name_plural = _("yearly reviews")
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="one_review_per_plan_year")]
        indexes = [models.Index(fields=["year", "result"], name="review_year_result")]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_result_display()}"
