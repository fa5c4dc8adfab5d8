from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _

from portal import sessions  # noqa: F401 (connects the sign-in's renewal of the session)


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Startup support portal")


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin on the portal's site (portal/admin_site.py), which reads every input with bounds.

    It takes the place of ``django.contrib.admin`` in ``INSTALLED_APPS``; ``default = False`` keeps
    it from being taken for the portal app's own configuration.
    """

    default = False
    default_site = "portal.admin_site.PortalAdminSite"
