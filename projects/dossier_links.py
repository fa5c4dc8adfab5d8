"""What the projects app holds on dossiers (found by dossiers.selectors.links_of through portal.plugins):
the project each dossier belongs to, when the reader sees that project."""

from django.urls import reverse
from django.utils.translation import gettext as _

from projects.models import Project


def links(user, dossier_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    rows = (
        Project.objects.visible_to(user)
        .filter(dossier_links__dossier_id__in=dossier_ids)
        .values_list("dossier_links__dossier_id", "pk", "name")
    )
    return {
        dossier_id: [(_("Project: %(name)s") % {"name": name}, reverse("project_detail", args=[pk]))]
        for dossier_id, pk, name in rows
    }
