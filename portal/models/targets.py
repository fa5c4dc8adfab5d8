"""Targets (chỉ tiêu): what a unit aims for in a year, one measure at a time."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.base import PortalModel
from portal.models.units import AdminUnit
from portal.scope import scope_for
from portal.target_measures import measure_choices, measure_label


class TargetQuerySet(models.QuerySet):
    def visible_to(self, user) -> "TargetQuerySet":

        return self.filter(unit_id__in=scope_for(user).readable_unit_ids)


class Target(PortalModel):
    """A unit's annual target (chỉ tiêu) for one measure of the programme."""

    unit = models.ForeignKey(
        AdminUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    # The apps' measures (portal/target_measures.py), read when a target is validated: no migration.
    measure = models.CharField(_("measure"), max_length=40, choices=measure_choices)
    value = models.PositiveIntegerField(_("target"))

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "unit__sort_name", "measure"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "measure"], name="one_target_per_unit_year_measure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}: {measure_label(self.measure)} {self.value}"
