"""The ground's part of the demo: the current Vĩnh Long province with former Bến Tre as history.

``build(writer)`` loads the units of Vĩnh Long (GSO 86) with the loader, then creates the
provincial advisory council with its boards, the standing agency and the startup fund; a district
team for each of former Bến Tre's nine districts (2016 until the districts ended on 30 June 2025);
a commune team for each current ward that came from Bến Tre and for a handful of Bến Tre's former
communes (2017 to 30 June 2025); the people in them, and one login per role. It then loads every
app's reference data (``portal.catalogue``: holidays, procedures, policies), which the apps' parts
build on.

The people are drawn from a fixed seed; writes go through the ``Writer``, so team and membership
changes are audited.
"""

import datetime
import random
from dataclasses import dataclass

from demo import names
from demo.writer import Writer
from portal import units_loader
from portal.catalogue import CatalogueReport, load_reference_data
from portal.models import AdminUnit, Team, User
from portal.models.units import REFORM_DATE

PROVINCE_CODE = "86"  # Vĩnh Long since 1 July 2025
FORMER_PROVINCE_CODE = "83"  # Bến Tre
PASSWORD = "khoinghiep2026"
SEED = "vinh-long-demo"

FORMER_UNTIL = units_loader.FORMER_UNTIL
PROGRAMME_START = datetime.date(2016, 7, 1)  # Bến Tre's "Đồng Khởi khởi nghiệp" programme
COMMUNE_TEAMS_START = datetime.date(2017, 3, 1)
HEADS_CHANGED = datetime.date(2020, 11, 1)  # when the demo's district teams changed heads

COUNCIL_NAME = "Hội đồng Tư vấn khởi nghiệp và phát triển doanh nghiệp tỉnh Vĩnh Long"
BOARD_NAMES = ("Ban Truyền thông và Đào tạo", "Ban Hỗ trợ khởi nghiệp", "Ban Quỹ và Nguồn lực")
STANDING_AGENCY_NAME = "Sở Tài chính – Cơ quan thường trực"
FUND_NAME = "Quỹ Đầu tư khởi nghiệp tỉnh"

# The district and the ward of the demo's district and commune officers.
DISTRICT_OF_OFFICER = "832"  # Huyện Chợ Lách, land of bonsai and fruit gardens
WARD_OF_OFFICER = "28870"  # Xã Chợ Lách (Thị trấn Chợ Lách, Hòa Nghĩa and Long Thới)
# Former Bến Tre communes whose teams the demo keeps as history.
FORMER_COMMUNES_WITH_TEAMS = (
    "28870",  # Thị trấn Chợ Lách
    "28876",  # Xã Sơn Định
    "28894",  # Xã Vĩnh Thành
    "28978",  # Xã Cẩm Sơn, Mỏ Cày Nam: coconut
    "28987",  # Xã Phong Nẫm, Giồng Trôm
    "28819",  # Xã Phú Túc, Châu Thành
)
# Current teams left without a head, or with nobody at all, so "needs attention" shows something.
WARDS_WITHOUT_HEAD = ("29221", "29167")  # Xã Thạnh Hải, Xã Tân Thủy
WARDS_WITHOUT_MEMBERS = ("28783",)  # Phường Sơn Đông


@dataclass(frozen=True)
class Login:
    username: str
    full_name: str
    role: str
    position: str = ""
    team: str = ""  # filled in by build_demo
    is_superuser: bool = False


LOGINS = (
    Login(
        "hoidong", "Trần Thị Hồng Nhung", "council member", "Ủy viên Hội đồng – Phó Giám đốc Sở Công Thương"
    ),
    Login(
        "thuongtruc",
        "Lê Minh Khoa",
        "standing agency officer",
        "Trưởng phòng Doanh nghiệp, Kinh tế tập thể và Tư nhân",
    ),
    Login(
        "huyen",
        "Phạm Văn Lợi",
        "district team officer (team ended: reads history)",
        "Tổ phó – Trưởng phòng Tài chính – Kế hoạch",
    ),
    Login("xa", "Nguyễn Thị Bích Ngọc", "commune team head", "Tổ trưởng – Phó Chủ tịch UBND xã"),
    Login("quy", "Huỳnh Văn Tâm", "fund officer", "Cán bộ thẩm định"),
    Login("kiemsoat", "Lê Thị Thu Hà", "fund officer who checks decisions", "Kế toán – Kiểm soát viên"),
    Login("nguoinop", "Võ Thị Mỹ Duyên", "applicant (no team)"),
    Login("covan", "Trần Quốc Việt", "mentor (no team: sees the projects assigned to him)"),
    Login("quantri", "Quản trị hệ thống", "administrator (Django admin)", is_superuser=True),
)


@dataclass
class GroundReport:
    """The ground's part: the units of the province, and every app's reference data."""

    units: units_loader.LoadReport
    catalogue: CatalogueReport

    def summary(self) -> list[str]:
        units = self.units
        created, existing = self.catalogue.created, self.catalogue.existing
        return [
            f"Units of Vĩnh Long: {units.created} created, {units.updated} updated, "
            f"{units.unchanged} unchanged; successor links {units.links_added} added, "
            f"{units.links_removed} removed.",
            "Catalogue:   "
            + ", ".join(
                f"{model} {created[model]} created ({existing[model]} already there)"
                for model in dict.fromkeys([*created, *existing])
            )
            + ".",
        ]


class _People:
    """Generated people: the same names and account names on every run."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.taken = {login.username for login in LOGINS}

    def next(self) -> tuple[str, str]:
        full_name = names.vietnamese_name(self.rng)
        return names.login_name(full_name, self.taken), full_name


@dataclass
class _Units:
    province: AdminUnit
    districts: list[AdminUnit]
    wards: list[AdminUnit]  # current wards that came (at least partly) from Bến Tre
    former_communes: list[AdminUnit]  # those with a team in the demo


def _demo_units() -> _Units:
    province = AdminUnit.objects.get(code=PROVINCE_CODE, valid_until__isnull=True)
    bentre = AdminUnit.objects.get(code=FORMER_PROVINCE_CODE, valid_until=FORMER_UNTIL)
    districts = list(bentre.children.order_by("code"))
    wards = list(
        AdminUnit.objects.filter(parent=province, predecessors__parent__parent=bentre)
        .distinct()
        .order_by("code")
    )
    former_communes = list(
        AdminUnit.objects.filter(
            code__in=FORMER_COMMUNES_WITH_TEAMS, valid_until=FORMER_UNTIL, parent__parent=bentre
        ).order_by("code")
    )
    return _Units(province, districts, wards, former_communes)


def _staff(
    writer: Writer, people: _People, team: Team, titles: list[str], joined: datetime.date
) -> list[User]:
    members = []
    for title in titles:
        user = writer.user(*people.next())
        writer.member(team, user, title, joined)
        members.append(user)
    return members


def _login(writer: Writer, username: str) -> User:
    login = next(login for login in LOGINS if login.username == username)
    return writer.user(login.username, login.full_name, password=PASSWORD, is_superuser=login.is_superuser)


def _position(username: str) -> str:
    return next(login.position for login in LOGINS if login.username == username)


def _provincial_teams(writer: Writer, people: _People, province: AdminUnit) -> dict[str, Team]:
    start = REFORM_DATE
    council = writer.team(
        COUNCIL_NAME, Team.Kind.COUNCIL, province, parent=None, active_from=start, active_until=None
    )
    titles = names.positions(names.COUNCIL_POSITIONS, 7, unit_kind="Tỉnh")
    members = _staff(writer, people, council, titles, start)
    writer.member(council, _login(writer, "hoidong"), _position("hoidong"), start)
    writer.head(council, members[0])
    teams = {"council": council}
    for name in BOARD_NAMES:
        board = writer.team(
            name, Team.Kind.COUNCIL_BOARD, province, parent=council, active_from=start, active_until=None
        )
        titles = names.positions(names.BOARD_POSITIONS, 4, unit_kind="Tỉnh")
        writer.head(board, _staff(writer, people, board, titles, start)[0])
        teams[name] = board
    agency = writer.team(
        STANDING_AGENCY_NAME,
        Team.Kind.STANDING_AGENCY,
        province,
        parent=council,
        active_from=start,
        active_until=None,
    )
    titles = [names.STANDING_AGENCY_POSITIONS[0], names.STANDING_AGENCY_POSITIONS[1], "Chuyên viên"]
    members = _staff(writer, people, agency, titles, start)
    writer.member(agency, _login(writer, "thuongtruc"), _position("thuongtruc"), start)
    writer.head(agency, members[0])
    teams["standing_agency"] = agency
    fund = writer.team(FUND_NAME, Team.Kind.FUND, province, parent=None, active_from=start, active_until=None)
    members = _staff(writer, people, fund, ["Giám đốc Quỹ", "Phó Giám đốc Quỹ", "Kế toán trưởng"], start)
    writer.member(fund, _login(writer, "quy"), _position("quy"), start)
    writer.member(fund, _login(writer, "kiemsoat"), _position("kiemsoat"), start)
    writer.head(fund, members[0])
    teams["fund"] = fund
    return teams


def _district_teams(writer: Writer, people: _People, districts: list[AdminUnit]) -> dict[str, Team]:
    """One team per former district, 2016 until the districts ended; the first heads left in 2020."""
    teams = {}
    for district in districts:
        team = writer.team(
            names.team_name(names.DISTRICT_TEAM_PREFIX, district),
            Team.Kind.DISTRICT_TEAM,
            district,
            parent=None,
            active_from=PROGRAMME_START,
            active_until=FORMER_UNTIL,
        )
        titles = names.positions(names.DISTRICT_TEAM_POSITIONS, 6, unit_kind=district.kind)
        first_head = writer.user(*people.next())
        writer.member(
            team, first_head, titles[0], PROGRAMME_START, HEADS_CHANGED - datetime.timedelta(days=1)
        )
        head = writer.user(*people.next())
        writer.member(team, head, titles[0], HEADS_CHANGED)
        if district.code == DISTRICT_OF_OFFICER:
            writer.member(team, _login(writer, "huyen"), _position("huyen"), PROGRAMME_START)
            titles = titles[:1] + titles[2:]
        _staff(writer, people, team, titles[1:], PROGRAMME_START)
        writer.head(team, head)
        teams[district.code] = team
    return teams


def _commune_team_name(unit: AdminUnit) -> str:
    return names.team_name(names.COMMUNE_TEAM_PREFIX, unit)


def _former_commune_teams(
    writer: Writer, people: _People, communes: list[AdminUnit], district_teams: dict[str, Team]
) -> dict[int, tuple[Team, User]]:
    """Teams of a few former communes, 2017 until 30 June 2025, under their district's team."""
    teams = {}
    for commune in communes:
        team = writer.team(
            _commune_team_name(commune),
            Team.Kind.COMMUNE_TEAM,
            commune,
            parent=district_teams.get(commune.parent.code),
            active_from=COMMUNE_TEAMS_START,
            active_until=FORMER_UNTIL,
        )
        titles = names.positions(names.COMMUNE_TEAM_POSITIONS, 4, unit_kind=commune.kind)
        members = _staff(writer, people, team, titles, COMMUNE_TEAMS_START)
        writer.head(team, members[0])
        teams[commune.pk] = (team, members[0])
    return teams


def _ward_teams(writer: Writer, people: _People, wards: list[AdminUnit]) -> dict[str, Team]:
    """A team for every current ward from Bến Tre, since 1 July 2025."""
    teams = {}
    for ward in wards:
        team = writer.team(
            _commune_team_name(ward),
            Team.Kind.COMMUNE_TEAM,
            ward,
            parent=None,
            active_from=REFORM_DATE,
            active_until=None,
        )
        teams[ward.code] = team
        if ward.code in WARDS_WITHOUT_MEMBERS:
            writer.head(team, None)
            continue
        size = people.rng.randint(3, 6)
        titles = names.positions(names.COMMUNE_TEAM_POSITIONS, size, unit_kind=ward.kind)
        if ward.code == WARD_OF_OFFICER:
            head = _login(writer, "xa")
            writer.member(team, head, _position("xa"), REFORM_DATE)
        else:
            head = writer.user(*people.next())
            writer.member(team, head, titles[0], REFORM_DATE)
        _staff(writer, people, team, titles[1:], REFORM_DATE)
        writer.head(team, None if ward.code in WARDS_WITHOUT_HEAD else head)
    return teams


def build(writer: Writer) -> GroundReport:
    """The ground's part of the demo: units, teams, people and logins, and every app's reference data."""
    province = units_loader.find_province(PROVINCE_CODE)
    report = GroundReport(
        units=units_loader.load_province(units_loader.read_province(province)), catalogue=CatalogueReport()
    )
    people = _People()
    units = _demo_units()

    _provincial_teams(writer, people, units.province)
    district_teams = _district_teams(writer, people, units.districts)
    former_teams = _former_commune_teams(writer, people, units.former_communes, district_teams)
    ward_teams = _ward_teams(writer, people, units.wards)
    # Heads of former commune teams carried on in the team of the ward their commune went into.
    for commune in units.former_communes:
        _team, former_head = former_teams[commune.pk]
        successor = commune.successors.order_by("code").first()
        team = ward_teams.get(successor.code) if successor else None
        if team is not None and successor.code not in WARDS_WITHOUT_MEMBERS:
            writer.member(team, former_head, "Thành viên – Công chức Kinh tế", REFORM_DATE)
    _login(writer, "nguoinop")
    _login(writer, "quantri")
    # The programme's procedures, calendar and policies, which the other apps' parts build on.
    report.catalogue = load_reference_data()
    return report
