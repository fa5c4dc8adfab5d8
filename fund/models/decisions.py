"""A decision waiting for its second person: it stores the whole command (what, on which loan, the
amounts and dates), and only the checking of it — by someone other than who prepared it, at the level
the regulation's thresholds name — carries it out. No page, endpoint or admin action reaches the money
another way."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fund.models.applications import LoanApplication
from fund.models.funds import Fund
from portal.audit import audited
from portal.models.base import PortalModel


class DecisionKind(models.TextChoices):
    APPROVE_LOAN = "approve_loan", _("approve a loan")
    DISBURSE = "disburse", _("release a tranche")
    EXTEND = "extend", _("extend the term (gia hạn nợ)")
    FREEZE = "freeze", _("freeze the debt (khoanh nợ)")
    RECALL = "recall", _("recall the loan (thu hồi)")
    WRITE_OFF = "write_off", _("write the loan off")


class Level(models.TextChoices):
    FUND_BOARD = "fund_board", _("the fund's board")
    PEOPLES_COMMITTEE = "peoples_committee", _("the provincial People's Committee")


class DecisionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DecisionQuerySet":
        """Whoever reads the loan or the application the decision is about."""
        applications = LoanApplication.objects.visible_to(user).values("pk")
        return self.filter(Q(application__in=applications) | Q(loan__application__in=applications))


@audited()
class Decision(PortalModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the second person")
        APPROVED = "approved", _("approved and carried out")
        REJECTED = "rejected", _("rejected")
        CANCELLED = "cancelled", _("withdrawn by who prepared it")

    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(_("decision"), max_length=12, choices=DecisionKind.choices)
    application = models.ForeignKey(
        LoanApplication,
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    loan = models.ForeignKey(
        "fund.Loan",
        verbose_name=_("loan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    tranche = models.ForeignKey(
        "fund.Tranche",
        verbose_name=_("tranche"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    # The whole command, as carried out on approval (services/decisions.py: COMMANDS names its keys).
    command = models.JSONField(_("command"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"), default=0)
    level = models.CharField(_("approved by"), max_length=20, choices=Level.choices, default=Level.FUND_BOARD)
    reason = models.TextField(_("reasons"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("prepared by"), on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now_add=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("checker's note"), blank=True, max_length=2000)
    # A decision of the People's Committee is taken outside the portal: its number and date are recorded.
    outside_number = models.CharField(_("decision number"), max_length=60, blank=True)
    outside_date = models.DateField(_("decision date"), null=True, blank=True)
    transaction = models.OneToOneField(
        "fund.Transaction",
        verbose_name=_("posting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decision",
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-prepared_at", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        indexes = [models.Index(fields=["fund", "status"], name="decision_fund_status")]
        constraints = [
            # Maker-checker, in the database too: who prepared a decision never checks it.
            models.CheckConstraint(
                condition=Q(checked_by__isnull=True) | ~Q(checked_by=F("prepared_by")),
                name="decision_checked_by_another",
            ),
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=Q(status="pending", application__isnull=False),
                name="decision_one_pending_per_application",
            ),
            models.UniqueConstraint(
                fields=["loan", "kind"],
                condition=Q(status="pending", loan__isnull=False),
                name="decision_one_pending_per_loan_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
