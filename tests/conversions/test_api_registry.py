"""The registry of household businesses in the API: scope, search, masking, writes through the services.

The role × route rows of these routes are in ``API_REGISTRY_ROWS`` below, run here the way the
shared table in tests/portal/test_role_routes.py runs its own.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from conversions.models import HouseholdBusiness
from dossiers.models import Applicant
from portal.models import AuditRecord
from tests.conftest import Cast
from tests.conversions.fixtures import *  # noqa: F403 (the conversions and media_root fixtures)
from tests.conversions.fixtures import Conversions, build_conversions
from tests.portal.api_helpers import api, malformed, refused
from tests.role_table import Row, everyone
from tests.teamwork.test_api_activities import TOKEN_SIGNED_IN

pytestmark = pytest.mark.django_db

LIST = "api:household-business-list"
DETAIL = "api:household-business-detail"
# Who reads the commune's registry: the province-wide roles, the district above it, the commune and
# the owner of the record; the rest of the cast does not see it.
API_REGISTRY_READERS = everyone(
    404,
    anonymous=403,
    council_member=200,
    standing_officer=200,
    district_officer=200,
    commune_officer=200,
    fund_officer=200,
    applicant=200,
)
# Who changes it: the officers of the teams that keep it (conversions/access.py); the council, the fund
# and the owner read only.
API_REGISTRY_WRITERS = API_REGISTRY_READERS | {"council_member": 403, "fund_officer": 403, "applicant": 403}


def world(cast: Cast) -> Conversions:
    """The cast's registry (tests/conversions/fixtures.py), built on first use."""
    if getattr(cast, "_conversions", None) is None:
        cast._conversions = build_conversions(cast)
    return cast._conversions


def body(cast: Cast, **overrides) -> dict:
    return {
        "owner": {"full_name": "Trần Văn Mới", "national_id": "083095007777", "phone": "0918 111 222"},
        "name": "Tiệm may Bảy Mới",
        "registration_number": "56A8007777",
        "registered_on": "2021-05-06",
        "address": "Ấp Sơn Lân, xã Sơn Định",
        "unit": cast.units.commune.pk,
        "sector": "S",
        "workers": 2,
        "revenue_band": "under_500m",
    } | overrides


def list_url(cast: Cast) -> str:
    world(cast)
    return reverse(LIST)


def detail_url(cast: Cast) -> str:
    return reverse(DETAIL, args=[world(cast).business.pk])


def state():
    return (HouseholdBusiness.objects.count(), Applicant.objects.count(), AuditRecord.objects.count())


API_REGISTRY_ROWS: dict[str, Row] = {
    LIST: Row("get", list_url, everyone(200, anonymous=403)),
    DETAIL: Row("get", detail_url, API_REGISTRY_READERS),
    # Only the writers of the commune name it; for anyone else its id is unknown (400).
    f"{LIST}:post": Row(
        "post",
        list_url,
        everyone(
            400,
            anonymous=403,
            standing_officer=201,
            district_officer=201,
            commune_officer=201,
        ),
        data=body,
    ),
    f"{DETAIL}:patch": Row("patch", detail_url, API_REGISTRY_WRITERS, data=lambda cast: {"workers": 9}),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(API_REGISTRY_ROWS))
def test_role_gets_the_expected_answer(cast, media_root, role, route_name):
    row = API_REGISTRY_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    before = state()
    response = getattr(api(getattr(cast, role)), row.method)(url, data, format="json")
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method != "get" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- Writes ------------------------------------------------------------------------------------------------


def test_create_records_through_the_service_and_finds_the_owner_by_cccd(conversions):
    cast = conversions.cast
    known = conversions.shop.applicant
    before = Applicant.objects.count()
    response = api(conversions.officer).post(
        reverse(LIST),
        body(cast, owner={"full_name": "Bùi Văn Nộp", "national_id": known.national_id}),
        format="json",
    )
    assert response.status_code == 201, response.json()
    business = HouseholdBusiness.objects.get(registration_number="56A8007777")
    assert business.owner == known
    assert Applicant.objects.count() == before  # the person is not recorded twice
    answer = response.json()
    assert answer["id"] == business.pk
    assert answer["owner"]["national_id"] == known.national_id  # the commune's officer sees it whole
    assert (answer["sector"], answer["tax_mode"], answer["status"], answer["conversion"]) == (
        "S",
        "declared",
        "operating",
        None,
    )
    record = AuditRecord.objects.history_of(business).get()
    assert (record.actor, record.channel) == (conversions.officer, "api")


def test_create_records_a_new_owner(conversions):
    response = api(conversions.officer).post(reverse(LIST), body(conversions.cast), format="json")
    assert response.status_code == 201
    owner = Applicant.objects.get(national_id="083095007777")
    assert (owner.full_name, owner.phone, owner.unit) == (
        "Trần Văn Mới",
        "0918 111 222",
        conversions.cast.units.commune,
    )


def test_update_changes_only_the_fields_given(conversions):
    business = conversions.business
    response = api(conversions.officer).patch(
        reverse(DETAIL, args=[business.pk]), {"workers": 12, "status": "ceased"}, format="json"
    )
    assert response.status_code == 200
    business.refresh_from_db()
    assert (business.workers, business.status, business.name) == (12, "ceased", "Cơ sở kẹo dừa Tư Nộp")
    assert response.json()["workers"] == 12


# --- Reads -------------------------------------------------------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_the_list_is_scoped(conversions):
    cast = conversions.cast
    mine, other = conversions.business.pk, conversions.other_business.pk
    assert ids(api(cast.commune_officer).get(reverse(LIST))) == [mine]
    assert sorted(ids(api(cast.council_member).get(reverse(LIST)))) == sorted([mine, other])
    assert ids(api(cast.applicant).get(reverse(LIST))) == [mine]  # the owner's own
    assert ids(api(cast.other_commune_officer).get(reverse(LIST))) == [other]


def test_search_ignores_diacritics_and_the_filters_narrow(conversions):
    cast = conversions.cast
    client = api(cast.council_member)
    mine, other = conversions.business.pk, conversions.other_business.pk
    lump = conversions.add("Quán cơm Sáu", "56A8006666", national_id="083095006666", sector="I")
    HouseholdBusiness.objects.filter(pk=lump.pk).update(tax_mode="lump_sum")
    assert ids(client.get(reverse(LIST), {"q": "KEO DUA"})) == [mine]
    assert ids(client.get(reverse(LIST), {"q": "56b8005678"})) == [other]
    assert sorted(ids(client.get(reverse(LIST), {"unit": cast.units.district.pk}))) == sorted([mine, lump.pk])
    assert ids(client.get(reverse(LIST), {"sector": "A"})) == [other]
    assert ids(client.get(reverse(LIST), {"tax_mode": "lump_sum"})) == [lump.pk]
    assert ids(client.get(reverse(LIST), {"revenue_band": "500m_3b"})) == [mine]
    assert ids(client.get(reverse(LIST), {"status": "ceased"})) == []


@pytest.mark.parametrize(
    ("role", "whole"),
    [("commune_officer", True), ("standing_officer", True), ("applicant", True), ("council_member", False)],
)
def test_the_owners_cccd_and_phone_show_whole_only_to_the_owner_and_the_writers(conversions, role, whole):
    owner = conversions.shop.applicant
    client = api(getattr(conversions.cast, role))
    shown = client.get(reverse(DETAIL, args=[conversions.business.pk])).json()["owner"]
    listed = client.get(reverse(LIST)).json()["results"][0]["owner"]
    assert shown == listed
    if whole:
        assert (shown["national_id"], shown["phone"]) == (owner.national_id, owner.phone)
    else:
        assert shown["national_id"] == "••••••••" + owner.national_id[-4:]
        assert shown["phone"].startswith("••") and shown["phone"].endswith(owner.phone[-4:])


# --- Bad input ---------------------------------------------------------------------------------------------


def vietnamese(msgid: str, **values) -> str:
    with translation.override("vi"):
        return translation.gettext(msgid) % values if values else translation.gettext(msgid)


@pytest.mark.parametrize(
    ("overrides", "msgid", "values", "rule"),
    [
        (
            {"registration_number": "56A8001234"},
            "Registration number %(number)s is already on another household business.",
            {"number": "56A8001234"},
            "registration_number_taken",
        ),
        ({"registered_on": "2026-11-19"}, "The registration date cannot be in the future.", {}, "future"),
        (
            {"owner": {"full_name": "Trần Văn Mới", "national_id": "08309500777"}},
            "A CCCD number is 12 digits.",
            {},
            "national_id",
        ),
        (
            {"tax_mode": "lump_sum"},
            "Lump-sum tax ended on 01/01/2026 (Resolution 198/2025/QH15): choose declared.",
            {},
            "lump_sum_ended",
        ),
    ],
)
def test_a_rule_refusal_is_a_400_in_vietnamese(conversions, overrides, msgid, values, rule):
    before = state()
    response = api(conversions.officer, language="vi").post(
        reverse(LIST), body(conversions.cast, **overrides), format="json"
    )
    assert (response.status_code, response.json()) == (400, refused(vietnamese(msgid, **values), rule=rule))
    assert state() == before


@pytest.mark.parametrize("value", ["99999999999999999999999", "-5", "²", 0])
def test_a_unit_id_out_of_range_is_a_400_naming_it(conversions, value):
    before = state()
    response = api(conversions.officer, language="vi").post(
        reverse(LIST), body(conversions.cast, unit=value), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["unit"]
    assert response.json()["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    assert state() == before


def test_another_communes_unit_is_unknown(conversions):
    response = api(conversions.officer).post(
        reverse(LIST), body(conversions.cast, unit=conversions.cast.units.other_commune.pk), format="json"
    )
    assert response.json() == malformed({"unit": ["Không có đơn vị nào có mã này."]}, language="vi")


def test_a_patch_of_another_communes_record_is_404_and_a_readers_403(conversions):
    cast = conversions.cast
    other = reverse(DETAIL, args=[conversions.other_business.pk])
    assert api(cast.commune_officer).patch(other, {"workers": 1}, format="json").status_code == 404
    mine = reverse(DETAIL, args=[conversions.business.pk])
    assert api(cast.council_member).patch(mine, {"workers": 1}, format="json").status_code == 403
    assert api(cast.commune_officer).put(mine, body(cast), format="json").status_code == 405


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("unit", "99999999999999999999999"),
        ("unit", "²"),
        ("sector", "Z"),
        ("status", "closed"),
        ("tax_mode", "khoan"),
        ("revenue_band", "huge"),
        ("q", "x" * 101),
        ("page", "0"),
        ("page_size", "201"),
    ],
)
def test_an_unknown_filter_value_is_a_400_in_vietnamese(conversions, parameter, value):
    response = api(conversions.officer, language="vi").get(reverse(LIST), {parameter: value})
    assert response.status_code == 400
    body_ = response.json()
    assert body_["code"] == "invalid"
    assert body_["detail"].startswith("Một số dữ liệu gửi lên không hợp lệ")
    assert list(body_["errors"]) == [parameter]


# --- Query counts -----------------------------------------------------------------------------------------

N = 5
# The sign-in's queries (tests/teamwork/test_api_activities.py): the council's province is read for a
# member of the council only, and someone in no team has no units to read.
SIGNED_IN = {
    "council_member": TOKEN_SIGNED_IN,
    "commune_officer": TOKEN_SIGNED_IN - 1,
    "applicant": TOKEN_SIGNED_IN - 2,
}
# Of the N or 10 × N records in Xã Sơn Định, besides the fixture's two (one of them there, the owner's).
SEEN = {
    "council_member": lambda rows: rows + 2,
    "commune_officer": lambda rows: rows + 1,
    "applicant": lambda rows: 1,
}


def add_businesses(conversions: Conversions, count: int) -> None:
    for number in range(count):
        conversions.add(f"Hộ số {number}", f"56C{number:07d}", national_id=f"0830990{number:05d}")


@pytest.mark.parametrize("role", ["council_member", "commune_officer", "applicant"])
@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_list_reads_a_fixed_number_of_queries(conversions, django_assert_num_queries, role, rows):
    add_businesses(conversions, rows)
    client = api(getattr(conversions.cast, role))
    # the count for the paginator, the page of records with their owners and units
    with django_assert_num_queries(SIGNED_IN[role] + 2):
        response = client.get(reverse(LIST), {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] == SEEN[role](rows)


def test_the_detail_reads_a_fixed_number_of_queries(conversions, django_assert_num_queries):
    client = api(conversions.officer)
    # the record with its owner, unit and conversion
    with django_assert_num_queries(SIGNED_IN["commune_officer"] + 1):
        response = client.get(reverse(DETAIL, args=[conversions.business.pk]))
    assert response.status_code == 200


def test_a_registration_date_a_day_ago_is_fine(conversions):
    day = (datetime.date(2026, 11, 18) - datetime.timedelta(days=1)).isoformat()
    response = api(conversions.officer).post(
        reverse(LIST), body(conversions.cast, registered_on=day), format="json"
    )
    assert response.status_code == 201
