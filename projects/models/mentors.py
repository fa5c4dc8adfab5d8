"""The pool of mentors and experts, their assignments to projects, conflicts and sessions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import audited
from portal.models.base import PortalModel
from portal.models.units import AdminUnit
from portal.scope import scope_for
from portal.text import SORT_KEY_LENGTH, fold, sort_key
from projects.models.projects import Project


class MentorQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MentorQuerySet":
        """Officials of a team see the pool; a mentor sees their own record; nobody else."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        if scope_for(user).team_ids:
            return self
        return self.filter(user=user)

    def listed_publicly(self) -> "MentorQuerySet":
        return self.filter(public_consent=True)

    def search(self, text: str) -> "MentorQuerySet":
        needle = fold(text)
        return self.filter(search_text__contains=needle) if needle else self


@audited(exclude=["search_text", "sort_name"])
class Mentor(PortalModel):
    class Availability(models.TextChoices):
        AVAILABLE = "available", _("available")
        LIMITED = "limited", _("a few hours a month")
        UNAVAILABLE = "unavailable", _("not available now")

    full_name = models.CharField(_("full name"), max_length=150)
    fields = models.CharField(_("fields of expertise"), max_length=300)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    units = models.ManyToManyField(
        AdminUnit, verbose_name=_("units covered"), blank=True, related_name="mentors"
    )
    availability = models.CharField(
        _("availability"), max_length=12, choices=Availability.choices, default=Availability.AVAILABLE
    )
    phone = models.CharField(_("phone number"), max_length=15, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    public_consent = models.BooleanField(_("agrees to be listed publicly"), default=False)
    # The mentor's own account: with it they sign in and see only the projects assigned to them.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mentor",
    )
    search_text = models.CharField(max_length=700, editable=False, db_index=True)
    # Vietnamese order of people: by given name (the last word), then the whole name.
    sort_name = models.CharField(max_length=SORT_KEY_LENGTH, editable=False, db_index=True, default="")

    objects = MentorQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["sort_name", "pk"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.derive()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "sort_name"}
        super().save(*args, **kwargs)

    def derive(self) -> None:
        """Fill the columns derived from the name and fields (save() does; so does a bulk writer)."""
        self.search_text = fold(f"{self.full_name} {self.fields} {self.organisation}")
        words = self.full_name.split()
        self.sort_name = sort_key(" ".join(words[-1:] + words))


@audited(parent="project")
class MentorAssignment(PortalModel):
    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="assignments"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="mentor_assignments"
    )
    assigned_on = models.DateField(_("assigned on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["project", "-assigned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "project"],
                condition=Q(ended_on__isnull=True),
                name="one_open_assignment_per_mentor_project",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} – {self.project}"


@audited(parent="project")
class ConflictOfInterest(PortalModel):
    """A mentor's declared conflict with a project: they cannot be assigned to it."""

    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="conflicts"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="mentor_conflicts"
    )
    reason = models.CharField(_("reason"), max_length=500)
    declared_on = models.DateField(_("declared on"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["mentor", "project"], name="one_conflict_per_mentor_project"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} – {self.project}"


class MentorSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MentorSessionQuerySet":
        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))


@audited(parent="project")
class MentorSession(PortalModel):
    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.PROTECT, related_name="sessions"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="mentor_sessions"
    )
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1)
    topic = models.CharField(_("topic"), max_length=300)
    next_step = models.CharField(_("next step"), max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("logged by"), on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(_("logged at"), auto_now_add=True)

    objects = MentorSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mentor session")
        verbose_name_plural = _("mentor sessions")
        ordering = ["-held_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="mentor_session_has_hours"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} {self.held_on:%d/%m/%Y}"
