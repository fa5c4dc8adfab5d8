"""The policy library, the eligibility checker and the programme pages: public, built from the data."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from dossiers import catalogue
from dossiers.models import Procedure, Requirement
from policies import catalogue as policy_catalogue
from policies.models import Entitlement, PolicyDocument
from portal.catalogue import load_reference_data
from tests.conftest import Cast
from tests.role_table import Row, everyone

# Anyone may open these, signed in or not: the library is public programme information (laws,
# decrees and the programme's own documents), the checker reads rules and stores nothing typed into
# it, and the programme pages are how the public learns what it may ask for before having an account.
PUBLIC_POLICY_ROUTES = {
    "policy_list",
    "policy_detail",
    "policy_file",
    "eligibility_check",
    "programme_home",
    "programme_audience",
}


def first_document(cast: Cast) -> int:
    return PolicyDocument.objects.get(number=policy_catalogue.SME_LAW).pk


def document_with_file(cast: Cast) -> int:
    document = PolicyDocument.objects.get(number=policy_catalogue.FUND_REGULATION)
    document.file = SimpleUploadedFile("quy-che-quy.pdf", b"%PDF-1.4 quy che", content_type="application/pdf")
    document.save(update_fields=["file"])
    return document.pk


POLICY_ROWS: dict[str, Row] = {
    "policy_list": Row("get", lambda cast: reverse("policy_list"), everyone(200)),
    "policy_detail": Row(
        "get", lambda cast: reverse("policy_detail", args=[first_document(cast)]), everyone(200)
    ),
    "policy_file": Row(
        "get", lambda cast: reverse("policy_file", args=[document_with_file(cast)]), everyone(200)
    ),
    "eligibility_check": Row(
        "get",
        lambda cast: reverse("eligibility_check"),
        everyone(200),
        lambda cast: {"audience": "household_business", "is_registered_household_business": "on"},
    ),
    "programme_home": Row("get", lambda cast: reverse("programme_home"), everyone(200)),
    "programme_audience": Row(
        "get", lambda cast: reverse("programme_audience", args=["household_business"]), everyone(200)
    ),
}


@pytest.fixture
def library(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    load_reference_data()
    return cast


@pytest.fixture(autouse=True)
def in_english():
    """The new msgids have no Vietnamese yet; assert on the msgids."""
    with translation.override("en"):
        yield


def test_the_rows_cover_exactly_the_public_routes():
    assert set(POLICY_ROWS) == PUBLIC_POLICY_ROUTES


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(POLICY_ROWS))
def test_role_gets_the_expected_answer(library, login, role, route_name):
    row = POLICY_ROWS[route_name]
    response = getattr(login(getattr(library, role)), row.method)(row.url(library), row.data(library))
    assert response.status_code == row.expected[role], f"{role} {row.url(library)}"


@pytest.mark.parametrize(
    "query", ["ho tro doanh nghiep nho", "HỖ TRỢ DOANH NGHIỆP NHỎ", "hỗ trợ doanh nghiep nhỏ"]
)
def test_search_ignores_case_and_diacritics(library, client, query):
    response = client.get(reverse("policy_list"), {"q": query})
    assert sorted(document.number for document in response.context["page"]) == [
        "04/2017/QH14",
        "80/2021/NĐ-CP",
    ]


def test_filters_by_kind_tag_and_day(library, client):
    laws = client.get(reverse("policy_list"), {"kind": "law"})
    assert [document.number for document in laws.context["page"]] == [
        "91/2025/QH15",
        "59/2020/QH14",
        "04/2017/QH14",
    ]
    fee = client.get(reverse("policy_list"), {"tag": "môn bài"})
    assert [document.number for document in fee.context["page"]] == [
        "198/2025/QH15",
        "04/2017/QH14",
        "139/2016/NĐ-CP",
    ]
    in_2020 = client.get(reverse("policy_list"), {"in_force_on": "2020-06-01"})
    assert [document.number for document in in_2020.context["page"]] == ["04/2017/QH14", "139/2016/NĐ-CP"]


def test_an_expired_document_is_marked_and_links_to_what_replaced_it(library, client):
    decree = PolicyDocument.objects.get(number="139/2016/NĐ-CP")
    resolution = PolicyDocument.objects.get(number="198/2025/QH15")
    page = client.get(reverse("policy_list"), {"q": "139/2016"}).content.decode()
    assert "hết hiệu lực" in page
    assert f'href="{reverse("policy_detail", args=[resolution.pk])}">198/2025/QH15</a>' in page
    detail = client.get(reverse("policy_detail", args=[decree.pk])).content.decode()
    assert "hết hiệu lực" in detail
    law = client.get(reverse("policy_list"), {"q": "04/2017"}).content.decode()
    assert "hết hiệu lực" not in law


def test_the_detail_shows_procedures_replacements_and_supports(library, client):
    resolution = PolicyDocument.objects.get(number="198/2025/QH15")
    response = client.get(reverse("policy_detail", args=[resolution.pk]))
    assert [document.number for document in response.context["replaces"]] == ["139/2016/NĐ-CP"]
    assert [procedure.code for procedure in response.context["procedures"]] == [catalogue.CONVERSION_SUPPORT]
    law = client.get(reverse("policy_detail", args=[PolicyDocument.objects.get(number="04/2017/QH14").pk]))
    assert sorted(entitlement.code for entitlement, _ in law.context["entitlements"]) == [
        "mien-le-phi-dang-ky-lan-dau",
        "mien-le-phi-mon-bai-3-nam",
        "tu-van-ho-so-chuyen-doi",
    ]


def test_the_file_is_an_attachment_that_is_not_sniffed(library, client):
    pk = document_with_file(library)
    response = client.get(reverse("policy_file", args=[pk]))
    assert response["Content-Disposition"] == 'attachment; filename="quy-che-quy.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 quy che"


def test_a_document_without_a_file_has_no_download(library, client):
    response = client.get(reverse("policy_file", args=[first_document(library)]))
    assert response.status_code == 404


def test_the_checker_answers_with_reasons_documents_and_procedures(library, client):
    response = client.get(
        reverse("eligibility_check"),
        {
            "audience": "household_business",
            "is_registered_household_business": "on",
            "months_operating": "12",
            "on": "2025-12-31",
        },
    )
    assert sorted(result.entitlement.code for result in response.context["results"] if result.applies) == [
        "mien-le-phi-dang-ky-lan-dau",
        "mien-le-phi-mon-bai-3-nam",
        "tu-van-ho-so-chuyen-doi",
        "tu-van-thue-ke-toan-3-nam",
    ]
    page = response.content.decode()
    assert "số tháng hộ kinh doanh đã hoạt động: ít nhất 12 tháng" in page
    assert reverse("programme_audience", args=["household_business"]) in page


def test_the_checker_defaults_to_today_and_refuses_a_bad_day(library, client):
    today = client.get(reverse("eligibility_check"), {"audience": "poor_household"})
    assert today.context["form"].cleaned_data["on"] == timezone.localdate()
    bad = client.get(reverse("eligibility_check"), {"audience": "poor_household", "on": "31/31/2025"})
    assert (bad.status_code, bad.context["results"]) == (400, None)


def test_the_audience_page_is_built_from_the_data(library, client):
    url = reverse("programme_audience", args=["household_business"])
    page = client.get(url)
    assert [entitlement.code for entitlement, _ in page.context["entitlements"]] == [
        "mien-le-phi-dang-ky-lan-dau",
        "tu-van-ho-so-chuyen-doi",
        "tu-van-thue-ke-toan-3-nam",
    ]
    ((procedure, version, _requirements),) = page.context["procedures"]
    assert (procedure.code, version.number) == (catalogue.CONVERSION_SUPPORT, 2)
    assert "Chứng từ nộp lệ phí môn bài" not in page.content.decode()

    Entitlement.objects.filter(code="tu-van-ho-so-chuyen-doi").update(
        name="Tư vấn hồ sơ tại nhà", conditions=[{"fact": "months_operating", "op": ">=", "value": 6}]
    )
    Requirement.objects.filter(version=version, document_kind__code="bao-cao-tai-chinh").delete()
    changed = client.get(url).content.decode()
    assert "Tư vấn hồ sơ tại nhà" in changed
    assert "số tháng hộ kinh doanh đã hoạt động: ít nhất 6 tháng" in changed
    assert "Báo cáo tài chính/sổ sách kế toán" not in changed


def test_a_closed_procedure_leaves_the_page(library, client):
    Procedure.objects.filter(code=catalogue.POVERTY_ESCAPE).update(is_open=False)
    page = client.get(reverse("programme_audience", args=["poor_household"]))
    assert page.context["procedures"] == []


def test_an_unknown_audience_is_not_found(library, client):
    assert client.get(reverse("programme_audience", args=["farmers"])).status_code == 404


N = 5


def add_documents(count: int) -> None:
    for index in range(count):
        PolicyDocument.objects.create(
            number=f"{index}/2024/QĐ-UBND",
            kind=PolicyDocument.Kind.DECISION,
            title=f"Quyết định số {index}",
            issuer="Ủy ban nhân dân tỉnh",
            signed_on=datetime.date(2024, 1, 1),
            effective_from=datetime.date(2024, 1, 1),
            expires_on=datetime.date(2025, 1, 1),
            summary="Ví dụ.",
            replaced_by=PolicyDocument.objects.order_by("pk").first(),
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_page_query_count_for_an_anonymous_visitor(library, client, django_assert_num_queries, rows):
    add_documents(rows)
    # An anonymous visitor has no session to read or save: 1 count for the paginator,
    # 2 the page of documents with what replaced them.
    with django_assert_num_queries(2):
        response = client.get(reverse("policy_list"))
    assert len(response.context["page"]) == min(50, rows + 9)


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_list_page_query_count_signed_in(library, login, django_assert_num_queries, rows):
    from tests.portal.test_query_counts import SIGNED_IN

    add_documents(rows)
    client = login(library.council_member)
    # The signed-in page's 9 (tests/portal/test_query_counts.py), then 1 count for the paginator,
    # 2 the page of documents with what replaced them.
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("policy_list"))
    assert response.status_code == 200
