"""Success models: a project the standing agency proposes and the council confirms, for others to copy.

A later project records that it replicates a confirmed model (``Project.replicates``)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.audit import audited
from portal.models.base import PortalModel
from projects.models.projects import Project


class SuccessModelQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SuccessModelQuerySet":
        """Who sees the project sees its proposal; the confirmed and published ones are public
        (``published``)."""
        return self.filter(project__in=Project.objects.visible_to(user).values("pk"))

    def confirmed(self) -> "SuccessModelQuerySet":
        return self.filter(status=SuccessModel.Status.CONFIRMED)

    def published(self) -> "SuccessModelQuerySet":
        """Confirmed models whose founder agreed to their publication: the public page's."""
        return self.confirmed().filter(public_consent=True)


@audited(parent="project")
class SuccessModel(PortalModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed by the standing agency")
        CONFIRMED = "confirmed", _("confirmed by the council")
        DECLINED = "declined", _("not confirmed")

    project = models.OneToOneField(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="success_model"
    )
    title = models.CharField(_("name of the model"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    yearly_revenue = models.PositiveBigIntegerField(_("yearly revenue (đồng)"))
    jobs = models.PositiveIntegerField(_("jobs"))
    years_operating = models.PositiveSmallIntegerField(_("years operating"))
    evidence = models.TextField(_("evidence and lessons"), max_length=4000)
    # What the public page shows, only with the founder's consent, recorded with its date.
    public_consent = models.BooleanField(_("the founder agrees to publication"), default=False)
    consent_recorded_on = models.DateField(_("consent recorded on"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    proposed_on = models.DateField(_("proposed on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=500, blank=True)

    objects = SuccessModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("success model")
        verbose_name_plural = _("success models")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="proposed") | Q(decided_on__isnull=False, decided_by__isnull=False),
                name="decided_model_says_when_and_who",
            ),
            models.CheckConstraint(
                condition=Q(public_consent=False) | Q(consent_recorded_on__isnull=False),
                name="model_consent_has_its_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


@audited(parent="model")
class ModelPhoto(PortalModel):
    model = models.ForeignKey(SuccessModel, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to="projects/models/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["model", "pk"]

    def __str__(self) -> str:
        return self.caption or self.file.name
