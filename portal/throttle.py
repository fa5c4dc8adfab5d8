"""Throttling of failed tries: every sign-in (the portal's page, the admin's, the API token) and the lookup.

A ``Throttle`` counts failed tries in the cache per key: an account, the client's address
(``portal.middleware.client_address``, which believes the proxy's header only from a trusted
proxy), a dossier's code. A key's first failure opens its window; once the key has failed its
limit within the window, every try with it is refused until the window ends, the right password
included. The cache is shared by the web processes (Redis in production), so the counts hold
across them.

Every password check goes through ``ThrottledModelBackend`` (``AUTHENTICATION_BACKENDS``): the
portal's sign-in page, the Django admin's and the API token endpoint count in one place, and an
account or an address blocked at one of them is blocked at all three. They ask
``sign_in_blocked_until`` first only to tell the person when to try again.
"""

import datetime
import hashlib
import logging
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import ngettext

from portal.middleware import client_address

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Throttle:
    """Failed tries counted per key kind (``limits`` names each kind's allowance) over ``window``.

    The limits and the window are read from the settings at each call, so a test may change them.
    """

    name: str
    limits: Callable[[], Mapping[str, int]]
    window: Callable[[], datetime.timedelta]

    def blocked_until(self, **keys: str) -> datetime.datetime | None:
        """When every key that has failed too often may try again; None when none has."""
        limits = self.limits()
        names = {kind: self._names(kind, value) for kind, value in keys.items()}
        stored = cache.get_many([name for pair in names.values() for name in pair])
        now = timezone.now().timestamp()
        ends = [
            stored.get(ends_name) or now + self.window().total_seconds()
            for kind, (failures_name, ends_name) in names.items()
            if stored.get(failures_name, 0) >= limits[kind]
        ]
        last_end = max(ends, default=now)
        return datetime.datetime.fromtimestamp(last_end, tz=datetime.UTC) if last_end > now else None

    def record_failure(self, **keys: str) -> None:
        limits, seconds = self.limits(), int(self.window().total_seconds())
        now = timezone.now().timestamp()
        for kind, value in keys.items():
            failures_name, ends_name = self._names(kind, value)
            if cache.add(failures_name, 0, timeout=seconds):
                cache.set(ends_name, now + seconds, timeout=seconds)
            ends = cache.get(ends_name) or now + seconds
            try:
                failures = cache.incr(failures_name)
            except ValueError:  # expired between add and incr
                cache.set(failures_name, 1, timeout=seconds)
                failures = 1
            # Some caches (the file cache) give an incremented key a default lifetime: keep the window's.
            cache.touch(failures_name, timeout=max(1, math.ceil(ends - now)))
            if failures == limits[kind]:
                until = datetime.datetime.fromtimestamp(ends, tz=datetime.UTC)
                logger.warning("%s: %s %s blocked until %s", self.name, kind, value, until.isoformat())

    def clear(self, **keys: str) -> None:
        cache.delete_many([name for kind, value in keys.items() for name in self._names(kind, value)])

    def _names(self, kind: str, value: str) -> tuple[str, str]:
        digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()
        return f"{self.name}:{kind}:{digest}", f"{self.name}:{kind}:{digest}:ends"


def _sign_in_limits() -> Mapping[str, int]:
    return {
        "account": settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT,
        "address": settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
    }


def _sign_in_window() -> datetime.timedelta:
    return settings.LOGIN_FAILURE_WINDOW


SIGN_IN = Throttle(name="login-failures", limits=_sign_in_limits, window=_sign_in_window)


def _sign_in_keys(request, username: str) -> dict[str, str]:
    """The account, and the client's address when there is a request (a shell's check has none)."""
    keys = {"account": username}
    if request is not None:
        keys["address"] = client_address(request)
    return keys


def sign_in_blocked_until(request, username: str) -> datetime.datetime | None:
    """When the account or the client's address may sign in again; None when neither is blocked."""
    return SIGN_IN.blocked_until(**_sign_in_keys(request, username))


def seconds_until(moment: datetime.datetime) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def sign_in_refusal(until: datetime.datetime) -> str:
    """What a blocked sign-in says: the local time to try again, and how many minutes that is."""
    minutes = math.ceil(seconds_until(until) / 60)
    return ngettext(
        "Too many failed sign-ins. Try again after %(time)s (in %(minutes)s minute).",
        "Too many failed sign-ins. Try again after %(time)s (in %(minutes)s minutes).",
        minutes,
    ) % {"time": time_format(timezone.localtime(until), "H:i"), "minutes": minutes}


class ThrottledModelBackend(ModelBackend):
    """Django's password check, failures counted per account and per address, refused while blocked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        keys = _sign_in_keys(request, username)
        if SIGN_IN.blocked_until(**keys) is not None:
            # Refused without looking at the password, so even the right one does not get through.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            SIGN_IN.record_failure(**keys)
        else:
            SIGN_IN.clear(account=username)
        return user
