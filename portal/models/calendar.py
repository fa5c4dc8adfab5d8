"""The official calendar: public holidays and the working Saturdays that make up for bridge days."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models.base import PortalModel


class CalendarDay(PortalModel):
    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off (holiday or compensatory day)")
        WORKING_DAY = "working_day", _("working day (make-up working weekend day)")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DAY_OFF)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"
