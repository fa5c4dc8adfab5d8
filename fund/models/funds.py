"""A fund and its regulations: each regulation (quy chế) a dated version whose rules are data the
portal checks — who may borrow, the caps, the term, the interest, the reply deadlines, who approves."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import audited
from portal.models import AdminUnit, Team
from portal.models.base import PortalModel


class FundQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FundQuerySet":
        """Every signed-in person reads the funds (their capital is published anyway)."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.all()


@audited()
class Fund(PortalModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=60, unique=True)
    # The province the fund serves (a former one after the 2025 merger keeps its fund and its rules).
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("province served"), on_delete=models.PROTECT, related_name="funds"
    )
    # The team whose officers run the fund: receive, appraise, propose and check decisions, post money.
    team = models.ForeignKey(Team, verbose_name=_("run by"), on_delete=models.PROTECT, related_name="funds")
    founded_on = models.DateField(_("founded on"))
    capital_target = models.PositiveBigIntegerField(_("capital target (đồng)"), default=0)
    description = models.TextField(_("about the fund"), blank=True, max_length=2000)

    objects = FundQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("fund")
        verbose_name_plural = _("funds")

    def __str__(self) -> str:
        return self.name

    def regulation_on(self, day: datetime.date) -> "Regulation | None":
        return (
            self.regulations.filter(effective_from__lte=day)
            .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
            .first()
        )


class Method(models.TextChoices):
    EQUAL_PRINCIPAL = "equal_principal", _("equal principal")
    ANNUITY = "annuity", _("equal instalments")


class Frequency(models.IntegerChoices):
    MONTHLY = 1, _("monthly")
    QUARTERLY = 3, _("quarterly")


def default_allocation_order() -> list[str]:
    return ["overdue_interest", "overdue_principal", "current_interest", "current_principal"]


@audited()
class Regulation(PortalModel):
    """One version of a fund's regulation, in force from ``effective_from`` to ``effective_to``
    (inclusive; open-ended when blank). Versions of one fund never overlap (services/regulations.py)."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="regulations"
    )
    number = models.CharField(_("document number"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    signed_on = models.DateField(_("signed on"))
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    is_example = models.BooleanField(_("example (not an adopted text)"), default=False)
    # Who may borrow.
    max_enterprise_age_months = models.PositiveSmallIntegerField(
        _("enterprise founded at most this many months before applying"), null=True, blank=True
    )
    first_startup_only = models.BooleanField(_("only a first startup"), default=False)
    excluded_sectors = models.CharField(
        _("sectors excluded (VSIC section letters)"), max_length=21, blank=True, default=""
    )
    residence_unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("borrower lives or works in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Caps.
    equity_share_cap_pct = models.PositiveSmallIntegerField(
        _("at most this percentage of the fund's equity"), null=True, blank=True
    )
    project_cost_share_cap_pct = models.PositiveSmallIntegerField(
        _("at most this percentage of the project's cost"), null=True, blank=True
    )
    absolute_cap = models.PositiveBigIntegerField(_("at most (đồng)"), null=True, blank=True)
    # Terms.
    max_term_months = models.PositiveSmallIntegerField(_("longest term (months)"))
    max_grace_months = models.PositiveSmallIntegerField(_("longest grace period (months)"), default=0)
    yearly_rate_bp = models.PositiveIntegerField(
        _("yearly interest (basis points; 0 = interest-free)"), default=0
    )
    method = models.CharField(
        _("repayment method"), max_length=20, choices=Method.choices, default=Method.EQUAL_PRINCIPAL
    )
    period_months = models.PositiveSmallIntegerField(
        _("repayment frequency"), choices=Frequency.choices, default=Frequency.MONTHLY
    )
    collateral_above = models.PositiveBigIntegerField(
        _("collateral required above (đồng)"), null=True, blank=True
    )
    required_documents = models.TextField(_("documents required (one per line)"), blank=True, max_length=4000)
    # Reply deadlines, in working days, of each stage.
    appraisal_days = models.PositiveSmallIntegerField(_("appraisal within (working days)"), default=15)
    decision_days = models.PositiveSmallIntegerField(_("decision within (working days)"), default=10)
    disbursement_days = models.PositiveSmallIntegerField(_("first release within (working days)"), default=10)
    # Who approves: the fund's board up to this amount, the provincial People's Committee above.
    board_limit = models.PositiveBigIntegerField(_("the fund's board approves up to (đồng)"))
    # The order a repayment pays what is owed; a loan keeps the order it was approved under.
    allocation_order = models.JSONField(_("repayment allocation order"), default=default_allocation_order)
    # The article of the text each rule comes from, by rule name (rules.py names them).
    articles = models.JSONField(_("articles"), default=dict, blank=True)

    class Meta:
        ordering = ["fund", "-effective_from"]
        verbose_name = _("fund regulation")
        verbose_name_plural = _("fund regulations")
        constraints = [
            models.UniqueConstraint(fields=["fund", "effective_from"], name="regulation_one_start_per_fund"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True) | Q(effective_to__gte=models.F("effective_from")),
                name="regulation_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(period_months__in=[1, 3]), name="regulation_period_known"),
            models.CheckConstraint(condition=Q(yearly_rate_bp__lte=10_000), name="regulation_rate_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"

    def article(self, rule: str) -> str:
        return self.articles.get(rule, "")

    def documents(self) -> list[str]:
        return [line.strip() for line in self.required_documents.splitlines() if line.strip()]


class RubricCriterion(PortalModel):
    """One weighted criterion of a regulation version's appraisal rubric; weights add up to 100."""

    regulation = models.ForeignKey(
        Regulation, verbose_name=_("regulation"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(_("weight (%)"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["regulation", "position", "pk"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight_bounded"
            )
        ]

    def __str__(self) -> str:
        return self.name
