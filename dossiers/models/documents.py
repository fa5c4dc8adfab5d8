"""Documents an applicant gave, and their use for a dossier's requirements (once-only)."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dossiers.models.dossiers import Applicant, Dossier
from dossiers.models.procedures import DocumentKind, Requirement
from portal.audit import audited
from portal.models.base import PortalModel


def stored_name(instance, filename: str) -> str:
    """A generated name: nothing of the uploaded file's name reaches the disk."""
    return f"documents/{instance.uploaded_at_or_now():%Y/%m}/{uuid.uuid4().hex}"


class DocumentQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "DocumentQuerySet":
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day)).exclude(
            uses__review=DossierDocument.Review.REJECTED
        )


@audited(parent="applicant")
class Document(PortalModel):
    applicant = models.ForeignKey(
        Applicant, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="documents"
    )
    kind = models.ForeignKey(DocumentKind, verbose_name=_("kind"), on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to=stored_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.original_name}"

    def uploaded_at_or_now(self) -> datetime.datetime:
        return self.uploaded_at or timezone.now()


@audited(parent="dossier")
class DossierDocument(PortalModel):
    """A document given for one requirement of a dossier, and the official's review of it."""

    class Review(models.TextChoices):
        PENDING = "pending", _("not reviewed yet")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="documents"
    )
    requirement = models.ForeignKey(
        Requirement, verbose_name=_("required document"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="uses"
    )
    is_reused = models.BooleanField(_("reused from an earlier dossier"), default=False)
    review = models.CharField(_("review"), max_length=10, choices=Review.choices, default=Review.PENDING)
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("document of a dossier")
        verbose_name_plural = _("documents of dossiers")
        ordering = ["dossier", "requirement__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "requirement"],
                condition=~Q(review="rejected"),
                name="one_live_document_per_requirement",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier}: {self.requirement}"
