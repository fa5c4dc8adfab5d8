"""What a decision of the dossiers demo rests on (found by ``dossiers.demo`` through portal.plugins).

A poverty-escape enrolment is decided only once the household's plan is approved
(``projects.dossier_checks``). Before the dossiers demo decides one, ``prepare`` puts the household on
its commune's list of the year, opens its plan on the day the dossier was filed, has the commune team
approve it on the decision's day and links the dossier to the project, all through the services. The
rows it writes are counted in the demo's writer, and ``projects.demo.build`` follows the project up.
"""

import datetime

from django.utils import timezone

from demo.writer import Writer
from dossiers.catalogue import POVERTY_ESCAPE
from dossiers.models import Dossier
from portal.models import User
from projects.access import can_change
from projects.demo import AGENCY_LOGIN, Places, high_water, link_on, open_household, plans, settle
from projects.services import plans as plan_services


def prepare(writer: Writer, dossier: Dossier, *, day: datetime.date, by: User) -> None:
    """Before ``dossier`` is decided on ``day`` by ``by``: its household's approved plan, when the demo
    has one for it."""
    if dossier.procedure.code != POVERTY_ESCAPE or dossier.project_links.exists():
        return
    spec = next(
        (
            spec
            for spec in plans.HOUSEHOLDS
            if spec.decided_with_dossier
            and spec.head == dossier.applicant.national_id
            and dossier.summary.startswith(spec.dossier)
        ),
        None,
    )
    if spec is None:
        return
    started = timezone.now()
    marks = high_water()
    places = Places(writer, timezone.localdate())
    officer = by if can_change(by, dossier.unit_id) else writer.users[AGENCY_LOGIN]
    filed = timezone.localdate(dossier.submitted_at) if dossier.submitted_at else day
    opened = min(filed, day)
    plan = open_household(places, spec, dossier.unit, opened, officer)
    plan_services.approve_plan(plan=plan, by=officer, on=day)
    link_on(plan.project, dossier, officer, opened)
    for model, pks in settle(marks, started).items():
        for pk in pks:
            writer.outcomes[model, pk] = "created"
