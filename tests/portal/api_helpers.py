"""Clients and readers for the API's tests (tests/portal/test_api*.py, and the apps' API tests).

``from tests.portal.api_helpers import *`` brings in the ``empty_throttle`` fixture, which the
portal's API tests use on every test: the sign-in throttle's counters start empty.
"""

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIClient

from portal.services.tokens import issue_token

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
        _token, key = issue_token(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    if language is not None:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def names(response) -> list[str]:
    return [row["name"] for row in response.json()["results"]]


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


# The bodies of the API's errors (portal/api/errors.py): every one has ``detail`` and ``code``.
FIELDS_INVALID = {
    "en": "Some of what was sent is not valid; “errors” names each field and why.",
    "vi": "Một số dữ liệu gửi lên không hợp lệ; mục “errors” nêu từng trường và lý do.",
}


def refused(detail: str, *, code: str = "invalid", **extra) -> dict:
    """The answer to a rule's refusal (400 ``invalid``, 409 ``conflict``), a denial or a miss."""
    return {"detail": detail, "code": code, **extra}


def malformed(errors: dict, *, language: str = "en") -> dict:
    """The answer to fields that do not validate: ``errors`` names each one and why."""
    return {"detail": FIELDS_INVALID[language], "code": "invalid", "errors": errors}
