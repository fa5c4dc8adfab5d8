"""A loan: the contract approved under a regulation version (kept with its allocation order), its
schedule versions, the tranches released against accepted evidence, the repayments, the debt freezes,
and its state on the business date (what is outstanding and overdue, the arrears bucket, the debt group).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import Applicant
from fund.models.applications import LoanApplication, LoanQuerySetMixin
from fund.models.funds import Fund, Method, Regulation
from portal.audit import audited
from portal.models import AdminUnit
from portal.models.base import PortalModel
from portal.sectors import Sector


class LoanQuerySet(LoanQuerySetMixin, models.QuerySet):
    dossier_path = "application__dossier__"

    def open(self) -> "LoanQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Bucket(models.TextChoices):
    CURRENT = "current", _("not overdue")
    DAYS_1_30 = "1-30", _("1–30 days overdue")
    DAYS_31_90 = "31-90", _("31–90 days overdue")
    DAYS_91_180 = "91-180", _("91–180 days overdue")
    OVER_180 = "180+", _("more than 180 days overdue")


@audited(exclude=["state_on"])
class Loan(PortalModel):
    class Status(models.TextChoices):
        APPROVED = "approved", _("approved, nothing released yet")
        ACTIVE = "active", _("being repaid")
        REPAID = "repaid", _("repaid")
        RECALLED = "recalled", _("recalled")
        WRITTEN_OFF = "written_off", _("written off")

    application = models.OneToOneField(
        LoanApplication, verbose_name=_("application"), on_delete=models.PROTECT, related_name="loan"
    )
    fund = models.ForeignKey(Fund, verbose_name=_("fund"), on_delete=models.PROTECT, related_name="loans")
    regulation = models.ForeignKey(
        Regulation, verbose_name=_("approved under"), on_delete=models.PROTECT, related_name="loans"
    )
    contract_number = models.CharField(_("contract number"), max_length=30, unique=True)
    borrower = models.ForeignKey(
        Applicant, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="loans"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("startup project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="loans",
    )
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("commune or ward"), on_delete=models.PROTECT, related_name="loans"
    )
    sector = models.CharField(_("sector (VSIC section)"), max_length=1, choices=Sector.choices)
    amount = models.PositiveBigIntegerField(_("amount approved (đồng)"))
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    grace_months = models.PositiveSmallIntegerField(_("grace period (months)"), default=0)
    yearly_rate_bp = models.PositiveIntegerField(_("yearly interest (basis points)"), default=0)
    method = models.CharField(_("repayment method"), max_length=20, choices=Method.choices)
    period_months = models.PositiveSmallIntegerField(_("repaid every (months)"), default=1)
    # The order repayments pay what is owed, kept from the regulation the loan was approved under.
    allocation_order = models.JSONField(_("repayment allocation order"))
    contract_on = models.DateField(_("contract signed on"))
    # The day the first tranche was released: the schedule's due dates count from it.
    start_on = models.DateField(_("first release on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPROVED)
    restructured = models.BooleanField(_("restructured (extended)"), default=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    # The loan's state on ``state_on`` (the business date it was last caught up to), from the schedule
    # and the repayments by the allocation replay (services/loans.py: catch_up); never typed in.
    state_on = models.DateField(_("state on"), null=True, blank=True)
    disbursed = models.PositiveBigIntegerField(_("released (đồng)"), default=0)
    principal_repaid = models.PositiveBigIntegerField(_("principal repaid (đồng)"), default=0)
    interest_repaid = models.PositiveBigIntegerField(_("interest paid (đồng)"), default=0)
    outstanding = models.PositiveBigIntegerField(_("principal outstanding (đồng)"), default=0)
    overdue = models.PositiveBigIntegerField(_("overdue (đồng)"), default=0)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    bucket = models.CharField(_("arrears"), max_length=8, choices=Bucket.choices, default=Bucket.CURRENT)
    debt_group = models.PositiveSmallIntegerField(_("debt group (Circular 11/2021)"), default=1)
    at_risk = models.BooleanField(_("in PAR30"), default=False)
    next_due_on = models.DateField(_("next due on"), null=True, blank=True)
    next_due_amount = models.PositiveBigIntegerField(_("next due (đồng)"), default=0)
    written_off = models.PositiveBigIntegerField(_("written off (đồng)"), default=0)

    objects = LoanQuerySet.as_manager()

    class Meta:
        ordering = ["-contract_on", "-pk"]
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        indexes = [
            models.Index(fields=["fund", "status"], name="loan_fund_status"),
            models.Index(fields=["unit", "status"], name="loan_unit_status"),
            # The list's order: a reader's 50 newest are read along it, not sorted from the whole scope.
            models.Index(fields=["-contract_on", "-id"], name="loan_newest_first"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="loan_amount_positive"),
            models.CheckConstraint(
                condition=Q(disbursed__lte=models.F("amount")), name="loan_released_within_amount"
            ),
            models.CheckConstraint(
                condition=Q(debt_group__gte=1, debt_group__lte=5), name="loan_debt_group_known"
            ),
        ]

    def __str__(self) -> str:
        return self.contract_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


OPEN_STATUSES = (Loan.Status.APPROVED, Loan.Status.ACTIVE, Loan.Status.RECALLED)


class ScheduleVersion(PortalModel):
    """One version of a loan's schedule; a change (a release, an extension, a freeze, a recall) writes
    a new version and keeps the old one."""

    class Reason(models.TextChoices):
        RELEASE = "release", _("first release")
        TRANCHE = "tranche", _("a later tranche released")
        EXTENSION = "extension", _("extension")
        FREEZE = "freeze", _("debt freeze")
        RECALL = "recall", _("recall")

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="schedules")
    number = models.PositiveSmallIntegerField(_("version"))
    reason = models.CharField(_("why"), max_length=10, choices=Reason.choices)
    effective_from = models.DateField(_("from"))
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        ordering = ["loan", "-number"]
        verbose_name = _("schedule version")
        verbose_name_plural = _("schedule versions")
        constraints = [models.UniqueConstraint(fields=["loan", "number"], name="schedule_version_once")]

    def __str__(self) -> str:
        return f"{self.loan} v{self.number}"


class Instalment(PortalModel):
    schedule = models.ForeignKey(
        ScheduleVersion, verbose_name=_("schedule"), on_delete=models.PROTECT, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField(_("number"))
    due_on = models.DateField(_("due on"))
    principal = models.PositiveBigIntegerField(_("principal (đồng)"))
    interest = models.PositiveBigIntegerField(_("interest (đồng)"))

    class Meta:
        ordering = ["schedule", "number"]
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        constraints = [models.UniqueConstraint(fields=["schedule", "number"], name="instalment_once")]

    def __str__(self) -> str:
        return f"{self.number}: {self.due_on:%d/%m/%Y}"


@audited(parent="loan")
class Tranche(PortalModel):
    class Evidence(models.TextChoices):
        WAITING = "waiting", _("waiting for evidence")
        SUBMITTED = "submitted", _("evidence submitted")
        ACCEPTED = "accepted", _("evidence accepted")
        REJECTED = "rejected", _("evidence not accepted")

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    milestone = models.CharField(_("released when"), max_length=300)
    evidence = models.TextField(_("evidence (receipts, a progress report)"), blank=True, max_length=4000)
    evidence_state = models.CharField(
        _("evidence"), max_length=10, choices=Evidence.choices, default=Evidence.WAITING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evidence reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)
    transaction = models.OneToOneField(
        "fund.Transaction",
        verbose_name=_("posting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tranche",
    )

    class Meta:
        ordering = ["loan", "number"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        constraints = [
            models.UniqueConstraint(fields=["loan", "number"], name="tranche_once"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.loan} – {self.number}"


@audited(parent="loan")
class Repayment(PortalModel):
    loan = models.ForeignKey(
        Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="repayments"
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.PositiveBigIntegerField(_("amount (đồng)"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    transaction = models.OneToOneField(
        "fund.Transaction", verbose_name=_("posting"), on_delete=models.PROTECT, related_name="repayment"
    )
    # A repayment recorded by mistake is reversed (a new posting), never deleted.
    reversal = models.OneToOneField(
        "fund.Transaction",
        verbose_name=_("reversed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_repayment",
    )
    reversal_reason = models.CharField(_("why reversed"), max_length=300, blank=True)

    class Meta:
        ordering = ["loan", "-paid_on", "-pk"]
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        indexes = [models.Index(fields=["loan", "paid_on"], name="repayment_loan_paid_on")]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="repayment_amount_positive")]

    def __str__(self) -> str:
        return f"{self.loan} {self.paid_on:%d/%m/%Y}"


class Freeze(PortalModel):
    """A debt freeze (khoanh nợ): a dated pause, both days included; freezes of a loan never overlap,
    and days past due leave them out."""

    loan = models.ForeignKey(Loan, verbose_name=_("loan"), on_delete=models.PROTECT, related_name="freezes")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    decision = models.OneToOneField(
        "fund.Decision", verbose_name=_("decision"), on_delete=models.PROTECT, related_name="freeze"
    )

    class Meta:
        ordering = ["loan", "start"]
        verbose_name = _("debt freeze")
        verbose_name_plural = _("debt freezes")
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="freeze_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class Reminder(PortalModel):
    """A reminder the morning job sent the borrower about one due date; once each (the unique key)."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("due soon")
        AFTER = "after", _("overdue")

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["loan", "due_on", "kind"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.loan} {self.due_on:%d/%m/%Y} {self.kind}"
