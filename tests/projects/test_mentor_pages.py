"""The mentors' pages: the role × route rows, a mentor's scope (only the projects assigned to them), a
declared conflict then a refused assignment, the pool's masked contacts, its filters, sessions logged
from a phone, and query counts.

``MENTOR_ROWS`` are this area's rows of the role × route table (tests/portal/test_role_routes.py).
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from portal.models import AuditRecord
from projects.models import ConflictOfInterest, Mentor, MentorAssignment, MentorSession
from projects.services import mentors
from tests.conftest import Cast
from tests.factories import UserFactory
from tests.portal.test_query_counts import SIGNED_IN
from tests.projects.fixtures import *  # noqa: F403 (the projects and media_root fixtures)
from tests.projects.fixtures import (
    in_english,
    projects_for,
)
from tests.role_table import Row, everyone

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 18)


def vi(message: str, **params) -> str:
    """``message`` as the pages show it: in Vietnamese once locale/ has it (its parameters too)."""
    with translation.override("vi"):
        return gettext(message) % params if params else gettext(message)


def assigned(cast: Cast) -> MentorAssignment:
    """The cast's mentor, assigned to the startup on 06/01/2025 (built on first use)."""
    shared = projects_for(cast)
    if not hasattr(shared, "assignment"):
        shared.assignment = shared.assign()
    return shared.assignment


def state():
    return (
        AuditRecord.objects.count(),
        sorted(Mentor.objects.values_list("pk", "full_name", "availability", "user_id")),
        sorted(MentorAssignment.objects.values_list("pk", "mentor_id", "project_id", "ended_on")),
        sorted(ConflictOfInterest.objects.values_list("pk", "mentor_id", "project_id")),
        MentorSession.objects.count(),
    )


def new_mentor_data(cast: Cast) -> dict:
    return {
        "full_name": "Trương Thị Chuyên Gia",
        "fields_of_expertise": "Nuôi trồng thủy sản",
        "organisation": "Trung tâm Khuyến nông tỉnh",
        "units": [cast.units.other_commune.pk],
        "availability": "limited",
        "phone": "0912 345 678",
        "email": "chuyengia@example.vn",
    }


def edit_data(cast: Cast) -> dict:
    return {
        "full_name": "Phan Văn Cố Vấn",
        "fields_of_expertise": "Chế biến nông sản, tiếp thị, xuất khẩu",
        "units": [cast.units.commune.pk],
        "availability": "available",
        "username": cast.mentor.username,
    }


def session_data(cast: Cast) -> dict:
    return {
        "mentor": projects_for(cast).mentor.pk,
        "held_on": "2026-11-10",
        "hours": "1,5",
        "topic": "Định giá sản phẩm trà mãng cầu",
        "next_step": "Thử bán ở chợ phiên",
    }


# Who reads the startup (Xã Sơn Định): the province-wide roles, the district above it, the commune and its
# founder (the cast's applicant). The mentor reads it only while assigned to it.
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
OFFICIALS = everyone(200, anonymous=302, applicant=404, other_applicant=404, mentor=200)


def only_programme(status: int, *, mentor: int = 404) -> dict[str, int]:
    """What the standing agency alone may do on the startup: who else reads it gets 403."""
    return {role: 403 if answer == 200 else answer for role, answer in READERS.items()} | {
        "standing_officer": status,
        "mentor": mentor,
    }


# The project's team (and the district and standing agency above it) or the assigned mentor log sessions.
SESSION_LOGGERS = only_programme(200, mentor=200) | {"district_officer": 200, "commune_officer": 200}


def as_post(expected: dict[str, int]) -> dict[str, int]:
    return {role: 302 if answer == 200 else answer for role, answer in expected.items()}


MENTOR_ROWS: dict[str, Row] = {
    "mentor_list": Row("get", lambda cast: reverse("mentor_list"), everyone(200, anonymous=302)),
    "mentor_new": Row(
        "get", lambda cast: reverse("mentor_new"), everyone(403, anonymous=302, standing_officer=200)
    ),
    "mentor_new:post": Row(
        "post",
        lambda cast: reverse("mentor_new"),
        everyone(403, anonymous=302, standing_officer=302),
        data=new_mentor_data,
    ),
    # Officials see the pool; the mentor their own record; an applicant nothing of it.
    "mentor_detail": Row(
        "get", lambda cast: reverse("mentor_detail", args=[projects_for(cast).mentor.pk]), OFFICIALS
    ),
    "mentor_edit": Row(
        "get",
        lambda cast: reverse("mentor_edit", args=[projects_for(cast).mentor.pk]),
        {role: 403 if answer == 200 else answer for role, answer in OFFICIALS.items()}
        | {"standing_officer": 200},
    ),
    "mentor_edit:post": Row(
        "post",
        lambda cast: reverse("mentor_edit", args=[projects_for(cast).mentor.pk]),
        {role: 403 if answer == 200 else answer for role, answer in OFFICIALS.items()}
        | {"standing_officer": 302},
        data=edit_data,
    ),
    # The mentor is not assigned to the startup: it is not theirs to see.
    "project_mentor_assign": Row(
        "get",
        lambda cast: reverse("project_mentor_assign", args=[projects_for(cast).startup.pk]),
        only_programme(200),
    ),
    "project_mentor_assign:post": Row(
        "post",
        lambda cast: reverse("project_mentor_assign", args=[projects_for(cast).startup.pk]),
        only_programme(302),
        data=lambda cast: {"mentor": projects_for(cast).mentor.pk, "on": TODAY.isoformat()},
    ),
    # Assigned, the mentor sees the project, and may not end the assignment.
    "mentor_assignment_end": Row(
        "get",
        lambda cast: reverse("mentor_assignment_end", args=[assigned(cast).pk]),
        only_programme(200, mentor=403),
    ),
    "mentor_assignment_end:post": Row(
        "post",
        lambda cast: reverse("mentor_assignment_end", args=[assigned(cast).pk]),
        only_programme(302, mentor=403),
        data=lambda cast: {"on": TODAY.isoformat()},
    ),
    "project_conflict_new": Row(
        "get",
        lambda cast: reverse("project_conflict_new", args=[assigned(cast).project_id]),
        only_programme(200, mentor=200),
    ),
    "project_conflict_new:post": Row(
        "post",
        lambda cast: reverse("project_conflict_new", args=[assigned(cast).project_id]),
        only_programme(302, mentor=302),
        data=lambda cast: {
            "mentor": projects_for(cast).mentor.pk,
            "reason": "Là cổ đông của cơ sở",
            "on": TODAY.isoformat(),
        },
    ),
    "mentor_session_new": Row(
        "get",
        lambda cast: reverse("mentor_session_new", args=[assigned(cast).project_id]),
        SESSION_LOGGERS,
    ),
    "mentor_session_new:post": Row(
        "post",
        lambda cast: reverse("mentor_session_new", args=[assigned(cast).project_id]),
        as_post(SESSION_LOGGERS),
        data=session_data,
    ),
    # Each sees the sessions of the projects they see: none is an answer too.
    "mentor_session_list": Row(
        "get", lambda cast: reverse("mentor_session_list"), everyone(200, anonymous=302)
    ),
}


@pytest.mark.parametrize("role", Cast.ROLES)
@pytest.mark.parametrize("route_name", sorted(MENTOR_ROWS))
def test_role_gets_the_expected_answer(cast, login, media_root, role, route_name):
    row = MENTOR_ROWS[route_name]
    url, data = row.url(cast), row.data(cast)
    client = login(getattr(cast, role))
    before = state()
    response = getattr(client, row.method)(url, data)
    assert response.status_code == row.expected[role], f"{role} {row.method.upper()} {url}"
    if row.method == "post" and response.status_code >= 400:
        assert state() == before, "a refused write changed something"
    if row.method == "post" and response.status_code == 302 and role != "anonymous":
        assert state() != before, "an accepted write changed nothing"


# --- A mentor's scope ---------------------------------------------------------------------------------------


def test_a_mentor_sees_only_the_projects_assigned_to_them(projects, login):
    client = login(projects.cast.mentor)
    startup = reverse("project_detail", args=[projects.startup.pk])
    assert client.get(startup).status_code == 404
    projects.assign()
    page = client.get(startup)
    assert page.status_code == 200
    assert page.context["is_assigned"] is True
    assert client.get(reverse("project_detail", args=[projects.other_startup.pk])).status_code == 404
    assert client.get(reverse("mentor_session_new", args=[projects.other_startup.pk])).status_code == 404


def test_a_mentor_logs_a_session_on_their_project_from_a_phone(projects, login):
    assignment = projects.assign()
    client = login(projects.cast.mentor)
    url = reverse("mentor_session_new", args=[projects.startup.pk])
    form = in_english(client).get(url)
    assert "mentor" not in form.context["form"].fields  # the mentor logs their own session
    assert 'name="viewport"' in form.content.decode()
    response = client.post(
        url,
        {"held_on": "2026-11-12", "hours": "2", "topic": "Bao bì và nhãn mác", "next_step": "In thử nhãn"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("project_detail", args=[projects.startup.pk])
    session = MentorSession.objects.get()
    assert (session.mentor, session.project, session.held_on, session.hours, session.logged_by) == (
        assignment.mentor,
        projects.startup,
        datetime.date(2026, 11, 12),
        Decimal("2.0"),
        projects.cast.mentor,
    )
    page = client.get(reverse("mentor_session_list"))
    assert [row.pk for row in page.context["page"]] == [session.pk]


def test_a_mentor_cannot_log_a_session_once_the_assignment_ended(projects, login):
    assignment = projects.assign()
    mentors.end_assignment(assignment=assignment, by=projects.cast.standing_officer, on=TODAY)
    client = login(projects.cast.mentor)
    response = client.post(
        reverse("mentor_session_new", args=[projects.startup.pk]),
        {"held_on": TODAY.isoformat(), "hours": "1", "topic": "Tiếp thị"},
    )
    assert response.status_code == 404
    assert not MentorSession.objects.exists()


def test_the_team_cannot_log_a_session_before_the_assignment(projects, login):
    projects.assign(on=datetime.date(2026, 1, 6))
    before = state()
    response = login(projects.officer).post(
        reverse("mentor_session_new", args=[projects.startup.pk]),
        {"mentor": projects.mentor.pk, "held_on": "2025-12-01", "hours": "1", "topic": "Tiếp thị"},
    )
    assert response.status_code == 400
    assert state() == before


@pytest.mark.parametrize("hours", ["0", "13", "٣", "1e3", "abc", "99999"])
def test_hours_out_of_bounds_are_a_400(projects, login, hours):
    projects.assign()
    before = state()
    response = login(projects.cast.mentor).post(
        reverse("mentor_session_new", args=[projects.startup.pk]),
        {"held_on": TODAY.isoformat(), "hours": hours, "topic": "Tiếp thị"},
    )
    assert response.status_code == 400
    assert state() == before


# --- Conflicts ----------------------------------------------------------------------------------------------


def test_a_declared_conflict_refuses_the_assignment(projects, login):
    mentor_client = login(projects.cast.mentor)
    projects.assign()
    response = mentor_client.post(
        reverse("project_conflict_new", args=[projects.startup.pk]),
        {"reason": "Người thân của chủ dự án", "on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get()
    assert (conflict.mentor, conflict.project, conflict.by) == (
        projects.mentor,
        projects.startup,
        projects.cast.mentor,
    )
    assert MentorAssignment.objects.get().ended_on == TODAY  # the assignment ends that day
    assert mentor_client.get(reverse("project_detail", args=[projects.startup.pk])).status_code == 404

    client = login(projects.cast.standing_officer)
    url = reverse("project_mentor_assign", args=[projects.startup.pk])
    page = in_english(client).get(url)
    option = f'<option value="{projects.mentor.pk}" disabled'
    assert option in page.content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]  # back to Vietnamese for the refusal
    assert "conflict of interest: Người thân của chủ dự án" in page.content.decode()

    before = state()
    refused = client.post(url, {"mentor": projects.mentor.pk, "on": TODAY.isoformat()})
    assert refused.status_code == 400
    assert state() == before
    assert refused.context["form"].non_field_errors() == [
        vi(
            "%(mentor)s declared a conflict of interest with this project (%(reason)s) "
            "and cannot be assigned.",
            mentor=projects.mentor.full_name,
            reason="Người thân của chủ dự án",
        )
    ]


def test_an_unavailable_mentor_is_marked_and_refused(projects, login):
    projects.mentor.availability = Mentor.Availability.UNAVAILABLE
    projects.mentor.save(update_fields=["availability"])
    client = login(projects.cast.standing_officer)
    url = reverse("project_mentor_assign", args=[projects.startup.pk])
    assert "(not available now)" in in_english(client).get(url).content.decode()
    before = state()
    assert client.post(url, {"mentor": projects.mentor.pk, "on": TODAY.isoformat()}).status_code == 400
    assert state() == before


def test_an_applicant_cannot_declare_a_conflict_for_a_mentor(projects, login):
    before = state()
    response = login(projects.cast.applicant).post(
        reverse("project_conflict_new", args=[projects.startup.pk]),
        {"mentor": projects.mentor.pk, "reason": "x", "on": TODAY.isoformat()},
    )
    assert response.status_code == 403
    assert state() == before


# --- The pool -----------------------------------------------------------------------------------------------


def with_contacts(projects):
    projects.mentor.phone, projects.mentor.email = "0912345678", "covan@example.vn"
    projects.mentor.save(update_fields=["phone", "email"])
    return projects.mentor


@pytest.mark.parametrize(
    ("role", "phone", "email"),
    [
        ("standing_officer", "0912345678", "covan@example.vn"),
        ("mentor", "0912345678", "covan@example.vn"),
        ("commune_officer", "••••••5678", "c••••••@example.vn"),
        ("council_member", "••••••5678", "c••••••@example.vn"),
    ],
)
def test_contacts_are_whole_only_to_the_standing_agency_and_the_mentor(projects, login, role, phone, email):
    mentor = with_contacts(projects)
    client = login(getattr(projects.cast, role))
    page = client.get(reverse("mentor_detail", args=[mentor.pk])).content.decode()
    assert f'<dd class="col-sm-7" id="mentor-phone">{phone}</dd>' in page
    assert f'<dd class="col-sm-7" id="mentor-email">{email}</dd>' in page
    listed = client.get(reverse("mentor_list"))
    assert [(row.shown_phone, row.shown_email) for row in listed.context["page"]] == [(phone, email)]
    if phone.startswith("•"):
        assert "0912345678" not in listed.content.decode()


def test_a_mentor_sees_only_their_own_record(projects, login):
    other = mentors.save_mentor(
        by=projects.cast.standing_officer, mentor=Mentor(full_name="Lâm Văn Khác", fields="Kế toán"), units=[]
    )
    client = login(projects.cast.mentor)
    assert [row.pk for row in client.get(reverse("mentor_list")).context["page"]] == [projects.mentor.pk]
    assert client.get(reverse("mentor_detail", args=[other.pk])).status_code == 404


def test_the_pool_filters(projects, login):
    units = projects.cast.units
    busy = mentors.save_mentor(
        by=projects.cast.standing_officer,
        mentor=Mentor(full_name="Lâm Thị Bận", fields="Thủy sản", availability="unavailable"),
        units=[units.other_commune],
    )
    district = mentors.save_mentor(
        by=projects.cast.standing_officer,
        mentor=Mentor(full_name="Hồ Văn Huyện", fields="Du lịch cộng đồng"),
        units=[units.district],
    )
    client = login(projects.cast.council_member)

    def names(**params):
        response = client.get(reverse("mentor_list"), params)
        assert response.status_code == 200
        return [mentor.full_name for mentor in response.context["page"]]

    # In Vietnamese order: by given name (Bận, Huyện, Vấn).
    assert names() == ["Lâm Thị Bận", "Hồ Văn Huyện", "Phan Văn Cố Vấn"]
    assert names(q="thuy san") == ["Lâm Thị Bận"]
    assert names(q="CO VAN") == ["Phan Văn Cố Vấn"]
    assert names(unit=units.other_district.pk) == ["Lâm Thị Bận"]  # a district stands for its communes
    # A mentor of the district covers its communes.
    assert names(unit=units.commune.pk) == [district.full_name, "Phan Văn Cố Vấn"]
    assert names(unit=units.district.pk) == [district.full_name, "Phan Văn Cố Vấn"]
    assert names(availability="unavailable") == [busy.full_name]


@pytest.mark.parametrize(
    "params", [{"unit": "²"}, {"unit": "99999999999999999999999"}, {"availability": "x"}]
)
def test_a_filter_that_does_not_parse_is_a_400(projects, login, params):
    response = in_english(login(projects.cast.council_member)).get(reverse("mentor_list"), params)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_the_standing_agency_adds_a_mentor_with_an_account(projects, login):
    account = UserFactory(username="chuyengia", full_name="Trương Thị Chuyên Gia")
    response = login(projects.cast.standing_officer).post(
        reverse("mentor_new"),
        new_mentor_data(projects.cast) | {"public_consent": "on", "username": "chuyengia"},
    )
    mentor = Mentor.objects.get(full_name="Trương Thị Chuyên Gia")
    assert response["Location"] == reverse("mentor_detail", args=[mentor.pk])
    assert (mentor.fields, mentor.availability, mentor.phone, mentor.public_consent, mentor.user) == (
        "Nuôi trồng thủy sản",
        "limited",
        "0912 345 678",
        True,
        account,
    )
    assert list(mentor.units.all()) == [projects.cast.units.other_commune]


def test_an_account_of_another_mentor_is_refused(projects, login):
    before = state()
    response = login(projects.cast.standing_officer).post(
        reverse("mentor_new"), new_mentor_data(projects.cast) | {"username": projects.cast.mentor.username}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        vi("This account already belongs to another mentor.")
    ]
    assert state() == before


@pytest.mark.parametrize(
    "change", [{"username": "khong-co-ai"}, {"phone": "không có"}, {"email": "x"}, {"units": ["²"]}]
)
def test_bad_mentor_input_is_a_400(projects, login, change):
    before = state()
    response = login(projects.cast.standing_officer).post(
        reverse("mentor_new"), new_mentor_data(projects.cast) | change
    )
    assert response.status_code == 400
    assert state() == before


# --- The panel on the project page -------------------------------------------------------------------------


def test_the_project_page_shows_mentors_sessions_and_conflicts(projects, login):
    projects.assign()
    mentors.log_session(
        mentor=projects.mentor,
        project=projects.startup,
        by=projects.cast.mentor,
        held_on=datetime.date(2026, 11, 2),
        hours=Decimal("1.5"),
        topic="Định giá sản phẩm",
    )
    page = in_english(login(projects.cast.standing_officer)).get(
        reverse("project_detail", args=[projects.startup.pk])
    )
    html = page.content.decode()
    assert 'data-panel="mentors"' in html
    assert reverse("project_mentor_assign", args=[projects.startup.pk]) in html
    assert reverse("mentor_session_new", args=[projects.startup.pk]) in html
    assert reverse("mentor_assignment_end", args=[MentorAssignment.objects.get().pk]) in html
    assert "Định giá sản phẩm" in html
    founder_page = login(projects.cast.applicant).get(reverse("project_detail", args=[projects.startup.pk]))
    founder_html = founder_page.content.decode()
    assert "Định giá sản phẩm" in founder_html  # the founder reads the sessions
    assert reverse("project_mentor_assign", args=[projects.startup.pk]) not in founder_html
    assert reverse("mentor_session_new", args=[projects.startup.pk]) not in founder_html


# --- Query counts -------------------------------------------------------------------------------------------

N = 4


def pool_of(projects, count: int) -> None:
    for index in range(count):
        mentor = mentors.save_mentor(
            by=projects.cast.standing_officer,
            mentor=Mentor(full_name=f"Cố vấn {index:03}", fields="Tiếp thị", phone="0900000000"),
            units=[projects.cast.units.commune, projects.cast.units.other_commune],
        )
        mentors.assign_mentor(
            mentor=mentor,
            project=projects.startup,
            by=projects.cast.standing_officer,
            on=datetime.date(2025, 1, 6),
        )
        mentors.log_session(
            mentor=mentor,
            project=projects.startup,
            by=projects.officer,
            held_on=datetime.date(2025, 2, 1),
            hours=Decimal("1"),
            topic="Tiếp thị",
        )


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_mentor_list_query_count(projects, login, django_assert_num_queries, rows):
    pool_of(projects, rows)
    client = login(projects.cast.council_member)
    # The page's own: 1 count for the paginator, 2 the page of mentors with their open assignments,
    # 3 their units (prefetched), 4 the units of the filter's choices.
    with django_assert_num_queries(SIGNED_IN + 4):
        response = client.get(reverse("mentor_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows + 1


@pytest.mark.parametrize("rows", [N, 10 * N])
def test_mentor_session_list_query_count(projects, login, django_assert_num_queries, rows):
    pool_of(projects, rows)
    client = login(projects.cast.council_member)
    # The page's own: 1 count for the paginator, 2 the page of sessions with mentor, project and commune.
    with django_assert_num_queries(SIGNED_IN + 2):
        response = client.get(reverse("mentor_session_list"))
    assert response.status_code == 200
    assert len(response.context["page"]) == rows
