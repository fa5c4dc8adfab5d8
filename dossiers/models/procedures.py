"""The catalogue of the programme's procedures (thủ tục), each with versioned required documents."""

import datetime

from django.db import models
from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext_lazy as _

from portal.models.base import PortalModel
from portal.models.people import Team


class DocumentKind(PortalModel):
    """A kind of paper an applicant gives (a CCCD copy, a business plan…); reused across procedures."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_("Leave empty when a document of this kind does not expire."),
    )

    class Meta:
        verbose_name = _("document kind")
        verbose_name_plural = _("document kinds")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ProcedureQuerySet(models.QuerySet):
    def open_with_version_on(self, day: datetime.date) -> "ProcedureQuerySet":
        """Open procedures, each with ``versions_in_force``: the version in force on ``day`` (or none)
        and its requirements, in three queries whatever the number of procedures."""
        latest = (
            ProcedureVersion.objects.filter(procedure_id=OuterRef("procedure_id"), effective_from__lte=day)
            .order_by("-effective_from")
            .values("pk")[:1]
        )
        in_force = ProcedureVersion.objects.filter(pk=Subquery(latest)).prefetch_related(
            Prefetch("requirements", queryset=Requirement.objects.select_related("document_kind"))
        )
        return self.filter(is_open=True).prefetch_related(
            Prefetch("versions", queryset=in_force, to_attr="versions_in_force")
        )


class Procedure(PortalModel):
    class Audience(models.TextChoices):
        STARTUP = "startup", _("startup founders")
        HOUSEHOLD_BUSINESS = "household_business", _("household businesses")
        POOR_HOUSEHOLD = "poor_household", _("poor households")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("for"), max_length=30, choices=Audience.choices)
    handling_team_kind = models.CharField(_("handled by"), max_length=20, choices=Team.Kind.choices)
    is_open = models.BooleanField(_("open for filing"), default=True)

    objects = ProcedureQuerySet.as_manager()

    class Meta:
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def version_on(self, day: datetime.date) -> "ProcedureVersion | None":
        """The version in force on ``day``: the latest that took effect on or before it."""
        return self.versions.filter(effective_from__lte=day).order_by("-effective_from").first()


class ProcedureVersion(PortalModel):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("version"))
    effective_from = models.DateField(_("in force from"))
    statutory_working_days = models.PositiveSmallIntegerField(_("statutory time (working days)"))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="one_number_per_procedure_version"),
            models.UniqueConstraint(fields=["procedure", "effective_from"], name="one_version_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.procedure} – {self.number}"


class Requirement(PortalModel):
    """A document a version of a procedure asks for (thành phần hồ sơ)."""

    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name=_("procedure version"),
        on_delete=models.CASCADE,
        related_name="requirements",
    )
    document_kind = models.ForeignKey(
        DocumentKind, verbose_name=_("document kind"), on_delete=models.PROTECT, related_name="requirements"
    )
    is_mandatory = models.BooleanField(_("mandatory"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["version", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "document_kind"], name="one_requirement_per_kind"),
        ]

    def __str__(self) -> str:
        return str(self.document_kind)
