"""Role × route: what each member of the cast gets from every route of the portal.

A route without a row here fails the suite. Refused writes also show that nothing changed.
"""

import pytest
from django.urls import reverse

from portal.models import AuditRecord, Membership, Team
from portal.services.tokens import issue_token
from tests.conftest import Cast
from tests.factories import MembershipFactory, UserFactory
from tests.role_table import COMMUNE_READERS, COMMUNE_TEAM_EDITORS, SIGNED_IN_ONLY, Row, everyone
from tests.routes import all_routes


def new_member(cast: Cast) -> Membership:
    return MembershipFactory(
        team=cast.teams.commune, user=UserFactory(username="thanhvien", full_name="Lý Văn Thành Viên")
    )


ROWS: dict[str, Row] = {
    # Anyone: the front door for who is not signed in, each person's home for the others.
    "home": Row("get", lambda cast: reverse("home"), everyone(200)),
    "login": Row("get", lambda cast: reverse("login"), everyone(302, anonymous=200)),
    "logout": Row("post", lambda cast: reverse("logout"), everyone(302)),
    "password_change": Row("get", lambda cast: reverse("password_change"), SIGNED_IN_ONLY),
    "password_change_done": Row("get", lambda cast: reverse("password_change_done"), SIGNED_IN_ONLY),
    "my_account": Row("get", lambda cast: reverse("my_account"), SIGNED_IN_ONLY),
    # Only its owner revokes a token; everyone else's answer is that there is no such token.
    "token_revoke": Row(
        "post",
        lambda cast: reverse("token_revoke", args=[issue_token(user=cast.commune_officer)[0].pk]),
        everyone(404, anonymous=302, commune_officer=302),
    ),
    "set_language": Row(
        "post", lambda cast: reverse("set_language"), everyone(302), lambda cast: {"language": "en"}
    ),
    "healthz": Row("get", lambda cast: reverse("healthz"), everyone(200)),
    "unit_list": Row("get", lambda cast: reverse("unit_list"), SIGNED_IN_ONLY),
    "unit_detail": Row(
        "get", lambda cast: reverse("unit_detail", args=[cast.units.commune.pk]), COMMUNE_READERS
    ),
    "team_list": Row("get", lambda cast: reverse("team_list"), SIGNED_IN_ONLY),
    "team_detail": Row(
        "get", lambda cast: reverse("team_detail", args=[cast.teams.commune.pk]), COMMUNE_READERS
    ),
    "team_add_member": Row(
        "post",
        lambda cast: reverse("team_add_member", args=[cast.teams.commune.pk]),
        COMMUNE_TEAM_EDITORS,
        lambda cast: {"username": cast.applicant.username, "position": "Thành viên"},
    ),
    "team_end_membership": Row(
        "post",
        lambda cast: reverse("team_end_membership", args=[cast.teams.commune.pk, new_member(cast).pk]),
        COMMUNE_TEAM_EDITORS,
    ),
    "team_set_head": Row(
        "post",
        lambda cast: reverse("team_set_head", args=[cast.teams.commune.pk]),
        COMMUNE_TEAM_EDITORS,
        lambda cast: {"head": new_member(cast).user_id},
    ),
}

# The API answers 403, not a redirect, to a client without credentials.
API_SIGNED_IN_ONLY = everyone(200, anonymous=403)
API_COMMUNE_READERS = COMMUNE_READERS | {"anonymous": 403}


def api_commune_team_editors(status: int) -> dict[str, int]:
    return COMMUNE_TEAM_EDITORS | {"anonymous": 403, "standing_officer": status, "commune_officer": status}


ROWS |= {
    "api:unit-list": Row("get", lambda cast: reverse("api:unit-list"), API_SIGNED_IN_ONLY),
    "api:unit-detail": Row(
        "get", lambda cast: reverse("api:unit-detail", args=[cast.units.commune.pk]), API_COMMUNE_READERS
    ),
    "api:team-list": Row("get", lambda cast: reverse("api:team-list"), API_SIGNED_IN_ONLY),
    "api:team-detail": Row(
        "get", lambda cast: reverse("api:team-detail", args=[cast.teams.commune.pk]), API_COMMUNE_READERS
    ),
    "api:team-add-member": Row(
        "post",
        lambda cast: reverse("api:team-add-member", args=[cast.teams.commune.pk]),
        api_commune_team_editors(201),
        lambda cast: {"username": cast.applicant.username, "position": "Thành viên"},
    ),
    "api:team-end-membership": Row(
        "post",
        lambda cast: reverse("api:team-end-membership", args=[cast.teams.commune.pk, new_member(cast).pk]),
        api_commune_team_editors(200),
    ),
    "api:team-set-head": Row(
        "post",
        lambda cast: reverse("api:team-set-head", args=[cast.teams.commune.pk]),
        api_commune_team_editors(200),
        lambda cast: {"user": new_member(cast).user_id},
    ),
    # Credentials come only in the body; an empty body is malformed for everyone.
    "api:token": Row("post", lambda cast: reverse("api:token"), everyone(400)),
    # Signing out revokes the token the request carries: a session has none to give.
    "api:sign-out": Row("post", lambda cast: reverse("api:sign-out"), everyone(401)),
    "api:schema": Row("get", lambda cast: reverse("api:schema"), API_SIGNED_IN_ONLY),
    "api:docs": Row("get", lambda cast: reverse("api:docs"), API_SIGNED_IN_ONLY),
}

# The Django admin is for staff accounts only; none of the cast is staff.
ADMIN_NAMESPACE = "admin:"


def all_area_rows() -> set[str]:
    """The route names that have a row in any area's table (a second method is "name:post")."""
    from tests.conversions.test_api_conversions import API_CONVERSION_ROWS
    from tests.conversions.test_api_imports import API_IMPORT_ROWS
    from tests.conversions.test_api_registry import API_REGISTRY_ROWS
    from tests.conversions.test_case_pages import CASE_ROWS
    from tests.conversions.test_import_pages import IMPORT_ROWS
    from tests.conversions.test_registry_pages import REGISTRY_ROWS
    from tests.dossiers.test_api_dossiers import API_DOSSIER_ROWS
    from tests.dossiers.test_applicant_pages import APPLICANT_ROWS
    from tests.dossiers.test_desk import DESK_ROWS
    from tests.dossiers.test_dossier_pages import DOSSIER_ROWS
    from tests.dossiers.test_lookup import LOOKUP_ROWS
    from tests.fund.test_api_fund import API_FUND_ROWS
    from tests.fund.test_application_pages import APPLICATION_ROWS
    from tests.fund.test_fund_routes import FUND_ROWS
    from tests.policies.test_api_policies import API_POLICY_ROWS
    from tests.policies.test_policies import POLICY_ROWS
    from tests.projects.test_api_mentors import API_MENTOR_ROWS
    from tests.projects.test_api_models import API_MODEL_ROWS
    from tests.projects.test_api_plans import API_PLAN_ROWS
    from tests.projects.test_api_projects import API_PROJECT_ROWS
    from tests.projects.test_mentor_pages import MENTOR_ROWS
    from tests.projects.test_model_pages import MODEL_ROWS
    from tests.projects.test_plan_pages import PLAN_ROWS
    from tests.projects.test_project_pages import PROJECT_ROWS
    from tests.projects.test_spread import SPREAD_ROWS
    from tests.reports.test_api_reports import API_REPORT_ROWS
    from tests.reports.test_report_pages import REPORT_ROWS
    from tests.teamwork.test_activities import ACTIVITY_ROWS
    from tests.teamwork.test_api_activities import API_ACTIVITY_ROWS
    from tests.teamwork.test_teamwork_pages import TEAMWORK_ROWS

    names = set(ROWS) | set(API_DOSSIER_ROWS) | set(APPLICANT_ROWS) | set(DOSSIER_ROWS) | set(LOOKUP_ROWS)
    names |= (
        set(DESK_ROWS) | set(ACTIVITY_ROWS) | set(API_ACTIVITY_ROWS) | set(POLICY_ROWS) | set(API_POLICY_ROWS)
    )
    names |= set(TEAMWORK_ROWS) | set(REPORT_ROWS) | set(API_REPORT_ROWS)
    names |= set(REGISTRY_ROWS) | set(CASE_ROWS) | set(API_REGISTRY_ROWS) | set(API_CONVERSION_ROWS)
    names |= set(IMPORT_ROWS) | set(API_IMPORT_ROWS)
    names |= set(PROJECT_ROWS) | set(PLAN_ROWS) | set(MENTOR_ROWS) | set(MODEL_ROWS) | set(SPREAD_ROWS)
    names |= set(API_PROJECT_ROWS) | set(API_PLAN_ROWS) | set(API_MENTOR_ROWS) | set(API_MODEL_ROWS)
    names |= set(APPLICATION_ROWS) | set(FUND_ROWS) | set(API_FUND_ROWS)
    return {name.removesuffix(":post").removesuffix(":patch") for name in names}


def test_every_route_has_a_row():
    covered = all_area_rows()
    missing = [
        route.name
        for route in all_routes()
        if route.name not in covered and not route.name.startswith(ADMIN_NAMESPACE)
    ]
    assert missing == [], f"routes without a role × route row: {missing}"


def team_state():
    return (
        sorted(Membership.objects.values_list("team_id", "user_id", "left_on")),
        sorted(Team.objects.values_list("pk", "head_id")),
        AuditRecord.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(ROWS))
def test_role_gets_the_expected_answer(cast, login, role, route_name):
    row = ROWS[route_name]
    client = login(getattr(cast, role))
    url, data = row.url(cast), row.data(cast)
    before = team_state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert team_state() == before, "a refused write changed something"


@pytest.mark.parametrize("role", Cast.ROLES)
def test_admin_is_for_staff_only(cast, login, role):
    response = login(getattr(cast, role)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_lists_every_model_for_a_superuser(cast, login, django_user_model):
    superuser = django_user_model.objects.create_superuser(
        "quantri-thu", "qt@example.vn", "mat-khau-quan-tri"
    )
    client = login(superuser)
    for model in (
        "portal_adminunit",
        "portal_team",
        "portal_membership",
        "portal_user",
        "portal_auditrecord",
        "teamwork_activity",
        "portal_target",
        "policies_policydocument",
        "policies_entitlement",
    ):
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200
