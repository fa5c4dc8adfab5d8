"""The policies' panels of the home page (portal/panels.py): what the programme offers, for the front
door, and the ways to the rules for an applicant. All of it is public information."""

import datetime

from dossiers.models import Procedure
from policies import eligibility
from portal.panels import WAYS_IN, WHAT_IS_OFFERED, Panel
from portal.scope import scope_for


def panels(user, day: datetime.date) -> list[Panel]:
    """An applicant gets the ways to the rules; officials have them in the menu."""
    if scope_for(user).readable_unit_ids:
        return []
    return [Panel("policies/home_links.html", WAYS_IN)]


def public_panels(day: datetime.date) -> list[Panel]:
    """The programme's audiences, each with the supports in force on ``day`` by name (one query)."""
    supports: dict[str, list[str]] = {audience: [] for audience in Procedure.Audience.values}
    for entitlement in eligibility.entitlements_for(day):
        supports[entitlement.audience].append(entitlement.name)
    audiences = [(value, label, supports[value]) for value, label in Procedure.Audience.choices]
    return [Panel("policies/home_programme.html", WHAT_IS_OFFERED, data={"audiences": audiences})]
