"""What a project got: each support a record, and the visits that follow the project."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import audited
from portal.models.base import PortalModel
from portal.models.people import Team
from projects.models.mentors import Mentor
from projects.models.projects import Project


class SupportKind(models.TextChoices):
    TRAINING = "training", _("training")
    MENTORING = "mentoring", _("mentoring")
    ADVICE = "advice", _("advice")
    TRADE_PROMOTION = "trade_promotion", _("trade promotion")
    PREMISES = "premises", _("premises / incubation")
    CAPITAL = "capital", _("capital connection")
    TECHNOLOGY = "technology", _("technology")


class SupportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SupportQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))


@audited(parent="project")
class Support(PortalModel):
    """One support given to a project, by a team, an organisation or a mentor (exactly one)."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="supports"
    )
    kind = models.CharField(_("kind of support"), max_length=16, choices=SupportKind.choices)
    team = models.ForeignKey(
        Team, verbose_name=_("team"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    given_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1, null=True, blank=True)
    value = models.PositiveBigIntegerField(_("value (đồng)"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True, max_length=2000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = SupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        ordering = ["-given_on", "-pk"]
        indexes = [models.Index(fields=["project", "given_on"], name="support_project_on")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(team__isnull=False) & Q(mentor__isnull=True) & Q(organisation=""))
                | (Q(team__isnull=True) & Q(mentor__isnull=False) & Q(organisation=""))
                | (Q(team__isnull=True) & Q(mentor__isnull=True) & ~Q(organisation="")),
                name="support_has_one_provider",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=False) | Q(value__isnull=False), name="support_has_hours_or_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.given_on:%d/%m/%Y}"

    @property
    def provider(self) -> str:
        return str(self.team or self.mentor or self.organisation)


class ProjectVisitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectVisitQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))


@audited(parent="project")
class ProjectVisit(PortalModel):
    """A visit (or a call) of the team to the project: what was seen, the next step, milestones."""

    class Channel(models.TextChoices):
        VISIT = "visit", _("visit")
        PHONE = "phone", _("phone call")
        MEETING = "meeting", _("meeting at the office")

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="visits"
    )
    visited_on = models.DateField(_("date"))
    channel = models.CharField(_("how"), max_length=8, choices=Channel.choices, default=Channel.VISIT)
    note = models.TextField(_("what was seen and done"), max_length=2000)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProjectVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("project visit")
        verbose_name_plural = _("project visits")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project} {self.visited_on:%d/%m/%Y}"
