"""After the certificate: the entitlements granted with their dates, and the follow-up visits."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conversions.models.cases import Conversion
from policies.models import Entitlement
from portal.audit import audited
from portal.models.base import PortalModel


class VisitScheduleQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> "VisitSchedule | None":
        return self.filter(effective_from__lte=day).order_by("-effective_from", "-pk").first()


class VisitSchedule(PortalModel):
    """When to visit a converted enterprise, in months after its registration.

    Data, kept by the standing agency: a new version applies to the enterprises registered from its
    day on, and leaves the schedules already made as they are.
    """

    effective_from = models.DateField(_("for enterprises registered from"), unique=True)
    months = models.JSONField(_("months after registration"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("set by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    objects = VisitScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up schedule")
        verbose_name_plural = _("follow-up schedules")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return ", ".join(str(month) for month in self.months)


def open_on(day: datetime.date) -> Q:
    """Visits still to do on ``day``: not done by then, nor skipped (a skip has no date)."""
    return Q(skipped_reason="") & (Q(done_on__isnull=True) | Q(done_on__gt=day))


def late_on(day: datetime.date, *, by_days: int = 0) -> Q:
    """The one definition of a late visit: open on ``day`` and due more than ``by_days`` before it.
    Overdue is derived from it, never stored."""
    return open_on(day) & Q(due_on__lt=day - datetime.timedelta(days=by_days))


class FollowUpVisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "FollowUpVisitQuerySet":
        return self.filter(conversion__in=Conversion.objects.visible_to(user))

    def open(self) -> "FollowUpVisitQuerySet":
        return self.filter(done_on__isnull=True, skipped_reason="")

    def due_by(self, day: datetime.date) -> "FollowUpVisitQuerySet":
        return self.open().filter(due_on__lte=day)

    def overdue_on(self, day: datetime.date) -> "FollowUpVisitQuerySet":
        return self.filter(late_on(day))


@audited(parent="conversion")
class FollowUpVisit(PortalModel):
    """A visit due at a month of the schedule, and once done, the case update it became."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("visit")
        PHONE = "phone", _("phone call")
        MESSAGE = "message", _("Zalo or message")

    class Finding(models.TextChoices):
        OPERATING = "operating", _("operating well")
        TAXES_ACCOUNTING = "taxes_accounting", _("trouble with taxes or accounting")
        MARKET = "market", _("trouble with the market")
        CAPITAL = "capital", _("short of capital")
        STAFF = "staff", _("trouble with staff")
        NOT_TRADING = "not_trading", _("not trading")
        OTHER = "other", _("other trouble")

    conversion = models.ForeignKey(
        Conversion, verbose_name=_("conversion"), on_delete=models.CASCADE, related_name="visits"
    )
    months_after = models.PositiveSmallIntegerField(_("months after registration"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices, blank=True)
    finding = models.CharField(
        _("the enterprise's state"), max_length=16, choices=Finding.choices, blank=True
    )
    actions = models.TextField(_("what was done"), blank=True, max_length=2000)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    attachment = models.FileField(
        _("photo or document"), upload_to="followups/%Y/%m/", blank=True, max_length=200
    )
    attachment_name = models.CharField(_("file name"), max_length=200, blank=True)
    skipped_reason = models.CharField(_("why it was skipped"), max_length=300, blank=True)
    reschedule_reason = models.CharField(_("why it was moved"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = FollowUpVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["conversion", "months_after"]
        indexes = [models.Index(fields=["due_on", "done_on"], name="followup_due")]
        constraints = [
            # Making the schedule twice never makes a second visit.
            models.UniqueConstraint(
                fields=["conversion", "months_after"], name="one_visit_per_month_of_schedule"
            ),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(channel=""), name="visit_done_has_its_channel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.conversion} +{self.months_after}"

    @property
    def is_open(self) -> bool:
        return self.done_on is None and not self.skipped_reason

    def is_overdue_on(self, day: datetime.date) -> bool:
        return self.is_open and self.due_on < day


class EntitlementGrantQuerySet(models.QuerySet):
    def visible_to(self, user) -> "EntitlementGrantQuerySet":
        return self.filter(conversion__in=Conversion.objects.visible_to(user))


@audited(parent="conversion")
class EntitlementGrant(PortalModel):
    """A support the enterprise got on registration, from the rules in force that day."""

    class State(models.TextChoices):
        GRANTED = "granted", _("granted")
        USED = "used", _("used")
        EXPIRED = "expired", _("expired")

    conversion = models.ForeignKey(
        Conversion, verbose_name=_("conversion"), on_delete=models.CASCADE, related_name="entitlements"
    )
    entitlement = models.ForeignKey(
        Entitlement, verbose_name=_("entitlement"), on_delete=models.PROTECT, related_name="grants"
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.GRANTED)
    warned_on = models.DateField(_("end announced on"), null=True, blank=True)

    objects = EntitlementGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("entitlement granted")
        verbose_name_plural = _("entitlements granted")
        ordering = ["conversion", "starts_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["conversion", "entitlement"], name="one_grant_per_entitlement"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="grant_ends_after_it_starts"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entitlement} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"
