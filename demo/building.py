"""``build_demo()``: the ground's part of the demo, then each installed app's, in one transaction.

Running it again changes nothing: every row is looked up by its natural key and written only when
it differs (``demo.writer``).
"""

from collections import Counter
from dataclasses import dataclass, replace

from django.db import transaction

from demo import ground
from demo.ground import LOGINS, Login
from demo.writer import DemoPart, Writer
from portal.models import Membership
from portal.plugins import app_modules


@dataclass
class DemoReport:
    parts: dict[str, DemoPart]  # "ground", then by app label in the order of INSTALLED_APPS
    rows: Counter  # the people, teams and memberships: (model, "created" | "updated" | "unchanged")
    logins: list[Login]


@transaction.atomic
def build_demo() -> DemoReport:
    """Create or bring up to date everything the demo shows; the second run changes nothing.

    The ground's part comes first (``demo.ground``: the units, the teams and their people, every
    app's reference data), then each installed app's ``<app>.demo.build(writer)`` in the order of
    INSTALLED_APPS; ``writer`` creates the accounts they need.
    """
    writer = Writer()
    parts: dict[str, DemoPart] = {"ground": ground.build(writer)}
    for module in app_modules("demo"):
        parts[module.__name__.partition(".")[0]] = module.build(writer)
    # Each login's team: the one it joined last.
    teams = {
        membership.user.username: membership.team
        for membership in Membership.objects.filter(user__username__in=[login.username for login in LOGINS])
        .select_related("user", "team")
        .order_by("joined_on", "pk")
    }
    logins = [replace(login, team=str(teams.get(login.username, ""))) for login in LOGINS]
    return DemoReport(parts=parts, rows=writer.rows, logins=logins)
