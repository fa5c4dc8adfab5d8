"""The home page: the front door for anyone not signed in, and each person's home, starting with what
is theirs to do. The apps' own panels are tested in tests/<app>/test_home.py."""

import datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from dossiers.models import Dossier
from policies.models import Entitlement, PolicyDocument
from portal.models import Notification
from portal.panels import Panel, panels_for
from portal.services.notifications import mark_all_read
from tests.dossiers.fixtures import *  # noqa: F403 (the dossiers and media_root fixtures)

# "Nothing needs your attention right now." as the home says it.
NOTHING_TO_DO = "Hiện không có việc gì cần bạn quan tâm."


@pytest.fixture(autouse=True)
def fresh_cache():
    """The dashboard's flags are cached (reports/home.py): each test composes its own."""
    cache.clear()
    yield
    cache.clear()


def home(login, user):
    response = login(user).get(reverse("home"))
    assert response.status_code == 200
    return response


def panel(response, template: str) -> Panel | None:
    """The home's panel drawn with ``template``, if it has one."""
    found = [panel for panel in response.context["panels"] if panel.template == template]
    assert len(found) <= 1
    return found[0] if found else None


def templates(response) -> list[str]:
    return [panel.template for panel in response.context["panels"]]


def says_nothing_to_do(response) -> bool:
    return NOTHING_TO_DO in response.content.decode()


def notify(user, title: str, *, read: bool = False) -> Notification:
    return Notification.objects.create(
        recipient=user,
        event_key=f"test-{title}",
        title=title,
        link="/me/dossiers/",
        read_at=timezone.now() if read else None,
    )


# The front door


def test_the_front_door_opens_to_anyone_in_vietnamese_first(client, cast):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert response.templates[0].name == "portal/front_door.html"
    page = response.content.decode()
    assert '<html lang="vi">' in page
    assert "Chương trình hỗ trợ khởi nghiệp và phát triển doanh nghiệp" in page
    # The ways in: the programme's pages, the lookup, the library, the checker, sign-in and registration.
    for name, args in [
        ("programme_audience", ["startup"]),
        ("programme_audience", ["household_business"]),
        ("programme_audience", ["poor_household"]),
        ("dossier_lookup", []),
        ("policy_list", []),
        ("eligibility_check", []),
        ("login", []),
        ("register", []),
    ]:
        assert f'"{reverse(name, args=args)}' in page, name
    assert 'name="phone_last_four"' in page and 'name="password"' in page
    # One way in among others: the sign-in form does not take the focus (and scroll the page to it).
    assert "autofocus" not in page


def test_the_front_door_shows_the_supports_in_force(client, cast):
    law = PolicyDocument.objects.create(
        number="04/2017/QH14",
        kind=PolicyDocument.Kind.LAW,
        title="Luật Hỗ trợ doanh nghiệp nhỏ và vừa",
        issuer="Quốc hội",
        signed_on=datetime.date(2017, 6, 12),
        effective_from=datetime.date(2018, 1, 1),
        summary="Hỗ trợ doanh nghiệp nhỏ và vừa.",
    )

    def entitlement(code, name, **dates):
        return Entitlement.objects.create(
            code=code,
            name=name,
            description="…",
            audience="household_business",
            governing_document=law,
            **dates,
        )

    entitlement("tu-van", "Tư vấn miễn phí hồ sơ đăng ký", effective_from=datetime.date(2018, 1, 1))
    entitlement(
        "mon-bai",
        "Miễn lệ phí môn bài",
        effective_from=datetime.date(2018, 1, 1),
        effective_until=datetime.date(2025, 12, 31),
    )
    programme = panel(client.get(reverse("home")), "policies/home_programme.html")
    audiences = {value: supports for value, _label, supports in programme.data["audiences"]}
    assert audiences == {
        "startup": [],
        "household_business": ["Tư vấn miễn phí hồ sơ đăng ký"],
        "poor_household": [],
    }


def test_the_front_door_shows_nothing_private(client, dossiers):
    notify(dossiers.cast.applicant, "Hồ sơ cần bổ sung")
    page = client.get(reverse("home")).content.decode()
    for private in (
        dossiers.dossier.code,
        "Bùi Văn Nộp",
        "0912345678",
        "5678",
        "Hồ sơ cần bổ sung",
        "Xã Sơn Định",
        "Tổ hỗ trợ ĐT&KN xã Sơn Định",
    ):
        assert private not in page
    assert NOTHING_TO_DO not in page


# Each person's home


def test_someone_with_nothing_at_all_is_told_so(cast, login):
    response = home(login, cast.other_applicant)
    assert says_nothing_to_do(response)
    assert response.context["to_do"] == 0
    assert "Bạn chưa có hồ sơ nào." in response.content.decode()
    # Not the old home's messages about teams and units, which say nothing to an applicant.
    assert "Bạn không thuộc tổ nào" not in response.content.decode()
    assert "không phụ trách đơn vị hành chính nào" not in response.content.decode()


def test_unread_notifications_are_to_do_the_newest_first(cast, login):
    notify(cast.other_applicant, "Cũ đã đọc", read=True)
    older = notify(cast.other_applicant, "Thông báo thứ nhất")
    newer = notify(cast.other_applicant, "Thông báo thứ hai")
    notify(cast.applicant, "Của người khác")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    response = home(login, cast.other_applicant)
    unread = panel(response, "portal/home_notifications.html")
    assert [n.title for n in unread.data["newest"]] == ["Thông báo thứ hai", "Thông báo thứ nhất"]
    assert unread.to_do == unread.data["count"] == 2
    assert response.context["to_do"] == 2
    assert not says_nothing_to_do(response)
    assert "2 thông báo chưa đọc" in response.content.decode()
    assert "Của người khác" not in response.content.decode()
    assert newer.pk in [n.pk for n in unread.data["newest"]]


def test_many_unread_notifications_show_the_newest_five_and_count_all(cast, login):
    for number in range(7):
        notify(cast.other_applicant, f"Thông báo {number}")
    unread = panel(home(login, cast.other_applicant), "portal/home_notifications.html")
    assert len(unread.data["newest"]) == 5
    assert unread.to_do == 7


def test_what_asks_something_comes_before_what_only_informs(cast, login, dossiers):
    notify(cast.commune_officer, "Hồ sơ sắp đến hạn")
    response = home(login, cast.commune_officer)
    asking = [panel.to_do > 0 for panel in response.context["panels"]]
    assert asking == sorted(asking, reverse=True)
    # The filed dossier waits to be received, then the notification; the team's own panels after.
    assert templates(response)[:2] == ["dossiers/home_work.html", "portal/home_notifications.html"]
    assert templates(response)[-1] == "portal/home_teams.html"


def test_a_district_officer_whose_team_has_ended_reads_history_and_has_nothing_to_do(cast, login, dossiers):
    team = cast.teams.district
    team.active_until = datetime.date(2025, 6, 30)
    team.save(update_fields=["active_until"])
    # A dossier of the commune below, late: the commune's work, which the district officer only reads.
    late = dossiers.at("received")
    Dossier.objects.filter(pk=late.pk).update(due_date=datetime.date(2026, 11, 2))
    mark_all_read(cast.district_officer)
    response = home(login, cast.district_officer)
    assert templates(response) == ["portal/home_teams.html"]
    page = response.content.decode()
    assert "Đã kết thúc ngày 30/06/2025: chỉ xem lịch sử" in page
    assert late.code not in page
    assert says_nothing_to_do(response)

    notify(cast.district_officer, "Báo cáo sơ kết đã sẵn sàng")
    assert not says_nothing_to_do(home(login, cast.district_officer))


def test_the_home_gathers_every_apps_panels_in_installed_order(cast):
    found = [panel.template for panel in panels_for(cast.other_applicant, datetime.date(2026, 11, 18))]
    assert found == ["dossiers/home_own.html", "policies/home_links.html"]
