"""Login throttling per account and per address, shared by the sign-in page and the API token endpoint."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().casefold().encode()).hexdigest()
    return f"login-failures:{kind}:{digest}"


def _window_seconds() -> int:
    return int(settings.LOGIN_FAILURE_WINDOW.total_seconds())


def is_login_blocked(*, username: str, address: str) -> bool:
    """True when the account or the address has failed too often within the window."""
    account_failures = cache.get(_key("account", username), 0)
    address_failures = cache.get(_key("address", address), 0)
    return (
        account_failures >= settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT
        or address_failures >= settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS
    )


def record_login_failure(*, username: str, address: str) -> None:
    for key in (_key("account", username), _key("address", address)):
        cache.add(key, 0, timeout=_window_seconds())
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=_window_seconds())


def clear_login_failures(*, username: str) -> None:
    cache.delete(_key("account", username))


def window_minutes() -> int:
    return _window_seconds() // 60
