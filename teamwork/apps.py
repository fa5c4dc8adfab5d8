from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TeamworkConfig(AppConfig):
    name = "teamwork"
    verbose_name = _("The support teams' work")
