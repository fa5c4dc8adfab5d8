"""Stored daily figures: what the apps count for their report sections, per unit, local day and measure."""

from django.db import models

from portal.models.base import PortalModel
from portal.models.units import AdminUnit


class Grain(models.TextChoices):
    DAY = "day"
    MONTH = "month"
    ON = "on"  # a stock's value on the day (what is outstanding at its end), not summed over days


class DailyFigure(PortalModel):
    """One measure's value for one unit on one day, local time, for one subject (a procedure, ...) or none;
    or, of the grain ``month``, its sum over the month that starts on ``day``, so that a quarter is read
    in three rows instead of ninety; or, of the grain ``on``, a stock's value on the day, stored for the
    days in ``StockDay``.

    Kept by portal/figures.py from each app's counts; nobody edits a row. The figures reach people only
    through the report sections, which read them for a unit the reader was allowed to open.
    """

    # An app's measure, named "<app>.<name>" (``dossiers.received``).
    measure = models.CharField(max_length=60)
    unit = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    grain = models.CharField(max_length=5, choices=Grain.choices, default=Grain.DAY)
    # What the measure is counted by beside the unit (a procedure's id), 0 when nothing.
    subject = models.PositiveIntegerField(default=0)
    value = models.BigIntegerField()

    class Meta:
        indexes = [
            # A section's read over many units: each measure's months and days in a span, the value in the
            # index, so that the rows themselves are not visited.
            models.Index(
                fields=["measure", "grain", "day", "unit", "subject", "value"], name="daily_figure_span"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "unit", "grain", "day", "subject"], name="one_daily_figure"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.unit_id} {self.grain} {self.day} {self.subject}: {self.value}"


class StockDay(PortalModel):
    """A day on which a stock's values (grain ``on``) are stored for every unit: each month's last day and
    the day of the last rebuild. A period ending on another day counts its stock from the rows."""

    # The stock's name, "<app>.<name>" (``fund.portfolio``).
    stock = models.CharField(max_length=60)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stock", "day"], name="one_stock_day")]

    def __str__(self) -> str:
        return f"{self.stock} {self.day}"
