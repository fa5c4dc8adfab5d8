"""One throttle for every sign-in: the portal's page, the Django admin's and the API token endpoint count
failures together, per account and per client address, and a blocked account or address is refused at
all three, the right password included, with the time to try again. Behind the trusted reverse proxy
the address is the client's, not the proxy's (portal.middleware.client_address).
"""

import logging

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from portal.models import ApiToken
from tests.conftest import PASSWORD, SUITE_START

PROXY = "10.0.0.1"
STAFF_PASSWORD = "mat-khau-quan-tri-thu"


@pytest.fixture(autouse=True)
def empty_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def still():
    """The suite's clock stopped at its start, so that the time to try again reads exactly."""
    with time_machine.travel(SUITE_START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser("quantri-thu", "qt@example.vn", STAFF_PASSWORD)


def via(address: str | None, forwarded: str | None = None) -> dict:
    """The request's origin: straight from ``address``, or through the proxy for ``forwarded``."""
    if forwarded is None:
        return {"REMOTE_ADDR": address}
    return {"REMOTE_ADDR": address or PROXY, "HTTP_X_FORWARDED_FOR": forwarded}


def portal_sign_in(client, username, password, **origin):
    return client.post(reverse("login"), {"username": username, "password": password}, **origin)


def admin_sign_in(client, username, password, **origin):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password, "next": "/admin/"}, **origin
    )


def token_sign_in(username, password, **origin):
    return APIClient().post(
        reverse("api:token"), {"username": username, "password": password}, format="json", **origin
    )


def fail_from_one_address(door, client, times: int, **origin) -> None:
    for attempt in range(times):
        door(client, f"khong-co-{attempt}", "sai-mat-khau", **origin)


BLOCKED_VI = "Đăng nhập sai quá nhiều lần"


# --- The admin's sign-in -----------------------------------------------------------------------------------


def test_the_admin_sign_in_blocks_an_address_after_too_many_failures(client, staff):
    fail_from_one_address(admin_sign_in, client, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, **via("192.0.2.9"))
    response = admin_sign_in(client, "quantri-thu", STAFF_PASSWORD, **via("192.0.2.9"))
    assert response.status_code == 200
    assert BLOCKED_VI in response.content.decode()
    assert SESSION_KEY not in client.session
    # Another address is not affected.
    assert admin_sign_in(client, "quantri-thu", STAFF_PASSWORD, **via("192.0.2.10")).status_code == 302


def test_the_admin_sign_in_blocks_an_account_even_with_the_right_password(client, staff):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        admin_sign_in(client, "quantri-thu", "sai", **via(f"198.51.100.{attempt}"))
    response = admin_sign_in(client, "quantri-thu", STAFF_PASSWORD, **via("198.51.100.200"))
    assert BLOCKED_VI in response.content.decode()
    assert SESSION_KEY not in client.session


def test_blocked_at_the_portal_is_blocked_at_the_admin_and_the_token_endpoint(client, staff):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        portal_sign_in(client, "quantri-thu", "sai", **via(f"198.51.100.{attempt}"))
    assert (
        BLOCKED_VI
        in admin_sign_in(client, "quantri-thu", STAFF_PASSWORD, **via("203.0.113.1")).content.decode()
    )
    assert SESSION_KEY not in client.session
    assert token_sign_in("quantri-thu", STAFF_PASSWORD, **via("203.0.113.2")).status_code == 429
    assert not ApiToken.objects.exists()


def test_blocked_at_the_admin_is_blocked_at_the_portal_and_the_token_endpoint(client, cast, staff):
    fail_from_one_address(admin_sign_in, client, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, **via("192.0.2.9"))
    assert BLOCKED_VI in portal_sign_in(client, "xa", PASSWORD, **via("192.0.2.9")).content.decode()
    assert SESSION_KEY not in client.session
    assert token_sign_in("xa", PASSWORD, **via("192.0.2.9")).status_code == 429


def test_blocked_at_the_token_endpoint_is_blocked_at_the_portal_and_the_admin(client, staff):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        token_sign_in("quantri-thu", "sai", **via(f"198.51.100.{attempt}"))
    assert (
        BLOCKED_VI
        in portal_sign_in(client, "quantri-thu", STAFF_PASSWORD, **via("203.0.113.1")).content.decode()
    )
    assert (
        BLOCKED_VI
        in admin_sign_in(client, "quantri-thu", STAFF_PASSWORD, **via("203.0.113.1")).content.decode()
    )
    assert SESSION_KEY not in client.session


def test_a_shell_check_of_a_password_is_counted_and_refused_too(cast, client):
    """Whatever calls authenticate() goes through the throttled backend, with or without a request."""
    for _attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        assert not client.login(username="xa", password="sai")
    assert not client.login(username="xa", password=PASSWORD)


# --- What a blocked sign-in says ---------------------------------------------------------------------------


def test_a_blocked_sign_in_says_when_to_try_again_in_vietnamese(client, cast, still):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        portal_sign_in(client, "xa", "sai", **via(f"198.51.100.{attempt}"))
    still.shift(5 * 60)
    response = portal_sign_in(client, "xa", PASSWORD, **via("198.51.100.200"))
    assert (
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 09:45 (10 phút nữa)." in response.content.decode()
    )


def test_the_token_endpoint_says_when_in_detail_and_retry_after(cast, still):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        token_sign_in("xa", "sai", **via(f"198.51.100.{attempt}"))
    still.shift(60)
    client = APIClient()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        reverse("api:token"),
        {"username": "xa", "password": PASSWORD},
        format="json",
        REMOTE_ADDR="198.51.100.9",
    )
    assert response.status_code == 429
    assert response.json()["detail"] == "Too many failed sign-ins. Try again after 09:45 (in 14 minutes)."
    assert response["Retry-After"] == str(14 * 60)


def test_the_block_ends_with_its_window(client, cast, still):
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ACCOUNT):
        portal_sign_in(client, "xa", "sai", **via(f"198.51.100.{attempt}"))
    still.shift(settings.LOGIN_FAILURE_WINDOW.total_seconds() + 1)
    assert portal_sign_in(client, "xa", PASSWORD, **via("198.51.100.1")).status_code == 302


def test_the_moment_an_address_is_blocked_is_logged_with_the_clients_address(
    client, cast, caplog, behind_proxy
):
    with caplog.at_level(logging.WARNING, logger="portal.throttle"):
        fail_from_one_address(
            portal_sign_in, client, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, **via(PROXY, "198.51.100.77")
        )
    blocked = [record.getMessage() for record in caplog.records if "address" in record.getMessage()]
    assert len(blocked) == 1
    assert "198.51.100.77" in blocked[0] and PROXY not in blocked[0]


# --- Behind the reverse proxy ------------------------------------------------------------------------------


def test_two_clients_behind_one_trusted_proxy_are_counted_apart(client, cast, behind_proxy):
    fail_from_one_address(
        portal_sign_in, client, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, **via(PROXY, "198.51.100.1")
    )
    blocked = portal_sign_in(client, "xa", PASSWORD, **via(PROXY, "198.51.100.1"))
    assert BLOCKED_VI in blocked.content.decode()
    assert portal_sign_in(client, "xa", PASSWORD, **via(PROXY, "198.51.100.2")).status_code == 302
    assert token_sign_in("xa", PASSWORD, **via(PROXY, "198.51.100.1")).status_code == 429
    assert token_sign_in("xa", PASSWORD, **via(PROXY, "198.51.100.2")).status_code == 200


def test_the_proxys_own_address_is_not_blocked_for_everyone(client, cast, behind_proxy):
    """The tester's finding: 20 failures from anywhere used to lock every visitor out."""
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        portal_sign_in(client, f"khong-co-{attempt}", "sai", **via(PROXY, f"198.51.100.{attempt}"))
    assert portal_sign_in(client, "xa", PASSWORD, **via(PROXY, "203.0.113.50")).status_code == 302


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(client, cast, behind_proxy):
    # Each try claims another address; the peer is not a trusted proxy, so its own address counts.
    for attempt in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS):
        portal_sign_in(client, f"khong-co-{attempt}", "sai", **via("192.0.2.66", f"198.51.100.{attempt}"))
    assert (
        BLOCKED_VI
        in portal_sign_in(client, "xa", PASSWORD, **via("192.0.2.66", "203.0.113.1")).content.decode()
    )
    # And the addresses it claimed were not blocked in its place.
    assert portal_sign_in(client, "xa", PASSWORD, **via(PROXY, "198.51.100.0")).status_code == 302


def test_without_trusted_proxies_the_header_is_never_believed(client, cast):
    fail_from_one_address(
        portal_sign_in, client, settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS, **via(PROXY, "198.51.100.1")
    )
    # Another "client" behind the same, untrusted, proxy is the same address.
    assert BLOCKED_VI in portal_sign_in(client, "xa", PASSWORD, **via(PROXY, "198.51.100.2")).content.decode()
