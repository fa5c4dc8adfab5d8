"""The project pages: the role × route rows, a project registered, changed, moved, corrected, supported
and visited through the pages, refusals with nothing changed, what founders and mentors read, the list's
filters, the dossiers linked (and what the dossier page says of them), and query counts.

``PROJECT_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from dossiers.catalogue import STARTUP_SUPPORT
from dossiers.models import Dossier, Procedure
from dossiers.selectors import links_of
from dossiers.services import dossiers as dossier_services
from dossiers.services.applicants import Person
from dossiers.services.documents import attach_document
from dossiers.services.dossiers import start_dossier, submit_dossier
from portal.models import AuditRecord
from projects.models import (
    Founder,
    Milestone,
    Project,
    ProjectDossier,
    ProjectStep,
    ProjectVisit,
    Support,
)
from projects.services import projects as project_services
from projects.services.support import MilestoneFinding, record_support, record_visit
from projects.views.projects import SUPPORTS_SHOWN
from tests.conftest import Cast
from tests.conversions.test_case_pages import registered_case
from tests.dossiers.fixtures import pdf_upload
from tests.portal.test_query_counts import SIGNED_IN
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import (
    Projects,
    in_english,
    projects_for,
)
from tests.role_table import COMMUNE_READERS, Row, everyone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 18)


def mentored(cast: Cast) -> Project:
    """The startup, with the cast's mentor assigned to it (once)."""
    world = projects_for(cast)
    if not world.startup.mentor_assignments.filter(ended_on__isnull=True).exists():
        world.assign()
    return world.startup


def moved(cast: Cast) -> Project:
    """The mentored startup, moved from plan to started today (once): a step to correct."""
    startup = mentored(cast)
    if startup.steps.count() == 1:
        project_services.move_stage(project=startup, to="started", by=cast.commune_officer, on=TODAY)
    return startup


def startup_dossier(world: Projects, *, applicant=None) -> Dossier:
    """A startup-support dossier of the founder (Bùi Văn Nộp), filed at the desk."""
    applicant = applicant or world.shop.applicant
    dossier = start_dossier(
        procedure=Procedure.objects.get(code=STARTUP_SUPPORT),
        applicant=applicant,
        filed_by=world.officer,
        unit=applicant.unit,
        channel=Dossier.Channel.IN_PERSON,
        summary="Hỗ trợ dự án trà mãng cầu",
    )
    given = set(dossier.documents.values_list("requirement_id", flat=True))
    for requirement in dossier.procedure_version.requirements.exclude(pk__in=given):
        attach_document(dossier=dossier, requirement=requirement, upload=pdf_upload(), by=world.officer)
    submit_dossier(dossier=dossier, by=world.officer)
    return Dossier.objects.get(pk=dossier.pk)


def founders_dossier(cast: Cast) -> Dossier:
    world = projects_for(cast)
    if not hasattr(world, "startup_dossier"):
        world.startup_dossier = startup_dossier(world)
    return world.startup_dossier


def state():
    return (
        AuditRecord.objects.count(),
        sorted(
            Project.objects.values_list(
                "pk",
                "name",
                "stage",
                "stop_reason",
                "capital_needed",
                "own_capital",
                "workers",
                "jobs_created",
            )
        ),
        ProjectStep.objects.count(),
        Support.objects.count(),
        ProjectVisit.objects.count(),
        ProjectDossier.objects.count(),
        sorted(Milestone.objects.values_list("pk", "state", "due_on")),
    )


def new_project(cast: Cast) -> dict:
    return {
        "founder_1_name": "Trần Văn Mới",
        "founder_1_national_id": "083099007777",
        "founder_1_phone": "0909111222",
        "address": "Ấp Sơn Quy, xã Sơn Định",
        "name": "Bánh tráng dừa Sơn Định",
        "kind": "household_business",
        "sector": "C",
        "unit": cast.units.commune.pk,
        "registered_on": "2026-11-10",
        "stage": "idea",
        "capital_needed": "150000000",
        "own_capital": "50000000",
        "workers": "3",
        "jobs_planned": "5",
        "jobs_created": "2",
        "jobs_women": "2",
        "jobs_young": "1",
    }


def figures(project: Project, **changes) -> dict:
    fields = ("name", "sector", "summary", *project_services.EDITABLE[3:])
    return {name: getattr(project, name) for name in fields} | changes


# Who reads the commune's projects: its readers, the founder (the cast's applicant) and the assigned mentor.
PROJECT_READERS = COMMUNE_READERS | {"applicant": 200, "mentor": 200}
# Who changes them: the commune team, the district team above it and the standing agency; the council,
# the fund, the founder and the mentor read and change nothing (403).
PROJECT_WRITERS = everyone(
    404,
    anonymous=302,
    council_member=403,
    fund_officer=403,
    applicant=403,
    mentor=403,
    standing_officer=302,
    district_officer=302,
    commune_officer=302,
)
PROJECT_FORMS = PROJECT_WRITERS | {"standing_officer": 200, "district_officer": 200, "commune_officer": 200}
KEEPERS = everyone(403, anonymous=302, standing_officer=200, district_officer=200, commune_officer=200)
KEEPERS |= {"other_district_officer": 200, "other_commune_officer": 200}

PROJECT_ROWS: dict[str, Row] = {
    "project_list": Row("get", lambda cast: reverse("project_list"), everyone(200, anonymous=302)),
    "project_new": Row("get", lambda cast: reverse("project_new"), KEEPERS),
    # The commune is not among the other commune's and district's choices: their form is refused.
    "project_new:post": Row(
        "post",
        lambda cast: (projects_for(cast), reverse("project_new"))[1],
        KEEPERS
        | {"standing_officer": 302, "district_officer": 302, "commune_officer": 302}
        | {"other_district_officer": 400, "other_commune_officer": 400},
        data=new_project,
    ),
    "project_detail": Row(
        "get", lambda cast: reverse("project_detail", args=[mentored(cast).pk]), PROJECT_READERS
    ),
    "project_edit": Row("get", lambda cast: reverse("project_edit", args=[mentored(cast).pk]), PROJECT_FORMS),
    "project_edit:post": Row(
        "post",
        lambda cast: reverse("project_edit", args=[mentored(cast).pk]),
        PROJECT_WRITERS,
        data=lambda cast: figures(mentored(cast), jobs_created=5),
    ),
    "project_step": Row(
        "post",
        lambda cast: reverse("project_step", args=[mentored(cast).pk]),
        PROJECT_WRITERS,
        data=lambda cast: {"to": "started", "on": TODAY.isoformat(), "note": "Đã mua máy sấy"},
    ),
    "project_correct": Row(
        "post",
        lambda cast: reverse("project_correct", args=[moved(cast).pk]),
        PROJECT_WRITERS,
        data=lambda cast: {"on": TODAY.isoformat(), "note": "Ghi nhầm dự án"},
    ),
    "project_support_new": Row(
        "get", lambda cast: reverse("project_support_new", args=[mentored(cast).pk]), PROJECT_FORMS
    ),
    "project_support_new:post": Row(
        "post",
        lambda cast: reverse("project_support_new", args=[mentored(cast).pk]),
        PROJECT_WRITERS,
        data=lambda cast: {
            "kind": "training",
            "given_on": "2026-11-02",
            "organisation": "Trung tâm Khuyến công tỉnh",
            "hours": "8",
        },
    ),
    "project_visit_new": Row(
        "get", lambda cast: reverse("project_visit_new", args=[mentored(cast).pk]), PROJECT_FORMS
    ),
    "project_visit_new:post": Row(
        "post",
        lambda cast: reverse("project_visit_new", args=[mentored(cast).pk]),
        PROJECT_WRITERS,
        data=lambda cast: {"visited_on": TODAY.isoformat(), "channel": "phone", "note": "Đã gọi hỏi thăm"},
    ),
    # A startup-support dossier the founder filed, among the choices of whoever changes the project.
    "project_dossier_link": Row(
        "post",
        lambda cast: (founders_dossier(cast), reverse("project_dossier_link", args=[mentored(cast).pk]))[1],
        PROJECT_WRITERS,
        data=lambda cast: {"dossier": founders_dossier(cast).pk},
    ),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(PROJECT_ROWS))
def test_role_gets_the_expected_answer(cast, login, media_root, role, route_name):
    row = PROJECT_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"


# --- A project through the pages ----------------------------------------------------------------------


def test_a_commune_officer_registers_a_project(projects, login):
    client = login(projects.officer)
    data = new_project(projects.cast) | {
        # The second founder is the cast's applicant, known by CCCD: linked, not added twice.
        "founder_2_name": "Bùi Văn Nộp",
        "founder_2_national_id": projects.shop.applicant.national_id,
    }
    response = client.post(reverse("project_new"), data)
    project = Project.objects.get(name="Bánh tráng dừa Sơn Định")
    assert response["Location"] == reverse("project_detail", args=[project.pk])
    assert (project.kind, project.stage, project.unit, project.registered_on, project.registered_by) == (
        "household_business",
        "idea",
        projects.cast.units.commune,
        datetime.date(2026, 11, 10),
        projects.officer,
    )
    assert (project.capital_needed, project.own_capital, project.workers, project.jobs_created) == (
        150_000_000,
        50_000_000,
        3,
        2,
    )
    founders = [(founder.person.full_name, founder.is_lead) for founder in project.founders.all()]
    assert founders == [("Trần Văn Mới", True), ("Bùi Văn Nộp", False)]
    assert Founder.objects.get(project=project, is_lead=False).person == projects.shop.applicant
    assert list(project.steps.values_list("stage", "taken_on")) == [("idea", datetime.date(2026, 11, 10))]


def test_the_new_project_form_offers_the_kept_communes_and_no_poverty_escape(projects, login):
    with translation.override("en"):
        response = in_english(login(projects.officer)).get(reverse("project_new"))
    form = response.context["form"]
    assert list(form.fields["unit"].queryset) == [projects.cast.units.commune]
    assert "poverty_escape" not in dict(form.fields["kind"].choices)
    assert "A poverty-escape project starts from the household" in response.content.decode()
    before = state()
    refused = login(projects.officer).post(
        reverse("project_new"), new_project(projects.cast) | {"kind": "poverty_escape"}
    )
    assert refused.status_code == 400
    assert state() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capital_needed": "-5"}, "capital_needed"),
        ({"capital_needed": "1500000.5"}, "capital_needed"),
        ({"own_capital": "2,5"}, "own_capital"),
        ({"own_capital": "٣"}, "own_capital"),
        ({"founder_1_national_id": "08309900777"}, None),  # 11 digits: the rule's own message
        ({"founder_2_name": "Người thứ hai"}, None),  # a founder without a CCCD
        ({"registered_on": "2026-11-19"}, None),  # the future
        ({"stage": "started"}, "stage"),
    ],
)
def test_bad_input_on_a_new_project_is_refused(projects, login, changes, field):
    before = state()
    response = login(projects.officer).post(reverse("project_new"), new_project(projects.cast) | changes)
    assert response.status_code == 400
    form = response.context["form"]
    if field:
        assert form[field].errors
    else:
        assert form.non_field_errors()
    assert state() == before


def test_figures_are_changed_and_bad_ones_refused(projects, login):
    startup = projects.startup
    client = login(projects.officer)
    response = client.post(
        reverse("project_edit", args=[startup.pk]), figures(startup, workers=10, jobs_created=9, jobs_women=5)
    )
    assert response.status_code == 302
    startup.refresh_from_db()
    assert (startup.workers, startup.jobs_created, startup.jobs_women) == (10, 9, 5)

    before = state()
    with translation.override("en"):
        refused = in_english(client).post(
            reverse("project_edit", args=[startup.pk]),
            figures(startup, jobs_created=11),
        )
    assert refused.status_code == 400
    assert refused.context["form"].non_field_errors() == [
        "Jobs created (11) cannot be more than the workers recorded (10)."
    ]
    assert refused.context["form"]["jobs_created"].value() == "11"
    for amounts in ({"own_capital": "-1"}, {"capital_needed": "300000000.5"}, {"own_capital": "400000000"}):
        assert (
            client.post(reverse("project_edit", args=[startup.pk]), figures(startup, **amounts)).status_code
            == 400
        )
    assert state() == before


def test_a_project_steps_forward_stops_and_is_corrected(projects, login):
    startup = projects.startup  # at the plan stage since 10/03/2024
    client = login(projects.officer)
    url = reverse("project_step", args=[startup.pk])
    page = client.get(reverse("project_detail", args=[startup.pk]))
    assert [value for value, _label in page.context["forms"]["step"].offered] == ["started", "stopped"]
    assert "correct" not in page.context["forms"]  # a single step: nothing to correct

    assert (
        client.post(url, {"to": "started", "on": "2026-11-02", "note": "Đã mua máy sấy"}).status_code == 302
    )
    startup.refresh_from_db()
    assert startup.stage == "started"

    # A step back is refused: only a correction undoes a step.
    before = state()
    with translation.override("en"):
        back = in_english(client).post(url, {"to": "plan", "on": TODAY.isoformat()})
    assert back.status_code == 400
    assert "A step back is a correction." in back.context["forms"]["step"].non_field_errors()[0]
    assert state() == before
    # Stopping needs a reason.
    assert client.post(url, {"to": "stopped", "on": TODAY.isoformat()}).status_code == 400
    assert state() == before

    stopped = client.post(url, {"to": "stopped", "on": TODAY.isoformat(), "stop_reason": "capital"})
    assert stopped.status_code == 302
    startup.refresh_from_db()
    assert (startup.stage, startup.stop_reason) == ("stopped", "capital")
    page = client.get(reverse("project_detail", args=[startup.pk]))
    assert "step" not in page.context["forms"]  # a stopped project only takes a correction
    assert [(mark.stage, mark.is_reached) for mark in page.context["stage_bar"]][:4] == [
        ("idea", True),
        ("plan", True),
        ("started", True),
        ("operating", False),
    ]

    assert (
        client.post(reverse("project_correct", args=[startup.pk]), {"on": TODAY.isoformat()}).status_code
        == 400
    )
    corrected = client.post(
        reverse("project_correct", args=[startup.pk]), {"on": TODAY.isoformat(), "note": "Vẫn hoạt động"}
    )
    assert corrected.status_code == 302
    startup.refresh_from_db()
    assert (startup.stage, startup.stop_reason) == ("started", "")
    page = client.get(reverse("project_detail", args=[startup.pk]))
    assert [(step.stage, step.is_correction) for step in page.context["steps"]] == [
        ("plan", False),
        ("started", False),
        ("stopped", False),
        ("started", True),
    ]
    assert "Vẫn hoạt động" in page.content.decode()
    assert page.context["stage_bar"][2].is_current


def test_supports_are_recorded_with_one_provider_and_totalled_by_kind(projects, login):
    startup = projects.startup
    client = login(projects.officer)
    url = reverse("project_support_new", args=[startup.pk])
    form = client.get(url).context["form"]
    assert projects.cast.teams.commune in form.fields["team"].queryset
    assert projects.mentor in form.fields["mentor"].queryset
    for data in (
        {"kind": "training", "given_on": "2026-10-01", "team": projects.cast.teams.commune.pk, "hours": "4"},
        {
            "kind": "training",
            "given_on": "2026-10-15",
            "organisation": "Trung tâm Khuyến công",
            "hours": "2,5",
        },
        {"kind": "mentoring", "given_on": "2026-11-01", "mentor": projects.mentor.pk, "value": "1500000"},
    ):
        assert client.post(url, data).status_code == 302, data
    before = state()
    for data in (
        # two providers, none, neither hours nor value, a fractional or negative đồng, the future
        {
            "kind": "advice",
            "given_on": "2026-11-01",
            "organisation": "Hội LHPN",
            "mentor": projects.mentor.pk,
            "hours": "1",
        },
        {"kind": "advice", "given_on": "2026-11-01", "hours": "1"},
        {"kind": "advice", "given_on": "2026-11-01", "organisation": "Hội LHPN"},
        {"kind": "advice", "given_on": "2026-11-01", "organisation": "Hội LHPN", "value": "1000.5"},
        {"kind": "advice", "given_on": "2026-11-01", "organisation": "Hội LHPN", "value": "-1000"},
        {"kind": "advice", "given_on": "2026-11-19", "organisation": "Hội LHPN", "hours": "1"},
        {"kind": "advice", "given_on": "2026-11-01", "organisation": "Hội LHPN", "hours": "٣"},
    ):
        assert client.post(url, data).status_code == 400, data
    assert state() == before
    page = client.get(reverse("project_detail", args=[startup.pk]))
    totals = [(total.kind, total.count, total.hours, total.value) for total in page.context["support_totals"]]
    assert totals == [("training", 2, Decimal("6.5"), 0), ("mentoring", 1, Decimal("0"), 1_500_000)]
    assert [support.provider for support in page.context["supports"]] == [
        projects.mentor.full_name,
        "Trung tâm Khuyến công",
        projects.cast.teams.commune.name,
    ]


def visit_data(plan, **states) -> dict:
    """A visit today; ``states`` by milestone position (m1, m2, m3) -> (state, new date, reason)."""
    data = {"visited_on": TODAY.isoformat(), "channel": "visit", "note": "Dê khỏe, chuồng sạch"}
    milestones = list(plan.milestones.order_by("due_on"))
    for position, (state_, new_due_on, reason) in states.items():
        milestone = milestones[int(position[1:]) - 1]
        data |= {
            f"m{milestone.pk}_state": state_,
            f"m{milestone.pk}_new_due_on": new_due_on,
            f"m{milestone.pk}_reason": reason,
        }
    return data


def test_a_visit_marks_the_plans_milestones(projects, login):
    plan = projects.approved_plan()
    project = plan.project
    client = login(projects.officer)
    url = reverse("project_visit_new", args=[project.pk])
    form = client.get(url).context["form"]
    assert [milestone.title for milestone in form.milestones] == [
        "Làm chuồng, trồng cỏ",
        "Nhận dê giống",
        "Lứa dê con đầu tiên",
    ]
    before = state()
    # A changed milestone needs its new date and its reason; a date after the plan's end is refused.
    for refused in (
        visit_data(plan, m3=("changed", "2026-12-15", "")),
        visit_data(plan, m3=("changed", "2027-02-01", "Dê chậm động dục")),
        visit_data(plan, m1=("finished", "", "")),
    ):
        assert client.post(url, refused).status_code == 400
    assert state() == before

    response = client.post(
        url,
        visit_data(
            plan,
            m1=("done", "", ""),
            m2=("late", "", "Chưa nhận đủ dê"),
            m3=("changed", "2026-12-15", "Dê chậm động dục"),
        ),
    )
    assert response.status_code == 302
    milestones = {milestone.title: milestone for milestone in plan.milestones.all()}
    assert (milestones["Làm chuồng, trồng cỏ"].state, milestones["Làm chuồng, trồng cỏ"].done_on) == (
        "done",
        TODAY,
    )
    assert milestones["Nhận dê giống"].state == "late"
    assert (milestones["Lứa dê con đầu tiên"].state, milestones["Lứa dê con đầu tiên"].due_on) == (
        "changed",
        datetime.date(2026, 12, 15),
    )
    visit = ProjectVisit.objects.get(project=project)
    assert sorted(visit.milestone_updates.values_list("milestone__title", "state")) == [
        ("Làm chuồng, trồng cỏ", "done"),
        ("Lứa dê con đầu tiên", "changed"),
        ("Nhận dê giống", "late"),
    ]
    # The next visit offers only the milestones not done; the page shows what the visit found.
    assert len(client.get(url).context["form"].milestones) == 2
    page = client.get(reverse("project_detail", args=[project.pk]))
    assert [len(visit.milestone_updates.all()) for visit in page.context["visits"]] == [3]
    assert "Dê chậm động dục" in page.content.decode()


def test_a_visit_without_an_approved_plan_has_no_milestones(projects, login):
    url = reverse("project_visit_new", args=[projects.plan.project_id])
    assert login(projects.officer).get(url).context["form"].milestones == []


def test_the_visit_form_fits_a_phone(projects, login):
    projects.approved_plan()
    content = (
        login(projects.officer).get(reverse("project_visit_new", args=[projects.plan.project_id])).content
    )
    page = content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in page
    assert "col-md-8 col-lg-6" in page  # full width on a phone
    assert 'type="date"' in page
    assert "w-100 py-2" in page  # the button spans the screen


# --- Who reads what -----------------------------------------------------------------------------------


def test_another_communes_project_is_404(projects, login):
    other = projects.other_startup
    client = login(projects.officer)
    before = state()
    assert client.get(reverse("project_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("project_edit", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("project_step", args=[other.pk]), {"to": "plan", "on": "2026-11-18"}).status_code
        == 404
    )
    assert client.get("/projects/999999/").status_code == 404
    assert state() == before


def test_the_founder_reads_their_project_without_forms(projects, login):
    startup = projects.startup
    response = login(projects.cast.applicant).get(reverse("project_detail", args=[startup.pk]))
    assert response.status_code == 200
    assert response.context["forms"] == {}
    assert response.context["is_founder"] is True
    content = response.content.decode()
    assert projects.shop.applicant.national_id in content  # their own number, whole
    assert reverse("project_step", args=[startup.pk]) not in content
    assert reverse("project_edit", args=[startup.pk]) not in content
    listing = login(projects.cast.applicant).get(reverse("project_list"))
    assert [project.pk for project in listing.context["page"]] == [startup.pk]


def test_the_council_and_the_mentor_see_the_founders_numbers_masked(projects, login):
    mentored(projects.cast)
    for user in (projects.cast.council_member, projects.cast.mentor):
        response = login(user).get(reverse("project_detail", args=[projects.startup.pk]))
        assert response.status_code == 200
        assert response.context["sees_personal_data"] is False
        assert projects.shop.applicant.national_id not in response.content.decode()
        assert "••••••••1234" in response.content.decode()
    response = login(projects.cast.mentor).get(reverse("project_detail", args=[projects.startup.pk]))
    assert (response.context["is_assigned"], response.context["own_mentor"]) == (True, projects.mentor)
    assert response.context["forms"] == {}


def test_the_panels_get_the_contracts_context(projects, login):
    plan = projects.approved_plan()
    response = login(projects.officer).get(reverse("project_detail", args=[plan.project_id]))
    context = response.context
    assert context["plan"] == plan
    assert [milestone.title for milestone in context["milestones"]] == [
        "Làm chuồng, trồng cỏ",
        "Nhận dê giống",
        "Lứa dê con đầu tiên",
    ]
    assert (context["assignments"], context["sessions"], context["conflicts"]) == ([], [], [])
    assert context["success_model"] is None
    assert (context["can_change"], context["runs_programme"], context["confirms_models"]) == (
        True,
        False,
        False,
    )
    assert (context["own_mentor"], context["is_assigned"], context["sees_personal_data"]) == (
        None,
        False,
        True,
    )
    templates = [template.name for template in response.templates]
    panels = [name for name in templates if name.endswith("_project_panel.html")]
    assert panels == [
        "projects/plans/_project_panel.html",
        "projects/mentors/_project_panel.html",
        "projects/models/_project_panel.html",
    ]


# --- The list -----------------------------------------------------------------------------------------


def test_the_list_filters(projects, login, set_today):
    startup, other = projects.startup, projects.other_startup
    poverty = projects.plan.project
    client = login(projects.cast.council_member)

    def listed(**params) -> list[int]:
        response = client.get(reverse("project_list"), params)
        assert response.status_code == 200, params
        return [project.pk for project in response.context["page"]]

    assert listed() == [poverty.pk, other.pk, startup.pk]  # the latest registered first
    assert listed(q="tra mang cau") == [startup.pk]  # without diacritics
    assert listed(q="VƯỜN ƯƠM") == [other.pk]
    assert listed(kind="household_business") == [other.pk]
    assert listed(stage="plan") == [poverty.pk, startup.pk]
    assert listed(sector="A") == [poverty.pk, other.pk]
    assert listed(unit=projects.cast.units.other_commune.pk) == [other.pk]
    assert listed(unit=projects.cast.units.district.pk) == [poverty.pk, startup.pk]
    # Six months without support: the projects going on, registered over six months ago.
    assert listed(unsupported="true") == [poverty.pk, other.pk, startup.pk]
    record_support(
        project=startup,
        by=projects.officer,
        kind="advice",
        given_on=datetime.date(2026, 6, 1),
        organisation="Hội Doanh nhân trẻ",
        hours=Decimal("2"),
    )
    assert listed(unsupported="true") == [poverty.pk, other.pk]
    response = client.get(reverse("project_list"))
    row = next(project for project in response.context["page"] if project.pk == startup.pk)
    assert (row.lead_founder, row.last_support_on) == ("Bùi Văn Nộp", datetime.date(2026, 6, 1))
    set_today(datetime.date(2026, 12, 2))  # the support is now over six months old
    client = login(projects.cast.council_member)
    assert listed(unsupported="true") == [poverty.pk, other.pk, startup.pk]
    for params in (
        {"unsupported": "yes"},
        {"stage": "nope"},
        {"unit": "x"},
        {"unit": "99999999999999999999"},
    ):
        assert client.get(reverse("project_list"), params).status_code == 400, params
    assert [
        project.pk
        for project in login(projects.cast.other_commune_officer).get(reverse("project_list")).context["page"]
    ] == [other.pk]


@pytest.fixture(params=[2, 20], ids=["N", "10N"])
def many_projects(request, projects):
    for number in range(request.param):
        project = project_services.register_project(
            by=projects.officer,
            founders=[Person(full_name=f"Người số {number}", national_id=f"0830{number:08}")],
            address="Xã Sơn Định",
            on=datetime.date(2026, 1, 2),
            name=f"Dự án số {number:03}",
            kind="idea",
            sector="G",
            unit=projects.cast.units.commune,
        )
        record_support(
            project=project,
            by=projects.officer,
            kind="advice",
            given_on=datetime.date(2026, 2, 1),
            organisation="Hội Nông dân",
            hours=Decimal("1"),
        )
    return request.param + 3


def test_list_page_query_count(projects, login, django_assert_num_queries, many_projects):
    client = login(projects.cast.council_member)
    # The page's own: 1 the paginator's count, 2 the page of projects with their commune, lead founder and
    # last support (subqueries), 3 the units of the unit filter.
    with django_assert_num_queries(SIGNED_IN + 3):
        response = client.get(reverse("project_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == many_projects


@pytest.fixture(params=[2, 20], ids=["N", "10N"])
def long_history(request, projects):
    """The goat plan's project, approved, with N supports, N visits and N corrected steps."""
    plan = projects.approved_plan()
    project = plan.project
    officer = projects.officer
    first = plan.milestones.order_by("due_on").first()
    for number in range(request.param):
        record_support(
            project=project,
            by=officer,
            kind=["training", "advice", "technology"][number % 3],
            given_on=datetime.date(2025, 4, 1) + datetime.timedelta(days=number),
            team=projects.cast.teams.commune,
            hours=Decimal("2"),
        )
        findings = []
        if number % 2 == 0 and first.state != "done":
            findings = [MilestoneFinding(milestone=first, state="late")]
        record_visit(
            project=project,
            by=officer,
            visited_on=datetime.date(2025, 5, 1) + datetime.timedelta(days=number),
            note=f"Lần thăm {number}",
            findings=findings,
        )
        project_services.move_stage(project=project, to="started", by=officer, on=datetime.date(2025, 6, 1))
        project_services.correct_step(project=project, by=officer, on=datetime.date(2025, 6, 1), note="Nhầm")
    return project


def test_project_page_query_count(projects, login, django_assert_num_queries, long_history):
    dossier = projects.enrolment_dossier(long_history.plan)
    client = login(projects.officer)
    # The commune officer's scope reads no province: SIGNED_IN - 1. The page's own: 1 the project with its
    # commune, officer and model (a keeper sees the founders' data without asking); 2 the founders with
    # their person; 3 the steps with their officers; 4 the supports counted by kind, 5 the latest of
    # them with team, mentor and officer; 6 the latest visits with their officers and 7 their milestone
    # updates with the milestones; 8 the dossiers linked with their procedure; 9 the project, 10 the
    # conversion case and 11 the loan application of each dossier (dossier_links); 12 which dossiers the
    # reader opens; 13 the plan with its household's head; 14 the reader's mentor record; 15 the
    # founders' dossiers still to link (the link form); 16 the milestones; 17 the assignments, 18 the
    # sessions and 19 the conflicts with their mentors; 20 the success model.
    with django_assert_num_queries(SIGNED_IN - 1 + 20):
        response = client.get(reverse("project_detail", args=[long_history.pk]))
    assert response.status_code == 200
    shown = min(long_history.supports.count(), SUPPORTS_SHOWN)
    assert len(response.context["supports"]) == shown
    assert response.context["supports_count"] == long_history.supports.count()
    assert [link.dossier for link in response.context["dossier_links"]] == [dossier]


# --- Dossiers -----------------------------------------------------------------------------------------


def test_a_founders_dossier_is_linked_and_both_pages_say_so(projects, login):
    startup = projects.startup
    dossier = startup_dossier(projects)
    someone_elses = startup_dossier(projects, applicant=projects.shop.other_applicant)
    client = login(projects.officer)
    page = client.get(reverse("project_detail", args=[startup.pk]))
    assert list(page.context["forms"]["link"].fields["dossier"].queryset) == [dossier]
    before = state()
    assert (
        client.post(
            reverse("project_dossier_link", args=[startup.pk]), {"dossier": someone_elses.pk}
        ).status_code
        == 400
    )
    assert (
        client.post(reverse("project_dossier_link", args=[startup.pk]), {"dossier": "abc"}).status_code == 400
    )
    assert state() == before
    assert (
        client.post(reverse("project_dossier_link", args=[startup.pk]), {"dossier": dossier.pk}).status_code
        == 302
    )
    assert ProjectDossier.objects.get(dossier=dossier).project == startup
    page = client.get(reverse("project_detail", args=[startup.pk]))
    assert [(link.dossier, link.is_readable) for link in page.context["dossier_links"]] == [(dossier, True)]
    assert "link" not in page.context["forms"]  # nothing left to link
    with translation.override("en"):
        dossier_page = in_english(client).get(reverse("dossier_detail", args=[dossier.pk]))
    assert dossier_page.context["belongs_to"] == [
        ("Project: Trà mãng cầu Sơn Định", reverse("project_detail", args=[startup.pk]))
    ]
    assert reverse("project_detail", args=[startup.pk]) in dossier_page.content.decode()
    # Who does not see the project is not told it exists.
    assert links_of(projects.cast.other_commune_officer, [dossier.pk]) == {}


def test_the_dossier_page_says_what_the_decision_waits_for(projects, login):
    dossier = projects.enrolment_dossier()
    for step in ("receive", "start"):
        dossier = dossier_services.perform(
            dossier_services.STEPS[step], dossier=dossier, by=projects.officer, data={}
        )
    client = login(projects.officer)
    with translation.override("en"):
        page = in_english(client).get(reverse("dossier_detail", args=[dossier.pk]))
    assert page.context["decision_blockers"] == ["the commune team approves the plan"]
    content = page.content.decode()
    assert "Before the decision:" in content
    assert "the commune team approves the plan" in content
    with translation.override("en"):
        refused = in_english(client).post(
            reverse("dossier_act", args=[dossier.pk, "complete"]),
            {"result": "Đồng ý"},
        )
    assert refused.status_code == 400
    assert (
        "The decision cannot be recorded yet: the commune team approves the plan." in refused.content.decode()
    )
    assert Dossier.objects.get(pk=dossier.pk).status == Dossier.Status.IN_PROGRESS
    projects.approved_plan()
    assert client.get(reverse("dossier_detail", args=[dossier.pk])).context["decision_blockers"] == []


def test_a_conversion_dossier_names_its_case(cast, media_root):
    case = registered_case(cast)
    assert case.dossier_id is not None
    with translation.override("en"):
        links = links_of(cast.commune_officer, [case.dossier_id])
    assert links == {
        case.dossier_id: [
            (f"Conversion case: {case.household_business.name}", reverse("conversion_detail", args=[case.pk]))
        ]
    }
    assert links_of(cast.other_commune_officer, [case.dossier_id]) == {}


def test_a_visit_records_the_inputs_handed_over(projects, login, set_today):
    plan = projects.approved_plan()
    goats = plan.inputs.get()
    set_today(datetime.date(2025, 5, 2))
    client = login(projects.officer)
    url = reverse("project_visit_new", args=[plan.project.pk])
    form = client.get(url)
    assert f'value="{goats.pk}"' in form.content.decode()
    visit = {"visited_on": "2025-05-02", "channel": "visit", "note": "Hội Nông dân giao 2 dê giống"}
    assert client.post(url, visit | {"inputs_given": [goats.pk]}).status_code == 302
    goats.refresh_from_db()
    assert goats.given_on == datetime.date(2025, 5, 2)
    # Handed over once: the form no longer offers it, and a crafted post is refused, nothing changed.
    assert f'value="{goats.pk}"' not in client.get(url).content.decode()
    visits = plan.project.visits.count()
    refused = client.post(url, visit | {"inputs_given": [goats.pk]})
    assert refused.status_code == 400
    assert plan.project.visits.count() == visits
    # Another project's input is no choice at all.
    assert client.post(url, visit | {"inputs_given": ["99999999999999999999"]}).status_code == 400
