"""The success models' pages: the role × route rows, the council's decision (the standing agency cannot
confirm: 403), a declined model needs a note, photos checked by content and served by scope or to
anyone once published, replications recorded by the keepers and counted by model and by commune
across the 2025 reform, the public page (only published models, no personal data), and query counts.

``MODEL_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py);
``PUBLIC_MODEL_ROUTES`` the routes an anonymous visitor may open (tests/portal/test_anonymous.py).
"""

import datetime

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from dossiers.services.applicants import Person
from portal.models import AuditRecord, User
from projects.models import ModelPhoto, Project, SuccessModel
from projects.services import showcase
from projects.services.projects import move_stage, register_project
from tests.conftest import Cast
from tests.conversions.survival_cases import reform
from tests.dossiers.fixtures import PDF_BYTES
from tests.portal.test_query_counts import SIGNED_IN
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import (
    in_english,
    projects_for,
)
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 18)
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
REVENUE = 1_234_000_000
PUBLIC_MODEL_ROUTES = {"public_models"}


def vi(message: str) -> str:
    with translation.override("vi"):
        return gettext(message)


FIRST_DAY = D(2024, 1, 10)


def operating(cast: Cast, name: str, cccd: str, *, unit=None, by=None, on: datetime.date = FIRST_DAY):
    """A household business registered on ``on`` and operating two months later."""
    by = by or cast.commune_officer
    project = register_project(
        by=by,
        founders=[Person(full_name=f"Chủ {name}", national_id=cccd)],
        address="Ấp 2",
        on=on,
        name=name,
        kind="household_business",
        sector="A",
        unit=unit or cast.units.commune,
        stage="plan",
        workers=3,
        jobs_created=2,
    )
    move_stage(project=project, to="started", by=by, on=on + datetime.timedelta(days=30))
    return move_stage(project=project, to="operating", by=by, on=on + datetime.timedelta(days=60))


def propose(cast: Cast, project: Project, *, consent: bool = False, title: str | None = None) -> SuccessModel:
    return showcase.propose_model(
        project=project,
        by=cast.standing_officer,
        on=TODAY,
        title=title or project.name,
        yearly_revenue=REVENUE,
        jobs=2,
        years_operating=3,
        evidence="Doanh thu tăng đều ba năm; 2 lao động nữ có việc làm ổn định.",
        public_consent=consent,
    )


def confirm(cast: Cast, model: SuccessModel) -> SuccessModel:
    return showcase.decide_model(model=model, by=cast.council_member, confirm=True, on=TODAY)


def proven(cast: Cast) -> Project:
    """The startup, operating since 01/06/2025 (built on first use)."""
    shared = projects_for(cast)
    if not hasattr(shared, "proven"):
        officer = cast.commune_officer
        move_stage(project=shared.startup, to="started", by=officer, on=D(2024, 6, 1))
        shared.proven = move_stage(project=shared.startup, to="operating", by=officer, on=D(2025, 6, 1))
    return shared.proven


def proposed(cast: Cast) -> SuccessModel:
    shared = projects_for(cast)
    if not hasattr(shared, "model"):
        shared.model = propose(cast, proven(cast), title="Trà mãng cầu sấy lạnh")
    return shared.model


def photo_of(cast: Cast) -> ModelPhoto:
    shared = projects_for(cast)
    if not hasattr(shared, "photo"):
        shared.photo = showcase.add_photo(
            model=proposed(cast), by=cast.standing_officer, upload=SimpleUploadedFile("vuon.png", PNG_BYTES)
        )
    return shared.photo


def confirmed(cast: Cast) -> SuccessModel:
    shared = projects_for(cast)
    if not hasattr(shared, "confirmed"):
        shared.confirmed = confirm(cast, proposed(cast))
    return shared.confirmed


def later(cast: Cast) -> Project:
    """A project of the commune registered 01/08/2025, after the model's (built on first use)."""
    shared = projects_for(cast)
    if not hasattr(shared, "later"):
        shared.later = register_project(
            by=cast.commune_officer,
            founders=[Person(full_name="Ngô Văn Học Theo", national_id="083190001001")],
            address="Ấp Sơn Quy",
            on=D(2025, 8, 1),
            name="Trà mãng cầu Ấp Sơn Quy",
            kind="household_business",
            sector="C",
            unit=cast.units.commune,
            stage="plan",
        )
    return shared.later


def state():
    return (
        AuditRecord.objects.count(),
        sorted(SuccessModel.objects.values_list("pk", "status", "decision_note", "public_consent")),
        ModelPhoto.objects.count(),
        sorted(Project.objects.filter(replicates__isnull=False).values_list("pk", "replicates_id")),
    )


# Who reads the startup and its model: the province-wide roles, the district, the commune and its founder.
READERS = everyone(
    404,
    anonymous=302,
    council_member=200,
    standing_officer=200,
    fund_officer=200,
    district_officer=200,
    commune_officer=200,
    applicant=200,
)


def only(status: int, *roles: str, readers: dict[str, int] = READERS) -> dict[str, int]:
    """``roles`` get ``status``; the other readers 403; who does not read it 404 (anonymous 302)."""
    return {role: 403 if answer == 200 else answer for role, answer in readers.items()} | dict.fromkeys(
        roles, status
    )


# The later project has another founder: the cast's applicant does not read it.
LATER_READERS = READERS | {"applicant": 404}
KEEPERS = ("standing_officer", "district_officer", "commune_officer")

MODEL_ROWS: dict[str, Row] = {
    "model_list": Row("get", lambda cast: reverse("model_list"), everyone(200, anonymous=302)),
    "model_detail": Row("get", lambda cast: reverse("model_detail", args=[proposed(cast).pk]), READERS),
    # The council decides; the standing agency that proposed it does not.
    "model_decide": Row(
        "post",
        lambda cast: reverse("model_decide", args=[proposed(cast).pk]),
        only(302, "council_member"),
        data=lambda cast: {"decision": "confirm"},
    ),
    "model_photo_new": Row(
        "get",
        lambda cast: reverse("model_photo_new", args=[proposed(cast).pk]),
        only(200, "standing_officer"),
    ),
    "model_photo_new:post": Row(
        "post",
        lambda cast: reverse("model_photo_new", args=[proposed(cast).pk]),
        only(302, "standing_officer"),
        data=lambda cast: {"file": SimpleUploadedFile("ao-ca.png", PNG_BYTES), "caption": "Ao cá"},
    ),
    # Not published: to who reads the project; an anonymous visitor is asked to sign in.
    "model_photo": Row(
        "get", lambda cast: reverse("model_photo", args=[proposed(cast).pk, photo_of(cast).pk]), READERS
    ),
    "model_propose": Row(
        "get", lambda cast: reverse("model_propose", args=[proven(cast).pk]), only(200, "standing_officer")
    ),
    "model_propose:post": Row(
        "post",
        lambda cast: reverse("model_propose", args=[proven(cast).pk]),
        only(302, "standing_officer"),
        data=lambda cast: {
            "title": "Trà mãng cầu sấy lạnh",
            "yearly_revenue": "850000000",
            "jobs": "4",
            "years_operating": "2",
            "evidence": "Bán ở 3 siêu thị trong tỉnh.",
        },
    ),
    "project_replicates": Row(
        "get",
        lambda cast: reverse("project_replicates", args=[later(cast).pk]),
        only(200, *KEEPERS, readers=LATER_READERS),
    ),
    "project_replicates:post": Row(
        "post",
        lambda cast: reverse("project_replicates", args=[later(cast).pk]),
        only(302, *KEEPERS, readers=LATER_READERS),
        data=lambda cast: {"model": confirmed(cast).pk, "on": TODAY.isoformat()},
    ),
    "public_models": Row("get", lambda cast: reverse("public_models"), everyone(200)),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(MODEL_ROWS))
def test_role_gets_the_expected_answer(cast, login, media_root, role, route_name):
    row = MODEL_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"
    if row.method == "post" and response.status_code == 302 and role != "anonymous":
        assert state() != before, "an accepted write changed nothing"


# --- Proposal and decision ----------------------------------------------------------------------------------


def test_the_standing_agency_proposes_and_the_council_confirms(projects, login):
    project = proven(projects.cast)
    client = login(projects.cast.standing_officer)
    response = client.post(
        reverse("model_propose", args=[project.pk]),
        {
            "title": "Trà mãng cầu sấy lạnh",
            "yearly_revenue": "850000000",
            "jobs": "4",
            "years_operating": "2",
            "evidence": "Bán ở 3 siêu thị trong tỉnh.",
            "public_consent": "on",
        },
    )
    model = SuccessModel.objects.get()
    assert response["Location"] == reverse("model_detail", args=[model.pk])
    assert (
        model.status,
        model.yearly_revenue,
        model.jobs,
        model.public_consent,
        model.consent_recorded_on,
    ) == (
        "proposed",
        850_000_000,
        4,
        True,
        TODAY,
    )
    # The standing agency may not confirm its own proposal.
    before = state()
    assert client.post(reverse("model_decide", args=[model.pk]), {"decision": "confirm"}).status_code == 403
    assert state() == before
    assert client.get(reverse("model_detail", args=[model.pk])).context["decide_form"] is None

    council = login(projects.cast.council_member)
    assert council.get(reverse("model_detail", args=[model.pk])).context["decide_form"] is not None
    response = council.post(
        reverse("model_decide", args=[model.pk]), {"decision": "confirm", "note": "Nhân rộng"}
    )
    assert response["Location"] == reverse("model_detail", args=[model.pk])
    model.refresh_from_db()
    assert (model.status, model.decided_by, model.decided_on, model.decision_note) == (
        "confirmed",
        projects.cast.council_member,
        TODAY,
        "Nhân rộng",
    )
    # Decided once: a second decision is refused, with its message, on the same page.
    before = state()
    again = council.post(reverse("model_decide", args=[model.pk]), {"decision": "decline", "note": "Đổi ý"})
    assert again.status_code == 400
    assert again.context["refusals"] == [vi("This model has already been decided.")]
    assert state() == before


def test_a_declined_model_needs_a_note(projects, login):
    model = proposed(projects.cast)
    client = login(projects.cast.council_member)
    before = state()
    refused = client.post(reverse("model_decide", args=[model.pk]), {"decision": "decline", "note": "  "})
    assert refused.status_code == 400
    assert refused.context["decide_form"].non_field_errors() == [vi("Say why the model is not confirmed.")]
    assert state() == before
    response = client.post(
        reverse("model_decide", args=[model.pk]), {"decision": "decline", "note": "Chưa đủ 3 năm hoạt động"}
    )
    assert response.status_code == 302
    model.refresh_from_db()
    assert (model.status, model.decision_note) == ("declined", "Chưa đủ 3 năm hoạt động")


def test_a_project_not_yet_operating_cannot_be_proposed(projects, login):
    before = state()
    response = login(projects.cast.standing_officer).post(
        reverse("model_propose", args=[projects.startup.pk]),
        {"title": "Trà", "yearly_revenue": "1", "jobs": "1", "years_operating": "1", "evidence": "Tốt"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        vi("Only an operating or growing project can be a model.")
    ]
    assert state() == before


@pytest.mark.parametrize("revenue", ["-5", "1,5", "٣", "99999999999999999999999"])
def test_a_revenue_that_is_not_whole_dong_is_a_400(projects, login, revenue):
    project = proven(projects.cast)
    before = state()
    response = login(projects.cast.standing_officer).post(
        reverse("model_propose", args=[project.pk]),
        {"title": "Trà", "yearly_revenue": revenue, "jobs": "1", "years_operating": "1", "evidence": "Tốt"},
    )
    assert response.status_code == 400
    assert "yearly_revenue" in response.context["form"].errors
    assert state() == before


def test_the_project_page_offers_the_proposal_to_the_standing_agency_only(projects, login):
    project = proven(projects.cast)
    url = reverse("project_detail", args=[project.pk])
    propose_url = reverse("model_propose", args=[project.pk])
    assert propose_url in login(projects.cast.standing_officer).get(url).content.decode()
    assert propose_url not in login(projects.cast.commune_officer).get(url).content.decode()
    model = proposed(projects.cast)
    html = login(projects.cast.council_member).get(url).content.decode()
    assert reverse("model_detail", args=[model.pk]) in html
    assert propose_url not in html


# --- Photos -------------------------------------------------------------------------------------------------


def test_a_photo_is_checked_by_its_content(projects, login):
    model = proposed(projects.cast)
    client = login(projects.cast.standing_officer)
    url = reverse("model_photo_new", args=[model.pk])
    before = state()
    for name, content in (("anh.jpg", PDF_BYTES), ("anh.png", b"not an image at all")):
        response = client.post(url, {"file": SimpleUploadedFile(name, content)})
        assert response.status_code == 400, name
        assert state() == before
    response = client.post(url, {"file": SimpleUploadedFile("vuon-tra.png", PNG_BYTES), "caption": "Vườn"})
    assert response.status_code == 302
    photo = ModelPhoto.objects.get()
    assert (photo.model, photo.original_name, photo.caption) == (model, "vuon-tra.png", "Vườn")


def test_a_photo_is_public_once_the_model_is_published(projects, login, client):
    photo = photo_of(projects.cast)
    url = reverse("model_photo", args=[photo.model_id, photo.pk])
    client.logout()
    assert client.get(url).status_code == 302
    assert login(projects.cast.other_commune_officer).get(url).status_code == 404
    reader = login(projects.cast.commune_officer).get(url)
    assert (reader.status_code, reader["Content-Type"], reader["Cache-Control"]) == (
        200,
        "image/png",
        "private, no-store",
    )
    assert b"".join(reader.streaming_content) == PNG_BYTES
    # Confirmed without the founder's consent: still not public.
    confirmed(projects.cast)
    client.logout()
    assert client.get(url).status_code == 302
    SuccessModel.objects.filter(pk=photo.model_id).update(public_consent=True, consent_recorded_on=TODAY)
    response = client.get(url)
    assert (response.status_code, response["Content-Type"], response["X-Content-Type-Options"]) == (
        200,
        "image/png",
        "nosniff",
    )
    assert response["Cache-Control"] == "public, max-age=3600"
    assert login(projects.cast.other_commune_officer).get(url).status_code == 200
    # Another model's id in the address names no photo.
    wrong = reverse("model_photo", args=[photo.model_id + 1, photo.pk])
    assert login(projects.cast.council_member).get(wrong).status_code == 404


# --- Replications -------------------------------------------------------------------------------------------


def test_the_keepers_record_a_replication(projects, login):
    model = confirmed(projects.cast)
    project = later(projects.cast)
    client = login(projects.cast.commune_officer)
    page = client.get(reverse("project_replicates", args=[project.pk]))
    assert list(page.context["form"].fields["model"].queryset) == [model]
    response = client.post(
        reverse("project_replicates", args=[project.pk]), {"model": model.pk, "on": "2026-01-05"}
    )
    assert response["Location"] == reverse("project_detail", args=[project.pk])
    project.refresh_from_db()
    assert (project.replicates, project.replicates_since) == (model, D(2026, 1, 5))
    html = in_english(client).get(reverse("project_detail", args=[project.pk])).content.decode()
    assert "Replicates the model" in html
    assert model.title in html
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # back to Vietnamese
    # Once is enough.
    before = state()
    again = client.post(
        reverse("project_replicates", args=[project.pk]), {"model": model.pk, "on": "2026-01-05"}
    )
    assert again.status_code == 400
    assert again.context["form"].non_field_errors() == [vi("This project already replicates a model.")]
    assert state() == before


def test_a_proposed_model_cannot_be_replicated(projects, login):
    model, project = proposed(projects.cast), later(projects.cast)
    before = state()
    response = login(projects.cast.commune_officer).post(
        reverse("project_replicates", args=[project.pk]), {"model": model.pk, "on": "2026-01-05"}
    )
    assert response.status_code == 400
    assert "model" in response.context["form"].errors  # not among the choices: only confirmed models are
    assert state() == before


def test_replications_count_by_model_and_by_commune_across_the_reform(projects, login):
    cast = projects.cast
    nursery = projects.other_startup
    other = cast.other_commune_officer
    move_stage(project=nursery, to="plan", by=other, on=D(2024, 6, 1))
    move_stage(project=nursery, to="started", by=other, on=D(2024, 7, 1))
    move_stage(project=nursery, to="operating", by=other, on=D(2024, 9, 1))
    model = confirm(cast, propose(cast, nursery, consent=True, title="Vườn ươm Cẩm Sơn"))
    tea = confirm(cast, propose(cast, proven(cast), title="Trà mãng cầu sấy lạnh"))
    before_reform = operating(cast, "Vườn ươm Sơn Quy", "083190002001", on=D(2025, 3, 1))
    showcase.record_replication(project=before_reform, model=model, by=cast.commune_officer, on=D(2025, 6, 1))
    chosen = operating(
        cast, "Vườn ươm Cẩm Hòa", "083190002002", unit=cast.units.other_commune, by=other, on=D(2024, 8, 1)
    )
    showcase.record_replication(project=chosen, model=tea, by=other, on=D(2025, 6, 1))
    cho_lach, _mo_cay = reform(cast)
    standing = User.objects.get(pk=cast.standing_officer.pk)  # its scope now holds the new communes
    after_reform = operating(
        cast, "Vườn ươm Chợ Lách", "083190002003", unit=cho_lach, by=standing, on=D(2026, 2, 5)
    )
    showcase.record_replication(project=after_reform, model=model, by=standing, on=D(2026, 5, 1))

    table = login(cast.council_member).get(reverse("model_list")).context["replications"]
    assert [model.title for model in table.models] == ["Trà mãng cầu sấy lạnh", "Vườn ươm Cẩm Sơn"]
    # Xã Sơn Định ended on 30/06/2025: its replication counts under Xã Chợ Lách; Cẩm Sơn's under Mỏ Cày.
    assert [(row.unit.name, row.cells, row.total) for row in table.rows] == [
        ("Xã Chợ Lách", [0, 2], 2),
        ("Xã Mỏ Cày", [1, 0], 1),
    ]
    assert (table.by_model, table.total, table.model_totals) == ({tea.pk: 1, model.pk: 2}, 3, [1, 2])
    listed = login(cast.council_member).get(reverse("model_list"), {"status": "confirmed"}).context["page"]
    assert {row.title: row.replication_count for row in listed} == {
        "Vườn ươm Cẩm Sơn": 2,
        "Trà mãng cầu sấy lạnh": 1,
    }
    # The other commune's team counts the replications among the projects it sees.
    mine = login(cast.other_commune_officer).get(reverse("model_list")).context["replications"]
    assert [(row.unit.name, row.cells) for row in mine.rows] == [("Xã Mỏ Cày", [1])]


def test_a_status_that_does_not_exist_is_a_400(projects, login):
    response = login(projects.cast.council_member).get(reverse("model_list"), {"status": "maybe"})
    assert response.status_code == 400


# --- The public page ----------------------------------------------------------------------------------------


def test_the_public_page_shows_only_published_models_and_no_personal_data(projects, client):
    cast = projects.cast
    published = confirm(cast, propose(cast, proven(cast), consent=True, title="Trà mãng cầu sấy lạnh"))
    photo = showcase.add_photo(
        model=published,
        by=cast.standing_officer,
        upload=SimpleUploadedFile("tra.png", PNG_BYTES),
        caption="Vườn",
    )
    unconsented = operating(cast, "Nấm rơm Sơn Định", "083190003001")
    confirm(cast, propose(cast, unconsented, title="Nấm rơm trong nhà"))
    undecided = operating(cast, "Dừa sáp Sơn Định", "083190003002")
    propose(cast, undecided, consent=True, title="Dừa sáp cấy phôi")
    showcase.record_replication(
        project=later(cast), model=published, by=cast.commune_officer, on=D(2026, 1, 5)
    )

    client.logout()
    response = in_english(client).get(reverse("public_models"))
    assert response.status_code == 200
    assert [(model.title, model.replication_count) for model in response.context["page"]] == [
        ("Trà mãng cầu sấy lạnh", 1)
    ]
    html = response.content.decode()
    assert "Nấm rơm trong nhà" not in html and "Dừa sáp cấy phôi" not in html
    assert reverse("model_photo", args=[published.pk, photo.pk]) in html
    assert "Xã Sơn Định" in html
    for personal in (
        "Bùi Văn Nộp",  # the founder
        projects.shop.applicant.national_id,
        "Trà mãng cầu Sơn Định",  # the project's own name leads to its founder
        "1.234.000.000",
        "1,234,000,000",
        str(REVENUE),
    ):
        assert personal not in html, personal


# --- Query counts -------------------------------------------------------------------------------------------

N = 3


def models_and_replications(cast: Cast, count: int) -> None:
    """``count`` confirmed, published models in the commune, each replicated by one later project."""
    for index in range(count):
        model = confirm(
            cast, propose(cast, operating(cast, f"Mô hình {index:03}", f"0831900{index:05}"), consent=True)
        )
        showcase.add_photo(
            model=model, by=cast.standing_officer, upload=SimpleUploadedFile("a.png", PNG_BYTES)
        )
        copy = operating(cast, f"Học theo {index:03}", f"0831910{index:05}", on=D(2025, 1, 10))
        showcase.record_replication(project=copy, model=model, by=cast.commune_officer, on=D(2025, 6, 1))


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_model_list_query_count(projects, login, django_assert_num_queries, rows):
    models_and_replications(projects.cast, rows)
    client = login(projects.cast.council_member)
    # The page's own: 1 the counts per status (one grouped query), 2 count for the paginator, 3 the page of
    # models with project and commune; the replications: 4 counted by model and commune, 5 the successors
    # of the communes that ended, 6 the communes, 7 the models.
    with django_assert_num_queries(SIGNED_IN + 7):
        response = client.get(reverse("model_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows
    assert response.context["replications"].total == rows


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_public_page_query_count(projects, client, django_assert_num_queries, rows):
    models_and_replications(projects.cast, rows)
    client.logout()
    # 1 count for the paginator, 2 the page of models with project, commune and replications, 3 their photos.
    with django_assert_num_queries(3):
        response = client.get(reverse("public_models"))
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 12)


def test_the_front_door_panel_links_to_the_public_page():
    html = render_to_string("projects/models/home_public.html", {})
    assert f'href="{reverse("public_models")}"' in html
