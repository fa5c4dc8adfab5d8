"""The measures a unit can have an annual target for (chỉ tiêu).

Each app declares its own in its ``measures`` module (``MEASURES``: a list of ``Measure``), so a new
app brings new measures without a migration of the ground: ``Target.measure`` takes its choices
from here when it is validated, not from a list written into the database's schema.
"""

import functools
from dataclasses import dataclass

from django.utils.functional import Promise

from portal.plugins import app_modules


@dataclass(frozen=True)
class Measure:
    key: str  # what Target.measure holds
    label: Promise  # a lazily translated name


@functools.cache
def installed_measures() -> dict[str, Measure]:
    """Every installed app's measures by key, in the order of INSTALLED_APPS."""
    found: dict[str, Measure] = {}
    for module in app_modules("measures"):
        for measure in module.MEASURES:
            if measure.key in found:
                raise ValueError(f"Two apps declare the measure {measure.key!r}.")
            found[measure.key] = measure
    return found


def measure_choices() -> list[tuple[str, Promise]]:
    return [(measure.key, measure.label) for measure in installed_measures().values()]


def measure_label(key: str) -> Promise | str:
    """The measure's name; a key no installed app declares any more is shown as it is."""
    measure = installed_measures().get(key)
    return measure.label if measure else key
