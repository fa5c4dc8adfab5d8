"""Issuing, using and revoking API tokens (portal/models/tokens.py says when a token dies).

Tokens are credentials, not the programme's records: they are not audited (the admin's own log
keeps an administrator's revocations), and a revoked token is deleted, so nothing of it is left to
leak.
"""

import datetime
import ipaddress
import secrets

from django.db import transaction
from django.utils import timezone

from portal.models import ApiToken, User
from portal.models.tokens import digest_of

# How often a token's use is written: not on every request of a busy program. The idle time and the
# last address are therefore as of the last recorded use, at most this much earlier.
USE_RECORDED_EVERY = datetime.timedelta(minutes=1)
PREFIX_LENGTH = 8


@transaction.atomic
def issue_token(*, user: User, label: str = "", address: str = "") -> tuple[ApiToken, str]:
    """A new token for one more device of ``user``, and its key, which is shown this once and never stored.

    The user's dead tokens (idle too long, or older than the password) go at the same moment.
    """
    ApiToken.objects.filter(user=user).exclude(pk__in=ApiToken.objects.visible_to(user).values("pk")).delete()
    key = secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        label=label[:100],
        prefix=key[:PREFIX_LENGTH],
        digest=digest_of(key),
        password_stamp=user.get_session_auth_hash(),
        created_at=now,
        last_used_at=now,
        last_address=_stored_address(address),
    )
    return token, key


def find_token(key: str) -> ApiToken | None:
    """The token whose key is ``key``, with its owner; None when there is none."""
    return ApiToken.objects.select_related("user").filter(digest=digest_of(key)).first()


def record_use(*, token: ApiToken, address: str) -> None:
    """Note when and from where the token was last used, which also restarts its idle time."""
    now = timezone.now()
    if now - token.last_used_at < USE_RECORDED_EVERY:
        return
    token.last_used_at, token.last_address = now, _stored_address(address)
    token.save(update_fields=["last_used_at", "last_address"])


def revoke_token(*, token: ApiToken) -> None:
    token.delete()


def revoke_tokens(*, tokens) -> int:
    """Revoke every token of the queryset ``tokens`` (the admin's action); how many."""
    count, _by_model = tokens.delete()
    return count


def _stored_address(address: str) -> str | None:
    """The address as the column keeps it; anything that is not an IP address (a Unix socket) as none."""
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
