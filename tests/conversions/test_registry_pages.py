"""The registry's pages: the role × route rows, the list (search, filters, scope, masking, query
counts), adding a household business with its owner found by CCCD, correcting one, and picking it as
a conversion candidate.

``REGISTRY_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from conversions.models import Conversion, HouseholdBusiness, Stage
from dossiers.models import Applicant
from portal.models import AuditRecord
from tests.conftest import Cast
from tests.conversions.fixtures import *  # noqa: F403 (the conversions and media_root fixtures)
from tests.conversions.fixtures import Conversions, build_conversions
from tests.portal.test_query_counts import SIGNED_IN
from tests.role_table import COMMUNE_READERS, Row, everyone

pytestmark = pytest.mark.django_db

MASKED_CCCD = "••••••••"  # eight of the twelve digits hidden


def vi(message: str, **params) -> str:
    """``message`` as the pages show it: in Vietnamese once locale/ has it."""
    with translation.override("vi"):
        text = gettext(message)
    return text % params if params else text


def world(cast: Cast) -> Conversions:
    """The cast's registry (built on first use), for the rows that only get the cast."""
    if getattr(cast, "_conversions", None) is None:
        cast._conversions = build_conversions(cast)
    return cast._conversions


@pytest.fixture
def conversions(cast, media_root) -> Conversions:
    """The shared fixture's world, kept on the cast so that the rows' helpers find the same one."""
    return world(cast)


def business(cast: Cast) -> HouseholdBusiness:
    return world(cast).business


def new_business_data(cast: Cast, **overrides) -> dict:
    return {
        "owner_name": "Trương Văn Dừa",
        "owner_national_id": "083090001111",
        "owner_phone": "0918000111",
        "name": "Lò kẹo dừa Ba Dừa",
        "registration_number": "56A8007777",
        "registered_on": "2021-05-06",
        "address": "Ấp Sơn Phú, xã Sơn Định",
        "unit": cast.units.commune.pk,
        "sector": "C",
        "workers": "5",
        "revenue_band": HouseholdBusiness.RevenueBand.UNDER_500M,
        "tax_mode": HouseholdBusiness.TaxMode.DECLARED,
    } | overrides


def edit_data(cast: Cast, **overrides) -> dict:
    record = business(cast)
    return {
        "name": record.name,
        "registration_number": record.registration_number,
        "registered_on": record.registered_on.isoformat(),
        "address": record.address,
        "unit": record.unit_id,
        "sector": record.sector,
        "workers": "9",
        "revenue_band": record.revenue_band,
        "tax_mode": record.tax_mode,
        "status": record.status,
    } | overrides


def state():
    return (
        AuditRecord.objects.count(),
        sorted(HouseholdBusiness.objects.values_list("pk", "workers", "status")),
        Conversion.objects.count(),
        Applicant.objects.count(),
    )


# Who keeps the commune's registry: its team, the district team above it and the standing agency; the
# council and the fund read it and change nothing (403), as does the owner, who reads their own record.
REGISTRY_KEEPERS = everyone(
    404,
    anonymous=302,
    council_member=403,
    applicant=403,
    standing_officer=302,
    district_officer=302,
    commune_officer=302,
    fund_officer=403,
)
# Who keeps some commune's registry may open the form; the other district's officers may not choose
# this commune (400).
ADDERS = everyone(
    200, anonymous=302, council_member=403, fund_officer=403, applicant=403, other_applicant=403
)
REGISTRY_ROWS: dict[str, Row] = {
    "household_business_list": Row(
        "get", lambda cast: reverse("household_business_list"), everyone(200, anonymous=302)
    ),
    "household_business_new": Row("get", lambda cast: reverse("household_business_new"), ADDERS),
    "household_business_new:post": Row(
        "post",
        lambda cast: reverse("household_business_new"),
        ADDERS
        | {
            "standing_officer": 302,
            "district_officer": 302,
            "commune_officer": 302,
            "other_district_officer": 400,
            "other_commune_officer": 400,
        },
        data=new_business_data,
    ),
    "household_business_detail": Row(
        "get",
        lambda cast: reverse("household_business_detail", args=[business(cast).pk]),
        COMMUNE_READERS | {"applicant": 200},
    ),
    "household_business_edit": Row(
        "get",
        lambda cast: reverse("household_business_edit", args=[business(cast).pk]),
        REGISTRY_KEEPERS | {"standing_officer": 200, "district_officer": 200, "commune_officer": 200},
    ),
    "household_business_edit:post": Row(
        "post",
        lambda cast: reverse("household_business_edit", args=[business(cast).pk]),
        REGISTRY_KEEPERS,
        data=edit_data,
    ),
    "household_business_identify": Row(
        "post",
        lambda cast: reverse("household_business_identify", args=[business(cast).pk]),
        REGISTRY_KEEPERS,
        data=lambda cast: {"on": "2026-11-17", "note": "Đủ 12 tháng, muốn mở rộng"},
    ),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(REGISTRY_ROWS))
def test_role_gets_the_expected_answer(cast, login, media_root, role, route_name):
    row = REGISTRY_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- The list ------------------------------------------------------------------------------------------


def names(response) -> list[str]:
    return [row.name for row in response.context["page"]]


def test_search_ignores_case_and_diacritics(conversions, login):
    conversions.add("Vựa trái cây Hai Lúa", "56A8002222", national_id="083090002222")
    client = login(conversions.officer)
    url = reverse("household_business_list")
    assert names(client.get(url, {"q": "keo dua"})) == ["Cơ sở kẹo dừa Tư Nộp"]
    assert names(client.get(url, {"q": "KẸO DỪA"})) == ["Cơ sở kẹo dừa Tư Nộp"]
    assert names(client.get(url, {"q": "56a8002222"})) == ["Vựa trái cây Hai Lúa"]
    assert names(client.get(url, {"q": "ap son quy"})) == ["Cơ sở kẹo dừa Tư Nộp"]
    assert names(client.get(url, {"q": "khong co"})) == []


def test_filters_by_sector_status_revenue_and_a_district_for_its_communes(conversions, login):
    conversions.add("Vựa trái cây Hai Lúa", "56A8002222", national_id="083090002222", sector="A")
    client = login(conversions.cast.council_member)
    url = reverse("household_business_list")
    assert names(client.get(url)) == [
        "Cơ sở kẹo dừa Tư Nộp",
        "Vựa cây giống Năm Khác",
        "Vựa trái cây Hai Lúa",
    ]
    assert names(client.get(url, {"sector": "A"})) == ["Vựa cây giống Năm Khác", "Vựa trái cây Hai Lúa"]
    assert names(client.get(url, {"unit": conversions.cast.units.district.pk})) == [
        "Cơ sở kẹo dừa Tư Nộp",
        "Vựa trái cây Hai Lúa",
    ]
    assert names(client.get(url, {"revenue_band": "500m_3b"})) == ["Cơ sở kẹo dừa Tư Nộp"]
    conversions.registered()
    assert names(client.get(url, {"status": "converted"})) == ["Cơ sở kẹo dừa Tư Nộp"]
    assert names(client.get(url, {"status": "operating", "sector": "A"})) == [
        "Vựa cây giống Năm Khác",
        "Vựa trái cây Hai Lúa",
    ]


def test_lump_sum_still_recorded_is_a_filter_and_a_flag(conversions, login, set_today):
    set_today(datetime.date(2025, 12, 1))  # lump-sum tax could still be recorded then
    conversions.add("Tiệm tạp hóa Bảy Khoán", "56A8003333", national_id="083090003333", tax_mode="lump_sum")
    set_today(datetime.date(2026, 11, 18))
    client = login(conversions.officer)
    response = client.get(reverse("household_business_list"), {"tax_mode": "lump_sum"})
    assert names(response) == ["Tiệm tạp hóa Bảy Khoán"]
    assert "thuế khoán" in response.content.decode()  # the badge of the record still on lump sum
    response = client.get(reverse("household_business_list"), {"tax_mode": "declared"})
    assert names(response) == ["Cơ sở kẹo dừa Tư Nộp"]


def test_each_sees_the_registry_of_their_scope(conversions, login):
    cast = conversions.cast
    url = reverse("household_business_list")
    assert names(login(cast.commune_officer).get(url)) == ["Cơ sở kẹo dừa Tư Nộp"]
    assert names(login(cast.other_commune_officer).get(url)) == ["Vựa cây giống Năm Khác"]
    assert names(login(cast.district_officer).get(url)) == ["Cơ sở kẹo dừa Tư Nộp"]
    assert names(login(cast.council_member).get(url)) == ["Cơ sở kẹo dừa Tư Nộp", "Vựa cây giống Năm Khác"]
    assert names(login(cast.applicant).get(url)) == ["Cơ sở kẹo dừa Tư Nộp"]  # their own
    assert names(login(cast.other_applicant).get(url)) == ["Vựa cây giống Năm Khác"]
    detail = reverse("household_business_detail", args=[conversions.business.pk])
    assert login(cast.other_commune_officer).get(detail).status_code == 404
    assert login(cast.other_district_officer).get(detail).status_code == 404


def test_the_owners_numbers_are_masked_for_who_does_not_keep_the_record(conversions, login):
    cast = conversions.cast
    national_id = conversions.business.owner.national_id
    masked = MASKED_CCCD + national_id[-4:]
    for user, shown in (
        (cast.commune_officer, national_id),
        (cast.applicant, national_id),
        (cast.council_member, masked),
    ):
        client = login(user)
        listing = client.get(reverse("household_business_list")).content.decode()
        detail = client.get(reverse("household_business_detail", args=[conversions.business.pk]))
        assert shown in listing
        assert shown in detail.content.decode()
        if shown == masked:
            assert national_id not in listing
            assert national_id not in detail.content.decode()


def test_a_filter_that_does_not_parse_is_named_and_left_out(conversions, login):
    client = login(conversions.officer)
    for params in ({"unit": "abc"}, {"unit": "99999999999999999999999"}, {"sector": "Z"}, {"unit": "٣"}):
        response = client.get(reverse("household_business_list"), params)
        assert response.status_code == 400, params
        assert names(response) == ["Cơ sở kẹo dừa Tư Nộp"]


@pytest.fixture(params=[3, 30], ids=["N", "10N"])
def rows(request, conversions):
    for number in range(request.param):
        conversions.add(f"Hộ kinh doanh số {number:03}", f"56C{number:07}", national_id=f"0830{number:08}")
    return request.param


def test_list_page_query_count(conversions, login, django_assert_num_queries, rows):
    client = login(conversions.cast.council_member)
    # The page's own: 1 count for the paginator, 2 the page of household businesses with their owner,
    # commune and case, 3 the units of the unit filter.
    with django_assert_num_queries(SIGNED_IN + 3):
        response = client.get(reverse("household_business_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == rows + 2


# --- Adding and changing a record ----------------------------------------------------------------------


def test_a_new_record_with_a_new_owner(conversions, login):
    cast = conversions.cast
    people = Applicant.objects.count()
    response = login(cast.commune_officer).post(
        reverse("household_business_new"), new_business_data(cast), follow=True
    )
    record = HouseholdBusiness.objects.get(registration_number="56A8007777")
    assert response.redirect_chain == [(reverse("household_business_detail", args=[record.pk]), 302)]
    assert Applicant.objects.count() == people + 1
    assert (record.owner.full_name, record.owner.national_id, record.unit) == (
        "Trương Văn Dừa",
        "083090001111",
        cast.units.commune,
    )
    assert [str(message) for message in response.context["messages"]] == [
        vi("The household business and its owner have been recorded.")
    ]


def test_a_known_person_is_linked_not_added_again(conversions, login):
    cast = conversions.cast
    known = conversions.business.owner
    people = Applicant.objects.count()
    data = new_business_data(cast, owner_name="Bùi Văn Nộp (ghi khác)", owner_national_id=known.national_id)
    response = login(cast.commune_officer).post(reverse("household_business_new"), data, follow=True)
    record = HouseholdBusiness.objects.get(registration_number="56A8007777")
    assert record.owner == known
    assert Applicant.objects.count() == people
    message = [str(message) for message in response.context["messages"]]
    assert message == [
        vi(
            "The household business has been recorded. Its owner, %(name)s, was already known to the "
            "portal by their CCCD number: the record is linked to them.",
            name="Bùi Văn Nộp",
        )
    ]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"registration_number": "56B8005678"},  # the other commune's business has it
            ("Registration number %(number)s is already on another household business.", "56B8005678"),
        ),
        ({"registered_on": "2026-11-19"}, "The registration date cannot be in the future."),
        ({"owner_national_id": "08309000111"}, "A CCCD number is 12 digits."),
        (
            {"tax_mode": "lump_sum"},
            "Lump-sum tax ended on 01/01/2026 (Resolution 198/2025/QH15): choose declared.",
        ),
    ],
)
def test_a_refused_record_is_shown_again_with_why(conversions, login, overrides, message):
    cast = conversions.cast
    before = state()
    response = login(cast.commune_officer).post(
        reverse("household_business_new"), new_business_data(cast, **overrides)
    )
    assert response.status_code == 400
    if isinstance(message, tuple):
        message = vi(message[0], number=message[1])
    assert response.context["form"].non_field_errors() == [vi(message)]
    assert response.context["form"]["name"].value() == "Lò kẹo dừa Ba Dừa"  # what was written is kept
    assert state() == before


@pytest.mark.parametrize(
    "overrides",
    [
        {"workers": "٣"},
        {"workers": "-1"},
        {"workers": "99999999999"},
        {"registered_on": "31/02/2021"},
        {"registered_on": "0001-01-01"},
        {"unit": "abc"},
        {"unit": "99999999999999999999999"},
        {"sector": "Z"},
    ],
)
def test_input_that_does_not_parse_is_400_never_500(conversions, login, overrides):
    cast = conversions.cast
    before = state()
    response = login(cast.commune_officer).post(
        reverse("household_business_new"), new_business_data(cast, **overrides)
    )
    assert response.status_code == 400
    assert state() == before


def test_a_record_is_corrected_and_only_changes_are_written(conversions, login):
    cast = conversions.cast
    record = conversions.business
    response = login(cast.commune_officer).post(
        reverse("household_business_edit", args=[record.pk]), edit_data(cast, workers="12")
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.workers == 12
    refused = login(cast.commune_officer).post(
        reverse("household_business_edit", args=[record.pk]),
        edit_data(cast, registration_number="56B8005678"),
    )
    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors() == [
        vi("Registration number %(number)s is already on another household business.", number="56B8005678")
    ]


def test_unknown_ids_are_404(conversions, login):
    client = login(conversions.officer)
    assert client.get("/household-businesses/999999/").status_code == 404
    assert client.get("/household-businesses/999999/edit/").status_code == 404
    assert client.post("/household-businesses/999999/identify/", {"on": "2026-11-17"}).status_code == 404
    assert client.get("/household-businesses/99999999999999999999999/").status_code == 404


# --- Picking a candidate ------------------------------------------------------------------------------


def test_identifying_a_candidate_opens_its_case(conversions, login):
    client = login(conversions.officer)
    url = reverse("household_business_identify", args=[conversions.business.pk])
    response = client.post(url, {"on": "2026-11-17", "note": "Muốn mở rộng sản xuất"})
    conversion = Conversion.objects.get(household_business=conversions.business)
    assert response["Location"] == reverse("conversion_detail", args=[conversion.pk])
    assert (conversion.stage, conversion.opened_on) == (Stage.IDENTIFIED, datetime.date(2026, 11, 17))
    detail = client.get(reverse("household_business_detail", args=[conversions.business.pk]))
    assert reverse("conversion_detail", args=[conversion.pk]) in detail.content.decode()
    assert detail.context["identify_form"] is None

    before = state()
    again = client.post(url, {"on": "2026-11-17"})
    assert again.status_code == 400
    assert vi("This household business already has a conversion case.") in again.content.decode()
    assert state() == before


def test_a_candidate_picked_in_the_future_is_refused(conversions, login):
    response = login(conversions.officer).post(
        reverse("household_business_identify", args=[conversions.business.pk]), {"on": "2026-11-19"}
    )
    assert response.status_code == 400
    assert response.context["identify_form"].non_field_errors() == [vi("The date cannot be in the future.")]
    assert not Conversion.objects.exists()


# --- The admin ---------------------------------------------------------------------------------------------


def test_the_admin_lists_every_conversions_model_with_the_owners_numbers_masked(
    conversions, login, django_user_model
):
    case = conversions.registered()
    superuser = django_user_model.objects.create_superuser(
        "quantri-thu", "qt@example.vn", "mat-khau-quan-tri"
    )
    client = login(superuser)
    for model in (
        "householdbusiness",
        "householdbusinessimport",
        "conversion",
        "conversionstep",
        "followupvisit",
        "entitlementgrant",
        "outcomechange",
        "visitschedule",
    ):
        response = client.get(reverse(f"admin:conversions_{model}_changelist"))
        assert response.status_code == 200, model
    listing = client.get(reverse("admin:conversions_householdbusiness_changelist"), {"q": "keo dua"})
    national_id = conversions.business.owner.national_id
    assert MASKED_CCCD + national_id[-4:] in listing.content.decode()
    assert national_id not in listing.content.decode()
    assert listing.context["cl"].result_count == 1
    for name, pk in (("householdbusiness", conversions.business.pk), ("conversion", case.pk)):
        assert client.get(reverse(f"admin:conversions_{name}_change", args=[pk])).status_code == 200
