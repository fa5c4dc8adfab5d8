"""The client's address (portal.middleware.client_address): the proxy's X-Forwarded-For is believed only
from a trusted proxy, and read from the right; throttles, audit records and token records all use it.
"""

import os
import subprocess
import sys

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse

from dossiers.lookup import LIMIT_PER_ADDRESS as LOOKUP_LIMIT_PER_ADDRESS
from portal.middleware import client_address
from portal.models import AuditRecord, Membership
from tests.portal.api_helpers import api

PROXY = "10.0.0.1"


@pytest.fixture(autouse=True)
def empty_throttle():
    cache.clear()
    yield
    cache.clear()


def address_of(remote: str, forwarded: str | None = None) -> str:
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


@pytest.mark.parametrize(
    ("trusted", "remote", "forwarded", "expected"),
    [
        # Nobody is trusted by default: the header is ignored.
        ([], PROXY, "198.51.100.7", PROXY),
        # A trusted proxy: the address it appended.
        ([PROXY], PROXY, "198.51.100.7", "198.51.100.7"),
        # Whatever the client wrote to the left is ignored: only the right-most untrusted entry counts.
        ([PROXY], PROXY, "6.6.6.6, 198.51.100.7", "198.51.100.7"),
        # A chain of trusted proxies, given as a network: the first address none of them is.
        (["10.0.0.0/8"], PROXY, "6.6.6.6, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        # A peer that is not trusted is its own address, whatever it claims.
        ([PROXY], "192.0.2.66", "198.51.100.7", "192.0.2.66"),
        # A trusted proxy that sent no header (its own health probe) is itself.
        ([PROXY], PROXY, None, PROXY),
        ([PROXY], PROXY, "", PROXY),
        # A malformed entry: nothing beyond the proxy is known.
        ([PROXY], PROXY, "198.51.100.7, not-an-address", PROXY),
        # IPv6, and IPv4 written as IPv6 by a dual-stack server.
        (["2001:db8::/64"], "2001:db8::1", "2001:db8:1::7", "2001:db8:1::7"),
        ([PROXY], "::ffff:10.0.0.1", "198.51.100.7", "198.51.100.7"),
    ],
)
def test_client_address(settings, trusted, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = trusted
    assert address_of(remote, forwarded) == expected


def test_a_trusted_proxy_that_is_no_address_stops_the_settings_from_loading():
    environment = {**os.environ, "PORTAL_ENV": "test", "TRUSTED_PROXIES": "10.0.0.1, proxy.example.vn"}
    loading = subprocess.run(
        [sys.executable, "-c", "import portal.settings"], env=environment, capture_output=True, text=True
    )
    assert loading.returncode != 0
    assert "ImproperlyConfigured: TRUSTED_PROXIES" in loading.stderr


def test_a_web_change_is_audited_with_the_clients_address_behind_the_proxy(settings, cast, login):
    settings.TRUSTED_PROXIES = [PROXY]
    login(cast.standing_officer).post(
        reverse("team_add_member", args=[cast.teams.commune.pk]),
        {"username": cast.applicant.username, "position": "Thành viên"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )
    record = AuditRecord.objects.history_of(cast.teams.commune).first()
    assert (record.actor, record.channel, record.address) == (cast.standing_officer, "web", "203.0.113.7")


def test_an_api_change_is_audited_with_the_clients_address_behind_the_proxy(settings, cast):
    settings.TRUSTED_PROXIES = [PROXY]
    response = api(cast.standing_officer).post(
        reverse("api:team-add-member", args=[cast.teams.commune.pk]),
        {"username": cast.applicant.username, "position": "Thành viên"},
        format="json",
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="203.0.113.8",
    )
    assert response.status_code == 201
    membership = Membership.objects.get(user=cast.applicant)
    record = AuditRecord.objects.get(
        content_type=ContentType.objects.get_for_model(Membership), object_id=str(membership.pk)
    )
    assert (record.actor, record.address) == (cast.standing_officer, "203.0.113.8")


def test_the_public_lookup_counts_two_clients_behind_the_proxy_apart(settings, client, db):
    settings.TRUSTED_PROXIES = [PROXY]
    first, second = {"HTTP_X_FORWARDED_FOR": "198.51.100.1"}, {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    for attempt in range(getattr(settings, "DOSSIER_LOOKUP_LIMIT_PER_ADDRESS", LOOKUP_LIMIT_PER_ADDRESS)):
        wrong = {"code": f"HS-3333-{attempt:04d}", "phone_last_four": "0000"}
        assert client.post(reverse("dossier_lookup"), wrong, REMOTE_ADDR=PROXY, **first).status_code == 200
    another = {"code": "HS-4444-0000", "phone_last_four": "0000"}
    assert client.post(reverse("dossier_lookup"), another, REMOTE_ADDR=PROXY, **first).status_code == 429
    assert client.post(reverse("dossier_lookup"), another, REMOTE_ADDR=PROXY, **second).status_code == 200
