"""The loan-application pages: the role × route rows, what the borrower reads and does not, the
conflicted appraiser told why on the page, refusals at 400 with nothing changed, query strings that do
not parse, the dossier's links, and the queue's query count at N and 10×N.

``APPLICATION_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import pytest
from django.urls import reverse
from django.utils import translation

from dossiers.models import Dossier
from dossiers.selectors import links_of
from fund.models import Appraiser, LoanApplication, Score, SiteVisit, Status
from fund.services import applications
from portal.money import dong
from tests.conftest import Cast
from tests.fund.fixtures import *  # noqa: F403
from tests.fund.fixtures import fund_dossier, fund_world_for
from tests.portal.test_query_counts import SIGNED_IN
from tests.projects.fixtures import in_english
from tests.role_table import COMMUNE_READERS, Row, everyone

pytestmark = pytest.mark.django_db

READERS = COMMUNE_READERS | {"applicant": 200}
FUND_WRITERS = everyone(
    404,
    anonymous=302,
    council_member=403,
    standing_officer=403,
    district_officer=403,
    commune_officer=403,
    applicant=403,
    fund_officer=302,
)


def application_of(cast: Cast) -> LoanApplication:
    return fund_world_for(cast).application


def fresh_dossier(cast: Cast) -> Dossier:
    """A second fund-loan dossier of the applicant, without an application (once)."""
    world = fund_world_for(cast)
    if getattr(world, "_fresh", None) is None:
        world._fresh = fund_dossier(world.shop, world.officer)
    return world._fresh


def page(name: str):
    return lambda cast: reverse(name, args=[application_of(cast).pk])


APPLICATION_ROWS = {
    "application_list": Row(
        "get",
        lambda cast: (application_of(cast), reverse("application_list"))[1],
        everyone(200, anonymous=302),
    ),
    "application_detail": Row("get", page("application_detail"), READERS),
    "application_new": Row(
        "get",
        lambda cast: f"{reverse('application_new')}?dossier={fresh_dossier(cast).pk}",
        COMMUNE_READERS
        | {"applicant": 200, "council_member": 403, "standing_officer": 403, "district_officer": 403}
        | {"commune_officer": 403},
    ),
    "application_assign": Row(
        "post",
        page("application_assign"),
        FUND_WRITERS,
        data=lambda cast: {"user": fund_world_for(cast).checker.pk},
    ),
    "application_visit": Row(
        "post",
        page("application_visit"),
        FUND_WRITERS,
        data=lambda cast: {"visited_on": "2026-11-17", "findings": "Xưởng đang hoạt động"},
    ),
    "application_refuse": Row(
        "post", page("application_refuse"), FUND_WRITERS, data=lambda cast: {"reason": "Không khả thi"}
    ),
    # Not scored yet: the fund's officer gets the page again with the refusal.
    "application_recommend": Row(
        "post",
        page("application_recommend"),
        FUND_WRITERS | {"fund_officer": 400},
        data=lambda cast: {"recommendation": "refuse", "note": "Không"},
    ),
    # Only the appraiser declares and scores: the fund's officer is not one here.
    "application_declare": Row(
        "post",
        page("application_declare"),
        FUND_WRITERS | {"fund_officer": 403},
        data=lambda cast: {"conflict": "no"},
    ),
    "application_score": Row("post", page("application_score"), FUND_WRITERS | {"fund_officer": 403}),
}


def state() -> tuple:
    return (
        list(LoanApplication.objects.order_by("pk").values_list("status", flat=True)),
        Appraiser.objects.count(),
        list(Appraiser.objects.values_list("declaration", flat=True)),
        Score.objects.count(),
        SiteVisit.objects.count(),
    )


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(APPLICATION_ROWS))
def test_role_gets_the_expected_answer(cast, login, media_root, role, route_name):
    row = APPLICATION_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- The appraisal through the page --------------------------------------------------------------------


def test_a_conflicted_appraiser_is_shown_why_they_cannot_score(fund_world, login):
    appraiser = applications.assign_appraiser(
        application=fund_world.application, user=fund_world.checker, by=fund_world.officer
    )
    client = in_english(login(fund_world.checker))
    response = client.post(
        reverse("application_declare", args=[fund_world.application.pk]),
        {"conflict": "yes", "note": "Anh họ của người vay"},
    )
    assert response.status_code == 302
    appraiser.refresh_from_db()
    assert appraiser.declaration == "conflict"
    page = client.get(reverse("application_detail", args=[fund_world.application.pk]))
    assert "cannot score: a conflict of interest was declared (Anh họ của người vay)" in page.content.decode()
    assert "score" not in page.context["forms"]
    refused = client.post(
        reverse("application_score", args=[fund_world.application.pk]),
        {f"score_{criterion.pk}": "8" for criterion in fund_world.regulation.criteria.all()},
    )
    assert refused.status_code == 400
    assert "You cannot score: a conflict of interest was declared" in refused.content.decode()
    assert not Score.objects.exists()


def test_scores_through_the_page_and_the_weighted_total_shown(fund_world, login):
    applications.assign_appraiser(
        application=fund_world.application, user=fund_world.checker, by=fund_world.officer
    )
    client = in_english(login(fund_world.checker))
    url = reverse("application_declare", args=[fund_world.application.pk])
    assert client.post(url, {"conflict": "no"}).status_code == 302
    criteria = list(fund_world.regulation.criteria.all())
    scores = dict(zip([c.pk for c in criteria], ["7", "8", "6", "9"], strict=True))
    too_high = {f"score_{pk}": "11" if pk == criteria[0].pk else value for pk, value in scores.items()}
    score_url = reverse("application_score", args=[fund_world.application.pk])
    assert client.post(score_url, too_high).status_code == 400
    assert not Score.objects.exists()
    assert client.post(score_url, {f"score_{pk}": value for pk, value in scores.items()}).status_code == 302
    page = client.get(reverse("application_detail", args=[fund_world.application.pk]))
    assert "weighted total 73/100" in page.content.decode()
    assert page.context["weighted_score"] == 73


def test_a_recommendation_above_a_cap_comes_back_with_the_rule(fund_world, login):
    appraiser = applications.assign_appraiser(
        application=fund_world.application, user=fund_world.checker, by=fund_world.officer
    )
    applications.declare(appraiser=appraiser, by=fund_world.checker, conflict=False)
    applications.score(
        appraiser=appraiser,
        by=fund_world.checker,
        scores={c.pk: (7, "") for c in fund_world.regulation.criteria.all()},
    )
    applications.record_site_visit(
        application=fund_world.application,
        by=fund_world.officer,
        visited_on=fund_world.application.filed_on,
        findings="Xưởng sạch",
    )
    response = in_english(login(fund_world.officer)).post(
        reverse("application_recommend", args=[fund_world.application.pk]),
        {"recommendation": "lend", "amount": "250000000", "note": "Cho vay"},
    )
    assert response.status_code == 400
    assert "Điều 7 khoản 3" in response.content.decode()
    fund_world.application.refresh_from_db()
    assert fund_world.application.status == Status.APPRAISING


def test_the_borrower_reads_status_stages_and_amounts_never_scores(fund_world, login):
    appraiser = applications.assign_appraiser(
        application=fund_world.application, user=fund_world.checker, by=fund_world.officer
    )
    applications.declare(appraiser=appraiser, by=fund_world.checker, conflict=False)
    applications.score(
        appraiser=appraiser,
        by=fund_world.checker,
        scores={c.pk: (7, "Ghi chú nội bộ của tổ thẩm định") for c in fund_world.regulation.criteria.all()},
    )
    response = in_english(login(fund_world.cast.applicant)).get(
        reverse("application_detail", args=[fund_world.application.pk])
    )
    text = response.content.decode()
    assert response.status_code == 200
    with translation.override("en"):
        amount = dong(120_000_000)
    assert "Being appraised" in text and "26/11/2026" in text and amount in text
    assert "Ghi chú nội bộ" not in text and "Trương Văn Kiểm" not in text
    assert response.context["forms"] == {} and response.context["appraisers"] == []


def test_the_rules_are_shown_item_by_item_with_their_article(fund_world, login):
    response = in_english(login(fund_world.cast.council_member)).get(
        reverse("application_detail", args=[fund_world.application.pk])
    )
    checks = {check.rule: (check.passed, check.article) for check in response.context["checks"]}
    assert checks["absolute_cap"] == (True, "Điều 7 khoản 1")
    assert 'data-rule="project_cost_share"' in response.content.decode()
    assert response.context["forms"] == {}  # the council reads; it appraises nothing


# --- Query strings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=abc",
        "page=99999999999",
        "status=lost",
        "fund=x",
        "fund=99999999",
        "late=2",
        f"q={'x' * 101}",
    ],
)
def test_a_queue_query_that_does_not_parse_is_400(fund_world, login, query):
    response = login(fund_world.officer).get(f"{reverse('application_list')}?{query}")
    assert response.status_code == 400


@pytest.mark.parametrize("query", ["", "dossier=abc", "dossier=0", "dossier=٣", f"dossier={2**63}"])
def test_a_new_application_without_a_dossier_that_parses_is_400(fund_world, login, query):
    response = login(fund_world.cast.applicant).get(f"{reverse('application_new')}?{query}")
    assert response.status_code == 400


def test_the_queue_filters_by_status_search_and_late(fund_world, login, set_today):
    client = login(fund_world.officer)
    url = reverse("application_list")
    assert [a.pk for a in client.get(url, {"q": fund_world.dossier.code}).context["rows"]] == [
        fund_world.application.pk
    ]
    assert client.get(url, {"q": "bui van nop"}).context["rows"] == [fund_world.application]
    assert client.get(url, {"status": "refused"}).context["rows"] == []
    assert client.get(url, {"late": "1"}).context["rows"] == []
    set_today(fund_world.application.filed_on.replace(day=30))
    late = login(fund_world.officer).get(url, {"late": "1"})
    assert late.context["rows"] == [fund_world.application]
    assert "late" in late.content.decode()


def test_the_borrower_sees_the_phone_masked_outside_the_fund(fund_world, login):
    row = login(fund_world.cast.commune_officer).get(reverse("application_list")).context["rows"][0]
    assert row.borrower_phone.startswith("•")
    row = login(fund_world.officer).get(reverse("application_list")).context["rows"][0]
    assert row.borrower_phone == fund_world.dossier.applicant.phone


# --- A new application through the page ---------------------------------------------------------------


def test_the_applicant_files_the_application_from_the_dossiers_link(fund_world, login):
    dossier = fund_dossier(fund_world.shop, fund_world.officer)
    user = fund_world.cast.applicant
    with translation.override("en"):
        link = links_of(user, [dossier.pk])[dossier.pk]
    assert link == [("Fill in the loan application", f"{reverse('application_new')}?dossier={dossier.pk}")]
    data = {
        "fund": fund_world.fund.pk,
        "sector": "C",
        "first_startup": "on",
        "project_cost": "400000000",
        "amount": "100000000",
        "term_months": "24",
        "grace_months": "0",
        "purpose": "Mua máy",
    }
    client = login(user)
    assert client.post(link[0][1], data | {"grace_months": "24"}).status_code == 400
    assert not LoanApplication.objects.filter(dossier=dossier).exists()
    response = client.post(link[0][1], data)
    application = LoanApplication.objects.get(dossier=dossier)
    assert response["Location"] == reverse("application_detail", args=[application.pk])
    with translation.override("en"):
        assert links_of(user, [dossier.pk])[dossier.pk] == [("Loan application", response["Location"])]
    assert links_of(fund_world.cast.other_commune_officer, [dossier.pk]) == {}


# --- Query counts ----------------------------------------------------------------------------------------


def more_applications(world, count: int) -> None:
    dossier = world.dossier
    for _ in range(count):
        twin = Dossier.objects.create(
            procedure=dossier.procedure,
            procedure_version=dossier.procedure_version,
            applicant=dossier.applicant,
            filed_by=dossier.filed_by,
            unit=dossier.unit,
            status=Dossier.Status.RECEIVED,
            submitted_at=dossier.submitted_at,
        )
        LoanApplication.objects.create(
            dossier=twin,
            fund=world.fund,
            regulation=world.regulation,
            unit=twin.unit,
            sector="C",
            project_cost=400_000_000,
            amount=100_000_000,
            term_months=24,
            purpose="Mua máy",
            filed_on=world.application.filed_on,
        )


N = 3


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_the_queue_costs_the_same_at_n_and_10n(fund_world, login, django_assert_num_queries, rows):
    more_applications(fund_world, rows)
    client = login(fund_world.officer)
    # The funds run by the reader, the count, the page of applications (dossier, applicant, fund,
    # regulation and first release joined), the calendar, the funds of the filter.
    with django_assert_num_queries(SIGNED_IN + 5):
        response = client.get(reverse("application_list"))
    assert len(response.context["rows"]) == rows + 1
