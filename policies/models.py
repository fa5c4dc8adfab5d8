"""The policy library and the eligibility rules built on it: rules are data with effective dates."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dossiers.models.procedures import Procedure
from portal.models.base import PortalModel
from portal.periods import covers
from portal.text import fold


class PolicyDocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PolicyDocumentQuerySet":
        """The library is public: laws, decrees and the programme's own documents."""
        return self

    def in_force_on(self, day: datetime.date) -> "PolicyDocumentQuerySet":
        return self.filter(effective_from__lte=day).filter(Q(expires_on__isnull=True) | Q(expires_on__gt=day))

    def search(self, text: str) -> "PolicyDocumentQuerySet":
        needle = fold(text)
        return self.filter(search_text__contains=needle) if needle else self


class PolicyDocument(PortalModel):
    class Kind(models.TextChoices):
        LAW = "law", _("law")
        RESOLUTION = "resolution", _("resolution")
        DECREE = "decree", _("decree")
        DECISION = "decision", _("decision")
        CIRCULAR = "circular", _("circular")
        PLAN = "plan", _("plan")
        REGULATION = "regulation", _("regulation (quy chế)")
        GUIDANCE = "guidance", _("guidance")

    number = models.CharField(_("number"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=400)
    issuer = models.CharField(_("issued by"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    effective_from = models.DateField(_("in force from"))
    expires_on = models.DateField(_("no longer in force from"), null=True, blank=True)
    summary = models.TextField(_("summary in plain Vietnamese"))
    file = models.FileField(_("file"), upload_to="policies/", blank=True, max_length=200)
    tags = models.CharField(_("tags"), max_length=300, blank=True, help_text=_("Separated by commas."))
    procedures = models.ManyToManyField(
        Procedure, verbose_name=_("procedures it governs"), blank=True, related_name="policy_documents"
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
    )
    search_text = models.CharField(max_length=1000, editable=False, db_index=True)

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["-signed_on", "number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("effective_from")),
                name="policy_expires_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.number} {self.title} {self.issuer} {self.summary} {self.tags}")[:1000]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def is_in_force_on(self, day: datetime.date) -> bool:
        return self.effective_from <= day and (self.expires_on is None or day < self.expires_on)


class EntitlementQuerySet(models.QuerySet):
    def in_force_on(self, day: datetime.date) -> "EntitlementQuerySet":
        return self.filter(effective_from__lte=day).filter(
            Q(effective_until__isnull=True) | Q(effective_until__gte=day)
        )


class Entitlement(PortalModel):
    """A support the programme offers, to whom, from when to when, under which document.

    ``conditions`` is a list of facts to check, e.g.
    ``[{"fact": "years_operating", "op": ">=", "value": 1}]``; portal/eligibility.py
    knows the facts and evaluates them.
    """

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("support"), max_length=200)
    description = models.TextField(_("what it gives"))
    audience = models.CharField(_("for"), max_length=30, choices=Procedure.Audience.choices)
    effective_from = models.DateField(_("in force from"))
    effective_until = models.DateField(_("in force until"), null=True, blank=True)
    conditions = models.JSONField(_("conditions"), default=list)
    # How long it lasts once granted (e.g. 36 for three years after the first enterprise
    # registration); empty for a support given once. It never lasts beyond ``effective_until``.
    lasts_months = models.PositiveSmallIntegerField(_("lasts (months)"), null=True, blank=True)
    governing_document = models.ForeignKey(
        PolicyDocument,
        verbose_name=_("governing document"),
        on_delete=models.PROTECT,
        related_name="entitlements",
    )
    procedure = models.ForeignKey(
        Procedure,
        verbose_name=_("procedure to apply"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="entitlements",
    )

    objects = EntitlementQuerySet.as_manager()

    class Meta:
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        ordering = ["audience", "name"]

    def __str__(self) -> str:
        return self.name

    def is_in_force_on(self, day: datetime.date) -> bool:
        return covers(day, self.effective_from, self.effective_until)
