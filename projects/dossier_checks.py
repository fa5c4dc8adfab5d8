"""What a project says before one of its dossiers is decided (found by dossiers through portal.plugins).

A poverty-escape enrolment is decided only for a household whose plan the commune team approved; the
decision step names what is missing."""

from django.utils.translation import gettext as _

from dossiers.catalogue import POVERTY_ESCAPE
from dossiers.models import Dossier
from projects.models import PovertyPlan
from projects.services.plans import plan_gaps


def decision_blockers(dossier: Dossier) -> list[str]:
    if dossier.procedure.code != POVERTY_ESCAPE:
        return []
    plan = (
        PovertyPlan.objects.filter(project__dossier_links__dossier=dossier).select_related("project").first()
    )
    if plan is None:
        return [_("link the dossier to the household's poverty-escape project and write its plan")]
    if plan.is_approved:
        return []
    gaps = plan_gaps(plan)
    if gaps:
        return [_("complete the plan, which still needs: %(gaps)s") % {"gaps": "; ".join(gaps)}]
    return [_("the commune team approves the plan")]
