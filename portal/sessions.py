"""Idle expiry without a write on every request.

A signed-in session ends after ``SESSION_COOKIE_AGE`` (30 minutes) without a request. Saving the session
on every request (``SESSION_SAVE_EVERY_REQUEST``) would keep that exact, at the price of a database
write on every page, which the province's officials open all day. Instead the session is saved when
something in it changed, and otherwise renewed at most once every ``RENEW_AFTER``: the idle expiry
counts from a request at most a minute older than the last one, so it falls between 29 and 30 minutes
of idleness.

The time of the last renewal is kept in the session itself; signing in sets it (the sign-in saves the
session anyway).
"""

import datetime

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import timezone

RENEW_AFTER = datetime.timedelta(minutes=1)
RENEWED_AT = "renewed_at"  # seconds since the epoch, when the session's expiry last moved


def _now() -> int:
    return int(timezone.now().timestamp())


class IdleExpiryMiddleware:
    """After the page: renew the session's expiry when it last moved more than ``RENEW_AFTER`` ago."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        renewed_at = session.get(RENEWED_AT)
        stale = not isinstance(renewed_at, int) or _now() - renewed_at >= RENEW_AFTER.total_seconds()
        if session.modified or stale:
            session[RENEWED_AT] = _now()  # saved by the session middleware, with a new expiry
        return response


@receiver(user_logged_in, dispatch_uid="session-renewed-at-sign-in")
def stamp_the_new_session(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_AT] = _now()
