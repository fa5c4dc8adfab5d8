"""Clients and readers for the API's tests (tests/portal/test_api*.py, and the apps' API tests).

``from tests.portal.api_helpers import *`` brings in the ``empty_throttle`` fixture, which the
portal's API tests use on every test: the sign-in throttle's counters start empty.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

__all__ = ["empty_throttle"]


@pytest.fixture(autouse=True)
def empty_throttle():
    cache.clear()
    yield
    cache.clear()


def api(user=None, *, language: str | None = None) -> APIClient:
    """A client that authenticates like an integration does: with a token (anonymous for None)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}
