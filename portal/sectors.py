"""Sectors of the economy (VSIC 2018 sections) and the size of an enterprise (Decree 80/2021, Art. 5).

Household businesses, projects and fund borrowers are classed by the section of the Vietnamese
Standard Industrial Classification (Decision 27/2018/QĐ-TTg). Decree 80/2021 sizes an enterprise by
its insured workers and by its revenue or its capital, with different bounds for two groups of
sectors; ``size_class`` says which class and why.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Sector(models.TextChoices):
    A = "A", gettext_lazy("A – Agriculture, forestry and fishing")
    B = "B", gettext_lazy("B – Mining and quarrying")
    C = "C", gettext_lazy("C – Manufacturing")
    D = "D", gettext_lazy("D – Electricity, gas, steam and air conditioning supply")
    E = "E", gettext_lazy("E – Water supply, sewerage and waste management")
    F = "F", gettext_lazy("F – Construction")
    G = "G", gettext_lazy("G – Wholesale and retail trade; repair of motor vehicles")
    H = "H", gettext_lazy("H – Transportation and storage")
    I = "I", gettext_lazy("I – Accommodation and food service")  # noqa: E741 (VSIC's own letter)
    J = "J", gettext_lazy("J – Information and communication")
    K = "K", gettext_lazy("K – Financial, banking and insurance activities")
    L = "L", gettext_lazy("L – Real estate")
    M = "M", gettext_lazy("M – Professional, scientific and technical activities")
    N = "N", gettext_lazy("N – Administrative and support services")
    O = "O", gettext_lazy("O – Public administration, defence and compulsory social security")  # noqa: E741
    P = "P", gettext_lazy("P – Education and training")
    Q = "Q", gettext_lazy("Q – Human health and social work")
    R = "R", gettext_lazy("R – Arts, entertainment and recreation")
    S = "S", gettext_lazy("S – Other service activities")
    T = "T", gettext_lazy("T – Activities of households as employers")
    U = "U", gettext_lazy("U – Extraterritorial organisations")


class SizeClass(models.TextChoices):
    MICRO = "micro", gettext_lazy("micro enterprise")
    SMALL = "small", gettext_lazy("small enterprise")
    MEDIUM = "medium", gettext_lazy("medium enterprise")
    LARGE = "large", gettext_lazy("not an SME")


# Decree 80/2021, Art. 5, clause 1 groups agriculture, forestry, fishing, industry and construction;
# clause 2 trade and services.
PRODUCING_SECTORS = frozenset("ABCDEF")
BILLION = 1_000_000_000


@dataclass(frozen=True)
class Bound:
    size: str
    workers: int
    revenue: int
    capital: int


BOUNDS = {
    "producing": (
        Bound(SizeClass.MICRO, 10, 3 * BILLION, 3 * BILLION),
        Bound(SizeClass.SMALL, 100, 50 * BILLION, 20 * BILLION),
        Bound(SizeClass.MEDIUM, 200, 200 * BILLION, 100 * BILLION),
    ),
    "trading": (
        Bound(SizeClass.MICRO, 10, 10 * BILLION, 3 * BILLION),
        Bound(SizeClass.SMALL, 50, 100 * BILLION, 50 * BILLION),
        Bound(SizeClass.MEDIUM, 100, 300 * BILLION, 100 * BILLION),
    ),
}


@dataclass(frozen=True)
class Sizing:
    size: str
    reason: str

    @property
    def label(self) -> str:
        return str(SizeClass(self.size).label)


def size_class(sector: str, insured_workers: int, *, revenue: int | None, capital: int | None) -> Sizing:
    """The enterprise's class under Decree 80/2021, Art. 5, and the bound that decided it.

    An enterprise is of a class when its insured workers are within the class's bound and its yearly
    revenue or its capital is; a figure not known does not qualify.
    """
    group = "producing" if sector in PRODUCING_SECTORS else "trading"
    for bound in BOUNDS[group]:
        money_fits = (revenue is not None and revenue <= bound.revenue) or (
            capital is not None and capital <= bound.capital
        )
        if insured_workers <= bound.workers and money_fits:
            return Sizing(
                bound.size,
                _(
                    "%(workers)s insured workers (at most %(max_workers)s) and revenue at most "
                    "%(revenue)s or capital at most %(capital)s đồng (Decree 80/2021, Art. 5)"
                )
                % {
                    "workers": insured_workers,
                    "max_workers": bound.workers,
                    "revenue": number_format(bound.revenue, force_grouping=True),
                    "capital": number_format(bound.capital, force_grouping=True),
                },
            )
    largest = BOUNDS[group][-1]
    return Sizing(
        SizeClass.LARGE,
        _("above the medium bound: over %(max_workers)s insured workers, or revenue and capital above it")
        % {"max_workers": largest.workers},
    )
