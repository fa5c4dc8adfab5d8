"""What the cells of an imported list may say, and what confirming does with a row.

The texts are data-like Vietnamese, as the template (``conversions.spreadsheets.template_xlsx``)
offers them; the sectors are read by their VSIC letter or by their name in either language.
"""

import functools
import re

from django.db import models
from django.utils import translation
from django.utils.translation import pgettext_lazy

from conversions.models import HouseholdBusiness
from portal.sectors import Sector
from portal.text import fold


class RowAction(models.TextChoices):
    """What confirming does with a row of the file."""

    ADD = "add", pgettext_lazy("import row", "add")
    UPDATE = "update", pgettext_lazy("import row", "update")
    SKIP = "skip", pgettext_lazy("import row", "skip")
    ERROR = "error", pgettext_lazy("import row", "error")


class Level(models.TextChoices):
    """How much a problem weighs: an error keeps the row out; a warning or a note is only shown."""

    ERROR = "error", pgettext_lazy("import problem", "error")
    WARNING = "warning", pgettext_lazy("import problem", "warning")
    NOTE = "note", pgettext_lazy("import problem", "note")


# --- What the cells may say (data-like Vietnamese, as the template offers them) -------------------------

RevenueBand = HouseholdBusiness.RevenueBand
TaxMode = HouseholdBusiness.TaxMode
# The first text of each is the one the template offers; the others are read too.
REVENUE_BAND_TEXTS = {
    RevenueBand.UNDER_500M: ("Dưới 500 triệu đồng", "Dưới 500 triệu"),
    RevenueBand.UP_TO_3B: ("Từ 500 triệu đến 3 tỷ đồng", "Từ 500 triệu đến 3 tỷ", "500 triệu - 3 tỷ"),
    RevenueBand.UP_TO_10B: ("Trên 3 tỷ đến 10 tỷ đồng", "Trên 3 tỷ đến 10 tỷ", "3 tỷ - 10 tỷ"),
    RevenueBand.OVER_10B: ("Trên 10 tỷ đồng", "Trên 10 tỷ"),
}
TAX_MODE_TEXTS = {
    TaxMode.DECLARED: ("Kê khai", "Thuế kê khai", "Nộp thuế theo kê khai"),
    TaxMode.LUMP_SUM: ("Khoán", "Thuế khoán", "Nộp thuế khoán"),
}
SECTION_PREFIX = re.compile(r"([a-u])\s*[-–—:.)]\s*\S.*")


def _texts_to_values(texts: dict, choices: type[models.TextChoices]) -> dict[str, str]:
    """Folded text → value: the Vietnamese texts above, the values themselves and their labels."""
    known = {fold(text): value for value, names in texts.items() for text in names}
    for value, label in choices.choices:
        known.setdefault(fold(value), value)
        known.setdefault(fold(str(label)), value)
    return known


REVENUE_BANDS = _texts_to_values(REVENUE_BAND_TEXTS, RevenueBand)
TAX_MODES = _texts_to_values(TAX_MODE_TEXTS, TaxMode)


@functools.cache
def _sector_labels(language: str) -> dict[str, str]:
    """The VSIC sections' labels ("C – Công nghiệp chế biến, chế tạo") in ``language``."""
    with translation.override(language):
        return {letter: str(label) for letter, label in Sector.choices}


@functools.cache
def _sectors() -> dict[str, str]:
    """Folded section name, in Vietnamese or English → its letter."""
    return {
        fold(label.split("–", 1)[-1]): letter
        for language in ("vi", "en")
        for letter, label in _sector_labels(language).items()
    }


def template_choices() -> dict[str, list[str]]:
    """What the template's drop-down lists offer, by column key (``spreadsheets.template_xlsx``)."""
    return {
        "sector": list(_sector_labels("vi").values()),
        "revenue_band": [names[0] for names in REVENUE_BAND_TEXTS.values()],
        "tax_mode": [TAX_MODE_TEXTS[TaxMode.DECLARED][0], TAX_MODE_TEXTS[TaxMode.LUMP_SUM][0]],
    }


def read_sector(text: str) -> str | None:
    """The VSIC section a cell names: its letter, "C – …", or its name; None for anything else."""
    folded = fold(text)
    if len(folded) == 1 and folded.upper() in Sector.values:
        return folded.upper()
    if match := SECTION_PREFIX.fullmatch(folded):
        return match.group(1).upper()
    return _sectors().get(folded)


def accepted_texts(texts: dict) -> str:
    return ", ".join(f"“{names[0]}”" for names in texts.values())
