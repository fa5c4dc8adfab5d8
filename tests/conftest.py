"""The named cast of the suite: one province, two districts, two communes and the people who work there.

Tỉnh Thử Nghiệm (province)
├── Huyện Chợ Lách (district 1) ── Xã Sơn Định (commune 1)
└── Huyện Mỏ Cày Nam (district 2) ── Xã Cẩm Sơn (commune 2)
"""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.cache import cache

from portal.models import AdminUnit, Team, User
from tests.factories import AdminUnitFactory, MembershipFactory, TeamFactory, UserFactory

PASSWORD = "mat-khau-thu-nghiem"

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
# The suite's clock: no test depends on the day it runs. Time starts here and runs on.
SUITE_START = datetime.datetime(2026, 11, 18, 9, 30, tzinfo=VIETNAM)


@pytest.fixture(autouse=True)
def clock(request):
    """The fixed clock of every test; ``clock.move_to(moment)`` sets another day or time.

    Tests marked ``broker`` talk to a Celery worker in another process, which keeps the real clock.
    """
    if request.node.get_closest_marker("broker"):
        yield None
        return
    with time_machine.travel(SUITE_START, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the clock starts at the same moment in every test, so what
    an earlier test kept (a list's count, portal/paging.py) would still look fresh."""
    cache.clear()


@pytest.fixture
def set_today(clock):
    """``set_today(day)``: the clock moves to nine in the morning of ``day`` (Vietnam's time)."""

    def move(day: datetime.date, at: datetime.time = datetime.time(9)) -> None:
        clock.move_to(datetime.datetime.combine(day, at, tzinfo=VIETNAM))

    return move


@dataclass
class Units:
    province: AdminUnit
    district: AdminUnit
    other_district: AdminUnit
    commune: AdminUnit
    other_commune: AdminUnit


@dataclass
class Teams:
    council: Team
    standing_agency: Team
    fund: Team
    district: Team
    other_district: Team
    commune: Team
    other_commune: Team


@dataclass
class Cast:
    units: Units
    teams: Teams
    council_member: User
    standing_officer: User
    district_officer: User
    other_district_officer: User
    commune_officer: User
    other_commune_officer: User
    fund_officer: User
    applicant: User
    other_applicant: User
    # A mentor's own account: no team; sees the projects assigned to it (tests/projects/fixtures.py).
    mentor: User
    anonymous: None = None

    ROLES = (
        "anonymous",
        "council_member",
        "standing_officer",
        "district_officer",
        "other_district_officer",
        "commune_officer",
        "other_commune_officer",
        "fund_officer",
        "applicant",
        "other_applicant",
        "mentor",
    )


@pytest.fixture
def cast(db) -> Cast:
    province = AdminUnitFactory(
        code="99", name="Tỉnh Thử Nghiệm", level=AdminUnit.Level.PROVINCE, kind="Tỉnh"
    )
    district = AdminUnitFactory(
        code="991", name="Huyện Chợ Lách", level=AdminUnit.Level.DISTRICT, kind="Huyện", parent=province
    )
    other_district = AdminUnitFactory(
        code="992", name="Huyện Mỏ Cày Nam", level=AdminUnit.Level.DISTRICT, kind="Huyện", parent=province
    )
    commune = AdminUnitFactory(code="99101", name="Xã Sơn Định", parent=district)
    other_commune = AdminUnitFactory(code="99201", name="Xã Cẩm Sơn", parent=other_district)
    units = Units(province, district, other_district, commune, other_commune)

    def team(name, kind, unit, **extra):
        return TeamFactory(name=name, kind=kind, unit=unit, **extra)

    council = team("Hội đồng Tư vấn khởi nghiệp tỉnh", Team.Kind.COUNCIL, province)
    teams = Teams(
        council=council,
        standing_agency=team("Sở Tài chính (cơ quan thường trực)", Team.Kind.STANDING_AGENCY, province),
        fund=team("Quỹ đầu tư khởi nghiệp tỉnh", Team.Kind.FUND, province),
        district=team("Tổ XTĐT&KN huyện Chợ Lách", Team.Kind.DISTRICT_TEAM, district),
        other_district=team("Tổ XTĐT&KN huyện Mỏ Cày Nam", Team.Kind.DISTRICT_TEAM, other_district),
        commune=team("Tổ hỗ trợ ĐT&KN xã Sơn Định", Team.Kind.COMMUNE_TEAM, commune),
        other_commune=team("Tổ hỗ trợ ĐT&KN xã Cẩm Sơn", Team.Kind.COMMUNE_TEAM, other_commune),
    )

    def person(username, full_name, member_of=None, *, is_head=False):
        user = UserFactory(username=username, full_name=full_name)
        if member_of is not None:
            MembershipFactory(team=member_of, user=user)
            if is_head:
                member_of.head = user
                member_of.save(update_fields=["head"])
        return user

    return Cast(
        units=units,
        teams=teams,
        council_member=person("hoidong", "Trần Thị Hội Đồng", teams.council),
        standing_officer=person("thuongtruc", "Lê Văn Thường Trực", teams.standing_agency, is_head=True),
        district_officer=person("huyen", "Phạm Văn Huyện", teams.district),
        other_district_officer=person("huyenkhac", "Võ Thị Huyện Khác", teams.other_district),
        commune_officer=person("xa", "Nguyễn Thị Xã", teams.commune, is_head=True),
        other_commune_officer=person("xakhac", "Đặng Văn Xã Khác", teams.other_commune, is_head=True),
        fund_officer=person("quy", "Huỳnh Thị Quỹ", teams.fund),
        applicant=person("nguoinop", "Bùi Văn Nộp"),
        other_applicant=person("nguoinopkhac", "Đỗ Thị Nộp Khác"),
        mentor=person("covan", "Phan Văn Cố Vấn"),
    )


@pytest.fixture
def login(client):
    """Log the client in as a member of the cast (or stay anonymous for None)."""

    def log_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return log_in


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive the system Chromium; the machine has no other browser and no way to download one."""
    import os

    if not os.path.exists(CHROMIUM):
        pytest.skip(
            f"browser journeys need Chromium at {CHROMIUM} (CI installs it: apt-get install chromium)"
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }
