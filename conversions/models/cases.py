"""A household business's way to an enterprise: the case, its dated steps and what became of it."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conversions.models.registry import HouseholdBusiness
from dossiers.models import Applicant, Dossier
from portal.audit import audited
from portal.models.base import PortalModel
from portal.models.units import AdminUnit
from portal.scope import scope_for
from portal.sectors import SizeClass

enterprise_code_validator = RegexValidator(r"^[0-9]{10}$", _("An enterprise code is the 10-digit tax code."))


class Stage(models.TextChoices):
    """The pipeline, in its order: a case moves one stage forward at a time."""

    IDENTIFIED = "identified", _("identified")
    ADVISED = "advised", _("advised")
    FILED = "filed", _("dossier filed")
    REGISTERED = "registered", _("enterprise registered")
    FOLLOWED_UP = "followed_up", _("followed up")
    OUTCOME = "outcome", _("outcome recorded")


STAGE_ORDER = list(Stage.values)


class Outcome(models.TextChoices):
    """What became of a converted enterprise; it may change over time (a suspension ends)."""

    OPERATING = "operating", _("operating")
    SUSPENDED = "suspended", _("temporarily suspended")
    DISSOLVED = "dissolved", _("dissolved")
    BANKRUPT = "bankrupt", _("bankrupt")
    REVERTED = "reverted", _("returned to household business")
    MOVED_OUT = "moved_out", _("moved out of the province")


# Still trading somewhere at that moment: what survival counts.
TRADING_OUTCOMES = frozenset({Outcome.OPERATING, Outcome.MOVED_OUT})
CLOSED_OUTCOMES = frozenset({Outcome.DISSOLVED, Outcome.BANKRUPT})


class OutcomeReason(models.TextChoices):
    TAXES_ACCOUNTING = "taxes_accounting", _("tax and accounting burden")
    MARKET = "market", _("no market, falling sales")
    CAPITAL = "capital", _("lack of capital")
    STAFF = "staff", _("staff")
    PREMISES = "premises", _("premises")
    FAMILY = "family", _("family reasons")
    PREFERS_HOUSEHOLD = "prefers_household", _("household business form suits better")
    OTHER = "other", _("other")


class ConversionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConversionQuerySet":
        """Officials see the cases of their scope's units; an owner sees the case of their business."""

        if not getattr(user, "is_authenticated", False):
            return self.none()
        scope = scope_for(user)
        own = Applicant.objects.own_id(user)
        return self.filter(Q(unit_id__in=scope.readable_unit_ids) | Q(household_business__owner_id=own))

    def registered(self) -> "ConversionQuerySet":
        return self.filter(registered_on__isnull=False)


@audited()
class Conversion(PortalModel):
    household_business = models.OneToOneField(
        HouseholdBusiness,
        verbose_name=_("household business"),
        on_delete=models.PROTECT,
        related_name="conversion",
    )
    # The commune that follows the case: the household business's, or its successor after a reform.
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("commune or ward"), on_delete=models.PROTECT, related_name="conversions"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices, default=Stage.IDENTIFIED)
    dossier = models.OneToOneField(
        Dossier,
        verbose_name=_("conversion-support dossier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversion",
    )
    enterprise_code = models.CharField(
        _("enterprise code"), max_length=10, blank=True, validators=[enterprise_code_validator]
    )
    enterprise_name = models.CharField(_("enterprise name"), max_length=200, blank=True)
    registered_on = models.DateField(
        _("first enterprise registration certificate issued on"), null=True, blank=True
    )
    insured_workers = models.PositiveIntegerField(_("insured workers"), null=True, blank=True)
    yearly_revenue = models.PositiveBigIntegerField(_("yearly revenue (đồng)"), null=True, blank=True)
    capital = models.PositiveBigIntegerField(_("capital (đồng)"), null=True, blank=True)
    size_class = models.CharField(_("size"), max_length=6, choices=SizeClass.choices, blank=True)
    outcome = models.CharField(_("state"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_since = models.DateField(_("since"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("identified by"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("identified on"))

    objects = ConversionQuerySet.as_manager()

    class Meta:
        verbose_name = _("conversion")
        verbose_name_plural = _("conversions")
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "stage"], name="conversion_unit_stage"),
            models.Index(fields=["registered_on"], name="conversion_registered_on"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise_code"],
                condition=~Q(enterprise_code=""),
                name="one_case_per_enterprise_code",
            ),
            models.CheckConstraint(
                condition=Q(registered_on__isnull=True) | ~Q(enterprise_code=""),
                name="registered_conversion_has_its_code",
            ),
        ]

    def __str__(self) -> str:
        return self.enterprise_name or str(self.household_business)

    def has_reached(self, stage: str) -> bool:
        return STAGE_ORDER.index(self.stage) >= STAGE_ORDER.index(stage)


@audited(parent="conversion")
class ConversionStep(PortalModel):
    """One dated move of the case, by a named officer; a correction undoes the one before it."""

    conversion = models.ForeignKey(
        Conversion, verbose_name=_("conversion"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField(_("stage reached"), max_length=12, choices=Stage.choices)
    taken_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    # A correction moves the case back to ``stage`` and says why in its note.
    is_correction = models.BooleanField(_("correction"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversion step")
        verbose_name_plural = _("conversion steps")
        ordering = ["conversion", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.taken_on:%d/%m/%Y}"


@audited(parent="conversion")
class OutcomeChange(PortalModel):
    """The enterprise's state from a day on, with its reasons; survival reads these."""

    conversion = models.ForeignKey(
        Conversion, verbose_name=_("conversion"), on_delete=models.CASCADE, related_name="outcomes"
    )
    outcome = models.CharField(_("state"), max_length=10, choices=Outcome.choices)
    since = models.DateField(_("since"))
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["conversion", "since", "pk"]
        indexes = [models.Index(fields=["outcome", "since"], name="outcome_since")]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.since:%d/%m/%Y}"
