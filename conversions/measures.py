"""The conversions' measures a unit can have an annual target for (portal/target_measures.py)."""

from django.utils.translation import gettext_lazy as _

from portal.target_measures import Measure

CANDIDATES_IDENTIFIED = "candidates_identified"
CONVERSIONS_REGISTERED = "conversions_registered"

MEASURES = [
    Measure(CANDIDATES_IDENTIFIED, _("household businesses identified as conversion candidates")),
    Measure(CONVERSIONS_REGISTERED, _("household businesses converted to enterprises")),
]
