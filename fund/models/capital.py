"""The fund's capital: contributions pledged and the money received against them (each receipt a
ledger posting), and the fundraising campaigns they answer."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fund.models.funds import Fund
from portal.audit import audited
from portal.models.base import PortalModel


class Source(models.TextChoices):
    """Where a fund's money comes from; the last two are earned by lending, never contributed."""

    STATE_BUDGET = "state_budget", _("state budget allocation")
    ENTERPRISE = "enterprise", _("contribution of an enterprise")
    INDIVIDUAL = "individual", _("contribution of an individual")
    RECYCLED = "recycled", _("repayments lent again")
    INTEREST = "interest", _("interest earned")


CONTRIBUTED = (Source.STATE_BUDGET, Source.ENTERPRISE, Source.INDIVIDUAL)


@audited()
class Campaign(PortalModel):
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="campaigns")
    name = models.CharField(_("campaign"), max_length=200)
    goal = models.PositiveBigIntegerField(_("goal (đồng)"))
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    description = models.TextField(_("description"), blank=True, max_length=2000)

    class Meta:
        ordering = ["fund", "-starts_on"]
        verbose_name = _("fundraising campaign")
        verbose_name_plural = _("fundraising campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


@audited(exclude=["search_name"])
class Contribution(PortalModel):
    """A pledge of money to the fund; what was received against it are its receipts."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="contributions"
    )
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
    )
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    contributor = models.CharField(_("contributor"), max_length=200)
    # A phone number or e-mail of the contributor: personal data, shown to the fund only.
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    anonymous = models.BooleanField(_("asked to stay anonymous in public"), default=False)
    pledged = models.PositiveBigIntegerField(_("pledged (đồng)"))
    pledged_on = models.DateField(_("pledged on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True, default="")

    class Meta:
        ordering = ["-pledged_on", "-pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(condition=Q(pledged__gt=0), name="contribution_pledged_positive"),
            models.CheckConstraint(
                condition=Q(source__in=[s.value for s in CONTRIBUTED]), name="contribution_source_contributed"
            ),
        ]

    def __str__(self) -> str:
        return self.contributor


class Receipt(PortalModel):
    """Money received against a pledge: one ledger transaction, and the receipt the contributor gets."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="receipts"
    )
    number = models.CharField(_("receipt number"), max_length=30, unique=True)
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    received_on = models.DateField(_("received on"))
    transaction = models.OneToOneField(
        "fund.Transaction", verbose_name=_("posting"), on_delete=models.PROTECT, related_name="receipt"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive")]

    def __str__(self) -> str:
        return self.number
