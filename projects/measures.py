"""The projects' measures a unit can have an annual target for (portal/target_measures.py).

The programme's own targets (500 startup enterprises and 2,500 new enterprises by 2020) are entered
as yearly targets of these measures on the province; new enterprises are not a project's to count.
"""

from django.utils.translation import gettext_lazy as _

from portal.target_measures import Measure

PROJECTS_REGISTERED = "projects_registered"
STARTUPS_STARTED = "startups_started"
JOBS_CREATED = "jobs_created"
HOUSEHOLDS_ESCAPED = "households_escaped"

MEASURES = [
    Measure(PROJECTS_REGISTERED, _("startup projects registered")),
    Measure(STARTUPS_STARTED, _("startup enterprises started")),
    Measure(JOBS_CREATED, _("jobs created by new projects")),
    Measure(HOUSEHOLDS_ESCAPED, _("poor households escaping poverty through a plan")),
]
