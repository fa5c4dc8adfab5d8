"""API tokens: one per signed-in device or program, kept only as a hash, and mortal.

A token dies when it has not been used for ``API_TOKEN_IDLE_TIMEOUT``, when its owner's password
changes (by any way: the page, the admin, ``set_password``), and when it is revoked (the API's
sign-out, the owner's account page, the admin). The password rule is Django's own rule for
sessions: a token remembers its owner's session hash (``get_session_auth_hash``, a keyed hash of
the password hash) when it is issued and works only while that is still the owner's.
"""

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _

from portal.models.base import PortalModel


def digest_of(key: str) -> str:
    """What the database keeps of a token: a key of 256 random bits needs no slow hash to stay secret."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApiTokenQuerySet":
        """The person's own tokens that still work; a dead token is nobody's business."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user, password_stamp=user.get_session_auth_hash()).not_idle()

    def not_idle(self, now: datetime.datetime | None = None) -> "ApiTokenQuerySet":
        return self.filter(last_used_at__gt=(now or timezone.now()) - settings.API_TOKEN_IDLE_TIMEOUT)


class ApiToken(PortalModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    prefix = models.CharField(_("first characters"), max_length=8)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    password_stamp = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    # Signing in is a token's first use; later uses are noted at most once a minute (services.tokens).
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)
    last_address = models.GenericIPAddressField(_("last address"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.label or _('API token')} ({self.prefix}…)"

    @property
    def idle_expiry(self) -> datetime.datetime:
        return self.last_used_at + settings.API_TOKEN_IDLE_TIMEOUT

    def is_idle(self, now: datetime.datetime | None = None) -> bool:
        return self.idle_expiry <= (now or timezone.now())

    def outlived_its_password(self) -> bool:
        """True once the owner's password has changed since the token was issued."""
        return not constant_time_compare(self.password_stamp, self.user.get_session_auth_hash())

    def works(self) -> bool:
        return self.user.is_active and not self.is_idle() and not self.outlived_its_password()
