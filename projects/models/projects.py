"""A startup project: its founders, its stage and the dated steps that moved it, its dossiers."""

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models import Applicant, Dossier
from portal.audit import audited
from portal.models.base import PortalModel
from portal.models.units import AdminUnit
from portal.scope import scope_for
from portal.sectors import Sector
from portal.text import fold


class Kind(models.TextChoices):
    STARTUP = "startup", _("startup enterprise")
    INNOVATIVE = "innovative", _("innovative startup")
    HOUSEHOLD_BUSINESS = "household_business", _("household business")
    COOPERATIVE = "cooperative", _("cooperative")
    IDEA = "idea", _("group or individual idea")
    POVERTY_ESCAPE = "poverty_escape", _("poverty-escape livelihood")


class Stage(models.TextChoices):
    """The way forward, in its order; a project may stop at any stage, saying why."""

    IDEA = "idea", _("idea")
    PLAN = "plan", _("plan")
    STARTED = "started", _("started")
    OPERATING = "operating", _("operating")
    GROWING = "growing", _("growing")
    STOPPED = "stopped", _("stopped")


FORWARD_STAGES = [Stage.IDEA, Stage.PLAN, Stage.STARTED, Stage.OPERATING, Stage.GROWING]
# A project that went this many months without any support is one the review calls "spread thin".
UNSUPPORTED_MONTHS = 6


def unsupported_window_start(day: datetime.date) -> datetime.date:
    """The first day of the six months up to ``day`` in which a project should have had some support."""
    return day - relativedelta(months=UNSUPPORTED_MONTHS) + datetime.timedelta(days=1)


class StopReason(models.TextChoices):
    MARKET = "market", _("no market, falling sales")
    CAPITAL = "capital", _("lack of capital")
    SKILLS = "skills", _("lack of skills or labour")
    WEATHER = "weather", _("weather, disease or salinity")
    HEALTH = "health", _("illness or family reasons")
    MOVED = "moved", _("moved away")
    OTHER = "other", _("other")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProjectQuerySet":
        """Officials see the projects of their scope's units; a founder sees their own projects and a
        mentor the projects assigned to them."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        scope = scope_for(user)
        projects = self.model._base_manager
        own = projects.filter(founders__person__user=user).values("pk")
        mentored = projects.filter(
            mentor_assignments__mentor__user=user, mentor_assignments__ended_on__isnull=True
        ).values("pk")
        return self.filter(Q(unit_id__in=scope.readable_unit_ids) | Q(pk__in=own) | Q(pk__in=mentored))

    def search(self, text: str) -> "ProjectQuerySet":
        needle = fold(text)
        return self.filter(search_name__contains=needle) if needle else self

    def unsupported_on(self, day: datetime.date) -> "ProjectQuerySet":
        """Projects registered at least six months before ``day`` that got no support in the six months
        up to ``day``: the one rule of the list's filter, the report and its flags (each keeps only the
        projects going on, now or at the period's end)."""
        start = unsupported_window_start(day)
        supported = self.model._base_manager.filter(supports__given_on__range=(start, day)).values("pk")
        return self.filter(registered_on__lt=start).exclude(pk__in=supported)


@audited(exclude=["search_name"])
class Project(PortalModel):
    name = models.CharField(_("project name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("sector (VSIC section)"), max_length=1, choices=Sector.choices)
    # The commune where the project lives, valid on the day it was registered; after a reform the
    # project's new work is on the holder of that territory (services/projects.py moves it).
    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("commune or ward"), on_delete=models.PROTECT, related_name="projects"
    )
    summary = models.TextField(_("what the project does"), blank=True, max_length=2000)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.IDEA)
    stop_reason = models.CharField(_("reason stopped"), max_length=10, choices=StopReason.choices, blank=True)
    capital_needed = models.PositiveBigIntegerField(_("capital needed (đồng)"), default=0)
    own_capital = models.PositiveBigIntegerField(_("own capital (đồng)"), default=0)
    workers = models.PositiveIntegerField(_("workers recorded"), default=0)
    jobs_planned = models.PositiveIntegerField(_("jobs planned"), default=0)
    jobs_created = models.PositiveIntegerField(_("jobs created"), default=0)
    jobs_women = models.PositiveIntegerField(_("of them, women"), default=0)
    jobs_young = models.PositiveIntegerField(_("of them, young people (16–30)"), default=0)
    dossiers = models.ManyToManyField(
        Dossier, verbose_name=_("dossiers"), through="ProjectDossier", blank=True, related_name="projects"
    )
    # Where the project copies a confirmed success model (projects/models/showcase.py).
    replicates = models.ForeignKey(
        "projects.SuccessModel",
        verbose_name=_("replicates the model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replications",
    )
    replicates_since = models.DateField(_("replicating since"), null=True, blank=True)
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-registered_on", "-pk"]
        indexes = [
            models.Index(fields=["unit", "stage"], name="project_unit_stage"),
            models.Index(fields=["kind", "registered_on"], name="project_kind_registered"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(own_capital__lte=models.F("capital_needed")) | Q(capital_needed=0),
                name="project_own_capital_within_need",
            ),
            models.CheckConstraint(
                condition=Q(jobs_created__lte=models.F("workers")), name="project_jobs_within_workers"
            ),
            models.CheckConstraint(
                condition=Q(jobs_women__lte=models.F("jobs_created"))
                & Q(jobs_young__lte=models.F("jobs_created")),
                name="project_job_groups_within_jobs",
            ),
            models.CheckConstraint(
                condition=Q(stage="stopped", stop_reason__gt="") | (~Q(stage="stopped") & Q(stop_reason="")),
                name="project_stopped_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_poverty_escape(self) -> bool:
        return self.kind == Kind.POVERTY_ESCAPE


@audited(parent="project")
class Founder(PortalModel):
    """A founder of the project: the one record the portal keeps of that person (matched by CCCD)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="founders")
    person = models.ForeignKey(
        Applicant, verbose_name=_("person"), on_delete=models.PROTECT, related_name="founded_projects"
    )
    is_lead = models.BooleanField(_("lead founder"), default=False)

    class Meta:
        verbose_name = _("founder")
        verbose_name_plural = _("founders")
        ordering = ["project", "-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], name="one_founder_record_per_person"),
        ]

    def __str__(self) -> str:
        return str(self.person)


@audited(parent="project")
class ProjectStep(PortalModel):
    """One dated move of the project, by a named officer; a correction undoes the one before it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="steps"
    )
    stage = models.CharField(_("stage reached"), max_length=10, choices=Stage.choices)
    taken_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    stop_reason = models.CharField(_("reason stopped"), max_length=10, choices=StopReason.choices, blank=True)
    is_correction = models.BooleanField(_("correction"), default=False)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("project step")
        verbose_name_plural = _("project steps")
        ordering = ["project", "recorded_at", "pk"]
        indexes = [
            models.Index(fields=["stage", "taken_on"], name="project_step_stage_on"),
            # A project's steps to a stage in a period (the report's startups started, one test per
            # project): without it SQLite reads every step to that stage for each project.
            models.Index(fields=["project", "stage", "taken_on"], name="project_step_project_stage"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.taken_on:%d/%m/%Y}"


@audited(parent="project")
class ProjectDossier(PortalModel):
    """A dossier of the project at the one-stop shop; a dossier belongs to one project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="dossier_links")
    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.PROTECT, related_name="project_links"
    )
    linked_on = models.DateField(_("linked on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("linked by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("project dossier")
        verbose_name_plural = _("project dossiers")
        ordering = ["project", "pk"]
        constraints = [models.UniqueConstraint(fields=["dossier"], name="one_project_per_dossier")]

    def __str__(self) -> str:
        return str(self.dossier)
