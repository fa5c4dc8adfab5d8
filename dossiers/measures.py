"""The one-stop shop's measures a unit can have an annual target for (portal/target_measures.py)."""

from django.utils.translation import gettext_lazy as _

from portal.target_measures import Measure

DOSSIERS_RECEIVED = "dossiers_received"

MEASURES = [Measure(DOSSIERS_RECEIVED, _("dossiers received"))]
