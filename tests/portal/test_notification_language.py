from django.utils import translation

from dossiers.services import dossiers as services
from portal.models import Notification
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)


def test_notifications_are_written_in_the_portals_language_whatever_the_officer_reads(dossiers):
    with translation.override("en"):
        services.receive_dossier(dossier=dossiers.dossier, by=dossiers.cast.commune_officer)
    notification = Notification.objects.get(recipient=dossiers.cast.applicant)
    assert notification.title == f"Hồ sơ {dossiers.dossier.code} của bạn đã được tiếp nhận"
