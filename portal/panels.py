"""The panels of the home page, each app's part found by module name.

The ground imports no app, so the home page does not know what a dossier or an activity is. Each
app that has something to show a person on their home puts it in its ``home`` module (found through
``portal.plugins.app_modules``, in the order of INSTALLED_APPS):

- ``panels(user, day)``: the panels for a signed-in person on ``day``, each built from querysets that
  start at ``visible_to(user)``; an empty list when the app has nothing for them;
- ``public_panels(day)`` (optional): the panels of the front door, which anyone sees without signing
  in, so they hold public information only.

A panel says how many things it asks of the person (``to_do``), so the home says "nothing needs your
attention" only when no panel asks anything. Panels that ask something come first, the most pressing
(smallest ``order``) first; panels that only inform follow.
"""

import datetime
from dataclasses import dataclass, field

from portal.plugins import app_modules

# Where panels stand on the home page (smaller first), among those that ask something and among
# those that only inform.
OVERDUE_WORK = 10  # work past or near its deadline
ASKED_OF_YOU = 20  # what is asked of an applicant
TO_ANSWER = 30  # questions waiting for a reply
NOTICES = 40  # unread notifications
OVERSIGHT = 50  # flags of the figures
TEAM = 60  # the team's own work and its people
ABOUT_YOU = 80  # who one is here: teams, scope
WHAT_IS_OFFERED = 85  # the programme's supports
WAYS_IN = 90  # links to the programme's pages and services


@dataclass(frozen=True)
class Panel:
    """One part of the home: a partial template (``templates/<app>/home_*.html``) and what it shows.

    The template reads ``panel.data``. ``to_do`` counts what the panel asks of the person; 0 when it
    only informs.
    """

    template: str
    order: int
    to_do: int = 0
    data: dict = field(default_factory=dict)


def _sorted(panels: list[Panel]) -> list[Panel]:
    # A stable sort: panels of the same standing keep the order of INSTALLED_APPS.
    return sorted(panels, key=lambda panel: (panel.to_do == 0, panel.order))


def panels_for(user, day: datetime.date) -> list[Panel]:
    """Every app's panels for ``user`` on ``day``, what asks something first."""
    return _sorted([panel for module in app_modules("home") for panel in module.panels(user, day)])


def public_panels(day: datetime.date) -> list[Panel]:
    """Every app's panels of the front door, for anyone, signed in or not."""
    return _sorted(
        [
            panel
            for module in app_modules("home")
            if hasattr(module, "public_panels")
            for panel in module.public_panels(day)
        ]
    )
