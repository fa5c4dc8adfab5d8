"""A draft is its applicant's, and the officer's who filed it at the desk, until it is filed.

To every other official it does not exist (``Dossier.objects.visible_to``): the dossier page, the
API, slips, document downloads, search, the queue's counts, the inquiry lists and the report section
leave it out, and asking for it answers 404. Once filed, everyone in scope sees it.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Applicant, Dossier, Inquiry
from dossiers.report_sections import DossierSection
from dossiers.services import dossiers as services
from portal import figures
from portal.models.people import today
from tests.dossiers.api_helpers import api
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)
from tests.dossiers.fixtures import Dossiers
from tests.dossiers.page_helpers import dossier_state
from tests.dossiers.test_api_dossier_reads import TOKEN_SIGNED_IN
from tests.dossiers.test_dossier_pages import QUEUE
from tests.factories import MembershipFactory, UserFactory
from tests.portal.test_query_counts import SIGNED_IN

Status = Dossier.Status
OTHER_OFFICIALS = ("council_member", "standing_officer", "district_officer", "fund_officer", "colleague")


def walk_in(world: Dossiers) -> Applicant:
    return Applicant.objects.create(
        full_name="Trương Thị Đến Quầy",
        national_id="083190009999",
        phone="0987000111",
        address="Ấp Hòa Khánh",
        unit=world.cast.units.commune,
        consent_at=timezone.now(),
    )


@pytest.fixture
def drafts(dossiers) -> tuple[Dossier, Dossier]:
    """The applicant's own draft, and the draft the commune officer filed at the desk for a walk-in."""
    own = dossiers.file(submit=False)
    desk = dossiers.file(applicant=walk_in(dossiers), by=dossiers.officer, channel="in_person", submit=False)
    return own, desk


def official(world: Dossiers, role: str):
    """One of the cast, or a colleague of the commune officer in the team that would handle the drafts."""
    if role == "colleague":
        return MembershipFactory(team=world.cast.teams.commune, user=UserFactory()).user
    return getattr(world.cast, role)


@pytest.mark.parametrize("role", OTHER_OFFICIALS)
def test_no_other_official_finds_a_draft(dossiers, drafts, login, role):
    user = official(dossiers, role)
    page, client = login(user), api(user)
    for draft in drafts:
        document = dossiers.live_use(draft).document_id if draft.filed_by_id == dossiers.officer.pk else None
        urls = [
            reverse("dossier_detail", args=[draft.pk]),
            reverse("dossier_slip", args=[draft.pk, "receipt"]),
            reverse("dossier_slip_docx", args=[draft.pk, "receipt"]),
            *([reverse("document_download", args=[document])] if document else []),
        ]
        assert [page.get(url).status_code for url in urls] == [404] * len(urls)
        for name in ("api:dossier-detail", "api:dossier-documents"):
            assert client.get(reverse(name, args=[draft.pk])).status_code == 404
        queue = page.get(reverse("dossier_list"), {"q": draft.code})
        assert list(queue.context["page"]) == []
        assert client.get(reverse("api:dossier-list"), {"q": draft.code}).json()["count"] == 0
    # The queue counts the filed dossier only, in its tab and in all.
    queue = page.get(reverse("dossier_list"))
    tabs = [(status, count) for status, _label, count in queue.context["status_tabs"]]
    assert (queue.context["total"], tabs) == (1, [(Status.NEW, 1)])


def test_a_draft_cannot_be_handed_on_and_nothing_changes(dossiers, drafts, login):
    before = dossier_state()
    response = login(dossiers.cast.standing_officer).post(
        reverse("dossier_reassign"), {"dossiers": [drafts[1].pk], "team": dossiers.cast.teams.district.pk}
    )
    assert response.status_code == 404
    assert dossier_state() == before


def test_the_applicant_and_the_officer_who_filed_see_their_own_drafts(dossiers, drafts, login):
    own, desk = drafts
    cast = dossiers.cast
    for user, mine, not_mine in ((cast.applicant, own, desk), (dossiers.officer, desk, own)):
        assert login(user).get(reverse("dossier_detail", args=[mine.pk])).status_code == 200
        assert api(user).get(reverse("api:dossier-detail", args=[mine.pk])).status_code == 200
        assert api(user).get(reverse("api:dossier-detail", args=[not_mine.pk])).status_code == 404
    download = reverse("document_download", args=[dossiers.live_use(desk).document_id])
    assert login(dossiers.officer).get(download).status_code == 200


def test_once_filed_the_draft_is_seen_in_scope(dossiers, drafts, login):
    desk = drafts[1]
    services.submit_dossier(dossier=desk, by=dossiers.officer)
    for role in ("council_member", "district_officer", "colleague"):
        assert (
            api(official(dossiers, role)).get(reverse("api:dossier-detail", args=[desk.pk])).status_code
            == 200
        )
    assert (
        api(dossiers.cast.other_commune_officer)
        .get(reverse("api:dossier-detail", args=[desk.pk]))
        .status_code
        == 404
    )


def test_an_obstacle_is_raised_on_a_filed_dossier_only(dossiers, drafts):
    before = dossier_state()
    response = api(dossiers.cast.applicant).post(
        reverse("api:inquiry-list"), {"dossier": drafts[0].pk, "question": "Mẫu nào?"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "File the dossier first: its handling team sees it, and can answer, once it is filed."
    )
    assert dossier_state() == before


def answered_inquiry(world: Dossiers, dossier: Dossier) -> Inquiry:
    """An answered obstacle written straight to the table, as an older version of the portal could."""
    now = timezone.now()
    return Inquiry.objects.create(
        dossier=dossier,
        raised_by=world.cast.applicant,
        question="Cần bản gốc không?",
        team=world.cast.teams.commune,
        reply_due=today() + datetime.timedelta(days=5),
        reply="Chỉ cần bản sao.",
        replied_at=now,
        replied_by=world.officer,
    )


def test_lists_and_the_report_section_leave_out_what_hangs_on_a_draft(dossiers, drafts):
    on_filed = answered_inquiry(dossiers, dossiers.dossier)
    answered_inquiry(dossiers, drafts[1])
    listed = api(dossiers.cast.council_member).get(reverse("api:inquiry-list")).json()["results"]
    assert [row["id"] for row in listed] == [on_filed.pk]
    figures.rebuild()  # the rows were written straight to the tables
    day = today()
    content = DossierSection().build(
        dossiers.cast.units.province,
        (day.replace(day=1), day),
        (datetime.date(2020, 1, 1), datetime.date(2020, 1, 31)),
    )
    answered = next(measure for measure in content["measures"] if measure["key"] == "inquiries_answered")
    assert answered["value"] == 1


def add_drafts(world: Dossiers, count: int) -> None:
    """``count`` drafts of the applicant, written in one go."""
    template = world.dossier
    Dossier.objects.bulk_create(
        Dossier(
            procedure=template.procedure,
            procedure_version=template.procedure_version,
            applicant=template.applicant,
            filed_by=template.filed_by,
            unit=template.unit,
            handling_team=template.handling_team,
            search_text=f"ban nhap {number}",
        )
        for number in range(count)
    )


N = 5


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_others_drafts_cost_an_officials_lists_nothing(dossiers, login, django_assert_num_queries, rows):
    add_drafts(dossiers, rows)
    client = login(dossiers.cast.standing_officer)
    with django_assert_num_queries(SIGNED_IN + QUEUE):
        queue = client.get(reverse("dossier_list"))
    assert [dossier.code for dossier in queue.context["page"]] == [dossiers.dossier.code]
    # The token's scope, then: the calendar, the paginator's count, the page of dossiers.
    client = api(dossiers.cast.standing_officer)
    with django_assert_num_queries(TOKEN_SIGNED_IN + 3):
        listed = client.get(reverse("api:dossier-list"))
    assert listed.json()["count"] == 1
