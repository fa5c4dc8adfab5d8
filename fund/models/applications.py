"""A loan application: the fund's side of a dossier of the fund-loan procedure (the dossier keeps the
receipt slip, the working-day clock, the supplement rounds and the public lookup), judged by the
regulation version in force on the day it was filed; its appraisers, their scores and the site visit."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import Applicant, Dossier
from fund.models.funds import Fund, Regulation, RubricCriterion
from portal.audit import audited
from portal.models import AdminUnit
from portal.models.base import PortalModel
from portal.scope import scope_for
from portal.sectors import Sector


class LoanQuerySetMixin:
    """Officials read the applications and loans of their scope's units; a borrower reads their own."""

    def visible_to(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        scope = scope_for(user)
        path, own_id = self.dossier_path, Applicant.objects.own_id(user)
        own = Q(**{f"{path}applicant_id": own_id}) | Q(**{f"{path}filed_by": user})
        return self.filter(Q(unit_id__in=scope.readable_unit_ids) | own)


class LoanApplicationQuerySet(LoanQuerySetMixin, models.QuerySet):
    dossier_path = "dossier__"


class Status(models.TextChoices):
    APPRAISING = "appraising", _("being appraised")
    RECOMMENDED = "recommended", _("recommended")
    PROPOSED = "proposed", _("decision proposed")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    WITHDRAWN = "withdrawn", _("withdrawn")


class Recommendation(models.TextChoices):
    LEND = "lend", _("lend")
    REFUSE = "refuse", _("do not lend")


@audited(parent="dossier")
class LoanApplication(PortalModel):
    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="loan_application"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="applications"
    )
    # The version in force on the day the application was filed; a later version never changes it.
    regulation = models.ForeignKey(
        Regulation,
        verbose_name=_("regulation applied"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("startup project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loan_applications",
    )
    unit = models.ForeignKey(
        AdminUnit,
        verbose_name=_("commune or ward"),
        on_delete=models.PROTECT,
        related_name="loan_applications",
    )
    sector = models.CharField(_("sector (VSIC section)"), max_length=1, choices=Sector.choices)
    enterprise_founded_on = models.DateField(_("enterprise founded on"), null=True, blank=True)
    first_startup = models.BooleanField(_("starting up for the first time"), default=True)
    project_cost = models.PositiveBigIntegerField(_("total cost of the project (đồng)"))
    amount = models.PositiveBigIntegerField(_("amount asked (đồng)"))
    term_months = models.PositiveSmallIntegerField(_("term asked (months)"))
    grace_months = models.PositiveSmallIntegerField(_("grace period asked (months)"), default=0)
    purpose = models.TextField(_("what the money is for"), max_length=2000)
    collateral = models.CharField(_("collateral offered"), max_length=300, blank=True)
    filed_on = models.DateField(_("filed on"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPRAISING)
    recommendation = models.CharField(
        _("recommendation"), max_length=8, choices=Recommendation.choices, blank=True, default=""
    )
    recommended_amount = models.PositiveBigIntegerField(_("amount recommended (đồng)"), null=True, blank=True)
    recommendation_note = models.TextField(_("reasons"), blank=True, max_length=2000)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recommended by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recommended_on = models.DateField(_("recommended on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    refusal_reason = models.TextField(_("reason refused"), blank=True, max_length=2000)

    objects = LoanApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-pk"]
        verbose_name = _("loan application")
        verbose_name_plural = _("loan applications")
        indexes = [
            models.Index(fields=["fund", "status"], name="application_fund_status"),
            # The list's order: a reader's 50 newest are read along it, not sorted from the whole scope.
            models.Index(fields=["-filed_on", "-id"], name="application_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="application_amount_positive"),
            models.CheckConstraint(
                condition=Q(grace_months__lt=models.F("term_months")), name="application_grace_in_term"
            ),
        ]

    def __str__(self) -> str:
        return str(self.dossier.code) if self.dossier_id else ""


class Declaration(models.TextChoices):
    PENDING = "", _("not declared yet")
    NO_CONFLICT = "none", _("no conflict of interest")
    CONFLICT = "conflict", _("conflict of interest")


@audited(parent="application")
class Appraiser(PortalModel):
    """An officer the fund assigned to appraise an application; they declare conflicts before scoring."""

    application = models.ForeignKey(
        LoanApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="appraisers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appraiser"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    assigned_on = models.DateField(_("assigned on"))
    declaration = models.CharField(
        _("declaration"), max_length=8, choices=Declaration.choices, blank=True, default=Declaration.PENDING
    )
    declaration_note = models.CharField(_("what the conflict is"), max_length=500, blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("appraiser")
        verbose_name_plural = _("appraisers")
        constraints = [
            models.UniqueConstraint(fields=["application", "user"], name="appraiser_once_per_application")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Score(PortalModel):
    appraiser = models.ForeignKey(
        Appraiser, verbose_name=_("appraiser"), on_delete=models.PROTECT, related_name="scores"
    )
    criterion = models.ForeignKey(
        RubricCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score (0–10)"))
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["appraiser", "criterion__position"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["appraiser", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(condition=Q(score__lte=10), name="score_at_most_ten"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"


@audited(parent="application")
class SiteVisit(PortalModel):
    application = models.ForeignKey(
        LoanApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="site_visits"
    )
    visited_on = models.DateField(_("visited on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("visited by"), on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField(_("what was found"), max_length=4000)

    class Meta:
        ordering = ["application", "-visited_on"]
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")

    def __str__(self) -> str:
        return f"{self.application} {self.visited_on:%d/%m/%Y}"
