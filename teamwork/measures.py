"""The teams' measures a unit can have an annual target for (portal/target_measures.py)."""

from django.utils.translation import gettext_lazy as _

from portal.target_measures import Measure

OUTREACH_EVENTS = "outreach_events"
PEOPLE_REACHED = "people_reached"
SUPPORT_VISITS = "support_visits"
REVIEWS_HELD = "reviews_held"

MEASURES = [
    Measure(OUTREACH_EVENTS, _("outreach events")),
    Measure(PEOPLE_REACHED, _("people reached")),
    Measure(SUPPORT_VISITS, _("support visits to communes")),
    Measure(REVIEWS_HELD, _("reviews held")),
]
