"""Every API write is audited with its actor, when the caller signs with a token.

A session is attributed by the middleware before the view runs; a token is authenticated by DRF
inside the view, which the middleware never sees. The API base class opens the audit context once
DRF knows the caller. Every write route of the role × route tables that some role may use is run
here as each such role, with a token, and every audit record the request wrote must name that
role's user and the ``api`` channel.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from portal.catalogue import load_reference_data
from portal.models import AuditRecord
from portal.services.tokens import issue_token
from tests.conftest import Cast
from tests.conversions.test_api_conversions import API_CONVERSION_ROWS
from tests.conversions.test_api_imports import API_IMPORT_ROWS
from tests.conversions.test_api_registry import API_REGISTRY_ROWS
from tests.dossiers.test_api_dossiers import API_DOSSIER_ROWS
from tests.fund.test_api_fund import API_FUND_ROWS
from tests.policies.test_api_policies import API_POLICY_ROWS
from tests.portal.test_role_routes import ROWS, all_area_rows
from tests.projects.test_api_mentors import API_MENTOR_ROWS
from tests.projects.test_api_models import API_MODEL_ROWS
from tests.projects.test_api_plans import API_PLAN_ROWS
from tests.projects.test_api_projects import API_PROJECT_ROWS
from tests.reports.test_api_reports import API_REPORT_ROWS
from tests.role_table import Row
from tests.teamwork.test_api_activities import API_ACTIVITY_ROWS


def nothing_to_prepare() -> None:
    pass


@dataclass(frozen=True)
class Area:
    """An area's rows, and how its own role × route test sends them."""

    rows: dict[str, Row]
    format: str
    prepare: Callable[[], object] = nothing_to_prepare


# The portal's, the one-stop shop's and the imports' rows are sent as forms (uploads among them), the
# others as JSON; the policy library's rows need its reference data.
AREAS = (
    Area(ROWS, "multipart"),
    Area(API_DOSSIER_ROWS, "multipart"),
    Area(API_ACTIVITY_ROWS, "json"),
    Area(API_POLICY_ROWS, "json", load_reference_data),
    Area(API_REPORT_ROWS, "json"),
    Area(API_REGISTRY_ROWS, "json"),
    Area(API_CONVERSION_ROWS, "json"),
    Area(API_IMPORT_ROWS, "multipart"),
    Area(API_PROJECT_ROWS, "json"),
    Area(API_PLAN_ROWS, "json"),
    Area(API_MENTOR_ROWS, "json"),
    Area(API_MODEL_ROWS, "json"),
    Area(API_FUND_ROWS, "json"),
)
WRITE_METHODS = ("post", "patch")

# The write routes, by row name: those that change audited data, and those that change nothing
# audited (the eligibility check answers a question, the public lookup reads a dossier's status).
# A new write route in the tables fails test_every_write_route_is_listed until it is listed here.
WRITE_AUDITED_DATA = {
    "api:team-add-member",
    "api:team-end-membership",
    "api:team-set-head",
    "api:dossier-list:post",
    "api:dossier-submit",
    "api:dossier-receive",
    "api:dossier-refuse",
    "api:dossier-start",
    "api:dossier-request-supplement",
    "api:dossier-supply-supplement",
    "api:dossier-request-payment",
    "api:dossier-confirm-payment",
    "api:dossier-withdraw",
    "api:dossier-stop",
    "api:dossier-complete",
    "api:dossier-return-result",
    "api:dossier-apologise",
    "api:dossier-rate",
    "api:dossier-documents:post",
    "api:dossier-review-document",
    "api:inquiry-list:post",
    "api:inquiry-reply",
    "api:activity-list:post",
    "api:report-list:post",
    "api:household-business-list:post",
    "api:household-business-detail:patch",
    "api:household-business-import-confirm",
    "api:conversion-list:post",
    "api:conversion-advise",
    "api:conversion-link-dossier",
    "api:conversion-register",
    "api:conversion-correct",
    "api:conversion-outcomes",
    "api:conversion-visit",
    "api:conversion-visit-reschedule",
    "api:conversion-visit-skip",
    "api:project-list:post",
    "api:project-detail:patch",
    "api:project-steps:post",
    "api:project-correct",
    "api:project-supports:post",
    "api:project-visits:post",
    "api:project-dossiers",
    "api:poverty-plan-list:post",
    "api:poverty-plan-approve",
    "api:poverty-plan-reviews:post",
    "api:mentor-list:post",
    "api:mentor-detail:patch",
    "api:mentor-assign",
    "api:mentor-conflicts",
    "api:mentor-session-list:post",
    "api:success-model-list:post",
    "api:success-model-decide",
    "api:success-model-replications:post",
    "api:fund-regulation-list:post",
    "api:fund-contribution-list:post",
    "api:loan-application-list:post",
    "api:loan-application-appraisers",
    "api:loan-application-declare",
    "api:loan-application-site-visits",
    "api:loan-application-recommend",
    "api:loan-application-refuse",
    "api:loan-application-propose",
    "api:loan-disbursements:post",
    "api:loan-tranche-evidence",
    "api:loan-tranche-review",
    "api:loan-changes:post",
    "api:fund-decision-reject",
    "api:fund-decision-cancel",
}
# An upload is its own record of who sent what and when (HouseholdBusinessImport); the registry
# changes, audited, only when it is confirmed.
# A score is written once and never changed: its row is its record.
WRITE_NOTHING_AUDITED = {
    "api:eligibility-check",
    "api:lookup",
    "api:household-business-import-list:post",
    "api:loan-application-scores",
}


def is_success(status: int) -> bool:
    return 200 <= status < 300


def write_cases() -> list:
    """(area, route name, role) for each API write and each signed-in role the tables expect to succeed."""
    cases = []
    for area in AREAS:
        for name, row in sorted(area.rows.items()):
            if not name.startswith("api:") or row.method not in WRITE_METHODS:
                continue
            for role in Cast.ROLES:
                if role != "anonymous" and is_success(row.expected[role]):
                    cases.append(pytest.param(area, name, role, id=f"{name}-{role}"))
    return cases


@pytest.fixture(autouse=True)
def isolated(settings, tmp_path):
    """Uploads go to a temporary folder; the lookup's counters start empty."""
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield
    cache.clear()


def signed_with_token(user) -> APIClient:
    client = APIClient()
    _token, key = issue_token(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_every_api_row_of_the_tables_is_gathered():
    gathered = {
        name.removesuffix(":post").removesuffix(":patch")
        for area in AREAS
        for name in area.rows
        if name.startswith("api:")
    }
    assert gathered == {name for name in all_area_rows() if name.startswith("api:")}


def test_every_write_route_is_listed():
    routes = {name for _area, name, _role in (case.values for case in write_cases())}
    assert routes == WRITE_AUDITED_DATA | WRITE_NOTHING_AUDITED


@pytest.mark.parametrize(("area", "route_name", "role"), write_cases())
def test_the_audit_names_the_token_caller(cast, area, route_name, role):
    area.prepare()
    row = area.rows[route_name]
    user = getattr(cast, role)
    client = signed_with_token(user)
    url, data = row.url(cast), row.data(cast)
    last_before = AuditRecord.objects.order_by("pk").values_list("pk", flat=True).last() or 0

    response = getattr(client, row.method)(url, data, format=area.format)

    assert response.status_code == row.expected[role], f"{role} {row.method} {url}: {response.content}"
    written = list(AuditRecord.objects.filter(pk__gt=last_before).values_list("actor", "channel"))
    assert written == [(user.pk, "api")] * len(written), f"records not of {role} through the API"
    if route_name in WRITE_AUDITED_DATA:
        assert written, f"{route_name} wrote no audit record"
    else:
        assert written == []
