"""Review reports (báo cáo sơ kết, tổng kết): immutable snapshots of a unit's sections over a period."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import audited
from portal.models import AdminUnit
from portal.models.base import PortalModel
from portal.scope import scope_for
from reports.periods import PeriodKind, ReviewPeriod


class ReviewReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReviewReportQuerySet":
        """The reports of the units in the official's scope; applicants and visitors see none."""

        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(unit_id__in=scope_for(user).readable_unit_ids)

    def ready(self) -> "ReviewReportQuerySet":
        return self.filter(status=ReviewReport.Status.READY)

    def pending(self) -> "ReviewReportQuerySet":
        return self.filter(status__in=ReviewReport.PENDING_STATUSES)

    def of_period(self, unit, period: ReviewPeriod) -> "ReviewReportQuerySet":
        return self.filter(unit=unit, period_kind=period.kind, period_first=period.first)


@audited(exclude=["data", "progress", "heartbeat_at"])
class ReviewReport(PortalModel):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("being built")
        READY = "ready", _("ready")
        FAILED = "failed", _("failed")

    PENDING_STATUSES = frozenset({Status.QUEUED, Status.BUILDING})

    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="review_reports"
    )
    period_kind = models.CharField(_("period"), max_length=12, choices=PeriodKind.choices)
    period_first = models.DateField(_("first day"))
    period_last = models.DateField(_("last day"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the schedule asked for it."),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(_("build attempts"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of the build"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    built_at = models.DateTimeField(_("built at"), null=True, blank=True)
    error = models.TextField(_("why the build failed"), blank=True)
    data = models.JSONField(_("figures"), default=dict, blank=True, editable=False)
    number = models.CharField(
        _("document number"), max_length=40, blank=True, help_text=_("For example: 12/BC-HĐTV.")
    )
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReviewReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["-period_first", "unit__sort_name", "period_kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "period_kind", "period_first", "version"], name="one_report_per_version"
            ),
            models.UniqueConstraint(
                fields=["unit", "period_kind", "period_first"],
                condition=Q(status__in=["queued", "building"]),
                name="one_report_build_at_a_time",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="report_progress_at_most_100"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.period.label} · v{self.version}"

    @property
    def period(self) -> ReviewPeriod:
        return ReviewPeriod(self.period_kind, self.period_first, self.period_last)

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATUSES

    @property
    def is_final(self) -> bool:
        return self.finalised_at is not None

    @property
    def sections(self) -> list[dict]:
        return self.data.get("sections", []) if self.data else []
