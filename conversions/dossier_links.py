"""What the conversions app holds on dossiers (found by dossiers.selectors.links_of through
portal.plugins): the conversion case a conversion-support dossier belongs to, when the reader sees it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from conversions.models import Conversion


def links(user, dossier_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    rows = (
        Conversion.objects.visible_to(user)
        .filter(dossier_id__in=dossier_ids)
        .values_list("dossier_id", "pk", "household_business__name")
    )
    return {
        dossier_id: [
            (_("Conversion case: %(name)s") % {"name": name}, reverse("conversion_detail", args=[pk]))
        ]
        for dossier_id, pk, name in rows
    }
