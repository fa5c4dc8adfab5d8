"""The API of the policy library, the entitlements and the eligibility check: signed in, in the schema."""

import datetime

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from dossiers import catalogue
from policies import catalogue as policy_catalogue
from policies.models import Entitlement, PolicyDocument
from portal.catalogue import load_reference_data
from tests.conftest import Cast
from tests.portal.api_helpers import api
from tests.role_table import Row, everyone

# The data is public, but the API, like the rest of it, serves clients with a session or a token;
# the public has the web pages. Without credentials the API answers 403.
API_SIGNED_IN_ONLY = everyone(200, anonymous=403)

API_POLICY_ROWS: dict[str, Row] = {
    "api:policy-list": Row("get", lambda cast: reverse("api:policy-list"), API_SIGNED_IN_ONLY),
    "api:policy-detail": Row(
        "get",
        lambda cast: reverse("api:policy-detail", args=[PolicyDocument.objects.order_by("pk").first().pk]),
        API_SIGNED_IN_ONLY,
    ),
    "api:entitlement-list": Row("get", lambda cast: reverse("api:entitlement-list"), API_SIGNED_IN_ONLY),
    "api:entitlement-detail": Row(
        "get",
        lambda cast: reverse("api:entitlement-detail", args=[Entitlement.objects.order_by("pk").first().pk]),
        API_SIGNED_IN_ONLY,
    ),
    "api:eligibility-check": Row(
        "post",
        lambda cast: reverse("api:eligibility-check"),
        API_SIGNED_IN_ONLY,
        lambda cast: {"audience": "poor_household", "facts": {"is_poor_household": True}},
    ),
}


@pytest.fixture
def library(cast):
    load_reference_data()
    return cast


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_POLICY_ROWS))
def test_role_gets_the_expected_answer(library, role, route_name):
    row = API_POLICY_ROWS[route_name]
    client = api(getattr(library, role))
    before = (PolicyDocument.objects.count(), Entitlement.objects.count())
    response = getattr(client, row.method)(row.url(library), row.data(library), format="json")
    assert response.status_code == row.expected[role], f"{role} {row.url(library)}"
    assert (PolicyDocument.objects.count(), Entitlement.objects.count()) == before


def test_search_ignores_diacritics_and_marks_what_is_not_in_force(library):
    response = api(library.commune_officer).get(reverse("api:policy-list"), {"q": "mon bai"})
    rows = {row["number"]: row for row in response.json()["results"]}
    assert sorted(rows) == ["04/2017/QH14", "139/2016/NĐ-CP", "198/2025/QH15"]
    resolution = PolicyDocument.objects.get(number="198/2025/QH15")
    assert (rows["139/2016/NĐ-CP"]["is_in_force_today"], rows["139/2016/NĐ-CP"]["replaced_by"]) == (
        False,
        resolution.pk,
    )
    assert rows["139/2016/NĐ-CP"]["procedures"] == [catalogue.CONVERSION_SUPPORT]


def test_a_malformed_filter_is_a_400(library):
    response = api(library.commune_officer).get(reverse("api:policy-list"), {"kind": "poem"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["kind"]


def test_entitlements_by_audience_and_day_with_their_conditions_in_words(library):
    response = api(library.commune_officer).get(
        reverse("api:entitlement-list"), {"audience": "household_business", "in_force_on": "2026-01-01"}
    )
    results = response.json()["results"]
    assert [row["code"] for row in results] == [
        "mien-le-phi-dang-ky-lan-dau",
        "tu-van-ho-so-chuyen-doi",
        "tu-van-thue-ke-toan-3-nam",
    ]
    assert results[0]["conditions"][1] == {
        "fact": "months_operating",
        "op": ">=",
        "value": 12,
        "text": "số tháng hộ kinh doanh đã hoạt động: ít nhất 12 tháng",
    }


def test_the_check_applies_the_rules_of_the_day(library):
    facts = {"is_registered_household_business": True, "months_operating": 12}
    client = api(library.commune_officer)
    url = reverse("api:eligibility-check")
    last_day = client.post(
        url, {"audience": "household_business", "on": "2025-12-31", "facts": facts}, format="json"
    )
    first_day = client.post(
        url, {"audience": "household_business", "on": "2026-01-01", "facts": facts}, format="json"
    )
    assert sorted(row["entitlement"]["code"] for row in last_day.json() if row["applies"]) == [
        "mien-le-phi-dang-ky-lan-dau",
        "mien-le-phi-mon-bai-3-nam",
        "tu-van-ho-so-chuyen-doi",
        "tu-van-thue-ke-toan-3-nam",
    ]
    assert "mien-le-phi-mon-bai-3-nam" not in [row["entitlement"]["code"] for row in first_day.json()]
    advice = next(row for row in last_day.json() if row["entitlement"]["code"] == "tu-van-ho-so-chuyen-doi")
    assert advice["reasons"] == [
        {"text": "đã đăng ký hộ kinh doanh: có", "is_met": True, "is_given": True},
        {
            "text": "số tháng hộ kinh doanh đã hoạt động: ít nhất 12 tháng",
            "is_met": True,
            "is_given": True,
        },
    ]


def test_an_unknown_fact_is_a_400_that_names_it(library):
    response = api(library.commune_officer).post(
        reverse("api:eligibility-check"),
        {"audience": "startup", "facts": {"age": 30}},
        format="json",
    )
    assert response.status_code == 400
    assert "“age”" in response.json()["errors"]["facts"][0]


def test_the_endpoints_are_in_the_schema(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    paths = yaml.safe_load(target.read_text())["paths"]
    assert {
        "/api/v1/policies/",
        "/api/v1/policies/{id}/",
        "/api/v1/entitlements/",
        "/api/v1/entitlements/{id}/",
        "/api/v1/eligibility/",
    } <= set(paths)


N = 5


def add_documents(count: int) -> None:
    law = PolicyDocument.objects.get(number=policy_catalogue.SME_LAW)
    for index in range(count):
        document = PolicyDocument.objects.create(
            number=f"{index}/2024/QĐ-UBND",
            kind=PolicyDocument.Kind.DECISION,
            title=f"Quyết định số {index}",
            issuer="Ủy ban nhân dân tỉnh",
            signed_on=datetime.date(2024, 1, 1),
            effective_from=datetime.date(2024, 1, 1),
            summary="Ví dụ.",
        )
        document.procedures.set(law.procedures.all())


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_endpoint_query_count(library, django_assert_num_queries, rows):
    add_documents(rows)
    client = api(library.council_member)
    # 1 the token with its user (the library is not scoped, so no scope queries), 2 count for the
    # paginator, 3 the page of documents, 4 their procedures (one prefetch).
    with django_assert_num_queries(4):
        response = client.get(reverse("api:policy-list"))
    assert response.json()["count"] == 9 + rows


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_entitlement_list_query_count(library, django_assert_num_queries, rows):
    law = PolicyDocument.objects.get(number=policy_catalogue.SME_LAW)
    for index in range(rows):
        Entitlement.objects.create(
            code=f"ho-tro-{index}",
            name=f"Hỗ trợ {index}",
            description="Ví dụ.",
            audience="startup",
            effective_from=datetime.date(2024, 1, 1),
            conditions=[{"fact": "has_business_plan", "op": "==", "value": True}],
            governing_document=law,
        )
    client = api(library.council_member)
    # 1 the token with its user, 2 count for the paginator, 3 the page of supports with their procedure.
    with django_assert_num_queries(3):
        response = client.get(reverse("api:entitlement-list"))
    assert response.json()["count"] == 7 + rows
